package dev.netkit.bench.timingwheel;

import dev.netkit.timingwheel.TimingWheel;
import dev.netkit.timingwheel.WheelTimer;
import io.netty.util.HashedWheelTimer;
import io.netty.util.TimerTask;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.agrona.DeadlineTimerWheel;

/**
 * Bytes per pending timer at 1,000,000 pending timers (or the count given as the first argument), for
 * {@link TimingWheel}, {@link WheelTimer} and the peers: Agrona's {@link DeadlineTimerWheel}, Netty's
 * {@link HashedWheelTimer} and {@link ScheduledThreadPoolExecutor}. Not JMH: a {@code main}.
 *
 * <p><b>Method: heap difference after GC.</b> For each structure: full GC (three {@code System.gc()} calls
 * with pauses), read the used heap ({@code MemoryMXBean}), build the structure and schedule the timers
 * (deadlines spread uniformly over 10 minutes, 1 ms tick), wait 200 ms for worker threads to take them in,
 * GC again, read the used heap; bytes per timer = difference / timers. All timers share one task object,
 * so the figure is the timer structure's own cost (timer objects, nodes, arrays, queue chunks). Run with a
 * fixed heap and a non-concurrent collector for stable numbers (the command below).
 *
 * <p><b>"After a burst".</b> The structure first holds a burst of 100,000 timers due in one tick, which
 * then expire (polled, or run by the worker); then the 1,000,000 spread timers are scheduled and measured,
 * counting everything the structure retains, including what the burst made it grow (Agrona doubles every
 * spoke's allocation when one spoke fills).
 *
 * <p>Run (from the repository root, after building {@code bench/target/benchmarks.jar}; about a minute):
 * <pre>{@code
 * java -Xms3g -Xmx3g -XX:+UseSerialGC -cp bench/target/benchmarks.jar dev.netkit.bench.timingwheel.TimerFootprint [timers]
 * }</pre>
 */
public final class TimerFootprint {

    static final long MS = 1_000_000L;
    static final int BURST = 100_000;
    static final Runnable TASK = () -> { };
    static final TimerTask NETTY_TASK = t -> { };

    private TimerFootprint() {
    }

    static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static long baseline = -1;

    static void measure(String name, int n, Supplier<Object> build) {
        // the previous structure is sometimes still found live by the first GC after it was dropped:
        // collect until the heap is back at the baseline (within 1 MiB), so it never counts against this one
        long before = usedAfterGc();
        if (baseline < 0) {
            baseline = before;
        }
        for (int i = 0; i < 20 && before > baseline + (1 << 20); i++) {
            before = usedAfterGc();
        }
        Object s = build.get();
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long after = usedAfterGc();
        System.out.printf(Locale.ROOT, "%-58s %8.2f B/timer  (%,d B for %,d timers; heap %,d -> %,d B)%n",
                name, (double) (after - before) / n, after - before, n, before, after);
        Reference.reachabilityFence(s);
        if (s instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static long[] deadlines(long start, int n) {
        SplittableRandom rnd = new SplittableRandom(5);
        long[] d = new long[n];
        for (int i = 0; i < n; i++) {
            d[i] = start + rnd.nextLong(1, 600_000L * MS);
        }
        return d;
    }

    /**
     * Prints one line per structure.
     *
     * @param args optionally the number of timers (default 1,000,000)
     */
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0].replace("_", "").replace(",", "")) : 1_000_000;
        if (n < 1 || n > 10_000_000) {
            throw new IllegalArgumentException("timers must be in [1, 10,000,000], was " + n);
        }
        System.out.printf(Locale.ROOT, "# TimerFootprint: bytes per pending timer, %,d timers; heap difference after GC%n", n);
        System.out.printf(Locale.ROOT, "# date: %s | java: %s %s | nproc %d | max heap %,d MiB | gc %s%n",
                Instant.now().truncatedTo(ChronoUnit.SECONDS), System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20,
                ManagementFactory.getGarbageCollectorMXBeans().get(0).getName());
        long start = System.nanoTime();
        long[] d = deadlines(start, n);
        Object payload = new Object();

