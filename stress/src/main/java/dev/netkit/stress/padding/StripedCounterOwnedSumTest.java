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
 * {@link StripedCounter#sum()} racing a stripe's owner returns only documented values and never goes
 * backwards: while the owner calls {@code add(0, 1)} twice, each sum() is 0, 1 or 2 (between the totals
 * at its start and end, never torn), a second sum() is at least the first, and the sum at rest is 2.
 *
 * <p>Why non-decreasing is guaranteed although sum() publishes nothing: the owner's stores and sum()'s
 * loads are opaque, and opaque accesses to one variable are coherent, so a thread's later load of a cell
 * cannot return an older store than its earlier load did. Each cell read by the second sum() is therefore
 * at least what the first sum() read, and with non-negative deltas so is the total.
 *
 * <p>Outcome: (first sum(), second sum(), sum() at rest).
 */
@JCStressTest
@Outcome(id = {"0, 0, 2", "0, 1, 2", "0, 2, 2", "1, 1, 2", "1, 2, 2", "2, 2, 2"}, expect = ACCEPTABLE,
        desc = "documented, non-decreasing sums")
@Outcome(id = {"1, 0, .*", "2, 0, .*", "2, 1, .*"}, expect = FORBIDDEN, desc = "the sum went backwards")
@Outcome(expect = FORBIDDEN, desc = "a sum outside [0, 2] or an inexact sum at rest")
@State
public class StripedCounterOwnedSumTest {
    final StripedCounter counter = new StripedCounter(2);

    @Actor
    public void owner() {
        counter.add(0, 1);
        counter.add(0, 1);
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
