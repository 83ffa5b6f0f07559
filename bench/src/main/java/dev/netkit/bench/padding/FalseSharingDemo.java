package dev.netkit.bench.padding;

import dev.netkit.padding.PaddedAtomicLong;
import dev.netkit.padding.StripedCounter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A five-second look at false sharing without JMH: two threads count, each on its own counter, for about
 * a second per variant, and a table shows millions of increments per second and the ratio to the
 * adjacent case. Variants: adjacent {@link AtomicLongArray} slots (false sharing), one
 * {@link PaddedAtomicLong} per thread, owned stripes of one {@link StripedCounter}, and one shared
 * {@link AtomicLong} (true sharing, for scale).
 *
 * <p>This is a demonstration, not a measurement: a hand-written timing loop, one run, whatever else the
 * machine is doing. The evidence is the JMH table in {@code padding/README.md}, produced by
 * {@code bench/run FalseSharingBench -t 2} ({@link FalseSharingBench}).
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar dev.netkit.bench.padding.FalseSharingDemo [ms]},
 * where {@code ms} is the measured time per variant (default 1000). Each variant is first warmed up for
 * a fifth of that. The program exits by itself.
 */
public final class FalseSharingDemo {

    private static final int THREADS = 2;
    private static final int BATCH = 1024;
    private static final long DEFAULT_MILLIS = 1000;
    /** Below this share of wall time on a CPU, the threads mostly took turns instead of running together. */
    private static final double MIN_ON_CPU = 0.9;
    private static final ThreadMXBean THREAD_BEAN = ManagementFactory.getThreadMXBean();

    /** What one run measured: throughput, and the share of the wall time the counting threads were on a CPU. */
    private record Result(double mops, double onCpu) {
    }

    private FalseSharingDemo() {
    }

    /**
     * A variant: fresh counters per run, a counting loop per thread, and the total at rest. Each variant
     * has its own loop, so the JIT compiles every loop for one kind of counter and inlines its update.
     */
    private abstract static class Variant {
        final String name;

        Variant(String name) {
            this.name = name;
        }

        /** Allocates fresh counters for one run; called before the threads start. */
        abstract void prepare();

        /** Thread {@code t} counts on its own counter in batches until {@code stop}; returns its count. */
        abstract long count(int t, StopFlag stop);

        /** The sum of every thread's counter after the run (all threads joined). */
        abstract long total();
    }

