package dev.netkit.stress.padding;

import dev.netkit.padding.PaddedAtomicLong;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@link PaddedAtomicLong#compareAndSet(long, long)} has exactly one winner: two threads racing
 * {@code compareAndSet(0, x)} never both succeed, never both fail (the CAS is strong, it does not fail
 * spuriously), and the final value is the winner's.
 *
 * <p>Outcome: (CAS(0, 1) succeeded, CAS(0, 2) succeeded, final value).
 */
@JCStressTest
@Outcome(id = "true, false, 1", expect = ACCEPTABLE, desc = "actor1 won")
@Outcome(id = "false, true, 2", expect = ACCEPTABLE, desc = "actor2 won")
@Outcome(id = "true, true, .*", expect = FORBIDDEN, desc = "two winners")
@Outcome(id = "false, false, .*", expect = FORBIDDEN, desc = "no winner: a spurious failure")
@Outcome(expect = FORBIDDEN, desc = "final value is not the winner's")
@State
public class PaddedAtomicLongCompareAndSetTest {
    final PaddedAtomicLong value = new PaddedAtomicLong();

    @Actor
    public void actor1(ZZJ_Result r) {
        r.r1 = value.compareAndSet(0, 1);
    }

    @Actor
    public void actor2(ZZJ_Result r) {
        r.r2 = value.compareAndSet(0, 2);
    }

    @Arbiter
    public void arbiter(ZZJ_Result r) {
        r.r3 = value.get();
    }
}
