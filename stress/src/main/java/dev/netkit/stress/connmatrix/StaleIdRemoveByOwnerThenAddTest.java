package dev.netkit.stress.connmatrix;

import dev.netkit.connmatrix.ConnMatrix;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Stale id under reuse: while the owner removes {@code id1} and at once adds {@code o2} into the same slot,
 * a concurrent {@code get(id1)} returns {@code o1} or null, never {@code o2}; at rest {@code get(id1)} is
 * null and {@code get(id2)} is {@code o2}. This is the ABA case a generation exists for: the reader may
 * load the slot's generation before the remove and the connection after the re-add, and must then notice
 * that the generation moved.
 *
 * <p>Before the actors run: {@code id1 = add(0, o1)}. The owner calls {@code removeByOwner(id1)} (the
 * slot goes straight to the owner's free stack),
 * then {@code id2 = add(0, o2)}, which reuses slot 0 at generation 3. The reader calls {@code get(id1)}.
 *
 * <p>Outcome: (owner's remove result, reader's get(id1), arbiter's get(id1), arbiter's get(id2), 1 if id2
 * is slot 0 at generation 3), where a get is coded 0 = null, 1 = o1, 2 = o2, 3 = another object.
 */
@JCStressTest
@Outcome(id = "1, 0, 0, 2, 1", expect = ACCEPTABLE, desc = "get(id1) ran after the remove")
@Outcome(id = "1, 1, 0, 2, 1", expect = ACCEPTABLE, desc = "get(id1) ran before the remove")
@Outcome(id = "[^,]*, 2, .*", expect = FORBIDDEN, desc = "the old id found the new connection in its reused slot")
@Outcome(id = "[^,]*, [^,]*, [^,]*, [^,]*, 0", expect = FORBIDDEN,
        desc = "o2 did not reuse o1's slot: nothing was tested")
@Outcome(expect = FORBIDDEN, desc = "the sole remove lost, or a wrong answer at rest")
@State
public class StaleIdRemoveByOwnerThenAddTest {
    final ConnMatrix<Object> matrix = new ConnMatrix<>(1, 64);
    final Object o1 = new Object();
    final Object o2 = new Object();
    final long id1 = Ids.expect(matrix.add(0, o1), Ids.id(1, 0, 0));
    long id2;

    @Actor
    public void owner(IIIII_Result r) {
        r.r1 = matrix.removeByOwner(id1) ? 1 : 0;
        id2 = matrix.add(0, o2);
    }

    @Actor
    public void reader(IIIII_Result r) {
        r.r2 = code(matrix.get(id1));
    }

    @Arbiter
    public void arbiter(IIIII_Result r) {
        r.r3 = code(matrix.get(id1));
        r.r4 = code(matrix.get(id2));
        r.r5 = id2 == Ids.id(3, 0, 0) ? 1 : 0;
    }

    private int code(Object got) {
        return got == null ? 0 : got == o1 ? 1 : got == o2 ? 2 : 3;
    }
}
