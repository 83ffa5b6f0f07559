package dev.netkit.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netkit.testkit.Seeds;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded model-based test of {@link MpscFrameRing} from one thread, against a list of records: random
 * claims held open (up to three at once), commits and aborts in any order, offers, peeks of several frames
 * and discards, at capacities 32 to 4096. The model lays records out by the documented rule (8-byte header,
 * payload rounded up to 8, a padding record when a frame would cross the end), so it predicts exactly when
 * a claim must fail for want of space; a peek must return exactly the committed frames in claim order up to
 * the first open one, with their bytes. Failures name capacity, seed and step; {@code -Dnetkit.seed=N}
 * replays a seed.
 */
class MpscFrameRingModelTest {

    static final class Rec {
        final long start;       // first byte of the record (after any padding record in front of it)
        final long end;
        final boolean padding;
        final byte[] payload;
        String state;           // OPEN, COMMITTED, ABORTED, PAD
        boolean delivered;

        Rec(long start, long end, boolean padding, byte[] payload, String state) {
            this.start = start;
            this.end = end;
            this.padding = padding;
            this.payload = payload;
            this.state = state;
        }
    }

    static Stream<Arguments> runs() {
        List<Arguments> out = new ArrayList<>();
        Seeds.seeds(7, 8, 9).forEach(seed -> {
            for (int cap = 32; cap <= 4096; cap <<= 1) {
                out.add(Arguments.of(cap, seed));
            }
        });
        return out.stream();
    }

    @ParameterizedTest(name = "capacity={0} seed={1}")
    @MethodSource("runs")
    void matchesReferenceModel(int capacity, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int maxBatch = Math.min(8, capacity / 8);
        MpscFrameRing ring = new MpscFrameRing(capacity, maxBatch, Long.MAX_VALUE, System::nanoTime);
        int maxLen = ring.maxFrameLength();
        List<Rec> recs = new ArrayList<>();        // unconsumed records in claim order
        long[] tail = {0};
        MpscFrameRing.Claim[] claims = {ring.newClaim(), ring.newClaim(), ring.newClaim()};
        Rec[] open = new Rec[3];
        int peeked = 0;
        int step = 0;
        String op = "";
        try {
            for (step = 0; step < 4000; step++) {
                int choice = rnd.nextInt(10);
                if (choice <= 3) {
                    // claim (held open) or offer
                    int len = rnd.nextInt(1, maxLen + 1);
                    if (rnd.nextInt(3) == 0) {
                        len = rnd.nextInt(1, Math.min(16, maxLen) + 1);
                    }
                    byte[] data = ByteRingModelTest.randomBytes(rnd, len);
                    boolean fits = layout(recs, tail, capacity, len, data, false);
                    int slot = freeSlot(open);
                    if (choice <= 1 && slot >= 0) {
                        op = "tryClaim(" + len + ")";
                        boolean ok = ring.tryClaim(len, claims[slot]);
                        assertEquals(fits, ok, "claim success");
                        if (ok) {
                            Rec r = recs.get(recs.size() - 1);
                            r.state = "OPEN";
                            open[slot] = r;
                            ByteBuffer b = claims[slot].buffer();
                            assertEquals(len, b.remaining());
                            assertEquals(0, b.position() % 8, "payload 8-aligned");
                            b.put(data);
                        }
                    } else {
                        op = "offer(" + len + ")";
                        boolean ok = rnd.nextBoolean() ? ring.offer(ByteBuffer.wrap(data))
                                : ring.offer(data, 0, len);
                        assertEquals(fits, ok, "offer success");
                        if (ok) {
                            recs.get(recs.size() - 1).state = "COMMITTED";
                        }
                    }
                    if (!fits) {
                        // layout() added nothing when it did not fit
                    }
                } else if (choice <= 5) {
                    int slot = rnd.nextInt(3);
                    if (open[slot] != null) {
                        boolean commit = rnd.nextInt(4) != 0;
                        op = commit ? "commit" : "abort";
                        assertTrue(commit ? claims[slot].commit() : claims[slot].abort());
                        open[slot].state = commit ? "COMMITTED" : "ABORTED";
                        open[slot] = null;
                        assertThrows(IllegalStateException.class, claims[slot]::commit);
                    }
                } else if (choice <= 7) {
                    int max = rnd.nextInt(1, maxBatch + 1);
                    op = "peek(" + max + ")";
                    Segments s = ring.peek(max);
                    // model: front skippables are consumed; then committed frames up to max or the first open
                    while (!recs.isEmpty() && !recs.get(0).delivered
                            && (recs.get(0).padding || recs.get(0).state.equals("ABORTED"))) {
                        recs.remove(0);
                    }
                    List<Rec> expect = new ArrayList<>();
                    for (Rec r : recs) {
                        if (expect.size() == max || r.state.equals("OPEN")) {
                            break;
                        }
                        if (r.state.equals("COMMITTED")) {
                            expect.add(r);
                        }
                    }
                    assertEquals(expect.size(), s.count(), "frames peeked");
                    int bytes = 0;
                    for (int i = 0; i < expect.size(); i++) {
                        ByteBuffer b = s.get(i);
                        byte[] got = new byte[b.remaining()];
                        b.duplicate().get(got);
                        assertEquals(ByteBuffer.wrap(expect.get(i).payload), ByteBuffer.wrap(got), "frame " + i);
                        bytes += got.length;
                    }
                    assertEquals(bytes, s.remaining());
                    peeked = expect.size();
                } else {
                    int n = rnd.nextInt(0, peeked + 1);
                    op = "discard(" + n + ") of " + peeked;
                    ring.discard(n);
                    // model: consume records up to and including the n-th committed frame
                    int seen = 0;
                    while (seen < n) {
                        Rec r = recs.remove(0);
                        if (!r.padding && r.state.equals("COMMITTED")) {
                            seen++;
                        }
                    }
                    if (n > 0) {
                        peeked = 0;
                    }
                }
                assertEquals(0, ring.holes());
            }
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("capacity=" + capacity + " seed=" + seed + " step=" + step + " op=" + op
                    + " (replay with -Dnetkit.seed=" + seed + "): " + e, e);
        }
    }

