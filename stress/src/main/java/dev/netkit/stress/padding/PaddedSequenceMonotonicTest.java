package dev.netkit.stress.padding;

import dev.netkit.padding.PaddedSequence;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A reader never sees a {@link PaddedSequence} go backwards: while the single writer calls
 * {@link PaddedSequence#advance()} twice, two successive {@link PaddedSequence#get()} calls return
 * published positions (0, 1 or 2, never torn) in non-decreasing order, and the writer's two advances
 * leave 2 at rest.
 *
 * <p>Outcome: (first get(), second get(), get() at rest).
 */
@JCStressTest
@Outcome(id = {"0, 0, 2", "0, 1, 2", "0, 2, 2", "1, 1, 2", "1, 2, 2", "2, 2, 2"}, expect = ACCEPTABLE,
        desc = "non-decreasing published positions")
@Outcome(id = {"1, 0, .*", "2, 0, .*", "2, 1, .*"}, expect = FORBIDDEN, desc = "the sequence went backwards")
@Outcome(expect = FORBIDDEN, desc = "a position never published, or an advance lost")
@State
public class PaddedSequenceMonotonicTest {
    final PaddedSequence sequence = new PaddedSequence();

    @Actor
    public void writer() {
        sequence.advance();
        sequence.advance();
    }

    @Actor
    public void reader(JJJ_Result r) {
        r.r1 = sequence.get();
        r.r2 = sequence.get();
    }

    @Arbiter
    public void arbiter(JJJ_Result r) {
        r.r3 = sequence.get();
    }
}
