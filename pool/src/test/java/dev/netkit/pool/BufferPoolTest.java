package dev.netkit.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netkit.testkit.Seeds;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** BufferPool: size classes, cleared buffers, foreign-buffer rejection, double release, budget model. */
class BufferPoolTest {

    @Test
    void acquireReturnsAClearedBufferOfTheSizeClass() {
        BufferPool p = BufferPool.direct().sizeClasses(1024, 65536).build();
        ByteBuffer b = p.acquire(16 * 1024);
        assertTrue(b.isDirect());
        assertEquals(16 * 1024, b.capacity());
        assertEquals(1024, p.acquire(1).capacity());
        assertEquals(2048, p.acquire(1025).capacity());
        b.putLong(42).flip();
        b.order(ByteOrder.LITTLE_ENDIAN);
        p.release(b);
        ByteBuffer again = p.acquire(10_000);
        assertSame(b, again);
        assertEquals(0, again.position());
        assertEquals(again.capacity(), again.limit());
        assertEquals(ByteOrder.BIG_ENDIAN, again.order());
        assertThrows(IllegalArgumentException.class, () -> p.acquire(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.acquire(65537));
        assertTrue(e.getMessage().contains("65536"), e.getMessage());
    }

    @Test
    void foreignBuffersAreRejected() {
        BufferPool p = BufferPool.direct().sizeClasses(1024, 65536).build();
        BufferPool other = BufferPool.direct().sizeClasses(1024, 65536).build();
        NullPointerException npe = assertThrows(NullPointerException.class, () -> p.release(null));
        assertEquals("buffer", npe.getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.release(ByteBuffer.allocateDirect(16384)));
        assertTrue(e.getMessage().contains("not a live buffer of this pool"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.release(ByteBuffer.allocateDirect(1000)));
        assertTrue(e.getMessage().contains("capacity 1000"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.release(ByteBuffer.allocateDirect(512)));
        assertThrows(IllegalArgumentException.class, () -> p.release(ByteBuffer.allocateDirect(1 << 17)));
        e = assertThrows(IllegalArgumentException.class, () -> p.release(ByteBuffer.allocate(4096)));
        assertTrue(e.getMessage().contains("heap"), e.getMessage());
        ByteBuffer mine = p.acquire(4096);
        assertThrows(IllegalArgumentException.class, () -> other.release(mine));
        assertThrows(IllegalArgumentException.class, () -> p.release(mine.slice()));
        assertThrows(IllegalArgumentException.class, () -> p.release(mine.duplicate()));
        p.release(mine);
        assertThrows(IllegalStateException.class, () -> p.release(mine));
    }

    @Test
    void heapPoolAndTransientBuffersPastTheBudget() {
        BufferPool p = BufferPool.heap().sizeClasses(1024, 4096).budgetBytes(4096).build();
        ByteBuffer a = p.acquire(4096);
        ByteBuffer b = p.acquire(4096);          // past the budget: handed out, not retained
        assertFalse(a.isDirect());
        assertEquals(4096, p.reservedBytes());
        assertEquals(2, p.liveBuffers());
        p.release(b);
        assertEquals(1, p.liveBuffers());
        assertEquals(1, p.stats().dropped());
        assertThrows(IllegalArgumentException.class, () -> p.release(b), "a dropped buffer is forgotten");
        p.release(a);
        assertEquals(1, p.idle());
        assertSame(a, p.acquire(3000));
    }

    @Test
    void maxBuffersBoundsTheTable() {
        BufferPool p = BufferPool.heap().sizeClasses(1024, 1024).maxBuffers(2).build();
        ByteBuffer a = p.acquire(1);
        p.acquire(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.acquire(1));
        assertTrue(e.getMessage().contains("2 live buffers"), e.getMessage());
        p.release(a);
        p.acquire(1);
    }

    @Test
    void fitsARingStyleProviderThroughMethodReferences() {
        BufferPool pool = BufferPool.direct().build();
        IntFunction<ByteBuffer> acquire = pool::acquire;
        Consumer<ByteBuffer> release = pool::release;
        ByteBuffer b = acquire.apply(5000);
        assertEquals(8192, b.capacity());
        release.accept(b);
    }

    @Test
    void trimmedBuffersGiveBackTheirBudgetAndBecomeCollectable() throws Exception {
        BufferPool p = BufferPool.direct().sizeClasses(1024, 1024).build();
        ByteBuffer b = p.acquire(100);
        WeakReference<ByteBuffer> ref = new WeakReference<>(b);
        p.release(b);
        b = null;
        p.trim();
        p.trim();
        assertEquals(0, p.idle());
        assertEquals(0, p.reservedBytes());
        assertEquals(0, p.liveBuffers());
        assertTrue(ObjectPoolRetentionTest.collected(ref));
    }

    /** The default per-thread cache of each size class is the thread's share of the budget, bounded. */
    @Test
    void defaultCachePerThreadIsTheThreadsBudgetShare() {
        BufferPool p = BufferPool.direct().budgetBytes(64L << 20).expectedThreads(8).build();
        int[] expected = {2048, 1024, 512, 256, 128, 64, 32, 16, 16, 16, 16};   // 4 KiB .. 4 MiB
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], p.capacityPerThread(4096 << k), "class " + (4096 << k));
        }
        // the default thread count is availableProcessors()
        int cpus = Runtime.getRuntime().availableProcessors();
        BufferPool d = BufferPool.heap().sizeClasses(1024, 1 << 20).build();
        for (int c = 1024; c <= 1 << 20; c <<= 1) {
            assertEquals(Math.min(65536, Math.max(16, (64L << 20) / cpus / c)), d.capacityPerThread(c), "class " + c);
        }
        // bounded above by 65,536 and by maxBuffers, below by 16 (also for a zero budget)
        assertEquals(65536, BufferPool.heap().sizeClasses(16, 16).budgetBytes(1L << 40).expectedThreads(1).build()
                .capacityPerThread(16));
        assertEquals(100, BufferPool.heap().sizeClasses(16, 16).maxBuffers(100).expectedThreads(1).build()
                .capacityPerThread(16));
        assertEquals(16, BufferPool.heap().sizeClasses(16, 16).budgetBytes(0).build().capacityPerThread(16));
        // an explicit capacityPerThread overrides the rule for every class, whatever the order of calls
        BufferPool e = BufferPool.heap().sizeClasses(1024, 4096).capacityPerThread(5).expectedThreads(1).build();
        for (int c = 1024; c <= 4096; c <<= 1) {
            assertEquals(5, e.capacityPerThread(c));
        }
        assertThrows(IllegalArgumentException.class, () -> BufferPool.heap().expectedThreads(0));
        assertThrows(IllegalArgumentException.class, () -> BufferPool.heap().expectedThreads(65537));
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> e.capacityPerThread(3000));
        assertTrue(x.getMessage().contains("3000"), x.getMessage());
        assertThrows(IllegalArgumentException.class, () -> e.capacityPerThread(8192));
    }

    /** A thread's cache takes back its budget share of returns: a burst beyond 16 is kept, not dropped. */
    @Test
    void aThreadKeepsItsBudgetShareOfReturns() {
        BufferPool p = BufferPool.heap().sizeClasses(1024, 1024).budgetBytes(1024 * 200).expectedThreads(2).build();
        assertEquals(100, p.capacityPerThread(1024));
        List<ByteBuffer> held = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            held.add(p.acquire(1024));
        }
        for (ByteBuffer b : held) {
            p.release(b);
        }
        assertEquals(100, p.idle());
        ObjectPool.Stats s = p.stats();
        assertEquals(150, s.created());
        assertEquals(100, s.released());
        assertEquals(50, s.dropped());
        assertEquals(100L * 1024, p.reservedBytes());
        for (int i = 0; i < 100; i++) {
            held.set(i, p.acquire(1024));
        }
        assertEquals(150, p.stats().created());   // all 100 reused
    }

    /** Seeds of the models: {@code -Dnetkit.seed=N} replays one ({@link Seeds}). */
    static Stream<Long> seeds() {
        return Seeds.seeds(1, 7, 99, 2026).boxed();
    }

    /**
     * Seeded model: one thread acquires random sizes, releases random held buffers (sometimes twice),
     * trims. Reference: per size class, the current and victim generations as ArrayLists, and the budget
     * in bytes. Checked after every step: the exact buffer returned, reserved bytes, idle and live counts.
     */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void matchesReferenceModelWithBudget(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int cap = 1 + rnd.nextInt(4);
        long budget = 1024L * rnd.nextInt(40);
        BufferPool p = BufferPool.heap().sizeClasses(256, 4096).budgetBytes(budget).capacityPerThread(cap).build();
        runModel(seed, rnd, p, budget, k -> cap);
    }

    /**
     * The same model with the default cache sizes: each size class's bound is the rule's figure for a
     * random expected thread count and a small budget (so the caches fill and evict), not one figure.
     */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void matchesReferenceModelWithBudgetShareCaches(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int threads = 1 + rnd.nextInt(4);
        long budget = 1024L * (16 + rnd.nextInt(200));
        BufferPool p = BufferPool.heap().sizeClasses(256, 4096).budgetBytes(budget).expectedThreads(threads).build();
        int[] caps = new int[5];
        for (int k = 0; k < caps.length; k++) {
            caps[k] = (int) Math.max(16, budget / threads / (256 << k));
            assertEquals(caps[k], p.capacityPerThread(256 << k), "seed=" + seed + " class=" + (256 << k));
        }
        runModel(seed, rnd, p, budget, k -> caps[k]);
    }

    /** Runs the model; any failure names the seed and how to replay it. */
    private static void runModel(long seed, SplittableRandom rnd, BufferPool p, long budget,
            java.util.function.IntUnaryOperator capOf) {
        try {
            checkModel(seed, rnd, p, budget, capOf);
        } catch (RuntimeException | Error e) {
            throw new AssertionError("seed=" + seed + " (replay: -D" + Seeds.PROPERTY + "=" + seed + "): " + e, e);
        }
    }

    private static void checkModel(long seed, SplittableRandom rnd, BufferPool p, long budget,
            java.util.function.IntUnaryOperator capOf) {
        int classes = 5;
        List<List<ByteBuffer>> cur = new ArrayList<>();
        List<List<ByteBuffer>> vic = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            cur.add(new ArrayList<>());
            vic.add(new ArrayList<>());
        }
        Map<ByteBuffer, Boolean> budgeted = new IdentityHashMap<>();   // live buffers -> within budget
        long reserved = 0;
        List<ByteBuffer> held = new ArrayList<>();
        for (int step = 0; step < 2_000; step++) {
            String msg = "seed=" + seed + " step=" + step + " budget=" + budget;
            int op = rnd.nextInt(100);
            if (op < 45) {
                int want = 1 + rnd.nextInt(4096);
                int size = Math.max(256, Integer.highestOneBit(want - 1) << 1);
                if (want == 1) {
                    size = 256;
                }
                int k = Integer.numberOfTrailingZeros(size) - 8;
                ByteBuffer expected = null;
                if (!cur.get(k).isEmpty()) {
                    expected = cur.get(k).remove(cur.get(k).size() - 1);
                } else if (!vic.get(k).isEmpty()) {
                    expected = vic.get(k).remove(vic.get(k).size() - 1);
                }
                ByteBuffer got = p.acquire(want);
                assertEquals(size, got.capacity(), msg);
                assertEquals(0, got.position(), msg);
                assertEquals(size, got.limit(), msg);
                if (expected != null) {
                    assertSame(expected, got, msg);
                } else {
                    boolean inBudget = reserved + size <= budget;
                    if (inBudget) {
                        reserved += size;
                    }
                    budgeted.put(got, inBudget);
                }
                got.position(rnd.nextInt(size));
                held.add(got);
            } else if (op < 85 && !held.isEmpty()) {
                ByteBuffer b = held.remove(rnd.nextInt(held.size()));
                int k = Integer.numberOfTrailingZeros(b.capacity()) - 8;
                p.release(b);
                if (!budgeted.get(b)) {
                    budgeted.remove(b);
                } else if (cur.get(k).size() + vic.get(k).size() < capOf.applyAsInt(k)) {
                    cur.get(k).add(b);
                } else if (!vic.get(k).isEmpty()) {
                    ByteBuffer evicted = vic.get(k).remove(vic.get(k).size() - 1);
                    budgeted.remove(evicted);
                    reserved -= evicted.capacity();
                    cur.get(k).add(b);
                } else {
                    budgeted.remove(b);
                    reserved -= b.capacity();
                }
                if (op >= 80) {
                    assertThrows(RuntimeException.class, () -> p.release(b), msg);
                }
            } else if (op >= 85) {
                p.trim();
                for (int k = 0; k < classes; k++) {
                    for (ByteBuffer b : vic.get(k)) {
                        budgeted.remove(b);
                        reserved -= b.capacity();
                    }
                    vic.get(k).clear();
                    vic.get(k).addAll(cur.get(k));
                    cur.get(k).clear();
                }
            }
            assertEquals(reserved, p.reservedBytes(), msg);
            assertTrue(p.reservedBytes() <= budget, msg);
            assertEquals(budgeted.size(), p.liveBuffers(), msg);
            int idle = 0;
            for (int k = 0; k < classes; k++) {
                idle += cur.get(k).size() + vic.get(k).size();
            }
            assertEquals(idle, p.idle(), msg);
        }
    }
}
