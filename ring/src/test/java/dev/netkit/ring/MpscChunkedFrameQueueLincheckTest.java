package dev.netkit.ring;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * Lincheck model checking: {@link MpscChunkedFrameQueue} used as a queue of ints is linearizable, with the
 * harness of {@link RingLincheckTest}'s MPSC case. {@code offer(v)} from any thread commits a 4-byte frame
 * (a 16-byte record) through {@code tryOffer}; {@code offerBig(v)} commits a 40-byte frame (a 48-byte record)
 * through {@code tryClaim}, a write into the claimed chunk and {@code commit}; {@code claimAbort()} claims a
 * 12-byte frame (24 bytes) and aborts it; the consumer's {@code poll()} peeks one frame and discards it. As
 * there: a claimed frame not yet committed blocks delivery of those behind it, so {@code poll} retries while
 * the queue has a claimed record past its position ({@code isEmpty()} false), and the budget (640 bytes)
 * holds every record a scenario can claim, padding included (nine actors, each record in one chunk, so the
 * tail moves at most nine chunks past offset 48 of the scenario's first chunk: 592 bytes), so the queue never
 * answers full (its "full" is not linearizable, by design: space is released lazily by the consumer).
 *
 * <p>Chunks are 64 bytes, so almost every scenario crosses chunk boundaries: records of 16, 24 and 48 bytes
 * leave chunk-end gaps (padding records), producers race to install the next chunk, the consumer parks each
 * chunk it passed in that chunk's slot and producers race to take it for the next chunk of the slot. The
 * constructor moves the queue to the last slot's chunk first (frames offered and polled: 640 bytes of
 * budget make 16 slots, so chunks 0..14 are parked when the scenario starts, chunk 15 holds the tail at
 * offset 48), so the scenario's next chunk (16) is slot 0's, and the producers that install it race for the
 * chunk parked there (one takes it, the others borrow from the provider and give back what they did not
 * install). The provider lends heap buffers from a fixed set made up front (released ones again, LIFO, under
 * a lock), each with its own {@code long[]} of header words, which the queue finds through the
 * package-private constructor's {@link RecordHeaders} strategy ({@link HeaderWords}, an {@link ArrayHeaders}): Lincheck 3.7 cannot
 * follow {@code byteBufferViewVarHandle} accesses; the algorithm is the same code. The provider also records
 * a buffer lent twice or given back twice (as a queue that took a parked chunk twice would), and every
 * operation throws if it has: an exception the sequential runs never throw fails the check. A second run adds
 * the consumer's {@code trim()}, whose CAS of the tail races the producers' claims and whose give-back of the
 * parked chunks races their takes (of chunks the scenario itself parks). Since trim first walks every slot
 * (and the model checker reports a loop of more than 50 iterations as a hang), that run uses a 384-byte budget
 * (8 slots; its five actors move the tail at most 336 bytes) and starts at offset 48 of chunk 0 with nothing
 * parked: each slot read is a point where the checker may switch threads, and with 16 slots and a parked chunk
 * to give back it no longer found the tail overwrite below within its iterations.
 * {@link RingLincheckTest#brokenSpscIsCaught()} shows that this kind of check can fail.
 */
class MpscChunkedFrameQueueLincheckTest {
    static final int CHUNK = 64;
    static final int BUFFERS = 48;

    /**
     * Heap chunks from a fixed set made up front, slices of one array, each with its own {@code long[]} of
     * header words; released chunks are lent again (LIFO, under a lock). Records a double loan or release.
     */
    static final class FixedProvider implements BufferProvider {
        final ByteBuffer[] all = new ByteBuffer[BUFFERS];
        final long[][] headers = new long[BUFFERS][CHUNK / 8];
        private final boolean[] lent = new boolean[BUFFERS];
        private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
        private int next;
        volatile String error;

        FixedProvider() {
            byte[] memory = new byte[BUFFERS * CHUNK];
            for (int i = 0; i < BUFFERS; i++) {
                all[i] = ByteBuffer.wrap(memory, i * CHUNK, CHUNK).slice();
            }
        }

        @Override
        public synchronized ByteBuffer acquire(int minCapacity) {
            ByteBuffer b = free.pollFirst();
            if (b == null) {
                b = all[next++];
            }
            int i = b.arrayOffset() / CHUNK;
            if (lent[i]) {
                error = "chunk " + i + " lent twice";
            }
            lent[i] = true;
            return b;
        }

        @Override
        public synchronized void release(ByteBuffer buffer) {
            int i = buffer.arrayOffset() / CHUNK;
            if (!lent[i]) {
                error = "chunk " + i + " given back twice";
            }
            lent[i] = false;
            free.addFirst(buffer);
        }
    }

    /**
     * A chunk's header words, found by the chunk's offset in the shared array. Not an {@code IdentityHashMap}
     * and not a method reference: Lincheck 3.7 replaces identity hash codes with its own deterministic ones
     * once the scenario runs, so a map filled before (in the constructor) misses, and it cannot read a method
     * reference's captured field.
     */
    static final class HeaderWords extends ArrayHeaders {
        private final long[][] headers;

        HeaderWords(long[][] headers) {
            this.headers = headers;
        }

        @Override
        long[] words(ByteBuffer b) {
            return headers[b.arrayOffset() / CHUNK];
        }
    }

    /** The chunked queue as an int queue. */
    public static class ChunkedHarness {
        private final FixedProvider provider = new FixedProvider();
        private final MpscChunkedFrameQueue queue;

        public ChunkedHarness() {
            this(640, 15);
        }

        /** A queue of that budget, moved to offset 48 of chunk {@code chunk} with every chunk before it parked. */
        ChunkedHarness(int budget, int chunk) {
            queue = new MpscChunkedFrameQueue(CHUNK, budget, 1, Long.MAX_VALUE, System::nanoTime, provider,
                    new HeaderWords(provider.headers));
            for (int i = 0; i < chunk; i++) {
                poll(queue, 56);                            // one 64-byte record: a whole chunk
            }
            for (int i = 0; i < 3; i++) {
                poll(queue, 4);                             // 16-byte records
            }
            if (queue.chunks() != Math.min(chunk + 1, MpscChunkedFrameQueueModelTest.slotsFor(CHUNK, budget))) {
                throw new IllegalStateException("set-up: " + queue.chunks() + " chunks");
            }
        }

        private static void poll(MpscChunkedFrameQueue q, int length) {
            if (!q.offer(ByteBuffer.allocate(length)) || q.peek(1).count() != 1) {
                throw new IllegalStateException("set-up");
            }
            q.discard(1);
        }

        void trimQueue() {
            queue.trim();
            checkProvider();
        }

        private void checkProvider() {
            String e = provider.error;
            if (e != null) {
                throw new IllegalStateException(e);
            }
        }

        @Operation
        public boolean offer(@Param(gen = IntGen.class, conf = "1:9") int v) {
            boolean ok = queue.tryOffer(ByteBuffer.allocate(4).putInt(0, v)) == MpscChunkedFrameQueue.OFFER_COMMITTED;
            checkProvider();
            return ok;
        }

        @Operation
        public boolean offerBig(@Param(gen = IntGen.class, conf = "1:9") int v) {
            MpscChunkedFrameQueue.Claim c = queue.newClaim();
            if (queue.tryClaim(40, c) != MpscChunkedFrameQueue.CLAIM_OK) {
                return false;
            }
            c.putInt(0, v);
            c.putInt(36, v);
            boolean ok = c.commit();
            checkProvider();
            return ok;
        }

        @Operation
        public void claimAbort() {
            MpscChunkedFrameQueue.Claim c = queue.newClaim();
            if (queue.tryClaim(12, c) == MpscChunkedFrameQueue.CLAIM_OK) {
                c.buffer().putInt(c.offset(), -1);
                c.abort();
            }
            checkProvider();
        }

        @Operation(nonParallelGroup = "consumer")
        public Integer poll() {
            while (true) {
                Segments s = queue.peek(1);
                if (s.count() == 1) {
                    ByteBuffer b = s.get(0);
                    int v = b.getInt(b.position());
                    if (b.remaining() == 40 && b.getInt(b.position() + 36) != v) {
                        throw new IllegalStateException("torn frame: " + v + " / " + b.getInt(b.position() + 36));
                    }
                    queue.discard(1);
                    checkProvider();
                    return v;
                }
                if (queue.isEmpty()) {
                    checkProvider();
                    return null;
                }
                Thread.onSpinWait();
            }
        }
    }

    /**
     * The chunked queue as an int queue whose consumer also trims (a no-op for the queue's contents); 8 slots,
     * at offset 48 of chunk 0, nothing parked.
     */
    public static class TrimmingHarness extends ChunkedHarness {
        public TrimmingHarness() {
            super(384, 0);
        }

        @Operation(nonParallelGroup = "consumer")
        public void trim() {
            trimQueue();
        }
    }

    @Test
    void chunkedQueueIsALinearizableQueue() {
        new ModelCheckingOptions()
                .iterations(12)
                .invocationsPerIteration(250)
                .threads(3)
                .actorsPerThread(2)
                .actorsBefore(1)
                .actorsAfter(2)
                .check(ChunkedHarness.class);
    }

    /**
     * trim() racing producers: its CAS on the tail retires the rest of the chunk or loses to a claim. Small
     * scenarios on two threads, starting from a trimmable queue: a trim that overwrote the tail instead of
     * CASing it is caught this way (a producer's frame lost, or its claim finding its chunk gone; three runs
     * out of three against the parking queue, after 5 to 7 s on a loaded machine), and was not with three
     * threads and the budget of the test above.
     */
    @Test
    void trimmingDoesNotChangeTheQueue() {
        new ModelCheckingOptions()
                .iterations(20)
                .invocationsPerIteration(300)
                .threads(2)
                .actorsPerThread(2)
                .actorsBefore(0)
                .actorsAfter(1)
                .check(TrimmingHarness.class);
    }
}
