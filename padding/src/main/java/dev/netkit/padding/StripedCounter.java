package dev.netkit.padding;

import dev.netkit.padding.internal.Handles;
import dev.netkit.padding.internal.Hashing;
import dev.netkit.padding.internal.Layout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A counter split into a fixed number of cells, each alone in its own 128-byte region, so that threads
 * counting at the same time never write the same cache line.
 *
 * <p>Two ways to count, which may be mixed on one instance:
 * <ul>
 *   <li><b>Owned stripes.</b> {@link #increment(int)} and {@link #add(int, long)} update stripe
 *       {@code s} with a plain read and an opaque store: no CAS, no lock prefix. That is correct only
 *       while stripe {@code s} has a single writer, typically the event loop numbered {@code s}. Two
 *       threads writing one stripe at the same time lose counts.</li>
 *   <li><b>Shared cells.</b> {@link #increment()} and {@link #add(long)} may be called from any thread.
 *       A platform thread adds to a shared cell by CAS and, when the CAS meets another thread, moves to
 *       another cell and remembers it (a per-thread probe, as {@link java.util.concurrent.atomic.LongAdder}
 *       does), so threads spread out over the cells. A virtual thread keeps no per-thread state: it adds
 *       with {@code getAndAdd} to a cell chosen by a hash of its id. Nothing is lost either way. The shared
 *       cells are separate from the owned stripes and are allocated on first use, one per available
 *       processor rounded up to a power of two (at most 64).</li>
 * </ul>
 *
 * <p><b>Reading.</b> {@link #sum()} and {@link #get(int)} may be called from any thread. {@code sum()}
 * reads the cells one after another; it is not an atomic snapshot. While writers run, it returns a value
 * that counts every update that happened-before the call to {@code sum()}, does not count updates that
 * started after it returned, and counts any subset of the updates concurrent with it. With only
 * non-negative deltas, it therefore lies between the total at its start and the total at its end. At rest
 * (every writer's last update happens-before the call, e.g. after {@code Thread.join}) it is exact.
 * Reads are opaque: a sum is a statistic, not a synchronization point, and publishes nothing.
 *
 * <p><b>Cost.</b> 136 bytes per owned stripe plus 272 bytes; the shared cells, once used, as much again
 * per shared cell. The owned fast path allocates nothing; the shared path allocates once, on first use.
 */
public final class StripedCounter {
    /*
     * Implementation notes.
     *
     * Layout. `cells` is a long[] of (stripes + 2) * STRIDE elements; stripe s lives at index
     * (s + 1) * STRIDE. STRIDE is 17 longs (1 + Layout.PAD_LONGS), so between two live elements lie 16
     * never-written longs (128 bytes), the first live element has 136 bytes of them (plus the array header)
     * before it and the last has 264 after it. No two cells can share a cache line or an adjacent-line
     * prefetch pair. The array is allocated once and never resized. `shared` has the same layout. An array
     * element stays where its index puts it, so 128 bytes of gap suffice here (the package documentation has
     * the rule, and why a field ladder sometimes needs 136).
     *
     * Writers. Owned stripe s: only its owner writes it, reading its own last value plainly and storing
     * with setOpaque, so a concurrent reader never sees a torn long. Shared cells: any thread, by
     * compareAndSet (platform threads, retried on another cell after a failure) or getAndAdd (virtual
     * threads). PROBE's int[] is read and written only by its own thread. `shared` itself goes from null to
     * an array once, by compareAndSet, and never changes again; a thread that loses the race uses the
     * winner's array.
     *
     * Publication. The owner's opaque store and a reader's opaque load give atomicity and eventual
     * visibility but order nothing else; no release/acquire pair is promised by counting. The `shared`
     * reference is published by the CAS (volatile) and read with getAcquire, so a reader that sees the
     * array sees it zeroed, never half-initialized.
     */

    /** The largest stripe count accepted: 65,536 stripes are 8 MiB of cells. */
    public static final int MAX_STRIPES = 1 << 16;

    /** Index distance between two live cells: one cell plus {@link Layout#PAD_LONGS} (16) pad longs. */
    static final int STRIDE = 1 + Layout.PAD_LONGS;

    private static final int MAX_SHARED_CELLS = 64;

    /**
     * Each platform thread's probe for the shared cells, shared by all counters (as LongAdder's probe is):
     * a non-zero hash that moves on when a CAS meets contention. One {@code int[1]} per platform thread
     * that uses a shared cell, allocated once.
     */
    private static final ThreadLocal<int[]> PROBE =
            ThreadLocal.withInitial(() -> new int[] {Hashing.mixNonZero(Thread.currentThread().threadId())});

    private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle SHARED =
            Handles.field(MethodHandles.lookup(), StripedCounter.class, "shared", long[].class);

    private final long[] cells;
    private final int stripes;
    /** Shared cells for {@link #increment()}; null until first used. Accessed through {@link #SHARED}. */
    @SuppressWarnings("unused")
    private long[] shared;

    /**
     * Creates a counter with {@code stripes} owned stripes, all zero.
     *
     * @param stripes the number of owned stripes, typically one per event loop; 1 to {@link #MAX_STRIPES}
     * @throws IllegalArgumentException if {@code stripes} is not in [1, MAX_STRIPES]
     */
    public StripedCounter(int stripes) {
        if (stripes < 1 || stripes > MAX_STRIPES) {
            throw new IllegalArgumentException(
                    "stripes must be in [1, " + MAX_STRIPES + "], was " + stripes);
        }
        this.stripes = stripes;
        this.cells = new long[(stripes + 2) * STRIDE];
    }

    /** {@return the number of owned stripes} */
    public int stripes() {
        return stripes;
    }

    /**
     * Adds one to stripe {@code stripe}. Single writer per stripe: only the thread that owns the stripe
     * may call this. No CAS.
     *
     * @param stripe the stripe, in [0, stripes())
     * @throws IllegalArgumentException if {@code stripe} is out of range
     */
    public void increment(int stripe) {
        add(stripe, 1L);
    }

    /**
     * Adds {@code delta} to stripe {@code stripe}. Single writer per stripe: only the thread that owns the
     * stripe may call this. No CAS: a plain read of the stripe and an opaque store.
     *
     * @param stripe the stripe, in [0, stripes())
     * @param delta the amount to add; may be negative
     * @throws IllegalArgumentException if {@code stripe} is out of range
     */
    public void add(int stripe, long delta) {
        int i = index(stripe);
        long[] c = cells;
        CELL.setOpaque(c, i, c[i] + delta);
    }

    /** Adds one from any thread, atomically, to a shared cell (see the class documentation). */
    public void increment() {
        add(1L);
    }

    /**
     * Adds {@code delta} from any thread, atomically, to a shared cell: lock-free, spreading contending
     * platform threads over the cells.
     *
     * @param delta the amount to add; may be negative
     */
    public void add(long delta) {
        long[] s = (long[]) SHARED.getAcquire(this);
        if (s == null) {
            s = initShared();
        }
        int mask = s.length / STRIDE - 3;              // cells in use - 1; a power of two minus one
        Thread t = Thread.currentThread();
        if (t.isVirtual()) {
            // No per-thread state for virtual threads (a million of them would mean a million probes):
            // a fixed hash of the id, and an atomic add that cannot fail.
            CELL.getAndAdd(s, (Hashing.mixNonZero(t.threadId()) & mask) * STRIDE + STRIDE, delta);
            return;
        }
        int[] probe = PROBE.get();
        int h = probe[0];
        for (;;) {
            int i = (h & mask) * STRIDE + STRIDE;
            long v = (long) CELL.getOpaque(s, i);
            if (CELL.compareAndSet(s, i, v, v + delta)) {
                if (h != probe[0]) {
                    probe[0] = h;                      // keep the cell where this thread met no one
                }
                return;
            }
            h ^= h << 13;                              // contended: move to another cell (xorshift)
            h ^= h >>> 17;
            h ^= h << 5;
        }
    }

    /**
     * Reads one owned stripe, in opaque mode; any thread.
     *
     * @param stripe the stripe, in [0, stripes())
     * @return the stripe's count
     * @throws IllegalArgumentException if {@code stripe} is out of range
     */
    public long get(int stripe) {
        return (long) CELL.getOpaque(cells, index(stripe));
    }

    /**
     * Sums every owned stripe and every shared cell; any thread. Not an atomic snapshot: see the class
     * documentation for what it may observe while writers run. Exact at rest.
     *
     * @return the total
     */
    public long sum() {
        long total = sumCells(cells);
        long[] s = (long[]) SHARED.getAcquire(this);
        return s == null ? total : total + sumCells(s);
    }

    /** {@return {@link #sum()} in decimal} */
    @Override
    public String toString() {
        return Long.toString(sum());
    }

    /** {@return the array index of stripe {@code stripe}'s cell; package-private for the layout test} */
    int index(int stripe) {
        if (stripe < 0 || stripe >= stripes) {
            throw new IllegalArgumentException("stripe must be in [0, " + stripes + "), was " + stripe);
        }
        return (stripe + 1) * STRIDE;
    }

    /** {@return the owned cells array; package-private for the layout test} */
    long[] cellsForTest() {
        return cells;
    }

    private static long sumCells(long[] c) {
        long total = 0;
        for (int i = STRIDE, end = c.length - STRIDE; i < end; i += STRIDE) {
            total += (long) CELL.getOpaque(c, i);
        }
        return total;
    }

    private long[] initShared() {
        int n = Math.min(MAX_SHARED_CELLS, Integer.highestOneBit(
                Math.max(1, Runtime.getRuntime().availableProcessors() * 2 - 1)));
        long[] fresh = new long[(n + 2) * STRIDE];
        long[] witness = (long[]) SHARED.compareAndExchange(this, (long[]) null, fresh);
        return witness == null ? fresh : witness;
    }
}
