package dev.netkit.stress.padding;

import dev.netkit.padding.PaddedAtomicLong;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@link PaddedAtomicLong#set(long)} and {@link PaddedAtomicLong#get()} are volatile, hence sequentially
 * consistent (Dekker): when each thread sets its own value and then reads the other's, at least one sees
 * the other's write. Both reading 0 would mean a store was reordered after a later load, which
 * release/acquire alone permits (so this test tells {@code set} from {@code setRelease}).
 *
 * <p>Outcome: (actor1 reads y, actor2 reads x).
 */
@JCStressTest
@Outcome(id = {"0, 1", "1, 0"}, expect = ACCEPTABLE, desc = "one thread ran before the other")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "both stores before both loads")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "store-load reordering: set/get not volatile")
@Outcome(expect = FORBIDDEN, desc = "values never written")
@State
public class PaddedAtomicLongVolatileDekkerTest {
    final PaddedAtomicLong x = new PaddedAtomicLong();
    final PaddedAtomicLong y = new PaddedAtomicLong();

    @Actor
    public void actor1(JJ_Result r) {
        x.set(1);
        r.r1 = y.get();
    }

    @Actor
    public void actor2(JJ_Result r) {
        y.set(1);
        r.r2 = x.get();
    }
}
