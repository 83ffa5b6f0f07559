package dev.netkit.stress.connmatrix;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.netkit.connmatrix.ConnMatrix;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * A remote {@code remove} marking its slot in the freed bitmaps while the owner's {@code add} harvests
 * them: the race the bitmaps' level protocol is for (the remover sets its leaf bit, then the group and
 * page bits it reads clear; the owner clears each level before it reads the one below).
 *
 * <p>Set-up (one thread, so the owner's role passes to actor 1 through the state's publication): a shard of
 * three slots holds a (slot 0), b (slot 1) and c (slot 2), and a is removed with {@code remove}, so slot 0
 * is marked in the same leaf word, group and page as slot 1, and the owner's next {@code add} must harvest.
 * Actor 1 (the owner) adds x: the harvest finds slot 0 and, depending on the race, slot 1 too; x gets slot 0
 * (the lowest) at generation 3 either way. Actor 2 removes b, marking slot 1 while that harvest runs.
 *
 * <p>The arbiter, the owner again, checks that slot 1 was not lost: adding y must reuse it (generation
 * 3), whether the racing harvest took it or the next one does, and adding z must then find the shard full
 * (so slot 1 was not handed out twice either). Lost bits would make y's add throw; a slot taken twice would
 * let z in.
 *
 * <p>Outcome: (1 if x got slot 0 at generation 3, actor 2's result, 1 if y got slot 1 at generation 3, z's
 * add threw, get(b) is null, get(c) is not and size() is 3).
 */
@JCStressTest
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "x took slot 0, y slot 1: no freed slot lost or given twice")
@Outcome(expect = FORBIDDEN, desc = "a freed slot was lost, handed out twice, or taken in the wrong order")
@State
public class RemoteRemoveVsHarvestTest {
    final ConnMatrix<Object> matrix = new ConnMatrix<>(1, 3);
    final long idA = Ids.expect(matrix.add(0, new Object()), Ids.id(1, 0, 0));
    final long idB = Ids.expect(matrix.add(0, new Object()), Ids.id(1, 0, 1));
    final long idC = Ids.expect(matrix.add(0, new Object()), Ids.id(1, 0, 2));
    final boolean removedA = Ids.removeOrFail(matrix, idA);

    @Actor
    public void owner(III_Result r) {
        r.r1 = matrix.add(0, new Object()) == Ids.id(3, 0, 0) ? 1 : 0;
    }

    @Actor
    public void remover(III_Result r) {
        r.r2 = matrix.remove(idB) ? 1 : 0;
    }

    @Arbiter
    public void arbiter(III_Result r) {
        Object y = new Object();
        long idY = Ids.addOrZero(matrix, y);
        r.r3 = idY == Ids.id(3, 0, 1) && matrix.get(idY) == y && Ids.addOrZero(matrix, new Object()) == 0
                && matrix.get(idB) == null && matrix.get(idC) != null && matrix.size() == 3 ? 1 : 0;
    }
}
