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
 * Three platform threads release the same object at once, none of them its owner: exactly one succeeds,
 * the other two get {@link IllegalStateException}, and the object is in the pool once. The three-actor
 * form of {@code stress.pool.DoubleReleaseTest}.
 *
 * <p>The object is homeless (it has no owner cache, as one from the shared slots or from a dead thread),
 * so each release takes the adopt path: a CAS IN_USE to IN_STACK, then a push onto the releasing thread's
 * own cache.
 *
 * <p>Bugs it catches: a state check that is a read then a write instead of a CAS (two or three threads see
 * IN_USE and all push the object: it would later be handed out twice); a CAS loser that pushes anyway or
 * does not throw; a winner that counts the release twice or not at all.
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
public class ThreeReleasesTest {
    final ObjectPool<Obj> pool = ObjectPool.builder(Obj::new).capacityPerThread(2).inboxCapacity(2).sharedSlots(1, 1).build();
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
