package dev.netkit.stress.connmatrix;

import dev.netkit.connmatrix.ConnMatrix;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@code forEach} racing a remove is weakly consistent: it never yields an entry removed before the
 * iteration began, never yields an entry twice, always yields an entry that stays live throughout, and
 * passes each connection with its own id; an entry removed during the iteration may or may not be yielded.
 *
 * <p>Before the actors run: {@code a} and {@code b} in shard 0, {@code c} in shard 1, and {@code a}
 * removed. Actor 1: {@code remove(idB)}, then {@code flag = 1} (volatile). Actor 2 reads {@code flag},
 * then runs {@code forEach}, counting each connection it receives (with a matching id) and anything else.
 * When it saw the flag, b's remove happened before its iteration began, so b must not be yielded.
 *
 * <p>Outcome: (remove(idB), flag as the iterating thread saw it, times a, b and c were yielded, other
 * yields: an unknown connection or a connection with the wrong id).
 */
@JCStressTest
@Outcome(id = {"1, 0, 0, 0, 1, 0", "1, 0, 0, 1, 1, 0"}, expect = ACCEPTABLE,
        desc = "b removed during the iteration: yielded or not")
@Outcome(id = "1, 1, 0, 0, 1, 0", expect = ACCEPTABLE, desc = "b removed before the iteration: not yielded")
@Outcome(id = "1, 1, 0, 1, 1, 0", expect = FORBIDDEN, desc = "b yielded although removed before the iteration began")
@Outcome(id = "[^,]*, [^,]*, [1-9], .*", expect = FORBIDDEN, desc = "a yielded although removed before the actors ran")
@Outcome(expect = FORBIDDEN, desc = "an entry yielded twice, c missed, a wrong id, or the sole remover lost")
@State
public class ForEachRacingRemoveTest {
    final ConnMatrix<Object> matrix = new ConnMatrix<>(2, 64);
    final Object a = new Object();
    final Object b = new Object();
    final Object c = new Object();
    final long idA = matrix.add(0, a);
    final long idB = matrix.add(0, b);
    final long idC = matrix.add(1, c);
    volatile int flag;

    public ForEachRacingRemoveTest() {
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
        int[] n = new int[4];
        matrix.forEach((id, conn) -> {
            if (conn == a && id == idA) {
                n[0]++;
            } else if (conn == b && id == idB) {
                n[1]++;
            } else if (conn == c && id == idC) {
                n[2]++;
            } else {
                n[3]++;
            }
        });
        r.r3 = n[0];
        r.r4 = n[1];
        r.r5 = n[2];
        r.r6 = n[3];
    }
}
