package dev.netkit.stress.pool;

import dev.netkit.pool.ObjectPool;
import dev.netkit.stress.fixtures.Obj;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Writes made before a release are visible to the next acquirer (release happens-before acquire), on the
 * shared slots. One object is pooled; actor 1 acquires an object, writes x = 1 and y = 2, releases it;
 * actor 2 acquires one and reads y, then x. The reset hook does nothing, so the writes survive.
 *
 * <p>Outcome: (y, x) as actor 2 read them.
 */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "actor 2 got an untouched object")
@Outcome(id = "2, 1", expect = ACCEPTABLE, desc = "actor 2 got the object actor 1 released, with its writes")
@Outcome(expect = FORBIDDEN, desc = "partial writes: the release did not publish them, or a shared hand-out")
@State
public class ReleasePublishesWritesTest {
    final ObjectPool<Obj> pool = ObjectPool.builder(Obj::new).sharedOnly().sharedSlots(2, 2).build();

    public ReleasePublishesWritesTest() {
        pool.release(new Obj());
    }

    @Actor
    public void writer() {
        Obj o = pool.acquire();
        o.x = 1;
        o.y = 2;
        pool.release(o);
    }

    @Actor
    public void reader(II_Result r) {
        Obj o = pool.acquire();
        r.r1 = o.y;
        r.r2 = o.x;
    }
}
