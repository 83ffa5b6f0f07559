package dev.netkit.stress.pool;

import dev.netkit.pool.BufferPool;
import java.nio.ByteBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * BufferPool: two threads release the same buffer at once; exactly one succeeds, the buffer is pooled
 * once, and the next two acquires return two different buffers.
 *
 * <p>Outcome: (actor 1 succeeded, actor 2 succeeded, buffers idle at rest, the next two acquires returned
 * the same buffer).
 */
@JCStressTest
@Outcome(id = "1, 0, 1, 0", expect = ACCEPTABLE, desc = "actor 1 won, actor 2 was told")
@Outcome(id = "0, 1, 1, 0", expect = ACCEPTABLE, desc = "actor 2 won, actor 1 was told")
@Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "both releases succeeded")
@Outcome(expect = FORBIDDEN, desc = "no winner, pooled twice or lost, or a buffer handed out twice")
@State
public class BufferDoubleReleaseTest {
    final BufferPool pool = BufferPool.heap().sizeClasses(64, 64).sharedOnly().sharedSlots(1, 2).build();
    final ByteBuffer b = pool.acquire(64);

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
            pool.release(b);
            return 1;
        } catch (IllegalStateException e) {
            return 0;
        }
    }

    @Arbiter
    public void atRest(IIII_Result r) {
        r.r3 = pool.idle();
        r.r4 = pool.acquire(64) == pool.acquire(64) ? 1 : 0;
    }
}
