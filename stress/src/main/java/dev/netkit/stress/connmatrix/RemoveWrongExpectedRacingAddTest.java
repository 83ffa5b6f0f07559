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
 * {@code remove(id, expected)} removes only {@code expected}: called with another object it returns false
 * and leaves the entry alone, also when the id becomes live while the call runs. Ids often come from the
 * network (the class Javadoc says so), so a caller may hold an id before the add that issues it, for
 * example the next generation of a slot it has seen.
 *
 * <p>Before the actors run: {@code add(0, o0)} then {@code removeByOwner} of it, so slot 0 is free at
 * generation 2. The owner adds {@code x}, which reuses slot 0 at generation 3 (the id is predicted). The
 * other thread calls {@code remove(thatId, y)}, {@code y != x}, 64 times in a row, so that the add lands
 * inside one of the calls. Whatever the interleaving, every call must return false: before the add the
 * id is not live, after it the id names {@code x}, not {@code y}.
 *
 * <p>Outcome: (number of remove(id, y) calls that returned true, 1 if the add returned the predicted id,
 * arbiter's get(id): 0 = null, 1 = x, 2 = another object, size() at rest).
 */
@JCStressTest
@Outcome(id = "0, 1, 1, 1", expect = ACCEPTABLE, desc = "never removed: y is not the connection")
@Outcome(id = "[1-9][^,]*, .*", expect = FORBIDDEN,
        desc = "remove(id, y) removed x: the id was not yet live at its expected-check, live at its CAS")
@Outcome(id = "[^,]*, 0, .*", expect = FORBIDDEN, desc = "the add did not reuse slot 0 at generation 3")
@Outcome(expect = FORBIDDEN, desc = "x lost or the count is wrong")
@State
public class RemoveWrongExpectedRacingAddTest {
    static final long ID = Ids.id(3, 0, 0);

    final ConnMatrix<Object> matrix = new ConnMatrix<>(1, 64);
    final Object x = new Object();
    final Object y = new Object();

    public RemoveWrongExpectedRacingAddTest() {
        if (!matrix.removeByOwner(Ids.expect(matrix.add(0, new Object()), Ids.id(1, 0, 0)))) {
            throw new IllegalStateException("removeByOwner failed in set-up");
        }
    }

    @Actor
    public void owner(IIII_Result r) {
        r.r2 = matrix.add(0, x) == ID ? 1 : 0;
    }

    @Actor
    public void remover(IIII_Result r) {
        int won = 0;
        for (int i = 0; i < 64; i++) {
            if (matrix.remove(ID, y)) {
                won++;
            }
        }
        r.r1 = won;
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        Object got = matrix.get(ID);
        r.r3 = got == null ? 0 : got == x ? 1 : 2;
        r.r4 = (int) matrix.size();
    }
}
