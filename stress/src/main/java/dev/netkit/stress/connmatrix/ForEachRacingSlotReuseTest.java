package dev.netkit.stress.connmatrix;

import dev.netkit.connmatrix.ConnMatrix;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@code forEach} racing a remove and a re-add into the same slot pairs every connection with its own id:
 * it may yield the old entry {@code (idB, b)}, the new one {@code (idD, d)}, or neither, but never a
 * connection under the other's id, never an entry twice, never {@code a} (removed before the actors ran),
 * and always {@code c} (live throughout).
 *
 * <p>Before the actors run: {@code b}, {@code a}, {@code c} in shard 0 (slots 0, 1, 2), {@code a} removed.
 * Actor 1 (the owner): {@code remove(idB)}, then {@code idD = add(0, d)}, which reuses b's slot 0 at
 * generation 3 (the owner takes back the slots other threads' removes freed, slots 0 and 1, lowest
 * first). Actor 2: {@code forEach}.
 *
 * <p>Outcome: (times (idA, a), (idB, b), (idC, c) and (idD, d) were yielded, other yields: a connection
 * with another entry's id or an unknown one, 1 if d reused slot 0 at generation 3).
 */
@JCStressTest
@Outcome(id = {"0, 0, 1, 0, 0, 1", "0, 1, 1, 0, 0, 1", "0, 0, 1, 1, 0, 1"}, expect = ACCEPTABLE,
        desc = "c, and b or d or neither (both changed during the iteration)")
@Outcome(id = "0, 1, 1, 1, 0, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "b and d both yielded: allowed (both changed during the iteration), but they share a slot "
                + "that forEach visits once")
@Outcome(id = "[^,]*, [^,]*, [^,]*, [^,]*, [1-9], .*", expect = FORBIDDEN,
        desc = "a connection yielded with another entry's id: the slot's generation and connection were read torn")
@Outcome(id = "[^,]*, [^,]*, [^,]*, [^,]*, [^,]*, 0", expect = FORBIDDEN,
        desc = "d did not reuse b's slot: nothing was tested")
@Outcome(expect = FORBIDDEN, desc = "a (removed before) yielded, c missed, or an entry yielded twice")
@State
public class ForEachRacingSlotReuseTest {
    final ConnMatrix<Object> matrix = new ConnMatrix<>(1, 64);
    final Object a = new Object();
    final Object b = new Object();
    final Object c = new Object();
    final Object d = new Object();
    final long idB = Ids.expect(matrix.add(0, b), Ids.id(1, 0, 0));
    final long idA = Ids.expect(matrix.add(0, a), Ids.id(1, 0, 1));
    final long idC = Ids.expect(matrix.add(0, c), Ids.id(1, 0, 2));
    long idD;

    public ForEachRacingSlotReuseTest() {
        if (!matrix.remove(idA)) {
            throw new IllegalStateException("remove(idA) failed in set-up");
        }
    }

    @Actor
    public void owner() {
        if (matrix.remove(idB)) {
            idD = matrix.add(0, d);
        }
    }

    @Actor
    public void iterator(IIIIII_Result r) {
        long expectD = Ids.id(3, 0, 0);
        int[] n = new int[5];
        matrix.forEach((id, conn) -> {
            if (conn == a && id == idA) {
                n[0]++;
            } else if (conn == b && id == idB) {
                n[1]++;
            } else if (conn == c && id == idC) {
                n[2]++;
            } else if (conn == d && id == expectD) {
                n[3]++;
            } else {
                n[4]++;
            }
        });
        r.r1 = n[0];
        r.r2 = n[1];
        r.r3 = n[2];
        r.r4 = n[3];
        r.r5 = n[4];
    }

    @Arbiter
    public void arbiter(IIIIII_Result r) {
        r.r6 = idD == Ids.id(3, 0, 0) && matrix.get(idD) == d ? 1 : 0;
    }
}
