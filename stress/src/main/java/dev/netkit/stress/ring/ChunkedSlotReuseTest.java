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
import org.openjdk.jcstress.infra.results.IIIIII_Result;

/**
 * A frame is claimed into a chunk that reuses the slot of the chunk the consumer is releasing at that
 * moment. Chunks of 64 bytes, budget 192: ceil(192 / 64) + 1 = 4 slots exactly, so a claim can reach chunk
 * k + 4 (slot k mod 4) as soon as the head has passed chunk k, and no sooner. Before the race: two consumed
 * frames of 7s, [0, 24) and [24, 48), leave the head at 48, in chunk 0; frames X (8 bytes of 1s) [48, 64),
 * Y (16 bytes of 2s) [64, 88), Z (32 bytes of 3s) [88, 128), Z2 (56 bytes of 4s) [128, 192) and W (40 bytes
 * of 5s) [192, 240) are committed; the tail is at 240, 192 bytes past the head. The consumer peeks X and Y
 * and discards them: head 48 to 88, which releases chunk 0 (slot 0 emptied, the buffer zeroed and parked in
 * slot 0) and then publishes the head. The producer claims V (16 bytes: a 24-byte record, which does not fit
 * the 16 bytes left in chunk 3, so it pads them and takes [256, 280) in chunk 4, slot 0), retrying while the
 * queue answers full (up to a bound), so that its claim lands as soon as the head it reads lets it: against
 * the head at 48 it is 232 bytes, over budget; against 88, 192. It writes V's payload (6s) with the claim's
 * put, checks that its chunk is chunk 0's buffer (the only chunk it can get: the one parked in slot 0, since
 * the head it passed was published after the parking), that the chunk did not go back to the provider and
 * that the payload reads back intact, and commits. The arbiter drains Z, Z2, W and V, counts chunks and
 * lends, trims and checks that every chunk went back once.
 *
 * <p>A consumer that published the head before emptying slot 0 lets the producer find chunk 0 still there:
 * V is written into the chunk being zeroed and parked and is lost (its slot is then empty), or the producer
 * finds the slot emptied under its claim and fails. A chunk parked without being zeroed shows the first lap's
 * records behind V (chunk 0's header of the second 7s frame at offset 24, where V's record ends). A chunk
 * released twice or borrowed from the provider in vain shows in the counts. Outcome: (producer: 0 committed,
 * 1 still full after the bound, -1 threw; producer's chunk: 1 if chunk 0's buffer, + 2 if it went back to the
 * provider or its payload was overwritten before the commit (0 when nothing was claimed); frames the consumer
 * peeked as digits; frames the arbiter drained as digits (9: torn, stale or wrong length); 10 * chunks held
 * after the drain + chunks the provider lent in all; settle: 0 when the trim returned true, no chunk is held
 * and every chunk lent came back once).
 */
@JCStressTest
@Outcome(id = "0, 1, 12, 3456, 44, 0", expect = ACCEPTABLE,
        desc = "V claimed once the head passed chunk 0, into chunk 0's buffer taken from slot 0")
@Outcome(id = "1, 0, 12, 345, 44, 0", expect = ACCEPTABLE,
        desc = "the producer gave up before the consumer's discard (still full after the bound)")
@Outcome(expect = FORBIDDEN,
        desc = "V lost, torn or followed by stale frames, the claim threw, V's chunk not chunk 0's or gone back, a leak")
@State
public class ChunkedSlotReuseTest {
    /** How many times the producer claims while the queue answers full. */
    static final int SPINS = 1 << 16;

    final ChunkLedger ledger = new ChunkLedger(64, 8);
    final MpscChunkedFrameQueue q = new MpscChunkedFrameQueue(64, 192, ledger.provider);
    final MpscChunkedFrameQueue.Claim v = q.newClaim();
    final byte[] payload = Bytes.of(6, 16);

    public ChunkedSlotReuseTest() {
        q.offer(Bytes.of(7, 16), 0, 16);                // [0, 24)
        q.offer(Bytes.of(7, 16), 0, 16);                // [24, 48)
        q.peek(2);
        q.discard();                                    // head = 48, chunk 0 still installed
        q.offer(Bytes.of(1, 8), 0, 8);                  // X: [48, 64), the last record of chunk 0
        q.offer(Bytes.of(2, 16), 0, 16);                // Y: [64, 88)
        q.offer(Bytes.of(3, 32), 0, 32);                // Z: [88, 128)
        q.offer(Bytes.of(4, 56), 0, 56);                // Z2: [128, 192)
        q.offer(Bytes.of(5, 40), 0, 40);                // W: [192, 240); tail = head + budget
    }

    @Actor
    public void producer(IIIIII_Result r) {
        try {
            int rc;
            int n = 0;
            while ((rc = q.tryClaim(16, v)) == MpscChunkedFrameQueue.OFFER_FULL && ++n < SPINS) {
                // the head has not passed chunk 0 yet
            }
            if (rc != MpscChunkedFrameQueue.CLAIM_OK) {
                r.r1 = 1;
                return;
            }
            ByteBuffer b = v.buffer();
            int lease = ledger.lease(b);
            v.put(0, payload, 0, payload.length);
            boolean intact = true;
            for (int i = 0; i < payload.length; i++) {
                intact &= b.get(v.offset() + i) == 6;
            }
            r.r2 = (ledger.slice(b) == 0 ? 1 : 0) + (ledger.lease(b) != lease || !intact ? 2 : 0);
            r.r1 = v.commit() ? 0 : 2;
        } catch (RuntimeException e) {
            r.r1 = -1;                                  // e.g. the slot emptied under its claim
        }
    }

    @Actor
    public void consumer(IIIIII_Result r) {
        r.r3 = Bytes.ids(q.peek(2));
        q.discard();
    }

    @Arbiter
    public void arbiter(IIIIII_Result r) {
        r.r4 = ChunkLedger.drain(q, 0, 8, 16, 32, 56, 40, 16);
        r.r5 = 10 * q.chunks() + ledger.acquires();
        r.r6 = ledger.settle(q);
    }
}
