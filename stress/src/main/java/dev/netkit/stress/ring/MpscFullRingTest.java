package dev.netkit.stress.ring;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.netkit.ring.MpscFrameRing;
import dev.netkit.ring.Segments;
import dev.netkit.stress.fixtures.Bytes;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * A full ring never overwrites unread bytes. The 32-byte ring is full with frames X (1s) and Y (2s). The
 * producer offers Z (3s), which fits only once X is discarded, and only into X's space. The consumer peeks
 * both frames and checks them, discards X only, then peeks again: Y must be intact (and Z too, if it came).
 * Outcome: (first check, producer's offer, second check); a check is 1 when the frames held their own bytes.
 */
@JCStressTest
@Outcome(id = {"1, 0, 1", "1, 1, 1"}, expect = ACCEPTABLE, desc = "unread frames intact; Z before/after the discard")
@Outcome(expect = FORBIDDEN, desc = "a producer overwrote a frame the consumer had not discarded")
@State
public class MpscFullRingTest {
    final MpscFrameRing ring = new MpscFrameRing(32, 2, Long.MAX_VALUE, System::nanoTime);

    public MpscFullRingTest() {
        ring.offer(Bytes.of(1, 8), 0, 8);
        ring.offer(Bytes.of(2, 8), 0, 8);
    }

    @Actor
    public void producer(III_Result r) {
        r.r2 = ring.offer(Bytes.of(3, 8), 0, 8) ? 1 : 0;
    }

    @Actor
    public void consumer(III_Result r) {
        Segments s = ring.peek(2);
        r.r1 = s.count() == 2 && Bytes.ids(s) == 12 ? 1 : 0;
        ring.discard(1);
        s = ring.peek(2);
        int ids = Bytes.ids(s);
        r.r3 = (s.count() == 1 && ids == 2) || (s.count() == 2 && ids == 23) ? 1 : 0;
    }
}
