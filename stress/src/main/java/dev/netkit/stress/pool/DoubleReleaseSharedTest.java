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
 * Two threads release the same object at once into the shared slots (the virtual-thread path, forced with
 * {@code sharedOnly()}): exactly one succeeds,
 * the other gets {@link IllegalStateException}, and the object is in the pool once.
 *
 * <p>Each release CASes the state word IN_USE to IN_SHARED, then CASes a free slot from null to the object.
 *
 * <p>Outcome: (actor 1 succeeded, actor 2 succeeded, objects idle at rest, released count at rest).
 */
@JCStressTest
@Outcome(id = "1, 0, 1, 1", expect = ACCEPTABLE, desc = "actor 1 won, actor 2 was told")
@Outcome(id = "0, 1, 1, 1", expect = ACCEPTABLE, desc = "actor 2 won, actor 1 was told")
@Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "both releases succeeded")
@Outcome(expect = FORBIDDEN, desc = "no winner, or the object pooled twice or not at all")
@State
public class DoubleReleaseSharedTest {
    final ObjectPool<Obj> pool = ObjectPool.builder(Obj::new).sharedOnly().sharedSlots(2, 2).build();
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
