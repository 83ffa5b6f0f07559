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
 * The capacity bound holds under concurrent releases: shared slots with room for one object, two
 * different objects released at once. One is kept, the other dropped; never both kept, never both
 * dropped while there was room.
 *
 * <p>Outcome: (objects idle at rest, released count, dropped count, actor 1's object is the one kept).
 */
@JCStressTest
@Outcome(id = "1, 1, 1, 1", expect = ACCEPTABLE, desc = "actor 1's object kept, actor 2's dropped")
@Outcome(id = "1, 1, 1, 0", expect = ACCEPTABLE, desc = "actor 2's object kept, actor 1's dropped")
@Outcome(id = "2, .*", expect = FORBIDDEN, desc = "the bound was exceeded")
@Outcome(expect = FORBIDDEN, desc = "an object was lost while there was room, or the counts are wrong")
@State
public class CapacityBoundTest {
    final ObjectPool<Obj> pool = ObjectPool.builder(Obj::new).sharedOnly().sharedSlots(1, 1).build();
    final Obj a = new Obj();
    final Obj b = new Obj();

    @Actor
    public void a1() {
        pool.release(a);
    }

    @Actor
    public void a2() {
        pool.release(b);
    }

    @Arbiter
    public void atRest(IIII_Result r) {
        r.r1 = pool.idle();
        r.r2 = (int) pool.stats().released();
        r.r3 = (int) pool.stats().dropped();
        r.r4 = pool.acquire() == a ? 1 : 0;
    }
}
