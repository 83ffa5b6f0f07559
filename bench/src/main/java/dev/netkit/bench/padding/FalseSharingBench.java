package dev.netkit.bench.padding;

import dev.netkit.padding.PaddedAtomicLong;
import dev.netkit.padding.StripedCounter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * False sharing: what it costs when threads that share no logical data write counters that share a
 * cache line, and what {@link PaddedAtomicLong} and {@link StripedCounter} buy back.
 *
 * <p>Each of the T benchmark threads takes its own index {@code i} in [0, T) once per trial and then
 * updates only its own counter. Nothing is logically shared except in the two baselines that say so:
 * <table>
 *   <caption>Variants (one {@code @Benchmark} method each)</caption>
 *   <tr><th>method</th><th>each thread updates</th><th>expect</th></tr>
 *   <tr><td>{@code adjacentAtomicLongArray}</td><td>{@code AtomicLongArray} slot {@code i}: 8 bytes from
 *       its neighbour's</td><td>false sharing</td></tr>
 *   <tr><td>{@code spacedAtomicLongArray}</td><td>slot {@code i*16 + 16}: 128 bytes from its neighbour's
 *       and from the array header</td><td>no false sharing (hand padding)</td></tr>
 *   <tr><td>{@code adjacentFields}</td><td>its own {@code volatile long} field {@code v<i>} of one
 *       object, fields 8 bytes apart, by {@code VarHandle.getAndAdd}</td><td>false sharing</td></tr>
 *   <tr><td>{@code paddedAtomicLong}</td><td>its own {@link PaddedAtomicLong} (all T allocated one after
 *       another), {@code getAndIncrement()}</td><td>no false sharing</td></tr>
 *   <tr><td>{@code stripedCounterOwned}</td><td>stripe {@code i} of one shared
 *       {@code StripedCounter(T)}, {@code increment(i)}: single writer, no CAS</td><td>fastest</td></tr>
 *   <tr><td>{@code stripedCounterShared}</td><td>one shared {@code StripedCounter},
 *       {@code increment()}: atomic add to a cell hashed from the thread id (two threads may hash to one
 *       cell, which then is truly shared)</td><td>near padded, depends on the hash</td></tr>
 *   <tr><td>{@code longAdder}</td><td>one shared {@link LongAdder}, {@code increment()}</td>
 *       <td>the JDK's answer</td></tr>
 *   <tr><td>{@code sharedAtomicLong}</td><td>one shared {@link AtomicLong}, {@code getAndIncrement()}:
 *       true sharing</td><td>contended baseline</td></tr>
 * </table>
 *
 * <p><b>Threads.</b> The thread count is JMH's {@code -t}, not a {@code @Param}; the class defaults to
 * {@code @Threads(2)} (one thread per core on the 2-core reference machine), because with one thread
 * there is nothing to share falsely. Every size that depends on it (the stripe count, the array
 * lengths) is taken from {@link BenchmarkParams#getThreads()} at setup. {@code adjacentFields} has
 * {@value #FIELDS} fields and fails with {@link IllegalStateException} on a thread index past that; the
 * other variants take any {@code -t}. Run with more threads than cores and the figures measure the
 * scheduler, not the cache.
 *
 * <p><b>Run</b> (from the repository root; the figures in {@code padding/README.md} come from this
 * command):
 * <pre>{@code bench/run FalseSharingBench -t 2 -prof gc}</pre>
 *
 * <p><b>Allocation.</b> No measured method allocates (check {@code gc.alloc.rate.norm} ≈ 0 B/op with
 * {@code -prof gc}). The shared cells of {@code StripedCounter}, allocated on first use, are touched in
 * setup. Methods return the value that {@code getAndIncrement} returns, so JMH consumes it; the
 * {@code void} ones end in an atomic or opaque store, which the JIT may not remove.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class FalseSharingBench {

    /** Fields in {@link AdjacentLongs}: the most threads {@code adjacentFields} supports. */
    public static final int FIELDS = 8;

    /** Longs between two spaced slots of an {@code AtomicLongArray}: 16 x 8 = 128 bytes. */
    static final int SPACING = 16;

    /** Creates the benchmark; JMH calls it. */
    public FalseSharingBench() {
    }

    /**
     * Everything the threads share: the counters of every variant (each benchmark run gets a fresh
     * instance, so each variant starts from zero), and the source of thread indices.
     */
    @State(Scope.Benchmark)
    public static class Shared {
        final AtomicInteger nextIndex = new AtomicInteger();
        int threads;
        AtomicLongArray adjacent;
        AtomicLongArray spaced;
        AdjacentLongs fields;
        PaddedAtomicLong[] padded;
        StripedCounter striped;
        LongAdder adder;
        AtomicLong atomic;

        /** Creates the state; JMH calls it. */
        public Shared() {
        }

        /**
         * Sizes everything from the thread count of this run.
         *
         * @param params the run's parameters; {@link BenchmarkParams#getThreads()} is T
         */
        @Setup(Level.Trial)
        public void setup(BenchmarkParams params) {
            threads = params.getThreads();
            adjacent = new AtomicLongArray(threads);
            // slots SPACING, 2*SPACING, ... T*SPACING, and SPACING longs of tail so the last one has 128
            // bytes after it as well; the header and length sit at least 128 bytes before slot SPACING
            spaced = new AtomicLongArray((threads + 2) * SPACING);
            fields = new AdjacentLongs();
            padded = new PaddedAtomicLong[threads];
            for (int i = 0; i < threads; i++) {
                padded[i] = new PaddedAtomicLong(); // consecutive allocations: heap neighbours
            }
            striped = new StripedCounter(threads);
            striped.add(0L); // allocate the shared cells now rather than in the first measured call
            adder = new LongAdder();
            atomic = new AtomicLong();
        }
    }

    /** One per benchmark thread: its index, taken once from {@link Shared#nextIndex}, and what follows. */
    @State(Scope.Thread)
    public static class Me {
        int index;
        int spacedSlot;
        PaddedAtomicLong padded;

        /** Creates the state; JMH calls it. */
        public Me() {
        }

        /**
         * Takes the next thread index.
         *
         * @param shared the run's shared state
         * @throws IllegalStateException if more thread states than threads ask for an index
         */
        @Setup(Level.Trial)
        public void setup(Shared shared) {
            index = shared.nextIndex.getAndIncrement();
            if (index >= shared.threads) {
                throw new IllegalStateException(
                        "thread index must be < threads (" + shared.threads + "), was " + index);
            }
            spacedSlot = index * SPACING + SPACING;
            padded = shared.padded[index];
        }
    }

    /**
     * {@value #FIELDS} {@code volatile long} fields in one object. HotSpot lays fields of one size out
     * together, so they sit 8 bytes apart and at most two cache lines hold all of them.
     */
    static final class AdjacentLongs {
        volatile long v0, v1, v2, v3, v4, v5, v6, v7;

        static final VarHandle V0, V1, V2, V3, V4, V5, V6, V7;
        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                V0 = l.findVarHandle(AdjacentLongs.class, "v0", long.class);
                V1 = l.findVarHandle(AdjacentLongs.class, "v1", long.class);
                V2 = l.findVarHandle(AdjacentLongs.class, "v2", long.class);
                V3 = l.findVarHandle(AdjacentLongs.class, "v3", long.class);
                V4 = l.findVarHandle(AdjacentLongs.class, "v4", long.class);
                V5 = l.findVarHandle(AdjacentLongs.class, "v5", long.class);
                V6 = l.findVarHandle(AdjacentLongs.class, "v6", long.class);
                V7 = l.findVarHandle(AdjacentLongs.class, "v7", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /**
         * {@code getAndAdd(1)} on field {@code v<i>}. A switch over static final handles, so each call
         * site is a constant VarHandle the JIT inlines; the branch is the same on every call of a thread.
         */
        long getAndIncrement(int i) {
            return switch (i) {
                case 0 -> (long) V0.getAndAdd(this, 1L);
                case 1 -> (long) V1.getAndAdd(this, 1L);
                case 2 -> (long) V2.getAndAdd(this, 1L);
                case 3 -> (long) V3.getAndAdd(this, 1L);
                case 4 -> (long) V4.getAndAdd(this, 1L);
                case 5 -> (long) V5.getAndAdd(this, 1L);
                case 6 -> (long) V6.getAndAdd(this, 1L);
                case 7 -> (long) V7.getAndAdd(this, 1L);
                default -> throw new IllegalStateException(
                        "adjacentFields has " + FIELDS + " fields, so thread index must be < " + FIELDS
                                + ", was " + i + " (run it with -t " + FIELDS + " or fewer)");
            };
        }
    }

    /**
     * Slot {@code i} of an {@code AtomicLongArray}, next to the other threads' slots.
     *
     * @param s shared state
     * @param me this thread's state
     * @return the slot's previous value
     */
    @Benchmark
    public long adjacentAtomicLongArray(Shared s, Me me) {
        return s.adjacent.getAndIncrement(me.index);
    }

    /**
     * Slot {@code i*16 + 16} of an {@code AtomicLongArray}: padded by hand.
     *
     * @param s shared state
     * @param me this thread's state
     * @return the slot's previous value
     */
    @Benchmark
    public long spacedAtomicLongArray(Shared s, Me me) {
        return s.spaced.getAndIncrement(me.spacedSlot);
    }

    /**
     * Field {@code v<i>} of one object, by {@code VarHandle.getAndAdd}.
     *
     * @param s shared state
     * @param me this thread's state
     * @return the field's previous value
     */
    @Benchmark
    public long adjacentFields(Shared s, Me me) {
        return s.fields.getAndIncrement(me.index);
    }

    /**
     * This thread's own {@link PaddedAtomicLong}.
     *
     * @param me this thread's state
     * @return the previous value
     */
    @Benchmark
    public long paddedAtomicLong(Me me) {
        return me.padded.getAndIncrement();
    }

    /**
     * Stripe {@code i} of a shared {@link StripedCounter}, owned by this thread: plain read, opaque
     * store, no CAS.
     *
     * @param s shared state
     * @param me this thread's state
     */
    @Benchmark
    public void stripedCounterOwned(Shared s, Me me) {
        s.striped.increment(me.index);
    }

    /**
     * The thread-safe {@link StripedCounter#increment()}: atomic add to a cell hashed from the thread id.
     *
     * @param s shared state
     */
    @Benchmark
    public void stripedCounterShared(Shared s) {
        s.striped.increment();
    }

    /**
     * One shared {@link LongAdder}.
     *
     * @param s shared state
     */
    @Benchmark
    public void longAdder(Shared s) {
        s.adder.increment();
    }

    /**
     * One shared {@link AtomicLong}: every thread updates the same value (true sharing).
     *
     * @param s shared state
     * @return the previous value
     */
    @Benchmark
    public long sharedAtomicLong(Shared s) {
        return s.atomic.getAndIncrement();
    }
}
