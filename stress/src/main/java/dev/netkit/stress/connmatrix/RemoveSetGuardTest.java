package dev.netkit.stress.connmatrix;

import dev.netkit.connmatrix.ConnMatrix;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A completed remove is final for every thread that learns of it: after another thread's {@code remove(id)}
 * has returned true and published that through a volatile flag, a reader that sees the flag and then
 * calls {@code get(id)} gets null. (The SetGuard pattern: the remove is linearized at its generation CAS,
 * so anything ordered after it must see the entry gone.)
 *
 * <p>Before the actors run: {@code id = add(0, o)}. Actor 1: {@code remove(id)}, then {@code flag = 1}. Actor 2:
 * reads {@code flag}, then {@code get(id)}.
 *
 * <p>Outcome: (remove(id), flag as the reader saw it, reader's get(id): 0 = null, 1 = o, 2 = another object).
 */
@JCStressTest
@Outcome(id = {"1, 0, 0", "1, 0, 1"}, expect = ACCEPTABLE, desc = "flag not seen yet: either answer")
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "flag seen, entry gone")
@Outcome(id = "1, 1, 1", expect = FORBIDDEN, desc = "flag seen, yet get still found the removed entry")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "the sole remover lost")
@Outcome(expect = FORBIDDEN, desc = "get returned another object")
@State
public class RemoveSetGuardTest {
    final ConnMatrix<Object> matrix = new ConnMatrix<>(1, 64);
    final Object o = new Object();
    final long id = Ids.expect(matrix.add(0, o), Ids.id(1, 0, 0));
    volatile int flag;

    @Actor
    public void remover(III_Result r) {
        r.r1 = matrix.remove(id) ? 1 : 0;
        flag = 1;
    }

    @Actor
    public void reader(III_Result r) {
        r.r2 = flag;
        Object got = matrix.get(id);
        r.r3 = got == null ? 0 : got == o ? 1 : 2;
    }
}
