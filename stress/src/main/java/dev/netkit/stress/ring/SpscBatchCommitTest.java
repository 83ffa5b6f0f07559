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
 * A batch commit against the consumer's peek and discard. The ring (capacity 16, every byte 0xEE from
 * earlier laps) sits at index 14. The producer claims 12 bytes (two views: [14, 16) and [0, 10)), writes a
 * first message 01 02 03 04 through the views (across the wrap), a second, 0x05060708, with putInt at
 * offset 4, publishes both with one commit(8), then writes a third, 0x090A0B0C, at the new first free byte
 * and never commits it. The consumer peeks everything, reads the two ints with getInt and discards what it
 * saw. It sees nothing or exactly both messages, intact and in order: never one of the two (the commit is
 * one publication), never a stale 0xEE byte, never the uncommitted third. Outcome: (bytes peeked, first
 * int, second int).
 */
@JCStressTest
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "nothing committed yet")
@Outcome(id = "8, 16909060, 84281096", expect = ACCEPTABLE, desc = "both messages of the batch, intact, in order")
@Outcome(expect = FORBIDDEN, desc = "half a batch, stale or misplaced bytes, or uncommitted bytes")
@State
public class SpscBatchCommitTest {
    final SpscByteRing ring = Bytes.positioned(16, 14);

    @Actor
    public void producer() {
        Segments s = ring.claim(12);
        s.get(0).put((byte) 1).put((byte) 2);
        s.get(1).put((byte) 3).put((byte) 4);
        ring.putInt(4, 0x05060708);
        ring.commit(8);
        ring.putInt(0, 0x090A0B0C);
    }

    @Actor
    public void consumer(III_Result r) {
        int n = ring.peek(16).remaining();
        r.r1 = n;
        r.r2 = n >= 4 ? ring.getInt(0) : 0;
        r.r3 = n >= 8 ? ring.getInt(4) : 0;
        ring.discard(n);
    }
}
