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
 * Two threads counting on their own {@link StripedCounter} stripes at the same time, without CAS, lose
 * nothing: each stripe holds exactly its owner's count and {@link StripedCounter#sum()} is exact at rest.
 * (A write to one stripe never disturbs its neighbour.)
 *
 * <p>Actor 1 calls {@code increment(0)} twice, actor 2 calls {@code add(1, 5)}.
 * Outcome: (sum() at rest, get(0), get(1)).
 */
@JCStressTest
@Outcome(id = "7, 2, 5", expect = ACCEPTABLE, desc = "every owned update counted")
@Outcome(expect = FORBIDDEN, desc = "an owned update lost or misplaced")
@State
public class StripedCounterOwnedStripesTest {
    final StripedCounter counter = new StripedCounter(2);

    @Actor
    public void owner0() {
        counter.increment(0);
        counter.increment(0);
    }

    @Actor
    public void owner1() {
        counter.add(1, 5);
    }

    @Arbiter
    public void arbiter(JJJ_Result r) {
        r.r1 = counter.sum();
        r.r2 = counter.get(0);
        r.r3 = counter.get(1);
    }
}
