package dev.netkit.stress.connmatrix;

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
 * No count is lost when shard 0's owner adds while another thread removes an older entry of that shard:
 * the two write different fields (the owner's own state, the shard's remote-remove counter), and at rest
 * {@code size()} is exact and equals the sum of the per-shard sizes. The add may or may not reuse the slot
 * being freed at the same moment (it takes the slots other threads freed only when its own free stack is empty);
 * both must leave the entries right.
 *
 * <p>Before the actors run: {@code id1 = add(0, o1)}, {@code add(1, p)}. Actor 1 (shard 0's owner):
 * {@code id2 = add(0, o2)}. Actor 2: {@code remove(id1)}.
 *
 * <p>Outcome: (remove(id1), size(), size(0), size(1), 1 if at rest get(id1) is null, get(id2) is o2 and
 * the shard 1 entry is p, id2's slot: 0 if it reused o1's slot, 1 if it took a fresh one).
 */
@JCStressTest
@Outcome(id = "1, 2, 1, 1, 1, 0", expect = ACCEPTABLE, desc = "exact counts; o2 reused the slot just freed")
@Outcome(id = "1, 2, 1, 1, 1, 1", expect = ACCEPTABLE, desc = "exact counts; o2 took a fresh slot")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "the sole remover lost")
@Outcome(expect = FORBIDDEN,
        desc = "a count at rest is wrong (an update was lost), an entry is wrong at rest, or an unexpected slot")
@State
public class SizeAddRacingRemoveTest {
    final ConnMatrix<Object> matrix = new ConnMatrix<>(2, 64);
    final Object o1 = new Object();
    final Object o2 = new Object();
    final Object p = new Object();
    final long id1 = Ids.expect(matrix.add(0, o1), Ids.id(1, 0, 0));
    final long idP = matrix.add(1, p);
    long id2;

    @Actor
    public void owner() {
        id2 = matrix.add(0, o2);
    }

    @Actor
    public void remover(IIIIII_Result r) {
        r.r1 = matrix.remove(id1) ? 1 : 0;
    }

    @Arbiter
    public void arbiter(IIIIII_Result r) {
        r.r2 = (int) matrix.size();
        r.r3 = (int) matrix.size(0);
        r.r4 = (int) matrix.size(1);
        r.r5 = matrix.get(id1) == null && matrix.get(id2) == o2 && matrix.get(idP) == p ? 1 : 0;
        r.r6 = id2 == Ids.id(3, 0, 0) ? 0 : id2 == Ids.id(1, 0, 1) ? 1 : -1;
    }
}
