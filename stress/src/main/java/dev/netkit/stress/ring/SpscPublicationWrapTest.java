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
 * Publication of a write that wraps: the ring (capacity 8, every byte 0xEE from earlier laps) sits at index
 * 6; the producer offers 01 02 03 04, which land at [6, 8) and [0, 2); the consumer peeks 4 bytes through
 * both segments. It sees nothing, or all four correct bytes in two segments; never the stale 0xEE tail.
 * Outcome: (bytes peeked, their value, segments).
 */
@JCStressTest
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "nothing published yet")
@Outcome(id = "4, 16909060, 2", expect = ACCEPTABLE, desc = "all four bytes, correct, in two segments")
@Outcome(expect = FORBIDDEN, desc = "partial, stale (0xEE) or misplaced bytes")
@State
public class SpscPublicationWrapTest {
    final SpscByteRing ring = Bytes.positioned(8, 6);

    @Actor
    public void producer() {
        ring.offer(new byte[] {1, 2, 3, 4}, 0, 4);
    }

    @Actor
    public void consumer(III_Result r) {
        Segments s = ring.peek(4);
        r.r1 = s.remaining();
        r.r2 = Bytes.asInt(s);
        r.r3 = s.count();
    }
}
