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
 * Two concurrent acquires on a pool holding exactly one object never both return it: one gets it, the
 * other a new one. (Shared slots: the path of virtual threads; forced here with {@code sharedOnly()}.)
 *
 * <p>Outcome: (actor 1 got the pooled object, actor 2 got it), 1 = yes.
 */
@JCStressTest
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "actor 1 got it, actor 2 a new object")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "actor 2 got it, actor 1 a new object")
@Outcome(id = "1, 1", expect = FORBIDDEN, desc = "the same object handed out twice")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "the pooled object was missed by both")
@State
public class AcquireRacingAcquireTest {
    final ObjectPool<Obj> pool = ObjectPool.builder(Obj::new).sharedOnly().sharedSlots(2, 2).build();
    final Obj o = new Obj();

    public AcquireRacingAcquireTest() {
        pool.release(o);
    }

    @Actor
    public void a1(II_Result r) {
        r.r1 = pool.acquire() == o ? 1 : 0;
    }

    @Actor
    public void a2(II_Result r) {
        r.r2 = pool.acquire() == o ? 1 : 0;
    }
}
