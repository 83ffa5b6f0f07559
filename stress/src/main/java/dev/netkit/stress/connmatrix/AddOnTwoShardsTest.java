package dev.netkit.stress.connmatrix;

import dev.netkit.connmatrix.ConnMatrix;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

import java.util.Arrays;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two owners adding to their own shards at the same time get distinct ids, every entry is found by its
 * id afterwards, and the counts are exact at rest: the shards' owner state and padded counters do not
 * disturb each other. (Two threads adding to one shard at once breaks {@code add}'s contract, so it is
 * not tested.)
 *
 * <p>Each owner adds two connections to its shard, the first of which creates the shard's first page.
 * Outcome, all in the arbiter: (distinct ids among the four, ids whose {@code get} returns their
 * connection, size(), size(0), size(1)).
 */
@JCStressTest
@Outcome(id = "4, 4, 4, 2, 2", expect = ACCEPTABLE, desc = "four distinct ids, all found, exact counts")
@Outcome(id = {"[0-3], .*"}, expect = FORBIDDEN, desc = "two adds returned the same id")
@Outcome(id = {"[^,]*, [0-3], [^,]*, [^,]*, .*"}, expect = FORBIDDEN, desc = "an added entry is not found by its id")
@Outcome(expect = FORBIDDEN, desc = "an add was lost from the counts")
@State
public class AddOnTwoShardsTest {
    final ConnMatrix<Object> matrix = new ConnMatrix<>(2, 64);
    final Object a1 = new Object();
    final Object a2 = new Object();
    final Object b1 = new Object();
    final Object b2 = new Object();
    long idA1;
    long idA2;
    long idB1;
    long idB2;

    @Actor
    public void owner0() {
        idA1 = matrix.add(0, a1);
        idA2 = matrix.add(0, a2);
    }

    @Actor
    public void owner1() {
        idB1 = matrix.add(1, b1);
        idB2 = matrix.add(1, b2);
    }

    @Arbiter
    public void arbiter(IIIII_Result r) {
        long[] ids = {idA1, idA2, idB1, idB2};
        Object[] conns = {a1, a2, b1, b2};
        r.r1 = (int) Arrays.stream(ids).distinct().count();
        int found = 0;
        for (int i = 0; i < ids.length; i++) {
            if (matrix.get(ids[i]) == conns[i]) {
                found++;
            }
        }
        r.r2 = found;
        r.r3 = (int) matrix.size();
        r.r4 = (int) matrix.size(0);
        r.r5 = (int) matrix.size(1);
    }
}
