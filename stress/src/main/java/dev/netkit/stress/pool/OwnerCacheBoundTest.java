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
 * Bounds and conservation while another thread returns the owner's objects through its inbox and the
 * owner drains it. Cache capacity 1, inbox capacity 2.
 *
 * <p>The owner acquires x, y, z, hands all three to the returner through a volatile field, and acquires
 * once more: its stack is empty, so it drains up to one object from its inbox (the room its cache has),
 * or creates a new one. The returner, if it sees them, releases x, y, z; an offer to a full inbox drops
 * the object. At rest: idle (inbox + stack) is at most 3, and every returned object is accounted for:
 * 3 = idle + (the owner's last acquire came from the pool) + dropped.
 *
 * <p>jcstress may end an actor's thread before the other actor runs. A release meant for a dead owner is
 * adopted by the releasing platform thread (its own cache, also of capacity 1) instead of the inbox, which
 * gives two more outcomes; the accounting holds in all of them.
 *
 * <p>Outcome: (returner released (1) or saw nothing (0), objects idle at rest, dropped at rest, the
 * owner's last acquire returned x, y or z).
 */
@JCStressTest
@Outcome(id = "0, 0, 0, 0", expect = ACCEPTABLE, desc = "no return; the owner made a new object")
@Outcome(id = "1, 2, 1, 0", expect = ACCEPTABLE, desc = "owner acquired first; x, y in the inbox, z dropped (full)")
@Outcome(id = "1, 2, 0, 1", expect = ACCEPTABLE, desc = "owner drained one while the inbox had room for the rest")
@Outcome(id = "1, 1, 1, 1", expect = ACCEPTABLE, desc = "all returned first (z dropped); owner drained one")
@Outcome(id = "1, 1, 2, 0", expect = ACCEPTABLE, desc = "owner thread had exited: the returner adopted x (its own "
        + "cache holds 1) and dropped y, z")
@Outcome(id = "1, 3, 0, 0", expect = ACCEPTABLE, desc = "owner thread exited after x, y were offered: the returner adopted z")
@Outcome(expect = FORBIDDEN, desc = "a bound was exceeded or an object was lost or duplicated")
@State
public class OwnerCacheBoundTest {
    final ObjectPool<Obj> pool = ObjectPool.builder(Obj::new).capacityPerThread(1).inboxCapacity(2).sharedSlots(1, 1).build();
    volatile Obj[] handoff;

    @Actor
    public void owner(IIII_Result r) {
        Obj x = pool.acquire();
        Obj y = pool.acquire();
        Obj z = pool.acquire();
        handoff = new Obj[] {x, y, z};
        Obj last = pool.acquire();
        r.r4 = last == x || last == y || last == z ? 1 : 0;
    }

    @Actor
    public void returner(IIII_Result r) {
        Obj[] h = handoff;
        if (h != null) {
            pool.release(h[0]);
            pool.release(h[1]);
            pool.release(h[2]);
            r.r1 = 1;
        }
    }

    @Arbiter
    public void atRest(IIII_Result r) {
        r.r2 = pool.idle();
        r.r3 = (int) pool.stats().dropped();
    }
}
