package dev.netkit.pool;

import dev.netkit.padding.internal.Handles;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;

/**
 * The fields of a {@link LocalCache} that other threads read on every cross-thread return (identity,
 * inbox, retirement flags), kept apart from the owner's per-operation fields by {@link LocalCachePad}.
 * Read and written only by {@link LocalCache}'s methods (a superclass for the layout only).
 */
abstract class LocalCacheShared {
    /**
     * The owning pool's identity token, not the pool itself: the thread's ThreadLocalMap holds this cache
     * strongly, so a reference to the pool (and through it to its ThreadLocal key) would keep every pool a
     * long-lived thread ever used alive forever.
     */
    final Object poolToken;
    final Thread owner;
    final MpscAtomicArrayQueue<Pooled> inbox;
    /** The most objects the two stacks hold together; read by the owner with its stacks. */
    final int capacity;
    @SuppressWarnings("unused")
    int retiring;
    @SuppressWarnings("unused")
    volatile boolean retired;
    @SuppressWarnings("unused")
    int drainLock;

    LocalCacheShared(Object poolToken, Thread owner, int capacity, int inboxCapacity) {
        this.poolToken = poolToken;
        this.owner = owner;
        this.capacity = capacity;
        this.inbox = new MpscAtomicArrayQueue<>(Math.max(2, inboxCapacity));
    }
}

/**
 * 128 bytes ({@code Layout.PAD_BYTES}: {@code Layout.PAD_LONGS} longs) between the fields other threads
 * read and the owner's stack fields: HotSpot lays out a superclass's fields before its subclass's, so the
 * owner's writes (a stack size on every operation) never invalidate the line a returning thread reads.
 */
abstract class LocalCachePad extends LocalCacheShared {
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;

    LocalCachePad(Object poolToken, Thread owner, int capacity, int inboxCapacity) {
        super(poolToken, owner, capacity, inboxCapacity);
    }
}

/**
 * One thread's cache for one {@link ObjectPool} (a platform thread's, or a virtual thread's with
 * {@code virtualThreadCaches}): two owner-only array stacks (the current and the victim generation), an
 * inbox for objects other threads return, and the owner's counters. It does its own stack work (push, pop,
 * rotate, drain, retire) on private fields; the pool decides which thread may call what, and lends its
 * drop and rescue hooks. Package-private: see {@link ObjectPool}'s implementation notes for the state word.
 */
final class LocalCache extends LocalCachePad {
    /*
     * Implementation notes.
     *
     * Owner-only fields (read and written by `owner` alone while it lives; after it dies, by the one
     * trimmer that wins `retiring`, which has seen owner.isAlive() == false, so every owner write
     * happens-before its reads): primary, primarySize, victim, victimSize, epoch.
     *
     * Counters: `counts` is written by the owner alone with a plain read and an opaque store (no CAS),
     * read by anyone with opaque loads (statistics, never a synchronization point). RELEASED includes the
     * cross-thread returns the owner drained from its inbox (issue 17: the releasing thread counts
     * nothing, which saves it an atomic add per return); ObjectPool.stats() adds the inbox's size, so a
     * return counts as released from its offer on, and once at rest (a late duplicate still queued counts
     * as released until drained, then as dropped; see ObjectPool's "Counting").
     *
     * Inbox: a JCTools MPSC queue. Any thread offers (a CAS on the producer index, release store of the
     * element: publishes the object's contents and its state word); the owner polls while alive. After
     * the owner died, whoever holds `drainLock` (CAS 0 -> 1) polls; the lock's release store and the next
     * holder's CAS order consecutive consumers.
     *
     * Layout: the fields a returning thread reads (poolToken, owner, inbox, retired) live in
     * LocalCacheShared, 128 bytes of padding (LocalCachePad) before the owner's stack fields, which the
     * owner writes on every acquire and release: without it each cross-thread return missed on the line
     * the owner had just written.
     *
     * Retirement: a trimmer CASes `retiring` 0 -> 1, empties the stacks into the shared slots, then sets
     * `retired` (volatile) and drains the inbox under drainLock. A releaser offers to the inbox and then
     * reads `retired`; if set, it drains too. Dekker: the releaser's offer (volatile) precedes its read of
     * `retired`, the trimmer's write of `retired` precedes its drain, so either the trimmer's drain sees
     * the object or the releaser sees `retired` and drains it itself; the drain loop re-checks the queue
     * after releasing drainLock so a drain that lost the lock is never lost. Nothing stays in a retired
     * inbox.
     */
    static final int CREATED = 0;
    static final int ACQUIRED = 1;
    static final int RELEASED = 2;
    static final int DROPPED = 3;
    static final int TRIMMED = 4;
    private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle RETIRING;
    private static final VarHandle RETIRED;
    private static final VarHandle DRAIN_LOCK;
    static {
        MethodHandles.Lookup l = MethodHandles.lookup();
        RETIRING = Handles.field(l, LocalCacheShared.class, "retiring", int.class);
        RETIRED = Handles.field(l, LocalCacheShared.class, "retired", boolean.class);
        DRAIN_LOCK = Handles.field(l, LocalCacheShared.class, "drainLock", int.class);
    }

