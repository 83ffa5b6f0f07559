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
 * A commit into a new chunk races the consumer's release of the previous one, a lap in: the new chunk is
 * the one parked in its slot, and the provider is a zeroed ledger (it lends zero-filled chunks, the queue
 * skips zeroing them and must zero what it wrote before giving one back; the ledger checks every release).
 * Chunks of 64 bytes, budget 128, so 4 slots. Before the race, chunks 0 to 3 were filled and consumed: each
 * was zeroed and parked in its slot (chunk 1 held two 24-byte frames of 7s, [64, 96) and [96, 128)). Chunk 4
 * took chunk 0's buffer from slot 0; in it a consumed frame leaves the head at 288, and frame X (24 bytes of
 * 1s), [288, 320), is its last record; the tail is at the boundary. The producer offers Y (24 bytes of 2s),
 * [320, 352), which starts chunk 5: it takes the chunk parked in slot 1 (chunk 1's buffer, zeroed by the
 * consumer a lap ago), installs it and commits Y. The consumer drains: it delivers X (and Y, if committed by
 * then) and its discard of X releases chunk 4: slot 0 emptied, the buffer zeroed and parked in slot 0 again.
 * Y's record ends at offset 32 of its buffer, where chunk 1 held the header of a 7s frame, so a buffer parked
 * without being zeroed shows that frame (as 9) after Y. The arbiter drains what is left and counts chunks
 * (chunk 5 installed, slots 0, 2 and 3 parked) and lends (the 4 of the first lap: nothing is borrowed in the
 * second), trims and checks that every chunk went back once, zero-filled. Outcome: (producer's tryOffer (0
 * committed; -1 if it threw), frames the consumer drained as digits (9: torn, stale or wrong length), frames the arbiter
 * drained, 10 * chunks held after the drains + chunks the provider lent in all, settle: 0 when the trim
 * returned true, no chunk is held and every chunk lent came back once, zeroed).
 */
@JCStressTest
@Outcome(id = {"0, 1, 2, 44, 0", "0, 12, 0, 44, 0"}, expect = ACCEPTABLE,
        desc = "Y in chunk 1's parked buffer, chunk 4's parked in its slot (consumer got Y / arbiter got Y)")
@Outcome(expect = FORBIDDEN,
        desc = "a frame lost, repeated, torn or stale, a chunk borrowed, held twice, leaked, released twice or dirty")
@State
public class ChunkedCommitVsReleaseTest {
    final ChunkLedger ledger = new ChunkLedger(64, 8, true);
    final MpscChunkedFrameQueue q = new MpscChunkedFrameQueue(64, 128, ledger.provider);
    final ByteBuffer y = ByteBuffer.wrap(Bytes.of(2, 24));

    public ChunkedCommitVsReleaseTest() {
        q.offer(Bytes.of(7, 56), 0, 56);                // [0, 64): chunk 0
        ChunkLedger.drain(q, 0);
        q.offer(Bytes.of(7, 24), 0, 24);                // [64, 96) and [96, 128): chunk 1
        q.offer(Bytes.of(7, 24), 0, 24);
        ChunkLedger.drain(q, 0);
        q.offer(Bytes.of(7, 56), 0, 56);                // [128, 192): chunk 2
        ChunkLedger.drain(q, 0);
        q.offer(Bytes.of(7, 56), 0, 56);                // [192, 256): chunk 3; chunks 0 to 3 now parked
        ChunkLedger.drain(q, 0);
        q.offer(Bytes.of(7, 24), 0, 24);                // [256, 288): chunk 4, chunk 0's buffer
        ChunkLedger.drain(q, 0);                        // head = 288
        q.offer(Bytes.of(1, 24), 0, 24);                // X: [288, 320), the last record in chunk 4
    }

    @Actor
    public void producer(IIIII_Result r) {
        try {
            r.r1 = q.tryOffer(y);
        } catch (RuntimeException e) {
            r.r1 = -1;                                  // e.g. its chunk's slot emptied under its claim
        }
    }

    @Actor
    public void consumer(IIIII_Result r) {
        r.r2 = ChunkLedger.drain(q, 0, 24, 24);
    }

    @Arbiter
    public void arbiter(IIIII_Result r) {
        r.r3 = ChunkLedger.drain(q, 0, 24, 24);
        r.r4 = 10 * q.chunks() + ledger.acquires();
        r.r5 = ledger.settle(q);
    }
}
