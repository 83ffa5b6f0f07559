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
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Disjoint claims: two producers each claim an 8-byte frame in a 32-byte ring (two 16-byte records fill it
 * exactly), fill the whole payload with their id through the claim's view, and commit. The arbiter peeks:
 * two frames, each of one producer's bytes only. Overlapping claims would mix the bytes or lose a frame.
 * Outcome: (frames, id of the first frame, id of the second); -1 for a frame of mixed bytes.
 */
@JCStressTest
@Outcome(id = {"2, 1, 2", "2, 2, 1"}, expect = ACCEPTABLE, desc = "two disjoint frames, in claim order")
@Outcome(expect = FORBIDDEN, desc = "overlapping claims, a lost frame or a failed claim")
@State
public class MpscDisjointClaimsTest {
    final MpscFrameRing ring = new MpscFrameRing(32, 2, Long.MAX_VALUE, System::nanoTime);
    final MpscFrameRing.Claim c1 = ring.newClaim();
    final MpscFrameRing.Claim c2 = ring.newClaim();

    static void fill(MpscFrameRing ring, MpscFrameRing.Claim c, int id) {
        if (ring.tryClaim(8, c)) {
            ByteBuffer b = c.buffer();
            while (b.hasRemaining()) {
                b.put((byte) id);
            }
            c.commit();
        }
    }

    @Actor
    public void producer1() {
        fill(ring, c1, 1);
    }

    @Actor
    public void producer2() {
        fill(ring, c2, 2);
    }

    @Arbiter
    public void arbiter(III_Result r) {
        Segments s = ring.peek(2);
        r.r1 = s.count();
        r.r2 = s.count() > 0 ? Bytes.uniform(s.get(0)) : 0;
        r.r3 = s.count() > 1 ? Bytes.uniform(s.get(1)) : 0;
    }
}
