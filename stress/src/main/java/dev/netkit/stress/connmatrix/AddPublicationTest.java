package dev.netkit.stress.connmatrix;

import dev.netkit.connmatrix.ConnMatrix;
import dev.netkit.stress.fixtures.Conn;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A non-null {@code get} publishes the connection safely: a reader that finds the connection sees the
 * fields its constructor set, never their default values, although nothing but the matrix orders the
 * reader after the writer.
 *
 * <p>The owner constructs a {@link Conn} ({@code a = 1}, {@code b = 2}, plain fields) and adds it to shard
 * 1 of a fresh two-shard matrix; that first add also creates the shard's first page. The reader does not
 * receive the id: it predicts it from the documented layout (generation 1, shard 1, slot 0) and calls
 * {@code get} right away, so the only happens-before edge available to it is the matrix's own.
 *
 * <p>Outcome: (reader found it: 1 or 0, a, b as the reader saw them or -1 when not found, 1 if the add
 * returned the predicted id).
 */
@JCStressTest
@Outcome(id = "0, -1, -1, 1", expect = ACCEPTABLE, desc = "get ran before the add published the entry")
@Outcome(id = "1, 1, 2, 1", expect = ACCEPTABLE, desc = "found, with the fields its constructor set")
@Outcome(id = {"1, 0, [^,]*, .*", "1, [^,]*, 0, .*"}, expect = FORBIDDEN,
        desc = "found, but a field still holds its default value: the add did not publish the connection")
@Outcome(id = "[^,]*, [^,]*, [^,]*, 0", expect = FORBIDDEN, desc = "the add did not return the documented first id")
@Outcome(expect = FORBIDDEN, desc = "values never written")
@State
public class AddPublicationTest {
    static final long ID = Ids.id(1, 1, 0);

    final ConnMatrix<Conn> matrix = new ConnMatrix<>(2, 64);

    @Actor
    public void owner(JJJJ_Result r) {
        r.r4 = matrix.add(1, new Conn()) == ID ? 1 : 0;
    }

    @Actor
    public void reader(JJJJ_Result r) {
        Conn c = matrix.get(ID);
        if (c == null) {
            r.r1 = 0;
            r.r2 = -1;
            r.r3 = -1;
        } else {
            r.r1 = 1;
            r.r2 = c.a;
            r.r3 = c.b;
        }
    }
}
