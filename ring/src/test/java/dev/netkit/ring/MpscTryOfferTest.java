package dev.netkit.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link MpscFrameRing#tryOffer(ByteBuffer)} tells why a frame was not committed: {@code OFFER_FULL} (nothing
 * written, the source untouched) or {@code OFFER_RECLAIMED} (the consumer took the frame between claim and
 * commit; it is never delivered). Real threads, no timing assertions.
 */
class MpscTryOfferTest {

    @Test
    void aFullRingSaysFullAndLeavesTheSourceAlone() {
        MpscFrameRing ring = new MpscFrameRing(64);
        ByteBuffer src = ByteBuffer.allocate(24);
        assertEquals(MpscFrameRing.OFFER_COMMITTED, ring.tryOffer(src));
        assertEquals(24, src.position());
        src.clear();
        assertEquals(MpscFrameRing.OFFER_COMMITTED, ring.tryOffer(src));
        src.clear();
        assertEquals(MpscFrameRing.OFFER_FULL, ring.tryOffer(src));
        assertEquals(0, src.position(), "a refused frame must not consume the source");
        assertEquals(2, ring.peek(2).count());
    }

    /**
     * A producer offers numbered frames, each once the consumer has drained the one before, while the
     * consumer, reclaiming at first sight, peeks all the time: every frame reported committed is delivered
     * once, in order, and none reported reclaimed is; the producer goes on until it has seen a reclaim
     * (bounded).
     */
    @Test
    void everyStatusMatchesWhatTheConsumerSees() throws Exception {
        MpscFrameRing ring = new MpscFrameRing(1 << 16, 64, 0, System::nanoTime);
        int frameBytes = 8 << 10;
        long maxFrames = 1_000_000;
        long[] statusOf = new long[3];
        java.util.concurrent.ConcurrentLinkedQueue<Long> committed = new java.util.concurrent.ConcurrentLinkedQueue<>();
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread consumer = new Thread(() -> {
            try {
                while (true) {
                    boolean finished = done.get();
                    Segments s = ring.peek(64);
                    for (int i = 0; i < s.count(); i++) {
                        ByteBuffer f = s.get(i);
                        long seq = f.getLong(f.position());
                        Long expected = committed.poll();
                        if (expected == null || expected != seq) {
                            throw new AssertionError("delivered frame " + seq + ", expected " + expected);
                        }
                    }
                    ring.discard(s.count());
                    if (finished && s.count() == 0) {
                        return;
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        consumer.start();
        ByteBuffer src = ByteBuffer.allocateDirect(frameBytes);
        long seq = 0;
        while (seq < maxFrames && statusOf[MpscFrameRing.OFFER_RECLAIMED] == 0 && failure.get() == null) {
            while (!committed.isEmpty() && failure.get() == null) {
                Thread.onSpinWait();            // the consumer is caught up: it peeks while we copy
            }
            src.clear();
            src.putLong(0, seq);
            committed.add(seq);                 // before the commit: the consumer may see it at once
            int status = ring.tryOffer(src);
            if (status != MpscFrameRing.OFFER_COMMITTED) {
                // not delivered, and the consumer cannot have passed it: it was the last one queued
                assertTrue(committed.remove(seq), "frame " + seq);
            }
            statusOf[status]++;
            if (status == MpscFrameRing.OFFER_FULL) {
                assertEquals(0, src.position(), "a refused frame must not consume the source");
                Thread.onSpinWait();
            }
            seq++;
        }
        done.set(true);
        consumer.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertTrue(committed.isEmpty(), "frames reported committed but never delivered: " + committed.size());
        assertTrue(statusOf[MpscFrameRing.OFFER_RECLAIMED] > 0,
                "no reclaim in " + seq + " frames: the test did not exercise it");
    }

    @Test
    void aGatheringOfferIsOneFrameInOrderOrNothing() {
        MpscFrameRing ring = new MpscFrameRing(64);
        java.nio.ByteBuffer a = java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3});
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(new byte[] {});
        java.nio.ByteBuffer c = java.nio.ByteBuffer.wrap(new byte[] {4, 5});
        java.nio.ByteBuffer[] parts = {a, b, c, null};
        org.junit.jupiter.api.Assertions.assertEquals(MpscFrameRing.OFFER_COMMITTED, ring.tryOffer(parts, 3));
        org.junit.jupiter.api.Assertions.assertEquals(0, a.remaining() + c.remaining());
        dev.netkit.ring.Segments s = ring.peek(1);
        org.junit.jupiter.api.Assertions.assertEquals(1, s.count());
        byte[] got = new byte[s.get(0).remaining()];
        s.get(0).duplicate().get(got);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, got);
        ring.discard(1);
        // full: nothing written, positions unchanged
        java.nio.ByteBuffer big = java.nio.ByteBuffer.allocate(ring.maxFrameLength());
        while (ring.tryOffer(new java.nio.ByteBuffer[] {big.clear()}, 1) == MpscFrameRing.OFFER_COMMITTED) {
            // fill it
        }
        while (ring.tryOffer(new java.nio.ByteBuffer[] {java.nio.ByteBuffer.allocate(1)}, 1) == MpscFrameRing.OFFER_COMMITTED) {
            // to the last byte
        }
        java.nio.ByteBuffer x = java.nio.ByteBuffer.allocate(ring.maxFrameLength());
        java.nio.ByteBuffer y = java.nio.ByteBuffer.allocate(1);
        org.junit.jupiter.api.Assertions.assertEquals(MpscFrameRing.OFFER_FULL, ring.tryOffer(new java.nio.ByteBuffer[] {y, y.duplicate()}, 2));
        org.junit.jupiter.api.Assertions.assertEquals(1, y.remaining());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ring.tryOffer(new java.nio.ByteBuffer[] {x, y}, 2));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ring.tryOffer(new java.nio.ByteBuffer[] {b}, 1));
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class,
                () -> ring.tryOffer(parts, 5));
    }
}
