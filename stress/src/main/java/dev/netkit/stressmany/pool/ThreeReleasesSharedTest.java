package dev.netkit.stressmany.pool;

import dev.netkit.pool.ObjectPool;
import dev.netkit.stress.fixtures.Obj;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Three threads release the same object at once into the shared slots (the virtual-thread path, forced
 * with {@code sharedOnly()}): exactly one succeeds, the other two get {@link IllegalStateException}, and
 * the object is in the pool once. The three-actor form of {@code stress.pool.DoubleReleaseSharedTest}.
 *
 * <p>Each release CASes the state word IN_USE to IN_SHARED, then CASes a free slot from null to the
 * object; the pool has four slots, so a buggy second or third winner would find room and show.
 *
 * <p>Bugs it catches: a state transition that is not a single CAS (two or three winners, the object in two
 * or three slots: idle 2 or 3); a loser that still fills a slot or does not throw; a winner whose slot CAS
 * loses to another releaser and drops the object (idle 0).
 *
 * <p>Outcome: (actor 1 succeeded, actor 2 succeeded, actor 3 succeeded, objects idle at rest, released
 * count at rest).
 */
@JCStressTest
@Outcome(id = {"1, 0, 0, 1, 1", "0, 1, 0, 1, 1", "0, 0, 1, 1, 1"}, expect = ACCEPTABLE,
        desc = "one release won, the other two were told")
@Outcome(id = {"1, 1, .*", "1, 0, 1, .*", "0, 1, 1, .*"}, expect = FORBIDDEN,
        desc = "two or three releases succeeded")
@Outcome(expect = FORBIDDEN, desc = "no winner, or the object pooled twice or not at all")
@State
public class ThreeReleasesSharedTest {
    final ObjectPool<Obj> pool = ObjectPool.builder(Obj::new).sharedOnly().sharedSlots(2, 2).build();
    final Obj o = new Obj();

    @Actor
    public void a1(IIIII_Result r) {
        r.r1 = release();
    }

    @Actor
    public void a2(IIIII_Result r) {
        r.r2 = release();
    }

    @Actor
    public void a3(IIIII_Result r) {
        r.r3 = release();
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
    public void atRest(IIIII_Result r) {
        r.r4 = pool.idle();
        r.r5 = (int) pool.stats().released();
    }
}
