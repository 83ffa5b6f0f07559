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
 * A reused slot never answers to an old id: once {@code o1} is removed, {@code get(id1)} returns null,
 * also while the owner adds {@code o2} into the very same slot (the only free slot, reused before a fresh one), and
 * never {@code o2}.
 *
 * <p>Before the actors run: {@code id1 = add(0, o1)}, {@code remove(id1)}. Then the owner adds {@code o2}
 * (slot 0 again, generation 3) while a reader calls {@code get(id1)}.
 *
 * <p>Outcome: (reader's get(id1), arbiter's get(id1), arbiter's get(id2), 1 if id2 is slot 0 at generation
 * 3), where a get is coded 0 = null, 1 = o1, 2 = o2, 3 = another object.
 */
@JCStressTest
@Outcome(id = "0, 0, 2, 1", expect = ACCEPTABLE, desc = "the old id finds nothing, the new one finds o2")
@Outcome(id = "1, .*", expect = FORBIDDEN, desc = "found o1, removed before the race began")
@Outcome(id = "2, .*", expect = FORBIDDEN, desc = "the old id found the new connection in its reused slot")
@Outcome(id = "[^,]*, [^,]*, [^,]*, 0", expect = FORBIDDEN, desc = "o2 did not reuse o1's slot: nothing was tested")
@Outcome(expect = FORBIDDEN, desc = "a wrong answer at rest")
@State
public class StaleIdAfterReAddTest {
    final ConnMatrix<Object> matrix = new ConnMatrix<>(1, 64);
    final Object o1 = new Object();
    final Object o2 = new Object();
    final long id1;
    long id2;

    public StaleIdAfterReAddTest() {
        id1 = Ids.expect(matrix.add(0, o1), Ids.id(1, 0, 0));
        if (!matrix.remove(id1)) {
            throw new IllegalStateException("remove(id1) failed in set-up");
        }
    }

    @Actor
    public void owner() {
        id2 = matrix.add(0, o2);
    }

    @Actor
    public void reader(IIII_Result r) {
        r.r1 = code(matrix.get(id1));
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r2 = code(matrix.get(id1));
        r.r3 = code(matrix.get(id2));
        r.r4 = id2 == Ids.id(3, 0, 0) ? 1 : 0;
    }

    private int code(Object got) {
        return got == null ? 0 : got == o1 ? 1 : got == o2 ? 2 : 3;
    }
}