    private Pooled[] primary;
    private int primarySize;
    private Pooled[] victim;
    private int victimSize;
    private int epoch;
    private final long[] counts = new long[5];

    LocalCache(Object poolToken, Thread owner, int capacity, int inboxCapacity, int epoch) {
        super(poolToken, owner, capacity, inboxCapacity);
        this.primary = new Pooled[capacity];
        this.victim = new Pooled[capacity];
        this.epoch = epoch;
    }

    // ---- owner fast path: small enough to inline into acquire and release ----

    /**
     * Owner: pops the current generation if the cache is in epoch {@code e} and the generation is not
     * empty, and sets the object IN_USE; null otherwise (the caller takes the slow path).
     */
    Pooled popCurrent(int e) {
        int n = primarySize;
        if (epoch != e || n <= 0) {
            return null;
        }
        Pooled[] p = primary;
        Pooled o = p[--n];
        p[n] = null;
        primarySize = n;
        o.poolState = Pooled.IN_USE;
        count(ACQUIRED, 1);
        return o;
    }

    /**
     * Owner: pushes an object it holds exclusively (already reset) onto the current generation if the
     * cache is in epoch {@code e} and has room; false otherwise (the caller takes the slow path).
     */
    boolean pushCurrent(Pooled o, int e) {
        int n = primarySize;
        if (epoch != e || n + victimSize >= capacity) {
            return false;
        }
        o.poolState = Pooled.IN_STACK;
        primary[n] = o;
        primarySize = n + 1;
        count(RELEASED, 1);
        return true;
    }

    // ---- owner slow path ----

    /** Owner: pops the current generation, then the victim; sets IN_USE; null when both are empty. */
    Pooled pop() {
        Pooled[] a;
        int n;
        if (primarySize > 0) {
            a = primary;
            n = --primarySize;
        } else if (victimSize > 0) {
            a = victim;
            n = --victimSize;
        } else {
            return null;
        }
        Pooled o = a[n];
        a[n] = null;
        o.poolState = Pooled.IN_USE;
        return o;
    }

    /**
     * Owner: pushes an object it holds exclusively, evicting the victim generation first when full (the
     * evicted object, or {@code o} itself when there is no victim, goes to {@code pool.drop}).
     */
    void push(Pooled o, ObjectPool<?> pool) {
        if (stacked() >= capacity) {
            if (victimSize > 0) {
                Pooled v = victim[--victimSize];
                victim[victimSize] = null;
                pool.drop(v);
                count(TRIMMED, 1);
            } else {
                pool.drop(o);
                count(DROPPED, 1);
                return;
            }
        }
        o.poolState = Pooled.IN_STACK;
        primary[primarySize++] = o;
        count(RELEASED, 1);
    }

    /**
     * Owner (or the retiring trimmer): starts epoch {@code e} in this cache. One period on: the current
     * generation becomes the victim and the old victim is dropped; two or more (or an epoch that wrapped
     * backwards): both are dropped.
     */
    void rotate(int e, ObjectPool<?> pool) {
        int gens = e - epoch;
        if (gens == 0) {
            return;
        }
        int n = dropAll(victim, victimSize, pool);
        victimSize = 0;
        if (gens >= 2 || gens < 0) {
            n += dropAll(primary, primarySize, pool);
            primarySize = 0;
        } else {
            Pooled[] old = victim;
            victim = primary;
            victimSize = primarySize;
            primary = old;
            primarySize = 0;
        }
        if (n > 0) {
            count(TRIMMED, n);
        }
        epoch = e;
    }

    /** {@link #rotate} when the cache is not in epoch {@code e} yet. */
    void rotateTo(int e, ObjectPool<?> pool) {
        if (epoch != e) {
            rotate(e, pool);
        }
    }

