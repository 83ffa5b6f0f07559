package dev.netkit.padding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netkit.testkit.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link StripedCounter}: a seeded single-threaded model test against a {@code long[]} per stripe plus one
 * shared total, the argument checks, and multi-threaded counts checked at rest (after {@code join}). No
 * timing is asserted anywhere.
 */
class StripedCounterModelTest {

    private static final int STEPS = 5_000;

    enum Op { INCREMENT_STRIPE, ADD_STRIPE, INCREMENT, ADD, GET, SUM, STRIPES, TO_STRING, BAD_STRIPE }

    /** Fixed seeds plus a fresh one, or only those of {@code -Dnetkit.seed} ({@link Seeds}). */
    static LongStream seeds() {
        return Seeds.seeds(1L, 42L, 0xC0FFEEL, -7L, 20240229L, Long.MIN_VALUE);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void randomOperationsMatchReference(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] sizes = {1, 2, 3, 7, 16, 100};
        int stripes = sizes[rnd.nextInt(sizes.length)];
        StripedCounter counter = new StripedCounter(stripes);
        long[] perStripe = new long[stripes];
        long shared = 0;
        Op[] ops = Op.values();
        for (int i = 0; i < STEPS; i++) {
            Op op = ops[rnd.nextInt(ops.length)];
            int s = rnd.nextInt(stripes);
            long d = switch (rnd.nextInt(4)) {
                case 0 -> rnd.nextLong(-3, 4);
                case 1 -> rnd.nextLong(-1_000_000, 1_000_000);
                case 2 -> rnd.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE; // sums wrap like long
                default -> rnd.nextLong();
            };
            int step = i;
            Supplier<String> where = () -> "seed=" + seed + " (replay: -D" + Seeds.PROPERTY + "=" + seed + ")"
                    + " stripes=" + stripes + " step=" + step + " op=" + op
                    + " s=" + s + " d=" + d;
            switch (op) {
                case INCREMENT_STRIPE -> { counter.increment(s); perStripe[s]++; }
                case ADD_STRIPE -> { counter.add(s, d); perStripe[s] += d; }
                case INCREMENT -> { counter.increment(); shared++; }
                case ADD -> { counter.add(d); shared += d; }
                case GET -> assertEquals(perStripe[s], counter.get(s), where);
                case SUM -> assertEquals(total(perStripe, shared), counter.sum(), where);
                case STRIPES -> assertEquals(stripes, counter.stripes(), where);
                case TO_STRING -> assertEquals(Long.toString(total(perStripe, shared)), counter.toString(), where);
                case BAD_STRIPE -> {
                    int bad = rnd.nextBoolean() ? -1 - rnd.nextInt(3) : stripes + rnd.nextInt(3);
                    assertThrows(IllegalArgumentException.class, () -> counter.increment(bad), where);
                    assertThrows(IllegalArgumentException.class, () -> counter.add(bad, 1), where);
                    assertThrows(IllegalArgumentException.class, () -> counter.get(bad), where);
                }
            }
            for (int k = 0; k < stripes; k++) {
                assertEquals(perStripe[k], counter.get(k), where);
            }
            assertEquals(total(perStripe, shared), counter.sum(), where);
        }
    }

    private static long total(long[] perStripe, long shared) {
        long t = shared;
        for (long v : perStripe) {
            t += v;
        }
        return t;
    }

    // ------------------------------------------------------------------ argument checks

    @ParameterizedTest(name = "stripes={0}")
    @ValueSource(ints = {0, -1, StripedCounter.MAX_STRIPES + 1, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void constructorRejectsOutOfRangeNamingValueAndBound(int stripes) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StripedCounter(stripes));
        assertMessageNames(e, Integer.toString(stripes), Integer.toString(StripedCounter.MAX_STRIPES));
    }

    @Test
    void constructorAcceptsBounds() {
        assertEquals(1, new StripedCounter(1).stripes());
        StripedCounter max = new StripedCounter(StripedCounter.MAX_STRIPES);
        max.increment(StripedCounter.MAX_STRIPES - 1);
        assertEquals(1, max.sum());
        assertBadStripe(max, StripedCounter.MAX_STRIPES);
    }

