package dev.netkit.pool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;

/**
 * The fields of a {@link LocalCache} that other threads read on every cross-thread return (identity,
 * inbox, retirement flags), kept apart from the owner's per-operation fields by {@link LocalCachePad}.
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
 * 128 bytes between the fields other threads read and the owner's stack fields: HotSpot lays out a
 * superclass's fields before its subclass's, so the owner's writes (a stack size on every operation)
 * never invalidate the line a returning thread reads.
 */
abstract class LocalCachePad extends LocalCacheShared {
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;

    LocalCachePad(Object poolToken, Thread owner, int capacity, int inboxCapacity) {
        super(poolToken, owner, capacity, inboxCapacity);
    }
}

/**
 * One platform thread's cache for one {@link ObjectPool}: two owner-only array stacks (the current and the
 * victim generation), an inbox for objects other threads return, and the owner's counters.
 * Package-private: see {@link ObjectPool}'s implementation notes for the rules.
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
     * read by anyone with opaque loads (statistics, never a synchronization point).
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
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            RETIRING = l.findVarHandle(LocalCacheShared.class, "retiring", int.class);
            RETIRED = l.findVarHandle(LocalCacheShared.class, "retired", boolean.class);
            DRAIN_LOCK = l.findVarHandle(LocalCacheShared.class, "drainLock", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    Pooled[] primary;
    int primarySize;
    Pooled[] victim;
    int victimSize;
    int epoch;
    private final long[] counts = new long[5];

    LocalCache(Object poolToken, Thread owner, int capacity, int inboxCapacity, int epoch) {
        super(poolToken, owner, capacity, inboxCapacity);
        this.primary = new Pooled[capacity];
        this.victim = new Pooled[capacity];
        this.epoch = epoch;
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

    /** Owner only: pooled objects in the two stacks. */
    int stacked() {
        return primarySize + victimSize;
    }

    boolean isRetired() {
        return retired;
    }

    /** Trimmer: claims the right to retire this dead thread's cache; true for exactly one caller. */
    boolean claimRetirement() {
        return RETIRING.compareAndSet(this, 0, 1);
    }

    void markRetired() {
        RETIRED.setVolatile(this, true);
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
