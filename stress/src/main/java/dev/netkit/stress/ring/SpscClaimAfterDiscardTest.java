package dev.netkit.stress.ring;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.netkit.ring.Segments;
import dev.netkit.ring.SpscByteRing;
import dev.netkit.stress.fixtures.Bytes;
import java.nio.ByteBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * A claim never covers bytes the consumer has not discarded. The ring (capacity 8) is full of 0x11 bytes,
 * starting at index 3 so that they wrap. The consumer peeks all 8 and checks them, discards 4, then peeks
 * the 4 it kept and checks them again. The producer claims 4 bytes; when the claim has them (only after the
 * discard), it fills the claim's views with 0x22, writes the same four bytes again with putInt at offset 0
 * (the offset path) and commits them. Those writes may only land in the discarded space. Outcome: (first
 * check, bytes claimed, second check); a check is 1 when every byte was 0x11.
 */
@JCStressTest
@Outcome(id = {"1, 0, 1", "1, 4, 1"}, expect = ACCEPTABLE, desc = "unread bytes intact; claim before/after the discard")
@Outcome(expect = FORBIDDEN, desc = "the producer claimed or wrote bytes the consumer had not discarded")
@State
public class SpscClaimAfterDiscardTest {
    final SpscByteRing ring;

    public SpscClaimAfterDiscardTest() {
        ring = Bytes.positioned(8, 3);
        ring.write(Bytes.of(0x11, 8), 0, 8);
    }

    @Actor
    public void producer(III_Result r) {
        Segments s = ring.claim(4);
        int n = s.remaining();
        r.r2 = n;
        if (n == 0) {
            return;
        }
        for (int i = 0; i < s.count(); i++) {
            ByteBuffer b = s.get(i);
            while (b.hasRemaining()) {
                b.put((byte) 0x22);
            }
        }
        if (n == 4) {
            ring.putInt(0, 0x22222222);
            ring.commit(4);
        }
    }

    @Actor
    public void consumer(III_Result r) {
        Segments s = ring.peek(8);
        r.r1 = s.remaining() == 8 ? Bytes.all(s, 0x11) : 0;
        ring.discard(4);
        s = ring.peek(4);
        r.r3 = s.remaining() == 4 ? Bytes.all(s, 0x11) : 0;
    }
}
