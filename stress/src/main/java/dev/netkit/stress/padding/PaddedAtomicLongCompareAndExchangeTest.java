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
 * {@link PaddedAtomicLong#compareAndExchange(long, long)} has exactly one winner: of two threads racing
 * {@code compareAndExchange(0, x)}, exactly one witnesses 0 (and so exchanged), the other witnesses the
 * winner's value, and the final value is the winner's.
 *
 * <p>Outcome: (witness of CAE(0, 1), witness of CAE(0, 2), final value).
 */
@JCStressTest
@Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "actor1 won, actor2 witnessed its 1")
@Outcome(id = "2, 0, 2", expect = ACCEPTABLE, desc = "actor2 won, actor1 witnessed its 2")
@Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "two winners")
@Outcome(expect = FORBIDDEN, desc = "no winner, a wrong witness, or a final value not the winner's")
@State
public class PaddedAtomicLongCompareAndExchangeTest {
    final PaddedAtomicLong value = new PaddedAtomicLong();

    @Actor
    public void actor1(JJJ_Result r) {
        r.r1 = value.compareAndExchange(0, 1);
    }

    @Actor
    public void actor2(JJJ_Result r) {
        r.r2 = value.compareAndExchange(0, 2);
    }

    @Arbiter
    public void arbiter(JJJ_Result r) {
        r.r3 = value.get();
    }
}
