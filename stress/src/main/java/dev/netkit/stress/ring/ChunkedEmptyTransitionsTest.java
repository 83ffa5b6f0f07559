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
 * The last-chunk-to-empty transition against a producer, with a zeroed provider (a ledger that lends
 * zero-filled chunks and checks that each one comes back zero-filled: the queue zeroes the bytes it wrote
 * before giving a chunk back). Chunks of 64 bytes, budget 128; a consumed 8-byte frame leaves the queue
 * empty with head = scan = tail = 16, inside chunk 0, which is still installed (nothing parked). The consumer
 * trims: it retires the rest of chunk 0 with a CAS of the tail to 64, zeroes the 16 bytes claimed in chunk 0
 * and gives it back. The producer offers an 8-byte frame of 2s. Either trim wins (returns true) and the
 * producer's claim CAS fails and retries in chunk 1, which it installs with a chunk borrowed from the
 * provider (nothing is parked in slot 1); or the producer wins, [16, 32) in chunk 0, and trim returns false
 * (it saw the tail moved, or its CAS failed) and gives nothing back. A trim that gave chunk 0 back under the
 * producer's frame would hand the ledger a chunk with that frame in it (a dirty release), besides losing the
 * frame. In both cases the arbiter drains the frame exactly once, intact, then trims and checks that the
 * queue holds nothing and the provider got back every chunk it lent, once, zero-filled. Outcome: (trim
 * returned, producer's tryOffer (0 committed; -1 if it threw), frames drained as digits (9: torn), chunks
 * the provider lent in all, settle: 0 when the final trim returned true, no chunk is held and every chunk
 * lent came back once, zeroed).
 */
@JCStressTest
@Outcome(id = "1, 0, 2, 2, 0", expect = ACCEPTABLE, desc = "trim won: chunk 0 given back, the frame started chunk 1")
@Outcome(id = "0, 0, 2, 1, 0", expect = ACCEPTABLE, desc = "the producer won: the frame in chunk 0, trim refused")
@Outcome(expect = FORBIDDEN,
        desc = "a frame lost, duplicated or torn, the offer threw, or a chunk leaked, released twice or dirty")
@State
public class ChunkedEmptyTransitionsTest {
    final ChunkLedger ledger = new ChunkLedger(64, 4, true);
    final MpscChunkedFrameQueue q = new MpscChunkedFrameQueue(64, 128, ledger.provider);
    final ByteBuffer two = ByteBuffer.wrap(Bytes.of(2, 8));

    public ChunkedEmptyTransitionsTest() {
        q.offer(Bytes.of(7, 8), 0, 8);                  // record [0, 16)
        q.peek(1);
        q.discard();                                    // head = scan = tail = 16
    }

    @Actor
    public void consumer(IIIII_Result r) {
        r.r1 = q.trim() ? 1 : 0;
    }

    @Actor
    public void producer(IIIII_Result r) {
        try {
            r.r2 = q.tryOffer(two);
        } catch (RuntimeException e) {
            r.r2 = -1;                                  // e.g. its chunk vanished under its claim
        }
    }

    @Arbiter
    public void arbiter(IIIII_Result r) {
        r.r3 = ChunkLedger.drain(q, 0, 0, 8);
        r.r4 = ledger.acquires();
        r.r5 = ledger.settle(q);
    }
}
