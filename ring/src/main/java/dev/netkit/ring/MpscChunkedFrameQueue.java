package dev.netkit.ring;

import static dev.netkit.ring.RecordHeaders.ABORTED;
import static dev.netkit.ring.RecordHeaders.CLAIMED;
import static dev.netkit.ring.RecordHeaders.COMMITTED;
import static dev.netkit.ring.RecordHeaders.FREED;
import static dev.netkit.ring.RecordHeaders.PADDING;
import static dev.netkit.ring.RecordHeaders.RECLAIMED;
import static dev.netkit.ring.RecordHeaders.pack;
import static dev.netkit.ring.RecordHeaders.recordLength;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A queue of frames written by many producer threads and read by one consumer thread, like
 * {@link MpscFrameRing} (claim, write in place, commit or abort; peek committed frames as views, discard
 * them), whose memory follows its backlog: its storage is a chain of fixed-size <em>chunks</em> borrowed
 * from a {@link BufferProvider} when frames arrive and handed back as the consumer drains them. An empty
 * queue that the consumer has {@linkplain #trim() trimmed} holds no chunk at all; so a server can give
 * each of 100,000 connections a queue and pay only for the ones with a backlog.
 *
 * <p><b>Guarantees.</b>
 * <ul>
 *   <li>Frames are delivered in claim order, so each producer's frames keep their order. A frame never
 *       straddles two chunks: one that does not fit the rest of the current chunk starts the next one, and
 *       a padding record (never delivered) fills the gap. Payloads start 8-byte aligned.</li>
 *   <li>The consumer never sees an uncommitted or aborted frame, and sees a committed frame's payload as
 *       written before its commit.</li>
 *   <li><b>A byte budget</b> instead of a capacity: claims fail as {@link #OFFER_FULL full} when the bytes
 *       between the consumer's release point and the end of the new record (headers, payloads, alignment and
 *       chunk-end padding) would exceed {@link #budgetBytes()}. So the queue never holds more than
 *       {@code budgetBytes / chunkBytes + 2} chunks in use, plus as many parked ones (below).</li>
 *   <li><b>No producer ever writes into a chunk that went back to the provider</b>, however late it is: the
 *       consumer releases a chunk only once every record in it is done (committed and consumed, aborted, or
 *       reclaimed and then given back by its producer), and every producer write into a chunk happens
 *       between its claim and its commit or abort. See "A stalled producer".</li>
 *   <li>Producers are lock-free (a CAS loop on the tail that fails only when another producer claimed, or
 *       the consumer trimmed or closed); the consumer is wait-free apart from the length of what it walks;
 *       nothing spins or blocks. A producer that starts a chunk borrows it from the provider
 *       <em>before</em> claiming, so a provider that throws fails that producer's call with nothing
 *       claimed.</li>
 * </ul>
 *
 * <p><b>Memory.</b> Chunk number k lives in slot {@code k mod slots}. A producer whose frame is the first in
 * a chunk installs the chunk: it takes the chunk parked in that slot, or borrows one from the provider and
 * zeroes it. When the consumer has consumed a chunk to its end it zeroes it and parks it in its slot, for
 * the chunk that comes to that slot next lap. So under steady load a queue calls the provider only while
 * its backlog grows, and its peek views (one set per slot) stay valid: nothing is allocated.
 * {@link #trim()} (consumer) hands the parked chunks back at any time and, once everything is consumed,
 * the chunk that holds the tail too, after which the queue holds no chunk and no view: call it
 * periodically, or when the queue goes idle. {@link #close()} refuses further frames and gives everything
 * back. Idle and trimmed, a queue is its object and two arrays of {@code slots} references (see the notes:
 * about budget / chunk + 2, rounded up to a power of two).
 *
 * <p><b>A stalled producer.</b> As in {@link MpscFrameRing}: once the same uncommitted frame has blocked
 * the front for {@code reclaimTimeout}, the consumer reclaims it (a header CAS racing the producer's commit
 * CAS: exactly one wins), skips it, and delivers the frames behind it; the producer's late commit returns
 * false ({@link #OFFER_RECLAIMED}, distinct from {@link #OFFER_FULL}). The reclaimed record's chunk is not
 * released until the producer comes back and marks it free, because the producer may still be writing into
 * it. A producer that never comes back pins its chunk and, once the budget is used up behind it, the queue
 * reports full.
 *
 * <p><b>Threads.</b> {@code tryClaim}, {@code offer}, {@code tryOffer} and {@link Claim} methods: any
 * producer thread (a {@link Claim} used by one thread at a time). {@code peek}, {@code discard},
 * {@code trim}, {@code close}, {@code holes}, {@code reclaimedFrames}: the one consumer thread (handed over
 * only through a happens-before edge). The provider is called from producer threads ({@code acquire}) and
 * from producer and consumer threads ({@code release}), so it must be thread-safe (the pool module's
 * {@code BufferPool} is). Chunks must be direct buffers whose address is 8-byte aligned.
 */
public final class MpscChunkedFrameQueue extends MpscFields {
    /*
     * Implementation notes.
     *
     * Positions. Producers and the consumer agree on one 64-bit byte position space, as in MpscFrameRing,
     * but it never wraps: position p lives in chunk number k = p >>> chunkShift, at offset p & chunkMask of
     * that chunk's buffer. Chunk k's buffer sits in slots[k & slotMask] while the chunk is live. Fields:
     * tail (producers' CAS; the consumer CASes it too, in trim and close), headCache (producers), head
     * (consumer: everything before it is released), scan (consumer: the next record to look at).
     * head <= scan <= tail <= head + budget (tail without the CLOSED bit).
     *
     * Records: [header: 8 bytes][payload][pad to a multiple of 8], headers and states exactly as in
     * MpscFrameRing (one long: length << 32 | state; EMPTY = 0 means not written yet). A record that does not
     * fit before its chunk's end is preceded by a PADDING record that fills the end (its length is the gap
     * less its header; a gap is at least 8 bytes since every record is a multiple of 8).
     *
     * Slot invariant (why a slot never holds the wrong chunk). slots has N = a power of two >=
     * ceil(budget / chunk) + 1 entries. A claim's end is at most head + budget, so every chunk a producer
     * touches is within chunk(head) .. chunk(head) + N - 1. The consumer nulls chunk k's slot before it
     * publishes a head past chunk k (HEAD.setRelease after the SLOTS store). A producer checked its claim
     * against a head it acquired (directly, or through headCache: setRelease after getAcquire of head,
     * getAcquire before use, a chain), so every chunk k - N that shares its slot has already been nulled
     * for it: a slot read by a producer holds null or the chunk it wants. The consumer reads only slots of
     * chunks at or after chunk(head), under the same bound.
     *
     * Installing a chunk. A producer claims [t, end); the chunks its headers go into (chunk(t) for a
     * padding record, chunk(record start)) are live or still null. Before its claim CAS it borrows a clean
     * chunk for each such slot that is null (the one parked for that slot, taken with
     * PARKED.getAndSet(null), which acquires the consumer's zeroing; or provider.acquire, then zeroed here),
     * so that nothing can fail after the CAS. Producers only ever take from `parked`; the consumer puts
     * (when a chunk is consumed) and takes (trim, close).
     * After the CAS it installs each with SLOTS.compareAndExchange(null -> chunk) (volatile: publishes the
     * zeroes), adopting the winner's chunk if another producer got there first, gives unused borrowed
     * chunks back to the provider, and then writes its headers (setRelease). A slot that held a chunk before
     * the CAS still holds it after: nulling chunk k requires the consumer to pass chunk k's end, which needs
     * tail beyond it, and the CAS found tail at t inside chunk k.
     *
     * Zero invariant. Every chunk in a slot or parked reads zero outside the records claimed in it, so a
     * header the consumer reads as EMPTY has not been written yet: a chunk is zeroed before it is installed
     * (provider chunks by the installing producer) or parked (by the consumer), and a position is used once
     * per installation (positions never wrap inside a chunk).
     *
     * Consumer. peek walks records from scan like MpscFrameRing's (HDR.getAcquire pairs with the commit
     * CAS or release store), reading a chunk's slot with getAcquire once per chunk (cached in cChunk while
     * the chunk is live); a null slot reads as "nothing yet". release() moves head to scan, or to the first
     * RECLAIMED record while holes > 0, and releases every chunk wholly before the new head: null its slot,
     * then zero it and park it (PARKED.compareAndSet(null -> chunk) on its slot), or give it back; then
     * HEAD.setRelease(new head). Views: one lazily made set per slot, over the buffer that slot held when
     * the set was made (viewBase); a slot that gets another buffer gets a fresh set.
     *
     * trim: with nothing pending (tail == scan == head), the consumer CASes tail from t to the next chunk
     * boundary, which retires the rest of chunk(t): a producer's CAS from t fails and its retry claims in
     * the next chunk. Winning the CAS, the consumer owns the whole of chunk(t) (every record in it consumed)
     * and releases it as above. Parked chunks are given back with PARKED.getAndSet(null), which a
     * producer's take races harmlessly (one of them gets the chunk). close: CAS the CLOSED bit into tail (claims
     * then fail), then walk and drop every record up to the closed tail as the producers finish them, and
     * release every chunk once head reaches it; a producer that is still inside a claim delays this (call
     * close again).
     *
     * Commit vs reclaim: as in MpscFrameRing (both CAS the same CLAIMED header; the loser of a commit or
     * abort CAS writes FREED; head stops at a RECLAIMED record until it reads FREED). Because head stops, the
     * chunk of a reclaimed record stays installed until its producer is done writing: no late write can land
     * in a chunk that went back to the provider.
     *
     * With reclaim off (timeout Long.MAX_VALUE) commit and abort are release stores, as in MpscFrameRing.
     */

    /** Header bytes in front of each frame. */
    public static final int HEADER_LENGTH = MpscFrameRing.HEADER_LENGTH;
    /** The smallest chunk. */
    public static final int MIN_CHUNK_BYTES = 32;
    /** {@link #tryOffer(ByteBuffer)}: the frame was committed. */
    public static final int OFFER_COMMITTED = MpscFrameRing.OFFER_COMMITTED;
    /** {@link #tryOffer(ByteBuffer)}: the byte budget had no room; nothing was written. */
    public static final int OFFER_FULL = MpscFrameRing.OFFER_FULL;
    /** {@link #tryOffer(ByteBuffer)}: the consumer reclaimed the frame before its commit; it is dropped. */
    public static final int OFFER_RECLAIMED = MpscFrameRing.OFFER_RECLAIMED;
    /** {@link #tryOffer(ByteBuffer)}: the queue is closed; nothing was written. */
    public static final int OFFER_CLOSED = 3;
    /** {@link #tryClaim(int, Claim)}: the frame is claimed (0, as {@link #OFFER_COMMITTED}). */
    public static final int CLAIM_OK = 0;

    /** Set in tail by {@link #close()}; positions never reach it. */
    static final long CLOSED = 1L << 62;
    private static final long FULL = -1;
    private static final long SHUT = -2;

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(ByteBuffer[].class);
    private static final VarHandle PARKED = SLOTS;

    private final int chunkBytes;
    private final int chunkShift;
    private final int chunkMask;
    private final int budget;
    private final int maxFrameLength;
    private final ByteBuffer[] slots;
    private final int slotMask;
    private final BufferProvider provider;
    /** provider.zeroed(): borrowed chunks need no zeroing, and chunks go back zeroed. */
    private final boolean zeroedProvider;
    private final long reclaimTimeoutNanos;
    private final LongSupplier nanoClock;
    /** Zeroed chunks kept for the next chunk of each slot: put by the consumer, taken by anyone (PARKED). */
    private final ByteBuffer[] parked;
    private final int maxBatch;
    /** How headers are read and written: {@link RecordHeaders#IN_BUFFER} but in tests. */
    private final RecordHeaders headers;

    // consumer only (rarely written)
    private ByteBuffer cChunk;
    private long cChunkNumber = -1;
    private boolean closed;
    /** The consumer's views, made at the first peek and dropped when a trim leaves no chunk. */
    private Views views;

    /** The consumer's reusable view state: the peek result, frame ends, and per-slot views. */
    private static final class Views {
        final Segments segments;
        final long[] ends;
        final ByteBuffer[][] bySlot;
        final ByteBuffer[] base;

        Views(int maxBatch, int slots) {
            this.segments = new Segments(new ByteBuffer[maxBatch]);
            this.ends = new long[maxBatch];
            this.bySlot = new ByteBuffer[slots][];
            this.base = new ByteBuffer[slots];
        }
    }

    /**
     * Creates a queue with a one-second reclaim timeout on {@link System#nanoTime()} and peeks of up to
     * {@value MpscFrameRing#DEFAULT_MAX_BATCH} frames (fewer if a chunk holds fewer).
     *
     * @param chunkBytes  the size of each chunk, a power of two in [32, 2^29]
     * @param budgetBytes the most bytes claimed at once, a multiple of 8 in [2 * chunkBytes, 2^30]
     * @param provider    lends the chunks (direct, 8-byte aligned buffers); thread-safe
     * @throws IllegalArgumentException if a value is outside its range
     */
    public MpscChunkedFrameQueue(int chunkBytes, int budgetBytes, BufferProvider provider) {
        this(chunkBytes, budgetBytes, Math.min(MpscFrameRing.DEFAULT_MAX_BATCH, chunkBytes / HEADER_LENGTH),
                MpscFrameRing.DEFAULT_RECLAIM_TIMEOUT_NANOS, System::nanoTime, provider);
    }

    /**
     * Creates a queue.
     *
     * @param chunkBytes          the size of each chunk, a power of two in [32, 2^29]
     * @param budgetBytes         the most bytes claimed at once, a multiple of 8 in [2 * chunkBytes, 2^30]
     * @param maxBatch            the most frames one {@link #peek(int)} returns, in [1, chunkBytes / 8]
     * @param reclaimTimeoutNanos how long an uncommitted frame may block the front before the consumer
     *                            reclaims it: 0 at first sight, {@link Long#MAX_VALUE} never (commit and abort
     *                            are then release stores, not CASes)
     * @param nanoClock           the consumer's clock, read only while an uncommitted frame blocks the front
     * @param provider            lends the chunks (direct, 8-byte aligned buffers); thread-safe
     * @throws IllegalArgumentException if a value is outside its range
     */
    public MpscChunkedFrameQueue(int chunkBytes, int budgetBytes, int maxBatch, long reclaimTimeoutNanos,
                                 LongSupplier nanoClock, BufferProvider provider) {
        this(chunkBytes, budgetBytes, maxBatch, reclaimTimeoutNanos, nanoClock, provider, RecordHeaders.IN_BUFFER);
    }

    /** With {@code headers} other than {@link RecordHeaders#IN_BUFFER}: tests (Lincheck), see RecordHeaders. */
    MpscChunkedFrameQueue(int chunkBytes, int budgetBytes, int maxBatch, long reclaimTimeoutNanos,
                          LongSupplier nanoClock, BufferProvider provider, RecordHeaders headers) {
        if (chunkBytes < MIN_CHUNK_BYTES || chunkBytes > Rings.MAX_CAPACITY / 2 || Integer.bitCount(chunkBytes) != 1) {
            throw new IllegalArgumentException("chunkBytes must be a power of two in [" + MIN_CHUNK_BYTES + ", "
                    + Rings.MAX_CAPACITY / 2 + "], was " + chunkBytes);
        }
        this.chunkBytes = chunkBytes;
        // at least two chunks: a trim retires up to chunkBytes - 8 of position space, which counts against
        // the budget until head catches up, and a largest record must still fit beside it (no FULL on an
        // empty queue, however a trim interleaves)
        if (budgetBytes < 2 * chunkBytes || budgetBytes > Rings.MAX_CAPACITY || (budgetBytes & 7) != 0) {
            throw new IllegalArgumentException("budgetBytes must be a multiple of 8 in [2 * chunkBytes = "
                    + 2 * chunkBytes + ", " + Rings.MAX_CAPACITY + "], was " + budgetBytes);
        }
        if (maxBatch < 1 || maxBatch > chunkBytes / HEADER_LENGTH) {
            throw new IllegalArgumentException("maxBatch must be in [1, " + chunkBytes / HEADER_LENGTH + "], was "
                    + maxBatch);
        }
        if (reclaimTimeoutNanos < 0) {
            throw new IllegalArgumentException("reclaimTimeoutNanos must be >= 0, was " + reclaimTimeoutNanos);
        }
        this.provider = Objects.requireNonNull(provider, "provider");
        this.zeroedProvider = provider.zeroed();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.reclaimTimeoutNanos = reclaimTimeoutNanos;
        this.chunkShift = Integer.numberOfTrailingZeros(chunkBytes);
        this.chunkMask = chunkBytes - 1;
        this.budget = budgetBytes;
        // a frame fits one chunk; with budget >= 2 * chunk, its record and any gap (or retired rest of a
        // chunk) before it fit the budget of an empty queue
        this.maxFrameLength = chunkBytes - HEADER_LENGTH;
        int span = ((budgetBytes - 1) >>> chunkShift) + 2;     // ceil(budget / chunk) + 1 chunks at most
        this.slots = new ByteBuffer[Integer.highestOneBit(span - 1) << 1];
        this.parked = new ByteBuffer[slots.length];
        this.slotMask = slots.length - 1;
        this.maxBatch = maxBatch;
        this.headers = Objects.requireNonNull(headers, "headers");
    }

    /** {@return the size of each chunk in bytes; any thread} */
    public int chunkBytes() {
        return chunkBytes;
    }

    /** {@return the byte budget (see the class comment); any thread} */
    public int budgetBytes() {
        return budget;
    }

    /**
     * The largest payload: {@code chunkBytes - 8}, a chunk less its record header (a frame never straddles
     * two chunks). Since the budget is at least two chunks, such a frame always fits an empty queue,
     * whatever the gap before it. Any thread.
     *
     * @return the largest length {@link #tryClaim(int, Claim)} accepts
     */
    public int maxFrameLength() {
        return maxFrameLength;
    }

    // ------------------------------------------------------------------ chunks

    private int slotOf(long position) {
        return (int) (position >>> chunkShift) & slotMask;
    }

    /** Zeroes the first {@code n} bytes of {@code chunk} (a multiple of 8). */
    private void zero(ByteBuffer chunk, int n) {
        headers.zero(chunk, 0, n);
    }

    // ------------------------------------------------------------------ producers

    private void checkLength(long length) {
        if (length <= 0 || length > maxFrameLength) {
            throw new IllegalArgumentException("frame length " + length + " outside [1, " + maxFrameLength
                    + "] (chunk " + chunkBytes + ", budget " + budget + ")");
        }
    }

    /** A clean chunk for slot s: the one parked there, or a zeroed one from the provider (which may throw). */
    private ByteBuffer borrow(int s) {
        ByteBuffer c = (ByteBuffer) PARKED.getAndSet(parked, s, (ByteBuffer) null);
        if (c != null) {
            return c;
        }
        c = provider.acquire(chunkBytes);
        if (c == null || c.capacity() < chunkBytes || c.isReadOnly() || !headers.accepts(c)) {
            if (c != null) {
                giveBack(c);
            }
            throw new IllegalStateException("the provider returned " + c + " for a chunk of " + chunkBytes
                    + " bytes: chunks must be writable, direct, 8-byte aligned buffers of at least that capacity");
        }
        c.clear();
        c.order(ByteOrder.BIG_ENDIAN);
        if (!zeroedProvider) {
            zero(c, chunkBytes);
        }
        return c;
    }

    /** Hands a chunk to the provider; a provider that throws loses the buffer to the GC, nothing else. */
    private void giveBack(ByteBuffer c) {
        try {
            provider.release(c);
        } catch (RuntimeException | OutOfMemoryError e) {
            // the buffer was not taken: drop it (the queue must not fail after a claim for this)
        }
    }

    /**
     * Claims a record of {@code length} payload bytes; returns the position of its header, FULL or SHUT.
     * Borrows (before the CAS) a chunk for each slot the record's headers go into that is still empty;
     * between the CAS and the header stores there is no call out (unused chunks go back after them).
     */
    private long claim(int length) {
        int rec = recordLength(length);
        ByteBuffer a = null;
        ByteBuffer b = null;
        try {
            while (true) {
                long t = (long) TAIL.getVolatile(this);
                if ((t & CLOSED) != 0) {
                    return SHUT;
                }
                int toEnd = chunkBytes - (int) (t & chunkMask);
                int pad = rec <= toEnd ? 0 : toEnd;
                long start = t + pad;
                long end = start + rec;
                long h = (long) HEAD_CACHE.getAcquire(this);
                if (end - h > budget) {
                    h = (long) HEAD.getAcquire(this);
                    HEAD_CACHE.setRelease(this, h);
                    if (end - h > budget) {
                        return FULL;
                    }
                }
                // every slot touched holds null or the chunk wanted (see the slot invariant)
                int need = (pad > 0 && SLOTS.getAcquire(slots, slotOf(t)) == null ? 1 : 0)
                        + (SLOTS.getAcquire(slots, slotOf(start)) == null ? 1 : 0);
                if (need > 0 && a == null) {
                    a = borrow(need > 1 ? slotOf(t) : slotOf(start));
                }
                if (need > 1 && b == null) {
                    b = borrow(slotOf(start));
                }
                if (TAIL.compareAndSet(this, t, end)) {
                    ByteBuffer padChunk = null;
                    if (pad > 0) {
                        int s = slotOf(t);
                        padChunk = (ByteBuffer) SLOTS.getAcquire(slots, s);
                        if (padChunk == null) {
                            padChunk = (ByteBuffer) SLOTS.compareAndExchange(slots, s, (ByteBuffer) null, a);
                            if (padChunk == null) {
                                padChunk = a;
                                a = b;
                                b = null;
                            }
                        }
                    }
                    int s = slotOf(start);
                    ByteBuffer chunk = (ByteBuffer) SLOTS.getAcquire(slots, s);
                    if (chunk == null) {
                        chunk = (ByteBuffer) SLOTS.compareAndExchange(slots, s, (ByteBuffer) null, a);
                        if (chunk == null) {
                            chunk = a;
                            a = null;
                        }
                    }
                    // chunks borrowed but not used (another producer installed first) go back in the
                    // finally below, after the headers: no foreign code between the claim and the headers
                    if (padChunk != null) {
                        headers.setRelease(padChunk, (int) (t & chunkMask), pack(pad - HEADER_LENGTH, PADDING));
                    }
                    headers.setRelease(chunk, (int) (start & chunkMask), pack(length, CLAIMED));
                    return start;
                }
            }
        } finally {
            if (a != null) {
                giveBack(a);
            }
            if (b != null) {
                giveBack(b);
            }
        }
    }

    /** The live chunk holding {@code position}, which the caller has claimed. */
    private ByteBuffer chunkOf(long position) {
        return (ByteBuffer) SLOTS.getAcquire(slots, slotOf(position));
    }

    /** {@return a new, unbound claim object for {@link #tryClaim(int, Claim)}; any thread (allocates)} */
    public Claim newClaim() {
        return new Claim(this);
    }

    /**
     * Claims a frame of {@code length} payload bytes into {@code claim}, without allocating; any producer.
     * On success write the payload into {@link Claim#buffer()} at {@link Claim#offset()} (absolute puts),
     * then commit or abort.
     *
     * @param length the payload length, in [1, {@link #maxFrameLength()}]
     * @param claim  a claim of this queue ({@link #newClaim()}) not holding an open frame
     * @return {@link #CLAIM_OK}, {@link #OFFER_FULL} or {@link #OFFER_CLOSED}
     * @throws IllegalArgumentException if length is out of range or the claim belongs to another queue
     * @throws IllegalStateException if the claim holds an open frame, or the provider returned an unusable
     *                               buffer (nothing is claimed then); whatever the provider's
     *                               {@code acquire} throws propagates, with nothing claimed
     */
    public int tryClaim(int length, Claim claim) {
        Objects.requireNonNull(claim, "claim");
        checkLength(length);
        if (claim.queue != this) {
            throw new IllegalArgumentException("claim belongs to another queue");
        }
        if (claim.open) {
            throw new IllegalStateException("claim still holds an open frame at position " + claim.position);
        }
        long p = claim(length);
        if (p < 0) {
            return p == FULL ? OFFER_FULL : OFFER_CLOSED;
        }
        claim.position = p;
        claim.chunk = chunkOf(p);
        claim.index = (int) (p & chunkMask);
        claim.length = length;
        claim.open = true;
        return CLAIM_OK;
    }

    /**
     * Copies {@code src}'s remaining bytes into one frame and commits it; any producer. Allocates nothing.
     *
     * @param src the payload, 1 to {@link #maxFrameLength()} bytes; its position advances if it was written
     * @return true if committed; false if the queue was full or closed, or (after this thread stalled for
     *         the reclaim timeout) the consumer reclaimed the frame
     * @throws IllegalArgumentException if the length is out of range
     */
    public boolean offer(ByteBuffer src) {
        return tryOffer(src) == OFFER_COMMITTED;
    }

    /**
     * {@link #offer(ByteBuffer)}, telling why a frame was not committed; any producer. Allocates nothing.
     *
     * @param src the payload, 1 to {@link #maxFrameLength()} bytes; its position advances if it was written
     * @return {@link #OFFER_COMMITTED}, {@link #OFFER_FULL} (over budget, nothing written),
     *         {@link #OFFER_RECLAIMED} (the consumer reclaimed it after this thread stalled; dropped) or
     *         {@link #OFFER_CLOSED} (nothing written)
     * @throws IllegalArgumentException if the length is out of range
     * @throws IllegalStateException if the provider returned an unusable buffer (nothing written); whatever
     *                               the provider's {@code acquire} throws propagates, nothing written
     */
    public int tryOffer(ByteBuffer src) {
        Objects.requireNonNull(src, "src");
        int length = src.remaining();
        checkLength(length);
        long pos = claim(length);
        if (pos < 0) {
            return pos == FULL ? OFFER_FULL : OFFER_CLOSED;
        }
        ByteBuffer chunk = chunkOf(pos);
        int index = (int) (pos & chunkMask);
        int p = src.position();
        try {
            chunk.put(index + HEADER_LENGTH, src, p, length);
        } catch (Throwable e) {
            abort(chunk, index, length);        // src changed under us (or a mapped file shrank): never leave a claim open
            throw e;
        }
        src.position(p + length);
        return commit(chunk, index, length) ? OFFER_COMMITTED : OFFER_RECLAIMED;
    }

    /**
     * Gathering {@link #tryOffer(ByteBuffer)}: the remaining bytes of {@code srcs[0..count)}, in order, become
     * one frame; any producer. Allocates nothing.
     *
     * @param srcs  the parts; each one's position advances if the frame was written
     * @param count how many of {@code srcs} to take, from index 0
     * @return as {@link #tryOffer(ByteBuffer)}
     * @throws IllegalArgumentException if the total length is outside [1, {@link #maxFrameLength()}]
     * @throws IndexOutOfBoundsException if count is negative or above {@code srcs.length}
     */
    public int tryOffer(ByteBuffer[] srcs, int count) {
        long total = Rings.remaining(srcs, count);
        checkLength(total);
        int length = (int) total;
        long pos = claim(length);
        if (pos < 0) {
            return pos == FULL ? OFFER_FULL : OFFER_CLOSED;
        }
        ByteBuffer chunk = chunkOf(pos);
        int index = (int) (pos & chunkMask);
        int at = index + HEADER_LENGTH;
        int end = at + length;
        try {
            for (int i = 0; i < count; i++) {
                ByteBuffer src = srcs[i];
                int p = src.position();
                int n = Math.min(src.remaining(), end - at);   // a part that grew meanwhile stays in its frame
                chunk.put(at, src, p, n);
                src.position(p + n);
                at += n;
            }
        } catch (Throwable e) {
            abort(chunk, index, length);
            throw e;
        }
        return commit(chunk, index, length) ? OFFER_COMMITTED : OFFER_RECLAIMED;
    }

    /**
     * Copies {@code src[off, off + len)} into one frame and commits it; any producer. Allocates nothing.
     *
     * @param src the array
     * @param off the first byte
     * @param len the payload length, in [1, {@link #maxFrameLength()}]
     * @return true if committed (false: full, closed or reclaimed, as {@link #offer(ByteBuffer)})
     * @throws IllegalArgumentException if len is out of range
     * @throws IndexOutOfBoundsException if the range is outside the array
     */
    public boolean offer(byte[] src, int off, int len) {
        Rings.checkRange(src, "src", off, len);
        checkLength(len);
        long pos = claim(len);
        if (pos < 0) {
            return false;
        }
        ByteBuffer chunk = chunkOf(pos);
        int index = (int) (pos & chunkMask);
        chunk.put(index + HEADER_LENGTH, src, off, len);    // range checked above: cannot throw
        return commit(chunk, index, len);
    }

    private boolean commit(ByteBuffer chunk, int index, int length) {
        return headers.finish(chunk, index, length, COMMITTED, reclaimTimeoutNanos == Long.MAX_VALUE);
    }

    private boolean abort(ByteBuffer chunk, int index, int length) {
        return headers.finish(chunk, index, length, ABORTED, reclaimTimeoutNanos == Long.MAX_VALUE);
    }

    // ------------------------------------------------------------------ consumer

    /** The live chunk holding {@code position}, or null if none is installed yet; consumer. */
    private ByteBuffer consumerChunk(long position) {
        long k = position >>> chunkShift;
        if (k == cChunkNumber) {
            return cChunk;
        }
        ByteBuffer c = (ByteBuffer) SLOTS.getAcquire(slots, (int) k & slotMask);
        if (c != null) {
            cChunk = c;
            cChunkNumber = k;
        }
        return c;
    }

    /** The view for frame {@code i} over {@code chunk} (in slot {@code slot}), made the first time needed. */
    private ByteBuffer view(Views vw, ByteBuffer chunk, int slot, int i) {
        ByteBuffer[] set = vw.bySlot[slot];
        if (vw.base[slot] != chunk) {
            if (set == null) {
                set = new ByteBuffer[maxBatch];
                vw.bySlot[slot] = set;
            } else {
                java.util.Arrays.fill(set, null);
            }
            vw.base[slot] = chunk;
        }
        ByteBuffer v = set[i];
        if (v == null) {
            v = chunk.duplicate();
            set[i] = v;
        }
        return v;
    }

    /**
     * Returns up to {@code maxFrames} committed frames, in order, as payload views, without copying;
     * consumer. Skips padding and aborted records; stops at the first claimed frame (reclaiming it first if
     * it has blocked the front for the timeout). The views are valid until the next {@code peek},
     * {@code discard}, {@code trim} or {@code close}. Allocates only when a slot meets a new chunk buffer
     * (its views), and at the first peek after a trim that left no chunk; under steady load each slot keeps
     * its parked chunk, so nothing.
     *
     * @param maxFrames the most frames wanted, in [1, maxBatch]
     * @return the consumer's reused view; {@link Segments#count()} frames, each buffer one payload
     * @throws IllegalArgumentException if maxFrames is out of range
     */
    public Segments peek(int maxFrames) {
        if (maxFrames < 1 || maxFrames > maxBatch) {
            throw new IllegalArgumentException("maxFrames must be in [1, " + maxBatch + "], was " + maxFrames);
        }
        Views vw = views;
        if (vw == null) {
            vw = new Views(maxBatch, slots.length);
            views = vw;
        }
        Segments s = vw.segments;
        long[] ends = vw.ends;
        if (closed) {
            s.count = 0;
            s.remaining = 0;
            return s;                           // a closed queue delivers nothing more
        }
        long h = head;
        long pos = scan;
        long front = pos;
        int count = 0;
        int bytes = 0;
        while (count < maxFrames && pos - h < budget) {
            ByteBuffer chunk = consumerChunk(pos);
            if (chunk == null) {
                break;                          // its first claimer has not installed it yet
            }
            int index = (int) (pos & chunkMask);
            long word = headers.getAcquire(chunk, index);
            int state = (int) word;
            int length = (int) (word >>> 32);
            if (state == COMMITTED) {
                ByteBuffer v = view(vw, chunk, (int) (pos >>> chunkShift) & slotMask, count);
                Rings.setView(v, index + HEADER_LENGTH, length);
                s.buffers[count] = v;
                pos += recordLength(length);
                ends[count++] = pos;
                bytes += length;
            } else if (state == PADDING || state == ABORTED || state == RECLAIMED || state == FREED) {
                pos += recordLength(length);
                if (count == 0) {
                    front = pos;
                }
            } else if (state == CLAIMED && count == 0 && reclaimDue(pos, reclaimTimeoutNanos, nanoClock)) {
                if (headers.compareAndSet(chunk, index, word, pack(length, RECLAIMED))) {
                    holes++;
                    reclaimed++;
                    pos += recordLength(length);
                    front = pos;
                }
            } else {
                break;                          // EMPTY (not written yet) or CLAIMED
            }
        }
        s.count = count;
        s.remaining = bytes;
        peeked = count;
        if (front != scan) {
            scan = front;
            release(true);
        } else if (holes > 0) {
            release(true);
        }
        return s;
    }

    /**
     * Frees the first {@code frames} frames of the last {@link #peek(int)} (and any skipped record in
     * between); consumer. A chunk consumed to its end is zeroed and parked in its slot.
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
        scan = views.ends[frames - 1];
        peeked = 0;
        views.segments.count = 0;
        release(true);
    }

    /** Frees every frame of the last {@link #peek(int)}; consumer. */
    public void discard() {
        discard(peeked);
    }

    /**
     * Copies committed frames, in order, into {@code dst} and frees them, while each fits whole; consumer.
     * No view is made, so nothing is allocated (a server that copies frames into a connection's outbound
     * ring wants this rather than {@link #peek(int)}). Ends any open peek (its views become invalid).
     * Skips padding and aborted records and reclaims a stalled frame at the front, as {@code peek} does.
     * A frame longer than {@code dst}'s capacity can never move: size {@code dst} for
     * {@link #maxFrameLength()}. A closed queue moves nothing.
     *
     * @param dst       the ring to append the payloads to (its owner thread must be this consumer)
     * @param maxFrames the most frames to move; positive
     * @return how many frames were moved; fewer than available when {@code dst} had no room for the next
     * @throws IllegalArgumentException if maxFrames is not positive
     * @throws NullPointerException if dst is null
     */
    public int drainTo(ByteRing dst, int maxFrames) {
        Objects.requireNonNull(dst, "dst");
        if (maxFrames < 1) {
            throw new IllegalArgumentException("maxFrames must be positive, was " + maxFrames);
        }
        if (closed) {
            return 0;
        }
        if (peeked > 0) {
            peeked = 0;
            views.segments.count = 0;
        }
        long h = head;
        long pos = scan;
        long start = pos;
        int moved = 0;
        try {
            moved = drainLoop(dst, maxFrames, h, pos);
        } finally {
            if (scan != start || holes > 0) {
                release(true);                  // even when dst or the clock threw part way
            }
        }
        return moved;
    }

    private int drainLoop(ByteRing dst, int maxFrames, long h, long pos) {
        int moved = 0;
        while (moved < maxFrames && pos - h < budget) {
            ByteBuffer chunk = consumerChunk(pos);
            if (chunk == null) {
                break;
            }
            int index = (int) (pos & chunkMask);
            long word = headers.getAcquire(chunk, index);
            int state = (int) word;
            int length = (int) (word >>> 32);
            if (state == COMMITTED) {
                if (dst.writable() < length) {
                    break;
                }
                dst.writeFrom(chunk, index + HEADER_LENGTH, length);
                moved++;
            } else if (state == CLAIMED && reclaimDue(pos, reclaimTimeoutNanos, nanoClock)) {
                if (!headers.compareAndSet(chunk, index, word, pack(length, RECLAIMED))) {
                    continue;                   // committed or aborted meanwhile: read it again
                }
                holes++;
                reclaimed++;
            } else if (state != PADDING && state != ABORTED && state != RECLAIMED && state != FREED) {
                break;                          // EMPTY (not written yet) or CLAIMED
            }
            pos += recordLength(length);
            scan = pos;                         // consumed: a failing dst cannot deliver it twice
        }
        return moved;
    }

    /**
     * Moves head to scan (or to the first reclaimed record whose producer is not back) and releases every
     * chunk wholly before the new head: slot nulled, then parked (zeroed) or given back.
     */
    private void release(boolean park) {
        long h = head;
        long target = releaseTarget();
        if (target == h) {
            return;
        }
        for (long k = h >>> chunkShift, last = target >>> chunkShift; k < last; k++) {
            releaseChunk(k, park, chunkBytes);
        }
        HEAD.setRelease(this, target);
    }

    /** Records in [head, scan) are in installed chunks: their chunks are released only once head passes them. */
    @Override
    long headerAt(long position) {
        return headers.getAcquire(consumerChunk(position), (int) (position & chunkMask));
    }

    /**
     * Empties chunk k's slot and parks or gives back its buffer; consumer, before head passes chunk k.
     * {@code used}: the bytes of the chunk that records were claimed in (all of it, unless a trim or close
     * retired it part way), which are zeroed before it is parked or handed to a zeroed provider.
     */
    private void releaseChunk(long k, boolean park, int used) {
        int s = (int) k & slotMask;
        ByteBuffer c = (ByteBuffer) SLOTS.getAcquire(slots, s);
        if (c == null) {
            return;                             // never installed (only a chunk retired before any claim)
        }
        SLOTS.setRelease(slots, s, (ByteBuffer) null);
        if (cChunkNumber == k) {
            cChunk = null;
            cChunkNumber = -1;
        }
        if (park && (ByteBuffer) PARKED.getAcquire(parked, s) == null) {
            zero(c, used);
            if (PARKED.compareAndSet(parked, s, (ByteBuffer) null, c)) {
                return;
            }
        } else if (zeroedProvider) {
            zero(c, used);
        }
        giveBack(c);
    }

    /**
     * Gives the parked chunks back to the provider and, if nothing is pending (no committed, claimed or
     * reclaimed frame, nothing peeked and not discarded), the chunk that holds the tail too, and drops the
     * peek views. Consumer; call it periodically or when the queue goes idle. Racing producers are safe: a
     * parked chunk goes to whichever of the two takes it, and the tail's chunk is retired by a CAS of the
     * tail, which a producer's claim CAS either beats (then it stays and this returns false) or follows (its
     * claim then starts a fresh chunk).
     *
     * @return true if the queue now holds no chunk (a producer may install one right after)
     */
    public boolean trim() {
        if (closed) {
            return close();
        }
        long t = (long) TAIL.getVolatile(this);
        if ((t & CLOSED) == 0 && peeked == 0 && t != scan) {
            skipDone(t);                        // aborted or padding records nobody walked past yet (may park)
        }
        giveBackParked();                       // after the walk, which may have parked the chunks it passed
        if ((t & CLOSED) != 0 || peeked > 0 || t != scan || scan != head) {
            return false;
        }
        if ((t & chunkMask) != 0) {
            long boundary = (t | chunkMask) + 1;
            if (!TAIL.compareAndSet(this, t, boundary)) {
                return false;                   // a producer claimed: not idle
            }
            scan = boundary;
            releaseChunk(t >>> chunkShift, false, (int) (t & chunkMask));
            HEAD.setRelease(this, boundary);
        }
        views = null;
        return true;
    }

    /** Moves scan over aborted and padding records up to {@code t} (no frame is consumed); consumer. */
    private void skipDone(long t) {
        long pos = walkDone(t, false);
        if (pos != scan) {
            scan = pos;
            release(true);
        }
    }

    /**
     * The position after the records from scan (up to {@code t}) that are done: aborted and padding ones,
     * and committed ones too if {@code committed}; it stops at a record a producer is still inside (EMPTY
     * or CLAIMED) or at a chunk not installed yet. Consumer; moves nothing.
     */
    private long walkDone(long t, boolean committed) {
        long pos = scan;
        while (pos < t) {
            ByteBuffer chunk = consumerChunk(pos);
            if (chunk == null) {
                break;
            }
            long word = headers.getAcquire(chunk, (int) (pos & chunkMask));
            int state = (int) word;
            if (state != ABORTED && state != PADDING && !(committed && state == COMMITTED)) {
                break;
            }
            pos += recordLength((int) (word >>> 32));
        }
        return pos;
    }

    private void giveBackParked() {
        for (int i = 0; i < parked.length; i++) {
            if (PARKED.getAcquire(parked, i) != null) {
                ByteBuffer c = (ByteBuffer) PARKED.getAndSet(parked, i, (ByteBuffer) null);
                if (c != null) {
                    giveBack(c);
                }
            }
        }
    }

    /**
     * Closes the queue: claims fail from now on ({@link #OFFER_CLOSED}), committed frames not yet consumed
     * are dropped, and every chunk goes back to the provider as soon as no producer is inside a claim.
     * Consumer; idempotent. A producer that claimed before the close and has not committed or aborted yet
     * keeps its chunk (call {@code close} again later); one that never comes back keeps it for good.
     *
     * @return true if every chunk this queue installed or parked is back with the provider (a chunk a
     *         producer borrowed and has not used yet goes back from that producer)
     */
    public boolean close() {
        long t;
        while (true) {
            t = (long) TAIL.getVolatile(this);
            if ((t & CLOSED) != 0 || TAIL.compareAndSet(this, t, t | CLOSED)) {
                t &= ~CLOSED;
                break;
            }
        }
        closed = true;
        peeked = 0;
        if (views != null) {
            views.segments.count = 0;
        }
        long pos = walkDone(t, true);           // dropping committed frames too
        scan = pos;
        release(false);
        if (head != t) {
            return false;
        }
        if ((t & chunkMask) != 0) {
            releaseChunk(t >>> chunkShift, false, (int) (t & chunkMask));
        }
        giveBackParked();
        views = null;
        return true;
    }

    /**
     * Reclaimed frames whose producer has not come back yet (their chunk stays installed); consumer.
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
     * The chunks this queue holds: installed ones plus parked ones. Any thread; a snapshot.
     *
     * @return the number of chunk buffers borrowed from the provider and not given back
     */
    public int chunks() {
        int n = 0;
        for (int i = 0; i < slots.length; i++) {
            if (SLOTS.getAcquire(slots, i) != null) {
                n++;
            }
            if (PARKED.getAcquire(parked, i) != null) {
                n++;
            }
        }
        return n;
    }

    /**
     * Whether nothing is claimed beyond what the consumer has consumed. Any thread; exact from the consumer
     * when producers are quiet, otherwise a snapshot.
     *
     * @return true if no record is claimed past the consumer's position
     */
    public boolean isEmpty() {
        return ((long) TAIL.getVolatile(this) & ~CLOSED) == scan;
    }

    /** {@return whether {@link #close()} was called; any thread (a snapshot)} */
    public boolean isClosed() {
        return ((long) TAIL.getVolatile(this) & CLOSED) != 0;
    }

    @Override
    public String toString() {
        return "MpscChunkedFrameQueue[chunk=" + chunkBytes + ", budget=" + budget + ", holes=" + holes + "]";
    }

    /**
     * A producer's handle on one claimed frame, reusable for the next claim once committed or aborted.
     * Used by one thread at a time; allocation-free after {@link #newClaim()}. Write the payload with the
     * {@code put} methods (offsets from the payload's first byte, checked against the claimed length),
     * then commit; abort in a {@code finally} if the writing can fail: with reclaim off, a claim left open
     * blocks delivery for good.
     */
    public static final class Claim {
        final MpscChunkedFrameQueue queue;
        ByteBuffer chunk;
        long position;
        int index;
        int length;
        boolean open;

        Claim(MpscChunkedFrameQueue queue) {
            this.queue = queue;
        }

        /**
         * The chunk the frame lives in, for writers that need a {@code ByteBuffer} (prefer the {@code put}
         * methods). <b>Shared with the other producers and the consumer</b>: write the payload with absolute
         * puts into {@code [offset(), offset() + length())} only, and never change its position, limit,
         * mark or byte order (big-endian): the others' absolute puts check against its limit. Valid until
         * commit or abort.
         *
         * @return the chunk buffer
         * @throws IllegalStateException if no frame is open
         */
        public ByteBuffer buffer() {
            checkOpen();
            return chunk;
        }

        /** {@return the index of the payload's first byte in {@link #buffer()}; the claiming thread} */
        public int offset() {
            return index + HEADER_LENGTH;
        }

        private int at(int at, int n) {
            checkOpen();
            Objects.checkFromIndexSize(at, n, length);
            return index + HEADER_LENGTH + at;
        }

        /**
         * Copies {@code src}'s remaining bytes into the payload from offset {@code at}; src's position
         * advances. The claiming thread.
         *
         * @param at  the offset in the payload
         * @param src the bytes
         * @return this claim
         * @throws IndexOutOfBoundsException if they do not fit inside the claimed length
         * @throws IllegalStateException if no frame is open
         */
        public Claim put(int at, ByteBuffer src) {
            Objects.requireNonNull(src, "src");
            int n = src.remaining();
            int i = at(at, n);
            chunk.put(i, src, src.position(), n);
            src.position(src.position() + n);
            return this;
        }

        /**
         * Copies {@code src[off, off + len)} into the payload from offset {@code at}; the claiming thread.
         *
         * @param at  the offset in the payload
         * @param src the array
         * @param off its first byte
         * @param len how many
         * @return this claim
         * @throws IndexOutOfBoundsException if a range is out of bounds
         * @throws IllegalStateException if no frame is open
         */
        public Claim put(int at, byte[] src, int off, int len) {
            Objects.requireNonNull(src, "src");
            Objects.checkFromIndexSize(off, len, src.length);
            chunk.put(at(at, len), src, off, len);
            return this;
        }

        /**
         * Writes a big-endian int at payload offset {@code at}; the claiming thread.
         *
         * @param at the offset in the payload
         * @param v  the value
         * @return this claim
         * @throws IndexOutOfBoundsException if it does not fit inside the claimed length
         * @throws IllegalStateException if no frame is open
         */
        public Claim putInt(int at, int v) {
            chunk.putInt(at(at, 4), v);
            return this;
        }

        /**
         * Writes a big-endian long at payload offset {@code at}; the claiming thread.
         *
         * @param at the offset in the payload
         * @param v  the value
         * @return this claim
         * @throws IndexOutOfBoundsException if it does not fit inside the claimed length
         * @throws IllegalStateException if no frame is open
         */
        public Claim putLong(int at, long v) {
            chunk.putLong(at(at, 8), v);
            return this;
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
         * Publishes the frame to the consumer; the claiming thread. Returns false if the consumer reclaimed
         * it (this thread stalled past the reclaim timeout): the frame is dropped. Either way the claim is
         * closed.
         *
         * @return true if committed, false if it had been reclaimed
         * @throws IllegalStateException if no frame is open
         */
        public boolean commit() {
            checkOpen();
            open = false;
            ByteBuffer c = chunk;
            chunk = null;                       // keep no chunk reachable once done with it
            return queue.commit(c, index, length);
        }

        /**
         * Drops the frame: the consumer skips it; the claiming thread.
         *
         * @return true if aborted, false if the consumer had reclaimed it already (same effect)
         * @throws IllegalStateException if no frame is open
         */
        public boolean abort() {
            checkOpen();
            open = false;
            ByteBuffer c = chunk;
            chunk = null;
            return queue.abort(c, index, length);
        }

        private void checkOpen() {
            if (!open) {
                throw new IllegalStateException("no open frame: claim, then commit or abort once");
            }
        }
    }
}
