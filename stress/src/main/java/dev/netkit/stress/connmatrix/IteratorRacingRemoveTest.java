package dev.netkit.stress.connmatrix;

import dev.netkit.connmatrix.ConnMatrix;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIIII_Result;

import java.util.Iterator;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@code iterator()} racing a remove has {@code forEach}'s guarantees: never an entry removed before the
 * iteration began, never one twice, always one that stays live throughout; an entry removed during the
 * iteration may or may not be yielded. The iterator looks one entry ahead (it finds the next entry when
 * created and after each {@code next()}), so "began" means the call to {@code iterator()}.
 *
 * <p>Before the actors run: {@code a} and {@code b} in shard 0, {@code c} in shard 1, and {@code a}
 * removed. Actor 1: {@code remove(idB)}, then {@code flag = 1} (volatile). Actor 2 reads {@code flag},
 * then creates an iterator and drains it, counting each connection. When it saw the flag, b's remove
 * happened before the iteration began, so b must not be yielded.
 *
 * <p>Outcome: (remove(idB), flag as the iterating thread saw it, times a, b and c were yielded, other
 * connections yielded).
 */
@JCStressTest
@Outcome(id = {"1, 0, 0, 0, 1, 0", "1, 0, 0, 1, 1, 0"}, expect = ACCEPTABLE,
        desc = "b removed during the iteration: yielded or not")
@Outcome(id = "1, 1, 0, 0, 1, 0", expect = ACCEPTABLE, desc = "b removed before the iteration: not yielded")
@Outcome(id = "1, 1, 0, 1, 1, 0", expect = FORBIDDEN, desc = "b yielded although removed before the iteration began")
@Outcome(id = "[^,]*, [^,]*, [1-9], .*", expect = FORBIDDEN, desc = "a yielded although removed before the actors ran")
@Outcome(expect = FORBIDDEN, desc = "an entry yielded twice, c missed, an unknown object, or the sole remover lost")
@State
public class IteratorRacingRemoveTest {
    final ConnMatrix<Object> matrix = new ConnMatrix<>(2, 64);
    final Object a = new Object();
    final Object b = new Object();
    final Object c = new Object();
    final long idA = matrix.add(0, a);
    final long idB = matrix.add(0, b);
    final long idC = matrix.add(1, c);
    volatile int flag;

    public IteratorRacingRemoveTest() {
        if (!matrix.remove(idA)) {
            throw new IllegalStateException("remove(idA) failed in set-up");
        }
    }

    @Actor
    public void remover(IIIIII_Result r) {
        r.r1 = matrix.remove(idB) ? 1 : 0;
        flag = 1;
    }

    @Actor
    public void iterator(IIIIII_Result r) {
        r.r2 = flag;
        int na = 0;
        int nb = 0;
        int nc = 0;
        int other = 0;
        for (Iterator<Object> it = matrix.iterator(); it.hasNext(); ) {
            Object conn = it.next();
            if (conn == a) {
                na++;
            } else if (conn == b) {
                nb++;
            } else if (conn == c) {
                nc++;
            } else {
                other++;
            }
        }
        r.r3 = na;
        r.r4 = nb;
        r.r5 = nc;
        r.r6 = other;
    }
}
