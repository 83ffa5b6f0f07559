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
 * {@link PaddedAtomicLong#getAndAdd(long)} is atomic: two threads adding 1 and 2 at once each see a
 * distinct previous value, one of them sees the other's addition, and no update is lost (the final value
 * is 3).
 *
 * <p>Outcome: (actor1's previous value, actor2's previous value, final value).
 */
@JCStressTest
@Outcome(id = "0, 1, 3", expect = ACCEPTABLE, desc = "actor1 added first, actor2 saw its 1")
@Outcome(id = "2, 0, 3", expect = ACCEPTABLE, desc = "actor2 added first, actor1 saw its 2")
@Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "both saw 0: the additions were not atomic")
@Outcome(id = {".*, .*, 1", ".*, .*, 2"}, expect = FORBIDDEN, desc = "an addition was lost")
@Outcome(expect = FORBIDDEN, desc = "impossible with an atomic getAndAdd")
@State
public class PaddedAtomicLongGetAndAddTest {
    final PaddedAtomicLong value = new PaddedAtomicLong();

    @Actor
    public void actor1(JJJ_Result r) {
        r.r1 = value.getAndAdd(1);
    }

    @Actor
    public void actor2(JJJ_Result r) {
        r.r2 = value.getAndAdd(2);
    }

    @Arbiter
    public void arbiter(JJJ_Result r) {
        r.r3 = value.get();
    }
}
