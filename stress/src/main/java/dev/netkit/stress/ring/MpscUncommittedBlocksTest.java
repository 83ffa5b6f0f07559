package dev.netkit.stress.ring;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.netkit.ring.MpscFrameRing;
import dev.netkit.ring.Segments;
import dev.netkit.stress.fixtures.Bytes;
import java.nio.ByteBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * An uncommitted frame is never delivered, and neither is anything behind it: the producer claims frame A
 * and fills it with 1s, offers (claims and commits) frame B of 2s, and only then commits A. The consumer
 * peeks up to two frames: none, or A then B. B alone would mean the consumer skipped an uncommitted frame;
 * A without B cannot happen (B was committed first). Outcome: (frames, their ids as digits).
 */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "A not committed yet: nothing delivered")
@Outcome(id = "2, 12", expect = ACCEPTABLE, desc = "A committed: A then B")
@Outcome(expect = FORBIDDEN, desc = "B delivered past the uncommitted A, or A seen early")
@State
public class MpscUncommittedBlocksTest {
    final MpscFrameRing ring = new MpscFrameRing(64, 2, Long.MAX_VALUE, System::nanoTime);
    final MpscFrameRing.Claim a = ring.newClaim();

    @Actor
    public void producer() {
        ring.tryClaim(8, a);
        ByteBuffer b = a.buffer();
        while (b.hasRemaining()) {
            b.put((byte) 1);
        }
        ring.offer(Bytes.of(2, 8), 0, 8);
        a.commit();
    }

    @Actor
    public void consumer(II_Result r) {
        Segments s = ring.peek(2);
        r.r1 = s.count();
        r.r2 = Bytes.ids(s);
    }
}
