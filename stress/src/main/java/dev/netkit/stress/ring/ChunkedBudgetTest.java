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
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * The byte budget against two producers: exactly one of two frames fits. Chunks of 64 bytes, budget 128
 * (two chunks, the least allowed). Two consumed frames (a full chunk 0, then [64, 112)) leave the queue
 * empty with head = tail = 112 (16 bytes left in chunk 1; chunk 0 zeroed and parked), and the producers'
 * cached head still at 0 (every earlier claim fit against it). Each producer offers a 56-byte frame, the
 * largest (a 64-byte record: 1s, 2s). The first to claim pads the rest of chunk 1 and takes [128, 192): 80
 * bytes past the head, within budget once it re-reads the head (against its cached head, 0, it is not). The
 * second would take [192, 256), 144 bytes past the head: full. So exactly one gets OFFER_COMMITTED and the
 * other OFFER_FULL, never both (the budget overrun) and never neither (the queue was empty). The arbiter
 * drains exactly the winner's frame, intact, trims and checks that every chunk went back. Outcome: (producer
 * 1's tryOffer, producer 2's tryOffer; 0 committed, 1 full; frames drained as digits (9: torn), settle: 0
 * when the trim returned true, no chunk is held and every chunk lent came back once).
 */
@JCStressTest
@Outcome(id = "0, 1, 1, 0", expect = ACCEPTABLE, desc = "producer 1 claimed first; producer 2 over budget")
@Outcome(id = "1, 0, 2, 0", expect = ACCEPTABLE, desc = "producer 2 claimed first; producer 1 over budget")
@Outcome(expect = FORBIDDEN,
        desc = "both committed (budget overrun), both full, a frame lost or torn, or a chunk leaked")
@State
public class ChunkedBudgetTest {
    final ChunkLedger ledger = new ChunkLedger(64, 6);
    final MpscChunkedFrameQueue q = new MpscChunkedFrameQueue(64, 128, ledger.provider);
    final ByteBuffer one = ByteBuffer.wrap(Bytes.of(1, 56));
    final ByteBuffer two = ByteBuffer.wrap(Bytes.of(2, 56));

    public ChunkedBudgetTest() {
        q.offer(Bytes.of(7, 56), 0, 56);                // record [0, 64): chunk 0
        q.offer(Bytes.of(7, 40), 0, 40);                // record [64, 112)
        q.peek(2);
        q.discard();                                    // head = scan = tail = 112
    }

    @Actor
    public void producer1(IIII_Result r) {
        r.r1 = q.tryOffer(one);
    }

    @Actor
    public void producer2(IIII_Result r) {
        r.r2 = q.tryOffer(two);
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r3 = ChunkLedger.drain(q, 0, 56, 56);
        r.r4 = ledger.settle(q);
    }
}
