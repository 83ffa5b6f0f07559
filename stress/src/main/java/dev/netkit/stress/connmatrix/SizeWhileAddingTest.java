package dev.netkit.stress.connmatrix;

import dev.netkit.connmatrix.ConnMatrix;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@code size()} read by another thread while the owner adds twice: each read is 0, 1 or 2 (with only adds
 * running there is nothing else a weakly consistent count can be), a second read is at least the first,
 * and at rest both {@code size()} and {@code size(0)} are 2.
 *
 * <p>Why non-decreasing is required here although {@code size()} is only weakly consistent: with no
 * removes the remote-remove counter and the owner's stack stay 0 and size(0) is the owner's high-water
 * mark, written with opaque stores and read with opaque loads; opaque accesses to one variable are
 * coherent, so a later read by the same thread cannot return an older value. A size that went backwards with only adds running would
 * report an add as undone.
 *
 * <p>Outcome: (first size(), second size(), size() at rest, size(0) at rest).
 */
@JCStressTest
@Outcome(id = {"0, 0, 2, 2", "0, 1, 2, 2", "0, 2, 2, 2", "1, 1, 2, 2", "1, 2, 2, 2", "2, 2, 2, 2"},
        expect = ACCEPTABLE, desc = "counts between 0 and 2, non-decreasing, exact at rest")
@Outcome(id = {"1, 0, .*", "2, 0, .*", "2, 1, .*"}, expect = FORBIDDEN, desc = "the count went backwards")
@Outcome(expect = FORBIDDEN, desc = "a count outside [0, 2], or an inexact count at rest")
@State
public class SizeWhileAddingTest {
    final ConnMatrix<Object> matrix = new ConnMatrix<>(2, 64);

    @Actor
    public void owner() {
        matrix.add(0, new Object());
        matrix.add(0, new Object());
    }

    @Actor
    public void reader(IIII_Result r) {
        r.r1 = (int) matrix.size();
        r.r2 = (int) matrix.size();
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r3 = (int) matrix.size();
        r.r4 = (int) matrix.size(0);
    }
}
