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
 * {@link PaddedAtomicLong#incrementAndGet()} and {@link PaddedAtomicLong#addAndGet(long)} are atomic with
 * respect to each other: run at once, each returns the value after its own addition, the later one
 * includes the earlier one's, and no update is lost (the final value is 3).
 *
 * <p>Outcome: (incrementAndGet's result, addAndGet(2)'s result, final value).
 */
@JCStressTest
@Outcome(id = "1, 3, 3", expect = ACCEPTABLE, desc = "increment first, then add saw it")
@Outcome(id = "3, 2, 3", expect = ACCEPTABLE, desc = "add first, then increment saw it")
@Outcome(id = "1, 2, .*", expect = FORBIDDEN, desc = "both started from 0: the additions were not atomic")
@Outcome(id = {".*, .*, 1", ".*, .*, 2"}, expect = FORBIDDEN, desc = "an addition was lost")
@Outcome(expect = FORBIDDEN, desc = "impossible with atomic additions")
@State
public class PaddedAtomicLongAddAndGetTest {
    final PaddedAtomicLong value = new PaddedAtomicLong();

    @Actor
    public void actor1(JJJ_Result r) {
        r.r1 = value.incrementAndGet();
    }

    @Actor
    public void actor2(JJJ_Result r) {
        r.r2 = value.addAndGet(2);
    }

    @Arbiter
    public void arbiter(JJJ_Result r) {
        r.r3 = value.get();
    }
}
