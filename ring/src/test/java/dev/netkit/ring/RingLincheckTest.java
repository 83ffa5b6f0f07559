package dev.netkit.ring;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * Lincheck model checking: {@link SpscByteRing} and {@link MpscFrameRing} used as bounded queues of ints are
 * linearizable.
 *
 * <p>SPSC: {@code offer(v)} writes the 4 bytes of v all-or-nothing (false when full), {@code poll()} peeks 4
 * bytes and, if there are 4, reads them with getInt and discards them; a second consumer operation reads
 * {@code getInt(4)} (the second queued int, across the wrap when it happens) without consuming. Capacity 8 holds
 * two ints, so full rings and the wrap point are reached. Producer operations share the non-parallel group
 * "producer", consumer operations "consumer": one thread of each, as the class demands.
 *
 * <p>MPSC: {@code offer(v)} from any thread (several in parallel) commits a 4-byte frame, {@code claimAbort()}
 * claims one and aborts it (a no-op for the queue, but it occupies space meanwhile); the consumer's
 * {@code poll()} peeks one frame. A frame claimed but not yet committed blocks delivery of later frames
 * (delivery is in claim order), so while an offer is in flight a poll that found nothing may only be
 * answered null if no other claim is pending either: poll retries while the ring has a claimed record past
 * its position ({@link MpscFrameRing#isEmpty()} false). That wait is what a consumer of a real queue does
 * (JCTools' {@code poll} spins the same way on a claimed slot), and the model checker explores it as a spin.
 * Capacity 256 holds every frame a scenario can claim (at most 9 records of 16 bytes), so the ring is never
 * full here: its "full" answer is not linearizable, by design. Space is released by the consumer lazily (an
 * aborted record at the front is freed when a peek walks past it), so an offer after two aborts can fail
 * for want of space in one order and succeed in another; Lincheck found exactly that with capacity 32. Full
 * rings and the wrap point are covered by the model tests (an exact space model) and by jcstress. The
 * instance keeps its header words in a {@code long[]} ({@link ArrayHeaders}, through the package-private
 * constructor), because Lincheck 3.7
 * cannot follow {@code byteBufferViewVarHandle} accesses; the algorithm is the same code.
 *
 * <p>{@link #brokenSpscIsCaught()} runs the same SPSC harness on a ring whose producer publishes tail before
 * writing the bytes (a test double below), and expects a failure: the check can fail.
 */
class RingLincheckTest {

    static ModelCheckingOptions options() {
        return new ModelCheckingOptions()
                .iterations(20)
                .invocationsPerIteration(500)
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(2);
    }

    /** The SPSC ring as an int queue. */
    public static class SpscHarness {
        private final SpscByteRing ring = SpscByteRing.heap(8);

        @Operation(nonParallelGroup = "producer")
        public boolean offer(@Param(gen = IntGen.class, conf = "1:9") int v) {
            byte[] b = ByteBuffer.allocate(4).putInt(v * 0x01010101).array();
            return ring.offer(b, 0, 4);
        }

        @Operation(nonParallelGroup = "consumer")
        public Integer poll() {
            if (ring.peek(4).remaining() < 4) {
                return null;
            }
            int v = ring.getInt(0);
            ring.discard(4);
            return v / 0x01010101;
        }

        @Operation(nonParallelGroup = "consumer")
        public Integer peekSecond() {
            return ring.peek(8).remaining() < 8 ? null : ring.getInt(4) / 0x01010101;
        }
    }

    @Test
    void spscByteRingIsALinearizableQueue() {
        options().check(SpscHarness.class);
    }

    /**
     * The SPSC ring's batch API as an int queue: {@code offerTwo(v)} claims 8 bytes and, if they are free,
     * writes two ints (v, then v + 10) with putInt and publishes both with one commit; {@code offerOne(v)}
     * claims 4 and writes its int through the claim's views (so the two kinds of batch write land at every
     * alignment and across the wrap of the 16-byte ring); {@code pollTwo()} peeks 8 bytes and
     * consumes both ints with one discard. Linearizable means no half batch is ever seen and order holds.
     */
    public static class SpscBatchHarness {
        private final SpscByteRing ring = SpscByteRing.heap(16);

        @Operation(nonParallelGroup = "producer")
        public boolean offerTwo(@Param(gen = IntGen.class, conf = "1:9") int v) {
            if (ring.claim(8).remaining() < 8) {
                return false;
            }
            ring.putInt(0, v * 0x01010101);
            ring.putInt(4, (v + 10) * 0x01010101);
            ring.commit(8);
            return true;
        }

        @Operation(nonParallelGroup = "producer")
        public boolean offerOne(@Param(gen = IntGen.class, conf = "1:9") int v) {
            Segments s = ring.claim(4);
            if (s.remaining() < 4) {
                return false;
            }
            byte[] b = ByteBuffer.allocate(4).putInt(v * 0x01010101).array();
            int k = 0;
            for (int i = 0; i < s.count(); i++) {
                ByteBuffer view = s.get(i);
                while (view.hasRemaining()) {
                    view.put(b[k++]);
                }
            }
            ring.commit(4);
            return true;
        }

        @Operation(nonParallelGroup = "consumer")
        public Integer poll() {
            if (ring.peek(4).remaining() < 4) {
                return null;
            }
            int v = ring.getInt(0);
            ring.discard(4);
            return v / 0x01010101;
        }

        @Operation(nonParallelGroup = "consumer")
        public String pollTwo() {
            if (ring.peek(8).remaining() < 8) {
                return null;
            }
            String v = ring.getInt(0) / 0x01010101 + "," + ring.getInt(4) / 0x01010101;
            ring.discard(8);
            return v;
        }
    }

    @Test
    void spscByteRingBatchesAreLinearizable() {
        options().check(SpscBatchHarness.class);
    }

    /** The MPSC ring as an int queue. */
    public static class MpscHarness {
        private final MpscFrameRing ring = new MpscFrameRing(256, 2, Long.MAX_VALUE, System::nanoTime, ArrayHeaders.of(256));

        @Operation
        public boolean offer(@Param(gen = IntGen.class, conf = "1:9") int v) {
            return ring.offer(ByteBuffer.allocate(4).putInt(0, v));
        }

        @Operation
        public void claimAbort() {
            MpscFrameRing.Claim c = ring.tryClaim(4);
            if (c != null) {
                c.buffer().putInt(-1);
                c.abort();
            }
        }

        @Operation(nonParallelGroup = "consumer")
        public Integer poll() {
            while (true) {
                Segments s = ring.peek(1);
                if (s.count() == 1) {
                    ByteBuffer b = s.get(0);
                    int v = b.getInt(b.position());
                    ring.discard(1);
                    return v;
                }
                if (ring.isEmpty()) {
                    return null;
                }
                Thread.onSpinWait();
            }
        }
    }

    @Test
    void mpscFrameRingIsALinearizableQueue() {
        new ModelCheckingOptions()
                .iterations(20)
                .invocationsPerIteration(500)
                .threads(3)
                .actorsPerThread(2)
                .actorsBefore(1)
                .actorsAfter(2)
                .check(MpscHarness.class);
    }

    // ------------------------------------------------------------------ the check can fail

    /** A broken SPSC int queue: the producer publishes the new tail before it writes the bytes. */
    static final class BrokenSpsc {
        private final byte[] data = new byte[8];
        private volatile long head;
        private volatile long tail;

        boolean offer(int v) {
            long t = tail;
            if (t - head > 4) {
                return false;
            }
            tail = t + 4;                               // BROKEN: published before the bytes
            for (int i = 0; i < 4; i++) {
                data[(int) ((t + i) & 7)] = (byte) (v >>> (24 - 8 * i));
            }
            return true;
        }

        Integer poll() {
            long h = head;
            if (tail - h < 4) {
                return null;
            }
            int v = 0;
            for (int i = 0; i < 4; i++) {
                v = (v << 8) | (data[(int) ((h + i) & 7)] & 0xFF);
            }
            head = h + 4;
            return v;
        }
    }

    public static class BrokenSpscHarness {
        private final BrokenSpsc ring = new BrokenSpsc();

        @Operation(nonParallelGroup = "producer")
        public boolean offer(@Param(gen = IntGen.class, conf = "1:9") int v) {
            return ring.offer(v * 0x01010101);
        }

        @Operation(nonParallelGroup = "consumer")
        public Integer poll() {
            Integer v = ring.poll();
            return v == null ? null : v / 0x01010101;
        }
    }

    @Test
    void brokenSpscIsCaught() {
        assertThrows(LincheckAssertionError.class,
                () -> options().minimizeFailedScenario(false).check(BrokenSpscHarness.class));
    }
}
