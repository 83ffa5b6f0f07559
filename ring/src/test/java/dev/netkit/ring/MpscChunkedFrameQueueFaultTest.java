package dev.netkit.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * {@link MpscChunkedFrameQueue} at its edges, from one thread: argument checks (chunk a power of two in
 * [32, 2^29], budget a multiple of 8 in [2 * chunk, 2^30]); a provider that throws on acquire, answers an
 * unusable buffer (heap, too small, misaligned, read-only, null), or throws on release (the call fails with
 * nothing claimed, or the buffer is dropped, and the queue works on with nothing blocked); no provider call
 * between a claim and its header; a copy that throws aborts its claim; the {@link MpscChunkedFrameQueue.Claim}
 * put methods; {@code drainTo} (whole frames that fit, and its release in a finally); zeroed providers (their
 * chunks are trusted as they come and get back zero on every path); {@code OFFER_CLOSED}; when
 * {@link MpscChunkedFrameQueue#trim()} must refuse, that it gives parked chunks back anyway and walks past
 * aborted and padding records; {@link MpscChunkedFrameQueue#close()} with a claim open (nothing is delivered
 * after it); reclaim with a hand-driven clock (the reclaimed frame's chunk stays installed until its producer
 * is back); and that neither a trimmed or closed queue nor a finished claim keeps a given-back chunk reachable.
 * Every test ends with every buffer back with the provider. Two tests found bugs the queue then fixed: a
 * trim that walked past aborted records after giving the parked chunks back answered true holding one, and
 * an {@code Error} from a copy left its claim open.
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
        for (int bad : new int[] {0, -64, 8, 16, 31, 33, 63, 96, 100, 1 << 31, 1 << 30, (1 << 29) + 1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new MpscChunkedFrameQueue(bad, 1 << 30, p), "chunk " + bad);
            assertTrue(e.getMessage().contains(String.valueOf(bad)), e.getMessage());
        }
        // budget: a multiple of 8 in [2 * chunk, 2^30]
        for (int bad : new int[] {0, 32, 64, 120, 124, 127, 129, 132, 134, (1 << 30) + 8, -8, -128}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new MpscChunkedFrameQueue(64, bad, p), "budget " + bad);
            assertTrue(e.getMessage().contains(String.valueOf(bad)), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new MpscChunkedFrameQueue(1 << 29, (1 << 30) - 8, p),
                "budget one word short of two chunks");
        for (int bad : new int[] {0, -1, 9, 1000}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new MpscChunkedFrameQueue(64, 128, bad, 0, System::nanoTime, p), "maxBatch " + bad);
            assertTrue(e.getMessage().contains(String.valueOf(bad)), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class,
                () -> new MpscChunkedFrameQueue(32, 64, 5, 0, System::nanoTime, p), "maxBatch above 32 / 8");
        assertThrows(IllegalArgumentException.class,
                () -> new MpscChunkedFrameQueue(64, 128, 8, -1, System::nanoTime, p));
        assertThrows(NullPointerException.class, () -> new MpscChunkedFrameQueue(64, 128, null));
        assertThrows(NullPointerException.class, () -> new MpscChunkedFrameQueue(64, 128, 8, 0, null, p));
        // the extremes that are allowed
        MpscChunkedFrameQueue q = new MpscChunkedFrameQueue(32, 64, 4, 0, System::nanoTime, p);
        assertEquals(24, q.maxFrameLength(), "chunk - 8");
        assertEquals(MpscChunkedFrameQueue.MIN_CHUNK_BYTES, q.chunkBytes());
        assertEquals(0, q.chunks(), "nothing borrowed before the first frame");
        assertTrue(q.offer(new byte[24], 0, 24));
        assertTrue(q.offer(new byte[24], 0, 24), "two largest frames fit a budget of two chunks");
        MpscChunkedFrameQueue huge = new MpscChunkedFrameQueue(1 << 29, 1 << 30, p);
        assertEquals((1 << 29) - 8, huge.maxFrameLength());
        assertEquals(1 << 30, huge.budgetBytes());
        assertEquals(0, huge.chunks());
        assertEquals(56, new MpscChunkedFrameQueue(64, 4096, p).maxFrameLength(), "chunk - 8, whatever the budget");
        assertEquals(56, new MpscChunkedFrameQueue(64, 128, p).maxFrameLength());
        assertEquals(56, new MpscChunkedFrameQueue(64, 136, p).maxFrameLength());
        assertEquals(8, new MpscChunkedFrameQueue(64, 128, p).peek(8).maxCount(), "default maxBatch: 64 / 8");
        assertEquals(4, new MpscChunkedFrameQueue(32, 64, p).peek(4).maxCount(), "default maxBatch: 32 / 8");
        assertEquals(MpscFrameRing.DEFAULT_MAX_BATCH, new MpscChunkedFrameQueue(4096, 8192, p).peek(1).maxCount());
        assertEquals(0, MpscChunkedFrameQueue.CLAIM_OK);
        assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, MpscChunkedFrameQueue.CLAIM_OK);
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
        assertThrows(NullPointerException.class, () -> q.drainTo(null, 1));
        assertThrows(IllegalArgumentException.class, () -> q.drainTo(ByteRing.heap(64), 0));
        assertThrows(IllegalArgumentException.class, () -> q.drainTo(ByteRing.heap(64), -1));
        assertEquals(0, q.drainTo(ByteRing.heap(64), Integer.MAX_VALUE), "nothing to drain");
        assertEquals(0, q.chunks(), "no failed call borrowed a chunk");
        assertEquals(0, p.acquires.get());
        // claim state
        assertThrows(IllegalStateException.class, c::commit, "commit before any claim");
        assertThrows(IllegalStateException.class, c::abort, "abort before any claim");
        assertThrows(IllegalStateException.class, c::buffer, "buffer before any claim");
        assertThrows(IllegalStateException.class, () -> c.putInt(0, 1), "putInt before any claim");
        assertThrows(IllegalStateException.class, () -> c.putLong(0, 1), "putLong before any claim");
        assertThrows(IllegalStateException.class, () -> c.put(0, new byte[1], 0, 1), "put before any claim");
        assertThrows(IllegalStateException.class, () -> c.put(0, ByteBuffer.allocate(1)), "put before any claim");
        assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(4, c));
        assertThrows(IllegalStateException.class, () -> q.tryClaim(4, c), "claim already open");
        c.buffer().put(c.offset(), bytes(1, 4));
        assertTrue(c.commit());
        assertThrows(IllegalStateException.class, c::commit, "double commit");
        assertThrows(IllegalStateException.class, c::abort, "abort after commit");
        assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(2, c), "a claim is reusable");
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
        assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(8, c));
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
        assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(1, c));
        assertEquals(32 + 8, c.offset(), "at 96: after the padding [48, 64) and the 32-byte record at 64");
        c.buffer().put(c.offset(), (byte) 7);
        assertTrue(c.commit());
        assertDrains(q, e, new byte[] {7});
        assertTrue(q.trim());
        assertTrue(q.close());
        p.assertAllBack("acquire throws");
    }

    @Test
    void acquireThatThrowsOnceNothingIsParkedForTheSlot() {
        // budget 128: 4 slots. Chunks 0..3 consumed -> parked in slots 0..3; chunk 4 takes slot 0's without
        // calling the provider; after a trim gave the parked chunks back, chunk 5 must borrow, and fails
        TrackingProvider p = new TrackingProvider();
        MpscChunkedFrameQueue q = queue(64, 128, p);
        byte[] full = bytes(0, 56);                     // record 64: one per chunk
        for (int k = 0; k < 4; k++) {
            assertTrue(q.offer(full, 0, 56));
            assertDrains(q, full);
        }
        assertEquals(4, p.acquires.get());
        assertEquals(4, q.chunks(), "four parked chunks");
        p.failAcquires.set(1);
        assertTrue(q.offer(full, 0, 56), "chunk 4 takes the chunk parked in slot 0: no provider call");
        assertEquals(1, p.failAcquires.get(), "the provider was not called");
        assertEquals(4, q.chunks());
        assertDrains(q, full);
        assertTrue(q.trim(), "the parked chunks go back");
        assertEquals(0, q.chunks());
        assertEquals(4, p.releases.get());
        assertThrows(TrackingProvider.InjectedFault.class, () -> q.offer(full, 0, 56), "chunk 5 needs the provider");
        assertTrue(q.isEmpty(), "nothing claimed");
        assertEquals(0, q.chunks());
        assertTrue(q.offer(full, 0, 56));
        assertEquals(1, q.chunks());
        assertDrains(q, full);
        assertTrue(q.trim());
        assertTrue(q.close());
        p.assertAllBack("acquire throws, parked");
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
                n -> ByteBuffer.allocateDirect(n).asReadOnlyBuffer(),           // read-only
                n -> null);
        byte[] first = bytes(1, 40);
        assertTrue(q.offer(first, 0, 40));              // [0, 48)
        for (int i = 0; i < bad.size(); i++) {
            p.badAcquire = bad.get(i);
            long before = p.releases.get();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> q.tryClaim(20, c), "bad " + i);
            assertTrue(e.getMessage().contains("64"), e.getMessage());
            assertFalse(c.isOpen());
            assertEquals(i == bad.size() - 1 ? before : before + 1, p.releases.get(),
                    "the refused buffer went back to the provider");
            ByteBuffer src = ByteBuffer.wrap(bytes(2, 20));
            p.badAcquire = bad.get(i);
            assertThrows(IllegalStateException.class, () -> q.tryOffer(src));
            assertEquals(0, src.position());
            assertEquals(1, q.chunks());
            p.assertNoErrors("bad " + i);
        }
        p.badAcquire = null;
        byte[] second = bytes(3, 20);                   // record 32: pads [48, 64), lands at 64
        assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(20, c));
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
        assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(4, c));
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
        assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(4, c));
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
            assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(20, c));   // pads, [64, 96)
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
     * {@code close()} documents that "committed frames not yet consumed are dropped", and that peek and drainTo
     * deliver nothing once it was called. When it cannot finish (a claim open in front of committed frames),
     * its walk stops at the open claim; once the producer commits, neither a {@code peek} nor a {@code drainTo}
     * (nothing forbids the consumer to call them on a closed queue) may deliver that frame or the frames
     * committed behind it before the close. (The commit 7759667 queue delivered them.)
     */
    @Test
    void peekAfterAnUnfinishedCloseDeliversNothing() {
        TrackingProvider p = new TrackingProvider();
        MpscChunkedFrameQueue q = queue(64, 256, p);
        MpscChunkedFrameQueue.Claim c = q.newClaim();
        assertTrue(q.offer(bytes(9, 8), 0, 8));
        Segments before = q.peek(8);
        assertEquals(1, before.count());
        assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(8, c));
        assertTrue(q.offer(bytes(1, 8), 0, 8));
        assertFalse(q.close());
        assertEquals(0, before.count(), "close ends the open peek");
        c.put(0, bytes(2, 8), 0, 8);
        assertTrue(c.commit());
        // close says committed frames not consumed are dropped; a peek or drain before the next close must not
        // resurrect them
        assertEquals(0, q.peek(8).count(), "frames dropped by close are not delivered");
        ByteRing dst = ByteRing.heap(64);
        assertEquals(0, q.drainTo(dst, 8), "frames dropped by close are not drained");
        assertEquals(0, dst.readable());
        assertTrue(q.close());
        assertEquals(0, q.peek(8).count());
        assertEquals(0, q.drainTo(dst, 8));
        p.assertAllBack("peek after close");
    }

    // ------------------------------------------------------------------ trim

    @Test
    void trimGivesBackParkedChunksEvenWithFramesPending() {
        TrackingProvider p = new TrackingProvider();
        MpscChunkedFrameQueue q = queue(64, 256, p);
        byte[] full = bytes(0, 56);
        assertTrue(q.offer(full, 0, 56));               // chunk 0
        assertTrue(q.offer(full, 0, 56));               // chunk 1
        assertEquals(1, q.peek(1).count());
        q.discard();                                    // chunk 0 parked in slot 0
        assertEquals(2, q.chunks());
        assertFalse(q.trim(), "chunk 1's frame is pending");
        assertEquals(1, p.releases.get(), "the parked chunk went back anyway");
        assertEquals(1, q.chunks());
        assertEquals(1, q.peek(1).count());
        assertFalse(q.trim(), "peeked, not discarded");
        q.discard();                                    // chunk 1 parked in slot 1
        assertEquals(1, q.chunks());
        assertTrue(q.trim(), "tail at a chunk boundary: nothing to retire, the parked chunk goes back");
        assertEquals(0, q.chunks());
        assertEquals(2, p.releases.get());
        assertTrue(q.close());
        p.assertAllBack("trim gives back parked chunks");
    }

    /** trim walks past aborted and padding records by itself: no peek needed first. */
    @Test
    void trimWalksPastAbortedAndPaddingRecords() {
        TrackingProvider p = new TrackingProvider();
        MpscChunkedFrameQueue q = queue(64, 256, p);
        MpscChunkedFrameQueue.Claim c = q.newClaim();
        assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(8, c));     // [0, 16)
        assertTrue(c.abort());
        assertTrue(q.trim(), "an aborted record at the front is not pending");
        assertEquals(0, q.chunks());
        assertEquals(1, p.releases.get());
        // chunk 1: a frame, then a claim that pads [112, 128) and aborts in chunk 2
        assertTrue(q.offer(bytes(1, 40), 0, 40));       // [64, 112)
        assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(24, c));    // pads [112, 128), [128, 160)
        assertTrue(c.abort());
        assertEquals(1, q.peek(8).count());
        q.discard();                                    // scan 112: padding and aborted record left
        assertTrue(q.trim(), "walks past the padding and the aborted record, then retires chunk 2's rest");
        assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(8, c));
        assertEquals(8, c.offset(), "the tail was moved to 192, chunk 3");
        assertTrue(c.abort());
        assertTrue(q.close());
        p.assertAllBack("trim walks");
    }

    /**
     * trim() says it returns "true if the queue now holds no chunk", and gives the parked chunks back first. But
     * its walk past aborted and padding records (skipDone) releases the chunks it passes with park = true, after
     * that give-back: a chunk the walk passes stays parked, and trim returns true with {@code chunks() == 1}.
     * Here chunk 0 holds one aborted record to its end and chunk 1 another: trim walks both, parks chunk 0,
     * retires chunk 1, and answers true holding chunk 0 (the next trim gives it back).
     */
    @Test
    void trimThatWalksPastAbortedRecordsLeavesNoChunkParked() {
        TrackingProvider p = new TrackingProvider();
        MpscChunkedFrameQueue q = queue(64, 256, p);
        MpscChunkedFrameQueue.Claim c = q.newClaim();
        assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(56, c));    // [0, 64): all of chunk 0
        assertTrue(c.abort());
        assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(8, c));     // [64, 80)
        assertTrue(c.abort());
        assertTrue(q.trim());
        assertEquals(0, q.chunks(), "trim returned true: the queue holds no chunk");
        assertEquals(0, p.outstanding());
        assertTrue(q.close());
        p.assertAllBack("trim after aborted records");
    }

    // ------------------------------------------------------------------ producers: borrow, copy, put

    /**
     * No provider call between a claim's CAS and its header stores: a producer whose borrowed chunk lost the
     * install to another producer gives it back only after it wrote its header. The other producer is played,
     * on the same thread, from inside the provider's acquire (so it claims and installs the chunk first); the
     * provider's release then reads the losing producer's header from the installed chunk.
     */
    @Test
    void noProviderCallBetweenAClaimAndItsHeader() {
        TrackingProvider pool = new TrackingProvider();
        MpscChunkedFrameQueue[] queue = new MpscChunkedFrameQueue[1];
        MpscChunkedFrameQueue.Claim[] other = new MpscChunkedFrameQueue.Claim[1];
        ByteBuffer[] installed = new ByteBuffer[1];
        boolean[] nest = {false};
        List<Long> headerAtRelease = new ArrayList<>();
        BufferProvider p = new BufferProvider() {
            @Override
            public ByteBuffer acquire(int n) {
                if (nest[0]) {
                    nest[0] = false;
                    assertEquals(MpscChunkedFrameQueue.CLAIM_OK, queue[0].tryClaim(8, other[0]));    // [0, 16)
                    installed[0] = other[0].buffer();
                }
                return pool.acquire(n);
            }

            @Override
            public void release(ByteBuffer b) {
                if (installed[0] != null && b != installed[0]) {
                    headerAtRelease.add(installed[0].duplicate().order(ByteOrder.nativeOrder()).getLong(16));
                }
                pool.release(b);
            }
        };
        MpscChunkedFrameQueue q = new MpscChunkedFrameQueue(64, 256, 8, Long.MAX_VALUE, System::nanoTime, p);
        queue[0] = q;
        other[0] = q.newClaim();
        nest[0] = true;
        byte[] a = bytes(1, 8);
        assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, q.tryOffer(ByteBuffer.wrap(a)), "lands at [16, 32)");
        assertEquals(List.of(8L << 32 | RecordHeaders.CLAIMED), headerAtRelease,
                "the unused chunk went back once, after the claim's header was written");
        assertEquals(2, pool.acquires.get());
        assertEquals(1, pool.releases.get());
        assertEquals(1, q.chunks());
        byte[] b = bytes(2, 8);
        other[0].put(0, b, 0, 8);
        assertTrue(other[0].commit());
        assertDrains(q, b, a);
        assertTrue(q.trim());
        assertTrue(q.close());
        pool.assertAllBack("nested claim");
    }

    /**
     * A copy that fails inside tryOffer aborts the claim before the exception leaves: the frame is skipped and
     * nothing is blocked. To make the copy fail deterministically, another producer breaks the rule "never
     * change the chunk's limit" through its {@link MpscChunkedFrameQueue.Claim#buffer()}: the header still fits
     * below the limit, the payload does not.
     */
    @Test
    void aCopyThatThrowsAbortsItsClaim() {
        TrackingProvider p = new TrackingProvider();
        MpscChunkedFrameQueue q = queue(64, 256, p);
        MpscChunkedFrameQueue.Claim c = q.newClaim();
        assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(8, c));     // [0, 16)
        ByteBuffer chunk = c.buffer();
        chunk.limit(24);                                // [16, 24) header fits, [24, 32) payload does not
        ByteBuffer src = ByteBuffer.wrap(bytes(1, 8));
        assertThrows(IndexOutOfBoundsException.class, () -> q.tryOffer(src));
        assertEquals(0, src.position(), "nothing taken from the source");
        chunk.limit(40);                                // [32, 40) header fits, [40, 48) payload does not
        ByteBuffer[] parts = {ByteBuffer.wrap(bytes(2, 4)), ByteBuffer.wrap(bytes(3, 4))};
        assertThrows(IndexOutOfBoundsException.class, () -> q.tryOffer(parts, 2));
        chunk.limit(chunk.capacity());
        byte[] first = bytes(9, 8);
        c.put(0, first, 0, 8);
        assertTrue(c.commit());
        byte[] last = bytes(5, 8);
        assertTrue(q.offer(last, 0, 8));                // [48, 64)
        assertDrains(q, first, last);
        assertTrue(q.isEmpty(), "the two failed frames were aborted, not left open");
        assertTrue(q.trim());
        assertTrue(q.close());
        p.assertAllBack("copy throws");
    }

    /**
     * The same with an {@link Error}: a source that is a mapping of a file truncated meanwhile (a server
     * sending a file region, say) throws {@link InternalError} from the copy (SIGBUS). tryOffer catches only
     * RuntimeException, so the claim stays open and, with reclaim off, every frame behind it is blocked for
     * good; a {@code finally} (or catching Throwable) would abort it.
     */
    @Test
    void aCopyThatThrowsAnErrorAbortsItsClaimToo() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("chunked-queue", ".bin");
        try {
            java.nio.file.Files.write(file, new byte[8192]);
            ByteBuffer mapped;
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
                    java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
                mapped = ch.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, 8192);
                ch.truncate(0);
            }
            Throwable probe = null;
            try {
                mapped.get(4096);
            } catch (Throwable e) {
                probe = e;
            }
            org.junit.jupiter.api.Assumptions.assumeTrue(probe instanceof InternalError,
                    "reading a truncated mapping does not throw InternalError here: " + probe);
            TrackingProvider p = new TrackingProvider();
            MpscChunkedFrameQueue q = queue(64, 256, p);
            assertThrows(InternalError.class, () -> q.tryOffer(mapped.slice(4096, 8)));
            byte[] next = bytes(1, 8);
            assertTrue(q.offer(next, 0, 8));
            assertDrains(q, next);
            assertTrue(q.close());
            p.assertAllBack("copy throws an Error");
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    @Test
    void claimPutMethods() {
        TrackingProvider p = new TrackingProvider();
        MpscChunkedFrameQueue q = queue(64, 256, p);
        MpscChunkedFrameQueue.Claim c = q.newClaim();
        assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(40, c));
        assertSame(c, c.putInt(0, 0x01020304));
        assertSame(c, c.putLong(4, 0x05060708090A0B0CL));
        ByteBuffer src = ByteBuffer.allocateDirect(16);
        src.put(0, bytes(20, 16)).position(2).limit(10);
        assertSame(c, c.put(12, src));
        assertEquals(10, src.position(), "the source's position advances");
        assertEquals(10, src.limit());
        assertSame(c, c.put(20, bytes(40, 30), 10, 20));   // [20, 40): the last byte of the payload
        assertThrows(IndexOutOfBoundsException.class, () -> c.putInt(37, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> c.putLong(33, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> c.put(40, new byte[1], 0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> c.put(-1, new byte[1], 0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> c.put(0, new byte[4], 2, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> c.put(39, ByteBuffer.allocate(2)));
        assertSame(c, c.put(40, ByteBuffer.allocate(0)), "an empty put at the end is in bounds");
        assertSame(c, c.put(0, new byte[0], 0, 0));
        assertTrue(c.commit());
        assertNull(c.chunk, "a committed claim keeps no chunk");
        assertThrows(IllegalStateException.class, () -> c.putInt(0, 0));
        assertThrows(IllegalStateException.class, () -> c.putLong(0, 0));
        assertThrows(IllegalStateException.class, () -> c.put(0, ByteBuffer.allocate(1)));
        assertThrows(IllegalStateException.class, () -> c.put(0, new byte[1], 0, 1));
        byte[] expect = new byte[40];
        ByteBuffer e = ByteBuffer.wrap(expect);
        e.putInt(0, 0x01020304).putLong(4, 0x05060708090A0B0CL).put(12, bytes(22, 8)).put(20, bytes(50, 20));
        assertDrains(q, expect);
        assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(8, c));
        c.putLong(0, -1);
        assertTrue(c.abort());
        assertNull(c.chunk, "an aborted claim keeps no chunk");
        assertDrains(q);
        assertTrue(q.close());
        p.assertAllBack("claim puts");
    }

    // ------------------------------------------------------------------ drainTo

    @Test
    void drainToMovesWholeFramesThatFit() {
        TrackingProvider p = new TrackingProvider();
        MpscChunkedFrameQueue q = queue(64, 256, p);
        byte[] a = bytes(1, 24);
        byte[] b = bytes(2, 40);
        byte[] d = bytes(3, 8);
        assertTrue(q.offer(a, 0, 24));
        assertTrue(q.offer(b, 0, 40));                  // pads, chunk 1
        assertTrue(q.offer(d, 0, 8));
        ByteRing small = ByteRing.heap(32);
        assertEquals(1, q.drainTo(small, 8), "b does not fit what is left of a 32-byte ring");
        assertEquals(24, small.readable());
        assertEquals(0, q.drainTo(small, 8), "still not");
        Segments s = q.peek(8);
        assertEquals(2, s.count(), "b and d still there");
        ByteRing big = ByteRing.direct(64);
        assertEquals(1, q.drainTo(big, 1), "maxFrames 1; ends the peek");
        assertEquals(0, s.count(), "the peek's view is cleared");
        assertThrows(IllegalArgumentException.class, () -> q.discard(1), "nothing peeked any more");
        assertEquals(1, q.drainTo(big, 8));
        assertEquals(0, q.drainTo(big, 8));
        byte[] got = new byte[48];
        assertEquals(48, big.read(got, 0, 48));
        byte[] gotA = new byte[24];
        small.read(gotA, 0, 24);
        assertArrayEquals(a, gotA);
        assertArrayEquals(b, java.util.Arrays.copyOfRange(got, 0, 40));
        assertArrayEquals(d, java.util.Arrays.copyOfRange(got, 40, 48));
        assertTrue(q.isEmpty());
        assertTrue(q.trim());
        assertTrue(q.close());
        p.assertAllBack("drainTo");
    }

    /**
     * drainTo releases what it moved in a finally: a clock that throws (read when a claimed frame blocks the
     * front, reclaim on) after one frame was moved leaves that frame consumed and its chunk released, so the
     * budget has room again and the frame is not delivered twice.
     */
    @Test
    void drainToReleasesWhatItMovedWhenTheClockThrows() {
        boolean[] armed = {false};
        TrackingProvider p = new TrackingProvider();
        MpscChunkedFrameQueue q = new MpscChunkedFrameQueue(64, 128, 8, 1_000, () -> {
            if (armed[0]) {
                throw new TrackingProvider.InjectedFault("clock");
            }
            return 0;
        }, p);
        byte[] a = bytes(1, 56);
        assertTrue(q.offer(a, 0, 56));                  // [0, 64)
        MpscChunkedFrameQueue.Claim c = q.newClaim();
        assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(56, c));    // [64, 128)
        byte[] g = bytes(2, 56);
        assertEquals(MpscChunkedFrameQueue.OFFER_FULL, q.tryOffer(ByteBuffer.wrap(g)), "budget used up");
        armed[0] = true;
        ByteRing dst = ByteRing.heap(256);
        assertThrows(TrackingProvider.InjectedFault.class, () -> q.drainTo(dst, 8));
        assertEquals(56, dst.readable(), "a was moved before the clock threw");
        armed[0] = false;
        assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, q.tryOffer(ByteBuffer.wrap(g)),
                "a's chunk was released: [128, 192) fits");
        byte[] b = bytes(3, 56);
        c.put(0, b, 0, 56);
        assertTrue(c.commit());
        assertEquals(2, q.drainTo(dst, 8), "b and g, not a again");
        byte[] got = new byte[168];
        assertEquals(168, dst.read(got, 0, 168));
        assertArrayEquals(a, java.util.Arrays.copyOfRange(got, 0, 56));
        assertArrayEquals(b, java.util.Arrays.copyOfRange(got, 56, 112));
        assertArrayEquals(g, java.util.Arrays.copyOfRange(got, 112, 168));
        assertTrue(q.trim());
        assertTrue(q.close());
        p.assertAllBack("drainTo, clock throws");
    }

    // ------------------------------------------------------------------ zeroed providers

    @Test
    void providersSayWhetherTheirBuffersAreZeroed() {
        assertTrue(BufferProvider.heap().zeroed());
        assertTrue(BufferProvider.direct().zeroed());
        List<ByteBuffer> released = new ArrayList<>();
        BufferProvider plain = BufferProvider.of(ByteBuffer::allocateDirect, released::add);
        assertFalse(plain.zeroed());
        BufferProvider zeroed = BufferProvider.ofZeroed(ByteBuffer::allocateDirect, released::add);
        assertTrue(zeroed.zeroed());
        ByteBuffer b = zeroed.acquire(64);
        assertEquals(64, b.capacity());
        zeroed.release(b);
        assertEquals(List.of(b), released);
        assertFalse(new BufferProvider() {
            @Override
            public ByteBuffer acquire(int minCapacity) {
                return null;
            }

            @Override
            public void release(ByteBuffer buffer) {
            }
        }.zeroed(), "zeroed() is false by default");
        assertThrows(NullPointerException.class, () -> BufferProvider.ofZeroed(null, released::add));
        assertThrows(NullPointerException.class, () -> BufferProvider.ofZeroed(ByteBuffer::allocateDirect, null));
    }

    /**
     * A zeroed provider's chunks are trusted as they come (the queue does not zero them again: a marker byte at
     * the end of a borrowed chunk survives), a plain provider's are zeroed (the marker is gone).
     */
    @Test
    void onlyAPlainProvidersChunksAreZeroedWhenBorrowed() {
        for (boolean zeroed : new boolean[] {true, false}) {
            java.util.function.IntFunction<ByteBuffer> marked = n -> {
                ByteBuffer b = ByteBuffer.allocateDirect(n);
                b.put(n - 1, (byte) 7);
                return b;
            };
            BufferProvider p = zeroed ? BufferProvider.ofZeroed(marked, b -> { }) : BufferProvider.of(marked, b -> { });
            MpscChunkedFrameQueue q = queue(64, 128, p);
            MpscChunkedFrameQueue.Claim c = q.newClaim();
            assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(8, c));
            assertEquals(zeroed ? 7 : 0, c.buffer().get(63), zeroed ? "a zeroed provider's chunk is not zeroed again"
                    : "a plain provider's chunk is zeroed when borrowed");
            assertTrue(c.abort());
            assertTrue(q.close());
        }
    }

    /**
     * With a zeroed provider every chunk goes back reading zero, whatever path it takes: parked then given back
     * by trim, retired by trim part way, released by close with frames pending, and a reclaimed frame's chunk
     * once its producer is back. The pool checks every release (and hands out only zero buffers).
     */
    @Test
    void aZeroedProviderGetsEveryChunkBackZeroed() {
        Clock clock = new Clock();
        TrackingProvider p = new TrackingProvider(true);
        MpscChunkedFrameQueue q = new MpscChunkedFrameQueue(64, 192, 8, 1_000, () -> clock.now, p);
        byte[] f = bytes(-1, 56);
        for (int i = 0; i < 3; i++) {
            assertTrue(q.offer(f, 0, 56));
        }
        assertDrains(q, f, f, f);                       // all three parked
        assertTrue(q.offer(f, 0, 40));                  // retired part way by the trim
        assertDrains(q, java.util.Arrays.copyOf(f, 40));
        assertTrue(q.trim());
        p.assertAllBack("parked and retired chunks");
        MpscChunkedFrameQueue.Claim stalled = q.newClaim();
        assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(56, stalled));
        stalled.put(0, f, 0, 56);
        assertTrue(q.offer(f, 0, 56));
        assertEquals(0, q.peek(8).count());
        clock.now += 1_000;
        assertEquals(1, q.peek(8).count(), "reclaimed");
        q.discard();
        assertFalse(stalled.commit());
        assertTrue(q.offer(f, 0, 24));
        assertTrue(q.offer(f, 0, 8));                   // two frames pending at close
        assertTrue(q.close());
        p.assertAllBack("reclaimed chunk, and close with frames pending");
    }

    // ------------------------------------------------------------------ reclaim, with a hand-driven clock

    @Test
    void reclaimedFramesChunkStaysLentUntilItsProducerIsBack() {
        Clock clock = new Clock();
        TrackingProvider p = new TrackingProvider();
        MpscChunkedFrameQueue q = new MpscChunkedFrameQueue(64, 128, 8, 1_000, () -> clock.now, p);
        MpscChunkedFrameQueue.Claim stalled = q.newClaim();
        assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(8, stalled));   // [0, 16) of chunk 0
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
        // chunk 0 is consumed to its end but holds the reclaimed record: it must stay installed, neither parked
        // (which zeroes it) nor given back (the pool fills it with garbage): the frame delivered is still there
        assertTrue(p.isOut(chunk0), "a reclaimed record's chunk is not given back");
        assertArrayEquals(f, copyOf(chunk0, 24, 40), "a reclaimed record's chunk is neither zeroed nor reused");
        assertFalse(q.trim(), "a hole is pending");
        assertArrayEquals(f, copyOf(chunk0, 24, 40), "not even by a trim");
        assertTrue(p.isOut(chunk0));
        // budget: head is pinned at 0, so [64, 128) is all that is left
        byte[] g = bytes(9, 56);
        assertTrue(q.offer(g, 0, 56));                  // [64, 128)
        assertEquals(MpscChunkedFrameQueue.OFFER_FULL, q.tryOffer(ByteBuffer.allocate(1)), "pinned by the hole");
        assertArrayEquals(g, copy(q.peek(8).get(0)));
        q.discard();
        assertEquals(MpscChunkedFrameQueue.OFFER_FULL, q.tryOffer(ByteBuffer.allocate(1)), "still pinned");
        assertArrayEquals(f, copyOf(chunk0, 24, 40), "chunk 0 still installed");
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
        assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(56, stalled));  // all of chunk 0
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
        MpscChunkedFrameQueue q = new MpscChunkedFrameQueue(64, 128, 8, 0, () -> clock.now, p);
        MpscChunkedFrameQueue.Claim c = q.newClaim();
        for (int round = 0; round < 50; round++) {
            assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(8, c), "round " + round);
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
        assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(8, a));     // [0, 16)
        assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(8, b));     // [16, 32)
        assertSame(a.buffer(), b.buffer(), "two frames of one chunk");
        assertEquals(a.offset() + 16, b.offset());
        assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(40, e));    // pads [32, 64), [64, 112)
        assertNotSame(a.buffer(), e.buffer());
        assertEquals(8, e.offset());
        assertEquals(MpscChunkedFrameQueue.OFFER_FULL, q.tryClaim(40, d), "pad [112, 128) + [128, 176) > 128");
        assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(8, d), "[112, 128) fits exactly");
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
        assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(8, d), "[128, 144): head is 32");
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
     * the trimmed queue itself keeps no reference to a chunk it gave back (the commit 7759667 queue kept up to
     * three through its views), and then the same for a closed one.
     */
    @Test
    void aTrimmedQueueKeepsNoChunkReachable() throws Exception {
        for (boolean close : new boolean[] {false, true}) {
            List<WeakReference<ByteBuffer>> given = new ArrayList<>();
            MpscChunkedFrameQueue[] holder = new MpscChunkedFrameQueue[1];
            fillDrainTrim(given, holder, close);
            assertTrue(given.size() >= 2, "chunks given back: " + given.size());
            long reachable = reachableAfterGc(given, null);
            WeakReference<MpscChunkedFrameQueue> queue = new WeakReference<>(holder[0]);
            holder[0] = null;
            long withoutTheQueue = reachableAfterGc(given, queue);
            assertEquals(0, withoutTheQueue, "the test itself holds no chunk");
            assertEquals(0, reachable, "chunks given back but still reachable from the " + (close ? "closed" : "trimmed")
                    + " queue (" + given.size() + " given back, " + reachable
                    + " reachable until the queue itself is unreachable)");
        }
    }

    /**
     * A producer keeps its {@link MpscChunkedFrameQueue.Claim} to claim again without allocating; once its frame
     * is committed or aborted, the claim must not keep the chunk reachable either (the queue has given it back
     * after trim; the commit 7759667 claim kept it). The frame is aborted, so that the consumer makes no view of
     * the chunk and only the claim can hold it.
     */
    @Test
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
        MpscChunkedFrameQueue q = new MpscChunkedFrameQueue(4096, 8192, 8, Long.MAX_VALUE, System::nanoTime, dropping);
        holder[0] = q;
        MpscChunkedFrameQueue.Claim c = q.newClaim();
        assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(100, c));
        assertTrue(c.abort());
        assertTrue(q.trim(), "trim walks past the aborted frame itself");
        assertEquals(0, q.chunks());
        return c;
    }

    private static void fillDrainTrim(List<WeakReference<ByteBuffer>> given, MpscChunkedFrameQueue[] holder,
                                      boolean close) {
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
        if (close) {                                    // frames pending and peeked: close drops them and the views
            assertTrue(q.offer(f, 0, f.length));
            assertTrue(q.offer(f, 0, f.length));
            assertEquals(2, q.peek(8).count());
            assertTrue(q.close());
        } else {
            assertTrue(q.trim());
        }
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

    static byte[] copyOf(ByteBuffer b, int index, int length) {
        byte[] a = new byte[length];
        b.get(index, a);
        return a;
    }

    static byte[] copy(ByteBuffer v) {
        byte[] b = new byte[v.remaining()];
        v.get(v.position(), b);
        return b;
    }
}