        measure("TimingWheel (grown from default capacity)", n, () -> {
            TimingWheel<Object> w = new TimingWheel<>(start, MS);
            for (long x : d) {
                w.schedule(x, payload);
            }
            return w;
        });
        measure("TimingWheel (capacity hint = timers)", n, () -> {
            TimingWheel<Object> w = new TimingWheel<>(start, MS, 6, 5, n);
            for (long x : d) {
                w.schedule(x, payload);
            }
            return w;
        });
        measure("TimingWheel after a burst (default capacity)", n, () -> {
            TimingWheel<Object> w = new TimingWheel<>(start, MS);
            for (int i = 0; i < BURST; i++) {
                w.schedule(start + MS, payload);
            }
            w.poll(start + 2 * MS, (h, p) -> { }, Integer.MAX_VALUE);
            for (long x : d) {
                w.schedule(x, payload);
            }
            return w;
        });
        measure("Agrona DeadlineTimerWheel (1 ms, 1024 ticks)", n, () -> {
            DeadlineTimerWheel w = new DeadlineTimerWheel(TimeUnit.MILLISECONDS, start / MS, 1, 1024);
            for (long x : d) {
                w.scheduleTimer(x / MS);
            }
            return w;
        });
        measure("Agrona DeadlineTimerWheel (1 ms, 131072 ticks)", n, () -> {
            DeadlineTimerWheel w = new DeadlineTimerWheel(TimeUnit.MILLISECONDS, start / MS, 1, 131_072);
            for (long x : d) {
                w.scheduleTimer(x / MS);
            }
            return w;
        });
        int fewer = Math.min(n, 100_000);          // TimerBench's pending count, where its sized rows run
        for (int ticks : new int[] {1024, 16_384, 131_072}) {
            measure(String.format(Locale.ROOT, "Agrona DeadlineTimerWheel (1 ms, %d ticks), %,d timers", ticks, fewer),
                    fewer, () -> {
                DeadlineTimerWheel w = new DeadlineTimerWheel(TimeUnit.MILLISECONDS, start / MS, 1, ticks);
                for (int i = 0; i < fewer; i++) {
                    w.scheduleTimer(d[i] / MS);
                }
                return w;
            });
        }
        measure("Agrona DeadlineTimerWheel after a burst", n, () -> {
            DeadlineTimerWheel w = new DeadlineTimerWheel(TimeUnit.MILLISECONDS, start / MS, 1, 1024);
            for (int i = 0; i < BURST; i++) {
                w.scheduleTimer(start / MS + 1);
            }
            while (w.timerCount() > 0) {
                w.poll(start / MS + 2, (u, now, id) -> true, Integer.MAX_VALUE);
            }
            for (long x : d) {
                w.scheduleTimer(x / MS);
            }
            return w;
        });
        measure("WheelTimer (1 ms tick)", n, () -> {
            WheelTimer t = new WheelTimer(1, TimeUnit.MILLISECONDS);
            for (long x : d) {
                t.newTimeout(TASK, x - start, TimeUnit.NANOSECONDS);
            }
            return (AutoCloseable) t::stop;
        });
        measure("Netty HashedWheelTimer (1 ms tick, 512 buckets)", n, () -> {
            HashedWheelTimer t = new HashedWheelTimer(1, TimeUnit.MILLISECONDS, 512);
            for (long x : d) {
                t.newTimeout(NETTY_TASK, x - start, TimeUnit.NANOSECONDS);
            }
            return (AutoCloseable) t::stop;
        });
        measure("ScheduledThreadPoolExecutor (remove on cancel)", n, () -> {
            ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1);
            e.setRemoveOnCancelPolicy(true);
            for (long x : d) {
                e.schedule(TASK, x - start, TimeUnit.NANOSECONDS);
            }
            return (AutoCloseable) e::shutdownNow;
        });
    }
}