    private static int dropAll(Pooled[] a, int n, ObjectPool<?> pool) {
        for (int i = 0; i < n; i++) {
            pool.drop(a[i]);
            a[i] = null;
        }
        return n;
    }

    /** Owner: moves up to the room left of its inbox into the current generation. */
    void drainInbox() {
        int room = capacity - stacked();
        int taken = 0;
        Pooled o;
        while (room > 0 && (o = inbox.relaxedPoll()) != null) {
            if (o.poolState == Pooled.IN_QUEUE) {
                o.poolState = Pooled.IN_STACK;
                primary[primarySize++] = o;
                room--;
                taken++;
            } else {
                count(DROPPED, 1);       // a late duplicate (see ObjectPool's notes)
            }
        }
        if (taken > 0) {
            count(RELEASED, taken);      // cross-thread returns are counted here, by the owner, not by the releaser
        }
    }

    /**
     * Any thread, a racy estimate (exact at rest): returns offered to the inbox and not yet drained,
     * late duplicates still queued included.
     */
    int inboxSize() {
        return inbox.size();
    }

    /** Owner only: adds {@code n} to counter {@code i} without CAS. */
    void count(int i, long n) {
        long[] c = counts;
        COUNT.setOpaque(c, i, c[i] + n);
    }

    /** Any thread: opaque read of counter {@code i}. */
    long read(int i) {
        return (long) COUNT.getOpaque(counts, i);
    }

    /** Owner only (a racy estimate elsewhere): pooled objects in the two stacks. */
    int stacked() {
        return primarySize + victimSize;
    }

    /** Any thread, a racy estimate: pooled objects in the two stacks and the inbox. */
    int idle() {
        return stacked() + inbox.size();
    }

    // ---- identity and cross-thread return: any thread ----

    /** Whether {@code t} owns this cache and the cache belongs to the pool with {@code poolToken}. */
    boolean isOwnedBy(Thread t, Object poolToken) {
        return owner == t && this.poolToken == poolToken;
    }

    /** Whether this cache belongs to the pool with {@code poolToken}. */
    boolean belongsTo(Object poolToken) {
        return this.poolToken == poolToken;
    }

    boolean isOwnerAlive() {
        return owner.isAlive();
    }

    /** Whether a foreign release should go to this cache's inbox: its owner lives and it is not retired. */
    boolean acceptsReturns() {
        return owner.isAlive() && !retired;
    }

    /**
     * Another thread returns {@code o} (already IN_QUEUE and reset) to this cache's inbox; false if the
     * inbox is full. The caller then calls {@link #drainIfRetired}: the offer's CAS followed by that
     * volatile read of {@code retired} is the releaser's side of the Dekker pair in the notes above.
     */
    boolean offerReturn(Pooled o) {
        return inbox.offer(o);
    }

    /**
     * After a successful {@link #offerReturn}: if the cache was retired meanwhile, drains the inbox itself, so
     * nothing stays in a retired inbox.
     */
    void drainIfRetired(ObjectPool<?> pool) {
        if (retired) {
            drainRetired(pool);
        }
    }

    // ---- retirement of a dead owner's cache ----

    /** Trimmer: claims the right to retire this dead thread's cache; true for exactly one caller. */
    boolean claimRetirement() {
        return RETIRING.compareAndSet(this, 0, 1);
    }

    /**
     * The trimmer that won {@link #claimRetirement}: moves the dead owner's stacks out through
     * {@code pool.rescue}, marks the cache retired and drains its inbox. The caller folds the counters.
     */
    void retire(ObjectPool<?> pool) {
        for (int i = 0; i < primarySize; i++) {
            pool.rescue(primary[i], false);
            primary[i] = null;
        }
        for (int i = 0; i < victimSize; i++) {
            pool.rescue(victim[i], false);
            victim[i] = null;
        }
        primarySize = 0;
        victimSize = 0;
        RETIRED.setVolatile(this, true);
        drainRetired(pool);
    }

    /** After retirement, any thread: takes the consumer role if free and moves the inbox out. */
    void drainRetired(ObjectPool<?> pool) {
        do {
            if (!DRAIN_LOCK.compareAndSet(this, 0, 1)) {
                return;            // the holder re-checks the queue after unlocking
            }
            try {
                Pooled o;
                while ((o = inbox.relaxedPoll()) != null) {
                    pool.rescue(o, true);
                }
            } finally {
                DRAIN_LOCK.setVolatile(this, 0);
            }
        } while (!inbox.isEmpty());
    }
}
