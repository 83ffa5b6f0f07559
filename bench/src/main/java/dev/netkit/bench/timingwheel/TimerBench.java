package dev.netkit.bench.timingwheel;

import dev.netkit.timingwheel.Timeout;
import dev.netkit.timingwheel.TimingWheel;
import dev.netkit.timingwheel.WheelTimer;
import io.netty.util.HashedWheelTimer;
import io.netty.util.TimerTask;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.agrona.DeadlineTimerWheel;
import org.agrona.collections.Long2ObjectHashMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Schedule + cancel of one 5-minute timer with {@value #PENDING} others pending (deadlines spread over
 * 10 minutes), and touch, for {@link TimingWheel} and {@link WheelTimer} beside Agrona's
 * {@link DeadlineTimerWheel}, Netty's {@link HashedWheelTimer} and the JDK's
 * {@link ScheduledThreadPoolExecutor} (with {@code setRemoveOnCancelPolicy(true)}). All at a 1 ms tick
 * (Agrona: a 1 ms tick resolution in {@code MILLISECONDS}, 1,024 ticks per wheel). Average time, ns/op;
 * run with {@code -prof gc} and read {@code gc.alloc.rate.norm} (B/op).
 *
 * <table>
 *   <caption>Benchmarks</caption>
 *   <tr><th>method</th><th>what one op is</th></tr>
 *   <tr><td>{@code scheduleCancelTimingWheel}</td><td>{@code schedule(now + 5 min)}, {@code cancel(handle)}
 *       on the owner thread</td></tr>
 *   <tr><td>{@code scheduleCancelAgrona}</td><td>{@code scheduleTimer(now + 5 min)},
 *       {@code cancelTimer(id)}</td></tr>
 *   <tr><td>{@code scheduleCancelAgronaSized}</td><td>{@code scheduleCancelAgrona} on a wheel of
 *       {@code agronaTicks} ticks (1,024, 16,384, 131,072; {@code -p agronaTicks=...}) with the same
 *       {@value #PENDING} timers pending: Agrona's {@code scheduleTimer} scans its spoke's array from the start
 *       for a free cell, so at 1,024 ticks (about 98 pending timers a spoke) it scans about 98 deadlines per
 *       call, and a user who sizes the wheel for the load spends memory to shorten that scan (its spokes
 *       start at 16 cells each: 131,072 ticks hold 16 MiB of deadlines whatever the count)</td></tr>
 *   <tr><td>{@code scheduleCancelAgronaMapped}</td><td>Agrona as its users use it: its timer id carries
 *       no payload, so the user maps it to its own object ({@code Long2ObjectHashMap}, as Aeron Cluster's
 *       {@code WheelTimerService} maps timer ids to correlation ids): {@code scheduleTimer} + {@code put},
 *       {@code cancelTimer} + {@code remove}, beside {@value #PENDING} pending timers with their entries</td></tr>
 *   <tr><td>{@code scheduleCancelNettyCallerSide}</td><td>{@code newTimeout(task, 5 min)}, {@code cancel()};
 *       the caller's cost only (the worker inserts and removes on the other core)</td></tr>
 *   <tr><td>{@code scheduleCancelWheelTimerCallerSide}</td><td>the same on {@link WheelTimer}</td></tr>
 *   <tr><td>{@code scheduleCancelStpe}</td><td>{@code schedule(task, 5 min)}, {@code cancel(false)}</td></tr>
 *   <tr><td>{@code endToEndNetty}, {@code endToEndWheelTimer}</td><td>the same pair, but each batch of
 *       {@value #BATCH} pairs ends with a delay-0 sentinel timeout the caller waits for, so the time
 *       includes the worker's insertion and removal of every timeout (plus at most one tick of waiting per
 *       batch, the same for both)</td></tr>
 *   <tr><td>{@code callerFloor}</td><td>not a timer: the least that a thread-safe timer's caller does for
 *       one schedule + cancel: read the clock ({@code System.nanoTime}), allocate a 32 B timeout (timer,
 *       task, state word), take a slot in an MPSC hand-off with one atomic increment and publish the
 *       timeout there (release store into a 65,536-entry ring that nobody consumes), then claim it with
 *       one CAS, as cancel does. No consumer, no pending count, no wake-up check</td></tr>
 *   <tr><td>{@code scheduleCancelLinkFloor}</td><td>not a timer: the floor of {@code TimingWheel}'s
 *       linked design, its node work alone for the same schedule + cancel on flat arrays (see
 *       {@link LinkFloor})</td></tr>
 *   <tr><td>{@code scheduleCancelBucketFloor}</td><td>not a timer: the same floor for an array-bucket
 *       design (a dense array of node indices per slot, swap-remove on cancel; see {@link BucketFloor})</td></tr>
 *   <tr><td>{@code scheduleCancelLinkFloorExact}, {@code scheduleCancelBucketFloorExact}</td><td>the two
 *       floors with the deadline's tick computed exactly, as a wheel that never expires a timer early must
 *       (see {@link #exactTick})</td></tr>
 *   <tr><td>{@code callerFloorCounted}</td><td>{@code callerFloor} plus the exact pending count that
 *       {@code WheelTimer} keeps (and {@code pendingTimeouts()}, {@code maxPending} and its sweeps need): an
 *       increment before the hand-off and a decrement after the winning claim, on padding's
 *       {@code StripedCounter} shared cells as {@code WheelTimer}'s callers use it</td></tr>
 *   <tr><td>{@code touchTimingWheel}</td><td>{@code touch(handle, new deadline)} of a pending timer,
 *       alternating between two deadlines 5 minutes out</td></tr>
 *   <tr><td>{@code touchAgronaCancelSchedule}</td><td>Agrona has no touch: cancel + schedule</td></tr>
 *   <tr><td>{@code touchAgronaMapped}</td><td>the same with the user's map: the old id's entry removed,
 *       the new id's put</td></tr>
 * </table>
 *
 * <p>Run: {@code bench/run TimerBench -prof gc} (about 5 minutes a fork).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class TimerBench {

    static final int PENDING = 100_000;
    static final int BATCH = 65_536;
    static final long MS = 1_000_000L;
    static final long FIVE_MIN = 300_000L * MS;
    static final Runnable TASK = () -> { };
    static final TimerTask NETTY_TASK = t -> { };

    /** The owner-thread wheels: ours and Agrona's, each with {@value #PENDING} timers pending. */
    @State(Scope.Thread)
    public static class Wheels {
        TimingWheel<Object> wheel;
        DeadlineTimerWheel agrona;
        DeadlineTimerWheel agronaMapped;
        Long2ObjectHashMap<Object> byTimerId;
        long agronaMappedTouchId;
        final Object payload = new Object();
        long now;
        long touchHandle;
        long agronaTouchId;
        boolean flip;

        @Setup
        public void setup() {
            now = System.nanoTime();
            wheel = new TimingWheel<>(now, MS);
            agrona = new DeadlineTimerWheel(TimeUnit.MILLISECONDS, now / MS, 1, 1024);
            agronaMapped = new DeadlineTimerWheel(TimeUnit.MILLISECONDS, now / MS, 1, 1024);
            byTimerId = new Long2ObjectHashMap<>();
            SplittableRandom rnd = new SplittableRandom(1);
            for (int i = 0; i < PENDING; i++) {
                long d = now + rnd.nextLong(1, 600_000L * MS);
                wheel.schedule(d, payload);
                agrona.scheduleTimer(d / MS);
                byTimerId.put(agronaMapped.scheduleTimer(d / MS), payload);
            }
            touchHandle = wheel.schedule(now + FIVE_MIN, payload);
            agronaTouchId = agrona.scheduleTimer((now + FIVE_MIN) / MS);
            agronaMappedTouchId = agronaMapped.scheduleTimer((now + FIVE_MIN) / MS);
            byTimerId.put(agronaMappedTouchId, payload);
        }
    }

    @Benchmark
    public boolean scheduleCancelTimingWheel(Wheels s) {
        return s.wheel.cancel(s.wheel.schedule(s.now + FIVE_MIN, s.payload));
    }

    @Benchmark
    public boolean scheduleCancelAgrona(Wheels s) {
        return s.agrona.cancelTimer(s.agrona.scheduleTimer((s.now + FIVE_MIN) / MS));
    }

    /** Agrona's wheel alone, sized by {@link #agronaTicks}, with the same pending timers as {@link Wheels}. */
    @State(Scope.Thread)
    public static class SizedAgrona {
        /** Ticks per wheel (spokes), a power of two. */
        @Param({"1024", "16384", "131072"})
        public int agronaTicks;
        DeadlineTimerWheel agrona;
        long now;

        /** Fills the wheel with the same {@value #PENDING} deadlines as {@link Wheels}. */
        @Setup
        public void setup() {
            now = System.nanoTime();
            agrona = new DeadlineTimerWheel(TimeUnit.MILLISECONDS, now / MS, 1, agronaTicks);
            SplittableRandom rnd = new SplittableRandom(1);
            for (int i = 0; i < PENDING; i++) {
                agrona.scheduleTimer((now + rnd.nextLong(1, 600_000L * MS)) / MS);
            }
            agrona.scheduleTimer((now + FIVE_MIN) / MS);
        }
    }

    @Benchmark
    public boolean scheduleCancelAgronaSized(SizedAgrona s) {
        return s.agrona.cancelTimer(s.agrona.scheduleTimer((s.now + FIVE_MIN) / MS));
    }

    @Benchmark
    public boolean scheduleCancelAgronaMapped(Wheels s) {
        long id = s.agronaMapped.scheduleTimer((s.now + FIVE_MIN) / MS);
        s.byTimerId.put(id, s.payload);
        boolean cancelled = s.agronaMapped.cancelTimer(id);
        s.byTimerId.remove(id);
        return cancelled;
    }

    /**
     * The floor of a linked wheel's schedule + cancel: {@code TimingWheel}'s node work alone on flat arrays
     * (a {@code long} link word with next, prev and a 16-bit generation, an {@code int} tick and a payload
     * per node; 64 slot sentinels per level, 5 levels, an occupancy bitmap per level, a free list), with
     * {@value #PENDING} nodes linked in random slots. No chunk directory, no past-deadline or clamp check, no
     * argument or handle-range check, no overflow: the deadline's tick comes from one multiply.
     */
    @State(Scope.Thread)
    public static class LinkFloor {
        static final int SENTINELS = 1 + 5 * 64;
        long[] link;
        int[] tick;
        Object[] payload;
        final long[] occupied = new long[5];
        int freeHead;
        long cur;
        long origin;
        final long tickNanos = MS;
        final double invTick = 1.0 / MS;
        final Object p = new Object();
        long now;

        @Setup
        public void setup() {
            now = System.nanoTime();
            origin = now;
            int n = SENTINELS + PENDING + 1_024;
            link = new long[n];
            tick = new int[n];
            payload = new Object[n];
            for (int s = 0; s < SENTINELS; s++) {
                link[s] = pack(s, s, 0);
            }
            for (int i = SENTINELS; i < n; i++) {
                link[i] = pack(i + 1 < n ? i + 1 : i, 0, 0);          // the free list, ended by a self-link
            }
            freeHead = SENTINELS;
            SplittableRandom rnd = new SplittableRandom(1);
            for (int i = 0; i < PENDING; i++) {
                schedule(now + rnd.nextLong(1, 600_000L * MS), p);
            }
        }

        static long pack(int next, int prev, int gen) {
            return (next & 0xFFFFFFL) | ((prev & 0xFFFFFFL) << 24) | ((long) gen << 48);
        }

        long schedule(long deadlineNanos, Object x) {
            return scheduleTick((long) ((deadlineNanos - origin) * invTick), x);
        }

        long scheduleTick(long d, Object x) {
            int level = (63 - Long.numberOfLeadingZeros(d ^ cur)) / 6;
            int slot = (int) (d >>> (level * 6)) & 63;
            int s = 1 + (level << 6) + slot;
            int i = freeHead;
            long li = link[i];
            freeHead = (int) (li & 0xFFFFFF);
            int gen = (int) (li >>> 48);
            payload[i] = x;
            tick[i] = (int) d;
            long ls = link[s];
            int prev = (int) ((ls >>> 24) & 0xFFFFFF);
            link[i] = pack(s, prev, gen);
            link[prev] = (link[prev] & ~0xFFFFFFL) | i;
            link[s] = (ls & ~(0xFFFFFFL << 24)) | ((long) i << 24);
            occupied[level] |= 1L << slot;
            return ((long) gen << 24) | i;
        }

        boolean cancel(long handle) {
            int i = (int) (handle & 0xFFFFFF);
            long li = link[i];
            if ((int) (li >>> 48) != (int) (handle >>> 24)) {
                return false;
            }
            int next = (int) (li & 0xFFFFFF);
            int prev = (int) ((li >>> 24) & 0xFFFFFF);
            link[prev] = (link[prev] & ~0xFFFFFFL) | next;
            link[next] = (link[next] & ~(0xFFFFFFL << 24)) | ((long) prev << 24);
            if (next == prev && next < SENTINELS) {
                int s = next - 1;
                occupied[s >> 6] &= ~(1L << (s & 63));
            }
            link[i] = pack(freeHead, 0, ((int) (li >>> 48) + 1) & 0xFFFF);
            payload[i] = null;
            freeHead = i;
            return true;
        }
    }

    @Benchmark
    public boolean scheduleCancelLinkFloor(LinkFloor s) {
        return s.cancel(s.schedule(s.now + FIVE_MIN, s.p));
    }

    /** {@code scheduleCancelLinkFloor} with the deadline's tick computed exactly (see {@link #exactTick}). */
    @Benchmark
    public boolean scheduleCancelLinkFloorExact(LinkFloor s) {
        return s.cancel(s.scheduleTick(exactTick(s.now + FIVE_MIN - s.origin, s.tickNanos, s.invTick), s.p));
    }

    /**
     * The first tick boundary at or after an offset {@code off} (0 < off < 2^52) from the origin, exactly: the
     * least a wheel that never expires a timer early must compute where the floors use one truncating
     * multiply (which gives the tick before the deadline for an offset between two boundaries, and can be
     * one off either way at a boundary). The cheapest exact form found: {@code TimingWheel}'s, a double-multiply estimate
     * corrected by the integer remainder (a 64-bit division costs more).
     */
    static long exactTick(long off, long tickNanos, double invTick) {
        long q = (long) (off * invTick);
        long r = off - q * tickNanos;
        while (r < 0) {
            q--;
            r += tickNanos;
        }
        while (r >= tickNanos) {
            q++;
            r -= tickNanos;
        }
        return r == 0 ? q : q + 1;
    }

    /**
     * The floor of the other design the issue names, array buckets (Agrona's spokes, with O(1) insertion
     * instead of a scan for a free cell): the node work alone on flat arrays. Each of the 5 * 64 slots holds
     * a dense {@code int[]} of node indices and a count; a node has a word (a 16-bit generation, its slot and
     * its position in the slot's array; for a free node the free-list link), an {@code int} tick and a
     * payload. Schedule pops a free node and appends it to its slot; cancel checks the generation, moves
     * the slot's last index into the freed position (updating that node's word), and frees the node.
     * {@value #PENDING} nodes sit in random slots. No chunk directory, no past-deadline or clamp check, no
     * argument or handle-range check, no overflow: the deadline's tick comes from one multiply.
     */
    @State(Scope.Thread)
    public static class BucketFloor {
        static final int SLOTS = 5 * 64;
        final int[][] bucket = new int[SLOTS][];
        final int[] count = new int[SLOTS];
        long[] word;
        int[] tick;
        Object[] payload;
        final long[] occupied = new long[5];
        int freeHead;
        long cur;
        long origin;
        final long tickNanos = MS;
        final double invTick = 1.0 / MS;
        final Object p = new Object();
        long now;

        @Setup
        public void setup() {
            now = System.nanoTime();
            origin = now;
            int n = PENDING + 1_024;
            word = new long[n];
            tick = new int[n];
            payload = new Object[n];
            for (int s = 0; s < SLOTS; s++) {
                bucket[s] = new int[16];
            }
            for (int i = 0; i < n; i++) {
                word[i] = i + 1 < n ? i + 1 : i;                      // the free list
            }
            SplittableRandom rnd = new SplittableRandom(1);
            for (int i = 0; i < PENDING; i++) {
                schedule(now + rnd.nextLong(1, 600_000L * MS), p);
            }
        }

        long schedule(long deadlineNanos, Object x) {
            return scheduleTick((long) ((deadlineNanos - origin) * invTick), x);
        }

        long scheduleTick(long d, Object x) {
            int level = (63 - Long.numberOfLeadingZeros(d ^ cur)) / 6;
            int slot = (int) (d >>> (level * 6)) & 63;
            int s = (level << 6) + slot;
            int i = freeHead;
            long wi = word[i];
            freeHead = (int) (wi & 0xFFFFFF);
            int gen = (int) (wi >>> 48);
            payload[i] = x;
            tick[i] = (int) d;
            int c = count[s];
            int[] b = bucket[s];
            if (c == b.length) {
                b = bucket[s] = Arrays.copyOf(b, 2 * c);
            }
            b[c] = i;
            count[s] = c + 1;
            word[i] = ((long) gen << 48) | ((long) s << 24) | c;
            occupied[level] |= 1L << slot;
            return ((long) gen << 24) | i;
        }

        boolean cancel(long handle) {
            int i = (int) (handle & 0xFFFFFF);
            long wi = word[i];
            int gen = (int) (wi >>> 48);
            if (gen != (int) (handle >>> 24)) {
                return false;
            }
            int s = (int) ((wi >>> 24) & 0xFFFFFF);
            int pos = (int) (wi & 0xFFFFFF);
            int c = count[s] - 1;
            count[s] = c;
            int[] b = bucket[s];
            int last = b[c];
            b[pos] = last;
            word[last] = (word[last] & ~0xFFFFFFL) | pos;
            if (c == 0) {
                occupied[s >> 6] &= ~(1L << (s & 63));
            }
            word[i] = ((long) ((gen + 1) & 0xFFFF) << 48) | freeHead;
            payload[i] = null;
            freeHead = i;
            return true;
        }
    }

    @Benchmark
    public boolean scheduleCancelBucketFloor(BucketFloor s) {
        return s.cancel(s.schedule(s.now + FIVE_MIN, s.p));
    }

    /** {@code scheduleCancelBucketFloor} with the deadline's tick computed exactly (see {@link #exactTick}). */
    @Benchmark
    public boolean scheduleCancelBucketFloorExact(BucketFloor s) {
        return s.cancel(s.scheduleTick(exactTick(s.now + FIVE_MIN - s.origin, s.tickNanos, s.invTick), s.p));
    }

    @Benchmark
    public boolean touchTimingWheel(Wheels s) {
        s.flip = !s.flip;
        return s.wheel.touch(s.touchHandle, s.now + FIVE_MIN + (s.flip ? 7 * MS : 0));
    }

    @Benchmark
    public long touchAgronaCancelSchedule(Wheels s) {
        s.flip = !s.flip;
        s.agrona.cancelTimer(s.agronaTouchId);
        return s.agronaTouchId = s.agrona.scheduleTimer((s.now + FIVE_MIN) / MS + (s.flip ? 7 : 0));
    }

    @Benchmark
    public long touchAgronaMapped(Wheels s) {
        s.flip = !s.flip;
        s.agronaMapped.cancelTimer(s.agronaMappedTouchId);
        Object p = s.byTimerId.remove(s.agronaMappedTouchId);
        long id = s.agronaMapped.scheduleTimer((s.now + FIVE_MIN) / MS + (s.flip ? 7 : 0));
        s.byTimerId.put(id, p);
        return s.agronaMappedTouchId = id;
    }

    /** Netty's HashedWheelTimer, 1 ms tick, 512 buckets, {@value #PENDING} timeouts pending. */
    @State(Scope.Benchmark)
    public static class Netty {
        HashedWheelTimer timer;

        @Setup
        public void setup() {
            timer = new HashedWheelTimer(1, TimeUnit.MILLISECONDS, 512);
            SplittableRandom rnd = new SplittableRandom(1);
            for (int i = 0; i < PENDING; i++) {
                timer.newTimeout(NETTY_TASK, rnd.nextLong(1, 600_000L), TimeUnit.MILLISECONDS);
            }
        }

        @TearDown
        public void tearDown() {
            timer.stop();
        }
    }

    /** Our WheelTimer, 1 ms tick, {@value #PENDING} timeouts pending. */
    @State(Scope.Benchmark)
    public static class Ours {
        WheelTimer timer;

        @Setup
        public void setup() {
            timer = new WheelTimer(1, TimeUnit.MILLISECONDS);
            SplittableRandom rnd = new SplittableRandom(1);
            for (int i = 0; i < PENDING; i++) {
                timer.newTimeout(TASK, rnd.nextLong(1, 600_000L), TimeUnit.MILLISECONDS);
            }
        }

        @TearDown
        public void tearDown() {
            timer.stop();
        }
    }

    /** The JDK's ScheduledThreadPoolExecutor, one thread, remove-on-cancel, {@value #PENDING} tasks pending. */
    @State(Scope.Benchmark)
    public static class Stpe {
        ScheduledThreadPoolExecutor exec;

        @Setup
        public void setup() {
            exec = new ScheduledThreadPoolExecutor(1);
            exec.setRemoveOnCancelPolicy(true);
            SplittableRandom rnd = new SplittableRandom(1);
            for (int i = 0; i < PENDING; i++) {
                exec.schedule(TASK, rnd.nextLong(1, 600_000L), TimeUnit.MILLISECONDS);
            }
        }

        @TearDown
        public void tearDown() {
            exec.shutdownNow();
        }
    }

    @Benchmark
    public boolean scheduleCancelNettyCallerSide(Netty s) {
        return s.timer.newTimeout(NETTY_TASK, 5, TimeUnit.MINUTES).cancel();
    }

    @Benchmark
    public boolean scheduleCancelWheelTimerCallerSide(Ours s) {
        return s.timer.newTimeout(TASK, 5, TimeUnit.MINUTES).cancel();
    }

    /** The caller floor's hand-off: a ring of timeouts that nobody consumes, and its producer index. */
    @State(Scope.Benchmark)
    public static class CallerFloor {
        static final java.lang.invoke.VarHandle SLOT = java.lang.invoke.MethodHandles.arrayElementVarHandle(Object[].class);

        final Object[] ring = new Object[65_536];
        final java.util.concurrent.atomic.AtomicLong producerIndex = new java.util.concurrent.atomic.AtomicLong();
    }

    @Benchmark
    public boolean callerFloor(CallerFloor s) {
        long deadline = System.nanoTime() + FIVE_MIN;
        FloorTimeout t = new FloorTimeout(s, TASK, deadline << 3);
        long i = s.producerIndex.getAndIncrement();
        CallerFloor.SLOT.setRelease(s.ring, (int) i & (s.ring.length - 1), t);
        long w = t.word;
        return FloorTimeout.WORD.compareAndSet(t, w, w | 1L);
    }

    /** {@link #callerFloor}'s hand-off plus an exact pending count as WheelTimer keeps it. */
    @State(Scope.Benchmark)
    public static class CountedFloor extends CallerFloor {
        final dev.netkit.padding.StripedCounter pending = new dev.netkit.padding.StripedCounter(1);
    }

    @Benchmark
    public boolean callerFloorCounted(CountedFloor s) {
        long deadline = System.nanoTime() + FIVE_MIN;
        FloorTimeout t = new FloorTimeout(s, TASK, deadline << 3);
        s.pending.increment();
        long i = s.producerIndex.getAndIncrement();
        CallerFloor.SLOT.setRelease(s.ring, (int) i & (s.ring.length - 1), t);
        long w = t.word;
        boolean won = FloorTimeout.WORD.compareAndSet(t, w, w | 1L);
        if (won) {
            s.pending.add(-1);
        }
        return won;
    }

    @Benchmark
    public boolean scheduleCancelStpe(Stpe s) {
        ScheduledFuture<?> f = s.exec.schedule(TASK, 5, TimeUnit.MINUTES);
        return f.cancel(false);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int endToEndNetty(Netty s) {
        int n = 0;
        for (int i = 0; i < BATCH; i++) {
            n += s.timer.newTimeout(NETTY_TASK, 5, TimeUnit.MINUTES).cancel() ? 1 : 0;
        }
        Flag done = new Flag();
        s.timer.newTimeout(t -> done.set = true, 0, TimeUnit.MILLISECONDS);
        while (!done.set) {
            Thread.onSpinWait();
        }
        return n;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int endToEndWheelTimer(Ours s) {
        int n = 0;
        for (int i = 0; i < BATCH; i++) {
            Timeout t = s.timer.newTimeout(TASK, 5, TimeUnit.MINUTES);
            n += t.cancel() ? 1 : 0;
        }
        Flag done = new Flag();
        s.timer.newTimeout(() -> done.set = true, 0, TimeUnit.MILLISECONDS);
        while (!done.set) {
            Thread.onSpinWait();
        }
        return n;
    }

    static final class Flag {
        volatile boolean set;
    }
}
