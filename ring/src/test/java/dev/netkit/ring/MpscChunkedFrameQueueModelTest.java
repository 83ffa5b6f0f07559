package dev.netkit.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
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
 * and the chunks: which chunk numbers are installed, whether the spare is held, and so how many buffers the
 * provider must have lent and had back at every step.
 *
 * <p>Every step checks the queue against the model: claims and offers (all four kinds) answer
 * {@code OFFER_FULL} exactly when the model's budget says so; each claim's offset is where the model put it;
 * each peek returns exactly the committed frames in claim order up to the first open one, each view at the
 * model's position with the model's bytes; {@link MpscChunkedFrameQueue#trim()} answers true exactly when
 * nothing is pending and leaves no chunk; {@link MpscChunkedFrameQueue#chunks()} equals the model's count,
 * never above {@code budget / chunk + 3}, and equals what the provider has out on loan. The provider is a
 * LIFO pool that fills released buffers with garbage, so a chunk released too early, or installed without
 * being zeroed, corrupts frames. At the end {@code close()}, with claims possibly still open, and every
 * buffer back with the provider.
 *
 * <p>{@link #everyChunkBoundaryOffset()} sweeps, for each chunk size, every reachable tail offset within a
 * chunk and frames whose record just fits, exactly fills, or crosses the chunk end (every record size for
 * chunks up to 256 bytes). Failures name chunk, budget, seed, step and operation; {@code -Dring.seed=N}
 * replays a seed.
 */
class MpscChunkedFrameQueueModelTest {

    static final String PAD = "PAD";
    static final String NEW = "NEW";
    static final String OPEN = "OPEN";
    static final String COMMITTED = "COMMITTED";
    static final String ABORTED = "ABORTED";

    static final int[] CHUNKS = {64, 128, 256, 4096};

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
    }

    /** The queue and its model, driven together; every operation checks the queue against the model. */
    static final class Harness {
        final MpscChunkedFrameQueue q;
        final TrackingProvider provider;
        final int chunk;
        final int shift;
        final int mask;
        final int budget;
        final int maxLen;
        final int maxBatch;
        final SplittableRandom rnd;
        // model
        long tail;
        long head;              // = scan: with reclaim off the consumer releases all it has walked
        final ArrayDeque<Rec> recs = new ArrayDeque<>();       // records in [head, tail), in order
        final TreeSet<Long> installed = new TreeSet<>();       // chunk numbers holding a buffer
        boolean spare;
        long acquires;
        long releases;
        int peeked;
        List<Rec> peekedRecs = List.of();
        boolean closed;
        long deliveredFrames;
        long fullAnswers;
        // claims held open
        final MpscChunkedFrameQueue.Claim[] claims;
        final Rec[] open;
        final int[] written;    // payload bytes already written into each open claim

        Harness(int chunk, int budget, int maxBatch, SplittableRandom rnd) {
            this.provider = new TrackingProvider();
            this.provider.mixOrders = true;
            this.q = new MpscChunkedFrameQueue(chunk, budget, maxBatch, Long.MAX_VALUE, System::nanoTime, provider);
            this.chunk = chunk;
            this.shift = Integer.numberOfTrailingZeros(chunk);
            this.mask = chunk - 1;
            this.budget = budget;
            this.maxBatch = maxBatch;
            this.rnd = rnd;
            this.maxLen = q.maxFrameLength();
            assertEquals((Math.min(chunk, budget / 2) & ~7) - 8, maxLen, "maxFrameLength");
            assertEquals(chunk, q.chunkBytes());
            assertEquals(budget, q.budgetBytes());
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

        private void install(long k) {
            if (installed.add(k)) {
                if (spare) {
                    spare = false;
                } else {
                    acquires++;
                }
            }
        }

        /** Model release: head moves to newHead; every chunk wholly before it is parked or given back. */
        private void releaseTo(long newHead, boolean keepSpare) {
            for (long k = head >>> shift, last = newHead >>> shift; k < last; k++) {
                if (installed.remove(k)) {
                    if (keepSpare && !spare) {
                        spare = true;
                    } else {
                        releases++;
                    }
                }
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
                return got;
            }
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
            written[slot] = rnd.nextInt(len + 1);
            b.put(c.offset(), data, 0, written[slot]);
            assertThrows(IllegalStateException.class, () -> q.tryClaim(len, c), "claim already open");
            return got;
        }

        void finish(int slot, boolean commit) {
            MpscChunkedFrameQueue.Claim c = claims[slot];
            Rec r = open[slot];
            ByteBuffer b = c.buffer();
            if (commit || rnd.nextBoolean()) {
                b.put(c.offset() + written[slot], r.payload, written[slot], r.payload.length - written[slot]);
            }
            assertTrue(commit ? c.commit() : c.abort(), commit ? "commit" : "abort");
            r.state = commit ? COMMITTED : ABORTED;
            open[slot] = null;
            assertFalse(c.isOpen());
            assertThrows(IllegalStateException.class, c::commit, "commit of a closed claim");
            assertThrows(IllegalStateException.class, c::abort, "abort of a closed claim");
            assertThrows(IllegalStateException.class, c::buffer, "buffer of a closed claim");
        }

        /** Peeks and checks every view against the model; returns the frames. */
        Segments peek(int max) {
            long front = head;
            while (!recs.isEmpty() && (recs.peekFirst().padding || recs.peekFirst().state.equals(ABORTED))) {
                front = recs.pollFirst().end;
            }
            List<Rec> expect = new ArrayList<>();
            for (Rec r : recs) {
                if (expect.size() == max || r.state.equals(OPEN)) {
                    break;
                }
                if (r.state.equals(COMMITTED)) {
                    expect.add(r);
                }
            }
            Segments s = q.peek(max);
            if (front != head) {
                releaseTo(front, true);
            }
            assertEquals(expect.size(), s.count(), "frames peeked (max " + max + ")");
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
            }
            assertEquals(bytes, s.remaining(), "Segments.remaining");
            peeked = expect.size();
            peekedRecs = expect;
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

        boolean trim() {
            boolean expected = !closed && tail == head && peeked == 0;
            boolean got = q.trim();
            assertEquals(expected, got, "trim (tail " + tail + ", head " + head + ", peeked " + peeked + ")");
            if (expected) {
                if ((tail & mask) != 0) {
                    long boundary = (tail | mask) + 1;
                    tail = boundary;
                    releaseTo(boundary, false);
                }
                if (spare) {
                    spare = false;
                    releases++;
                }
                assertTrue(installed.isEmpty());
                assertEquals(0, q.chunks(), "a trimmed queue holds no chunk");
                assertEquals(0, provider.outstanding(), "a trimmed queue holds no chunk");
            }
            return got;
        }

        boolean close() {
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
                if ((tail & mask) != 0 && installed.remove(tail >>> shift)) {
                    releases++;
                }
                if (spare) {
                    spare = false;
                    releases++;
                }
            }
            assertEquals(expected, q.close(), "close (open claims: " + (open[0] != null) + (open[1] != null)
                    + (open[2] != null) + ")");
            return expected;
        }

        /** Peeks and discards until nothing committed is left in front of the first open claim. */
        void drain() {
            while (true) {
                Segments s = peek(rnd.nextInt(1, maxBatch + 1));
                if (s.count() == 0) {
                    return;
                }
                discard(s.count());
                check();
            }
        }

        void check() {
            int chunks = q.chunks();
            assertEquals(installed.size() + (spare ? 1 : 0), chunks, "chunks() (installed " + installed
                    + ", spare " + spare + ")");
            assertTrue(chunks <= budget / chunk + 3, "chunks() " + chunks + " above budget / chunk + 3");
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
            for (int slot = 0; slot < open.length && !done; slot++) {
                if (open[slot] != null) {
                    finish(slot, rnd.nextBoolean());
                    done = close();
                    check();
                }
            }
            assertTrue(done, "close after every claim finished");
            assertTrue(close(), "close is idempotent");
            assertEquals(0, q.peek(1).count(), "nothing delivered after close");
            assertEquals(MpscChunkedFrameQueue.OFFER_CLOSED, offer(1, 0));
            assertEquals(MpscChunkedFrameQueue.OFFER_CLOSED, offer(Math.max(1, maxLen / 2), 1));
            offer(maxLen, 2);
            int slot = freeSlot();
            assertEquals(MpscChunkedFrameQueue.OFFER_CLOSED, claim(slot, 1));
            assertTrue(q.trim(), "trim of a closed, emptied queue is close()");
            check();
            assertEquals(0, q.chunks());
            provider.assertAllBack("after close");
        }
    }

    // ------------------------------------------------------------------ random operations against the model

    static Stream<Arguments> runs() {
        List<Arguments> out = new ArrayList<>();
        Seeds.seeds(11, 12, 13).forEach(seed -> {
            for (int chunk : CHUNKS) {
                for (int budget : new int[] {chunk, chunk + 8, 2 * chunk - 8, 2 * chunk + chunk / 2 + 8,
                        5 * chunk + 24}) {
                    out.add(Arguments.of(chunk, budget, seed));
                }
            }
        });
        return out.stream();
    }

    @ParameterizedTest(name = "chunk={0} budget={1} seed={2}")
    @MethodSource("runs")
    void matchesReferenceModel(int chunk, int budget, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed ^ (chunk * 31L + budget));
        int maxBatch = rnd.nextInt(1, Math.min(64, chunk / 8) + 1);
        Harness h = new Harness(chunk, budget, maxBatch, rnd);
        int steps = 5000;
        int step = 0;
        String op = "";
        int trims = 0;
        try {
            for (step = 0; step < steps; step++) {
                int choice = rnd.nextInt(20);
                if (choice < 6) {
                    int len = h.randomLength();
                    int how = rnd.nextInt(4);
                    op = "offer#" + how + "(" + len + ")";
                    h.offer(len, how);
                } else if (choice < 7) {
                    op = "offer until full";
                    for (int i = 0; i < 64; i++) {
                        if (h.offer(h.randomLength(), rnd.nextInt(4)) != MpscChunkedFrameQueue.OFFER_COMMITTED) {
                            break;
                        }
                    }
                } else if (choice < 10) {
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
                } else if (choice < 12) {
                    int slot = rnd.nextInt(3);
                    if (h.open[slot] != null) {
                        boolean commit = rnd.nextInt(4) != 0;
                        op = (commit ? "commit " : "abort ") + slot;
                        h.finish(slot, commit);
                    }
                } else if (choice < 15) {
                    int max = rnd.nextInt(1, maxBatch + 1);
                    op = "peek(" + max + ")";
                    h.peek(max);
                } else if (choice < 18) {
                    int n = rnd.nextInt(0, h.peeked + 1);
                    op = "discard(" + n + ") of " + h.peeked;
                    h.discard(n);
                } else if (choice < 19) {
                    op = "trim";
                    if (h.trim()) {
                        trims++;
                    }
                } else {
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
                }
                h.check();
            }
            op = "close";
            h.closeAndCheck();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("chunk=" + chunk + " budget=" + budget + " maxBatch=" + maxBatch + " seed=" + seed
                    + " step=" + step + " op=" + op + " (replay with -Dring.seed=" + seed + "): " + e, e);
        }
        assertTrue(h.deliveredFrames > 0, "frames delivered");
        assertTrue(trims > 0, "trim returned true at least once");
        assertTrue(h.fullAnswers > 0, "the budget filled at least once");
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
            if (cur == offset) {
                rec = 16;                       // only consuming was left: impossible here, as drain consumed
            }
            assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, h.offer(rec - 8, h.rnd.nextInt(4)), "filler");
            h.drain();
            h.check();
        }
    }

    @Test
    void everyChunkBoundaryOffset() {
        long seed = Seeds.seeds().findFirst().getAsLong();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int chunk : CHUNKS) {
            int budget = 2 * chunk;             // the largest frame (record = chunk) fits after any gap
            Harness h = new Harness(chunk, budget, Math.min(64, chunk / 8), rnd);
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
                            op = "offset " + offset + " record " + rec + " length " + len;
                            advanceTo(h, offset);
                            long t = h.tail;
                            long expectStart = rec <= toEnd ? t : t + toEnd;
                            int how = cases % 5;
                            Rec frame;
                            if (how == 4) {
                                assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, h.claim(0, len));
                                frame = h.open[0];
                                h.finish(0, true);
                            } else {
                                assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, h.offer(len, how));
                                frame = h.recs.peekLast();
                            }
                            assertEquals(expectStart, frame.start, "record start");
                            assertEquals(rec > toEnd, h.recs.size() == 2 && h.recs.peekFirst().padding,
                                    "a padding record iff the frame crosses");
                            h.check();
                            // a small frame right behind it, then both delivered intact
                            int marker = rnd.nextInt(1, 9);
                            if (h.offer(marker, rnd.nextInt(4)) != MpscChunkedFrameQueue.OFFER_COMMITTED) {
                                h.drain();
                                assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, h.offer(marker, rnd.nextInt(4)));
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
                throw new AssertionError("chunk=" + chunk + " seed=" + seed + " case " + cases + ": " + op
                        + " (replay with -Dring.seed=" + seed + "): " + e, e);
            }
            assertTrue(cases > 0);
        }
    }

    /** The queue's header accounting at a glance: what the model derives, on a hand-made sequence. */
    @Test
    void paddingAndBudgetByHand() {
        TrackingProvider p = new TrackingProvider();
        MpscChunkedFrameQueue q = new MpscChunkedFrameQueue(64, 96, 8, Long.MAX_VALUE, System::nanoTime, p);
        assertEquals(40, q.maxFrameLength(), "min(64, 96 / 2) - 8");
        assertEquals(0, q.chunks());
        assertTrue(q.isEmpty());
        MpscChunkedFrameQueue.Claim c = q.newClaim();
        assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, q.tryClaim(40, c));   // [0, 48)
        assertEquals(8, c.offset());
        ByteBuffer chunk0 = c.buffer();
        assertNotNull(chunk0);
        assertTrue(c.commit());
        assertEquals(1, q.chunks());
        assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, q.tryClaim(9, c));    // 24 bytes: pads [48, 64), [64, 88)
        assertEquals(8, c.offset(), "crossing frame starts the next chunk");
        assertTrue(c.buffer() != chunk0);
        assertTrue(c.commit());
        assertEquals(2, q.chunks());
        // 88 claimed of 96: a 16-byte record would end at 104
        assertEquals(MpscChunkedFrameQueue.OFFER_FULL, q.tryOffer(ByteBuffer.allocate(1)));
        Segments s = q.peek(8);
        assertEquals(2, s.count());
        assertEquals(8, s.get(0).position());
        assertEquals(8, s.get(1).position(), "positions are chunk-relative");
        q.discard(1);                                   // head 48: chunk 0 still holds the padding record
        assertEquals(2, q.chunks());
        assertEquals(0, p.releases.get());
        // 88 - 48 = 40 used: a 16-byte record fits ([88, 104), 56 <= 96)
        assertTrue(q.offer(new byte[] {1}, 0, 1));
        assertEquals(2, q.peek(8).count(), "skips the padding (chunk 0 becomes the spare), two frames");
        assertEquals(2, q.chunks(), "chunk 1 plus the spare");
        assertEquals(0, p.releases.get());
        assertEquals(2, p.acquires.get());
        q.discard(1);
        assertEquals(1, q.peek(8).count());
        q.discard();
        assertTrue(q.isEmpty());
        assertTrue(q.trim());
        assertEquals(0, q.chunks());
        assertEquals(2, p.releases.get());
        assertTrue(q.close());
        p.assertAllBack("by hand");
    }
}
