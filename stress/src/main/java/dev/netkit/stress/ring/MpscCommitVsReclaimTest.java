package dev.netkit.stress.ring;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.netkit.ring.MpscFrameRing;
import dev.netkit.ring.Segments;
import dev.netkit.stress.fixtures.Bytes;
import java.nio.ByteBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Commit versus reclaim has exactly one winner. The ring reclaims at first sight (timeout 0); a frame is
 * claimed and filled before the race. The producer commits it; the consumer peeks, which either delivers
 * the committed frame or reclaims the uncommitted one. Exactly one of them wins: a successful commit goes
 * with a delivery and no reclaim, a failed commit with a reclaim and no delivery. Afterwards the arbiter
 * peeks again (releasing a freed hole) and sees no hole left. Outcome: (commit returned, frames delivered to
 * the consumer, frames reclaimed, holes at rest).
 */
@JCStressTest
@Outcome(id = "1, 1, 0, 0", expect = ACCEPTABLE, desc = "commit won; the frame was delivered")
@Outcome(id = "0, 0, 1, 0", expect = ACCEPTABLE, desc = "reclaim won; the late commit returned false")
@Outcome(expect = FORBIDDEN, desc = "both or neither won, or a hole left behind")
@State
public class MpscCommitVsReclaimTest {
    final MpscFrameRing ring = new MpscFrameRing(32, 2, 0, System::nanoTime);
    final MpscFrameRing.Claim claim = ring.newClaim();

    public MpscCommitVsReclaimTest() {
        ring.tryClaim(8, claim);
        ByteBuffer b = claim.buffer();
        while (b.hasRemaining()) {
            b.put((byte) 7);
        }
    }

    @Actor
    public void producer(IIII_Result r) {
        r.r1 = claim.commit() ? 1 : 0;
    }

    @Actor
    public void consumer(IIII_Result r) {
        Segments s = ring.peek(1);
        r.r2 = s.count() == 1 && Bytes.uniform(s.get(0)) == 7 ? 1 : s.count() * 100;
        r.r3 = (int) ring.reclaimedFrames();
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        ring.peek(1);
        r.r4 = ring.holes();
    }
}
