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
 * A remote remove is counted together with the add it undoes: a thread whose {@code remove(id)} of a
 * just-added entry succeeded, and which then reads {@code size(0)}, sees 0. Its remove happens after the
 * add (it read the add's generation), and both completed before the read began, so even a weakly
 * consistent count must reflect both. (The implementation reads the remote-remove counter with acquire
 * before the owner's fields for this reason.)
 *
 * <p>A fresh matrix: the owner adds {@code x} to shard 0 (the add also creates the shard's first page).
 * The other thread calls {@code remove} with the predicted id (generation 1, shard 0, slot 0), so it may
 * run before the add, during it or after it, then reads {@code size(0)}.
 *
 * <p>Outcome: (remove(id), the remover's size(0), size() at rest, 1 if at rest get(id) is x, 0 if null).
 */
@JCStressTest
@Outcome(id = "1, 0, 0, 0", expect = ACCEPTABLE, desc = "removed after the add; both counted")
@Outcome(id = "0, 0, 1, 1", expect = ACCEPTABLE, desc = "remove ran before the add; size before it too")
@Outcome(id = "0, 1, 1, 1", expect = ACCEPTABLE, desc = "remove ran before the add; size after it")
@Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "the remover's own completed remove was not counted")
@Outcome(expect = FORBIDDEN, desc = "an inexact count or a wrong entry at rest")
@State
public class SizeAfterRemoteRemoveTest {
    static final long ID = Ids.id(1, 0, 0);

    final ConnMatrix<Object> matrix = new ConnMatrix<>(1, 64);
    final Object x = new Object();

    @Actor
    public void owner() {
        matrix.add(0, x);
    }

    @Actor
    public void remover(IIII_Result r) {
        r.r1 = matrix.remove(ID) ? 1 : 0;
        r.r2 = (int) matrix.size(0);
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r3 = (int) matrix.size();
        Object got = matrix.get(ID);
        r.r4 = got == null ? 0 : got == x ? 1 : 2;
    }
}
