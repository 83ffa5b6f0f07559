package dev.netkit.padding;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;

/**
 * Lincheck: {@link StripedCounter} counting in steps of +1 only, read by {@code sum()} and {@code get(s)}, is
 * linearizable against a plain counter.
 *
 * <p><b>Why sum() is linearizable when every update is +1.</b> {@code sum()} is not an atomic snapshot, so this
 * needs an argument, not just a test. Every update is one atomic write to one cell (an owned stripe: its single
 * writer's opaque store of old + 1; a shared cell: {@code getAndAdd(1)}); take that write as the update's
 * linearization point, and let T(t) be the number of updates whose write happened by time t. A sum reads the
 * cells at times r_1 .. r_k (in any order), and each cell only grows, so each cell's contribution lies between its
 * value at min(r) and at max(r); hence T(min r) <= v <= T(max r) for the returned v. T grows by exactly one per
 * update, so it takes every integer value on the way: some t in [min r, max r], inside the call, has T(t) = v, and
 * the sum linearizes there. Each sum is placed this way independently; the reads of {@code get(s)} are single
 * atomic loads. The argument needs one global order of the cell accesses: Lincheck's model checker explores
 * sequentially consistent executions; on hardware it needs multi-copy atomicity (x86-TSO, ARMv8), which the
 * JMM does not promise for opaque accesses, so this is a statement about the algorithm, not a JMM proof.
 *
 * <p><b>Why not add(d) with any d.</b> With a delta other than +1, T can jump over v (add(0, 1) then add(1, 2)
 * gives totals 0, 1, 3, yet a sum that reads stripe 0 before the first update and stripe 1 after the second
 * returns 2), and with negative deltas cells shrink. The negative control below shows Lincheck finds exactly
 * such a history, which also proves the positive check can fail. The class documentation promises only the
 * weaker bound for sum(), which holds for any non-negative deltas; the model test checks exact sums at rest.
 *
 * <p>Owned stripes have a single writer: each stripe's operations share a {@code nonParallelGroup}, so Lincheck
 * runs them in one thread. {@code increment()} goes to a shared cell picked from the thread id; under Lincheck
 * two threads may land on the same shared cell, so the owned stripes are what guarantee distinct cells.
 */
public class StripedCounterLincheckTest {

    private final StripedCounter counter = new StripedCounter(2);

    /** Instantiated reflectively by Lincheck. */
    public StripedCounterLincheckTest() {
    }

    @Operation(nonParallelGroup = "owner0")
    public void increment0() {
        counter.increment(0);
    }

    @Operation(nonParallelGroup = "owner1")
    public void increment1() {
        counter.increment(1);
    }

    @Operation
    public void increment() {
        counter.increment();
    }

    @Operation
    public void addOne() {
        counter.add(1L);
    }

    @Operation
    public long get0() {
        return counter.get(0);
    }

    @Operation
    public long get1() {
        return counter.get(1);
    }

    @Operation
    public long sum() {
        return counter.sum();
    }

    /** Sequential specification: two stripe counts and a shared count. */
    public static class CounterSpec {
        private long s0;
        private long s1;
        private long shared;

        /** Instantiated reflectively by Lincheck. */
        public CounterSpec() {
        }

        public void increment0() { s0++; }
        public void increment1() { s1++; }
        public void increment() { shared++; }
        public void addOne() { shared++; }
        public long get0() { return s0; }
        public long get1() { return s1; }
        public long sum() { return s0 + s1 + shared; }
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions()
                .iterations(30)
                .invocationsPerIteration(500)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(1)
                .actorsAfter(1)
                .sequentialSpecification(CounterSpec.class)
                .check(StripedCounterLincheckTest.class);
    }

    // ------------------------------------------------------------------ negative control

    @Test
    void sumWithNonUnitDeltasIsNotLinearizable() {
        LincheckAssertionError e = assertThrows(LincheckAssertionError.class, () -> new ModelCheckingOptions()
                .iterations(50)
                .invocationsPerIteration(500)
                .threads(3)
                .actorsPerThread(2)
                .actorsBefore(0)
                .actorsAfter(0)
                .minimizeFailedScenario(false)
                .sequentialSpecification(MixedDeltaSpec.class)
                .check(MixedDeltas.class));
        System.out.println("Expected Lincheck failure (negative control):\n" + e.getMessage());
        assertTrue(e.getMessage().contains("Invalid execution results"), "a linearizability failure, not a crash");
    }

    /** Stripe 0 counts by 1, stripe 1 by 2: sum() can return a total that never existed. */
    public static class MixedDeltas {
        private final StripedCounter counter = new StripedCounter(2);

        /** Instantiated reflectively by Lincheck. */
        public MixedDeltas() {
        }

        @Operation(nonParallelGroup = "owner0")
        public void addOneTo0() {
            counter.add(0, 1L);
        }

        @Operation(nonParallelGroup = "owner1")
        public void addTwoTo1() {
            counter.add(1, 2L);
        }

        @Operation
        public long sum() {
            return counter.sum();
        }
    }

    public static class MixedDeltaSpec {
        private long total;

        /** Instantiated reflectively by Lincheck. */
        public MixedDeltaSpec() {
        }

        public void addOneTo0() { total += 1; }
        public void addTwoTo1() { total += 2; }
        public long sum() { return total; }
    }
}
