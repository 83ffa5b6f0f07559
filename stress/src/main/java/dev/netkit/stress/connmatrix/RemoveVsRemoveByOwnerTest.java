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
 * The owner's {@code removeByOwner(id)} racing another thread's {@code remove(id)}: exactly one returns
 * true. The two forms free the slot to different places (the owner's free stack, the shard's freed
 * bitmaps), so two winners would put the slot in both.
 *
 * <p>Actor 1 is shard 0's owner (the state was built, and the entry added, before the actors ran, which
 * hands ownership over through a happens-before edge).
 *
 * <p>The arbiter then checks the matrix is whole: {@code get(id)} is null, {@code size()} is 0, and the
 * slot was freed exactly once (two more adds get slot 0 at generation 3, then the fresh slot 1; see
 * {@link Ids#slotFreedOnce}).
 *
 * <p>Outcome: (actor 1's result, actor 2's result, 1 if get(id) is null at rest, size() at rest, 1 if the
 * slot was freed once).
 */
@JCStressTest
@Outcome(id = "1, 0, 1, 0, 1", expect = ACCEPTABLE, desc = "actor 1 won")
@Outcome(id = "0, 1, 1, 0, 1", expect = ACCEPTABLE, desc = "actor 2 won")
@Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "two winners")
@Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "no winner: a live entry was not removed")
@Outcome(expect = FORBIDDEN, desc = "the entry survived, the count is wrong, or the slot was freed twice")
@State
public class RemoveVsRemoveByOwnerTest {
    final ConnMatrix<Object> matrix = new ConnMatrix<>(1, 64);
    final Object o = new Object();
    final long id = Ids.expect(matrix.add(0, o), Ids.id(1, 0, 0));

    @Actor
    public void owner(IIIII_Result r) {
        r.r1 = matrix.removeByOwner(id) ? 1 : 0;
    }

    @Actor
    public void remover(IIIII_Result r) {
        r.r2 = matrix.remove(id) ? 1 : 0;
    }

    @Arbiter
    public void arbiter(IIIII_Result r) {
        r.r3 = matrix.get(id) == null ? 1 : 0;
        r.r4 = (int) matrix.size();
        r.r5 = Ids.slotFreedOnce(matrix);
    }
}
