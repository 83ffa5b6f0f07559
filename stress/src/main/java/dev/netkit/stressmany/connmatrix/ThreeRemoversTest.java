package dev.netkit.stressmany.connmatrix;

import dev.netkit.connmatrix.ConnMatrix;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Three threads removing one id at once, each with a different form, have exactly one winner: the owner's
 * {@code removeByOwner(id)}, another thread's {@code remove(id)} and a third's {@code remove(id, o)}. At
 * rest the entry is gone, the count is 0, and the slot was freed exactly once: two more adds get slot 0
 * (generation 3), then the fresh slot 1.
 *
 * <p>Before the actors run: {@code id = add(0, o)} (generation 1, shard 0, slot 0).
 *
 * <p>Outcome: (removeByOwner, remove, remove(id, o), 1 if get(id) is null at rest, size() at rest, 1 if
 * the slot was freed once).
 */
@JCStressTest
@Outcome(id = {"1, 0, 0, 1, 0, 1", "0, 1, 0, 1, 0, 1", "0, 0, 1, 1, 0, 1"}, expect = ACCEPTABLE,
        desc = "exactly one winner")
@Outcome(id = "0, 0, 0, .*", expect = FORBIDDEN, desc = "no winner")
@Outcome(expect = FORBIDDEN, desc = "two or three winners, or a wrong state at rest")
@State
public class ThreeRemoversTest {
    static final long ID = (1L << 32);

    final ConnMatrix<Object> matrix = new ConnMatrix<>(1, 64);
    final Object o = new Object();

    public ThreeRemoversTest() {
        if (matrix.add(0, o) != ID) {
            throw new IllegalStateException("the first add did not return generation 1, shard 0, slot 0");
        }
    }

    @Actor
    public void owner(IIIIII_Result r) {
        r.r1 = matrix.removeByOwner(ID) ? 1 : 0;
    }

    @Actor
    public void remover(IIIIII_Result r) {
        r.r2 = matrix.remove(ID) ? 1 : 0;
    }

    @Actor
    public void conditionalRemover(IIIIII_Result r) {
        r.r3 = matrix.remove(ID, o) ? 1 : 0;
    }

    @Arbiter
    public void arbiter(IIIIII_Result r) {
        r.r4 = matrix.get(ID) == null ? 1 : 0;
        r.r5 = (int) matrix.size();
        Object x = new Object();
        Object y = new Object();
        long idX = matrix.add(0, x);
        long idY = matrix.add(0, y);
        r.r6 = idX == (3L << 32) && idY == ((1L << 32) | 1) && matrix.get(idX) == x && matrix.get(idY) == y
                && matrix.size() == 2 ? 1 : 0;
    }
}
