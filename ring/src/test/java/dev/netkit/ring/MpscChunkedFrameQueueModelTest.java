package dev.netkit.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netkit.testkit.Seeds;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded model-based test of {@link MpscChunkedFrameQueue} from one thread (reclaim off), against a reference
 * that lays records out by the documented rule (8-byte header, payload rounded up to 8, a padding record when
 * a frame would cross a chunk end) and models the byte budget exactly (tail, head = scan, chunk-end padding)
 * and the chunks: which chunk numbers are installed, which slots hold a parked chunk (chunk k parks in slot
 * {@code k mod slots} when the consumer passes its end, if that slot's parking place is empty; the producer
 * installing chunk k takes that slot's parked chunk, else borrows from the provider), and so how many buffers
 * the provider must have lent and had back at every step.
 *
 * <p>Every step checks the queue against the model: claims and offers (all four kinds) answer
 * {@code OFFER_FULL} exactly when the model's budget says so; each claim's offset is where the model put it,
 * and its payload is written through every {@link MpscChunkedFrameQueue.Claim} put method (with their bounds
 * checks); each peek returns exactly the committed frames in claim order up to the first open one, each view
 * at the model's position with the model's bytes; {@code drainTo(ByteRing, max)} copies exactly the frames the
 * model says fit (into rings of several sizes, partly filled), ends an open peek, and consumes the records it
 * walks; {@link MpscChunkedFrameQueue#trim()} gives back every parked chunk and answers true exactly when
 * nothing is pending (after walking past aborted and padding records); {@link MpscChunkedFrameQueue#chunks()}
 * equals installed + parked and what the provider has out on loan, and the provider's acquire and release
 * counts are exact. Peek views: the same {@link Segments} until a trim or close that leaves no chunk, and a
 * new view object for a slot only when that slot's chunk came from the provider (a parked chunk keeps its
 * views). Two providers: a LIFO pool that fills released buffers with garbage (a chunk released too early, or
 * installed without being zeroed, corrupts frames), and a zeroed pool ({@link BufferProvider#zeroed()}) that
 * hands out only zero buffers and checks that every buffer given back reads zero. At the end {@code close()},
 * with claims possibly still open (nothing is delivered after it, even while it returns false), and every
 * buffer back with the provider.
 *
 * <p>{@link #everyChunkBoundaryOffset()} sweeps, for each chunk size and both providers, every reachable tail
 * offset within a chunk and frames whose record just fits, exactly fills, or crosses the chunk end (every
 * record size for chunks up to 256 bytes), with and without a trim in front. Failures name chunk, budget,
 * provider, seed, step and operation; {@code -Dnetkit.seed=N} replays a seed.
 */
class MpscChunkedFrameQueueModelTest {

    static final String PAD = "PAD";
    static final String NEW = "NEW";
    static final String OPEN = "OPEN";
    static final String COMMITTED = "COMMITTED";
    static final String ABORTED = "ABORTED";

    static final int[] CHUNKS = {32, 64, 128, 256, 4096};

    static final class Rec {
        final long start;       // first byte of the record
        final long end;
        final boolean padding;
        final byte[] payload;
        String state;           // PAD, NEW, OPEN, COMMITTED, ABORTED

        Rec(long start, long end, boolean padding, byte[] payload, String state) {
            this.start = start;
            this.end = end;
            this.padding = padding;
            this.payload = payload;
            this.state = state;
        }

        boolean skipped() {
            return padding || state.equals(ABORTED);
        }
    }

    /** Smallest power of two at least ceil(budget / chunk) + 1: the documented slot count. */
    static int slotsFor(int chunk, int budget) {
        int span = (budget + chunk - 1) / chunk + 1;
        int n = 1;
        while (n < span) {
            n <<= 1;
        }
        return n;
    }

    /** The queue and its model, driven together; every operation checks the queue against the model. */
    static final class Harness {
        final MpscChunkedFrameQueue q;
        final TrackingProvider provider;
        final boolean zeroed;
        final int chunk;
        final int shift;
        final int mask;
        final int budget;
        final int maxLen;
        final int maxBatch;
        final int slots;
        final SplittableRandom rnd;
        // model
        long tail;
        long head;              // = scan: with reclaim off the consumer releases all it has walked
        final ArrayDeque<Rec> recs = new ArrayDeque<>();       // records in [head, tail), in order
        final TreeSet<Long> installed = new TreeSet<>();       // chunk numbers holding a buffer
        final boolean[] parked;                                // slots holding a parked chunk
        final int[] slotGen;    // bumped when a slot's chunk comes from the provider (maybe a buffer new to it)
        long acquires;
        long releases;
        int peeked;
        List<Rec> peekedRecs = List.of();
        boolean closed;
        long deliveredFrames;
        long drainedFrames;
        long fullAnswers;
        long parkedTakes;
        long viewReuses;
        // views: the Segments of the last peek, and per (slot, frame index) the last view and its slot's gen
        Segments segments;
        boolean viewsDropped = true;
        final Map<Integer, ByteBuffer> views = new HashMap<>();
        final Map<Integer, Integer> viewGen = new HashMap<>();
        final ByteRing[] rings;
        // claims held open
        final MpscChunkedFrameQueue.Claim[] claims;
        final Rec[] open;
        final int[] written;    // payload bytes already written into each open claim

        Harness(int chunk, int budget, int maxBatch, boolean zeroed, SplittableRandom rnd) {
            this.provider = new TrackingProvider(zeroed);
            this.provider.mixOrders = true;
            this.zeroed = zeroed;
            this.q = new MpscChunkedFrameQueue(chunk, budget, maxBatch, Long.MAX_VALUE, System::nanoTime, provider);
            this.chunk = chunk;
            this.shift = Integer.numberOfTrailingZeros(chunk);
            this.mask = chunk - 1;
            this.budget = budget;
            this.maxBatch = maxBatch;
            this.rnd = rnd;
            this.maxLen = q.maxFrameLength();
            this.slots = slotsFor(chunk, budget);
            this.parked = new boolean[slots];
            this.slotGen = new int[slots];
            assertEquals(chunk - 8, maxLen, "maxFrameLength = chunk - 8");
            assertEquals(chunk, q.chunkBytes());
            assertEquals(budget, q.budgetBytes());
            int maxRing = Integer.highestOneBit(maxLen - 1) << 1;
            this.rings = new ByteRing[] {ByteRing.heap(16), ByteRing.heap(64), ByteRing.direct(maxRing),
                    ByteRing.heap(4 * maxRing), ByteRing.elastic(2 * maxRing, BufferProvider.heap())};
            this.claims = new MpscChunkedFrameQueue.Claim[3];
            for (int i = 0; i < claims.length; i++) {
                claims[i] = q.newClaim();
            }
            this.open = new Rec[3];
            this.written = new int[3];
            check();
        }

        static int recordLength(int len) {
            return (MpscChunkedFrameQueue.HEADER_LENGTH + len + 7) & ~7;
        }

        int slot(long chunkNumber) {
            return (int) (chunkNumber & (slots - 1));
        }

        int parkedCount() {
            int n = 0;
            for (boolean p : parked) {
                n += p ? 1 : 0;
            }
            return n;
        }

        /** Model claim: the frame's record (state NEW), or null if the budget says full. */
        Rec layout(int len, byte[] payload) {
            int rec = recordLength(len);
            int toEnd = chunk - (int) (tail & mask);
            int pad = rec <= toEnd ? 0 : toEnd;
            long start = tail + pad;
            long end = start + rec;
            if (end - head > budget) {
                return null;
            }
            if (pad > 0) {
                install(tail >>> shift);
                recs.add(new Rec(tail, start, true, null, PAD));
            }
            install(start >>> shift);
            Rec r = new Rec(start, end, false, payload, NEW);
            recs.add(r);
            tail = end;
            return r;
        }

        /** Chunk k gets a buffer: its slot's parked one, else one from the provider. */
        private void install(long k) {
            if (installed.add(k)) {
                int s = slot(k);
                if (parked[s]) {
                    parked[s] = false;
                    parkedTakes++;
                } else {
                    acquires++;
                    slotGen[s]++;
                }
            }
        }

        /** Chunk k leaves its slot: parked in it (if asked and its parking place is empty) or given back. */
        private void release(long k, boolean park) {
            if (installed.remove(k)) {
                int s = slot(k);
                if (park && !parked[s]) {
                    parked[s] = true;
                } else {
                    releases++;
                }
            }
        }

        private void giveBackParked() {
            for (int s = 0; s < slots; s++) {
                if (parked[s]) {
                    parked[s] = false;
                    releases++;
                }
            }
        }

        /** Model release: head moves to newHead; every chunk wholly before it is parked or given back. */
        private void releaseTo(long newHead, boolean park) {
            for (long k = head >>> shift, last = newHead >>> shift; k < last; k++) {
                release(k, park);
            }
            head = newHead;
            while (!recs.isEmpty() && recs.peekFirst().end <= head) {
                recs.pollFirst();
            }
        }

        int expectedStatus(Rec r) {
            return closed ? MpscChunkedFrameQueue.OFFER_CLOSED
                    : r == null ? MpscChunkedFrameQueue.OFFER_FULL : MpscChunkedFrameQueue.OFFER_COMMITTED;
        }

        /** A random frame length, biased to the chunk-end boundary, the budget edge and the extremes. */
        int randomLength() {
            int len;
            switch (rnd.nextInt(8)) {
                case 0, 1, 2 -> len = rnd.nextInt(1, maxLen + 1);
                case 3, 4 -> len = rnd.nextInt(1, Math.min(16, maxLen) + 1);
                case 5 -> len = maxLen;
                case 6 -> {
                    int toEnd = chunk - (int) (tail & mask);
                    int rec = toEnd + 8 * rnd.nextInt(-1, 2);       // just fits, exactly fills, crosses
                    len = rec - 8 - rnd.nextInt(8);
                }
                default -> {
                    long room = head + budget - tail;               // the budget edge, ignoring padding
                    len = (int) Math.min(Integer.MAX_VALUE, room) - 8 - rnd.nextInt(-8, 9);
                }
            }
            return Math.max(1, Math.min(maxLen, len));
        }

        /** Offers one frame by one of the four offer calls; returns the status it answered. */
        int offer(int len, int how) {
            byte[] data = ByteRingModelTest.randomBytes(rnd, len);
            Rec r = closed ? null : layout(len, data);
            int expected = expectedStatus(r);
            int got;
            switch (how) {
                case 0 -> {             // tryOffer(ByteBuffer), heap or direct, at a non-zero position
                    int off = rnd.nextInt(4);
                    ByteBuffer src = rnd.nextBoolean() ? ByteBuffer.allocate(off + len + 3)
                            : ByteBuffer.allocateDirect(off + len + 3);
                    src.position(off);
                    src.put(data);
                    src.position(off).limit(off + len);
                    got = q.tryOffer(src);
                    assertEquals(got == MpscChunkedFrameQueue.OFFER_COMMITTED ? off + len : off, src.position(),
                            "source position after tryOffer");
                }
                case 1 -> {             // gathering tryOffer: up to 4 parts, some empty, a stray entry past count
                    int parts = rnd.nextInt(1, 5);
                    ByteBuffer[] srcs = new ByteBuffer[parts + rnd.nextInt(2)];
                    int at = 0;
                    for (int i = 0; i < parts; i++) {
                        int n = i == parts - 1 ? len - at : rnd.nextInt(0, len - at + 1);
                        srcs[i] = rnd.nextBoolean() ? ByteBuffer.wrap(data, at, n).slice()
                                : ByteBuffer.allocateDirect(n).put(0, data, at, n);
                        at += n;
                    }
                    if (srcs.length > parts) {
                        srcs[parts] = ByteBuffer.wrap(new byte[] {42});
                    }
                    got = q.tryOffer(srcs, parts);
                    for (int i = 0; i < parts; i++) {
                        assertEquals(got == MpscChunkedFrameQueue.OFFER_COMMITTED ? 0 : srcs[i].limit(),
                                srcs[i].remaining(), "gathered part " + i + " consumed iff committed");
                    }
                    if (srcs.length > parts) {
                        assertEquals(1, srcs[parts].remaining(), "the entry past count is left alone");
                    }
                }
                case 2 -> {             // offer(byte[], off, len): boolean
                    int off = rnd.nextInt(5);
                    byte[] arr = new byte[off + len + rnd.nextInt(3)];
                    System.arraycopy(data, 0, arr, off, len);
                    boolean ok = q.offer(arr, off, len);
                    got = ok ? MpscChunkedFrameQueue.OFFER_COMMITTED
                            : expected != MpscChunkedFrameQueue.OFFER_COMMITTED ? expected : -1;
                }
                default -> {            // offer(ByteBuffer): boolean
                    boolean ok = q.offer(ByteBuffer.wrap(data));
                    got = ok ? MpscChunkedFrameQueue.OFFER_COMMITTED
                            : expected != MpscChunkedFrameQueue.OFFER_COMMITTED ? expected : -1;
                }
            }
            assertEquals(expected, got, "offer status (tail " + tail + ", head " + head + ", record "
                    + recordLength(len) + ", budget " + budget + ")");
            if (r != null) {
                r.state = COMMITTED;
            }
            if (got == MpscChunkedFrameQueue.OFFER_FULL) {
                fullAnswers++;
            }
            return got;
        }

        int freeSlot() {
            for (int i = 0; i < open.length; i++) {
                if (open[i] == null) {
                    return i;
                }
            }
            return -1;
        }

        /**
         * Writes {@code data[from, to)} into the claim's payload at the same offsets, in random pieces, by every
         * way a producer has: {@code put(at, byte[], off, len)}, {@code put(at, ByteBuffer)} (heap or direct, at
         * a non-zero position), {@code putInt}, {@code putLong} and absolute puts into {@code buffer()}.
         */
        void writePayload(MpscChunkedFrameQueue.Claim c, byte[] data, int from, int to) {
            while (from < to) {
                int n = rnd.nextInt(1, to - from + 1);
                int how = rnd.nextInt(5);
                if (how == 3 && n >= 4) {
                    n = 4;
                    assertSame(c, c.putInt(from, ByteBuffer.wrap(data, from, 4).getInt()));
                } else if (how == 4 && n >= 8) {
                    n = 8;
                    assertSame(c, c.putLong(from, ByteBuffer.wrap(data, from, 8).getLong()));
                } else if (how == 1) {
                    int off = rnd.nextInt(4);
                    ByteBuffer src = rnd.nextBoolean() ? ByteBuffer.allocate(off + n + 2)
                            : ByteBuffer.allocateDirect(off + n + 2);
                    src.put(off, data, from, n).position(off).limit(off + n);
                    assertSame(c, c.put(from, src));
                    assertEquals(off + n, src.position(), "put(at, ByteBuffer) advances the source");
                } else if (how == 2) {
                    c.buffer().put(c.offset() + from, data, from, n);
                } else {
                    int off = rnd.nextInt(3);
                    byte[] arr = new byte[off + n + rnd.nextInt(3)];
                    System.arraycopy(data, from, arr, off, n);
                    assertSame(c, c.put(from, arr, off, n));
                }
                from += n;
            }
        }

        /** The put methods refuse anything outside the claimed payload (and write nothing). */
        static void checkPutBounds(MpscChunkedFrameQueue.Claim c) {
            int len = c.length();
            assertThrows(IndexOutOfBoundsException.class, () -> c.putInt(len - 3, -1), "putInt past the end");
            assertThrows(IndexOutOfBoundsException.class, () -> c.putLong(len - 7, -1L), "putLong past the end");
            assertThrows(IndexOutOfBoundsException.class, () -> c.putInt(-1, -1), "putInt before the start");
            assertThrows(IndexOutOfBoundsException.class, () -> c.put(len, new byte[] {-1}, 0, 1), "put at length");
            assertThrows(IndexOutOfBoundsException.class, () -> c.put(-1, new byte[] {-1}, 0, 1), "put at -1");
            assertThrows(IndexOutOfBoundsException.class, () -> c.put(0, new byte[2], 1, 2), "source range");
            ByteBuffer big = ByteBuffer.allocate(len + 1);
            assertThrows(IndexOutOfBoundsException.class, () -> c.put(0, big), "a source longer than the frame");
            assertEquals(0, big.position(), "a refused source keeps its position");
            ByteBuffer whole = ByteBuffer.allocate(len);
            assertThrows(IndexOutOfBoundsException.class, () -> c.put(1, whole), "a source past the end");
            assertEquals(0, whole.position());
        }

        /** tryClaim into a claim slot; writes part of the payload now, the rest before commit or abort. */
        int claim(int slot, int len) {
            byte[] data = ByteRingModelTest.randomBytes(rnd, len);
            Rec r = closed ? null : layout(len, data);
            MpscChunkedFrameQueue.Claim c = claims[slot];
            int got = q.tryClaim(len, c);
            assertEquals(expectedStatus(r), got, "tryClaim(" + len + ") status (tail " + tail + ", head " + head
                    + ", budget " + budget + ")");
            if (got == MpscChunkedFrameQueue.OFFER_FULL) {
                fullAnswers++;
            }
            if (r == null) {
                assertFalse(c.isOpen());
                assertNull(c.chunk, "a failed claim holds no chunk");
                return got;
            }
            assertEquals(MpscChunkedFrameQueue.CLAIM_OK, got);
            r.state = OPEN;
            open[slot] = r;
            assertTrue(c.isOpen());
            assertEquals(len, c.length());
            assertEquals((int) (r.start & mask) + 8, c.offset(), "claim offset = model position + header");
            assertEquals(0, c.offset() % 8, "payload 8-aligned");
            assertTrue(c.offset() + len <= chunk, "frame inside its chunk");
            ByteBuffer b = c.buffer();
            assertTrue(b.isDirect(), "chunk is direct");
            assertEquals(ByteOrder.BIG_ENDIAN, b.order(), "chunk order");
            assertTrue(provider.isOut(b), "a claim's chunk is out on loan from the provider");
            if (rnd.nextInt(4) == 0) {
                checkPutBounds(c);
            }
            written[slot] = rnd.nextInt(len + 1);
            writePayload(c, data, 0, written[slot]);
            assertThrows(IllegalStateException.class, () -> q.tryClaim(len, c), "claim already open");
            return got;
        }

        void finish(int slot, boolean commit) {
            MpscChunkedFrameQueue.Claim c = claims[slot];
            Rec r = open[slot];
            if (commit || rnd.nextBoolean()) {
                writePayload(c, r.payload, written[slot], r.payload.length);
            }
            assertTrue(commit ? c.commit() : c.abort(), commit ? "commit" : "abort");
            r.state = commit ? COMMITTED : ABORTED;
            open[slot] = null;
            assertFalse(c.isOpen());
            assertNull(c.chunk, "a finished claim keeps no chunk");
            assertThrows(IllegalStateException.class, c::commit, "commit of a closed claim");
            assertThrows(IllegalStateException.class, c::abort, "abort of a closed claim");
            assertThrows(IllegalStateException.class, c::buffer, "buffer of a closed claim");
            assertThrows(IllegalStateException.class, () -> c.putInt(0, 1), "putInt into a closed claim");
            assertThrows(IllegalStateException.class, () -> c.put(0, new byte[1], 0, 1), "put into a closed claim");
            assertThrows(IllegalStateException.class, () -> c.put(0, ByteBuffer.allocate(1)), "put into a closed claim");
        }

        /** Peeks and checks every view against the model; returns the frames. */
        Segments peek(int max) {
            long front = head;
            List<Rec> expect = new ArrayList<>();
            if (!closed) {
                for (Rec r : recs) {
                    if (expect.size() == max || r.state.equals(OPEN)) {
                        break;
                    }
                    if (r.state.equals(COMMITTED)) {
                        expect.add(r);
                    } else if (expect.isEmpty()) {
                        front = r.end;          // padding or aborted in front of the first frame: walked past
                    }
                }
            }
            Segments s = q.peek(max);
            if (front != head) {
                releaseTo(front, true);
            }
            if (viewsDropped) {
                if (segments != null) {
                    assertNotSame(segments, s, "a trim or close that left no chunk dropped the views");
                }
                views.clear();
                viewGen.clear();
                viewsDropped = false;
            } else if (segments != null) {
                assertSame(segments, s, "the consumer's Segments is reused");
            }
            segments = s;
            assertEquals(expect.size(), s.count(), "frames peeked (max " + max + (closed ? ", closed" : "") + ")");
            int bytes = 0;
            for (int i = 0; i < expect.size(); i++) {
                Rec r = expect.get(i);
                ByteBuffer v = s.get(i);
                assertEquals((int) (r.start & mask) + 8, v.position(), "frame " + i + " position in its chunk");
                assertEquals(r.payload.length, v.remaining(), "frame " + i + " length");
                for (int j = 0; j < r.payload.length; j++) {
                    if (r.payload[j] != v.get(v.position() + j)) {
                        throw new AssertionError("frame " + i + " (record at " + r.start + ", " + r.payload.length
                                + " bytes) byte " + j + ": expected " + r.payload[j] + ", was "
                                + v.get(v.position() + j));
                    }
                }
                bytes += r.payload.length;
                int sl = slot(r.start >>> shift);
                int key = sl * maxBatch + i;
                ByteBuffer old = views.get(key);
                if (old != null && old != v) {
                    assertNotEquals(viewGen.get(key), slotGen[sl], "a new view for slot " + sl + " frame " + i
                            + " though the slot's chunk is the one its views were made for (parked there)");
                } else if (old == v) {
                    viewReuses++;
                }
                views.put(key, v);
                viewGen.put(key, slotGen[sl]);
            }
            assertEquals(bytes, s.remaining(), "Segments.remaining");
            if (!closed) {
                peeked = expect.size();
                peekedRecs = expect;
            }
            return s;
        }

        void discard(int n) {
            if (n == 0) {
                q.discard(0);
                return;
            }
            Rec last = peekedRecs.get(n - 1);
            if (n == peeked && rnd.nextBoolean()) {
                q.discard();
            } else {
                q.discard(n);
            }
            releaseTo(last.end, true);
            peeked = 0;
            peekedRecs = List.of();
            deliveredFrames += n;
        }

        /**
         * drainTo into one of the harness's rings, partly filled first; checks what it moved byte for byte and
         * empties the ring again.
         */
        int drainTo(int max) {
            ByteRing dst = rings[rnd.nextInt(rings.length)];
            byte[] pre = ByteRingModelTest.randomBytes(rnd, rnd.nextInt(dst.capacity() + 1));
            assertEquals(pre.length, dst.write(pre, 0, pre.length));
            int writable = dst.capacity() - pre.length;
            List<Rec> expect = new ArrayList<>();
            long pos = head;
            if (!closed) {
                for (Rec r : recs) {
                    if (expect.size() == max || r.state.equals(OPEN)) {
                        break;
                    }
                    if (r.state.equals(COMMITTED)) {
                        if (r.payload.length > writable) {
                            break;
                        }
                        writable -= r.payload.length;
                        expect.add(r);
                    }
                    pos = r.end;
                }
            }
            Segments before = segments;
            boolean peekOpen = peeked > 0;
            int got = q.drainTo(dst, max);
            assertEquals(expect.size(), got, "drainTo(" + dst.capacity() + "-byte ring holding " + pre.length
                    + " bytes, " + max + ")" + (closed ? ", closed" : ""));
            if (peekOpen) {
                assertEquals(0, before.count(), "drainTo ends an open peek");
            }
            int total = pre.length;
            for (Rec r : expect) {
                total += r.payload.length;
            }
            assertEquals(total, dst.readable(), "bytes in the ring after drainTo");
            byte[] out = new byte[total];
            assertEquals(total, dst.read(out, 0, total));
            int at = 0;
            for (int j = 0; j < pre.length; j++, at++) {
                assertEquals(pre[j], out[at], "ring byte " + j + " from before the drain");
            }
            for (int i = 0; i < expect.size(); i++) {
                byte[] p = expect.get(i).payload;
                for (int j = 0; j < p.length; j++, at++) {
                    if (p[j] != out[at]) {
                        throw new AssertionError("drained frame " + i + " (record at " + expect.get(i).start + ", "
                                + p.length + " bytes) byte " + j + ": expected " + p[j] + ", was " + out[at]);
                    }
                }
            }
            assertTrue(dst.isEmpty());
            if (!closed) {
                peeked = 0;
                peekedRecs = List.of();
                if (pos != head) {
                    releaseTo(pos, true);
                }
            }
            deliveredFrames += got;
            drainedFrames += got;
            return got;
        }

        boolean trim() {
            if (closed) {
                boolean got = q.trim();
                assertEquals(closeModel(), got, "trim of a closed queue is close");
                return got;
            }
            if (peeked == 0 && tail != head) {
                long front = head;
                for (Rec r : recs) {
                    if (!r.skipped()) {
                        break;
                    }
                    front = r.end;
                }
                if (front != head) {
                    releaseTo(front, true);
                }
            }
            giveBackParked();                   // after the walk past skipped records, which may park
            boolean expected = tail == head && peeked == 0;
            boolean got = q.trim();
            assertEquals(expected, got, "trim (tail " + tail + ", head " + head + ", peeked " + peeked + ")");
            if (expected) {
                if ((tail & mask) != 0) {
                    long boundary = (tail | mask) + 1;
                    release(tail >>> shift, false);
                    tail = boundary;
                    head = boundary;
                }
                viewsDropped = true;
                assertTrue(installed.isEmpty());
                assertEquals(parkedCount(), q.chunks(), "a trimmed queue holds no installed chunk");
                assertEquals(0, q.chunks(), "trim returned true: the queue holds no chunk");
            }
            return got;
        }

        /** The model's close; returns what close() must answer. */
        private boolean closeModel() {
            closed = true;
            peeked = 0;
            peekedRecs = List.of();
            long pos = head;
            for (Rec r : recs) {
                if (r.state.equals(OPEN)) {
                    break;
                }
                pos = r.end;
            }
            releaseTo(pos, false);
            boolean expected = head == tail;
            if (expected) {
                if ((tail & mask) != 0) {
                    release(tail >>> shift, false);
                }
                giveBackParked();
                viewsDropped = true;
            }
            return expected;
        }

        boolean close() {
            boolean expected = closeModel();
            assertEquals(expected, q.close(), "close (open claims: " + (open[0] != null) + (open[1] != null)
                    + (open[2] != null) + ")");
            return expected;
        }

        /** Peeks and discards (or drains) until nothing committed is left in front of the first open claim. */
        void drain() {
            while (true) {
                if (rnd.nextInt(3) == 0 && drainTo(rnd.nextInt(1, 2 * maxBatch + 1)) > 0) {
                    check();
                    continue;               // (a ring too small for the next frame moves nothing: peek then)
                }
                Segments s = peek(rnd.nextInt(1, maxBatch + 1));
                int n = s.count();
                if (n > 0) {
                    discard(n);
                }
                check();
                if (n == 0) {
                    return;
                }
            }
        }

        void check() {
            int chunks = q.chunks();
            assertEquals(installed.size() + parkedCount(), chunks, "chunks() (installed " + installed
                    + ", parked " + parkedCount() + ")");
            assertTrue(installed.size() <= budget / chunk + 2, "installed " + installed + " above budget / chunk + 2");
            assertTrue(chunks <= budget / chunk + 2 + slots, "chunks() " + chunks + " above in use + parked");
            assertEquals(chunks, provider.outstanding(), "chunks() = buffers out on loan");
            assertEquals(acquires, provider.acquires.get(), "provider acquires");
            assertEquals(releases, provider.releases.get(), "provider releases");
            assertEquals(tail == head, q.isEmpty(), "isEmpty");
            assertEquals(closed, q.isClosed(), "isClosed");
            assertEquals(0, q.holes());
            provider.assertNoErrors("provider");
        }

        /** Closes, finishing open claims at random until close says every chunk is back; checks the provider. */
        void closeAndCheck() {
            boolean done = close();
            check();
            assertEquals(0, peek(1).count(), "nothing delivered after close, even before it finished");
            assertEquals(0, drainTo(Integer.MAX_VALUE), "nothing drained after close, even before it finished");
            for (int slot = 0; slot < open.length && !done; slot++) {
                if (open[slot] != null) {
                    finish(slot, rnd.nextBoolean());
                    assertEquals(0, peek(maxBatch).count(), "a frame finished after close is not delivered");
                    done = close();
                    check();
                }
            }
            assertTrue(done, "close after every claim finished");
            assertTrue(close(), "close is idempotent");
            assertEquals(0, peek(1).count(), "nothing delivered after close");
            assertEquals(0, drainTo(3), "nothing drained after close");
            assertEquals(MpscChunkedFrameQueue.OFFER_CLOSED, offer(1, 0));
            assertEquals(MpscChunkedFrameQueue.OFFER_CLOSED, offer(Math.max(1, maxLen / 2), 1));
            offer(maxLen, 2);
            int slot = freeSlot();
            assertEquals(MpscChunkedFrameQueue.OFFER_CLOSED, claim(slot, 1));
            assertTrue(trim(), "trim of a closed, emptied queue is close()");
            check();
            assertEquals(0, q.chunks());
            provider.assertAllBack("after close");
        }

        String name() {
            return "chunk=" + chunk + " budget=" + budget + " slots=" + slots + " maxBatch=" + maxBatch
                    + (zeroed ? " zeroed pool" : " garbage pool");
        }
    }

    // ------------------------------------------------------------------ random operations against the model

    static Stream<Arguments> runs() {
        List<Arguments> out = new ArrayList<>();
        Seeds.seeds(11, 12, 13).forEach(seed -> {
            for (int chunk : CHUNKS) {
                for (int budget : new int[] {2 * chunk, 2 * chunk + 8, 2 * chunk + chunk / 2 + 8, 3 * chunk - 8,
                        5 * chunk + 24}) {
                    for (boolean zeroed : new boolean[] {false, true}) {
                        out.add(Arguments.of(chunk, budget, zeroed, seed));
                    }
                }
            }
        });
        return out.stream();
    }

    @ParameterizedTest(name = "chunk={0} budget={1} zeroed={2} seed={3}")
    @MethodSource("runs")
    void matchesReferenceModel(int chunk, int budget, boolean zeroed, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed ^ (chunk * 31L + budget) ^ (zeroed ? 0x5EED : 0));
        int maxBatch = rnd.nextInt(1, Math.min(64, chunk / 8) + 1);
        Harness h = new Harness(chunk, budget, maxBatch, zeroed, rnd);
        int steps = 4000;
        int step = 0;
        String op = "";
        int trims = 0;
        try {
            for (step = 0; step < steps; step++) {
                int choice = rnd.nextInt(48);
                if (choice < 12) {
                    int len = h.randomLength();
                    int how = rnd.nextInt(4);
                    op = "offer#" + how + "(" + len + ")";
                    h.offer(len, how);
                } else if (choice < 14) {
                    op = "offer until full";
                    for (int i = 0; i < 64; i++) {
                        if (h.offer(h.randomLength(), rnd.nextInt(4)) != MpscChunkedFrameQueue.OFFER_COMMITTED) {
                            break;
                        }
                    }
                } else if (choice < 20) {
                    int slot = h.freeSlot();
                    if (slot >= 0) {
                        int len = h.randomLength();
                        op = "tryClaim(" + len + ") into " + slot;
                        h.claim(slot, len);
                    } else {
                        slot = rnd.nextInt(3);
                        op = "finish " + slot;
                        h.finish(slot, rnd.nextInt(4) != 0);
                    }
                } else if (choice < 24) {
                    int slot = rnd.nextInt(3);
                    if (h.open[slot] != null) {
                        boolean commit = rnd.nextInt(4) != 0;
                        op = (commit ? "commit " : "abort ") + slot;
                        h.finish(slot, commit);
                    }
                } else if (choice < 30) {
                    int max = rnd.nextInt(1, maxBatch + 1);
                    op = "peek(" + max + ")";
                    h.peek(max);
                } else if (choice < 36) {
                    int n = rnd.nextInt(0, h.peeked + 1);
                    op = "discard(" + n + ") of " + h.peeked;
                    h.discard(n);
                } else if (choice < 41) {
                    int max = rnd.nextInt(4) == 0 ? Integer.MAX_VALUE : rnd.nextInt(1, 2 * maxBatch + 1);
                    op = "drainTo(" + max + ")" + (h.peeked > 0 ? " with " + h.peeked + " peeked" : "");
                    h.drainTo(max);
                } else if (choice < 43) {
                    op = "peek then drainTo";
                    h.peek(rnd.nextInt(1, maxBatch + 1));
                    h.check();
                    h.drainTo(rnd.nextInt(1, 2 * maxBatch + 1));
                } else if (choice < 45) {
                    op = "trim";
                    if (h.trim()) {
                        trims++;
                    }
                } else if (choice < 46) {
                    op = "drain, finish claims, trim";
                    for (int slot = 0; slot < 3; slot++) {
                        if (h.open[slot] != null && rnd.nextBoolean()) {
                            h.finish(slot, rnd.nextBoolean());
                        }
                    }
                    h.drain();
                    if (h.trim()) {
                        trims++;
                    }
                } else {
                    op = "drain";
                    h.drain();
                }
                h.check();
            }
            op = "close";
            h.closeAndCheck();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(h.name() + " seed=" + seed + " step=" + step + " op=" + op
                    + " (replay with -Dnetkit.seed=" + seed + "): " + e, e);
        }
        String where = h.name() + " seed=" + seed;
        assertTrue(h.deliveredFrames > 0, "frames delivered: " + where);
        assertTrue(h.drainedFrames > 0, "frames drained: " + where);
        assertTrue(trims > 0, "trim returned true at least once: " + where);
        assertTrue(h.fullAnswers > 0, "the budget filled at least once: " + where);
        assertTrue(h.parkedTakes > 0, "a parked chunk served its slot's next chunk at least once: " + where);
        assertTrue(h.viewReuses > 0, "a parked chunk's views were reused at least once: " + where);
    }

    // ------------------------------------------------------------------ every chunk-end offset

    /** Brings the tail to {@code offset} within a chunk with filler frames, consuming everything. */
    static void advanceTo(Harness h, int offset) {
        h.drain();
        while ((int) (h.tail & h.mask) != offset || h.tail != h.head) {
            int cur = (int) (h.tail & h.mask);
            int toEnd = h.chunk - cur;
            int rec;
            if (offset > cur && offset - cur >= 16) {
                rec = offset - cur;
            } else if (toEnd >= 16) {
                rec = toEnd;                    // to the chunk end
            } else {
                rec = 16;                       // 8 bytes left: pads, lands at offset 16 of the next chunk
            }
            assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, h.offer(rec - 8, h.rnd.nextInt(4)), "filler");
            h.drain();
            h.check();
        }
    }

    @Test
    void everyChunkBoundaryOffset() {
        long seed = Seeds.seed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (boolean zeroed : new boolean[] {false, true}) {
            for (int chunk : CHUNKS) {
                int budget = 2 * chunk;         // the smallest budget: the largest frame still fits after any gap
                Harness h = new Harness(chunk, budget, Math.min(64, chunk / 8), zeroed, rnd);
                assertEquals(chunk - 8, h.maxLen);
                int cases = 0;
                String op = "";
                try {
                    // offset 8 is unreachable: every record is at least 16 bytes and never straddles
                    for (int offset = 0; offset < chunk; offset += offset == 0 ? 16 : 8) {
                        int toEnd = chunk - offset;
                        List<Integer> sizes = new ArrayList<>();
                        if (chunk <= 256) {
                            for (int r = 16; r <= chunk; r += 8) {
                                sizes.add(r);
                            }
                        } else {
                            for (int r : new int[] {16, 24, toEnd - 16, toEnd - 8, toEnd, toEnd + 8, toEnd + 16,
                                    chunk - 8, chunk}) {
                                if (r >= 16 && r <= chunk && !sizes.contains(r)) {
                                    sizes.add(r);
                                }
                            }
                        }
                        for (int rec : sizes) {
                            for (int len : new int[] {rec - 15, rec - 8}) {
                                if (len < 1) {
                                    continue;
                                }
                                boolean trimFirst = (cases & 8) != 0;
                                op = "offset " + offset + " record " + rec + " length " + len
                                        + (trimFirst ? " after a trim" : "");
                                advanceTo(h, offset);
                                long t = h.tail;
                                if (trimFirst) {
                                    assertTrue(h.trim(), "trim of a drained queue");
                                    t = h.tail;
                                    assertEquals(0, t & h.mask, "a trim leaves the tail at a chunk boundary");
                                }
                                int te = trimFirst ? chunk : toEnd;
                                long expectStart = rec <= te ? t : t + te;
                                int how = cases % 6;
                                Rec frame;
                                if (how >= 4) {
                                    assertEquals(MpscChunkedFrameQueue.CLAIM_OK, h.claim(0, len));
                                    frame = h.open[0];
                                    h.finish(0, true);
                                } else {
                                    assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, h.offer(len, how));
                                    frame = h.recs.peekLast();
                                }
                                assertEquals(expectStart, frame.start, "record start");
                                assertEquals(rec > te, h.recs.size() == 2 && h.recs.peekFirst().padding,
                                        "a padding record iff the frame crosses");
                                h.check();
                                // a small frame right behind it, then both delivered intact
                                int marker = rnd.nextInt(1, 9);
                                if (h.offer(marker, rnd.nextInt(4)) != MpscChunkedFrameQueue.OFFER_COMMITTED) {
                                    h.drain();
                                    assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED,
                                            h.offer(marker, rnd.nextInt(4)));
                                }
                                h.check();
                                h.drain();
                                assertTrue(h.recs.isEmpty(), "all delivered");
                                h.check();
                                cases++;
                            }
                        }
                    }
                    h.drain();
                    assertTrue(h.trim());
                    h.closeAndCheck();
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError(h.name() + " seed=" + seed + " case " + cases + ": " + op
                            + " (replay with -Dnetkit.seed=" + seed + "): " + e, e);
                }
                assertTrue(cases > 0);
            }
        }
    }

    /**
     * A budget of exactly two chunks never answers full to a largest frame ({@code chunk - 8}) on an empty queue,
     * whatever a trim did in between, single-threaded: at every reachable tail offset, with everything consumed,
     * the largest frame is offered (a) right away (it pads to the chunk end), (b) after a trim (the rest of the
     * chunk retired), (c) after a trim that found the filler peeked and refused, then a discard and a trim,
     * (d) after a trim, a small frame consumed, and a second trim, (e) after a trim that walked past an aborted
     * record. Every step is checked against the model (status, positions, chunks, provider counts). The
     * two-thread version is {@code MpscChunkedFrameQueueStreamTest.aTwoChunkBudgetNeverAnswersFullWhileTrimRaces}.
     */
    @Test
    void aBudgetOfTwoChunksNeverAnswersFullOnAnEmptyQueue() {
        long seed = Seeds.seed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int chunk : CHUNKS) {
            for (boolean zeroed : new boolean[] {false, true}) {
                Harness h = new Harness(chunk, 2 * chunk, Math.min(8, chunk / 8), zeroed, rnd);
                String op = "";
                try {
                    for (int offset = 0; offset < chunk; offset += offset == 0 ? 16 : 8) {
                        for (int variant = 0; variant < 5; variant++) {
                            op = "offset " + offset + " variant " + (char) ('a' + variant);
                            advanceTo(h, offset);
                            switch (variant) {
                                case 1 -> assertTrue(h.trim());
                                case 2 -> {
                                    // the filler is consumed: offer one more frame and peek it
                                    assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, h.offer(1, rnd.nextInt(4)));
                                    assertEquals(1, h.peek(1).count());
                                    assertFalse(h.trim(), "a peeked frame is pending");
                                    h.discard(1);
                                    assertTrue(h.trim());
                                }
                                case 3 -> {
                                    assertTrue(h.trim());
                                    assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED,
                                            h.offer(rnd.nextInt(1, h.maxLen), rnd.nextInt(4)));
                                    h.drain();
                                    assertTrue(h.trim());
                                }
                                case 4 -> {
                                    int slot = h.freeSlot();
                                    assertEquals(MpscChunkedFrameQueue.CLAIM_OK, h.claim(slot, rnd.nextInt(1, 9)));
                                    h.finish(slot, false);
                                    assertTrue(h.trim(), "walks past the aborted record");
                                }
                                default -> { }
                            }
                            assertTrue(h.q.isEmpty());
                            h.check();
                            int how = rnd.nextInt(5);
                            if (how == 4) {
                                int slot = h.freeSlot();
                                assertEquals(MpscChunkedFrameQueue.CLAIM_OK, h.claim(slot, h.maxLen), "tryClaim");
                                h.finish(slot, true);
                            } else {
                                assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, h.offer(h.maxLen, how),
                                        "a largest frame on an empty queue");
                            }
                            h.check();
                            h.drain();
                        }
                    }
                    h.closeAndCheck();
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError(h.name() + " seed=" + seed + ": " + op + " (replay with -Dnetkit.seed="
                            + seed + "): " + e, e);
                }
            }
        }
    }

    // ------------------------------------------------------------------ by hand

    /** The queue's header accounting at a glance: what the model derives, on a hand-made sequence. */
    @Test
    void paddingAndBudgetByHand() {
        TrackingProvider p = new TrackingProvider();
        MpscChunkedFrameQueue q = new MpscChunkedFrameQueue(64, 128, 8, Long.MAX_VALUE, System::nanoTime, p);
        assertEquals(56, q.maxFrameLength(), "chunk - 8");
        assertEquals(0, q.chunks());
        assertTrue(q.isEmpty());
        MpscChunkedFrameQueue.Claim c = q.newClaim();
        assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(40, c));         // [0, 48)
        assertEquals(8, c.offset());
        ByteBuffer chunk0 = c.buffer();
        assertNotNull(chunk0);
        assertTrue(c.commit());
        assertEquals(1, q.chunks());
        assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(9, c));          // 24 bytes: pads [48, 64), [64, 88)
        assertEquals(8, c.offset(), "crossing frame starts the next chunk");
        assertNotSame(chunk0, c.buffer());
        assertTrue(c.commit());
        assertEquals(2, q.chunks());
        assertEquals(MpscChunkedFrameQueue.OFFER_FULL, q.tryOffer(ByteBuffer.allocate(40)),
                "pad [88, 128) + [128, 176) > 128");
        assertTrue(q.offer(new byte[] {1}, 0, 1), "[88, 104)");
        assertEquals(MpscChunkedFrameQueue.OFFER_FULL, q.tryOffer(ByteBuffer.allocate(24)),
                "pad [104, 128) + [128, 160) > 128");
        Segments s = q.peek(8);
        assertEquals(3, s.count());
        assertEquals(8, s.get(0).position());
        assertEquals(8, s.get(1).position(), "positions are chunk-relative");
        assertEquals(32, s.get(2).position());
        q.discard(1);                                   // head 48: chunk 0 still holds the padding record
        assertEquals(2, q.chunks());
        assertEquals(0, p.releases.get());
        // 104 - 48 = 56 used: pad [104, 128) + [128, 160) ends 112 past head
        assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, q.tryOffer(ByteBuffer.allocate(24)));
        assertEquals(3, q.chunks());
        assertEquals(3, q.peek(8).count(), "skips the padding (chunk 0 is parked in slot 0), three frames");
        assertEquals(3, q.chunks(), "chunks 1 and 2, and chunk 0 parked");
        assertEquals(0, p.releases.get());
        assertEquals(3, p.acquires.get());
        q.discard(1);
        assertEquals(2, q.peek(8).count());
        q.discard();                                    // head 160: chunk 1 parked in slot 1
        assertTrue(q.isEmpty());
        assertEquals(3, q.chunks());
        assertEquals(0, p.releases.get());
        assertTrue(q.trim(), "gives back both parked chunks, retires [160, 192) and gives back chunk 2");
        assertEquals(0, q.chunks());
        assertEquals(3, p.releases.get());
        assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(1, c));
        assertEquals(8, c.offset(), "after the trim the tail is at 192, chunk 3");
        assertTrue(c.abort());
        assertEquals(4, p.acquires.get(), "slot 3 had nothing parked");
        assertTrue(q.trim(), "walks past the aborted frame");
        assertTrue(q.close());
        p.assertAllBack("by hand");
    }

    /**
     * Chunk k parks in slot k mod slots and serves chunk k + slots: under steady load the provider is called
     * only while the backlog grows, the same buffer comes back to each slot, and each slot's views are reused
     * (nothing allocated). trim gives the parked chunks back even with frames pending, and a trim that leaves
     * no chunk drops the views.
     */
    @Test
    void aParkedChunkServesTheNextChunkOfItsSlot() {
        for (boolean zeroed : new boolean[] {false, true}) {
            TrackingProvider p = new TrackingProvider(zeroed);
            MpscChunkedFrameQueue q = new MpscChunkedFrameQueue(64, 128, 8, Long.MAX_VALUE, System::nanoTime, p);
            assertEquals(4, slotsFor(64, 128));
            MpscChunkedFrameQueue.Claim c = q.newClaim();
            ByteBuffer[] bySlot = new ByteBuffer[4];
            ByteBuffer[] viewBySlot = new ByteBuffer[4];
            Segments segments = null;
            for (int k = 0; k < 40; k++) {                      // one 56-byte frame (a 64-byte record) per chunk
                assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(56, c));
                ByteBuffer b = c.buffer();
                for (int i = 8; i < 64; i++) {
                    assertEquals(0, b.get(i), "chunk " + k + " is clean when installed: byte " + i);
                }
                if (k < 4) {
                    bySlot[k] = b;
                    assertEquals(k + 1, p.acquires.get(), "chunk " + k + ": slot " + k + " had nothing parked");
                } else {
                    assertSame(bySlot[k % 4], b, "chunk " + k + " gets the chunk parked in slot " + k % 4);
                    assertEquals(4, p.acquires.get(), "no provider call in steady state");
                }
                c.putLong(0, k).putLong(48, ~k);
                assertTrue(c.commit());
                assertEquals(Math.min(k + 1, 4), q.chunks(), "installed + parked");
                Segments s = q.peek(8);
                if (segments != null) {
                    assertSame(segments, s);
                }
                segments = s;
                assertEquals(1, s.count());
                ByteBuffer v = s.get(0);
                assertEquals(k, v.getLong(v.position()));
                assertEquals(~k, v.getLong(v.position() + 48));
                if (k < 4) {
                    viewBySlot[k] = v;
                } else {
                    assertSame(viewBySlot[k % 4], v, "chunk " + k + ": slot " + k % 4 + " keeps its view");
                }
                q.discard();
            }
            assertEquals(0, p.releases.get());
            // trim gives the parked chunks back even while a frame is pending
            assertTrue(q.offer(new byte[8], 0, 8));             // chunk 40, slot 0: takes the parked chunk
            assertEquals(4, q.chunks());
            assertFalse(q.trim(), "a frame is pending");
            assertEquals(3, p.releases.get(), "the three parked chunks went back");
            assertEquals(1, q.chunks());
            Segments s = q.peek(8);
            assertSame(segments, s, "a trim that returned false keeps the views");
            assertSame(viewBySlot[0], s.get(0), "and slot 0 kept its chunk");
            q.discard();
            assertEquals(1, q.chunks(), "chunk 40 holds the tail");
            assertTrue(q.trim());
            assertEquals(0, q.chunks());
            assertEquals(4, p.releases.get());
            assertTrue(q.offer(new byte[8], 0, 8));
            assertEquals(5, p.acquires.get(), "nothing parked after a trim");
            Segments fresh = q.peek(8);
            assertNotSame(segments, fresh, "a trim that left no chunk dropped the views");
            q.discard();
            assertTrue(q.close());
            p.assertAllBack("parked, zeroed=" + zeroed);
        }
    }
}
