package dev.netkit.stress.ring;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.netkit.ring.Segments;
import dev.netkit.ring.SpscByteRing;
import dev.netkit.stress.fixtures.Bytes;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * No overwrite before discard: the ring (capacity 8) is full of 0x11 bytes, starting at index 3 so that
 * they wrap. The consumer peeks all 8 and checks them, discards 4, then peeks the 4 it kept and checks them
 * again; the producer offers 4 bytes of 0x22, which fit only after the discard and may only land in the
 * discarded space. Outcome: (first check, producer's offer, second check); a check is 1 when every byte
 * was 0x11.
 */
@JCStressTest
@Outcome(id = {"1, 0, 1", "1, 1, 1"}, expect = ACCEPTABLE, desc = "unread bytes intact; offer before/after the discard")
@Outcome(expect = FORBIDDEN, desc = "the producer overwrote bytes the consumer had not discarded")
@State
public class SpscNoOverwriteBeforeDiscardTest {
    final SpscByteRing ring;

    public SpscNoOverwriteBeforeDiscardTest() {
        ring = Bytes.positioned(8, 3);
        ring.write(Bytes.of(0x11, 8), 0, 8);
    }

    @Actor
    public void producer(III_Result r) {
        r.r2 = ring.offer(Bytes.of(0x22, 4), 0, 4) ? 1 : 0;
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
