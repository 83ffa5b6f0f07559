package dev.netkit.pool;

import dev.netkit.padding.StripedCounter;
import dev.netkit.padding.internal.Handles;
import dev.netkit.padding.internal.Hashing;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A pool of reusable objects that stays fast on any thread: a platform thread acquires and releases its
 * own objects through a thread-local array stack with no CAS and no allocation; another thread returns
 * them without locks through the owner's bounded MPSC inbox, which the owner drains in batches; virtual
 * threads share striped, padded slots instead of a cache each; idle objects are dropped after two trim
 * periods (Go's victim generation).
 *
 * <p>Objects extend {@link Pooled}, which holds the pool's state word: a double release throws
 * {@link IllegalStateException} without any handle object per item.
 *
 * <h2>Thread safety</h2>
 * Every public method may be called from any thread, platform or virtual. An object must be released at
 * most once per acquire, by any one thread, after which the releasing thread must not touch it.
 * {@code release} happens-before the {@code acquire} that returns the same object, so writes made before
 * a release are visible to the next acquirer. A release that races another release of the same object is
 * detected with exactly one winner whenever the object's owner thread is not one of the two (both take the
 * CAS path); when the owner's CAS-free release races a foreign one, both may return normally, but the pool
 * still keeps the object at most once (the owner discards the late copy when it drains its inbox, counted
 * as dropped) and never hands it out twice.
 *
 * <h2>Where objects live</h2>
 * <ul>
 *   <li><b>Platform threads</b>: a per-thread cache of at most {@code capacityPerThread} objects (two
 *       generations) and an inbox of {@code inboxCapacity}. Releases beyond these bounds drop the object
 *       (the GC takes it; counted as dropped).</li>
 *   <li><b>Virtual threads</b>: never a cache of their own (a million virtual threads must not mean a
 *       million caches). They poll and offer to {@code stripes x slotsPerStripe} shared slots chosen by a
 *       hash of the thread id; each access is one CAS on a slot, plus one CAS on the state word for a
 *       release. With {@link ObjectPoolBuilder#virtualThreadCaches()}, each virtual thread instead gets a
 *       cache of its own, exactly like a platform thread's (for a few long-lived virtual threads).</li>
 *   <li><b>Dead threads</b>: {@link #trim()} moves a dead thread's cache and inbox into the shared slots
 *       (the overflow is dropped) and forgets the cache, so nothing is lost for good and nothing leaks.</li>
 * </ul>
 *
 * <h2>Trimming</h2>
 * {@link #trim()} starts a new period. The shared slots drop objects released two or more periods ago;
 * each platform cache rotates its generations at its owner's next acquire or release (current becomes
 * victim, the old victim is dropped; after two periods of idleness nothing is left). The owner's stack is
 * written by the owner only, which is what keeps its fast path CAS-free, so a live but idle thread trims
 * at its next use of the pool. An optional timer ({@link ObjectPoolBuilder#trimEvery}) calls
 * {@code trim()} on a daemon thread until {@link #close()}.
 *
 * @param <T> the pooled type
 */
public final class ObjectPool<T extends Pooled> implements AutoCloseable {
    /*
     * Implementation notes.
     *
     * State word (Pooled.poolState) transitions:
     *   new            -> IN_USE                                   factory, on the acquiring thread
     *   IN_USE         -> IN_STACK   plain store                   owner release (home == caller's cache)
     *   IN_USE         -> IN_STACK   CAS                           a platform thread adopting a homeless
     *                                                              object (home null or dead)
     *   IN_USE         -> IN_QUEUE   CAS                           foreign release to a live home
     *   IN_USE         -> IN_SHARED|epoch<<3  CAS                  virtual thread release (homeless or dead)
     *   IN_STACK       -> IN_USE     plain store                   owner acquire (popped from its stack)
     *   IN_QUEUE       -> IN_STACK   plain store                   owner drains its inbox
     *   IN_SHARED      -> IN_USE     opaque store                  poll won the slot CAS
     *   any pooled     -> DROPPED                                  dropped or trimmed by whoever holds it
     * Only IN_USE accepts a release. Every CAS from IN_USE has one winner, so two releases on the CAS path
     * cannot both succeed. The owner's release reads and writes plainly; a foreign CAS that slips between
     * them leaves a copy in the inbox whose state is no longer IN_QUEUE when drained, and the owner drops
     * that copy (a duplicate never reaches the stack).
     *
     * Home (Pooled.poolHome): the cache that handed the object out, or the pool's token for objects from
     * the shared slots (so that another pool rejects them; null only before the first acquire). Written by
     * the thread that holds the object exclusively, before it is published again.
     *
     * Routing. ObjectPool decides which path an operation takes; LocalCache does the stack work on its
     * private fields. acquire: a thread with a cache (cached(t)) pops its current generation
     * (LocalCache.popCurrent), else acquireCachedSlow (rotate, pop either generation, drain the inbox,
     * poll the shared slots, create); a thread without one takes acquireShared. release: the owner of the
     * object's home cache pushes (LocalCache.pushCurrent, else ownerPushSlow); anyone else takes
     * releaseSlow, which sends it to a live home's inbox (releaseToInbox), adopts a homeless object into
     * its own cache (adopt), or offers it to the shared slots (releaseShared).
     *
     * Who writes what: a LocalCache's stacks, sizes, epoch and counters are written by its owner only (see
     * LocalCache). `epoch` is incremented by trim() (volatile getAndAdd) and read opaquely on the fast
     * path: a stale read only delays a rotation by one call. `caches` (ConcurrentLinkedQueue) is appended
     * once per thread with a cache (every platform thread; a virtual thread too with virtualThreadCaches)
     * (before the cache is installed in `local`; see register) and pruned by
     * trim(). Shared-path counters are StripedCounter shared cells.
     *
     * Counting. A cross-thread return (releaseToInbox) is counted as released by whoever drains it: the
     * owner's LocalCache.drainInbox (its RELEASED counter, no CAS), or rescue() for a retired inbox (the
     * shared `released`); until then stats() counts it through the inbox's size. So the releasing thread
     * does no counter add (issue 17: one atomic read-modify-write fewer per return) and at rest each
     * return is counted once. An inbox copy that turns out to be a late duplicate (a double release racing
     * the owner's own release: misuse) counts as released while queued and as dropped, not released, once
     * drained; and a stats() that reads a cache's counter before its drain and the inbox size after it
     * misses what was drained in between (weakly consistent while running, as every counter here).
     *
     * Allocation before publication. Each allocation of a slow path (a thread's first cache: the
     * LocalCache, a queue node, a ThreadLocal entry; the factory's object) comes before the state change
     * it serves is visible, or what was changed is undone when it fails, so an OutOfMemoryError leaves
     * the pool and the object consistent: a release that fails leaves the object IN_USE (the caller may
     * release it again), an acquire that fails leaves no half-registered cache. The package-private
     * `allocationFault` hook lets tests inject the error at each of these points.
     *
     * Virtual threads with caches (ObjectPoolBuilder.virtualThreadCaches). The cache belongs to the virtual thread,
     * not to the carrier that happens to run it: the ThreadLocal map is the virtual Thread object's,
     * LocalCache.owner is that Thread, and Thread.currentThread() on a virtual thread returns the virtual
     * thread on every carrier. A virtual thread is one sequential thread: if it unmounts between two
     * instructions of an owner path (it can only at a park, e.g. inside a reset hook or factory, since
     * current JDKs do not preempt) and resumes on another carrier, program order still holds for it, and
     * the scheduler's hand-off (yield, then the continuation's submission to and take from the carrier
     * pool's queue) is a happens-before edge from everything before the unmount to everything after it.
     * So the owner-only plain accesses need nothing more on a virtual thread than on a platform one, at
     * any unmount point; every other rule (inbox, retirement of a dead owner via isAlive(), which a
     * terminated virtual thread also reports false after its last write) is unchanged.
     * Rejected: a carrier-keyed cache. There is no public carrier identity (Thread.currentCarrierThread,
     * jdk.internal.misc.CarrierThreadLocal) nor pinning (Continuation.pin) without --add-exports or
     * --add-opens, and a carrier-keyed structure accessed plainly is safe only between two points where
     * the thread cannot unmount, which excludes the user's hooks and any JDK code that may park; without
     * that proof each access needs an atomic claim, which is the shared slots' cost again.
     *
     * Publication: owner to owner needs nothing. Foreign release to owner: the inbox offer releases, the
     * owner's poll acquires. Shared slots: slot CAS on both sides (SharedSlots). Rescued objects from a
     * dead cache: isAlive() == false orders the dead owner's writes before the trimmer's reads.
     */
    private static final VarHandle EPOCH =
            Handles.field(MethodHandles.lookup(), ObjectPool.class, "epoch", int.class);
    private static final int EPOCH_MASK = (1 << 29) - 1;
    /** Ages at or above this (half the tag range) are tags from a period newer than the trimmer's. */
    private static final int YOUNG_FROM_NEWER_PERIOD = 1 << 28;

    private final Supplier<? extends T> factory;
    private final Consumer<? super T> reset;
    private final Consumer<Object> onDrop;
    private final int capacity;
    private final int inboxCapacity;
    private final boolean sharedOnly;
    /** Virtual threads get caches of their own, as platform threads do (ObjectPoolBuilder.virtualThreadCaches). */
    private final boolean virtualCaches;
    private final ThreadLocal<LocalCache> local = new ThreadLocal<>();
    /** Identifies this pool's caches without referencing the pool (see LocalCache.poolToken). */
    private final Object token = new Object();
    private final ConcurrentLinkedQueue<LocalCache> caches = new ConcurrentLinkedQueue<>();
    private final SharedSlots shared;
    private final StripedCounter created = new StripedCounter(1);
    private final StripedCounter acquired = new StripedCounter(1);
    private final StripedCounter released = new StripedCounter(1);
    private final StripedCounter dropped = new StripedCounter(1);
    private final StripedCounter trimmed = new StripedCounter(1);
    private final ScheduledThreadPoolExecutor timer;
    @SuppressWarnings("unused")
    private volatile int epoch;
    /** Tests only: run at each allocation point of a slow path, to inject an OutOfMemoryError; null otherwise. */
    Runnable allocationFault;

    /**
     * Package-private: {@link ObjectPoolBuilder#build()} (no drop hook), or BufferPool with a drop hook
     * (it forgets dropped buffers).
     */
    ObjectPool(ObjectPoolBuilder<T> b, Consumer<Object> onDrop) {
        this.factory = b.factory;
        this.reset = b.reset;
        this.onDrop = onDrop;
        this.capacity = b.capacityPerThread;
        this.inboxCapacity = b.effectiveInboxCapacity();
        this.shared = new SharedSlots(b.stripes, b.slotsPerStripe);
        this.sharedOnly = b.sharedOnly;
        this.virtualCaches = b.virtualCaches;
        this.timer = b.trimPeriod == null ? null
                : TrimTimer.start("netkit-pool-trim", this, ObjectPool::trim, b.trimPeriod);
    }

    /**
     * Starts a builder; any thread.
     *
     * @param factory creates a new object when the pool has none; called on the acquiring thread; must
     *                return a fresh object (never one that is or was pooled)
     * @param <T> the pooled type
     * @return a builder with the defaults: no reset hook, 256 objects per thread cache, an inbox of the
     *         same size, {@code 4 x availableProcessors} (a power of two) shared stripes of 8 slots, no timer
     * @throws NullPointerException if {@code factory} is null
     */
    public static <T extends Pooled> ObjectPoolBuilder<T> builder(Supplier<? extends T> factory) {
        return new ObjectPoolBuilder<>(factory);
    }

    /**
     * Takes an object from the pool, or creates one; any thread. Never blocks. On a thread with objects
     * in its cache this is a plain array pop, with no CAS and no allocation.
     *
     * @return an object in use by the caller
     * @throws IllegalStateException if the factory returned null or an object that is already pooled
     */
    @SuppressWarnings("unchecked")
    public T acquire() {
        Thread t = Thread.currentThread();
        if (cached(t)) {
            LocalCache c = local.get();
            if (c != null) {
                Pooled o = c.popCurrent(epoch());
                if (o != null) {
                    return (T) o;
                }
            }
            return (T) acquireCachedSlow(t, c);
        }
        return (T) acquireShared(t);
    }

    /**
     * Returns an object to the pool after running the reset hook on it; any thread. The owner thread's
     * release of its own object is a plain array push (no CAS, no allocation); another thread returns it
     * to its owner's inbox with one CAS on the state word and one on the queue; a thread without a cache
     * of its own (a virtual thread, unless {@link ObjectPoolBuilder#virtualThreadCaches()}) returns
     * homeless objects to the shared slots. Past the bounds, the object is dropped.
     *
     * @param object an object this pool handed out and the caller holds
     * @throws NullPointerException if {@code object} is null
     * @throws IllegalArgumentException if {@code object} belongs to another pool (its caches or its shared
     *         slots)
     * @throws IllegalStateException if {@code object} is not in use (released twice, or dropped)
     */
    public void release(T object) {
        Objects.requireNonNull(object, "object");
        // Owner fast path: the object's home cache is owned by the calling thread. No ThreadLocal lookup:
        // the home reference and one comparison with currentThread() identify the owner (a virtual thread
        // owns a cache only with virtualThreadCaches; otherwise it never passes).
        if (object.poolHome instanceof LocalCache c && c.isOwnedBy(Thread.currentThread(), token)) {
            int s = object.poolState;
            if (s != Pooled.IN_USE) {
                throw doubleRelease(object, s);
            }
            runReset(object);
            if (!c.pushCurrent(object, epoch())) {
                ownerPushSlow(c, object);
            }
            return;
        }
        releaseSlow(object, Thread.currentThread());
    }

    /**
     * Starts a new trim period; any thread. Drops shared-slot objects released two or more periods ago,
     * rotates the calling thread's cache now (other live threads rotate at their next use), and retires
     * the caches of dead threads: their objects move to the shared slots (the overflow is dropped) and the
     * pool forgets the cache. Lock-free; concurrent calls are safe.
     */
    public void trim() {
        int e = (int) EPOCH.getAndAdd(this, 1) + 1;
        if (cached(Thread.currentThread())) {
            LocalCache c = local.get();
            if (c != null) {
                c.rotate(e, this);
            }
        }
        int n = shared.trim(o -> {
            int s = (int) Pooled.STATE.getOpaque(o);
            // age in periods; a tag newer than e (released after a concurrent trim moved the epoch on)
            // wraps to a huge age and must count as young, not as old
            int age = (e - (s >>> 3)) & EPOCH_MASK;
            return (s & Pooled.STATE_MASK) == Pooled.IN_SHARED && age >= 2 && age < YOUNG_FROM_NEWER_PERIOD;
        }, this::dropShared);
        if (n > 0) {
            trimmed.add(n);
        }
        for (Iterator<LocalCache> it = caches.iterator(); it.hasNext(); ) {
            LocalCache c = it.next();
            if (!c.isOwnerAlive() && c.claimRetirement()) {
                retire(c);
                it.remove();
            }
        }
    }

    /**
     * Reads the counters; any thread. Each is a sum over padded counters and per-thread counters written
     * without CAS; not an atomic snapshot while others run, exact at rest. {@code released} also counts the
     * cross-thread returns still waiting in their owners' inboxes (a return is counted by whoever drains
     * it), so while owners drain it may read lower than a moment before; and a queued copy from a racing
     * double release (misuse) counts as released until it is drained, then as dropped.
     *
     * @return created, acquired, released, dropped and trimmed counts since the pool was built
     */
    public Stats stats() {
        long cr = created.sum();
        long ac = acquired.sum();
        long re = released.sum();
        long dr = dropped.sum();
        long tr = trimmed.sum();
        for (LocalCache c : caches) {
            cr += c.read(LocalCache.CREATED);
            ac += c.read(LocalCache.ACQUIRED);
            re += c.read(LocalCache.RELEASED) + c.inboxSize();   // returns not yet drained count as released
            dr += c.read(LocalCache.DROPPED);
            tr += c.read(LocalCache.TRIMMED);
        }
        return new Stats(cr, ac, re, dr, tr);
    }

    /**
     * Counts the objects the pool holds (idle in caches, inboxes and shared slots); any thread. A racy
     * estimate while others run (other threads' stack sizes are read without synchronization), exact at
     * rest.
     *
     * @return the number of pooled objects
     */
    public int idle() {
        int n = shared.size();
        for (LocalCache c : caches) {
            n += c.idle();
        }
        return n;
    }

    /**
     * The most objects the pool can hold at once for {@code platformThreads} live threads with caches (the
     * platform threads, plus the virtual threads with {@link ObjectPoolBuilder#virtualThreadCaches()}):
     * each thread's cache and inbox plus the shared slots; any thread.
     *
     * @param platformThreads the number of threads with caches that use the pool, at least 0
     * @return the bound on {@link #idle()}
     * @throws IllegalArgumentException if {@code platformThreads} is negative
     */
    public long maxIdle(int platformThreads) {
        if (platformThreads < 0) {
            throw new IllegalArgumentException("platformThreads must be >= 0, was " + platformThreads);
        }
        return (long) platformThreads * (capacity + nextPow2(Math.max(2, inboxCapacity))) + shared.capacity();
    }

    /** The most objects one thread's cache keeps (both generations); any thread. */
    int capacityPerThread() {
        return capacity;
    }

    /**
     * The number of caches the pool tracks; any thread.
     *
     * @return one per platform thread that used the pool, and per virtual thread with
     *         {@link ObjectPoolBuilder#virtualThreadCaches()}, until {@link #trim()} retires a dead one's
     */
    public int caches() {
        return caches.size();
    }

    /**
     * Stops the trim timer, if any; any thread. The pool keeps working and {@link #trim()} can still be
     * called by hand.
     */
    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    // ---- routing helpers ----

    /** The current trim period, read opaquely: a stale read only delays a rotation by one call. */
    private int epoch() {
        return (int) EPOCH.getOpaque(this);
    }

    /** Whether thread {@code t} has (or gets) a cache of its own in this pool. */
    private boolean cached(Thread t) {
        return !sharedOnly && (virtualCaches || !t.isVirtual());
    }

    // ---- acquire slow paths ----

    /** A thread with a cache (or about to get one) whose current generation could not serve. */
    private Pooled acquireCachedSlow(Thread t, LocalCache c) {
        if (c == null) {
            c = register(t);
        }
        c.rotateTo(epoch(), this);
        Pooled o = c.pop();
        if (o == null) {
            c.drainInbox();
            o = c.pop();
        }
        if (o == null) {
            for (;;) {
                o = (Pooled) shared.poll(Hashing.mix(t.threadId()));
                if (o == null) {
                    break;
                }
                if ((o.poolState & Pooled.STATE_MASK) == Pooled.IN_SHARED) {
                    o.poolHome = c;
                    Pooled.STATE.setOpaque(o, Pooled.IN_USE);
                    c.count(LocalCache.ACQUIRED, 1);
                    return o;
                }
                c.count(LocalCache.DROPPED, 1);   // a late duplicate (see the class notes)
            }
            o = create();
            o.poolHome = c;
            c.count(LocalCache.CREATED, 1);
        }
        c.count(LocalCache.ACQUIRED, 1);
        return o;
    }

    /** A thread without a cache: the shared slots, else the factory. */
    private Pooled acquireShared(Thread t) {
        int h = Hashing.mix(t.threadId());
        for (;;) {
            Pooled o = (Pooled) shared.poll(h);
            if (o == null) {
                break;
            }
            if (((int) Pooled.STATE.getOpaque(o) & Pooled.STATE_MASK) == Pooled.IN_SHARED) {
                Pooled.STATE.setOpaque(o, Pooled.IN_USE);
                acquired.increment();
                return o;
            }
            dropped.increment();
        }
        Pooled o = create();
        o.poolHome = token;
        created.increment();
        acquired.increment();
        return o;
    }

    private Pooled create() {
        T o = factory.get();
        if (o == null) {
            throw new IllegalStateException("the factory returned null");
        }
        if (o.poolState != Pooled.IN_USE || o.poolHome != null) {
            throw new IllegalStateException("the factory returned an object that is "
                    + Pooled.stateName(o.poolState) + "; it must return a new object");
        }
        return o;
    }

    // ---- release slow paths ----

    /** Owner release when the fast path had no room or the epoch moved. */
    private void ownerPushSlow(LocalCache c, Pooled o) {
        c.rotateTo(epoch(), this);
        c.push(o, this);
    }

    /**
     * A release by a thread that is not the object's owner. The caller's own cache is looked up only
     * when the object is adopted: a return to a live owner's inbox needs no ThreadLocal lookup.
     */
    private void releaseSlow(Pooled o, Thread t) {
        Object home = o.poolHome;
        if (home != null && home != token) {
            if (!(home instanceof LocalCache h) || !h.belongsTo(token)) {
                throw new IllegalArgumentException("object " + o + " belongs to another pool");
            }
            if (h.acceptsReturns()) {
                releaseToInbox(o, h);
                return;
            }
        }
        if (cached(t)) {
            adopt(o, t);
        } else {
            releaseShared(o, t);
        }
    }

    /** Cross-thread return to a live owner: CAS to IN_QUEUE, reset, offer to its inbox (or drop). */
    private void releaseToInbox(Pooled o, LocalCache h) {
        casFromInUse(o, Pooled.IN_QUEUE);
        runReset(o);
        if (h.offerReturn(o)) {
            h.drainIfRetired(this);     // counted as released by whoever drains it (see "Counting")
        } else {
            dropFromInUse(o);
        }
    }

    /**
     * A homeless object (from the shared slots or a dead thread's cache) released by a thread with a
     * cache: adopt it. The cache is made first: an OutOfMemoryError there leaves the object in use, still
     * the caller's to release.
     */
    private void adopt(Pooled o, Thread t) {
        LocalCache c = local.get();
        if (c == null) {
            c = register(t);
        }
        casFromInUse(o, Pooled.IN_STACK);
        runReset(o);
        o.poolHome = c;
        c.rotateTo(epoch(), this);
        c.push(o, this);
    }

    /** A homeless object released by a thread without a cache: tag it with the period, offer it to the slots. */
    private void releaseShared(Pooled o, Thread t) {
        int e = epoch();
        casFromInUse(o, Pooled.IN_SHARED | ((e & EPOCH_MASK) << 3));
        runReset(o);
        o.poolHome = token;
        if (shared.offer(o, Hashing.mix(t.threadId()))) {
            released.increment();
        } else {
            dropFromInUse(o);
        }
    }

    private static void casFromInUse(Pooled o, int to) {
        int s = (int) Pooled.STATE.compareAndExchange(o, Pooled.IN_USE, to);
        if (s != Pooled.IN_USE) {
            throw doubleRelease(o, s);
        }
    }

    /** The reset hook on a thread that owns the object exclusively; on failure the object is dropped. */
    private void runReset(Pooled o) {
        if (reset == null) {
            return;
        }
        try {
            @SuppressWarnings("unchecked") T t = (T) o;
            reset.accept(t);
        } catch (RuntimeException | Error x) {
            dropFromInUse(o);
            throw x;
        }
    }

    // ---- dropping, registration, retirement ----

    /** Drops an object that no cache holds (a failed offer, a failed reset), counted on the shared counter. */
    private void dropFromInUse(Pooled o) {
        Pooled.STATE.setOpaque(o, Pooled.DROPPED);
        drop(o);
        dropped.increment();
    }

    /** Lets {@code o} go (any path; the caller counts it): marks it dropped and runs the drop hook. */
    void drop(Pooled o) {
        o.poolState = Pooled.DROPPED;
        if (onDrop != null) {
            onDrop.accept(o);
        }
    }

    private void dropShared(Object o) {
        Pooled p = (Pooled) o;
        Pooled.STATE.setOpaque(p, Pooled.DROPPED);
        if (onDrop != null) {
            onDrop.accept(p);
        }
    }

    /**
     * Makes and installs the calling thread's cache; called only when it has none. Listed in
     * {@code caches} before it is installed in the ThreadLocal, so that no cache in use is missing from
     * stats() and trim(); if installing fails (ThreadLocal.set may fail after storing, when it grows its
     * table), both are undone and the thread has no cache, as before.
     */
    private LocalCache register(Thread t) {
        fault();
        LocalCache c = new LocalCache(token, t, capacity, inboxCapacity, epoch());
        fault();
        caches.add(c);
        try {
            fault();
            local.set(c);
            fault();
        } catch (RuntimeException | Error e) {
            local.remove();
            caches.remove(c);
            throw e;
        }
        return c;
    }

    private void fault() {
        fault(allocationFault);
    }

    /** Runs a test's fault hook if one is set (ObjectPool and BufferPool): null in production. */
    static void fault(Runnable hook) {
        if (hook != null) {
            hook.run();
        }
    }

    /** The trimmer that won claimRetirement: moves a dead owner's objects out and folds its counters. */
    private void retire(LocalCache c) {
        c.retire(this);
        created.add(c.read(LocalCache.CREATED));
        acquired.add(c.read(LocalCache.ACQUIRED));
        released.add(c.read(LocalCache.RELEASED));
        dropped.add(c.read(LocalCache.DROPPED));
        trimmed.add(c.read(LocalCache.TRIMMED));
    }

    /** Moves an object out of a retired cache into the shared slots, or drops it; any thread. */
    void rescue(Pooled o, boolean fromInbox) {
        if (fromInbox) {
            if (o.poolState != Pooled.IN_QUEUE) {
                dropped.increment();                  // a late duplicate
                return;
            }
            released.increment();                     // a cross-thread return, counted where it is drained
        }
        o.poolHome = token;
        Pooled.STATE.setOpaque(o, Pooled.IN_SHARED | ((epoch() & EPOCH_MASK) << 3));
        if (!shared.offer(o, Hashing.mix(Thread.currentThread().threadId()))) {
            dropFromInUse(o);
        }
    }

    private static IllegalStateException doubleRelease(Pooled o, int state) {
        return new IllegalStateException("release of " + o.getClass().getName() + '@'
                + Integer.toHexString(System.identityHashCode(o)) + " which is not in use but "
                + Pooled.stateName(state) + " (released twice?)");
    }

    /** The smallest power of two at least {@code n} (1 for n at most 1). */
    static int nextPow2(int n) {
        return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    }

    /** Tests only: the calling thread's cache, or null. */
    Object localCacheForTest() {
        return local.get();
    }

    /**
     * The pool's counters at one moment.
     *
     * @param created objects made by the factory
     * @param acquired objects handed out
     * @param released releases accepted into the pool (dropped releases are counted as dropped), including
     *                 cross-thread returns still in their owners' inboxes (see {@link #stats()})
     * @param dropped objects let go because a bound was reached, a reset hook failed, or a late duplicate
     *                was discarded
     * @param trimmed objects let go by trimming (two periods idle, or evicted from a full cache's victim
     *                generation)
     */
    public record Stats(long created, long acquired, long released, long dropped, long trimmed) {
    }
}
