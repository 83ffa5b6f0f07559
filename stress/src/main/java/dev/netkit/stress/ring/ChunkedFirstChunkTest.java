package dev.netkit.stress.ring;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
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
 * The empty-to-first-chunk transition: a new queue holds no chunk, and two producers each offer an 8-byte
 * frame (1s, 2s), both into chunk 0. A producer that finds chunk 0's slot empty borrows a chunk before its
 * claim CAS; the loser of the CAS retries right behind the winner, and if it had borrowed too and the slot is
 * still empty it keeps its chunk. After its CAS each installs its chunk with a CAS on the slot, or adopts the
 * one installed: exactly one chunk is installed, both frames are written into it, and a chunk borrowed in
 * vain goes back to the provider (after its producer's header store). The arbiter drains both frames intact and checks that the queue holds
 * exactly one chunk (chunk 0, the head still inside it), then trims and checks that everything went back.
 * Outcome: (producer 1's tryOffer, producer 2's tryOffer, frames drained as digits in claim order (9: torn),
 * chunks the provider lent in all, chunks held after the drain, settle: 0 when the trim returned true, no
 * chunk is held and every chunk lent came back once).
 */
@JCStressTest
@Outcome(id = {"0, 0, 12, 1, 1, 0", "0, 0, 21, 1, 1, 0"}, expect = ACCEPTABLE,
        desc = "the CAS loser found chunk 0 installed: one chunk borrowed")
@Outcome(id = {"0, 0, 12, 2, 1, 0", "0, 0, 21, 2, 1, 0"}, expect = ACCEPTABLE_INTERESTING,
        desc = "both borrowed a chunk: one installed, the other given back")
@Outcome(expect = FORBIDDEN,
        desc = "two chunks installed, a frame lost or torn, or a chunk leaked or released twice")
@State
public class ChunkedFirstChunkTest {
    final ChunkLedger ledger = new ChunkLedger(64, 4);
    final MpscChunkedFrameQueue q = new MpscChunkedFrameQueue(64, 128, ledger.provider);
    final ByteBuffer one = ByteBuffer.wrap(Bytes.of(1, 8));
    final ByteBuffer two = ByteBuffer.wrap(Bytes.of(2, 8));

    @Actor
    public void producer1(IIIIII_Result r) {
        r.r1 = q.tryOffer(one);
    }

    @Actor
    public void producer2(IIIIII_Result r) {
        r.r2 = q.tryOffer(two);
    }

    @Arbiter
    public void arbiter(IIIIII_Result r) {
        r.r3 = ChunkLedger.drain(q, 0, 8, 8);
        r.r4 = ledger.acquires();
        r.r5 = q.chunks();
        r.r6 = ledger.settle(q);
    }
}
