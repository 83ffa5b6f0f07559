package dev.netkit.stress.pool;

import dev.netkit.pool.ObjectPool;
import dev.netkit.stress.fixtures.Obj;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two platform threads release the same object at once, and neither is its owner: exactly one succeeds,
 * the other gets {@link IllegalStateException}, and the object is in the pool once.
 *
 * <p>The object is homeless (it has no owner cache, as one from the shared slots or from a dead thread),
 * so each release takes the adopt path: a CAS IN_USE to IN_STACK, then a push onto the releasing thread's
 * own cache.
 *
 * <p>Outcome: (actor 1 succeeded, actor 2 succeeded, objects idle at rest, released count at rest).
 */
@JCStressTest
@Outcome(id = "1, 0, 1, 1", expect = ACCEPTABLE, desc = "actor 1 won, actor 2 was told")
@Outcome(id = "0, 1, 1, 1", expect = ACCEPTABLE, desc = "actor 2 won, actor 1 was told")
@Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "both releases succeeded")
@Outcome(expect = FORBIDDEN, desc = "no winner, or the object pooled twice or not at all")
@State
public class DoubleReleaseTest {
    final ObjectPool<Obj> pool = ObjectPool.builder(Obj::new).capacityPerThread(2).inboxCapacity(2).sharedSlots(1, 1).build();
    final Obj o = new Obj();

    @Actor
    public void a1(IIII_Result r) {
        r.r1 = release();
    }

    @Actor
    public void a2(IIII_Result r) {
        r.r2 = release();
    }

    private int release() {
        try {
            pool.release(o);
            return 1;
        } catch (IllegalStateException e) {
            return 0;
        }
    }

    @Arbiter
    public void atRest(IIII_Result r) {
        r.r3 = pool.idle();
        r.r4 = (int) pool.stats().released();
    }
}