    /**
     * Runs the demo.
     *
     * @param args optional: milliseconds per variant, 1 to 600000 (default 1000)
     * @throws InterruptedException if interrupted while waiting for the counting threads
     */
    public static void main(String[] args) throws InterruptedException {
        long millis = DEFAULT_MILLIS;
        if (args.length > 1) {
            usage("expected at most one argument, got " + args.length);
        }
        if (args.length == 1) {
            try {
                millis = Long.parseLong(args[0]);
            } catch (NumberFormatException e) {
                usage("duration must be a whole number of milliseconds, was '" + args[0] + "'");
            }
            if (millis < 1 || millis > 600_000) {
                usage("duration must be in [1, 600000] ms, was " + millis);
            }
        }

        List<Variant> variants = variants();
        System.out.printf(Locale.ROOT, "False sharing demo: %d threads, %d ms per variant (after %d ms warm-up)%n",
                THREADS, millis, Math.max(1, millis / 5));
        System.out.printf(Locale.ROOT, "JVM: %s %s (%s), %d available processors, %s/%s%n",
                System.getProperty("java.vm.name"), Runtime.version(), System.getProperty("java.vendor"),
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"));

        for (Variant v : variants) { // warm-up: let the JIT compile every loop before anything is timed
            run(v, Math.max(1, millis / 5));
        }
        Result[] results = new Result[variants.size()];
        for (int i = 0; i < variants.size(); i++) {
            results[i] = run(variants.get(i), millis);
        }

        System.out.println();
        System.out.printf(Locale.ROOT, "%-34s %10s %12s %8s%n", "variant", "Mops/s", "vs adjacent", "on-CPU");
        boolean tookTurns = false;
        for (int i = 0; i < variants.size(); i++) {
            Result r = results[i];
            System.out.printf(Locale.ROOT, "%-34s %10.1f %11.2fx %8s%n", variants.get(i).name, r.mops(),
                    r.mops() / results[0].mops(),
                    Double.isNaN(r.onCpu()) ? "n/a" : String.format(Locale.ROOT, "%.0f%%", r.onCpu() * 100));
            tookTurns |= r.onCpu() < MIN_ON_CPU;
        }
        System.out.println();
        if (tookTurns) {
            System.out.printf(Locale.ROOT, "Warning: the threads were on a CPU less than %.0f%% of the time (on-CPU"
                    + " column), so they%nlargely took turns rather than running together, and the figures"
                    + " understate any sharing%neffect. Run again on an idle machine with %d free cores.%n%n",
                    MIN_ON_CPU * 100, THREADS);
        }
        System.out.println("One unmanaged run: an illustration, not evidence. The measured figures are the JMH table");
        System.out.println("in padding/README.md, from: bench/run FalseSharingBench -t 2 -prof gc");
    }

    /**
     * Runs one variant: THREADS threads start together, count in batches until told to stop, and the
     * counters are checked against the counts the threads report.
     *
     * @return millions of increments per second, all threads together, and the threads' mean CPU time as
     *         a share of the wall time (NaN where the JVM does not measure thread CPU time)
     */
    private static Result run(Variant v, long millis) throws InterruptedException {
        v.prepare();
        CountDownLatch ready = new CountDownLatch(THREADS);
        CountDownLatch go = new CountDownLatch(1);
        StopFlag stop = new StopFlag();
        long[] counts = new long[THREADS];
        long[] cpuNanos = new long[THREADS];
        boolean cpuTime = THREAD_BEAN.isCurrentThreadCpuTimeSupported() && THREAD_BEAN.isThreadCpuTimeEnabled();
        Thread[] workers = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            final int me = t;
            workers[t] = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                long cpu0 = cpuTime ? THREAD_BEAN.getCurrentThreadCpuTime() : 0;
                counts[me] = v.count(me, stop);
                cpuNanos[me] = cpuTime ? THREAD_BEAN.getCurrentThreadCpuTime() - cpu0 : 0;
            }, "demo-" + me);
            workers[t].setDaemon(true);
            workers[t].start();
        }
        ready.await();
        long start = System.nanoTime();
        go.countDown();
        Thread.sleep(millis);
        stop.stop = true;
        for (Thread w : workers) {
            w.join();
        }
        long elapsed = System.nanoTime() - start;

        long ops = 0;
        for (long c : counts) {
            ops += c;
        }
        long total = v.total();
        if (total != ops) {
            throw new IllegalStateException(v.name + ": counters hold " + total + " but threads counted " + ops);
        }
        double onCpu = Double.NaN;
        if (cpuTime) {
            long cpu = 0;
            for (long c : cpuNanos) {
                cpu += c;
            }
            onCpu = (double) cpu / THREADS / elapsed;
        }
        return new Result(ops / (elapsed / 1e3), onCpu);
    }

    /** Written once by main, read by the workers after each batch. */
    private static final class StopFlag {
        volatile boolean stop;
    }

    private static List<Variant> variants() {
        List<Variant> list = new ArrayList<>();
        list.add(new Variant("adjacent AtomicLongArray slots") {
            private AtomicLongArray slots;

            @Override
            void prepare() {
                slots = new AtomicLongArray(THREADS); // slot t, 8 bytes from its neighbour
            }

            @Override
            long count(int t, StopFlag stop) {
                AtomicLongArray a = slots;
                long n = 0;
                while (!stop.stop) {
                    for (int k = 0; k < BATCH; k++) {
                        a.getAndIncrement(t);
                    }
                    n += BATCH;
                }
                return n;
            }

            @Override
            long total() {
                long sum = 0;
                for (int t = 0; t < THREADS; t++) {
                    sum += slots.get(t);
                }
                return sum;
            }
        });
        list.add(new Variant("PaddedAtomicLong per thread") {
            private PaddedAtomicLong[] cells;

            @Override
            void prepare() {
                cells = new PaddedAtomicLong[THREADS];
                for (int t = 0; t < THREADS; t++) {
                    cells[t] = new PaddedAtomicLong(); // heap neighbours, kept apart by the padding
                }
            }

            @Override
            long count(int t, StopFlag stop) {
                PaddedAtomicLong c = cells[t];
                long n = 0;
                while (!stop.stop) {
                    for (int k = 0; k < BATCH; k++) {
                        c.getAndIncrement();
                    }
                    n += BATCH;
                }
                return n;
            }

            @Override
            long total() {
                long sum = 0;
                for (PaddedAtomicLong c : cells) {
                    sum += c.get();
                }
                return sum;
            }
        });
        list.add(new Variant("StripedCounter owned stripes") {
            private StripedCounter counter;

            @Override
            void prepare() {
                counter = new StripedCounter(THREADS);
            }

            @Override
            long count(int t, StopFlag stop) {
                StripedCounter c = counter;
                long n = 0;
                while (!stop.stop) {
                    for (int k = 0; k < BATCH; k++) {
                        c.increment(t); // single writer per stripe: no CAS
                    }
                    n += BATCH;
                }
                return n;
            }

            @Override
            long total() {
                return counter.sum();
            }
        });
        list.add(new Variant("shared AtomicLong (true sharing)") {
            private AtomicLong shared;

            @Override
            void prepare() {
                shared = new AtomicLong();
            }

            @Override
            long count(int t, StopFlag stop) {
                AtomicLong a = shared;
                long n = 0;
                while (!stop.stop) {
                    for (int k = 0; k < BATCH; k++) {
                        a.getAndIncrement();
                    }
                    n += BATCH;
                }
                return n;
            }

            @Override
            long total() {
                return shared.get();
            }
        });
        return list;
    }

    private static void usage(String problem) {
        System.err.println("FalseSharingDemo: " + problem);
        System.err.println("usage: java -cp bench/target/benchmarks.jar dev.netkit.bench.padding.FalseSharingDemo [ms]");
        System.exit(2);
    }
}
