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
 * A trim racing an acquire and a release never hands out an object it took, and never takes one in use.
 *
 * <p>Before the actors: object {@code o} released into the shared slots, then one trim, so {@code o} has
 * been idle one period and the next trim drops it. Actor 1 trims. Actor 2 acquires, releases what it got,
 * and acquires again.
 *
 * <p>Found by this test: trim read o's state, actor 2 acquired o and released it into the same slot, and
 * trim's CAS on the slot then succeeded (ABA) and dropped an object released in the current period. Trim
 * now re-reads the state after its CAS and puts back what no longer qualifies.
 *
 * <p>Outcome: (actor 2's first acquire got o, its second got o, trimmed count at rest, idle at rest).
 */
@JCStressTest
@Outcome(id = "0, 0, 1, 0", expect = ACCEPTABLE, desc = "trim first: o dropped; actor 2 used a new object")
@Outcome(id = "1, 1, 0, 0", expect = ACCEPTABLE, desc = "acquire first: o in use, then released fresh, then reused")
@Outcome(id = "1, 0, 0, 1", expect = ACCEPTABLE, desc = "trim saw o before actor 2 took it and took it after actor 2 "
        + "put it back (ABA), found it fresh and put it back; actor 2's second acquire missed it")
@Outcome(id = "1, 0, 1, 0", expect = FORBIDDEN, desc = "o was trimmed although released in this period")
@Outcome(id = ".*, 1, 1, .*", expect = FORBIDDEN, desc = "o was both handed out and trimmed")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class TrimRacingAcquireReleaseTest {
    final ObjectPool<Obj> pool = ObjectPool.builder(Obj::new).sharedOnly().sharedSlots(1, 2).build();
    final Obj o = new Obj();

    public TrimRacingAcquireReleaseTest() {
        pool.release(o);
        pool.trim();
    }

    @Actor
    public void trimmer() {
        pool.trim();
    }

    @Actor
    public void user(IIII_Result r) {
        Obj x = pool.acquire();
        r.r1 = x == o ? 1 : 0;
        pool.release(x);
        Obj y = pool.acquire();
        r.r2 = y == o ? 1 : 0;
    }

    @Arbiter
    public void atRest(IIII_Result r) {
        r.r3 = (int) pool.stats().trimmed();
        r.r4 = pool.idle();
    }
}
