package dev.netkit.stress.padding;

import dev.netkit.padding.PaddedAtomicLong;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@link PaddedAtomicLong#getAndSet(long)} is atomic: of two threads swapping in 1 and 2, the first
 * gets the initial 0, the second gets the first's value, and the final value is the second's. The three
 * values are a permutation of {0, 1, 2} consistent with one order of the two swaps.
 *
 * <p>Outcome: (getAndSet(1)'s previous value, getAndSet(2)'s previous value, final value).
 */
@JCStressTest
@Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "actor1 swapped first, then actor2")
@Outcome(id = "2, 0, 1", expect = ACCEPTABLE, desc = "actor2 swapped first, then actor1")
@Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "both saw 0: the swaps were not atomic")
@Outcome(expect = FORBIDDEN, desc = "not consistent with any order of two atomic swaps")
@State
public class PaddedAtomicLongGetAndSetTest {
    final PaddedAtomicLong value = new PaddedAtomicLong();

    @Actor
    public void actor1(JJJ_Result r) {
        r.r1 = value.getAndSet(1);
    }

    @Actor
    public void actor2(JJJ_Result r) {
        r.r2 = value.getAndSet(2);
    }

    @Arbiter
    public void arbiter(JJJ_Result r) {
        r.r3 = value.get();
    }
}
