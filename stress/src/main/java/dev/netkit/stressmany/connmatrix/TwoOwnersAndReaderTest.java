package dev.netkit.stressmany.connmatrix;

import dev.netkit.connmatrix.ConnMatrix;
import dev.netkit.stress.fixtures.Conn;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two owners add to their own shards while a third thread reads both entries by their predicted ids
 * (generation 1, slot 0, shards 0 and 1), without any synchronization with the owners: each read is null
 * or the connection with its constructor's fields set, and at rest both ids are the predicted ones, both
 * entries are found and size() is 2.
 *
 * <p>Outcome: (reader's get of shard 0's id, of shard 1's id, each 0 = null, 1 = found with fields set,
 * 2 = found with a default-valued field; 1 if both adds returned the predicted ids; 1 if at rest both are
 * found and size() is 2).
 */
@JCStressTest
@Outcome(id = {"0, 0, 1, 1", "0, 1, 1, 1", "1, 0, 1, 1", "1, 1, 1, 1"}, expect = ACCEPTABLE,
        desc = "each entry not yet published, or found with its fields set")
@Outcome(id = {"2, .*", "[^,]*, 2, .*"}, expect = FORBIDDEN, desc = "found before its fields were published")
@Outcome(expect = FORBIDDEN, desc = "unexpected ids, or entries lost at rest")
@State
public class TwoOwnersAndReaderTest {
    static final long ID0 = 1L << 32;
    static final long ID1 = (1L << 32) | (1L << 24);

    final ConnMatrix<Conn> matrix = new ConnMatrix<>(2, 64);
    long id0;
    long id1;

    @Actor
    public void owner0() {
        id0 = matrix.add(0, new Conn());
    }

    @Actor
    public void owner1() {
        id1 = matrix.add(1, new Conn());
    }

    @Actor
    public void reader(IIII_Result r) {
        r.r1 = code(matrix.get(ID0));
        r.r2 = code(matrix.get(ID1));
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r3 = id0 == ID0 && id1 == ID1 ? 1 : 0;
        r.r4 = matrix.get(ID0) != null && matrix.get(ID1) != null && matrix.size() == 2 ? 1 : 0;
    }

    private static int code(Conn c) {
        return c == null ? 0 : c.a == 1 && c.b == 2 ? 1 : 2;
    }
}
