package dev.netkit.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * {@link MpscChunkedFrameQueue} at its edges, from one thread: argument checks; a provider that throws on
 * acquire, answers an unusable buffer, or throws on release (the call fails with nothing claimed, or the
 * buffer is dropped, and the queue works on with nothing blocked); {@code OFFER_CLOSED}; when
 * {@link MpscChunkedFrameQueue#trim()} must refuse; {@link MpscChunkedFrameQueue#close()} with a claim open;
 * and reclaim with a hand-driven clock (the reclaimed frame's chunk stays lent until its producer is back).
 * Every test ends with every buffer back with the provider.
 */
class MpscChunkedFrameQueueFaultTest {

    static final class Clock {
        long now;
    }

    static MpscChunkedFrameQueue queue(int chunk, int budget, BufferProvider p) {
        return new MpscChunkedFrameQueue(chunk, budget, 8, Long.MAX_VALUE, System::nanoTime, p);
    }

    static byte[] bytes(int from, int n) {
        byte[] a = new byte[n];
        for (int i = 0; i < n; i++) {
            a[i] = (byte) (from + i);
        }
        return a;
    }

    /** Peeks and discards everything committed; returns the payloads in order. */
    static List<byte[]> drain(MpscChunkedFrameQueue q) {
        List<byte[]> out = new ArrayList<>();
        while (true) {
            Segments s = q.peek(1);
            if (s.count() == 0) {
                return out;
            }
            ByteBuffer v = s.get(0);
            byte[] b = new byte[v.remaining()];
            v.get(v.position(), b);
            out.add(b);
            q.discard(1);
        }
    }

    static void assertDrains(MpscChunkedFrameQueue q, byte[]... frames) {
        List<byte[]> got = drain(q);
        assertEquals(frames.length, got.size(), "frames delivered");
        for (int i = 0; i < frames.length; i++) {
            assertArrayEquals(frames[i], got.get(i), "frame " + i);
        }
    }

    // ------------------------------------------------------------------ arguments

    @Test
    void constructorChecksEveryArgument() {
        BufferProvider p = BufferProvider.direct();
        for (int bad : new int[] {0, -64, 32, 63, 96, 100, 1 << 31, (1 << 30) + 1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new MpscChunkedFrameQueue(bad, 1 << 12, p), "chunk " + bad);
            assertTrue(e.getMessage().contains(String.valueOf(bad)), e.getMessage());
        }
        for (int bad : new int[] {0, 32, 56, 63, 65, 68, 100, (1 << 30) + 8, -8}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new MpscChunkedFrameQueue(64, bad, p), "budget " + bad);
            assertTrue(e.getMessage().contains(String.valueOf(bad)), e.getMessage());
        }
        for (int bad : new int[] {0, -1, 9, 1000}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new MpscChunkedFrameQueue(64, 64, bad, 0, System::nanoTime, p), "maxBatch " + bad);
            assertTrue(e.getMessage().contains(String.valueOf(bad)), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class,
                () -> new MpscChunkedFrameQueue(64, 64, 8, -1, System::nanoTime, p));
        assertThrows(NullPointerException.class, () -> new MpscChunkedFrameQueue(64, 64, null));
        assertThrows(NullPointerException.class, () -> new MpscChunkedFrameQueue(64, 64, 8, 0, null, p));
        // the extremes that are allowed
        MpscChunkedFrameQueue q = new MpscChunkedFrameQueue(64, 64, 8, 0, System::nanoTime, p);
        assertEquals(24, q.maxFrameLength(), "min(64, 64 / 2) - 8");
        assertEquals(0, q.chunks(), "nothing borrowed before the first frame");
        assertEquals(56, new MpscChunkedFrameQueue(64, 4096, p).maxFrameLength());
        assertEquals(48, new MpscChunkedFrameQueue(64, 120, p).maxFrameLength(), "min(64, 60 & ~7) - 8");
        assertEquals(8, new MpscChunkedFrameQueue(64, 64, p).peek(8).maxCount(), "default maxBatch: 64 / 8");
        assertEquals(MpscFrameRing.DEFAULT_MAX_BATCH, new MpscChunkedFrameQueue(4096, 4096, p).peek(1).maxCount());
    }

    @Test
    void callsCheckTheirArguments() {
        TrackingProvider p = new TrackingProvider();
        MpscChunkedFrameQueue q = queue(64, 256, p);
        MpscChunkedFrameQueue other = queue(64, 256, p);
        int max = q.maxFrameLength();
        assertEquals(56, max);
        MpscChunkedFrameQueue.Claim c = q.newClaim();
        for (int bad : new int[] {0, -1, max + 1, 1 << 20}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> q.tryClaim(bad, c));
            assertTrue(e.getMessage().contains(String.valueOf(bad)) && e.getMessage().contains(String.valueOf(max)),
                    e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> q.tryOffer(ByteBuffer.allocate(0)));
        assertThrows(IllegalArgumentException.class, () -> q.tryOffer(ByteBuffer.allocate(max + 1)));
        assertThrows(IllegalArgumentException.class, () -> q.offer(ByteBuffer.allocate(0)));
        assertThrows(IllegalArgumentException.class, () -> q.offer(new byte[4], 0, 0));
        assertThrows(IllegalArgumentException.class, () -> q.offer(new byte[max + 1], 0, max + 1));
        assertThrows(IndexOutOfBoundsException.class, () -> q.offer(new byte[4], 2, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> q.offer(new byte[4], -1, 2));
        assertThrows(IllegalArgumentException.class, () -> q.tryOffer(new ByteBuffer[] {ByteBuffer.allocate(0)}, 1));
        assertThrows(IllegalArgumentException.class, () -> q.tryOffer(new ByteBuffer[0], 0));
        assertThrows(IllegalArgumentException.class, () -> q.tryOffer(
                new ByteBuffer[] {ByteBuffer.allocate(max), ByteBuffer.allocate(1)}, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> q.tryOffer(new ByteBuffer[1], 2));
        assertThrows(IndexOutOfBoundsException.class, () -> q.tryOffer(new ByteBuffer[1], -1));
        assertThrows(IllegalArgumentException.class, () -> q.tryClaim(4, other.newClaim()), "claim of another queue");
        assertThrows(IllegalArgumentException.class, () -> q.peek(0));
        assertThrows(IllegalArgumentException.class, () -> q.peek(9));
        assertThrows(IllegalArgumentException.class, () -> q.discard(1), "nothing peeked");
        assertThrows(IllegalArgumentException.class, () -> q.discard(-1));
        assertEquals(0, q.chunks(), "no failed call borrowed a chunk");
        assertEquals(0, p.acquires.get());
        // claim state
        assertThrows(IllegalStateException.class, c::commit, "commit before any claim");
        assertThrows(IllegalStateException.class, c::abort, "abort before any claim");
        assertThrows(IllegalStateException.class, c::buffer, "buffer before any claim");
        assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, q.tryClaim(4, c));
        assertThrows(IllegalStateException.class, () -> q.tryClaim(4, c), "claim already open");
        c.buffer().put(c.offset(), bytes(1, 4));
        assertTrue(c.commit());
        assertThrows(IllegalStateException.class, c::commit, "double commit");
        assertThrows(IllegalStateException.class, c::abort, "abort after commit");
        assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, q.tryClaim(2, c), "a claim is reusable");
        assertTrue(c.abort());
        assertThrows(IllegalStateException.class, c::commit, "commit after abort");
        Segments s = q.peek(8);
        assertEquals(1, s.count());
        assertThrows(IllegalArgumentException.class, () -> q.discard(2));
        q.discard(1);
        assertDrains(q);
        assertTrue(q.trim());
        assertTrue(q.close());
        assertTrue(other.close());
        p.assertAllBack("arguments");
    }

    // ------------------------------------------------------------------ provider faults

    @Test
    void acquireThatThrowsFailsTheCallWithNothingClaimed() {
        TrackingProvider p = new TrackingProvider();
        MpscChunkedFrameQueue q = queue(64, 256, p);
        MpscChunkedFrameQueue.Claim c = q.newClaim();
        // first frame of an empty queue
        p.failAcquires.set(1);
        assertThrows(TrackingProvider.InjectedFault.class, () -> q.tryOffer(ByteBuffer.wrap(bytes(1, 4))));
        assertTrue(q.isEmpty(), "nothing claimed");
        assertEquals(0, q.chunks());
        p.failAcquires.set(1);
        assertThrows(TrackingProvider.InjectedFault.class, () -> q.tryClaim(4, c));
        assertFalse(c.isOpen());
        p.failAcquires.set(1);
        assertThrows(TrackingProvider.InjectedFault.class, () -> q.offer(bytes(1, 4), 0, 4));
        p.failAcquires.set(1);
        assertThrows(TrackingProvider.InjectedFault.class,
                () -> q.tryOffer(new ByteBuffer[] {ByteBuffer.wrap(bytes(1, 4))}, 1));
        assertTrue(q.isEmpty());
        assertEquals(0, q.chunks());
        // chunk 0: three 16-byte frames, then one that needs chunk 1 (padding in front)
        byte[] a = bytes(10, 8);
        byte[] b = bytes(20, 8);
        byte[] d = bytes(30, 8);
        assertTrue(q.offer(a, 0, 8));
        assertTrue(q.offer(b, 0, 8));
        assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, q.tryClaim(8, c));
        c.buffer().put(c.offset(), d);                  // [32, 48) held open across the failures
        byte[] big = bytes(40, 24);                     // record 32: does not fit [48, 64)
        p.failAcquires.set(1);
        ByteBuffer src = ByteBuffer.wrap(big);
        assertThrows(TrackingProvider.InjectedFault.class, () -> q.tryOffer(src));
        assertEquals(0, src.position(), "source untouched");
        assertEquals(1, q.chunks());
        assertTrue(c.commit());
        // nothing blocks: the frames before the failure are delivered, the next frame lands where it should
        assertDrains(q, a, b, d);
        assertTrue(q.isEmpty(), "the failed call left no record behind");
        byte[] e = bytes(50, 24);
        assertTrue(q.offer(e, 0, 24));
        assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, q.tryClaim(1, c));
        assertEquals(32 + 8, c.offset(), "at 96: after the padding [48, 64) and the 32-byte record at 64");
        c.buffer().put(c.offset(), (byte) 7);
        assertTrue(c.commit());
        assertDrains(q, e, new byte[] {7});
        assertTrue(q.trim());
        assertTrue(q.close());
        p.assertAllBack("acquire throws");
    }

    @Test
    void acquireThatThrowsOnceTheSpareIsUsedUp() {
        // chunk 0 consumed -> the spare; chunk 1 in use; chunk 2 takes the spare, chunk 3 must borrow and fails
        TrackingProvider p = new TrackingProvider();
        MpscChunkedFrameQueue q = queue(64, 256, p);
        byte[] full = bytes(0, 56);                     // record 64: one per chunk
        assertTrue(q.offer(full, 0, 56));
        assertDrains(q, full);                          // chunk 0 fully consumed: head 64, parked as the spare
        assertEquals(1, q.chunks());
        assertTrue(q.offer(full, 0, 56));               // chunk 1: takes the spare
        assertEquals(1, q.chunks());
        assertEquals(1, p.acquires.get());
        p.failAcquires.set(1);
        assertThrows(TrackingProvider.InjectedFault.class, () -> q.offer(full, 0, 56), "chunk 2 needs the provider");
        assertEquals(1, q.chunks());
        assertTrue(q.offer(full, 0, 56));
        assertEquals(2, q.chunks());
        assertDrains(q, full, full);
        assertTrue(q.trim());
        assertTrue(q.close());
        p.assertAllBack("acquire throws, spare");
    }

    @Test
    void unusableBuffersAreRefusedWithNothingClaimed() {
        TrackingProvider p = new TrackingProvider();
        MpscChunkedFrameQueue q = queue(64, 256, p);
        MpscChunkedFrameQueue.Claim c = q.newClaim();
        List<IntFunction<ByteBuffer>> bad = List.of(
                ByteBuffer::allocate,                                           // heap
                n -> ByteBuffer.allocateDirect(n - 8),                          // too small
                n -> ByteBuffer.allocateDirect(n + 8).position(1).slice(),      // not 8-byte aligned
                n -> null);
        byte[] first = bytes(1, 40);
        assertTrue(q.offer(first, 0, 40));              // [0, 48)
        for (int i = 0; i < bad.size(); i++) {
            p.badAcquire = bad.get(i);
            long before = p.releases.get();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> q.tryClaim(20, c), "bad " + i);
            assertTrue(e.getMessage().contains("64"), e.getMessage());
            assertFalse(c.isOpen());
            assertEquals(i == 3 ? before : before + 1, p.releases.get(), "the refused buffer went back to the provider");
            ByteBuffer src = ByteBuffer.wrap(bytes(2, 20));
            p.badAcquire = bad.get(i);
            assertThrows(IllegalStateException.class, () -> q.tryOffer(src));
            assertEquals(0, src.position());
            assertEquals(1, q.chunks());
            p.assertNoErrors("bad " + i);
        }
        p.badAcquire = null;
        byte[] second = bytes(3, 20);                   // record 32: pads [48, 64), lands at 64
        assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, q.tryClaim(20, c));
        assertEquals(8, c.offset());
        c.buffer().put(c.offset(), second);
        assertTrue(c.commit());
        assertDrains(q, first, second);
        assertTrue(q.trim());
        assertTrue(q.close());
        p.assertAllBack("unusable buffers");
    }

    @Test
    void releaseThatThrowsDropsTheBufferAndTheQueueWorksOn() {
        TrackingProvider p = new TrackingProvider();
        MpscChunkedFrameQueue q = queue(64, 192, p);
        byte[] f = bytes(5, 56);
        for (int round = 0; round < 20; round++) {
            p.failReleases.set(round % 3);              // 0, 1 or 2 of the coming releases throw
            for (int i = 0; i < 3; i++) {
                assertTrue(q.offer(f, 0, 56), "round " + round + " frame " + i);
            }
            assertEquals(MpscChunkedFrameQueue.OFFER_FULL, q.tryOffer(ByteBuffer.wrap(f)));
            assertDrains(q, f, f, f);
            assertTrue(q.trim(), "round " + round);
            assertEquals(0, q.chunks(), "round " + round);
        }
        assertTrue(p.failedReleases.get() > 0);
        assertTrue(q.close());
        p.assertAllBack("release throws");
    }

    // ------------------------------------------------------------------ closed, trim, close

    @Test
    void offersAfterCloseAreClosed() {
        TrackingProvider p = new TrackingProvider();
        MpscChunkedFrameQueue q = queue(64, 128, p);
        assertTrue(q.offer(bytes(1, 8), 0, 8));
        assertFalse(q.isClosed());
        assertTrue(q.close(), "no claim open: every chunk back at once");
        assertTrue(q.isClosed());
        assertEquals(0, q.chunks());
        MpscChunkedFrameQueue.Claim c = q.newClaim();
        ByteBuffer src = ByteBuffer.wrap(bytes(1, 8));
        assertEquals(MpscChunkedFrameQueue.OFFER_CLOSED, q.tryOffer(src));
        assertEquals(0, src.position());
        assertEquals(MpscChunkedFrameQueue.OFFER_CLOSED, q.tryOffer(new ByteBuffer[] {src}, 1));
        assertEquals(MpscChunkedFrameQueue.OFFER_CLOSED, q.tryClaim(8, c));
        assertFalse(c.isOpen());
        assertFalse(q.offer(src));
        assertFalse(q.offer(bytes(1, 8), 0, 8));
        assertEquals(0, q.peek(1).count(), "the committed frame was dropped");
        assertTrue(q.close(), "idempotent");
        assertTrue(q.trim(), "trim of a closed queue");
        assertEquals(0, p.acquires.get() - p.releases.get());
        p.assertAllBack("closed");
    }

    @Test
    void trimRefusesWhileAnythingIsPending() {
        TrackingProvider p = new TrackingProvider();
        MpscChunkedFrameQueue q = queue(64, 256, p);
        assertTrue(q.trim(), "a new queue holds nothing");
        assertEquals(0, p.acquires.get());
        // a committed frame not consumed
        assertTrue(q.offer(bytes(1, 8), 0, 8));
        assertFalse(q.trim(), "committed frame pending");
        assertEquals(1, q.chunks());
        // peeked, not discarded
        assertEquals(1, q.peek(1).count());
        assertFalse(q.trim(), "peeked frame not discarded");
        q.discard(0);
        assertFalse(q.trim(), "discard(0) discards nothing");
        q.discard(1);
        // a claim open
        MpscChunkedFrameQueue.Claim c = q.newClaim();
        assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, q.tryClaim(4, c));
        assertFalse(q.trim(), "claim open");
        assertEquals(0, q.peek(1).count());
        assertFalse(q.trim(), "claim still open");
        c.buffer().putInt(c.offset(), 99);
        assertTrue(c.commit());
        assertFalse(q.trim(), "committed, not consumed");
        Segments s = q.peek(8);
        assertEquals(1, s.count());
        assertEquals(99, s.get(0).getInt(s.get(0).position()));
        assertFalse(q.trim(), "peeked, not discarded");
        q.discard();
        assertTrue(q.trim());
        assertEquals(0, q.chunks());
        // the frame after a trim starts a fresh chunk, at offset 0
        assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, q.tryClaim(4, c));
        assertEquals(8, c.offset(), "after trim the tail sits at a chunk boundary");
        assertTrue(c.abort());
        assertEquals(0, q.peek(1).count(), "an aborted frame is skipped");
        assertTrue(q.trim());
        assertTrue(q.close());
        p.assertAllBack("trim");
    }

    @Test
    void closeWithAClaimOpenWaitsForItsProducer() {
        for (boolean commit : new boolean[] {true, false}) {
            TrackingProvider p = new TrackingProvider();
            MpscChunkedFrameQueue q = queue(64, 256, p);
            byte[] f = bytes(1, 40);
            assertTrue(q.offer(f, 0, 40));              // [0, 48)
            MpscChunkedFrameQueue.Claim c = q.newClaim();
            assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, q.tryClaim(20, c));   // pads, [64, 96)
            assertTrue(q.offer(f, 0, 40));              // [96, 128)... [128, 176) in chunk 2
            assertEquals(3, q.chunks());
            ByteBuffer held = c.buffer();
            assertFalse(q.close(), "a claim is open");
            assertTrue(q.isClosed());
            assertTrue(p.isOut(held), "the open claim's chunk stays lent");
            assertEquals(MpscChunkedFrameQueue.OFFER_CLOSED, q.tryOffer(ByteBuffer.wrap(f)));
            assertFalse(q.close(), "still open");
            assertFalse(q.trim(), "trim of a closed queue is close");
            held.put(c.offset(), bytes(7, 20));         // the producer may still write
            assertTrue(commit ? c.commit() : c.abort(), commit ? "commit after close" : "abort after close");
            assertTrue(q.close(), "the producer is done");
            assertEquals(0, q.chunks());
            assertEquals(0, q.peek(1).count(), "nothing is delivered after close");
            p.assertAllBack("close, " + (commit ? "commit" : "abort"));
        }
    }

    /**
     * {@code close()} documents that "committed frames not yet consumed are dropped". When it cannot finish
     * (a claim open in front of committed frames), its walk stops at the open claim and scan stays there; once
     * the producer commits, a {@code peek} (nothing forbids the consumer to call it on a closed queue) delivers
     * that frame and every frame committed behind it before the close. Frames in front of the open claim are
     * dropped, frames behind it are delivered: which frames survive a close depends on where a claim was open.
     */
    @Test
    @Disabled("bug: after close() returned false (claim open), peek() still delivers the frames committed before "
            + "the close behind that claim; close() says committed frames not yet consumed are dropped")
    void peekAfterAnUnfinishedCloseDeliversNothing() {
        TrackingProvider p = new TrackingProvider();
        MpscChunkedFrameQueue q = queue(64, 256, p);
        MpscChunkedFrameQueue.Claim c = q.newClaim();
        assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, q.tryClaim(8, c));
        assertTrue(q.offer(bytes(1, 8), 0, 8));
        assertFalse(q.close());
        c.buffer().put(c.offset(), bytes(2, 8));
        assertTrue(c.commit());
        // close says committed frames not consumed are dropped; a peek before the next close must not
        // resurrect them
        assertEquals(0, q.peek(8).count(), "frames dropped by close are not delivered");
        assertTrue(q.close());
        p.assertAllBack("peek after close");
    }

    // ------------------------------------------------------------------ reclaim, with a hand-driven clock

    @Test
    void reclaimedFramesChunkStaysLentUntilItsProducerIsBack() {
        Clock clock = new Clock();
        TrackingProvider p = new TrackingProvider();
        MpscChunkedFrameQueue q = new MpscChunkedFrameQueue(64, 128, 8, 1_000, () -> clock.now, p);
        MpscChunkedFrameQueue.Claim stalled = q.newClaim();
        assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, q.tryClaim(8, stalled));   // [0, 16) of chunk 0
        ByteBuffer chunk0 = stalled.buffer();
        byte[] f = bytes(3, 40);
        assertTrue(q.offer(f, 0, 40));                  // [16, 64)
        assertEquals(0, q.peek(8).count(), "blocked by the open claim");
        clock.now += 999;
        assertEquals(0, q.peek(8).count());
        clock.now += 1;
        Segments s = q.peek(8);
        assertEquals(1, s.count(), "reclaimed, the frame behind delivered");
        assertArrayEquals(f, copy(s.get(0)));
        assertEquals(1, q.reclaimedFrames());
        assertEquals(1, q.holes());
        q.discard();
        // chunk 0 is consumed to its end but holds the reclaimed record: it must stay lent
        assertTrue(p.isOut(chunk0), "a reclaimed record's chunk is not released");
        assertFalse(q.trim(), "a hole is pending");
        // budget: head is pinned at 0, so [64, 128) is all that is left
        byte[] g = bytes(9, 56);
        assertTrue(q.offer(g, 0, 56));                  // [64, 128)
        assertEquals(MpscChunkedFrameQueue.OFFER_FULL, q.tryOffer(ByteBuffer.allocate(1)), "pinned by the hole");
        assertArrayEquals(g, copy(q.peek(8).get(0)));
        q.discard();
        assertEquals(MpscChunkedFrameQueue.OFFER_FULL, q.tryOffer(ByteBuffer.allocate(1)), "still pinned");
        // the producer comes back late, writes, and loses
        chunk0.put(stalled.offset(), bytes(100, 8));
        assertFalse(stalled.commit(), "late commit loses to the reclaim");
        assertEquals(1, q.holes(), "the consumer has not walked it yet");
        assertEquals(0, q.peek(8).count(), "a reclaimed frame is never delivered");
        assertEquals(0, q.holes());
        assertTrue(q.offer(g, 0, 56), "space is back");
        assertArrayEquals(g, copy(q.peek(8).get(0)));
        q.discard();
        assertTrue(q.trim());
        assertEquals(0, q.chunks());
        assertTrue(q.close());
        p.assertAllBack("reclaim");
    }

    @Test
    void closeWaitsForAReclaimedFramesProducer() {
        Clock clock = new Clock();
        TrackingProvider p = new TrackingProvider();
        MpscChunkedFrameQueue q = new MpscChunkedFrameQueue(64, 256, 8, 0, () -> clock.now, p);
        MpscChunkedFrameQueue.Claim stalled = q.newClaim();
        assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, q.tryClaim(56, stalled));  // all of chunk 0
        ByteBuffer chunk0 = stalled.buffer();
        assertTrue(q.offer(bytes(1, 8), 0, 8));         // chunk 1
        assertEquals(1, q.peek(8).count(), "reclaimed at first sight");
        q.discard();
        assertEquals(1, q.holes());
        assertFalse(q.close(), "the reclaimed frame's producer may still write");
        assertTrue(p.isOut(chunk0));
        chunk0.put(stalled.offset(), bytes(2, 56));
        assertFalse(stalled.abort(), "abort after reclaim reports it");
        assertTrue(q.close());
        assertEquals(0, q.holes());
        p.assertAllBack("close with a hole");
    }

    @Test
    void commitRacingAReclaimAtFirstSightIsExactlyOneOfThem() {
        Clock clock = new Clock();
        TrackingProvider p = new TrackingProvider();
        MpscChunkedFrameQueue q = new MpscChunkedFrameQueue(64, 64, 8, 0, () -> clock.now, p);
        MpscChunkedFrameQueue.Claim c = q.newClaim();
        for (int round = 0; round < 50; round++) {
            assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, q.tryClaim(8, c), "round " + round);
            c.buffer().putLong(c.offset(), round);
            boolean reclaimFirst = round % 2 == 0;
            if (reclaimFirst) {
                assertEquals(0, q.peek(8).count());
                assertFalse(c.commit());
                assertEquals(0, q.peek(8).count());
            } else {
                assertTrue(c.commit());
                Segments s = q.peek(8);
                assertEquals(1, s.count());
                assertEquals(round, s.get(0).getLong(s.get(0).position()));
                q.discard();
            }
            assertEquals(0, q.holes());
        }
        assertEquals(25, q.reclaimedFrames());
        assertTrue(q.trim());
        assertTrue(q.close());
        p.assertAllBack("reclaim rounds");
    }

    @Test
    void claimsShareTheirChunkAndTheBudgetCountsPadding() {
        TrackingProvider p = new TrackingProvider();
        MpscChunkedFrameQueue q = queue(64, 128, p);
        MpscChunkedFrameQueue.Claim a = q.newClaim();
        MpscChunkedFrameQueue.Claim b = q.newClaim();
        MpscChunkedFrameQueue.Claim e = q.newClaim();
        MpscChunkedFrameQueue.Claim d = q.newClaim();
        assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, q.tryClaim(8, a));     // [0, 16)
        assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, q.tryClaim(8, b));     // [16, 32)
        assertSame(a.buffer(), b.buffer(), "two frames of one chunk");
        assertEquals(a.offset() + 16, b.offset());
        assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, q.tryClaim(40, e));    // pads [32, 64), [64, 112)
        assertNotSame(a.buffer(), e.buffer());
        assertEquals(8, e.offset());
        assertEquals(MpscChunkedFrameQueue.OFFER_FULL, q.tryClaim(40, d), "pad [112, 128) + [128, 176) > 128");
        assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, q.tryClaim(8, d), "[112, 128) fits exactly");
        assertTrue(d.abort());
        b.buffer().putLong(b.offset(), 2);
        assertTrue(b.commit());
        a.buffer().putLong(a.offset(), 1);
        assertTrue(a.commit());
        Segments s = q.peek(8);
        assertEquals(2, s.count(), "the 40-byte claim is still open");
        assertEquals(1, s.get(0).getLong(s.get(0).position()));
        assertEquals(2, s.get(1).getLong(s.get(1).position()));
        assertEquals(MpscChunkedFrameQueue.OFFER_FULL, q.tryClaim(8, d), "peeked is not released");
        q.discard();
        assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, q.tryClaim(8, d), "[128, 144): head is 32");
        assertTrue(d.abort());
        assertFalse(q.close(), "the 40-byte claim is open");
        assertTrue(e.abort());
        assertTrue(q.close());
        p.assertAllBack("claims");
    }

    // ------------------------------------------------------------------ memory

    /**
     * The class comment: "An empty queue that the consumer has trimmed holds no chunk at all; so a server can
     * give each of 100,000 connections a queue and pay only for the ones with a backlog". With a provider that
     * does not pool ({@link BufferProvider#direct()} drops what it is given back), a chunk's memory is freed only
     * once nothing references the buffer; this checks, with weak references and the garbage collector, that
     * the trimmed queue itself keeps no reference to a chunk it gave back.
     */
    @Test
    @Disabled("bug: a trimmed (or closed) queue still references up to three chunk buffers it gave back: viewBase[], "
            + "the cached duplicate views in views[][] and the last peek's views in segments.buffers; with a provider "
            + "that does not pool, their memory is not freed while the idle queue lives")
    void aTrimmedQueueKeepsNoChunkReachable() throws Exception {
        List<WeakReference<ByteBuffer>> given = new ArrayList<>();
        MpscChunkedFrameQueue[] holder = new MpscChunkedFrameQueue[1];
        fillDrainTrim(given, holder);
        assertTrue(given.size() >= 2, "chunks given back: " + given.size());
        long reachable = reachableAfterGc(given, null);
        WeakReference<MpscChunkedFrameQueue> queue = new WeakReference<>(holder[0]);
        holder[0] = null;
        long withoutTheQueue = reachableAfterGc(given, queue);
        assertEquals(0, withoutTheQueue, "the test itself holds no chunk");
        assertEquals(0, reachable, "chunks given back but still reachable from the trimmed queue (" + given.size()
                + " given back, " + reachable + " reachable until the queue itself is unreachable)");
    }

    /**
     * A producer keeps its {@link MpscChunkedFrameQueue.Claim} to claim again without allocating; once its frame
     * is committed or aborted, the claim must not keep the chunk reachable either (the queue has given it back
     * after trim). The frame is aborted, so that the consumer makes no view of the chunk (see above) and only
     * the claim can hold it.
     */
    @Test
    @Disabled("bug: Claim.commit()/abort() leave Claim.chunk set, so a producer's reused Claim keeps the last chunk "
            + "it wrote into reachable after the queue gave that chunk back")
    void aFinishedClaimKeepsNoChunkReachable() throws Exception {
        List<WeakReference<ByteBuffer>> given = new ArrayList<>();
        MpscChunkedFrameQueue[] holder = new MpscChunkedFrameQueue[1];
        MpscChunkedFrameQueue.Claim claim = claimCommitDrainTrim(given, holder);
        holder[0] = null;
        long reachable = reachableAfterGc(given, null);
        assertEquals(1, given.size());
        assertFalse(claim.isOpen());
        assertEquals(0, reachable, "a finished claim still references the chunk its queue gave back");
    }

    private static MpscChunkedFrameQueue.Claim claimCommitDrainTrim(List<WeakReference<ByteBuffer>> given,
                                                                   MpscChunkedFrameQueue[] holder) {
        BufferProvider dropping = BufferProvider.of(ByteBuffer::allocateDirect, b -> given.add(new WeakReference<>(b)));
        MpscChunkedFrameQueue q = new MpscChunkedFrameQueue(4096, 4096, 8, Long.MAX_VALUE, System::nanoTime, dropping);
        holder[0] = q;
        MpscChunkedFrameQueue.Claim c = q.newClaim();
        assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, q.tryClaim(100, c));
        assertTrue(c.abort());
        assertEquals(0, q.peek(1).count(), "walks past the aborted frame (and so makes no view of the chunk)");
        assertTrue(q.trim());
        return c;
    }

    private static void fillDrainTrim(List<WeakReference<ByteBuffer>> given, MpscChunkedFrameQueue[] holder) {
        BufferProvider dropping = BufferProvider.of(ByteBuffer::allocateDirect, b -> given.add(new WeakReference<>(b)));
        MpscChunkedFrameQueue q = new MpscChunkedFrameQueue(4096, 3 * 4096, 8, Long.MAX_VALUE, System::nanoTime,
                dropping);
        holder[0] = q;
        byte[] f = new byte[3000];
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 3; i++) {
                assertTrue(q.offer(f, 0, f.length));
            }
            assertEquals(3, q.peek(8).count());
            q.discard();
        }
        assertTrue(q.trim());
        assertEquals(0, q.chunks());
    }

    private static long reachableAfterGc(List<WeakReference<ByteBuffer>> given, WeakReference<?> alsoGone)
            throws InterruptedException {
        for (int i = 0; i < 40 && (given.stream().anyMatch(r -> r.get() != null)
                || alsoGone != null && alsoGone.get() != null); i++) {
            System.gc();
            Thread.sleep(10);
        }
        return given.stream().filter(r -> r.get() != null).count();
    }

    static byte[] copy(ByteBuffer v) {
        byte[] b = new byte[v.remaining()];
        v.get(v.position(), b);
        return b;
    }
}
