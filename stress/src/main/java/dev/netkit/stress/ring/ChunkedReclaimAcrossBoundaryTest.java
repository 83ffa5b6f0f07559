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
 * A reclaimed frame at the end of a chunk keeps that chunk installed while later chunks are consumed, with
 * a zeroed provider (a ledger that lends zero-filled chunks and checks that each one comes back zero-filled).
 * Chunks of 64 bytes, budget 192 (4 slots), reclaim at first sight (timeout 0). Before the race: chunk 0 was
 * filled and consumed, and is zeroed and parked in its slot; in chunk 1 a consumed frame is followed by
 * frame S, claimed and not written, [112, 128), the last record of chunk 1; frame T (8 bytes of 2s) is
 * committed in chunk 2, [128, 144). The producer writes S's payload (8 bytes of 1s), checks that its chunk
 * was neither given back to the provider nor overwritten (zeroed) since its claim, and commits S. The
 * consumer drains (peeks and discards until a peek returns nothing): its first peek reclaims S unless S is
 * committed already, and delivers T (after S if S was committed); then it reads the holes and the chunks
 * held. While S's producer has not come back (a hole), head stays at S and chunk 1 stays installed. Once it
 * has come back (its commit CAS lost, it marked S freed), or if S was committed in time, the consumer
 * releases chunk 1: zeroed and parked in slot 1. Either way the queue holds three chunks (chunks 1 and 2
 * installed and chunk 0 parked, or chunk 2 installed and chunks 0 and 1 parked). A consumer that released
 * chunk 1 under the hole would zero and park it while the producer still writes S's payload and its freed
 * mark into it: the producer sees its payload overwritten, or the parked chunk is dirty when the final trim
 * gives it back to the zeroed ledger. The arbiter drains what is left (nothing; a hole still open is released
 * now, the producer being done), trims, and checks that no hole remains and every chunk went back once,
 * zero-filled. Outcome: (commit returned, producer's chunk given back or overwritten before its commit (1:
 * forbidden), frames the consumer delivered as digits (9: torn), 10 * holes + chunks held after the
 * consumer's drain, frames the arbiter drained, settle (0 when the trim returned true, no chunk is held and
 * every chunk lent came back once, zeroed) + 10000 * holes left).
 */
@JCStressTest
@Outcome(id = "1, 0, 12, 3, 0, 0", expect = ACCEPTABLE, desc = "commit won: S and T delivered, chunk 1 parked")
@Outcome(id = "0, 0, 2, 13, 0, 0", expect = ACCEPTABLE,
        desc = "reclaim won, the producer not back yet: a hole, chunk 1 still installed")
@Outcome(id = "0, 0, 2, 3, 0, 0", expect = ACCEPTABLE,
        desc = "reclaim won, the producer back before the last peek: chunk 1 parked")
@Outcome(expect = FORBIDDEN,
        desc = "chunk 1 released under a hole, both or neither won, a frame lost or torn, a leak, a dirty chunk")
@State
public class ChunkedReclaimAcrossBoundaryTest {
    final ChunkLedger ledger = new ChunkLedger(64, 4, true);
    final MpscChunkedFrameQueue q = new MpscChunkedFrameQueue(64, 192, 8, 0, System::nanoTime, ledger.provider);
    final MpscChunkedFrameQueue.Claim s = q.newClaim();
    final int lease;

    public ChunkedReclaimAcrossBoundaryTest() {
        q.offer(Bytes.of(7, 56), 0, 56);                // record [0, 64): chunk 0
        q.offer(Bytes.of(7, 40), 0, 40);                // record [64, 112) in chunk 1
        q.tryClaim(8, s);                               // S: record [112, 128), the last in chunk 1
        lease = ledger.lease(s.buffer());
        q.offer(Bytes.of(2, 8), 0, 8);                  // T: record [128, 144) in chunk 2
        q.peek(2);                                      // the two 7-frames only: stops short of S
        q.discard();                                    // head = 112; chunk 0 zeroed and parked in slot 0
    }

    @Actor
    public void producer(IIIIII_Result r) {
        ByteBuffer b = s.buffer();
        int off = s.offset();
        for (int i = 0; i < 8; i++) {
            b.put(off + i, (byte) 1);
        }
        boolean intact = true;
        for (int i = 0; i < 8; i++) {
            intact &= b.get(off + i) == 1;
        }
        r.r2 = ledger.lease(b) != lease || !intact ? 1 : 0;
        r.r1 = s.commit() ? 1 : 0;
    }

    @Actor
    public void consumer(IIIIII_Result r) {
        r.r3 = ChunkLedger.drain(q, 0, 8, 8);
        r.r4 = 10 * q.holes() + q.chunks();
    }

    @Arbiter
    public void arbiter(IIIIII_Result r) {
        r.r5 = ChunkLedger.drain(q, 0, 8, 8);
        r.r6 = ledger.settle(q) + 10000 * q.holes();
    }
}
