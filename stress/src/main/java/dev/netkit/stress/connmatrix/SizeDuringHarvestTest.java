package dev.netkit.stress.connmatrix;

import dev.netkit.connmatrix.ConnMatrix;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@code size(0)} read while the owner's {@code add} takes back a slot another thread freed: the count is
 * derived from the owner's fields (its next fresh slot, its free stack, the slots it took back) and the
 * remote-remove counter, and a harvest moves a slot from "freed by another thread" to the owner's stack
 * without changing the count. A reader must never see that move as a drop: the owner's stack size and its
 * count of slots taken back share one long, which the harvest moves with one release store, and the
 * reader acquires that long in one read.
 *
 * <p>Set-up (one thread, so the owner's role passes to actor 1 through the state's publication): shard 0
 * holds a (slot 0) and b (slot 1), and a is removed with {@code remove}, which marks slot 0 in the freed
 * bitmaps and counts a remote remove: one live entry. Actor 1, the owner, adds x: its stack is empty, so it
 * harvests slot 0 onto the stack and pops it, and the count goes from 1 to 2. Actor 2 reads
 * {@code size(0)} twice meanwhile.
 *
 * <p>Outcome: (the first size(0), the second, size(0) at rest).
 */
@JCStressTest
@Outcome(id = {"1, 1, 2", "1, 2, 2", "2, 2, 2"}, expect = ACCEPTABLE,
        desc = "b alone, then b and x: never below the one entry live throughout")
@Outcome(id = {"0, .*", ".*, 0, .*"}, expect = FORBIDDEN, desc = "the harvest's move of slot 0 showed as a drop")
@Outcome(id = "2, 1, .*", expect = FORBIDDEN, desc = "the count went backwards while only adds ran")
@Outcome(expect = FORBIDDEN, desc = "a count above 2, or an inexact count at rest")
@State
public class SizeDuringHarvestTest {
    final ConnMatrix<Object> matrix = new ConnMatrix<>(1, 64);
    final long idA = Ids.expect(matrix.add(0, new Object()), Ids.id(1, 0, 0));
    final long idB = Ids.expect(matrix.add(0, new Object()), Ids.id(1, 0, 1));
    final boolean removedA = Ids.removeOrFail(matrix, idA);

    @Actor
    public void owner() {
        matrix.add(0, new Object());
    }

    @Actor
    public void reader(III_Result r) {
        r.r1 = (int) matrix.size(0);
        r.r2 = (int) matrix.size(0);
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r3 = (int) matrix.size(0);
    }
}
