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
 * A late producer never writes into a chunk the queue gave away. Chunks of 64 bytes, budget 128, reclaim
 * at first sight (timeout 0). Before the race a producer claimed frame S, [0, 16) in chunk 0, and frame T
 * (8 bytes of 2s) was committed behind it, [16, 32); the tail is at 32. The producer now writes S's payload
 * (8 bytes of 1s), checks with the provider that its chunk has not been given back since its claim, and
 * commits S. The consumer drains: its first peek reclaims S (unless S is committed already, and then
 * delivers it) and delivers T; it discards, and peeks until a peek returns nothing (a peek releases the hole
 * once the producer's late commit has marked it freed). Then it trims, which gives chunk 0 back to the
 * provider only if nothing is pending (no hole), and offers frame U (8 bytes of 3s): into the rest of chunk 0
 * if the trim refused, else into chunk 1, whose buffer is then chunk 0's old one again (the provider lends
 * the lowest free slice first). If the queue gave chunk 0 back while S was still open, the producer would
 * see its chunk released, and its late commit or freed mark would land on U. The arbiter drains U, trims and
 * checks that every chunk went back once, then reads the holes. Outcome: (commit returned, producer's chunk
 * given back before its commit (1: forbidden), frames the consumer delivered as digits (9: torn), consumer's
 * trim returned, frames the arbiter drained, settle (0 when the final trim returned true, no chunk is held
 * and every chunk lent came back once) + 10000 * holes left).
 */
@JCStressTest
@Outcome(id = "1, 0, 12, 1, 3, 0", expect = ACCEPTABLE, desc = "commit won: S delivered, trim gave chunk 0 back")
@Outcome(id = "0, 0, 2, 1, 3, 0", expect = ACCEPTABLE,
        desc = "reclaim won, the producer came back before the trim, which then gave chunk 0 back")
@Outcome(id = "0, 0, 2, 0, 3, 0", expect = ACCEPTABLE,
        desc = "reclaim won, the producer still inside its frame at the trim, which refused")
@Outcome(expect = FORBIDDEN, desc = "chunk given back under the producer, both or neither won, U lost or torn, a leak")
@State
public class ChunkedLateProducerTest {
    final ChunkLedger ledger = new ChunkLedger(64, 4);
    final MpscChunkedFrameQueue q = new MpscChunkedFrameQueue(64, 128, 8, 0, System::nanoTime, ledger.provider);
    final MpscChunkedFrameQueue.Claim s = q.newClaim();
    final int lease;
    final ByteBuffer u = ByteBuffer.wrap(Bytes.of(3, 8));

    public ChunkedLateProducerTest() {
        q.tryClaim(8, s);                               // S: record [0, 16), not written yet
        lease = ledger.lease(s.buffer());
        q.offer(Bytes.of(2, 8), 0, 8);                  // T: record [16, 32)
    }

    @Actor
    public void producer(IIIIII_Result r) {
        ByteBuffer b = s.buffer();
        int off = s.offset();
        for (int i = 0; i < 8; i++) {
            b.put(off + i, (byte) 1);
        }
        r.r2 = ledger.lease(b) != lease ? 1 : 0;
        r.r1 = s.commit() ? 1 : 0;
    }

    @Actor
    public void consumer(IIIIII_Result r) {
        r.r3 = ChunkLedger.drain(q, 0, 8, 8, 8);
        r.r4 = q.trim() ? 1 : 0;
        q.tryOffer(u);
    }

    @Arbiter
    public void arbiter(IIIIII_Result r) {
        r.r5 = ChunkLedger.drain(q, 0, 8, 8, 8);
        r.r6 = ledger.settle(q) + 10000 * q.holes();
    }
}
