package dev.netkit.stress.padding;

import dev.netkit.padding.PaddedSequence;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Every position the single writer publishes with {@link PaddedSequence#advance()} or
 * {@link PaddedSequence#set(long)} publishes the writer's plain writes made before it: a reader whose
 * {@link PaddedSequence#get()} returns 1 sees {@code a}, and one that gets 5 sees {@code a} and {@code b}.
 *
 * <p>The writer stores {@code a = 42}, {@code advance()} to 1, {@code b = 43}, {@code set(5)}.
 * Outcome: (position read with get(), then a and b read plainly).
 */
@JCStressTest
@Outcome(id = {"0, 0, 0", "0, 42, 0", "0, 42, 43"}, expect = ACCEPTABLE,
        desc = "no position seen yet; the plain reads after it race with the writer")
@Outcome(id = "0, 0, 43", expect = ACCEPTABLE_INTERESTING,
        desc = "no position seen; plain reads of a and b are not ordered with each other")
@Outcome(id = {"1, 42, 0", "1, 42, 43"}, expect = ACCEPTABLE, desc = "advance() seen, a published with it")
@Outcome(id = "5, 42, 43", expect = ACCEPTABLE, desc = "set(5) seen, a and b published with it")
@Outcome(id = {"1, 0, .*", "5, 0, .*"}, expect = FORBIDDEN, desc = "position seen but a stale")
@Outcome(id = "5, .*, 0", expect = FORBIDDEN, desc = "set(5) seen but b stale")
@Outcome(expect = FORBIDDEN, desc = "values never written")
@State
public class PaddedSequencePublicationTest {
    final PaddedSequence sequence = new PaddedSequence();
    long a;
    long b;

    @Actor
    public void writer() {
        a = 42;
        sequence.advance();
        b = 43;
        sequence.set(5);
    }

    @Actor
    public void reader(JJJ_Result r) {
        r.r1 = sequence.get();
        r.r2 = a;
        r.r3 = b;
    }
}
