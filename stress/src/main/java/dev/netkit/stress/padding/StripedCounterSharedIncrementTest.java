package dev.netkit.stress.padding;

import dev.netkit.padding.StripedCounter;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.J_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The shared {@link StripedCounter#increment()} loses nothing when two threads call it at once on a fresh
 * counter: both race to allocate the shared cells (the loser must adopt the winner's array) and then add
 * atomically, possibly to the same cell. Two increments each give exactly 4 at rest.
 *
 * <p>Which shared cell each actor hits depends on its thread id, so this does not force both onto one
 * cell; the lazy allocation race is exercised on every sample.
 *
 * <p>Outcome: sum() at rest.
 */
@JCStressTest
@Outcome(id = "4", expect = ACCEPTABLE, desc = "all four increments counted")
@Outcome(expect = FORBIDDEN, desc = "an increment was lost (or counted twice)")
@State
public class StripedCounterSharedIncrementTest {
    final StripedCounter counter = new StripedCounter(1);

    @Actor
    public void actor1() {
        counter.increment();
        counter.increment();
    }

    @Actor
    public void actor2() {
        counter.increment();
        counter.increment();
    }

    @Arbiter
    public void arbiter(J_Result r) {
        r.r1 = counter.sum();
    }
}
