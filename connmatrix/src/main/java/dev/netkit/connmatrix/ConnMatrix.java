package dev.netkit.connmatrix;

import dev.netkit.padding.PaddedAtomicLong;
import dev.netkit.padding.internal.Layout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Maps a {@code long} id to a connection object: O(1) wait-free lookup from any thread, ids that carry a
 * generation so that a removed or reused id never finds the wrong connection, and one shard per event
 * loop so that each loop adds to its own memory.
 *
 * <h2>Ids</h2>
 * An id packs {@code generation:32 | shard:8 | slot:24} (high bits first). An id is never 0; a
 * generation of 2<sup>31</sup> or more sets the sign bit, so treat ids as opaque 64-bit values. A slot is live while its generation is odd; {@link #remove(long)}
 * makes it even, the next {@link #add(int, Object)} into that slot makes it odd again. So a slot serves
 * 2<sup>31</sup> connections before a generation repeats: an old id can find a new connection only if it
 * is held while its slot is reused 2<sup>31</sup> times. Limits: {@link #MAX_SHARDS} shards,
 * {@link #MAX_SLOTS_PER_SHARD} slots per shard. Free slots are reused before new ones, which keeps the
 * working set small: the owner's own removes ({@link #removeByOwner(long)}) come back newest first; other
 * threads' removes come back to the owner in batches (all that were marked when its own free slots ran
 * out), lowest slot first within each batch. An id carries no mark of
 * its matrix: an id from another matrix is not detected, and answers like any id of this one (usually
 * null).
 *
 * <h2>Thread safety</h2>
 * <ul>
 *   <li>{@link #get(long)}: any thread, wait-free (a bounded number of loads, no loop, no CAS), allocates
 *       nothing. Returns the connection, or null for an id that was removed, is stale, was never issued,
 *       or is malformed (shard or slot out of range): ids often come from the network, so a bad id is
 *       an answer, not an exception.</li>
 *   <li>{@link #add(int, Object)}: only the shard's owner thread (its event loop), one thread per shard at
 *       a time. No CAS on the fast path. Another thread that needs to add must hand the work to the
 *       owner. Ownership may move to another thread through a happens-before edge.</li>
 *   <li>{@link #remove(long)} and {@link #remove(long, Object)}: any thread, lock-free, exactly one winner
 *       per id: of all the threads removing one id, one returns true and the rest return false.
 *       {@link #removeByOwner(long)} is the owner's cheaper form (one CAS, where {@code remove} adds one
 *       to three {@code getAndBitwiseOr}s and an increment), with the same single-winner guarantee
 *       against concurrent removes.</li>
 *   <li>{@link #size()}, {@link #size(int)}: any thread, weakly consistent (exact at rest).
 *       {@link #forEach(EntryConsumer)} and {@link #iterator()}: any thread, weakly consistent: they never
 *       yield an entry twice, never one removed before the iteration began, and may or may not yield
 *       entries added or removed during it.</li>
 * </ul>
 * A non-null {@code get} publishes the connection safely: every write made before its {@code add} is
 * visible to the thread that got it.
 *
 * <h2>Memory</h2>
 * Slots are allocated in pages of 4,096 on demand; growth adds a page and never copies, so a reader
 * racing growth never misses an entry. Each slot costs 8 bytes and one bit with compressed references
 * (a reference, a generation, a bit that marks a slot freed by another thread; 12 bytes and a bit
 * without), plus three array headers per page. Free slots the owner holds cost 4 bytes each more, on a
 * stack that grows in pages of 1,024 as the count of free slots reaches a new high (give or take a page)
 * and never shrinks; each shard also has a summary of 1 bit per page of capacity (512 bytes at the
 * default capacity).
 * The three page tables of a shard cost 4 bytes per 4,096 slots of capacity each, whatever the
 * occupancy: 48 KiB per shard at the default 16,777,216 slots per shard, 3 KiB at 1,048,576. Pages are
 * not released when they empty.
 *
 * @param <C> the connection type
 */
public final class ConnMatrix<C> {
    /*
     * Implementation notes.
     *
     * Storage. For shard s and page p: connPages[s][p] is an Object[] of connections, genPages[s][p] an
     * int[] of generations, freedPages[s][p] a long[] bitmap of the slots other threads freed that the
     * owner has not taken back yet. Slot i of shard s lives at page i >>> pageShift, offset i & pageMask.
     * Page tables (the second level) are allocated in the constructor at full length and never replaced;
     * pages are created by the owner and published once (genPages then freedPages then connPages, each with
     * setRelease). A reader acquires connPages[s][p]; non-null implies the other two pages are visible.
     *
     * Generations. gens[i] odd: slot live with that generation; even: free (0 = never used). add makes
     * even e -> e+1; remove makes odd g -> g+1 by CAS, which is the linearization point of remove and
     * what makes it single-winner. With genBits < 32 (tests only) the value wraps within genMask.
     *
     * Free slots. A slot is free in one of four states: never used (at or above the shard's highWater);
     * on the owner's stack (freeStacks[s], owner-only, plain); marked in the freed bitmaps (a remote
     * remove's winner set its bit, the owner has not taken it); or between a winning remover's CAS and its
     * push or mark (owned by that remover). Only the winner of a slot's generation CAS pushes or marks it,
     * and only the owner takes it back, so a slot is in one state at a time and no bit is set twice
     * without the owner's take in between.
     *
     * The freed bitmaps have three levels, set bottom-up by a remote remover and taken top-down by the
     * owner, each level cleared (getAndSet 0) before the level below is read:
     *   leaf: freedPages[s][p][1 + w], bit b: slot (p << pageShift) + 64w + b is freed.
     *   group: freedPages[s][p][0], bit g: some leaf word in [g << groupShift, (g + 1) << groupShift) of
     *     the page may be nonzero (groupShift is 0 for pages of up to 4,096 slots).
     *   page: freedSummary[s][PAD + (p >>> 6)], bit p & 63: some group bit of page p may be set.
     * A remover sets its leaf bit by getAndBitwiseOr, then reads each level above (volatile) and sets its
     * bit there by getAndBitwiseOr only if it reads it clear. All of these are volatile accesses, so they
     * are sequentially consistent: either the remover reads a level's bit clear and sets it, or it reads it
     * set and the owner's clearing getAndSet of that bit comes later, so the owner's reads of the level
     * below, which follow that clear, see what the remover set there before its read. Either way the next
     * harvest that reaches the level finds the slot. After marking, the remover increments removeCount[s];
     * the owner harvests only when removeCount moved since its last full harvest (ownerState SEEN, the low
     * 32 bits: every remove counted since then freed a distinct slot that only a harvest gives back, or one
     * that harvest already took, so fewer than 2^25 lie between, and the low bits cannot wrap to the same
     * value). The owner's getAndSet of a leaf word synchronizes with the remover's getAndBitwiseOr,
     * so the remover's CAS and null store happen before the owner's next add into the slot.
     *
     * The owner's stack holds slot numbers in int pages of STACK_PAGE; the table of pages doubles when
     * full. Room is reserved before anything that cannot be undone: removeByOwner reserves one entry
     * before its CAS; harvest reserves 64 before taking a leaf word, and if that allocation throws, it ORs
     * the group and page bits it took back before rethrowing, so no freed slot is lost.
     *
     * Writers, per field:
     *   conns[i]: the owner (add, setRelease of the connection) and the winning remover (setRelease of
     *     null after its CAS).
     *   gens[i]: the owner (add, setRelease after the conns store); removers by CAS.
     *   freedPages, freedSummary: remote removers set bits (getAndBitwiseOr); the owner clears them
     *     (getAndSet).
     *   ownerState (a long[]; per shard STATE, HIGH_WATER, SEEN, then 128 bytes of pad): the owner only.
     *     STATE packs the stack size (low 32 bits) and HARVESTED (high 32 bits), so one write moves both;
     *     every STATE write is a setRelease and HIGH_WATER is written with setOpaque (size(s) reads them
     *     from any thread); SEEN is plain. freeStacks[s]: the owner only, plain.
     *   removeCount[s]: remote removers, getAndAdd after marking.
     *
     * Counting. No counter moves on the owner's paths: the live count of a shard is derived. Every slot
     * below HIGH_WATER is live (or being added: popped or taken fresh, its generation not published yet,
     * so size counts an add a moment early, as the earlier counter did), on the owner's stack, marked in
     * the freed bitmaps and not taken back yet, or between a remover's CAS and its push or mark (or taken
     * back before that remover's increment). HARVESTED counts the slots the owner took back from the
     * bitmaps (modulo 2^32, compared with removeCount's low 32 bits: in a consistent snapshot fewer than
     * 2^25 lie between; a reader whose removeCount value is older than its STATE value by 2^31 harvested
     * slots could see the difference wrap, which needs billions of harvests between two adjacent reads). So
     * at rest live = HIGH_WATER - stack size - (removeCount - HARVESTED). size(s) reads removeCount
     * (acquire), then STATE (acquire, one 64-bit read), then HIGH_WATER (opaque), so that a race only makes
     * it miss adds or removes in progress, and a harvest, which moves slots from the bitmaps to the stack
     * without changing the count, never shows as a drop:
     *   - a remote remove counted in removeCount happened after its add (its CAS read the add's
     *     generation), so the STATE and HIGH_WATER read after it are at least that add's;
     *   - a harvest adds k to the stack size and to HARVESTED in one release store of STATE, so no reader
     *     sees one without the other;
     *   - HIGH_WATER, read after an acquire of STATE, is at least as new as that STATE write (program
     *     order before a release store), so a stack size is never seen with an older HIGH_WATER;
     *   - a removeCount read before a harvest of slots whose removers it did not count yet makes
     *     removeCount - HARVESTED smaller (even negative): it misses those removes, from which the
     *     reader has no happens-before edge. size(s) clamps at 0.
     * Until 2026-12-05 add and removeByOwner kept an exact added count on padding's StripedCounter (an
     * opaque store each); deriving it took about 2.7 ns off a removeByOwner + add pair in cache.
     *
     * Publication. add: connection fields -> setRelease(conns[i], c) -> setRelease(gens[i], g). get:
     * getAcquire(gens[i]) == g, then getAcquire(conns[i]), then getAcquire(gens[i]) == g again. The second
     * generation read rejects a connection stored by a later add into the same slot: that add's conns
     * store (release) happens after the remover's CAS (via the freed bitmap's getAndBitwiseOr/getAndSet or
     * the owner's program order), so a reader that acquired the newer connection sees a generation != g.
     * The remover's null store is a release for the same reason. get is linearized at its second
     * generation read.
     *
     * Taking a slot. add pops the owner's stack; if it is empty and removeCount moved, it harvests the
     * freed bitmaps of every page in use onto the stack (highest slot pushed first, so the lowest pops
     * first); if the stack is still empty, it takes the next never-used slot (highWater), adding a page
     * when it crosses into one. remove marks the slot freed whoever calls it (no owner identity check
     * anywhere); removeByOwner, which the caller promises to call only on the owner thread, pushes it.
     */

    /** The most shards: the shard field of an id is 8 bits. */
    public static final int MAX_SHARDS = 256;
    /** The most slots per shard: the slot field of an id is 24 bits. */
    public static final int MAX_SLOTS_PER_SHARD = 1 << 24;

    static final int SLOT_BITS = 24;
    static final int SLOT_MASK = (1 << SLOT_BITS) - 1;
    static final int DEFAULT_PAGE_SHIFT = 12;

    /**
     * Longs per shard in ownerState: three fields and {@link Layout#PAD_LONGS} (128 bytes) of pad, so no two
     * shards share a line or a prefetch pair (19; the array-stride rule of the padding package).
     */
    private static final int OWNER_STRIDE = 3 + Layout.PAD_LONGS;
    /** The owner's stack size (low 32 bits) and the slots it took back by harvests (high 32 bits). */
    private static final int STATE = 0;
    private static final int HIGH_WATER = 1;
    private static final int SEEN = 2;
    private static final long ONE_HARVESTED = 1L << 32;

    /** Slot numbers per page of the owner's free stack, and its shift and mask. */
    static final int STACK_SHIFT = 10;
    static final int STACK_PAGE = 1 << STACK_SHIFT;
    private static final int STACK_MASK = STACK_PAGE - 1;
    /** Longs of pad before each shard's freed summary (and after it). */
    private static final int SUMMARY_BASE = Layout.PAD_LONGS;

    private static final VarHandle OBJ = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle INT = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle LONG = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle CONN_PAGE = MethodHandles.arrayElementVarHandle(Object[][].class);
    private static final VarHandle INT_PAGE = MethodHandles.arrayElementVarHandle(int[][].class);
    private static final VarHandle LONG_PAGE = MethodHandles.arrayElementVarHandle(long[][].class);

    private final int shardCount;
    private final int maxSlotsPerShard;
    private final int pageShift;
    private final int pageMask;
    private final int genMask;
    private final int groupShift;

    private final Object[][][] connPages;
    private final int[][][] genPages;
    private final long[][][] freedPages;
    private final long[][] freedSummary;
    private final int[][][] freeStacks;
    private final long[] ownerState;
    private final PaddedAtomicLong[] removeCount;

    /**
     * Creates a matrix with {@code shards} shards of up to {@link #MAX_SLOTS_PER_SHARD} slots each.
     *
     * @param shards the number of shards, one per event loop, in [1, {@link #MAX_SHARDS}]
     * @throws IllegalArgumentException if {@code shards} is out of range
     */
    public ConnMatrix(int shards) {
        this(shards, MAX_SLOTS_PER_SHARD);
    }

    /**
     * Creates a matrix with {@code shards} shards of up to {@code maxSlotsPerShard} slots each. A smaller
     * bound caps the connections a loop may hold and shrinks the fixed page tables.
     *
     * @param shards the number of shards, in [1, {@link #MAX_SHARDS}]
     * @param maxSlotsPerShard the capacity of each shard, in [1, {@link #MAX_SLOTS_PER_SHARD}]
     * @throws IllegalArgumentException if either argument is out of range
     */
    public ConnMatrix(int shards, int maxSlotsPerShard) {
        this(shards, maxSlotsPerShard, DEFAULT_PAGE_SHIFT, 32);
    }

    /** Test configuration: small pages force growth, a narrow generation forces wrap. */
    ConnMatrix(int shards, int maxSlotsPerShard, int pageShift, int genBits) {
        if (shards < 1 || shards > MAX_SHARDS) {
            throw new IllegalArgumentException("shards must be in [1, " + MAX_SHARDS + "], was " + shards);
        }
        if (maxSlotsPerShard < 1 || maxSlotsPerShard > MAX_SLOTS_PER_SHARD) {
            throw new IllegalArgumentException(
                    "maxSlotsPerShard must be in [1, " + MAX_SLOTS_PER_SHARD + "], was " + maxSlotsPerShard);
        }
        if (pageShift < 0 || pageShift > SLOT_BITS) {
            throw new IllegalArgumentException("pageShift must be in [0, " + SLOT_BITS + "], was " + pageShift);
        }
        if (genBits < 2 || genBits > 32) {
            throw new IllegalArgumentException("genBits must be in [2, 32], was " + genBits);
        }
        this.shardCount = shards;
        this.maxSlotsPerShard = maxSlotsPerShard;
        this.pageShift = pageShift;
        this.pageMask = (1 << pageShift) - 1;
        this.genMask = genBits == 32 ? -1 : (1 << genBits) - 1;
        this.groupShift = Math.max(0, pageShift - 12);        // 64 group bits cover a page's leaf words
        int pages = (int) (((long) maxSlotsPerShard + pageMask) >>> pageShift);
        this.connPages = new Object[shards][pages][];
        this.genPages = new int[shards][pages][];
        this.freedPages = new long[shards][pages][];
        this.freedSummary = new long[shards][SUMMARY_BASE + ((pages + 63) >>> 6) + Layout.PAD_LONGS];
        this.freeStacks = new int[shards][1][];
        this.ownerState = new long[(shards + 2) * OWNER_STRIDE];
        this.removeCount = new PaddedAtomicLong[shards];
        for (int s = 0; s < shards; s++) {
            removeCount[s] = new PaddedAtomicLong();
        }
    }

    /** {@return the number of shards} */
    public int shards() {
        return shardCount;
    }

    /** {@return the capacity of each shard} */
    public int maxSlotsPerShard() {
        return maxSlotsPerShard;
    }

    /**
     * Adds a connection to shard {@code shard} and returns its id. Owner thread of the shard only. O(1),
     * amortized: when the owner's free stack is empty and other threads have removed entries of the shard
     * since the last time, it first takes back the slots they freed (reading one summary word per 64 pages
     * in use, and only the marked words below; each freed slot is taken back once). Allocates nothing
     * except a new page (4,096 slots) when the shard grows past its pages, or a page of the free stack
     * (1,024 slots) when taking slots back needs more room than the stack ever had.
     *
     * @param shard the caller's shard, in [0, shards())
     * @param conn the connection, not null
     * @return the new id, never 0
     * @throws IllegalArgumentException if {@code shard} is out of range
     * @throws NullPointerException if {@code conn} is null
     * @throws IllegalStateException if the shard holds {@code maxSlotsPerShard()} connections. Weakly
     *         consistent: it may also throw while another thread's {@link #remove(long)} of an entry of
     *         this shard is still in progress (its slot comes back to the owner when that call returns)
     */
    public long add(int shard, C conn) {
        Objects.requireNonNull(conn, "conn");
        if (shard < 0 || shard >= shardCount) {
            throw new IllegalArgumentException("shard must be in [0, " + shardCount + "), was " + shard);
        }
        long[] own = ownerState;
        int base = (shard + 1) * OWNER_STRIDE;
        long state = own[base + STATE];
        if ((int) state == 0) {
            state = harvestIfRemoved(shard, base, state);
        }
        int n = (int) state;
        int slot;
        int page;
        int offset;
        if (n != 0) {
            n--;
            slot = freeStacks[shard][n >>> STACK_SHIFT][n & STACK_MASK];
            LONG.setRelease(own, base + STATE, state - 1);
            page = slot >>> pageShift;
            offset = slot & pageMask;
        } else {
            slot = (int) own[base + HIGH_WATER];
            if (slot >= maxSlotsPerShard) {
                throw new IllegalStateException("shard " + shard + " is full: " + maxSlotsPerShard
                        + " connections (maxSlotsPerShard)");
            }
            page = slot >>> pageShift;
            offset = slot & pageMask;
            if (offset == 0) {
                addPage(shard, page);
            }
            LONG.setOpaque(own, base + HIGH_WATER, slot + 1L);
        }
        int[] gens = genPages[shard][page];
        int gen = (gens[offset] + 1) & genMask;          // even -> odd: live
        OBJ.setRelease(connPages[shard][page], offset, conn);
        INT.setRelease(gens, offset, gen);
        return idOf(gen, shard, slot);
    }

    /**
     * Returns the connection with this id, or null if the id is not live in this matrix: removed, stale,
     * never issued, or malformed. Any thread; wait-free; allocates nothing.
     *
     * @param id an id returned by {@link #add(int, Object)}, or any other value
     * @return the connection, or null
     */
    @SuppressWarnings("unchecked")
    public C get(long id) {
        int gen = (int) (id >>> 32);
        int shard = (int) (id >>> SLOT_BITS) & 0xFF;
        int slot = (int) id & SLOT_MASK;
        Object[] conns = pageOf(gen, shard, slot);
        if (conns == null) {
            return null;
        }
        int page = slot >>> pageShift;
        int[] gens = genPages[shard][page];
        int offset = slot & pageMask;
        if ((int) INT.getAcquire(gens, offset) != gen) {
            return null;
        }
        Object c = OBJ.getAcquire(conns, offset);
        return (int) INT.getAcquire(gens, offset) == gen ? (C) c : null;
    }

    /**
     * Removes the connection with this id. Any thread; lock-free. Of all the threads that remove one id,
     * exactly one gets true.
     *
     * @param id the id
     * @return true if this call removed a live entry; false if the id was not live (already removed,
     *         stale, never issued or malformed)
     */
    public boolean remove(long id) {
        return remove(id, null, false);
    }

    /**
     * Removes the connection with this id only if it is {@code expected} (compared by identity). Any
     * thread; lock-free; exactly one winner per id, as {@link #remove(long)}.
     *
     * @param id the id
     * @param expected the connection the caller believes the id names; null names no connection, so the
     *                 answer is then false (as {@code ConcurrentHashMap.remove(key, null)} answers)
     * @return true if this call removed the entry; false if the id was not live or named another object
     */
    public boolean remove(long id, C expected) {
        return remove(id, expected, true);
    }

    /**
     * Removes the connection with this id, called by the owner thread of the id's shard (the thread that
     * adds to it). The slot goes straight back to the owner's free stack (which also counts it for
     * {@link #size(int)}), so the only atomic operation is the generation CAS that decides the winner against
     * concurrent {@link #remove(long)} calls from other threads. Lock-free; wait-free in fact, as the CAS
     * is not retried. Allocates nothing except, before the CAS, a page of the free stack (1,024 slots)
     * when the owner is about to hold more free slots than ever before.
     *
     * @param id the id
     * @return true if this call removed a live entry; false if the id was not live
     */
    public boolean removeByOwner(long id) {
        int gen = (int) (id >>> 32);
        int shard = (int) (id >>> SLOT_BITS) & 0xFF;
        int slot = (int) id & SLOT_MASK;
        Object[] conns = pageOf(gen, shard, slot);
        if (conns == null) {
            return false;
        }
        int page = slot >>> pageShift;
        int offset = slot & pageMask;
        int stateAt = (shard + 1) * OWNER_STRIDE + STATE;
        long state = ownerState[stateAt];
        int n = (int) state;
        int[] stackPage = freeStacks[shard][n >>> STACK_SHIFT];   // the table always has room for its index
        if (stackPage == null) {
            stackPage = reserve(shard, n + 1);     // before the CAS: a failed allocation loses nothing
        }
        if (!INT.compareAndSet(genPages[shard][page], offset, gen, (gen + 1) & genMask)) {
            return false;
        }
        OBJ.setRelease(conns, offset, null);
        stackPage[n & STACK_MASK] = slot;
        LONG.setRelease(ownerState, stateAt, state + 1);
        return true;
    }

    private boolean remove(long id, Object expected, boolean checkExpected) {
        int gen = (int) (id >>> 32);
        int shard = (int) (id >>> SLOT_BITS) & 0xFF;
        int slot = (int) id & SLOT_MASK;
        Object[] conns = pageOf(gen, shard, slot);
        if (conns == null) {
            return false;
        }
        int page = slot >>> pageShift;
        int[] gens = genPages[shard][page];
        int offset = slot & pageMask;
        // A live generation names one connection for its whole life. So once the slot is seen live at
        // `gen` holding `expected`, a successful CAS below removes exactly that entry. If the slot is not
        // (yet) live at `gen`, answer false here: going on to the CAS could remove an entry whose add
        // publishes `gen` in between, without its connection ever having been compared.
        if (checkExpected && ((int) INT.getAcquire(gens, offset) != gen
                || OBJ.getAcquire(conns, offset) != expected)) {
            return false;
        }
        if (!INT.compareAndSet(gens, offset, gen, (gen + 1) & genMask)) {
            return false;
        }
        OBJ.setRelease(conns, offset, null);
        markFreed(shard, page, offset);
        removeCount[shard].getAndIncrement();
        return true;
    }

    /**
     * Number of live entries in all shards. Any thread. Weakly consistent: while adds and removes run it
     * may miss some of them; at rest it is exact.
     *
     * @return the number of live entries, never negative
     */
    public long size() {
        long total = 0;
        for (int s = 0; s < shardCount; s++) {
            total += size(s);
        }
        return total;
    }

    /**
     * Number of live entries in one shard, derived from the owner's padded fields (its next fresh slot,
     * its free stack and what it took back from other threads' removes) and the shard's padded count of
     * other threads' removes. Any thread; weakly consistent: while adds and removes run it may miss some
     * of them; it never goes negative, and at rest it is exact.
     *
     * @param shard the shard, in [0, shards())
     * @return the number of live entries in the shard, never negative
     * @throws IllegalArgumentException if {@code shard} is out of range
     */
    public long size(int shard) {
        if (shard < 0 || shard >= shardCount) {
            throw new IllegalArgumentException("shard must be in [0, " + shardCount + "), was " + shard);
        }
        int base = (shard + 1) * OWNER_STRIDE;
        int removed = (int) removeCount[shard].getAcquire();
        long state = (long) LONG.getAcquire(ownerState, base + STATE);
        long highWater = (long) LONG.getOpaque(ownerState, base + HIGH_WATER);
        int onStack = (int) state;
        int harvested = (int) (state >>> 32);
        return Math.max(0L, highWater - onStack - (removed - harvested));
    }

    /**
     * Receives an entry during {@link #forEach(EntryConsumer)}.
     *
     * @param <C> the connection type
     */
    @FunctionalInterface
    public interface EntryConsumer<C> {
        /**
         * Receives one entry.
         *
         * @param id the entry's id
         * @param conn the entry's connection, never null
         */
        void accept(long id, C conn);
    }

    /**
     * Calls {@code action} for each live entry, shard by shard, slot by slot. Any thread; weakly
     * consistent: never yields an entry twice, never one removed before the call began; entries added or
     * removed during the call may or may not be yielded. Allocates nothing.
     *
     * @param action receives each entry's id and connection
     */
    public void forEach(EntryConsumer<? super C> action) {
        Objects.requireNonNull(action, "action");
        for (int s = 0; s < shardCount; s++) {
            Object[][] table = connPages[s];
            for (int p = 0; p < table.length; p++) {
                Object[] conns = (Object[]) CONN_PAGE.getAcquire(table, p);
                if (conns == null) {
                    break;                 // pages are added in order: none after a missing one
                }
                int[] gens = genPages[s][p];
                for (int o = 0; o < conns.length; o++) {
                    int gen = (int) INT.getAcquire(gens, o);
                    if ((gen & 1) == 0) {
                        continue;
                    }
                    Object c = OBJ.getAcquire(conns, o);
                    if (c != null && (int) INT.getAcquire(gens, o) == gen) {
                        @SuppressWarnings("unchecked")
                        C conn = (C) c;
                        action.accept(idOf(gen, s, (p << pageShift) | o), conn);
                    }
                }
            }
        }
    }

    /**
     * Calls {@code action} for each live connection; see {@link #forEach(EntryConsumer)}.
     *
     * @param action receives each connection
     */
    public void forEachConnection(Consumer<? super C> action) {
        Objects.requireNonNull(action, "action");
        forEach((id, c) -> action.accept(c));
    }

    /**
     * A weakly consistent iterator over the live connections, with the guarantees of
     * {@link #forEach(EntryConsumer)}. Any thread. {@code remove()} is not supported: remove by id.
     *
     * @return a new iterator
     */
    public Iterator<C> iterator() {
        return new Itr();
    }

    private final class Itr implements Iterator<C> {
        private int shard;
        private int slot;             // next slot to look at in `shard`
        private C next;

        Itr() {
            advance();
        }

        @SuppressWarnings("unchecked")
        private void advance() {
            next = null;
            while (shard < shardCount) {
                Object[][] table = connPages[shard];
                while (slot < maxSlotsPerShard) {
                    int p = slot >>> pageShift;
                    Object[] conns = (Object[]) CONN_PAGE.getAcquire(table, p);
                    if (conns == null) {
                        break;
                    }
                    int o = slot++ & pageMask;
                    int[] gens = genPages[shard][p];
                    int gen = (int) INT.getAcquire(gens, o);
                    if ((gen & 1) != 0) {
                        Object c = OBJ.getAcquire(conns, o);
                        if (c != null && (int) INT.getAcquire(gens, o) == gen) {
                            next = (C) c;
                            return;
                        }
                    }
                }
                shard++;
                slot = 0;
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public C next() {
            C c = next;
            if (c == null) {
                throw new NoSuchElementException();
            }
            advance();
            return c;
        }
    }

    /**
     * The shard an id belongs to, for routing work to the owning event loop. Does not check that the id
     * is live.
     *
     * @param id an id
     * @return its shard field, in [0, 256)
     */
    public static int shardOf(long id) {
        return (int) (id >>> SLOT_BITS) & 0xFF;
    }

    private static long idOf(int gen, int shard, int slot) {
        return ((long) gen << 32) | ((long) shard << SLOT_BITS) | slot;
    }

    /**
     * The connections page of a well-formed id's slot (odd generation, shard and slot in range), acquired;
     * null if the id is malformed or its page does not exist yet. A non-null page implies its gens and
     * freed pages are visible too (they are published before it).
     */
    private Object[] pageOf(int gen, int shard, int slot) {
        if ((gen & 1) == 0 || shard >= shardCount || slot >= maxSlotsPerShard) {
            return null;
        }
        return (Object[]) CONN_PAGE.getAcquire(connPages[shard], slot >>> pageShift);
    }

    /**
     * A remote remover's hand-back of a slot it won: its leaf bit, then the group and page bits above it
     * where they read clear (see the implementation notes for why reading them set is enough).
     */
    private void markFreed(int shard, int page, int offset) {
        long[] bits = freedPages[shard][page];
        int word = offset >>> 6;
        LONG.getAndBitwiseOr(bits, 1 + word, 1L << offset);
        long groupBit = 1L << (word >>> groupShift);
        if (((long) LONG.getVolatile(bits, 0) & groupBit) == 0) {
            LONG.getAndBitwiseOr(bits, 0, groupBit);
        }
        long[] summary = freedSummary[shard];
        int at = SUMMARY_BASE + (page >>> 6);
        long pageBit = 1L << page;
        if (((long) LONG.getVolatile(summary, at) & pageBit) == 0) {
            LONG.getAndBitwiseOr(summary, at, pageBit);
        }
    }

    /**
     * The owner's take of the slots other threads freed, when its stack is empty: only if removeCount
     * moved since the last full harvest. Returns the shard's new STATE word (stack size in the low 32
     * bits), or {@code state} unchanged if there was nothing to take.
     */
    private long harvestIfRemoved(int shard, int base, long state) {
        long[] own = ownerState;
        int removes = (int) removeCount[shard].getAcquire();
        if (removes == (int) own[base + SEEN]) {
            return state;
        }
        int pagesInUse = (int) ((own[base + HIGH_WATER] + pageMask) >>> pageShift);   // >= 1: a remove needs an add
        long[] summary = freedSummary[shard];
        int last = SUMMARY_BASE + ((pagesInUse - 1) >>> 6);
        for (int at = last; at >= SUMMARY_BASE; at--) {
            if ((long) LONG.getVolatile(summary, at) == 0) {
                continue;
            }
            long pages = (long) LONG.getAndSet(summary, at, 0L);
            while (pages != 0) {
                int bit = 63 - Long.numberOfLeadingZeros(pages);
                try {
                    harvestPage(shard, base, ((at - SUMMARY_BASE) << 6) | bit);
                } catch (Error e) {                  // the stack's growth failed: nothing is lost
                    LONG.getAndBitwiseOr(summary, at, pages);
                    throw e;
                }
                pages &= ~(1L << bit);
            }
        }
        own[base + SEEN] = removes;
        return own[base + STATE];
    }

    /** Pushes the freed slots of one page whose page bit the owner took, highest first. */
    private void harvestPage(int shard, int base, int page) {
        long[] bits = freedPages[shard][page];
        long[] own = ownerState;
        long groups = (long) LONG.getAndSet(bits, 0, 0L);
        while (groups != 0) {
            int group = 63 - Long.numberOfLeadingZeros(groups);
            try {
                int first = 1 + (group << groupShift);
                for (int w = Math.min(bits.length, first + (1 << groupShift)) - 1; w >= first; w--) {
                    if ((long) LONG.getVolatile(bits, w) == 0) {
                        continue;
                    }
                    long state = own[base + STATE];
                    int n = (int) state;
                    reserve(shard, n + 64);
                    int[][] stack = freeStacks[shard];       // after reserve, which may replace the table
                    long freed = (long) LONG.getAndSet(bits, w, 0L);
                    int took = Long.bitCount(freed);
                    int slotBase = (page << pageShift) + ((w - 1) << 6);
                    while (freed != 0) {
                        int b = 63 - Long.numberOfLeadingZeros(freed);
                        freed &= ~(1L << b);
                        stack[n >>> STACK_SHIFT][n & STACK_MASK] = slotBase + b;
                        n++;
                    }
                    LONG.setRelease(own, base + STATE, state + took + took * ONE_HARVESTED);
                }
            } catch (Error e) {                      // the stack's growth failed: nothing is lost
                LONG.getAndBitwiseOr(bits, 0, groups);
                throw e;
            }
            groups &= ~(1L << group);
        }
    }

    /**
     * Makes the owner's stack hold at least {@code size} entries (pages allocated, the table doubled as
     * needed) and returns the page of entry {@code size - 1}. Owner only.
     */
    private int[] reserve(int shard, int size) {
        int[][] table = freeStacks[shard];
        int lastPage = (size - 1) >>> STACK_SHIFT;
        if (lastPage >= table.length - 1) {                  // keep room for the next page's index
            int length = table.length;
            while (lastPage >= length - 1) {
                length <<= 1;
            }
            table = Arrays.copyOf(table, length);
        }
        for (int p = lastPage; p >= 0 && table[p] == null; p--) {
            table[p] = new int[STACK_PAGE];
        }
        freeStacks[shard] = table;
        return table[lastPage];
    }

    private void addPage(int shard, int page) {
        int size = Math.min(1 << pageShift, maxSlotsPerShard - (page << pageShift));
        int[] gens = new int[size];
        long[] freed = new long[1 + ((size + 63) >>> 6)];
        Object[] conns = new Object[size];
        INT_PAGE.setRelease(genPages[shard], page, gens);
        LONG_PAGE.setRelease(freedPages[shard], page, freed);
        CONN_PAGE.setRelease(connPages[shard], page, conns);
    }
}
