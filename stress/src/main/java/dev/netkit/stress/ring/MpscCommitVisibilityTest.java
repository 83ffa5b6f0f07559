package dev.netkit.stress.ring;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.netkit.ring.MpscFrameRing;
import dev.netkit.ring.Segments;
import java.nio.ByteBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

/**
 * Commit visibility, and an uncommitted frame is never delivered: a producer claims a 12-byte frame in a
 * 64-byte ring, writes an int and a long through the claim's view (plain writes) and commits. The consumer
 * peeks one frame: it sees none (not committed yet) or the frame with both values whole, never zeros or a
 * torn value. Outcome: (frames, int, long).
 */
@JCStressTest
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "not committed yet: nothing delivered")
@Outcome(id = "1, 16909060, 361984551142689548", expect = ACCEPTABLE, desc = "committed: int and long whole")
@Outcome(expect = FORBIDDEN, desc = "delivered before commit, or torn values")
@State
public class MpscCommitVisibilityTest {
    final MpscFrameRing ring = new MpscFrameRing(64, 2, Long.MAX_VALUE, System::nanoTime);
    final MpscFrameRing.Claim claim = ring.newClaim();

    @Actor
    public void producer() {
        if (ring.tryClaim(12, claim)) {
            claim.buffer().putInt(0x01020304).putLong(0x05060708090A0B0CL);
            claim.commit();
        }
    }

    @Actor
    public void consumer(JJJ_Result r) {
        Segments s = ring.peek(1);
        r.r1 = s.count();
        if (s.count() == 1) {
            ByteBuffer b = s.get(0);
            r.r2 = b.getInt(b.position());
            r.r3 = b.getLong(b.position() + 4);
        }
    }
}