    @ParameterizedTest(name = "stripes={0}")
    @ValueSource(ints = {1, 4, 9})
    void stripeOutOfRangeNamesValueAndBound(int stripes) {
        StripedCounter c = new StripedCounter(stripes);
        c.add(0, 5);
        assertBadStripe(c, -1);
        assertBadStripe(c, stripes);
        assertBadStripe(c, Integer.MIN_VALUE);
        assertEquals(5, c.sum(), "rejected calls change nothing");
    }

    private static void assertBadStripe(StripedCounter c, int bad) {
        String bound = Integer.toString(c.stripes());
        List<Executable> calls = List.of(() -> c.increment(bad), () -> c.add(bad, 1), () -> c.get(bad));
        for (Executable call : calls) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
            assertMessageNames(e, Integer.toString(bad), bound);
        }
    }

    private static void assertMessageNames(IllegalArgumentException e, String value, String bound) {
        String m = e.getMessage();
        assertTrue(m != null && m.contains(value), () -> "message should name the value " + value + ": " + m);
        assertTrue(m.contains(bound), () -> "message should name the bound " + bound + ": " + m);
    }

    // ------------------------------------------------------------------ concurrent, checked at rest

    @Test
    void ownedStripesCountExactlyAtRest() throws Exception {
        int threads = 4;
        int perThread = 500_000;
        StripedCounter c = new StripedCounter(threads);
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int stripe = t;
            ts.add(Thread.ofPlatform().start(() -> {
                await(start);
                for (int i = 0; i < perThread; i++) {
                    c.increment(stripe);
                }
                c.add(stripe, stripe); // a non-unit delta too
            }));
        }
        joinAll(ts);
        for (int t = 0; t < threads; t++) {
            assertEquals(perThread + t, c.get(t), "stripe " + t);
        }
        assertEquals((long) threads * perThread + (threads - 1) * threads / 2, c.sum());
    }

    @Test
    void sharedCellsCountExactlyAtRestPlatformAndVirtualThreads() throws Exception {
        StripedCounter c = new StripedCounter(2);
        int platform = 6;
        int platformIncrements = 100_000;
        int virtual = 2_000;
        int virtualIncrements = 200;
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < platform; t++) {
            ts.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < platformIncrements; i++) {
                    c.increment();
                }
                c.add(-3);
                c.add(5);
            }));
        }
        for (int t = 0; t < virtual; t++) {
            ts.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < virtualIncrements; i++) {
                    c.increment();
                    if ((i & 31) == 0) {
                        Thread.yield(); // let other virtual threads interleave on the carriers
                    }
                }
            }));
        }
        joinAll(ts);
        long expected = (long) platform * (platformIncrements + 2) + (long) virtual * virtualIncrements;
        assertEquals(expected, c.sum());
        assertEquals(0, c.get(0) + c.get(1), "shared counting never touches owned stripes");
    }

    /**
     * Many threads make their first shared increment at the same moment, so they race to install the shared
     * cells. A thread that lost the race but kept counting into its own array would lose its count.
     */
    @Test
    void racingFirstUseOfSharedCellsLosesNothing() throws Exception {
        int threads = 4;
        for (int round = 0; round < 200; round++) {
            StripedCounter c = new StripedCounter(1);
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                ts.add(Thread.ofPlatform().start(() -> {
                    await(start);
                    c.increment();
                }));
            }
            joinAll(ts);
            assertEquals(threads, c.sum(), "round " + round);
        }
    }

    @Test
    void ownedAndSharedMixedConcurrentlyAtRest() throws Exception {
        int owners = 3;
        int n = 200_000;
        StripedCounter c = new StripedCounter(owners);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < owners; t++) {
            int stripe = t;
            ts.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < n; i++) {
                    c.add(stripe, 2);
                    c.increment();
                }
            }));
        }
        joinAll(ts);
        assertEquals(3L * owners * n, c.sum());
        for (int t = 0; t < owners; t++) {
            assertEquals(2L * n, c.get(t));
        }
    }

    private static void await(CyclicBarrier b) {
        try {
            b.await();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void joinAll(List<Thread> ts) throws InterruptedException {
        for (Thread t : ts) {
            t.join();
        }
    }
}
