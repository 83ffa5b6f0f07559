package dev.netkit.bench.timingwheel;

import dev.netkit.timingwheel.TimingWheel;
import dev.netkit.timingwheel.WheelTimer;
import io.netty.util.HashedWheelTimer;
import io.netty.util.TimerTask;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.agrona.DeadlineTimerWheel;
import org.agrona.collections.Long2ObjectHashMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Expiry throughput with {@value #N} timers all due. Single-shot time per batch of {@value #N}, reported
 * per timer (ns/op; lower is better).
 *
 * <table>
 *   <caption>Benchmarks</caption>
 *   <tr><th>method</th><th>what is measured</th></tr>
 *   <tr><td>{@code pollTimingWheel}</td><td>{@link TimingWheel#poll} expiring {@value #N} timers whose
 *       deadlines are spread over one second (set up before the measurement), handler counts</td></tr>
 *   <tr><td>{@code pollAgrona}</td><td>the same with Agrona's {@link DeadlineTimerWheel} (1 ms ticks,
 *       1,024 per wheel; {@code poll} is called until it has expired everything, since each call handles
 *       one tick)</td></tr>
 *   <tr><td>{@code pollAgronaMapped}</td><td>Agrona as its users use it: a timer id carries no payload, so
 *       the user keeps a map from timer id to its own object ({@code Long2ObjectHashMap}, as Aeron
 *       Cluster's {@code WheelTimerService} keeps a {@code Long2LongHashMap} from timer id to correlation
 *       id); the handler removes the expired id's entry and hands its object on, as {@code pollTimingWheel}'s
 *       handler receives its payload</td></tr>
 *   <tr><td>{@code drainFloor}</td><td>not a timer: the least that any wheel handing over a payload per
 *       expiry must do, with every tick's timers already in one contiguous array of node indices (the
 *       layout of Agrona's spokes): for each of the {@value #N} nodes in deadline order (a random
 *       permutation of their indices, since the timers were scheduled in random deadline order), read its
 *       payload, clear it, advance its generation word (so its handle goes stale) and hand the payload
 *       on; the same three parallel arrays (16 B per node) as {@code TimingWheel}'s. No linked list, no
 *       cascade: the floor of the per-tick-array design the issue proposes</td></tr>
 *   <tr><td>{@code chaseFloor}</td><td>the same work on the same arrays, but the nodes are found by
 *       following a next index kept in each node's link word (one list in deadline order, as the due list
 *       that {@code TimingWheel}'s drain walks): each node's address comes from the previous node's load.
 *       Beside {@code drainFloor}, what the linked layout costs by itself</td></tr>
 *   <tr><td>{@code claimFloor}</td><td>not a timer: the least that any thread-safe timer must do to expire
 *       {@value #N} due timeouts with "exactly one of run and cancel": for each of {@value #N} timeout
 *       objects (a timer reference, a task and a state word: 32 B, as {@code WheelTimer}'s, allocated in order as {@code newTimeout} allocates them)
 *       in an array, win the claim with one CAS on its word and run its task, the same task as the
 *       {@code expire*} rows' (an {@code AtomicInteger} increment). On this thread, no wheel, no worker</td></tr>
 *   <tr><td>{@code expireFloor}</td><td>{@code claimFloor} plus taking each timeout out of a contiguous
 *       array (its cell cleared), as an array-bucket wheel holds one tick's timeouts: the floor of any
 *       wheel-based thread-safe timer's expiry</td></tr>
 *   <tr><td>{@code linkedExpireFloor}</td><td>the same with the timeouts found through a next link in
 *       each (one list in order, as {@code WheelTimer}'s due list), each unlinked before its claim: the
 *       floor of a linked wheel's expiry</td></tr>
 *   <tr><td>{@code expireWheelTimer}</td><td>{@link WheelTimer}, 1 ms tick: {@value #N} timeouts
 *       scheduled for one deadline 1 s ahead before the measurement (they are in the worker's wheel when they come
 *       due); measured from the first task's run to the last's: the worker's expiry and task runs</td></tr>
 *   <tr><td>{@code workerExpireFloor}</td><td>{@code linkedExpireFloor} done by a worker thread on
 *       timeouts the benchmark thread allocated, timed as the {@code expire*} rows are (from the first
 *       task's run to the last's): the floor of a worker-thread timer's expiry in this harness</td></tr>
 *   <tr><td>{@code expireWheelTimerManual}</td><td>the same expiry in {@link WheelTimer#manual} mode: one
 *       {@code advance()} on the benchmark thread expires and runs the {@value #N} due timeouts (their
 *       cascade done in the setup): the worker's code path without a second thread</td></tr>
 *   <tr><td>{@code expireNetty}</td><td>the same with Netty's {@link HashedWheelTimer}, 1 ms tick, 512
 *       buckets</td></tr>
 * </table>
 *
 * <p>Run: {@code bench/run ExpiryBench -prof gc} (about 2 minutes).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ExpiryBench {

    static final int N = 1_000_000;
    static final long MS = 1_000_000L;
    static final long DELAY_MS = 1_000;

    /** Owner-thread wheels loaded with N due timers before each measured call. */
    @State(Scope.Thread)
    public static class Loaded {
        TimingWheel<Object> wheel;
        DeadlineTimerWheel agrona;
        DeadlineTimerWheel agronaMapped;
        Long2ObjectHashMap<Object> byTimerId;
        Object last;
        /** 4,096 distinct payloads (a user's timers carry distinct objects; few, so they stay in cache). */
        final Object[] payloads = new Object[4096];
        long start;

        {
            for (int i = 0; i < payloads.length; i++) {
                payloads[i] = new Object();
            }
        }
        int count;
        final TimingWheel.ExpiryHandler<Object> handler = (h, p) -> {
            last = p;
            count++;
        };
        final DeadlineTimerWheel.TimerHandler agronaHandler = (u, now, id) -> {
            count++;
            return true;
        };
        final DeadlineTimerWheel.TimerHandler agronaMappedHandler = (u, now, id) -> {
            last = byTimerId.remove(id);
            count++;
            return true;
        };

        /** Loads only the structure the benchmark uses (the others are dropped, so they take no cache). */
        @Setup(Level.Invocation)
        public void load(BenchmarkParams params) {
            String b = params.getBenchmark();
            wheel = null;
            agrona = null;
            agronaMapped = null;
            byTimerId = null;
            start = System.nanoTime();
            if (b.endsWith("TimingWheel")) {
                wheel = new TimingWheel<>(start, MS, 6, 5, N);
            } else if (b.endsWith("AgronaMapped")) {
                agronaMapped = new DeadlineTimerWheel(TimeUnit.MILLISECONDS, start / MS, 1, 1024, 1024);
                byTimerId = new Long2ObjectHashMap<>(2 * N, 0.65f);
            } else {
                agrona = new DeadlineTimerWheel(TimeUnit.MILLISECONDS, start / MS, 1, 1024, 1024);
            }
            SplittableRandom rnd = new SplittableRandom(3);
            for (int i = 0; i < N; i++) {
                long d = start + rnd.nextLong(0, 1_000L * MS);
                Object p = payloads[i & (payloads.length - 1)];
                if (wheel != null) {
                    wheel.schedule(d, p);
                } else if (agronaMapped != null) {
                    byTimerId.put(agronaMapped.scheduleTimer(d / MS), p);
                } else {
                    agrona.scheduleTimer(d / MS);
                }
            }
            count = 0;
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int pollTimingWheel(Loaded s) {
        s.wheel.poll(s.start + 2_000L * MS, s.handler, Integer.MAX_VALUE);
        return s.count;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int pollAgrona(Loaded s) {
        long now = (s.start + 2_000L * MS) / MS;
        while (s.agrona.timerCount() > 0) {
            s.agrona.poll(now, s.agronaHandler, Integer.MAX_VALUE);
        }
        return s.count;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int pollAgronaMapped(Loaded s) {
        long now = (s.start + 2_000L * MS) / MS;
        while (s.agronaMapped.timerCount() > 0) {
            s.agronaMapped.poll(now, s.agronaMappedHandler, Integer.MAX_VALUE);
        }
        return s.count;
    }

    static final int END = (1 << 24) - 1;

    /** The floor's arrays: built once (a trial), reset before each measured call. */
    @State(Scope.Thread)
    public static class Floor {
        long[] links;
        int[] ticks;
        Object[] payloads;
        int[] order;
        int head;
        final Object[] objects = new Object[4096];
        Object last;

        @Setup
        public void build() {
            links = new long[N];
            ticks = new int[N];
            payloads = new Object[N];
            for (int i = 0; i < objects.length; i++) {
                objects[i] = new Object();
            }
            // node i gets deadline tick d(i); the drain order is the nodes sorted by deadline tick
            SplittableRandom rnd = new SplittableRandom(3);
            long[] keyed = new long[N];
            for (int i = 0; i < N; i++) {
                long d = rnd.nextLong(0, 1_000L);
                ticks[i] = (int) d;
                keyed[i] = (d << 32) | i;
            }
            java.util.Arrays.sort(keyed);
            order = new int[N];
            for (int k = 0; k < N; k++) {
                order[k] = (int) keyed[k];
            }
            // chaseFloor's list: each node's low 24 bits name the next node in deadline order
            for (int k = 0; k < N; k++) {
                links[order[k]] = k + 1 < N ? order[k + 1] : END;
            }
            head = order[0];
        }

        @Setup(Level.Invocation)
        public void reset() {
            for (int i = 0; i < N; i++) {
                payloads[i] = objects[i & (objects.length - 1)];
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int drainFloor(Floor f) {
        long[] links = f.links;
        Object[] payloads = f.payloads;
        int[] order = f.order;
        int n = 0;
        for (int k = 0; k < order.length; k++) {
            int i = order[k];
            Object p = payloads[i];
            payloads[i] = null;
            links[i] += 1L << 48;
            f.last = p;
            n++;
        }
        return n;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int chaseFloor(Floor f) {
        long[] links = f.links;
        Object[] payloads = f.payloads;
        int n = 0;
        for (int i = f.head; i != END; ) {
            Object p = payloads[i];
            payloads[i] = null;
            long l = links[i];
            links[i] = l + (1L << 48);
            f.last = p;
            n++;
            i = (int) (l & END);
        }
        return n;
    }

    /** The claim floor's timeouts: built once (a trial), their words reset before each measured call. */
    @State(Scope.Thread)
    public static class Claims {
        final AtomicInteger ran = new AtomicInteger();
        FloorTimeout[] timeouts;
        /** expireFloor's tick array: refilled with {@code timeouts} before each call. */
        FloorTimeout[] cells;
        /** linkedExpireFloor's list: {@code timeouts} in order, linked again before each call. */
        FloorTimeout head;

        @Setup
        public void build() {
            Runnable task = ran::incrementAndGet;
            timeouts = new FloorTimeout[N];
            for (int i = 0; i < N; i++) {
                timeouts[i] = new FloorTimeout(this, task, 0L);
            }
            cells = new FloorTimeout[N];
        }

        @Setup(Level.Invocation)
        public void reset() {
            for (FloorTimeout c : timeouts) {
                c.word = 0;
            }
            System.arraycopy(timeouts, 0, cells, 0, N);
            for (int i = 0; i < N - 1; i++) {
                timeouts[i].next = timeouts[i + 1];
            }
            head = timeouts[0];
            ran.set(0);
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int claimFloor(Claims c) {
        for (FloorTimeout t : c.timeouts) {
            if (FloorTimeout.WORD.compareAndSet(t, 0L, 2L)) {
                t.task.run();
            }
        }
        return c.ran.get();
    }

    /**
     * claimFloor plus the least a wheel does per due timeout besides: the timeouts sit in one contiguous
     * array, as an array-bucket wheel holds a tick's timeouts (the most favourable layout, no linked
     * nodes), and each is taken out of its cell (the cell cleared, so the wheel keeps no reference to it)
     * before the claim and the task.
     */
    @Benchmark
    @OperationsPerInvocation(N)
    public int expireFloor(Claims c) {
        FloorTimeout[] cells = c.cells;
        for (int k = 0; k < cells.length; k++) {
            FloorTimeout t = cells[k];
            cells[k] = null;
            if (FloorTimeout.WORD.compareAndSet(t, 0L, 2L)) {
                t.task.run();
            }
        }
        return c.ran.get();
    }

    /**
     * claimFloor with the timeouts found as a linked wheel finds them: a list through each timeout's own
     * next link (as {@code WheelTimer}'s due list), each one unlinked (its link cleared) before the claim
     * and the task.
     */
    @Benchmark
    @OperationsPerInvocation(N)
    public int linkedExpireFloor(Claims c) {
        FloorTimeout t = c.head;
        c.head = null;
        while (t != null) {
            FloorTimeout n = t.next;
            t.next = null;
            if (FloorTimeout.WORD.compareAndSet(t, 0L, 2L)) {
                t.task.run();
            }
            t = n;
        }
        return c.ran.get();
    }

    /**
     * One WheelTimer and one Netty timer per trial. Before each measured call, {@value #N} timeouts with one
     * deadline, {@value #DELAY_MS} ms after the setup starts, are scheduled on the timer the benchmark uses (the other stays idle),
     * and the setup waits until the first has run: the measured call then only waits until all have run,
     * so it times the worker expiring and running {@value #N} due timeouts (the reader checks every 0.1 ms,
     * so as not to contend with the worker's counter).
     */
    @State(Scope.Benchmark)
    public static class Timers {
        WheelTimer ours;
        HashedWheelTimer netty;
        final AtomicInteger ran = new AtomicInteger();
        final Runnable task = ran::incrementAndGet;
        final TimerTask nettyTask = t -> ran.incrementAndGet();

        @Setup
        public void setup() {
            ours = new WheelTimer(1, TimeUnit.MILLISECONDS);
            netty = new HashedWheelTimer(1, TimeUnit.MILLISECONDS, 512);
        }

        @Setup(Level.Invocation)
        public void load(BenchmarkParams params) {
            ran.set(0);
            boolean isNetty = params.getBenchmark().endsWith("Netty");
            long due = System.nanoTime() + DELAY_MS * MS;    // one deadline for all: they come due together
            for (int i = 0; i < N; i++) {
                long delay = due - System.nanoTime();
                if (isNetty) {
                    netty.newTimeout(nettyTask, delay, TimeUnit.NANOSECONDS);
                } else {
                    ours.newTimeout(task, delay, TimeUnit.NANOSECONDS);
                }
            }
            while (ran.get() == 0) {
                LockSupport.parkNanos(100_000);
            }
        }

        @TearDown
        public void tearDown() {
            ours.stop();
            netty.stop();
        }
    }

    /**
     * A manual-mode {@link WheelTimer} (no worker: {@code advance()} does the worker's work on the calling
     * thread), a fresh one per measured call: {@value #N} timeouts with one deadline {@value #DELAY_MS} ms
     * ahead, and the clock advanced in the setup to one tick before it (with enough {@code advance()} calls
     * to take every queued timeout into the wheel), so that their take-in and cascade to level 0 are done
     * before the measurement.
     */
    @State(Scope.Thread)
    public static class Manual {
        final AtomicInteger ran = new AtomicInteger();
        final Runnable task = ran::incrementAndGet;
        long now;
        WheelTimer timer;

        @Setup(Level.Invocation)
        public void load() {
            ran.set(0);
            now = 0;
            timer = WheelTimer.manual(() -> now, MS, 0);
            for (int i = 0; i < N; i++) {
                timer.newTimeout(task, DELAY_MS * MS, TimeUnit.NANOSECONDS);
            }
            now = (DELAY_MS - 1) * MS;
            for (int i = 0; i <= N / 100_000; i++) {
                timer.advance();                     // each takes in at most 100,000 queued timeouts
            }
            now = DELAY_MS * MS;
        }

        @TearDown(Level.Invocation)
        public void tearDown() {
            timer.stop();
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int expireWheelTimerManual(Manual m) {
        int n = m.timer.advance();
        if (n != N || m.ran.get() != N) {
            throw new IllegalStateException("advance() expired " + n + " and ran " + m.ran.get() + " of " + N);
        }
        return n;
    }

    /**
     * linkedExpireFloor's work on a worker thread, set up and measured as the {@code expire*} rows are: before
     * each measured call the benchmark thread allocates {@value #N} timeout-shaped objects (as its
     * {@code newTimeout}s do) and starts a worker, which links them into one list (as a timer's worker
     * takes each timeout in), waits 100 ms, then unlinks, claims and runs each in order; the setup waits
     * until the first has run, the measured call until the last has (checking every 0.1 ms). Nothing of a
     * timer but that: no queue, no wheel, no count.
     */
    @State(Scope.Benchmark)
    public static class WorkerFloor {
        final AtomicInteger ran = new AtomicInteger();
        Thread worker;

        @Setup(Level.Invocation)
        public void load() {
            ran.set(0);
            Runnable task = ran::incrementAndGet;
            FloorTimeout[] ts = new FloorTimeout[N];
            for (int i = 0; i < N; i++) {
                ts[i] = new FloorTimeout(this, task, 0L);
            }
            worker = new Thread(() -> linkWaitExpire(ts), "expire-floor-worker");
            worker.start();
            while (ran.get() == 0) {
                LockSupport.parkNanos(100_000);
            }
        }

        @TearDown(Level.Invocation)
        public void join() throws InterruptedException {
            worker.join();
        }
    }

    static void linkWaitExpire(FloorTimeout[] ts) {
        for (int i = 0; i < ts.length - 1; i++) {
            ts[i].next = ts[i + 1];
        }
        FloorTimeout t = ts[0];
        LockSupport.parkNanos(100 * MS);
        while (t != null) {
            FloorTimeout n = t.next;
            t.next = null;
            if (FloorTimeout.WORD.compareAndSet(t, 0L, 2L)) {
                t.task.run();
            }
            t = n;
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int workerExpireFloor(WorkerFloor w) {
        return awaitAll(w.ran);
    }

    static int awaitAll(AtomicInteger ran) {
        int n;
        while ((n = ran.get()) < N) {
            LockSupport.parkNanos(100_000);
        }
        return n;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int expireWheelTimer(Timers s) {
        return awaitAll(s.ran);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int expireNetty(Timers s) {
        return awaitAll(s.ran);
    }
}
