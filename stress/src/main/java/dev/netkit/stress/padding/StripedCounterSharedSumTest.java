package dev.netkit.stress.padding;

import dev.netkit.padding.StripedCounter;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@link StripedCounter#sum()} racing the shared path, including the first {@link StripedCounter#add(long)}
 * that allocates and publishes the shared cells: each sum() is 0, 1 or 2, a second sum() is at least the
 * first (the shared-array reference, once seen, stays seen; each cell is read coherently), and the sum at
 * rest is 2.
 *
 * <p>Outcome: (first sum(), second sum(), sum() at rest).
 */
@JCStressTest
@Outcome(id = {"0, 0, 2", "0, 1, 2", "0, 2, 2", "1, 1, 2", "1, 2, 2", "2, 2, 2"}, expect = ACCEPTABLE,
        desc = "documented, non-decreasing sums")
@Outcome(id = {"1, 0, .*", "2, 0, .*", "2, 1, .*"}, expect = FORBIDDEN, desc = "the sum went backwards")
@Outcome(expect = FORBIDDEN, desc = "a sum outside [0, 2] or an inexact sum at rest")
@State
public class StripedCounterSharedSumTest {
    final StripedCounter counter = new StripedCounter(1);

    @Actor
    public void writer() {
        counter.add(1);
        counter.add(1);
    }

    @Actor
    public void reader(JJJ_Result r) {
        r.r1 = counter.sum();
        r.r2 = counter.sum();
    }

    @Arbiter
    public void arbiter(JJJ_Result r) {
        r.r3 = counter.sum();
    }
}
