package dev.netkit.stress.connmatrix;

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
 * Growth adds a page and never copies, so a reader racing growth never misses an existing entry; and an
 * entry on the new page is published with the page: a reader that finds it sees its fields set.
 *
 * <p>Before the actors run, shard 0 is filled to the end of its first page (4,096 slots, the page size the
 * public constructors use; slot 4,095 holds {@code old}). The owner then adds a new {@link Conn}, which
 * creates the second page (slot 4,096). Meanwhile the reader calls {@code get} on the old entry, then on
 * the predicted id of the new one (generation 1, slot 4,096), without any synchronization with the owner.
 *
 * <p>Outcome: (reader's get of the old entry: 1 if {@code old}, reader's get of the new id: 0 = null,
 * 1 = found with its fields set, 2 = found with a field at its default value, 1 if the add returned the
 * predicted id, 1 if at rest both entries are found and size() is 4,097).
 */
@JCStressTest
@Outcome(id = "1, 0, 1, 1", expect = ACCEPTABLE, desc = "old entry found; the new one not published yet")
@Outcome(id = "1, 1, 1, 1", expect = ACCEPTABLE, desc = "old entry found; the new one found, fields set")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "the existing entry was missed while a page was added")
@Outcome(id = "[^,]*, 2, .*", expect = FORBIDDEN, desc = "the new entry was found before its fields")
@Outcome(id = "[^,]*, [^,]*, 0, .*", expect = FORBIDDEN, desc = "the add did not take slot 4,096: no page was added")
@Outcome(expect = FORBIDDEN, desc = "an entry lost or the count wrong at rest")
@State
public class GrowthRacingGetTest {
    static final int PAGE = 4096;
    static final long OLD_ID = Ids.id(1, 0, PAGE - 1);
    static final long NEW_ID = Ids.id(1, 0, PAGE);
    private static final Object FILLER = new Object();

    final ConnMatrix<Object> matrix = new ConnMatrix<>(1, 2 * PAGE);
    final Object old = new Object();

    public GrowthRacingGetTest() {
        for (int i = 0; i < PAGE - 1; i++) {
            matrix.add(0, FILLER);
        }
        Ids.expect(matrix.add(0, old), OLD_ID);
    }

    @Actor
    public void owner(IIII_Result r) {
        r.r3 = matrix.add(0, new Conn()) == NEW_ID ? 1 : 0;
    }

    @Actor
    public void reader(IIII_Result r) {
        r.r1 = matrix.get(OLD_ID) == old ? 1 : 0;
        Object got = matrix.get(NEW_ID);
        r.r2 = got == null ? 0 : ((Conn) got).a == 1 && ((Conn) got).b == 2 ? 1 : 2;
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r4 = matrix.get(OLD_ID) == old && matrix.get(NEW_ID) instanceof Conn && matrix.size() == PAGE + 1
                ? 1 : 0;
    }
}
