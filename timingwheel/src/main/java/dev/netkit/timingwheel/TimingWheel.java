package dev.netkit.timingwheel;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A hierarchical timing wheel (Varghese and Lauck, scheme 7) owned by one thread: O(1)
 * {@link #schedule schedule}, {@link #cancel cancel} and {@link #touch touch}, a {@link #poll poll} that
 * expires what is due and can stop after a limit and resume, and {@link #nextDeadline()} /
 * {@link #nextDelayNanos(long)} to use as a {@code Selector.select} timeout.
 *
 * <p><b>Thread safety.</b> None: every method must be called by one owner thread at a time (typically an
 * event loop), or under the caller's own mutual exclusion. {@link WheelTimer} is the thread-safe service
 * (its wheel follows this class's design, with its timeouts as the nodes).
 *
 * <p><b>Time.</b> Time always comes from the caller, in nanoseconds on the {@link System#nanoTime()}
 * scale (any origin, any sign). The wheel counts ticks of {@code tickNanos} from the {@code startNanos}
 * given to the constructor; a deadline's tick is the first tick boundary at or after it, and the timer
 * expires at the first {@code poll(now)} with {@code now} at or past that boundary. So a timer never
 * expires before its deadline. The boundary is less than one tick after the deadline, so when polls come
 * at least once a tick a timer expires less than two ticks after its deadline: at most
 * {@code 2 * tickNanos - 2} ns, reached by a deadline 1 ns after a boundary with polls 1 ns before each
 * boundary. A poll at the boundary itself (at {@link #nextDeadline()}, say) expires it less than one tick
 * after its deadline.
 * All arithmetic is on differences, so deadlines survive the sign wrap of {@code nanoTime}; times passed in
 * must be within 2<sup>62</sup> ns (146 years) of the wheel's time, and {@code now} must not go backwards
 * (a smaller {@code now} advances nothing).
 *
 * <p><b>Deadlines.</b> A deadline not after the latest {@code now} given to {@code poll} (the past)
 * expires at the next {@code poll}, whatever its {@code now} (within that poll's limit), in its place in
 * deadline-tick order (see {@link #poll}). A deadline more than 2<sup>62</sup> ns ahead of the wheel's
 * time, {@code Long.MAX_VALUE} when the wheel's time is near zero for instance, is clamped to 2<sup>62</sup>
 * ns ahead. Note that on the wrap-safe scale a deadline is only "after" the wheel's time if
 * {@code deadline - time} is positive: {@code Long.MAX_VALUE} is in the past when the wheel's time is
 * negative. To keep a timer forever, do not schedule it.
 *
 * <p><b>Handles.</b> {@code schedule} returns a {@code long} handle: a 24-bit slot index and a 16-bit
 * generation. A handle stays valid until its timer expires or is cancelled; after that, {@code cancel},
 * {@code touch} and {@code isPending} reject it (false) and never affect the timer that reuses its slot,
 * until the slot has been reused 65,536 times (the generation wraps), which the free list makes unlikely
 * but does not exclude for a handle kept that long.
 *
 * <p><b>Levels and horizon.</b> {@code levels} wheels of 2<sup>bitsPerLevel</sup> slots; level
 * {@code l} has slots one 2<sup>l * bitsPerLevel</sup> ticks wide. The default, 5 levels of 64 slots,
 * spans 2<sup>30</sup> ticks: 12.4 days at a 1 ms tick. Timers beyond the horizon wait in an overflow
 * list with their full deadline, and enter the wheel when the clock reaches their part of the
 * time line. Expiring a level-0 slot is O(1) (the slot's list moves whole to the due list); reaching a
 * higher-level slot moves each of its timers one or more levels down (the cascade, O(timers in slot),
 * each timer cascades at most {@code levels} times); empty slots cost nothing, because the wheel jumps
 * from one non-empty slot to the next with a 64-bit occupancy bitmap per level.
 *
 * <p><b>Memory.</b> Per timer: one {@code long} of links and generation, one {@code int} deadline tick
 * and one payload reference, in three parallel chunked arrays: 16 bytes with compressed references (20
 * without). Node storage is a small directory of chunks of up to 8,192 nodes. Only the last chunk grows:
 * by half, by at most 1,024 nodes, up to 8,192 (a copy of that chunk alone); then a new chunk begins.
 * So growth never copies the timers of full chunks, and a wheel grown from the default capacity (or
 * after a burst) carries at most 1,024 unused nodes (16 KiB) plus 48 bytes of array headers per chunk:
 * under 16.02 bytes per timer at a million. The capacity hint allocates exactly the nodes asked for
 * (full chunks and an exact last one). Nothing shrinks, and nothing else is allocated: schedule, cancel, touch and
 * poll allocate nothing once there is room. Timers beyond the horizon also take 12 bytes each in the
 * overflow arrays (an {@code int} and a {@code long}, grown by half). An {@code OutOfMemoryError} while
 * storage grows leaves the wheel as it was: the operation that needed the room throws it and changes
 * nothing. Up to 2<sup>24</sup> - 3 - levels * 2<sup>bitsPerLevel</sup> pending timers (about 16.7
 * million).
 *
 * @param <T> the payload type
 */
public final class TimingWheel<T> {
    /*
     * Implementation notes.
     *
     * Nodes. Node i has a link word link(i) (next index: bits 0-23, prev index: bits 24-47, generation:
     * bits 48-63), tick(i) and payloadAt(i). The first `sentinels` indices are list heads: 0 is the due list (timers
     * that expire at the next poll), 1 + (level << bits) + slot is a wheel slot. Every list is circular and
     * doubly linked through its sentinel, so unlinking needs no knowledge of which list a node is in.
     * A free node has prev == FREE and its next is the free-list link; a node in the overflow list has
     * prev == OVERFLOW and tick(i) = its position in the overflow arrays.
     *
     * Storage. Node i lives at offset i & CHUNK_MASK of chunk i >>> CHUNK_SHIFT in three parallel chunk
     * directories (linkChunks, tickChunks, payloadChunks). Every chunk holds CHUNK nodes except perhaps the
     * last: the constructor allocates full chunks and then exactly the rest; grow() grows a short last
     * chunk by half its length, at most CHUNK_STEP nodes, up to CHUNK (a copy of that chunk alone), and
     * after a full one appends a new chunk of CHUNK_STEP nodes, doubling the directories when they are full
     * (at most 2,048 chunks span the 24-bit index: 24 KiB of directories). So growth never copies a full
     * chunk's nodes and adds at most CHUNK_STEP unused nodes; a full chunk costs 48 header bytes, 0.006
     * bytes per node. The copies are bounded (under CHUNK nodes each) and total 3.5 per node of a full
     * chunk, against about 2 per node for a flat array grown by half. The price is on every node access:
     * a directory load and a second bounds check. Measured on 2 cores (bench/results/
     * timingwheel-chunked-ab-20261205T0231Z): touch 8.1 -> 11.2 ns, schedule + cancel 14.0 -> 15.6 ns in
     * the same A/B pair (other pairs: schedule + cancel unchanged within noise). schedule's common case (a
     * free node, a slot of the wheel) is written out inline, and cancel passes the link word it checked on
     * to detach and free, so that each reads node i's link word once. With cancel inline too, schedule +
     * cancel went 15.63, 15.86, 14.19 ns -> 14.40, 13.56 ns in alternated forks; cancel on the shared
     * helpers then measured 14.21 ns on the mean against the inline form's 13.80, overlapping
     * (bench/results/timingwheel-inline-ab-20261205T1904Z and its shared/). The sentinels (at most 321
     * of them) are all in chunk 0, so the list heads are read from linkChunks[0] directly. A flat array
     * grown by half (the layout before issue 16) left up to a third of its nodes unused: 21.2 bytes per
     * timer at a million grown from the default capacity.
     *
     * Ticks. `cur` is the last tick processed (a long, counted from `origin`). A timer's deadline tick d
     * sits at the level of the highest bitsPerLevel-digit where d and cur differ, in the slot named by d's
     * digit at that level; d <= cur means due. Invariant: at each level, occupied slots are strictly
     * above cur's digit at that level, and every timer at a level shares cur's digits above it. So the
     * next event is the lowest occupied slot above cur's digit at the lowest non-empty level; when cur
     * reaches it (its digits below that level are zero), its timers move down (or to the due list). If no
     * event lies at or before the poll's tick, cur jumps to that tick directly: no timer shares a prefix
     * boundary in between, so the invariant holds. Since a wheel timer has cur <= d < cur + 2^totalBits
     * (totalBits <= 30), tick(i) keeps only the low 32 bits of d and d = cur + (tick(i) - (int) cur).
     *
     * The past. lastNow is the latest poll's now (set as the poll starts, so its handler sees it) and
     * lastNowTick its tick; cur <= lastNowTick. A deadline not after lastNow must expire by the next poll:
     * one not after curNanos gets d = cur (the due list, behind the timers there); a later one keeps its
     * own tick, lowered to lastNowTick if it is in now's unfinished tick. So it keeps its place in
     * deadline-tick order, and every poll from lastNow on reaches it. (The future path after lastNow's
     * check, the one schedule and touch normally take, does not look at lastNowTick.)
     *
     * Overflow. Timers whose d differs from cur above the top level live in dense arrays (bagNodes,
     * bagTicks: swap-remove on cancel). bagMinTick is a lower bound of their deadlines (exact after each
     * scan, lowered by inserts, left as is by removals); the overflow event is the first tick of
     * bagMinTick's top-level span. At that event every overflow timer now within the wheel's span moves in.
     *
     * Failure atomicity. Growth is the only allocation: grow() (from allocate(), before the new node is
     * used; up to six arrays: three directories, three chunks) and reserveOverflow() (called by schedule
     * and touch before they move anything; place() itself never allocates: a cascade or an overflow scan
     * never places into the overflow) each allocate every new array before publishing any. So an
     * OutOfMemoryError, like the full wheel's IllegalStateException, leaves the wheel as it was (at most
     * with larger directories or overflow arrays).
     *
     * Single-threaded: no field is volatile and nothing is published; the owner's program order is all.
     */

    /**
     * Receives expired timers from {@link #poll}. The timer is already removed when the handler runs: its
     * handle is stale, and the handler may schedule, cancel or touch any timer, including scheduling the
     * same payload again.
     *
     * @param <T> the payload type
     */
    @FunctionalInterface
    public interface ExpiryHandler<T> {
        /**
         * Called by {@link #poll} on the owner thread for each expired timer.
         *
         * @param handle  the handle the timer had (already stale)
         * @param payload the payload given to {@link #schedule}
         */
        void onExpiry(long handle, T payload);
    }

    /** The largest {@code bitsPerLevel}: 64 slots per level, one occupancy bit each in a {@code long}. */
    public static final int MAX_BITS_PER_LEVEL = 6;
    /** The largest {@code levels * bitsPerLevel}: the wheel spans at most 2^30 ticks. */
    public static final int MAX_TOTAL_BITS = 30;
    /** Deadlines further than this many nanoseconds ahead of the wheel's time are clamped to it. */
    public static final long MAX_OFFSET_NANOS = 1L << 62;
    /** A value no handle ever has: {@code schedule} never returns it, {@code cancel(NO_HANDLE)} is false. */
    public static final long NO_HANDLE = 0L;

    static final int INDEX_BITS = 24;
    /** log2 of the nodes per chunk of node storage. */
    static final int CHUNK_SHIFT = 13;
    /** Nodes per full chunk: 8,192 (128 KiB of link words, ticks and payload references). */
    static final int CHUNK = 1 << CHUNK_SHIFT;
    private static final int CHUNK_MASK = CHUNK - 1;
    /** The most nodes one growth adds: a new chunk starts this long, a short one grows by at most this. */
    static final int CHUNK_STEP = CHUNK >> 3;
    /** Chunks that span the 24-bit index: the directories' largest length. */
    private static final int MAX_CHUNKS = 1 << (INDEX_BITS - CHUNK_SHIFT);
    static final int INDEX_MASK = (1 << INDEX_BITS) - 1;
    private static final int FREE = INDEX_MASK;
    private static final int OVERFLOW = INDEX_MASK - 1;
    private static final int NIL = -1;
    /** liveLink's "not live": a link word with prev == FREE, which no live node has. */
    private static final long NOT_LIVE = -1L;
    /** Node indices are below this. */
    static final int INDEX_LIMIT = OVERFLOW;
    private static final int DUE = 0;
    private static final long NEXT_MASK = INDEX_MASK;
    private static final long PREV_MASK = (long) INDEX_MASK << INDEX_BITS;
    private static final int GEN_SHIFT = 2 * INDEX_BITS;

    private final long origin;
    private final long tickNanos;
    private final double invTick;
    private final int bits;
    private final int levels;
    private final int slotMask;
    private final int totalBits;
    private final int sentinels;
    private final byte[] levelOfBit = new byte[64];
    private final long[] occupied;

    /** Node i's link word is linkChunks[i >>> CHUNK_SHIFT][i & CHUNK_MASK]; the same for ticks and payloads. */
    private long[][] linkChunks;
    private int[][] tickChunks;
    private Object[][] payloadChunks;
    /** Chunks allocated: every one CHUNK nodes long except perhaps the last. */
    private int chunks;
    /** Nodes allocated, sentinels included: (chunks - 1) * CHUNK + the last chunk's length. */
    private int nodes;
    private int used;
    private int freeHead = NIL;
    private int size;
    private long cur;
    private long curNanos;
    private long lastNow;
    private long lastNowTick;
    private int eventLevel;

    /**
     * Test hook: how many more array allocations succeed before one throws {@code OutOfMemoryError} (0: the
     * next one); negative, the default, for never. Read only where the arrays grow.
     */
    int allocationsBeforeFailure = -1;

    private int[] bagNodes = new int[0];
    private long[] bagTicks = new long[0];
    private int bagSize;
    private long bagMinTick = Long.MAX_VALUE;

    /**
     * A wheel of 5 levels of 64 slots (2^30 ticks: 12.4 days at a 1 ms tick), starting small.
     *
     * @param startNanos the time of tick 0, on the caller's clock (e.g. {@code System.nanoTime()})
     * @param tickNanos  the tick, at least 1 ns
     * @throws IllegalArgumentException if {@code tickNanos < 1}
     */
    public TimingWheel(long startNanos, long tickNanos) {
        this(startNanos, tickNanos, 6, 5, 1024);
    }

    /**
     * A wheel with the given geometry. Any thread may construct it; afterwards only its owner uses it.
     *
     * @param startNanos      the time of tick 0, on the caller's clock
     * @param tickNanos       the tick, at least 1 ns
     * @param bitsPerLevel    log2 of the slots per level, in [1, 6]
     * @param levels          the number of levels, at least 1, with {@code levels * bitsPerLevel <= 30}
     * @param initialCapacity timers the arrays hold before they first grow, in [0, 16,777,214 - sentinels]
     * @throws IllegalArgumentException if a value is out of its range
     */
    public TimingWheel(long startNanos, long tickNanos, int bitsPerLevel, int levels, int initialCapacity) {
        if (tickNanos < 1) {
            throw new IllegalArgumentException("tickNanos must be >= 1, was " + tickNanos);
        }
        if (bitsPerLevel < 1 || bitsPerLevel > MAX_BITS_PER_LEVEL) {
            throw new IllegalArgumentException("bitsPerLevel must be in [1, " + MAX_BITS_PER_LEVEL + "], was " + bitsPerLevel);
        }
        if (levels < 1 || (long) levels * bitsPerLevel > MAX_TOTAL_BITS) {
            throw new IllegalArgumentException("levels must be >= 1 with levels * bitsPerLevel <= " + MAX_TOTAL_BITS
                    + ", was " + levels + " * " + bitsPerLevel);
        }
        this.origin = startNanos;
        this.curNanos = startNanos;
        this.lastNow = startNanos;
        this.tickNanos = tickNanos;
        this.invTick = 1.0 / tickNanos;
        this.bits = bitsPerLevel;
        this.levels = levels;
        this.slotMask = (1 << bitsPerLevel) - 1;
        this.totalBits = levels * bitsPerLevel;
        this.sentinels = 1 + (levels << bitsPerLevel);
        int maxCapacity = INDEX_LIMIT - sentinels;
        if (initialCapacity < 0 || initialCapacity > maxCapacity) {
            throw new IllegalArgumentException("initialCapacity must be in [0, " + maxCapacity + "], was " + initialCapacity);
        }
        for (int b = 0; b < 64; b++) {
            levelOfBit[b] = (byte) Math.min(b / bitsPerLevel, levels);
        }
        this.occupied = new long[levels];
        int n = sentinels + initialCapacity;             // full chunks, then the rest exactly (a hint costs no slack)
        int count = (n + CHUNK_MASK) >>> CHUNK_SHIFT;
        linkChunks = new long[count][];
        tickChunks = new int[count][];
        payloadChunks = new Object[count][];
        for (int c = 0; c < count; c++) {
            int len = Math.min(CHUNK, n - (c << CHUNK_SHIFT));
            linkChunks[c] = new long[len];
            tickChunks[c] = new int[len];
            payloadChunks[c] = new Object[len];
        }
        chunks = count;
        nodes = n;
        long[] l0 = linkChunks[0];                       // sentinels < CHUNK: all in chunk 0
        for (int s = 0; s < sentinels; s++) {
            l0[s] = pack(s, s, 0);
        }
        used = sentinels;
    }

    // ------------------------------------------------------------------ link word helpers

    private static long pack(int next, int prev, int gen) {
        return next | ((long) prev << INDEX_BITS) | ((long) gen << GEN_SHIFT);
    }

    private static int nextOf(long l) {
        return (int) (l & NEXT_MASK);
    }

    private static int prevOf(long l) {
        return (int) ((l & PREV_MASK) >>> INDEX_BITS);
    }

    private static int genOf(long l) {
        return (int) (l >>> GEN_SHIFT);
    }

    private static long withNext(long l, int next) {
        return (l & ~NEXT_MASK) | next;
    }

    private static long withPrev(long l, int prev) {
        return (l & ~PREV_MASK) | ((long) prev << INDEX_BITS);
    }

    private static long handleOf(int index, int gen) {
        return ((long) gen << INDEX_BITS) | index;
    }

    // ------------------------------------------------------------------ node storage

    private long link(int i) {
        return linkChunks[i >>> CHUNK_SHIFT][i & CHUNK_MASK];
    }

    private void setLink(int i, long l) {
        linkChunks[i >>> CHUNK_SHIFT][i & CHUNK_MASK] = l;
    }

    private int tick(int i) {
        return tickChunks[i >>> CHUNK_SHIFT][i & CHUNK_MASK];
    }

    private void setTick(int i, int t) {
        tickChunks[i >>> CHUNK_SHIFT][i & CHUNK_MASK] = t;
    }

    private Object payloadAt(int i) {
        return payloadChunks[i >>> CHUNK_SHIFT][i & CHUNK_MASK];
    }

    private void setPayload(int i, Object p) {
        payloadChunks[i >>> CHUNK_SHIFT][i & CHUNK_MASK] = p;
    }

    // ------------------------------------------------------------------ public API

    /**
     * Schedules a timer. O(1); allocates nothing unless the arrays must grow. Owner thread only; may be
     * called from an {@link ExpiryHandler} during {@link #poll}.
     *
     * @param deadlineNanos the deadline, on the caller's clock (see the class documentation for the past,
     *                      the far future and the clamp)
     * @param payload       what {@link #poll} hands to the handler, not null
     * @return the timer's handle, never {@link #NO_HANDLE}
     * @throws NullPointerException  if payload is null
     * @throws IllegalStateException if the wheel already holds its maximum number of timers
     */
    public long schedule(long deadlineNanos, T payload) {
        return scheduleTick(tickOf(deadlineNanos), payload);
    }

    /** Schedules at an absolute tick. Owner thread only. */
    private long scheduleTick(long tick, T payload) {
        Objects.requireNonNull(payload, "payload");
        long c = cur;
        long d = tick < c ? c : tick;
        long x = d ^ c;
        int i = freeHead;
        if (x != 0 && (x >>> totalBits) == 0 && i != NIL) {
            // The common case, inlined: a free node, linked last into a slot of the wheel. Each of node i's
            // words is read once (the generic path below reads its link word three times, and a store to a
            // long[] between the reads makes the compiler load it again each time).
            int k = i >>> CHUNK_SHIFT;
            int j = i & CHUNK_MASK;
            long[] lc = linkChunks[k];
            long li = lc[j];
            int n = nextOf(li);
            freeHead = n == i ? NIL : n;
            int gen = genOf(li);
            payloadChunks[k][j] = payload;
            tickChunks[k][j] = (int) d;
            int level = levelOfBit[63 - Long.numberOfLeadingZeros(x)];
            int slot = (int) (d >>> (level * bits)) & slotMask;
            int s = 1 + (level << bits) + slot;
            long[] l0 = linkChunks[0];                   // the sentinel s is in chunk 0
            int p = prevOf(l0[s]);
            lc[j] = pack(s, p, gen);
            setLink(p, withNext(link(p), i));            // p may be s itself: read l0[s] again below
            l0[s] = withPrev(l0[s], i);
            occupied[level] |= 1L << slot;
            size++;
            return handleOf(i, gen);
        }
        reserveOverflow(d);
        i = allocate();
        setPayload(i, payload);
        place(i, d);
        size++;
        return handleOf(i, genOf(link(i)));
    }

    /**
     * Cancels a pending timer. O(1). Owner thread only; may be called from an {@link ExpiryHandler}.
     *
     * @param handle a handle from {@link #schedule}
     * @return true if the timer was pending and is now cancelled; false for a stale or unknown handle
     *         (expired, cancelled, or its slot reused), which changes nothing
     */
    public boolean cancel(long handle) {
        long li = liveLink(handle);
        if (li == NOT_LIVE) {
            return false;
        }
        int i = (int) handle & INDEX_MASK;
        detach(i, li);
        free(i, li);
        size--;
        return true;
    }

    /**
     * Moves a pending timer to a new deadline, keeping its handle and payload. O(1). Owner thread only;
     * may be called from an {@link ExpiryHandler}.
     *
     * @param handle        a handle from {@link #schedule}
     * @param deadlineNanos the new deadline, with the same rules as {@link #schedule}'s
     * @return true if the timer was pending and now has the new deadline; false for a stale handle
     */
    public boolean touch(long handle, long deadlineNanos) {
        int i = live(handle);
        if (i < 0) {
            return false;
        }
        long d = tickOf(deadlineNanos);
        reserveOverflow(d);
        detach(i);
        place(i, d);
        return true;
    }

    /**
     * Whether the handle names a pending timer. Owner thread only.
     *
     * @param handle a handle from {@link #schedule}
     * @return true if the timer is pending
     */
    public boolean isPending(long handle) {
        return live(handle) >= 0;
    }

    /**
     * The payload of a pending timer. Owner thread only.
     *
     * @param handle a handle from {@link #schedule}
     * @return its payload, or null if the handle is stale
     */
    @SuppressWarnings("unchecked")
    public T payload(long handle) {
        int i = live(handle);
        return i < 0 ? null : (T) payloadAt(i);
    }

    /**
     * Expires the timers due at {@code nowNanos}: moves the wheel forward to {@code nowNanos}'s tick,
     * cascading higher levels down on the way, and hands each expired timer to the handler. Stops after
     * {@code limit} expiries; the next call resumes exactly there. Cascading moves are not counted against
     * the limit. Owner thread only; not reentrant (a handler must not call poll).
     *
     * <p><b>Order.</b> Timers expire in order of their effective ticks, across polls too; those of one
     * effective tick in the order they reached the due list. A timer's effective tick, set when it is
     * scheduled or touched, is its deadline tick; for a deadline not after the latest poll's {@code now}
     * (the past, which includes the current poll's {@code now} while its handler runs), it is that tick
     * raised to the wheel's current tick ({@link #currentTick()}: during a poll, the tick being expired) and
     * lowered to {@code now}'s tick. So a timer a handler schedules with a deadline after the tick being
     * expired takes its place among the timers still to come (and expires in this poll if it is not after
     * {@code now}); one with a deadline at or before that tick comes right after the timers already due.
     *
     * <p>If the handler throws, the exception propagates; the timer it was given is already removed, and
     * the wheel is consistent: the next poll resumes with the next timer.
     *
     * @param nowNanos the current time, on the caller's clock, not earlier than the previous call's
     * @param handler  receives each expired timer
     * @param limit    the most timers to expire in this call, at least 1
     * @return the number of timers expired, at most {@code limit}
     * @throws IllegalArgumentException if {@code limit < 1}
     * @throws NullPointerException if handler is null
     */
    @SuppressWarnings("unchecked")
    public int poll(long nowNanos, ExpiryHandler<? super T> handler, int limit) {
        Objects.requireNonNull(handler, "handler");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
        long nowTick = Math.floorDiv(nowNanos - origin, tickNanos);
        if (nowNanos - lastNow > 0) {
            lastNow = nowNanos;
            lastNowTick = nowTick;
        }
        int fired = 0;
        for (;;) {
            while (fired < limit) {
                int i = nextOf(linkChunks[0][DUE]);
                if (i == DUE) {
                    break;
                }
                unlink(i);
                Object p = payloadAt(i);
                long h = handleOf(i, genOf(link(i)));
                free(i);
                size--;
                fired++;
                handler.onExpiry(h, (T) p);
            }
            if (fired >= limit) {
                return fired;
            }
            long ev = nextEventTick();
            if (ev > nowTick) {
                if (nowTick > cur) {
                    cur = nowTick;
                    curNanos = origin + cur * tickNanos;
                }
                return fired;
            }
            cur = ev;
            curNanos = origin + cur * tickNanos;
            processEvent();
        }
    }

    /**
     * The time of the next expiry, for a select timeout: the deadline tick's time of the earliest timer
     * on level 0 or in the due list, or, when the nearest timers sit on a higher level (or beyond the
     * horizon), the time they next move down, which is not later than their deadline. So it is never later
     * than the earliest pending deadline tick; polling at that time expires or moves timers, and a new call
     * gives the next answer. O(levels). Owner thread only.
     *
     * @return the time, on the caller's clock; {@code Long.MAX_VALUE} if no timer is pending (which on the
     *         wrap-safe scale is also an ordinary time: test {@link #isEmpty()} or use
     *         {@link #nextDelayNanos(long)})
     */
    public long nextDeadline() {
        if (size == 0) {
            return Long.MAX_VALUE;
        }
        if (nextOf(linkChunks[0][DUE]) != DUE) {
            return curNanos;
        }
        return origin + nextEventTick() * tickNanos;
    }

    /**
     * How long from {@code nowNanos} until {@link #nextDeadline()}. Owner thread only.
     *
     * @param nowNanos the current time, on the caller's clock
     * @return nanoseconds, 0 if something is due already, {@code Long.MAX_VALUE} if nothing is pending
     */
    public long nextDelayNanos(long nowNanos) {
        if (size == 0) {
            return Long.MAX_VALUE;
        }
        long delay = nextDeadline() - nowNanos;
        return delay < 0 ? 0 : delay;
    }

    /** {@return the number of pending timers; owner thread only} */
    public int size() {
        return size;
    }

    /** {@return whether no timer is pending; owner thread only} */
    public boolean isEmpty() {
        return size == 0;
    }

    /** {@return the tick in nanoseconds; any thread} */
    public long tickNanos() {
        return tickNanos;
    }

    /** {@return the number of ticks the wheel spans before the overflow list; any thread} */
    public long horizonTicks() {
        return 1L << totalBits;
    }

    /** {@return timers the arrays hold before they grow again; owner thread only} */
    public int capacity() {
        return nodes - sentinels;
    }

    /** {@return the last tick processed (counted from {@code startNanos}); owner thread only} */
    public long currentTick() {
        return cur;
    }

    /**
     * Removes every pending timer, handing each payload to {@code sink} (in no particular order). Owner
     * thread only; the wheel stays usable.
     *
     * @param sink receives the payloads
     * @throws NullPointerException if sink is null
     */
    @SuppressWarnings("unchecked")
    public void clear(Consumer<? super T> sink) {
        Objects.requireNonNull(sink, "sink");
        for (int i = sentinels; i < used; i++) {
            int prev = prevOf(link(i));
            if (prev != FREE) {
                T p = (T) payloadAt(i);
                remove(i);
                sink.accept(p);
            }
        }
    }

    // ------------------------------------------------------------------ internals

    /** The deadline tick of a time: the first tick boundary at or after it, clamped, wrap-safe. */
    private long tickOf(long deadlineNanos) {
        if (deadlineNanos - lastNow <= 0) {              // not after the latest poll's now: due by the next poll
            long past = deadlineNanos - curNanos;
            return past <= 0 ? cur : Math.min(cur + ceilTicks(past), lastNowTick);
        }
        long off = deadlineNanos - curNanos;             // > 0, since curNanos <= lastNow
        if (off > MAX_OFFSET_NANOS || off < 0) {         // < 0: the subtraction overflowed
            off = MAX_OFFSET_NANOS;
        }
        return cur + ceilTicks(off);
    }

    /**
     * ceil(off / tickNanos) for off > 0. A 64-bit division costs tens of cycles on many x86 cores, more
     * than the rest of schedule; below 2^52 a double multiply estimates the quotient within one, and an
     * exact integer remainder corrects it.
     */
    private long ceilTicks(long off) {
        long t = tickNanos;
        if (off >= (1L << 52)) {
            return (off - 1) / t + 1;
        }
        long q = (long) (off * invTick);
        long r = off - q * t;
        while (r < 0) {
            q--;
            r += t;
        }
        while (r >= t) {
            q++;
            r -= t;
        }
        return r == 0 ? q : q + 1;
    }

    /** The node index of a live handle, or -1. */
    private int live(long handle) {
        return liveLink(handle) == NOT_LIVE ? -1 : (int) handle & INDEX_MASK;
    }

    /**
     * The link word of a live handle's node, or NOT_LIVE: so that a caller that goes on to change the node
     * (cancel) reads the word once.
     */
    private long liveLink(long handle) {
        if ((handle >>> (INDEX_BITS + 16)) != 0) {
            return NOT_LIVE;
        }
        int i = (int) handle & INDEX_MASK;
        if (i < sentinels || i >= used) {
            return NOT_LIVE;
        }
        long l = link(i);
        if (genOf(l) != (int) (handle >>> INDEX_BITS) || prevOf(l) == FREE) {
            return NOT_LIVE;
        }
        return l;
    }

    private int allocate() {
        int i = freeHead;
        if (i != NIL) {
            int n = nextOf(link(i));
            freeHead = n == i ? NIL : n;
            return i;
        }
        if (used == nodes) {
            grow();
        }
        i = used++;
        setLink(i, pack(0, 0, 1));
        return i;
    }

    /**
     * Adds room for at least one node. A last chunk shorter than CHUNK grows (a copy of that chunk only) by
     * half its length, at least 16 and at most CHUNK_STEP nodes, up to CHUNK; a full one gets a new chunk of
     * CHUNK_STEP nodes after it (the directories double when full). So no growth copies more than one
     * chunk, and the room it adds is at most CHUNK_STEP nodes. Allocates every new array before it
     * publishes any.
     */
    private void grow() {
        if (nodes >= INDEX_LIMIT) {
            throw new IllegalStateException("timing wheel full: " + size + " pending timers, the maximum is "
                    + (INDEX_LIMIT - sentinels));
        }
        int last = chunks - 1;
        int base = last << CHUNK_SHIFT;
        int len = nodes - base;
        if (len < CHUNK) {
            int m = Math.min(Math.min(CHUNK, INDEX_LIMIT - base), len + Math.max(16, Math.min(len >> 1, CHUNK_STEP)));
            allocating();
            long[] l = Arrays.copyOf(linkChunks[last], m);
            allocating();
            int[] t = Arrays.copyOf(tickChunks[last], m);
            allocating();
            Object[] p = Arrays.copyOf(payloadChunks[last], m);
            linkChunks[last] = l;
            tickChunks[last] = t;
            payloadChunks[last] = p;
            nodes = base + m;
            return;
        }
        int m = Math.min(CHUNK_STEP, INDEX_LIMIT - nodes);
        long[][] ld = linkChunks;
        int[][] td = tickChunks;
        Object[][] pd = payloadChunks;
        if (chunks == ld.length) {
            int dm = Math.min(MAX_CHUNKS, Math.max(4, 2 * chunks));   // chunks < MAX_CHUNKS here
            allocating();
            ld = Arrays.copyOf(ld, dm);
            allocating();
            td = Arrays.copyOf(td, dm);
            allocating();
            pd = Arrays.copyOf(pd, dm);
        }
        allocating();
        long[] l = new long[m];
        allocating();
        int[] t = new int[m];
        allocating();
        Object[] p = new Object[m];
        ld[chunks] = l;                                  // every allocation done: publish
        td[chunks] = t;
        pd[chunks] = p;
        linkChunks = ld;
        tickChunks = td;
        payloadChunks = pd;
        chunks++;
        nodes += m;
    }

    /**
     * Grows the overflow arrays now if placing a timer at deadline tick d (d >= cur) needs a slot they lack,
     * so that schedule and touch allocate before they change anything.
     */
    private void reserveOverflow(long d) {
        if (((d ^ cur) >>> totalBits) != 0 && bagSize == bagNodes.length) {
            int m = Math.max(16, bagSize + (bagSize >> 1));
            allocating();
            int[] nodes = Arrays.copyOf(bagNodes, m);
            allocating();
            long[] ts = Arrays.copyOf(bagTicks, m);
            bagNodes = nodes;
            bagTicks = ts;
        }
    }

    /** Called before each array allocation: throws the test hook's OutOfMemoryError when it is due. */
    private void allocating() {
        if (allocationsBeforeFailure >= 0 && allocationsBeforeFailure-- == 0) {
            throw new OutOfMemoryError("injected by the test hook before an array allocation");
        }
    }

    /** Removes pending node i: out of its list, freed, uncounted. */
    private void remove(int i) {
        detach(i);
        free(i);
        size--;
    }

    /** Frees node i: next generation, payload dropped, pushed on the free list (a free list ends at a self-link). */
    private void free(int i) {
        free(i, link(i));
    }

    /** free(i), given node i's current link word li. */
    private void free(int i, long li) {
        int gen = (genOf(li) + 1) & 0xFFFF;
        setLink(i, pack(freeHead == NIL ? i : freeHead, FREE, gen));
        setPayload(i, null);
        freeHead = i;
    }

    /** Links node i at deadline tick d (d >= cur), into the due list, a slot, or the overflow list. */
    private void place(int i, long d) {
        if (d <= cur) {
            linkLast(DUE, i);
            return;
        }
        int level = levelOfBit[63 - Long.numberOfLeadingZeros(d ^ cur)];
        if (level >= levels) {
            bagAdd(i, d);
            return;
        }
        int slot = (int) (d >>> (level * bits)) & slotMask;
        setTick(i, (int) d);
        linkLast(1 + (level << bits) + slot, i);
        occupied[level] |= 1L << slot;
    }

    private void linkLast(int s, int i) {
        long[] l0 = linkChunks[0];                       // the sentinel s is in chunk 0
        int p = prevOf(l0[s]);
        setLink(i, pack(s, p, genOf(link(i))));
        setLink(p, withNext(link(p), i));
        l0[s] = withPrev(l0[s], i);
    }

    /** Removes node i from its list or from the overflow arrays. */
    private void detach(int i) {
        detach(i, link(i));
    }

    /** detach(i), given node i's current link word li (neither path changes it). */
    private void detach(int i, long li) {
        if (prevOf(li) == OVERFLOW) {
            bagRemove(i);
        } else {
            unlink(li);
        }
    }

    private void unlink(int i) {
        unlink(link(i));
    }

    /** Unlinks the node whose (current) link word is li from its list: it touches only the two neighbours. */
    private void unlink(long li) {
        int n = nextOf(li);
        int p = prevOf(li);
        setLink(p, withNext(link(p), n));
        setLink(n, withPrev(link(n), p));
        if (n == p && n != DUE && n < sentinels) {
            int s = n - 1;
            occupied[s >> bits] &= ~(1L << (s & slotMask));
        }
    }

    /** The tick of the next event (sets eventLevel: a level, or -1 for the overflow list), or MAX_VALUE. */
    private long nextEventTick() {
        for (int level = 0; level < levels; level++) {
            long occ = occupied[level];
            if (occ != 0) {
                eventLevel = level;
                return slotEventTick(occ, level, bits, cur);
            }
        }
        if (bagSize > 0) {
            eventLevel = -1;
            return overflowEventTick(bagMinTick, totalBits, cur);
        }
        return Long.MAX_VALUE;
    }

    /**
     * The tick of a level's next event, shared with TimeoutWheel: the first tick of the lowest occupied slot
     * above cur's digit at that level ({@code occ}, its occupancy bitmap, not 0). The wheels' invariant
     * keeps every occupied slot above cur's digit; one at or below it is a bug.
     */
    static long slotEventTick(long occ, int level, int bits, long cur) {
        int shift = level * bits;
        int digit = (int) (cur >>> shift) & ((1 << bits) - 1);
        long above = occ & (-2L << digit);
        if (above == 0) {
            throw new AssertionError("occupied slot at or below the current digit: level " + level);
        }
        int slot = Long.numberOfTrailingZeros(above);
        int up = shift + bits;
        return ((cur >>> up) << up) | ((long) slot << shift);
    }

    /**
     * The tick of the overflow's next event, shared with TimeoutWheel: the first tick of the top-level
     * span of its earliest deadline ({@code minTick}), or the next tick if that span has begun.
     */
    static long overflowEventTick(long minTick, int totalBits, long cur) {
        long start = (minTick >>> totalBits) << totalBits;
        return start > cur ? start : cur + 1;
    }

    /** Processes the event found by nextEventTick, with cur already set to its tick. */
    private void processEvent() {
        int level = eventLevel;
        if (level < 0) {
            bagScan();
            return;
        }
        int slot = (int) (cur >>> (level * bits)) & slotMask;
        int s = 1 + (level << bits) + slot;
        long[] l0 = linkChunks[0];                       // the sentinels s and DUE are in chunk 0
        occupied[level] &= ~(1L << slot);
        if (level == 0) {
            // every timer of a level-0 slot has d == cur: splice the whole list onto the due list
            long ls = l0[s];
            int first = nextOf(ls);
            int last = prevOf(ls);
            int dueLast = prevOf(l0[DUE]);
            setLink(dueLast, withNext(link(dueLast), first));
            setLink(first, withPrev(link(first), dueLast));
            setLink(last, withNext(link(last), DUE));
            l0[DUE] = withPrev(l0[DUE], last);
            l0[s] = pack(s, s, 0);
            return;
        }
        // detach the whole list, then walk it: each node is relinked below this level (never into slot s,
        // since with cur at this event every node's digits from this level up equal cur's)
        int c = (int) cur;
        int i = nextOf(l0[s]);
        l0[s] = pack(s, s, 0);
        while (i != s) {
            int next = nextOf(link(i));
            place(i, cur + (tick(i) - c));
            i = next;
        }
    }

    /** Appends node i, deadline tick d, to the overflow arrays, which reserveOverflow made room in. */
    private void bagAdd(int i, long d) {
        int pos = bagSize++;
        bagNodes[pos] = i;
        bagTicks[pos] = d;
        setTick(i, pos);
        setLink(i, pack(0, OVERFLOW, genOf(link(i))));
        if (d < bagMinTick) {
            bagMinTick = d;
        }
    }

    private void bagRemove(int i) {
        int pos = tick(i);
        int last = --bagSize;
        if (pos != last) {
            int moved = bagNodes[last];
            bagNodes[pos] = moved;
            bagTicks[pos] = bagTicks[last];
            setTick(moved, pos);
        }
        if (bagSize == 0) {
            bagMinTick = Long.MAX_VALUE;
        }
    }

    /** At an overflow event: moves every overflow timer now within the wheel's span into the wheel. */
    private void bagScan() {
        long min = Long.MAX_VALUE;
        for (int k = bagSize - 1; k >= 0; k--) {
            long d = bagTicks[k];
            if (((d ^ cur) >>> totalBits) == 0 || d <= cur) {
                int i = bagNodes[k];
                bagRemove(i);
                place(i, d < cur ? cur : d);
            } else if (d < min) {
                min = d;
            }
        }
        bagMinTick = bagSize == 0 ? Long.MAX_VALUE : min;
    }
}
