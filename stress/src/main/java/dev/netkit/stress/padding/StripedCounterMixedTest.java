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
 * Owned-stripe and shared counting may be mixed on one {@link StripedCounter}: two threads, each
 * incrementing its own stripe and adding to the shared cells (racing their lazy allocation), leave an
 * exact {@link StripedCounter#sum()} at rest, and the shared additions never land in an owned stripe.
 *
 * <p>Actor 1: {@code increment(0)}, {@code add(10)}; actor 2: {@code add(100)}, {@code increment(1)}.
 * Outcome: (sum() at rest, get(0), get(1)).
 */
@JCStressTest
@Outcome(id = "112, 1, 1", expect = ACCEPTABLE, desc = "every update counted, stripes untouched by shared adds")
@Outcome(expect = FORBIDDEN, desc = "an update lost, counted twice, or added to the wrong cell")
@State
public class StripedCounterMixedTest {
    final StripedCounter counter = new StripedCounter(2);

    @Actor
    public void actor1() {
        counter.increment(0);
        counter.add(10);
    }

    @Actor
    public void actor2() {
        counter.add(100);
        counter.increment(1);
    }

    @Arbiter
    public void arbiter(JJJ_Result r) {
        r.r1 = counter.sum();
        r.r2 = counter.get(0);
        r.r3 = counter.get(1);
    }
}
