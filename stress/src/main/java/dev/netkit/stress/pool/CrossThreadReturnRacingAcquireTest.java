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
 * A cross-thread return racing the owner's acquire: nothing is duplicated, nothing is lost while there
 * is room, and the returner's writes reach the owner.
 *
 * <p>The owner acquires {@code o} (its home is now the owner's cache), publishes it in a volatile field
 * and acquires again. The returner, if it sees {@code o}, writes x = 7 and releases it from its own
 * thread: one CAS on the state word, one offer into the owner's inbox. If that lands before the owner's
 * second acquire, the owner drains its inbox and gets {@code o} back, with x = 7; otherwise {@code o}
 * must still be in the inbox at rest.
 *
 * <p>Outcome: (owner's second acquire returned o, the x it read there (0 if not o), returner released,
 * objects idle in the pool at rest).
 */
@JCStressTest
@Outcome(id = "1, 7, 1, 0", expect = ACCEPTABLE, desc = "returned first; the owner drained it from its inbox")
@Outcome(id = "0, 0, 1, 1", expect = ACCEPTABLE, desc = "returned after the owner's acquire; waits in the inbox (or, if the owner thread had exited, in the returner's cache)")
@Outcome(id = "0, 0, 0, 0", expect = ACCEPTABLE, desc = "the returner did not see o yet")
@Outcome(id = "1, [^7], .*", expect = FORBIDDEN, desc = "the returner's write did not reach the owner")
@Outcome(id = "0, 0, 1, 0", expect = FORBIDDEN, desc = "a returned object was lost")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class CrossThreadReturnRacingAcquireTest {
    final ObjectPool<Obj> pool = ObjectPool.builder(Obj::new).capacityPerThread(2).inboxCapacity(2).sharedSlots(1, 1).build();
    volatile Obj handoff;

    @Actor
    public void owner(IIII_Result r) {
        Obj o = pool.acquire();
        handoff = o;
        Obj again = pool.acquire();
        r.r1 = again == o ? 1 : 0;
        r.r2 = again == o ? again.x : 0;
    }

    @Actor
    public void returner(IIII_Result r) {
        Obj o = handoff;
        if (o != null) {
            o.x = 7;
            pool.release(o);
            r.r3 = 1;
        }
    }

    @Arbiter
    public void atRest(IIII_Result r) {
        r.r4 = pool.idle();
    }
}
