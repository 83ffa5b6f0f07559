package dev.netkit.stressmany.padding;

import dev.netkit.padding.StripedCounter;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJJJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Four threads counting on their own {@link StripedCounter} stripes at the same time, without CAS, lose
 * nothing: at rest each stripe holds exactly its owner's count and {@link StripedCounter#sum()} is their
 * total. Owner i calls {@code increment(i)} then {@code add(i, i)}, so stripe i ends at i + 1.
 *
 * <p>Outcome: (sum() at rest, get(0), get(1), get(2), get(3)).
 */
@JCStressTest
@Outcome(id = "10, 1, 2, 3, 4", expect = ACCEPTABLE, desc = "every owned update counted")
@Outcome(expect = FORBIDDEN, desc = "an owned update lost or misplaced")
@State
public class StripedCounterFourOwnersTest {
    final StripedCounter counter = new StripedCounter(4);

    @Actor
    public void owner0() {
        counter.increment(0);
        counter.add(0, 0);
    }

    @Actor
    public void owner1() {
        counter.increment(1);
        counter.add(1, 1);
    }

    @Actor
    public void owner2() {
        counter.increment(2);
        counter.add(2, 2);
    }

    @Actor
    public void owner3() {
        counter.increment(3);
        counter.add(3, 3);
    }

    @Arbiter
    public void arbiter(JJJJJ_Result r) {
        r.r1 = counter.sum();
        r.r2 = counter.get(0);
        r.r3 = counter.get(1);
        r.r4 = counter.get(2);
        r.r5 = counter.get(3);
    }
}
