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
 * An aborted frame is never delivered and its space comes back. Ring of 32 bytes (two 16-byte records). The
 * producer claims A, fills it with 1s and aborts it, offers B (2s; fits beside A), then offers C (3s), which
 * fits only once the consumer has walked past the aborted A and released its space. The consumer peeks and
 * discards what it finds; the arbiter then drains the rest and checks that the whole ring is free again by
 * offering two frames. Outcome: (B offered, C offered, ids delivered by consumer then arbiter, both final
 * offers succeeded).
 */
@JCStressTest
@Outcome(id = "1, 0, 2, 1", expect = ACCEPTABLE, desc = "C found the ring full (A's space not yet released)")
@Outcome(id = "1, 1, 23, 1", expect = ACCEPTABLE, desc = "A's space came back in time for C")
@Outcome(expect = FORBIDDEN, desc = "the aborted frame delivered, a frame lost, or space not returned")
@State
public class MpscAbortTest {
    final MpscFrameRing ring = new MpscFrameRing(32, 2, Long.MAX_VALUE, System::nanoTime);
    final MpscFrameRing.Claim a = ring.newClaim();
    int seen;

    @Actor
    public void producer(IIII_Result r) {
        if (ring.tryClaim(8, a)) {
            ByteBuffer b = a.buffer();
            while (b.hasRemaining()) {
                b.put((byte) 1);
            }
            a.abort();
        }
        r.r1 = ring.offer(Bytes.of(2, 8), 0, 8) ? 1 : 0;
        r.r2 = ring.offer(Bytes.of(3, 8), 0, 8) ? 1 : 0;
    }

    @Actor
    public void consumer() {
        Segments s = ring.peek(2);
        seen = Bytes.ids(s);
        ring.discard();
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        Segments s = ring.peek(2);
        int code = seen;
        for (int i = 0; i < s.count(); i++) {
            code *= 10;
        }
        r.r3 = code + Bytes.ids(s);
        ring.discard();
        r.r4 = ring.offer(Bytes.of(4, 8), 0, 8) && ring.offer(Bytes.of(5, 8), 0, 8) ? 1 : 0;
    }
}
