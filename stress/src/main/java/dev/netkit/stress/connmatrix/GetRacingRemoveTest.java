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
 * {@code get(id)} racing {@code remove(id)} returns the connection or null, never anything else, and the
 * sole remover always wins; at rest the entry is gone and the count is 0.
 *
 * <p>Before the actors run: {@code id = add(0, o)} and {@code add(0, other)} (a neighbour in slot 1, which
 * must never be returned for {@code id}).
 *
 * <p>Outcome: (remove(id), reader's get(id), arbiter's get(id), size() at rest), where a get is coded
 * 0 = null, 1 = o, 2 = another object.
 */
@JCStressTest
@Outcome(id = "1, 1, 0, 1", expect = ACCEPTABLE, desc = "get ran before the remove")
@Outcome(id = "1, 0, 0, 1", expect = ACCEPTABLE, desc = "get ran after the remove")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "the sole remover lost")
@Outcome(id = "[^,]*, 2, .*", expect = FORBIDDEN, desc = "get returned another object")
@Outcome(expect = FORBIDDEN, desc = "the entry survived or the count is wrong")
@State
public class GetRacingRemoveTest {
    final ConnMatrix<Object> matrix = new ConnMatrix<>(1, 64);
    final Object o = new Object();
    final long id = Ids.expect(matrix.add(0, o), Ids.id(1, 0, 0));
    final long neighbour = matrix.add(0, new Object());

    @Actor
    public void remover(IIII_Result r) {
        r.r1 = matrix.remove(id) ? 1 : 0;
    }

    @Actor
    public void reader(IIII_Result r) {
        r.r2 = code(matrix.get(id));
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r3 = code(matrix.get(id));
        r.r4 = (int) matrix.size();
    }

    private int code(Object got) {
        return got == null ? 0 : got == o ? 1 : 2;
    }
}
