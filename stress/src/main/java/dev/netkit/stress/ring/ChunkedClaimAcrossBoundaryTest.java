package dev.netkit.stress.ring;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.netkit.ring.MpscChunkedFrameQueue;
import dev.netkit.stress.fixtures.Bytes;
import java.nio.ByteBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

/**
 * Two claims race across a chunk boundary. Chunks of 64 bytes, budget 128; a consumed 32-byte frame leaves
 * the tail (and the head) at offset 40 of chunk 0, so 24 bytes remain in it. Producer 1 offers frame 1 (16
 * bytes of 1s: a 24-byte record, which fills the rest exactly), producer 2 frame 2 (24 bytes of 2s: a
 * 32-byte record, which never fits the rest). If 1 claims first it takes the rest of chunk 0 and 2 starts
 * chunk 1; if 2 claims first it pads the rest of chunk 0 and starts chunk 1, and 1 follows it there (both may
 * then have borrowed a chunk for chunk 1: one installs it, the other adopts it and gives its own back).
 * Either way both are committed (budget: the later record ends at most 80 bytes past the head). The arbiter
 * drains: both frames, intact, in claim order (no overlap, no tear, the padding never delivered); the queue
 * then holds 2 chunks (chunk 1 installed, and chunk 0, consumed to its end, zeroed and parked in its own
 * slot, 0 of 4); a trim gives both back. Outcome: (producer 1's tryOffer, producer 2's tryOffer, frames
 * drained as digits in delivery order (9: torn or wrong length), chunks held after the drain, settle: 0 when
 * the trim returned true, no chunk is held and the provider got back every chunk it lent, once).
 */
@JCStressTest
@Outcome(id = "0, 0, 12, 2, 0", expect = ACCEPTABLE, desc = "1 took the rest of chunk 0, 2 started chunk 1")
@Outcome(id = "0, 0, 21, 2, 0", expect = ACCEPTABLE, desc = "2 padded chunk 0 and started chunk 1, 1 followed")
@Outcome(expect = FORBIDDEN, desc = "a frame lost, torn or overlapped, a claim failed, or chunks leaked")
@State
public class ChunkedClaimAcrossBoundaryTest {
    final ChunkLedger ledger = new ChunkLedger(64, 4);
    final MpscChunkedFrameQueue q = new MpscChunkedFrameQueue(64, 128, ledger.provider);
    final ByteBuffer one = ByteBuffer.wrap(Bytes.of(1, 16));
    final ByteBuffer two = ByteBuffer.wrap(Bytes.of(2, 24));

    public ChunkedClaimAcrossBoundaryTest() {
        q.offer(Bytes.of(7, 32), 0, 32);                // record [0, 40)
        q.peek(1);
        q.discard();                                    // head = scan = tail = 40
    }

    @Actor
    public void producer1(IIIII_Result r) {
        r.r1 = q.tryOffer(one);
    }

    @Actor
    public void producer2(IIIII_Result r) {
        r.r2 = q.tryOffer(two);
    }

    @Arbiter
    public void arbiter(IIIII_Result r) {
        r.r3 = ChunkLedger.drain(q, 0, 16, 24);
        r.r4 = q.chunks();
        r.r5 = ledger.settle(q);
    }
}
