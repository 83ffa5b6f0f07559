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
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@code virtualThreadCaches}: a cross-thread return racing the acquire, and the end, of a virtual thread
 * that owns a cache. Nothing is duplicated, nothing is lost, and the returner's writes reach the owner.
 *
 * <p>The owner actor runs a fresh virtual thread (and joins it) that acquires {@code o} (its home is now
 * that virtual thread's cache), publishes it and acquires again. The returner polls for {@code o} a
 * bounded number of times; if it sees it, it writes x = 7 and releases it from its platform thread: while
 * the virtual thread lives, one CAS on the state word and one offer into its inbox (then the owner's
 * second acquire drains it, with x = 7, or it waits in the inbox); once the virtual thread has ended
 * ({@code isAlive()} false), the returner adopts it into its own cache. Either way it is idle once at rest.
 *
 * <p>Outcome: (the owner's second acquire returned o, the x it read there (0 if not o), returner
 * released, objects idle at rest).
 */
@JCStressTest
@Outcome(id = "1, 7, 1, 0", expect = ACCEPTABLE_INTERESTING, desc = "returned first; the virtual owner drained it from its inbox")
@Outcome(id = "0, 0, 1, 1", expect = ACCEPTABLE, desc = "returned after the owner's acquire: waits in the inbox, or (owner ended) in the returner's cache")
@Outcome(id = "0, 0, 0, 0", expect = ACCEPTABLE, desc = "the returner did not see o")
@Outcome(id = "1, [^7], .*", expect = FORBIDDEN, desc = "the returner's write did not reach the owner")
@Outcome(id = "0, 0, 1, 0", expect = FORBIDDEN, desc = "a returned object was lost")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class VirtualOwnerCrossReturnTest {
    final ObjectPool<Obj> pool = ObjectPool.builder(Obj::new).virtualThreadCaches().capacityPerThread(2)
            .inboxCapacity(2).sharedSlots(1, 1).build();
    volatile Obj handoff;

    @Actor
    public void owner(IIII_Result r) {
        Thread vt = Thread.ofVirtual().start(() -> {
            Obj o = pool.acquire();
            handoff = o;
            Obj again = pool.acquire();
            r.r1 = again == o ? 1 : 0;
            r.r2 = again == o ? again.x : 0;
        });
        boolean interrupted = false;
        for (;;) {
            try {
                vt.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;       // jcstress does not interrupt actors; keep waiting regardless
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Actor
    public void returner(IIII_Result r) {
        Obj o = null;
        for (int i = 0; i < 20_000 && (o = handoff) == null; i++) {
            Thread.onSpinWait();          // bounded: the virtual thread starts a few microseconds late
        }
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
