package dev.netkit.stress.connmatrix;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.netkit.connmatrix.ConnMatrix;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * A remote {@code remove} racing the owner's {@code add} to a full shard: the add either takes the slot the
 * remove frees (if the remove's mark and count are visible to it) or throws {@code IllegalStateException}
 * (the documented weak consistency: a shard is full while a remove of one of its entries is still in
 * progress); in both cases the slot comes back exactly once.
 *
 * <p>Set-up: a shard of two slots holds a (slot 0) and b (slot 1). Actor 1 (the owner) adds x; actor 2
 * removes a. The arbiter (the owner again) adds x if actor 1's add threw, and must then get slot 0 at
 * generation 3; a further add must throw (full); get(a) is null, size() is 2.
 *
 * <p>Outcome: (actor 1: 1 if its add got slot 0 at generation 3, 0 if it threw, 2 for any other id; actor
 * 2's result; 1 if the arbiter's checks hold).
 */
@JCStressTest
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "the add took the slot the remove freed")
@Outcome(id = "0, 1, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "the add ran before the remove's hand-back was visible: full, and the slot came back after")
@Outcome(expect = FORBIDDEN, desc = "the freed slot was lost or handed out twice, or a wrong id")
@State
public class RemoteRemoveVsFullShardAddTest {
    final ConnMatrix<Object> matrix = new ConnMatrix<>(1, 2);
    final long idA = Ids.expect(matrix.add(0, new Object()), Ids.id(1, 0, 0));
    final long idB = Ids.expect(matrix.add(0, new Object()), Ids.id(1, 0, 1));
    final Object x = new Object();

    @Actor
    public void owner(III_Result r) {
        try {
            r.r1 = matrix.add(0, x) == Ids.id(3, 0, 0) ? 1 : 2;
        } catch (IllegalStateException full) {
            r.r1 = 0;
        }
    }

    @Actor
    public void remover(III_Result r) {
        r.r2 = matrix.remove(idA) ? 1 : 0;
    }

    @Arbiter
    public void arbiter(III_Result r) {
        boolean xIn = r.r1 == 1 || Ids.addOrZero(matrix, x) == Ids.id(3, 0, 0);
        r.r3 = xIn && Ids.addOrZero(matrix, new Object()) == 0 && matrix.get(idA) == null && matrix.size() == 2
                && matrix.get(Ids.id(3, 0, 0)) == x ? 1 : 0;
    }
}
