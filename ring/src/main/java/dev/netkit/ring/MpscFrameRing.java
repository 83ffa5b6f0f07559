package dev.netkit.ring;

import static dev.netkit.ring.RecordHeaders.ABORTED;
import static dev.netkit.ring.RecordHeaders.CLAIMED;
import static dev.netkit.ring.RecordHeaders.COMMITTED;
import static dev.netkit.ring.RecordHeaders.FREED;
import static dev.netkit.ring.RecordHeaders.PADDING;
import static dev.netkit.ring.RecordHeaders.RECLAIMED;
import static dev.netkit.ring.RecordHeaders.pack;
import static dev.netkit.ring.RecordHeaders.recordLength;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A ring of frames written by many producer threads and read by one consumer thread, without copies on
 * either side: a producer claims a frame ({@link #tryClaim(int, Claim)}), writes its payload through the
 * claim's view and commits it ({@link Claim#commit()}) or aborts it ({@link Claim#abort()});
 * {@link #offer(ByteBuffer)} does all three. The consumer sees several committed frames at once as payload
 * views ({@link #peek(int)}), ready for one gathering write, and frees them ({@link #discard(int)}).
 *
 * <p><b>Guarantees.</b>
 * <ul>
 *   <li>Frames are delivered in claim order; so each producer's frames keep their order. A frame never
 *       splits across the wrap point: when it does not fit before the end, a padding record fills the end
 *       (never delivered) and the frame starts at index 0. Payloads start 8-byte aligned.</li>
 *   <li>The consumer never sees an uncommitted or aborted frame, and sees a committed frame's payload as
 *       written before {@code commit}. An aborted frame's space comes back.</li>
 *   <li>A producer never overwrites bytes the consumer has not discarded: a full ring fails the claim.</li>
 *   <li>Producers are lock-free (a CAS loop on the tail that fails only when another producer claimed);
 *       the consumer is wait-free apart from the length of what it walks; nothing ever spins.</li>
 * </ul>
 *
 * <p><b>A stalled or dead producer.</b> The consumer delivers in order, so a claimed frame that is never
 * committed would stop delivery for good. Instead, once the consumer has seen the same uncommitted frame
 * at the front for {@code reclaimTimeout} (measured by the consumer's clock from the first peek that saw
 * it there), it <em>reclaims</em> it: a CAS of the frame's header from CLAIMED to RECLAIMED, racing the
 * producer's commit CAS, so exactly one wins. A reclaimed frame is never delivered and its late
 * {@code commit} returns false. Frames behind it are delivered as usual. <b>The reclaimed space is not
 * reused until the producer comes back</b> (its late commit or abort marks it free): a producer that is
 * only slow may still be writing into it, and reusing the space would let it scribble over another
 * frame. So a slow producer costs nothing but its frame; a producer that never comes back (dead thread)
 * pins the space from its frame on: the ring fills up within one lap and claims then fail, which the
 * owner sees as a full ring ({@link #reclaimedFrames()} and {@link #holes()} tell why) and handles like
 * any full ring (for example by closing the connection). One window cannot be reclaimed: a producer that
 * stops between winning the tail CAS and storing the frame header (a few instructions) leaves a header
 * the consumer cannot read the length of; delivery then waits for it.
 *
 * <p><b>Threads.</b> {@code tryClaim}, {@code offer} and {@link Claim} methods: any producer thread (a
 * {@link Claim} object is used by one thread at a time). {@code peek}, {@code discard}, {@code holes},
 * {@code reclaimedFrames}: the one consumer thread (one at a time, handed over only through a
 * happens-before edge). The memory is direct and its capacity a power of two of at least 32.
 */
public final class MpscFrameRing extends MpscFields {
    /*
     * Implementation notes.
     *
     * Records: [header: 8 bytes][payload][pad to a multiple of 8]. The header is one long, accessed only
     * through `headers` (RecordHeaders: a byteBufferViewVarHandle; every record starts 8-aligned in an
     * 8-aligned direct buffer, so atomic access modes are allowed): length in the high 32 bits, state in the
     * low 32 bits. The fields tail, headCache, head and the consumer's state are padded (MpscFields). States:
     * EMPTY (0: no header yet), CLAIMED, COMMITTED, ABORTED, PADDING (fills the end of the ring; its length
     * is the bytes to the end minus the header), RECLAIMED (the consumer took it), FREED (a reclaimed
     * record whose producer came back).
     *
     * Invariant: every byte outside [head, tail) is zero. The buffer starts zeroed and the consumer zeroes
     * what it releases before it publishes the new head; so a header the consumer reads as EMPTY has not
     * been written yet. Counters: head <= scan <= tail <= head + capacity; record starts are multiples of 8.
     *
     * Producer (claim): t = TAIL.getVolatile; the record and, when it does not fit before the end, a padding
     * record are claimed by one CAS of tail from t to t + need, after checking t + need <= head + capacity
     * against headCache and, when that fails, against HEAD.getAcquire(). The acquire of head (directly, or
     * through headCache: setRelease after the acquire / getAcquire before use, a chain) orders the
     * consumer's zeroing before the producer's writes. After the CAS: HDR.setRelease(padding header),
     * HDR.setRelease(length|CLAIMED), payload writes (plain), commit = HDR.compareAndSet(CLAIMED ->
     * COMMITTED) (volatile: releases the payload). Abort = CAS CLAIMED -> ABORTED. A failed commit/abort
     * CAS means the consumer reclaimed the record: the producer then HDR.setRelease(FREED).
     *
     * Consumer: peek walks records from scan with HDR.getAcquire (pairs with the commit CAS: the payload is
     * visible). It stops at EMPTY, at a CLAIMED record (after trying to reclaim it if it is at the front and
     * the timeout has run out), at scan - head == capacity, or after maxFrames frames. Skippable records
     * (PADDING, ABORTED) at the front advance scan at once. discard(n) moves scan past the n-th frame and
     * releases: with no holes, head = scan; with holes, head moves over records up to the first RECLAIMED
     * one (a FREED one counts as released and decrements holes). Release = zero [old head, new head), then
     * HEAD.setRelease(new head).
     *
     * With reclaim disabled (timeout Long.MAX_VALUE) no one but the producer writes a header after the claim,
     * so commit and abort are release stores instead of CASes (one locked instruction less per frame).
     *
     * Commit vs reclaim: both CAS the same header from the same CLAIMED value; exactly one succeeds. The
     * space of a RECLAIMED record is not released (head stops at it) until the producer's setRelease(FREED),
     * which comes after all of that producer's writes into the record, so those writes never land in
     * reused space and the header the late commit CASes cannot have been reused (no ABA).
     */
    /** Header bytes in front of each frame. */
    public static final int HEADER_LENGTH = RecordHeaders.HEADER_LENGTH;
    /** The smallest capacity. */
    public static final int MIN_CAPACITY = 32;
    /** The consumer's default reclaim timeout: one second. */
    public static final long DEFAULT_RECLAIM_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The default number of frames one peek can return. */
    public static final int DEFAULT_MAX_BATCH = 64;
    /** {@link #tryOffer(ByteBuffer)}: the frame was committed. */
    public static final int OFFER_COMMITTED = 0;
    /** {@link #tryOffer(ByteBuffer)}: the ring had no room; nothing was written. */
    public static final int OFFER_FULL = 1;
    /** {@link #tryOffer(ByteBuffer)}: the consumer reclaimed the frame before its commit; it is dropped. */
    public static final int OFFER_RECLAIMED = 2;

    private final int capacity;
    private final int mask;
    private final int maxFrameLength;
    private final ByteBuffer buffer;
    private final long reclaimTimeoutNanos;
    private final LongSupplier nanoClock;
    private final Segments segments;
    private final long[] ends;
    /** How headers are read and written: {@link RecordHeaders#IN_BUFFER} but in tests. */
    private final RecordHeaders headers;

    /**
     * Creates a ring with a batch of {@value #DEFAULT_MAX_BATCH} frames per peek (fewer if the capacity
     * allows fewer: at most capacity / 8) and a one-second reclaim timeout on {@link System#nanoTime()}.
     *
     * @param capacity a power of two in [32, 2^30]
     * @throws IllegalArgumentException if capacity is not a power of two in that range
     */
    public MpscFrameRing(int capacity) {
        this(capacity, Math.min(DEFAULT_MAX_BATCH, Math.max(1, capacity / HEADER_LENGTH)), DEFAULT_RECLAIM_TIMEOUT_NANOS,
                System::nanoTime);
    }

    /**
     * Creates a ring.
     *
     * @param capacity            a power of two in [32, 2^30]
     * @param maxBatch            the most frames one {@link #peek(int)} returns, in [1, capacity / 8]
     * @param reclaimTimeoutNanos how long an uncommitted frame may stay at the front before the consumer
     *                            reclaims it: 0 reclaims at the first sight, {@link Long#MAX_VALUE} never
     *                            (then commit and abort are plain release stores, not CASes: cheaper, and
     *                            a stalled producer blocks delivery until it returns)
     * @param nanoClock           the consumer's clock (for example {@code System::nanoTime}); read only
     *                            while an uncommitted frame blocks delivery
     * @throws IllegalArgumentException if a value is outside its range
     */
    public MpscFrameRing(int capacity, int maxBatch, long reclaimTimeoutNanos, LongSupplier nanoClock) {
        this(capacity, maxBatch, reclaimTimeoutNanos, nanoClock, RecordHeaders.IN_BUFFER);
    }

    /** With {@code headers} other than {@link RecordHeaders#IN_BUFFER}: tests (Lincheck), see RecordHeaders. */
    MpscFrameRing(int capacity, int maxBatch, long reclaimTimeoutNanos, LongSupplier nanoClock, RecordHeaders headers) {
        this.capacity = Rings.checkCapacity(capacity, MIN_CAPACITY);
        if (maxBatch < 1 || maxBatch > capacity / HEADER_LENGTH) {
            throw new IllegalArgumentException("maxBatch must be in [1, " + capacity / HEADER_LENGTH + "], was "
                    + maxBatch);
        }
        if (reclaimTimeoutNanos < 0) {
            throw new IllegalArgumentException("reclaimTimeoutNanos must be >= 0, was " + reclaimTimeoutNanos);
        }
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.reclaimTimeoutNanos = reclaimTimeoutNanos;
        this.mask = capacity - 1;
        this.maxFrameLength = capacity / 2 - HEADER_LENGTH;
        this.buffer = ByteBuffer.allocateDirect(capacity + 8).alignedSlice(8).limit(capacity).slice()
                .order(ByteOrder.BIG_ENDIAN);
        ByteBuffer[] views = new ByteBuffer[maxBatch];
        for (int i = 0; i < maxBatch; i++) {
            views[i] = buffer.duplicate().order(ByteOrder.BIG_ENDIAN);
        }
        this.segments = new Segments(views);
        this.ends = new long[maxBatch];
        this.headers = Objects.requireNonNull(headers, "headers");
    }

    /** {@return the capacity in bytes; any thread} */
    public int capacity() {
        return capacity;
    }

    /**
     * The largest payload: {@code capacity / 2 - 8}, so that a frame always fits once the ring is empty,
     * whatever the wrap point. Any thread.
     *
     * @return the largest length {@link #tryClaim(int, Claim)} accepts
     */
    public int maxFrameLength() {
        return maxFrameLength;
    }


    // ------------------------------------------------------------------ producers

    private void checkLength(int length) {
        if (length <= 0 || length > maxFrameLength) {
            throw new IllegalArgumentException("frame length " + length + " outside [1, " + maxFrameLength
                    + "] (capacity " + capacity + ")");
        }
    }

    /** Claims a record; returns the index of its header, or -1 if the ring is full. */
    private int claim(int length) {
        int rec = recordLength(length);
        while (true) {
            long t = (long) TAIL.getVolatile(this);
            int index = (int) (t & mask);
            int toEnd = capacity - index;
            int pad = rec <= toEnd ? 0 : toEnd;
            long end = t + pad + rec;
            long h = (long) HEAD_CACHE.getAcquire(this);
            if (end - h > capacity) {
                h = (long) HEAD.getAcquire(this);
                HEAD_CACHE.setRelease(this, h);
                if (end - h > capacity) {
                    return -1;
                }
            }
            if (TAIL.compareAndSet(this, t, end)) {
                if (pad > 0) {
                    headers.setRelease(buffer, index, pack(pad - HEADER_LENGTH, PADDING));
                    index = 0;
                }
                headers.setRelease(buffer, index, pack(length, CLAIMED));
                return index;
            }
        }
    }

    /** {@return a new, unbound claim object for {@link #tryClaim(int, Claim)}; any thread (allocates)} */
    public Claim newClaim() {
        return new Claim(this);
    }

    /**
     * Claims a frame of {@code length} payload bytes into {@code claim}, without allocating; any producer.
     * On success the claim's {@link Claim#buffer()} covers the payload; write it, then commit or abort.
     *
     * @param length the payload length, in [1, {@link #maxFrameLength()}]
     * @param claim  a claim of this ring ({@link #newClaim()}) not holding an open frame
     * @return true if claimed, false if the ring is full
     * @throws IllegalArgumentException if length is out of range or the claim belongs to another ring
     * @throws IllegalStateException if the claim holds an open frame
     */
    public boolean tryClaim(int length, Claim claim) {
        Objects.requireNonNull(claim, "claim");
        checkLength(length);
        if (claim.ring != this) {
            throw new IllegalArgumentException("claim belongs to another ring");
        }
        if (claim.open) {
            throw new IllegalStateException("claim still holds an open frame at index " + claim.index);
        }
        int index = claim(length);
        if (index < 0) {
            return false;
        }
        claim.index = index;
        claim.length = length;
        claim.open = true;
        Rings.setView(claim.view, index + HEADER_LENGTH, length);
        return true;
    }

    /**
     * Claims a frame and returns a new claim object for it (allocates; see {@link #tryClaim(int, Claim)}
     * for the allocation-free form); any producer.
     *
     * @param length the payload length, in [1, {@link #maxFrameLength()}]
     * @return the claim, or null if the ring is full
     * @throws IllegalArgumentException if length is out of range
     */
    public Claim tryClaim(int length) {
        Claim c = new Claim(this);
        return tryClaim(length, c) ? c : null;
    }

    /**
     * Copies {@code src}'s remaining bytes into one frame and commits it, or does nothing if the ring is
     * full; any producer. Allocates nothing. {@link #tryOffer(ByteBuffer)} tells a full ring from a
     * reclaimed frame.
     *
     * @param src the payload, 1 to {@link #maxFrameLength()} bytes; its position advances unless the ring
     *            was full
     * @return true if the frame was committed; false if the ring was full, or (only after this thread
     *         stalled for the reclaim timeout between claim and commit) if the consumer reclaimed the frame
     * @throws IllegalArgumentException if the length is out of range
     */
    public boolean offer(ByteBuffer src) {
        return tryOffer(src) == OFFER_COMMITTED;
    }

    /**
     * {@link #offer(ByteBuffer)}, telling why a frame was not committed; any producer. Allocates nothing.
     *
     * @param src the payload, 1 to {@link #maxFrameLength()} bytes; its position advances unless the ring
     *            was full
     * @return {@link #OFFER_COMMITTED} if the frame was committed; {@link #OFFER_FULL} if the ring had no
     *         room (nothing was written); {@link #OFFER_RECLAIMED} if this thread stalled for the reclaim
     *         timeout between claim and commit and the consumer reclaimed the frame (it is dropped, its
     *         space given back)
     * @throws IllegalArgumentException if the length is out of range
     */
    public int tryOffer(ByteBuffer src) {
        Objects.requireNonNull(src, "src");
        int length = src.remaining();
        checkLength(length);
        int index = claim(length);
        if (index < 0) {
            return OFFER_FULL;
        }
        int p = src.position();
        buffer.put(index + HEADER_LENGTH, src, p, length);
        src.position(p + length);
        return commit(index, length) ? OFFER_COMMITTED : OFFER_RECLAIMED;
    }

    /**
     * Gathering {@link #tryOffer(ByteBuffer)}: copies the remaining bytes of {@code srcs[0..count)}, in order,
     * into one frame and commits it, or does nothing if the ring is full; any producer. Allocates nothing.
     *
     * @param srcs  the parts of the payload; each one's position advances unless the ring was full
     * @param count how many of {@code srcs} to take, from index 0
     * @return {@link #OFFER_COMMITTED}, {@link #OFFER_FULL} or {@link #OFFER_RECLAIMED}, as for
     *         {@link #tryOffer(ByteBuffer)}
     * @throws IllegalArgumentException if the total length is outside [1, {@link #maxFrameLength()}]
     * @throws IndexOutOfBoundsException if count is negative or above {@code srcs.length}
     */
    public int tryOffer(ByteBuffer[] srcs, int count) {
        long total = Rings.remaining(srcs, count);
        if (total > maxFrameLength) {
            throw new IllegalArgumentException("frame length " + total + " outside [1, " + maxFrameLength
                    + "] (capacity " + capacity + ")");
        }
        int length = (int) total;
        checkLength(length);
        int index = claim(length);
        if (index < 0) {
            return OFFER_FULL;
        }
        int at = index + HEADER_LENGTH;
        for (int i = 0; i < count; i++) {
            ByteBuffer src = srcs[i];
            int p = src.position();
            int n = src.remaining();
            buffer.put(at, src, p, n);
            src.position(p + n);
            at += n;
        }
        return commit(index, length) ? OFFER_COMMITTED : OFFER_RECLAIMED;
    }

    /**
     * Copies {@code src[off, off + len)} into one frame and commits it, or does nothing if the ring is full;
     * any producer. Allocates nothing.
     *
     * @param src the array
     * @param off the first byte
     * @param len the payload length, in [1, {@link #maxFrameLength()}]
     * @return true if the frame was committed; false if the ring was full or the frame was reclaimed (see
     *         {@link #offer(ByteBuffer)})
     * @throws IllegalArgumentException if len is out of range
     * @throws IndexOutOfBoundsException if the range is outside the array
     */
    public boolean offer(byte[] src, int off, int len) {
        Rings.checkRange(src, "src", off, len);
        checkLength(len);
        int index = claim(len);
        if (index < 0) {
            return false;
        }
        buffer.put(index + HEADER_LENGTH, src, off, len);
        return commit(index, len);
    }

    private boolean commit(int index, int length) {
        return headers.finish(buffer, index, length, COMMITTED, reclaimTimeoutNanos == Long.MAX_VALUE);
    }

    private boolean abort(int index, int length) {
        return headers.finish(buffer, index, length, ABORTED, reclaimTimeoutNanos == Long.MAX_VALUE);
    }

    // ------------------------------------------------------------------ consumer

    /**
     * Returns up to {@code maxFrames} committed frames, in order, as payload views, without copying or
     * allocating; consumer. Padding and aborted records are skipped; the walk stops at the first frame that
     * is claimed but not committed (reclaiming it first if it has blocked the front for the timeout). The
     * view is valid until the next {@code peek} or {@code discard}.
     *
     * @param maxFrames the most frames wanted, in [1, maxBatch]
     * @return the consumer's reused view; {@link Segments#count()} frames, each buffer one payload
     * @throws IllegalArgumentException if maxFrames is out of range
     */
    public Segments peek(int maxFrames) {
        Segments s = segments;
        if (maxFrames < 1 || maxFrames > s.buffers.length) {
            throw new IllegalArgumentException("maxFrames must be in [1, " + s.buffers.length + "], was "
                    + maxFrames);
        }
        long h = head;
        long pos = scan;
        long front = pos;
        int count = 0;
        int bytes = 0;
        while (count < maxFrames && pos - h < capacity) {
            int index = (int) (pos & mask);
            long word = headers.getAcquire(buffer, index);
            int state = (int) word;
            int length = (int) (word >>> 32);
            if (state == COMMITTED) {
                Rings.setView(s.buffers[count], index + HEADER_LENGTH, length);
                pos += recordLength(length);
                ends[count++] = pos;
                bytes += length;
            } else if (state == PADDING || state == ABORTED || state == RECLAIMED || state == FREED) {
                pos += recordLength(length);
                if (count == 0) {
                    front = pos;
                }
            } else if (state == CLAIMED && count == 0 && reclaimDue(pos, reclaimTimeoutNanos, nanoClock)) {
                if (headers.compareAndSet(buffer, index, word, pack(length, RECLAIMED))) {
                    holes++;
                    reclaimed++;
                    pos += recordLength(length);
                    front = pos;
                }
                // else: the producer committed or aborted meanwhile; read the header again
            } else {
                break;                          // EMPTY (not yet written) or CLAIMED
            }
        }
        s.count = count;
        s.remaining = bytes;
        peeked = count;
        if (front != scan) {
            scan = front;                       // records skipped in front of the first frame
            release();
        } else if (holes > 0) {
            release();                          // a late producer may have freed a hole
        }
        return s;
    }

    /**
     * Frees the first {@code frames} frames of the last {@link #peek(int)} (and any skipped record in
     * between); consumer.
     *
     * @param frames how many, in [0, count of the last peek]
     * @throws IllegalArgumentException if frames is out of range
     */
    public void discard(int frames) {
        if (frames < 0 || frames > peeked) {
            throw new IllegalArgumentException("discard " + frames + " frames outside [0, peeked = " + peeked + "]");
        }
        if (frames == 0) {
            return;
        }
        scan = ends[frames - 1];
        peeked = 0;
        segments.count = 0;
        release();
    }

    /** Frees every frame of the last {@link #peek(int)}; consumer. */
    public void discard() {
        discard(peeked);
    }

    @Override
    long headerAt(long position) {
        return headers.getAcquire(buffer, (int) (position & mask));
    }

    /** Zeroes [head, target) and publishes the new head; target is scan, or the first hole. */
    private void release() {
        long h = head;
        long target = releaseTarget();
        if (target == h) {
            return;
        }
        int index = (int) (h & mask);
        int n = (int) (target - h);
        int first = Math.min(n, capacity - index);
        headers.zero(buffer, index, first);
        if (n > first) {
            headers.zero(buffer, 0, n - first);
        }
        HEAD.setRelease(this, target);
    }

    /**
     * Reclaimed frames whose producer has not come back yet (their space is not reusable); consumer. A
     * value that stays above zero points to a dead producer.
     *
     * @return the number of such frames
     */
    public int holes() {
        return holes;
    }

    /** {@return how many frames the consumer has reclaimed since creation; consumer} */
    public long reclaimedFrames() {
        return reclaimed;
    }

    /**
     * Whether nothing is claimed beyond what the consumer has consumed: no frame committed, claimed or
     * pending. Any thread; exact from the consumer when producers are quiet, otherwise a snapshot.
     *
     * @return true if the ring holds no claimed record past the consumer's position
     */
    public boolean isEmpty() {
        return (long) TAIL.getVolatile(this) == scan;
    }

    @Override
    public String toString() {
        return "MpscFrameRing[capacity=" + capacity + ", holes=" + holes + "]";
    }

    /**
     * A producer's handle on one claimed frame, reusable for the next claim once committed or aborted.
     * Used by one thread at a time. Holds a view of the ring's memory made once per claim object.
     */
    public static final class Claim {
        final MpscFrameRing ring;
        final ByteBuffer view;
        int index;
        int length;
        boolean open;

        Claim(MpscFrameRing ring) {
            this.ring = ring;
            this.view = ring.buffer.duplicate().order(ByteOrder.BIG_ENDIAN);
        }

        /**
         * The payload region: position at its first byte, limit after its last (big-endian). Relative puts
         * fill it in order; absolute indexes start at {@link #offset()}. Valid until commit or abort.
         *
         * @return the claim's reused view
         * @throws IllegalStateException if no frame is open
         */
        public ByteBuffer buffer() {
            checkOpen();
            return view;
        }

        /** {@return the index of the payload's first byte in {@link #buffer()}; the claiming thread} */
        public int offset() {
            return index + HEADER_LENGTH;
        }

        /** {@return the payload length claimed; the claiming thread} */
        public int length() {
            return length;
        }

        /** {@return whether a frame is claimed and neither committed nor aborted; the claiming thread} */
        public boolean isOpen() {
            return open;
        }

        /**
         * Publishes the frame to the consumer; the claiming thread. Returns false if the consumer has
         * reclaimed the frame (the producer stalled past the reclaim timeout): the frame is then dropped and
         * its space given back. Either way the claim is closed.
         *
         * @return true if committed, false if it had been reclaimed
         * @throws IllegalStateException if no frame is open
         */
        public boolean commit() {
            checkOpen();
            open = false;
            return ring.commit(index, length);
        }

        /**
         * Drops the frame: the consumer skips it and its space comes back; the claiming thread.
         *
         * @return true if aborted, false if the consumer had reclaimed it already (same effect)
         * @throws IllegalStateException if no frame is open
         */
        public boolean abort() {
            checkOpen();
            open = false;
            return ring.abort(index, length);
        }

        private void checkOpen() {
            if (!open) {
                throw new IllegalStateException("no open frame: claim, then commit or abort once");
            }
        }
    }
}