    static int freeSlot(Object[] open) {
        for (int i = 0; i < open.length; i++) {
            if (open[i] == null) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The documented layout: appends the records for a frame of {@code len} bytes (a padding record first
     * when it would cross the end) if they fit in front of the oldest unconsumed record; returns whether
     * they fit.
     */
    static boolean layout(List<Rec> recs, long[] tail, int capacity, int len, byte[] data, boolean dummy) {
        long head = recs.isEmpty() ? tail[0] : recs.get(0).start;
        int rec = (8 + len + 7) & ~7;
        int index = (int) (tail[0] & (capacity - 1));
        int toEnd = capacity - index;
        int pad = rec <= toEnd ? 0 : toEnd;
        if (tail[0] + pad + rec - head > capacity) {
            return false;
        }
        if (pad > 0) {
            recs.add(new Rec(tail[0], tail[0] + pad, true, null, "PAD"));
        }
        recs.add(new Rec(tail[0] + pad, tail[0] + pad + rec, false, data, "NEW"));
        tail[0] += pad + rec;
        return true;
    }

    // ------------------------------------------------------------------ reclaim, with a hand-driven clock

    static final class Clock {
        long now;
    }

    @Test
    void stalledProducerIsReclaimedAfterTimeoutAndLateCommitReturnsFalse() {
        Clock clock = new Clock();
        MpscFrameRing ring = new MpscFrameRing(128, 8, 1_000, () -> clock.now);
        MpscFrameRing.Claim stalled = ring.tryClaim(8);
        stalled.buffer().putLong(0xDEADL);
        assertTrue(ring.offer(ByteBuffer.wrap(new byte[] {1, 2, 3})));
        assertEquals(0, ring.peek(8).count(), "blocked by the uncommitted frame");
        clock.now += 999;
        assertEquals(0, ring.peek(8).count(), "timeout not yet run out");
        clock.now += 1;
        Segments s = ring.peek(8);
        assertEquals(1, s.count(), "stalled frame reclaimed, the next one delivered");
        assertEquals(3, s.get(0).remaining());
        assertEquals(1, ring.reclaimedFrames());
        assertEquals(1, ring.holes());
        ring.discard();
        // the late producer may still write into its region: it is not reused
        stalled.buffer().putLong(8, 0xBEEFL);
        assertFalse(stalled.commit(), "late commit loses to the reclaim");
        assertEquals(0, ring.peek(8).count(), "a reclaimed frame is never delivered");
        assertEquals(0, ring.holes(), "space released once the producer came back");
        // all space is back: a maximal frame fits, then is delivered
        assertTrue(ring.offer(ByteBuffer.wrap(new byte[ring.maxFrameLength()])));
        assertEquals(1, ring.peek(8).count());
    }

    @Test
    void reclaimedSpaceIsNotReusedUntilTheProducerComesBack() {
        Clock clock = new Clock();
        MpscFrameRing ring = new MpscFrameRing(64, 8, 0, () -> clock.now);     // reclaim at first sight
        MpscFrameRing.Claim stalled = ring.tryClaim(8);                        // record [0, 16)
        assertEquals(0, ring.peek(8).count());                                 // reclaimed
        assertEquals(1, ring.holes());
        // the rest of the ring can still be used once, but not the hole: 48 bytes free
        int delivered = 0;
        while (ring.offer(ByteBuffer.wrap(new byte[8]))) {
            Segments s = ring.peek(8);
            delivered += s.count();
            ring.discard();
        }
        assertEquals(3, delivered, "three 16-byte records fit behind the hole, then the ring is full");
        assertNull(ring.tryClaim(8), "the hole and what follows it are pinned: full");
        byte[] marker = new byte[8];
        stalled.buffer().put(new byte[] {9, 9, 9, 9, 9, 9, 9, 9});
        assertFalse(stalled.abort(), "abort after reclaim reports it");
        assertEquals(0, ring.peek(8).count());
        assertEquals(0, ring.holes());
        for (int i = 0; i < 3; i++) {
            assertTrue(ring.offer(ByteBuffer.wrap(marker)), "space came back, frame " + i);
        }
        Segments s = ring.peek(8);
        assertEquals(3, s.count());
        for (int i = 0; i < 3; i++) {
            assertEquals(ByteBuffer.wrap(marker), s.get(i), "no stale byte of the late producer");
        }
    }

    @Test
    void commitBeforeTimeoutWins() {
        Clock clock = new Clock();
        MpscFrameRing ring = new MpscFrameRing(64, 8, 10, () -> clock.now);
        MpscFrameRing.Claim c = ring.tryClaim(4);
        c.buffer().putInt(77);
        assertEquals(0, ring.peek(8).count());
        clock.now += 5;
        assertTrue(c.commit());
        Segments s = ring.peek(8);
        assertEquals(1, s.count());
        assertEquals(77, s.get(0).getInt(s.get(0).position()));
        assertEquals(0, ring.reclaimedFrames());
    }

    @Test
    void badInputNamesValueAndBound() {
        for (int bad : new int[] {0, 16, 33, -64, 100}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MpscFrameRing(bad));
            assertTrue(e.getMessage().contains(String.valueOf(bad)) && e.getMessage().contains("32"), e.getMessage());
        }
        MpscFrameRing ring = new MpscFrameRing(64);
        for (int bad : new int[] {0, -1, 25, 1000}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ring.tryClaim(bad));
            assertTrue(e.getMessage().contains(String.valueOf(bad)) && e.getMessage().contains("24"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ring.offer(ByteBuffer.allocate(0)));
        assertThrows(IllegalArgumentException.class, () -> ring.peek(0));
        assertThrows(IllegalArgumentException.class, () -> ring.peek(9));
        assertThrows(IllegalArgumentException.class, () -> ring.discard(1));
        assertThrows(IllegalArgumentException.class, () -> new MpscFrameRing(64, 0, 1, System::nanoTime));
        assertThrows(IllegalArgumentException.class, () -> new MpscFrameRing(64, 9, 1, System::nanoTime));
        assertThrows(IllegalArgumentException.class, () -> new MpscFrameRing(64, 8, -1, System::nanoTime));
        MpscFrameRing other = new MpscFrameRing(64);
        assertThrows(IllegalArgumentException.class, () -> ring.tryClaim(4, other.newClaim()));
        MpscFrameRing.Claim c = ring.newClaim();
        assertTrue(ring.tryClaim(4, c));
        assertThrows(IllegalStateException.class, () -> ring.tryClaim(4, c));
        c.abort();
        assertThrows(IllegalStateException.class, c::abort);
    }
}
