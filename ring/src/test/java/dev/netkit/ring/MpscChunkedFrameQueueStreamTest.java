package dev.netkit.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netkit.testkit.Seeds;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real threads, no timing assertions: three producers stream frames through {@link MpscChunkedFrameQueue}
 * to one consumer, with chunks lent by a {@link TrackingProvider}: either a LIFO pool that fills every released
 * buffer with garbage before lending it again (so that a chunk given back while a producer or the consumer
 * still uses it, or installed without being zeroed, shows up as a torn or phantom frame), or a zeroed pool
 * ({@link BufferProvider#zeroed()}: the queue does not zero what it borrows and must zero what it wrote before
 * giving a chunk back; the pool checks every buffer it takes back reads zero). Both record a double or foreign
 * release.
 *
 * <p>Each frame is {@code [producer id: 4][sequence: 8][frame length: 4][payload][CRC32 of all before: 4]},
 * 20 to {@code maxFrameLength} bytes, its payload a function of (id, sequence, index). Producers use every
 * way in (tryOffer of heap and direct buffers, gathering tryOffer, offer(byte[]), tryClaim then commit or
 * abort, writing the claim in pieces through the Claim put methods and {@code buffer()}) and stall at random:
 * spins, now and then a park, inside claims too.
 * Every claimed frame gets the next sequence number and an outcome (committed, reclaimed, aborted); a full
 * queue keeps the sequence number for the retry. The consumer alternates between peeking random batch sizes
 * (discarding all or part of each batch) and {@code drainTo} into a ring that it empties only partly now and
 * then (so that a frame sometimes does not fit), checks every frame (length, CRC, payload bytes), trims now and
 * then, and checks each producer's order (sequence numbers strictly rising). At the end the frames delivered must be exactly those
 * whose producer was told committed (so with reclaim off, every committed frame), delivered plus reclaimed
 * commits equal commit attempts, the consumer's reclaim count equals the producers' failed commits and
 * aborts, and after trim and close every chunk is back with the provider.
 *
 * <p>Run with reclaim off, at first sight (0) and after 20 microseconds, at four chunk sizes (one with the
 * smallest budget, two chunks), each pool at every size and every reclaim setting across the runs. Each run
 * is bounded (frames and about half a second); {@code -Dnetkit.seed=N} replays a seed's random choices (not the
 * thread schedule).
 *
 * <p>{@link #aTwoChunkBudgetNeverAnswersFullWhileTrimRaces(int)}: a budget of exactly two chunks never answers
 * full to a frame of the largest length on an empty queue, while the consumer trims right after each discard
 * (its tail CAS retires the rest of a chunk, racing the producer's next claim).
 */
class MpscChunkedFrameQueueStreamTest {
    static final int PRODUCERS = 3;
    static final int HEADER = 16;               // id, sequence, length
    static final int MIN_FRAME = HEADER + 4;    // plus the CRC
    static final int PER_PRODUCER = 60_000;
    static final long RUN_NANOS = TimeUnit.MILLISECONDS.toNanos(600);
    static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(20);
    static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(3);

    static final byte NONE = 0;
    static final byte COMMITTED = 1;
    static final byte RECLAIMED = 2;            // commit answered false
    static final byte ABORTED = 3;
    static final byte ABORT_RECLAIMED = 4;      // abort answered false

    static byte payloadByte(int id, long seq, int i) {
        return (byte) (seq * 31 + i * 7 + id * 101);
    }

    static Stream<Arguments> runs() {
        long seed = Seeds.seed();
        List<Arguments> out = new ArrayList<>();
        int[][] sizes = {{64, 256}, {256, 1000}, {4096, 3 * 4096 + 8}, {128, 256}};
        long[] reclaims = {Long.MAX_VALUE, 0, 20_000};
        for (int i = 0; i < sizes.length; i++) {
            for (int j = 0; j < reclaims.length; j++) {
                out.add(Arguments.of(sizes[i][0], sizes[i][1], reclaims[j], (i + j) % 2 == 1, seed));
            }
        }
        return out.stream();
    }

    /** Fills {@code f[0, len)} with frame (id, seq). */
    static void encode(byte[] f, int len, int id, long seq, CRC32 crc) {
        ByteBuffer b = ByteBuffer.wrap(f);
        b.putInt(0, id).putLong(4, seq).putInt(12, len);
        for (int i = HEADER; i < len - 4; i++) {
            f[i] = payloadByte(id, seq, i);
        }
        crc.reset();
        crc.update(f, 0, len - 4);
        b.putInt(len - 4, (int) crc.getValue());
    }

    static int frameLength(SplittableRandom rnd, int max) {
        int r = rnd.nextInt(10);
        if (r < 6) {
            return rnd.nextInt(MIN_FRAME, Math.min(max, 64) + 1);
        }
        if (r < 9) {
            return rnd.nextInt(MIN_FRAME, Math.max(MIN_FRAME, max / 4) + 1);
        }
        return rnd.nextInt(MIN_FRAME, max + 1);
    }

    static void stall(SplittableRandom rnd, int spinOdds) {
        int r = rnd.nextInt(10_000);
        if (r < 2) {
            LockSupport.parkNanos(rnd.nextInt(10_000, 200_000));
        } else if (r < spinOdds) {
            for (int i = rnd.nextInt(50, 3000); i > 0; i--) {
                Thread.onSpinWait();
            }
        }
    }

    static final class Producer {
        final byte[] outcome = new byte[PER_PRODUCER];
        long seq;
        long fulls;
        long commitAttempts;
        long committed;
        long reclaimedCommits;
        long reclaimedAborts;
    }

    /** What the consumer has seen of each producer. */
    static final class Delivered {
        final BitSet[] bits = new BitSet[PRODUCERS];
        final long[] last = new long[PRODUCERS];
        final CRC32 crc = new CRC32();
        long frames;

        Delivered() {
            for (int p = 0; p < PRODUCERS; p++) {
                bits[p] = new BitSet();
                last[p] = -1;
            }
        }

        void deliver(ByteBuffer v, String where) {
            long idSeq = check(v, crc, where);
            int id = (int) (idSeq >>> 48);
            long seq = idSeq & 0xFFFF_FFFF_FFFFL;
            if (seq <= last[id]) {
                throw new AssertionError("producer " + id + ": frame " + seq + " delivered after " + last[id]
                        + " (duplicate or reordered)");
            }
            last[id] = seq;
            bits[id].set((int) seq);
            frames++;
        }

        /** Reads up to {@code max} whole frames out of the ring (each says its length at offset 12). */
        void readRing(ByteRing ring, int max, String where) {
            for (int i = 0; i < max && ring.readable() > 0; i++) {
                if (ring.readable() < MIN_FRAME) {
                    throw new AssertionError("torn frame in the ring: " + ring.readable() + " bytes left");
                }
                int len = ring.getInt(12);
                if (len < MIN_FRAME || len > ring.readable()) {
                    throw new AssertionError("torn frame in the ring: length " + len + ", " + ring.readable()
                            + " bytes readable");
                }
                byte[] f = new byte[len];
                ring.read(f, 0, len);
                deliver(ByteBuffer.wrap(f), where);
            }
        }
    }

    @ParameterizedTest(name = "chunk={0} budget={1} reclaimNanos={2} zeroedPool={3} seed={4}")
    @MethodSource("runs")
    void everyCommittedFrameOnceInOrderAndIntact(int chunk, int budget, long reclaimNanos, boolean zeroed, long seed)
            throws Exception {
        TrackingProvider pool = new TrackingProvider(zeroed);
        int maxBatch = Math.min(32, chunk / 8);
        MpscChunkedFrameQueue q = new MpscChunkedFrameQueue(chunk, budget, maxBatch, reclaimNanos, System::nanoTime,
                pool);
        int max = q.maxFrameLength();
        assertTrue(max >= MIN_FRAME);
        boolean reclaimOn = reclaimNanos != Long.MAX_VALUE;
        String where = "chunk=" + chunk + " budget=" + budget + " reclaimNanos=" + reclaimNanos
                + (zeroed ? " zeroed pool" : " garbage pool") + " seed=" + seed + " (replay with -Dnetkit.seed=" + seed + ")";
        long deadline = System.nanoTime() + RUN_NANOS;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger done = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Producer[] producers = new Producer[PRODUCERS];
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int id = p;
            Producer me = producers[p] = new Producer();
            Thread t = new Thread(() -> {
                try {
                    produce(q, id, me, new SplittableRandom(seed * 31 + id * 7 + 1), max, reclaimOn, deadline, stop);
                } catch (Throwable e) {
                    failure.compareAndSet(null, new AssertionError("producer " + id + " at seq " + me.seq + ": " + e, e));
                    stop.set(true);
                } finally {
                    done.incrementAndGet();
                }
            }, "producer-" + id);
            threads.add(t);
            t.start();
        }
        Delivered seen = new Delivered();
        ByteRing ring = ByteRing.direct(2 * (Integer.highestOneBit(max - 1) << 1));
        SplittableRandom rnd = new SplittableRandom(seed);
        long trims = 0;
        long drains = 0;
        // installed chunks are at most budget / chunk + 2; parked ones at most one per slot; a snapshot may
        // count a chunk moving between the two once more
        int slots = MpscChunkedFrameQueueModelTest.slotsFor(chunk, budget);
        int chunkBound = budget / chunk + 2 + slots + 1;
        long stuckAt = System.nanoTime() + STUCK_NANOS;
        long finishedAt = 0;
        try {
            while (failure.get() == null) {
                boolean finished = done.get() == PRODUCERS;
                int count;
                if (rnd.nextInt(3) == 0) {
                    // drainTo: the ring keeps what the last drains left in it, so the next frame may not fit
                    count = q.drainTo(ring, rnd.nextInt(1, 2 * maxBatch + 1));
                    drains += count;
                    seen.readRing(ring, count == 0 || finished ? Integer.MAX_VALUE : rnd.nextInt(0, count + 1), where);
                } else {
                    seen.readRing(ring, Integer.MAX_VALUE, where);  // frames drained before come first
                    Segments s = q.peek(rnd.nextInt(1, maxBatch + 1));
                    count = s.count();
                    int n = rnd.nextInt(4) == 0 ? rnd.nextInt(0, count + 1) : count;
                    for (int i = 0; i < count; i++) {
                        ByteBuffer v = s.get(i);
                        if (i < n) {
                            seen.deliver(v, where);
                        } else {
                            check(v, seen.crc, where);
                        }
                    }
                    q.discard(n);
                }
                int r = rnd.nextInt(64);
                if (r == 0) {
                    if (q.trim()) {
                        trims++;
                    }
                } else if (r == 1) {
                    int c = q.chunks();
                    assertTrue(c <= chunkBound, "chunks() " + c + " above budget / chunk + 2 + slots (+1)");
                    int out = pool.outstanding();
                    assertTrue(out <= chunkBound + 1 + 2 * PRODUCERS, "buffers on loan " + out
                            + ": installed, parked, one the consumer is zeroing, two in each producer's hand");
                } else if (r == 2) {
                    stall(rnd, 10_000);
                } else if (count == 0) {
                    Thread.yield();
                }
                if (finished && count == 0 && q.isEmpty() && ring.readable() == 0) {
                    q.peek(1);                  // walks the last freed holes
                    break;
                }
                if (finished && finishedAt == 0) {
                    finishedAt = System.nanoTime();
                } else if (finished && System.nanoTime() - finishedAt > DRAIN_NANOS) {
                    throw new AssertionError("producers are done but the queue does not drain (a frame lost in a "
                            + "chunk nobody reads?): isEmpty " + q.isEmpty() + ", holes " + q.holes() + ", chunks "
                            + q.chunks() + ", frames " + seen.frames);
                }
                if (System.nanoTime() > stuckAt) {
                    throw new AssertionError("no end after " + TimeUnit.NANOSECONDS.toSeconds(STUCK_NANOS)
                            + " s: producers done " + done.get() + ", isEmpty " + q.isEmpty() + ", holes "
                            + q.holes() + ", frames " + seen.frames);
                }
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
            stop.set(true);
        } finally {
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
        }
        if (failure.get() != null) {
            throw new AssertionError(where + ": " + failure.get(), failure.get());
        }
        try {
            long commitAttempts = 0;
            long reclaimedCommits = 0;
            long reclaimedAll = 0;
            long committed = 0;
            for (int p = 0; p < PRODUCERS; p++) {
                Producer me = producers[p];
                BitSet expect = new BitSet();
                for (int i = 0; i < me.seq; i++) {
                    if (me.outcome[i] == COMMITTED) {
                        expect.set(i);
                    }
                }
                if (!expect.equals(seen.bits[p])) {
                    BitSet lost = (BitSet) expect.clone();
                    lost.andNot(seen.bits[p]);
                    BitSet phantom = (BitSet) seen.bits[p].clone();
                    phantom.andNot(expect);
                    throw new AssertionError("producer " + p + ": committed but not delivered " + lost
                            + ", delivered but not committed " + phantom);
                }
                commitAttempts += me.commitAttempts;
                reclaimedCommits += me.reclaimedCommits;
                reclaimedAll += me.reclaimedCommits + me.reclaimedAborts;
                committed += me.committed;
            }
            long frames = seen.frames;
            assertEquals(committed, frames, "frames delivered = frames committed");
            assertEquals(commitAttempts, frames + reclaimedCommits, "delivered + reclaimed = commit attempts");
            assertEquals(reclaimedAll, q.reclaimedFrames(), "each reclaim is one false commit or abort");
            if (!reclaimOn) {
                assertEquals(0, q.reclaimedFrames());
            }
            assertEquals(0, q.holes(), "every reclaimed frame's producer came back");
            assertTrue(frames > 0, "frames delivered");
            assertTrue(drains > 0, "frames drained into the ring");
            assertTrue(q.trim(), "an idle, drained queue trims");
            assertEquals(0, q.chunks());
            assertTrue(q.close());
            pool.assertAllBack("end");
            System.out.printf("%s: %d frames (%d drained), %d reclaimed, %d full answers, %d trims, %d acquires%n",
                    where, frames, drains, q.reclaimedFrames(), sum(producers), trims, pool.acquires.get());
        } catch (Throwable e) {
            throw new AssertionError(where + ": " + e, e);
        }
    }

    // ------------------------------------------------------------------ a budget of two chunks, trim racing

    /**
     * A budget of exactly two chunks never answers full to a largest frame ({@code chunk - 8}) on an empty
     * queue, however the consumer's trim interleaves: the producer has at most one frame in flight (it offers
     * the next once the consumer has discarded the last), alternating a small frame (so that the tail stops
     * inside a chunk) and a largest one; the consumer peeks, discards and trims at once, so its tail CAS
     * (retiring the rest of the chunk) races the producer's next claim. (With a budget under two chunks, the
     * rest a trim retired, counted against a head the producer read before the trim published it, made such a
     * claim answer full.) The pool spins a little in each release, which widens that window (trim gives the
     * retired chunk back between its tail CAS and its head store): with the queue patched back to accept a
     * budget of chunk + 8 (and the old largest frame, budget / 2 - 8), this test saw full answers.
     */
    @ParameterizedTest(name = "chunk={0}")
    @ValueSource(ints = {32, 64, 4096})
    void aTwoChunkBudgetNeverAnswersFullWhileTrimRaces(int chunk) throws Exception {
        long seed = Seeds.seed();
        TrackingProvider pool = new TrackingProvider(chunk == 64);
        pool.releaseSpins = 200;        // trim gives the retired chunk back between its tail CAS and its head store
        MpscChunkedFrameQueue q = new MpscChunkedFrameQueue(chunk, 2 * chunk, Math.min(8, chunk / 8), Long.MAX_VALUE,
                System::nanoTime, pool);
        int max = q.maxFrameLength();
        assertEquals(chunk - 8, max);
        String where = "chunk=" + chunk + " budget=" + 2 * chunk + " seed=" + seed + " (replay with -Dnetkit.seed="
                + seed + ")";
        AtomicLong consumed = new AtomicLong();
        AtomicLong trims = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread consumer = new Thread(() -> {
            try {
                int idle = 0;
                while (!stop.get()) {
                    Segments s = q.peek(1);
                    if (s.count() == 1) {
                        ByteBuffer v = s.get(0);
                        int len = v.remaining();
                        byte tag = (byte) consumed.get();
                        if (v.get(v.position()) != tag || v.get(v.position() + len - 1) != tag) {
                            throw new AssertionError("frame " + consumed.get() + " torn");
                        }
                        q.discard();
                        consumed.incrementAndGet();
                    }
                    if (q.trim()) {
                        trims.incrementAndGet();
                    }
                    if (s.count() == 0 && (++idle & 15) == 0) {
                        Thread.yield();         // the cores are shared: let the producer run
                    }
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, "consumer");
        consumer.start();
        SplittableRandom rnd = new SplittableRandom(seed);
        long fulls = 0;
        long produced = 0;
        // 300 ms and 1000 frames, or 2 s (the cores are shared: a handoff can take a time slice)
        long start = System.nanoTime();
        long minEnd = start + TimeUnit.MILLISECONDS.toNanos(300);
        long maxEnd = start + TimeUnit.SECONDS.toNanos(2);
        byte[] f = new byte[max];
        try {
            for (long now = start; failure.get() == null && now < maxEnd && (now < minEnd || produced < 1000);
                    now = System.nanoTime()) {
                // a small frame (mostly a 16-byte record: the trim then retires the largest rest, chunk - 16),
                // then a largest one
                int len = (produced & 1) == 1 ? max : rnd.nextInt(4) != 0 ? rnd.nextInt(1, 9) : rnd.nextInt(1, max);
                java.util.Arrays.fill(f, 0, len, (byte) produced);
                int status;
                while ((status = q.tryOffer(ByteBuffer.wrap(f, 0, len))) == MpscChunkedFrameQueue.OFFER_FULL) {
                    fulls++;
                    Thread.onSpinWait();
                }
                assertEquals(MpscChunkedFrameQueue.OFFER_COMMITTED, status);
                produced++;
                for (int spins = 0; consumed.get() < produced && failure.get() == null; spins++) {
                    if ((spins & 15) == 15) {
                        Thread.yield();
                    } else {
                        Thread.onSpinWait();
                    }
                }
            }
        } finally {
            stop.set(true);
            consumer.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(where + ": " + failure.get(), failure.get());
        }
        System.out.printf("%s: %d frames, %d full answers, %d trims%n", where, produced, fulls, trims.get());
        assertEquals(0, fulls, where + ": full answers on an empty queue (" + produced + " frames, " + trims.get()
                + " trims)");
        assertTrue(produced >= 20, where + ": frames " + produced);
        assertTrue(trims.get() > 0, where);
        q.trim();
        assertTrue(q.close());
        pool.assertAllBack(where);
    }

    static long sum(Producer[] ps) {
        long n = 0;
        for (Producer p : ps) {
            n += p.fulls;
        }
        return n;
    }

    /** Checks one delivered frame; returns id << 48 | seq. */
    static long check(ByteBuffer v, CRC32 crc, String where) {
        int p = v.position();
        int len = v.remaining();
        if (len < MIN_FRAME) {
            throw new AssertionError("torn frame: " + len + " bytes");
        }
        int id = v.getInt(p);
        long seq = v.getLong(p + 4);
        int flen = v.getInt(p + 12);
        String frame = "frame (id " + id + ", seq " + seq + ", " + len + " bytes at " + p + ")";
        if (flen != len || id < 0 || id >= PRODUCERS || seq < 0 || seq >= PER_PRODUCER) {
            throw new AssertionError("torn " + frame + ": header says length " + flen);
        }
        ByteBuffer d = v.duplicate();
        d.limit(p + len - 4);
        crc.reset();
        crc.update(d);
        if ((int) crc.getValue() != v.getInt(p + len - 4)) {
            for (int i = HEADER; i < len - 4; i++) {
                if (v.get(p + i) != payloadByte(id, seq, i)) {
                    throw new AssertionError("torn " + frame + ": byte " + i + " is " + v.get(p + i) + ", expected "
                            + payloadByte(id, seq, i));
                }
            }
            throw new AssertionError("torn " + frame + ": CRC");
        }
        for (int i = HEADER; i < len - 4; i++) {
            if (v.get(p + i) != payloadByte(id, seq, i)) {
                throw new AssertionError("torn " + frame + " with a matching CRC: byte " + i);
            }
        }
        return (long) id << 48 | seq;
    }

    static void produce(MpscChunkedFrameQueue q, int id, Producer me, SplittableRandom rnd, int max,
                        boolean reclaimOn, long deadline, AtomicBoolean stop) {
        MpscChunkedFrameQueue.Claim claim = q.newClaim();
        CRC32 crc = new CRC32();
        byte[] f = new byte[max];
        ByteBuffer heap = ByteBuffer.allocate(max + 8);
        ByteBuffer direct = ByteBuffer.allocateDirect(max + 8);
        ByteBuffer[] parts = new ByteBuffer[3];
        int len = 0;
        boolean fresh = true;
        int fullRun = 0;
        while (me.seq < PER_PRODUCER && !stop.get() && System.nanoTime() < deadline) {
            if (fresh) {
                len = frameLength(rnd, max);
                encode(f, len, id, me.seq, crc);
            }
            int mode = rnd.nextInt(reclaimOn ? 6 : 7);
            int status;
            boolean abort = false;
            switch (mode) {
                case 0 -> {
                    int off = rnd.nextInt(8);
                    heap.clear().position(off);
                    heap.put(f, 0, len).flip().position(off);
                    status = q.tryOffer(heap);
                }
                case 1 -> {
                    direct.clear().put(f, 0, len).flip();
                    status = q.tryOffer(direct);
                }
                case 2 -> {
                    int k = rnd.nextInt(1, 4);
                    int at = 0;
                    for (int i = 0; i < k; i++) {
                        int n = i == k - 1 ? len - at : rnd.nextInt(0, len - at + 1);
                        parts[i] = ByteBuffer.wrap(f, at, n);
                        at += n;
                    }
                    status = q.tryOffer(parts, k);
                }
                case 6 -> status = q.offer(f, 0, len) ? MpscChunkedFrameQueue.OFFER_COMMITTED
                        : MpscChunkedFrameQueue.OFFER_FULL;                     // reclaim off: false is full
                default -> {
                    status = q.tryClaim(len, claim);
                    if (status == MpscChunkedFrameQueue.CLAIM_OK) {
                        int at = 0;
                        while (at < len) {
                            int n = rnd.nextInt(1, len - at + 1);
                            switch (rnd.nextInt(4)) {
                                case 0 -> claim.put(at, f, at, n);
                                case 1 -> claim.put(at, ByteBuffer.wrap(f, at, n));
                                case 2 -> {
                                    if (n >= 8) {
                                        n = 8;
                                        claim.putLong(at, ByteBuffer.wrap(f).getLong(at));
                                    } else {
                                        claim.put(at, f, at, n);
                                    }
                                }
                                default -> claim.buffer().put(claim.offset() + at, f, at, n);
                            }
                            at += n;
                            stall(rnd, 200);
                        }
                        abort = rnd.nextInt(8) == 0;
                        boolean ok = abort ? claim.abort() : claim.commit();
                        status = ok ? MpscChunkedFrameQueue.OFFER_COMMITTED : MpscChunkedFrameQueue.OFFER_RECLAIMED;
                    }
                }
            }
            switch (status) {
                case MpscChunkedFrameQueue.OFFER_FULL -> {
                    me.fulls++;
                    fresh = false;
                    // give the consumer the core (the test machine may have fewer cores than threads)
                    if (++fullRun % 16 == 0) {
                        LockSupport.parkNanos(20_000);
                    } else {
                        Thread.yield();
                    }
                    continue;
                }
                case MpscChunkedFrameQueue.OFFER_COMMITTED -> {
                    if (abort) {
                        me.outcome[(int) me.seq] = ABORTED;
                    } else {
                        me.outcome[(int) me.seq] = COMMITTED;
                        me.commitAttempts++;
                        me.committed++;
                    }
                }
                case MpscChunkedFrameQueue.OFFER_RECLAIMED -> {
                    if (!reclaimOn) {
                        throw new AssertionError("OFFER_RECLAIMED with reclaim off");
                    }
                    if (abort) {
                        me.outcome[(int) me.seq] = ABORT_RECLAIMED;
                        me.reclaimedAborts++;
                    } else {
                        me.outcome[(int) me.seq] = RECLAIMED;
                        me.commitAttempts++;
                        me.reclaimedCommits++;
                    }
                }
                default -> throw new AssertionError("status " + status);
            }
            me.seq++;
            fresh = true;
            fullRun = 0;
            stall(rnd, 100);
        }
    }
}
