package dev.netkit.pool;

import dev.netkit.padding.PaddedAtomicLong;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * A pool of direct or heap {@link ByteBuffer}s in power-of-two size classes, with the thread model of
 * {@link ObjectPool} (one {@code ObjectPool} per size class: a CAS-free owner fast path, lock-free
 * cross-thread return, striped shared slots for virtual threads, victim-generation trimming) and a byte
 * budget.
 *
 * <p>{@link #acquire(int)} returns a cleared buffer (position 0, limit = capacity, big-endian) whose
 * capacity is the smallest size class at least the requested size. {@link #release(ByteBuffer)} takes it
 * back. Its shape fits a two-method provider interface such as the ring module's
 * {@code BufferProvider.of(pool::acquire, pool::release)}, without this module depending on it.
 *
 * <h2>Budget</h2>
 * The pool owns at most {@code budgetBytes} of buffers at a time, in use and idle together. A buffer
 * created past the budget is handed out normally but is not retained: its release lets it go to the GC.
 * Dropped and trimmed buffers give their bytes back to the budget.
 *
 * <h2>Per-thread cache size</h2>
 * Unless {@link Builder#capacityPerThread(int)} sets one figure for every size class, each platform
 * thread's cache of a size class keeps up to that thread's share of the budget in buffers of that class:
 * <pre>{@code
 * capacityPerThread(classBytes) = min(upper, max(16, budgetBytes / expectedThreads / classBytes))
 * upper = min(65,536, maxBuffers)
 * }</pre>
 * where {@code expectedThreads} ({@link Builder#expectedThreads(int)}) is the number of platform threads
 * expected to hold the pool's buffers at once, by default {@code availableProcessors()} (one event loop
 * per core). With the defaults on 8 cores (64 MiB, 4 KiB to 4 MiB) that is 2,048 buffers of 4 KiB, 1,024
 * of 8 KiB, ..., 16 of 4 MiB (the floor): an event loop can take back a burst of returns worth its share
 * of the budget without dropping them (a cache of 16 dropped most returns of a loop with many
 * connections, and each drop became an allocation on the next acquire). The floor of 16 is the fixed
 * default this rule replaced; a cache never makes the pool own more than the budget (a buffer created past
 * it is not retained). The cost is the cache's two reference arrays and its inbox (as large as the cache),
 * allocated at a thread's first use of a size class: about 12 bytes per slot with compressed references
 * (96 KiB for 8,192 slots), for every platform thread that uses the class, not only the expected ones,
 * and outside the budget; set {@link Builder#capacityPerThread(int)} when many threads touch the pool.
 *
 * <h2>Recognising the pool's own buffers</h2>
 * A {@code ByteBuffer} has no field the pool could mark, and wrapping it would change the type users
 * get. So the pool keeps a lock-free identity table from each live buffer it made to its record (state
 * word, size class, budgeted or not): one identity hash and a short probe of reference comparisons,
 * nothing allocated. {@code release} first checks that the capacity is one of this pool's size classes
 * and that the kind (direct or heap) matches, then looks the buffer up: a buffer of a foreign size class,
 * of the wrong kind, not made by this pool, or already dropped is rejected with
 * {@link IllegalArgumentException}; a second release of a pooled buffer throws
 * {@link IllegalStateException}. The table holds at most {@code maxBuffers} live buffers (in use and
 * idle); an acquire that would need more throws {@link IllegalStateException}.
 *
 * <h2>Thread safety</h2>
 * Every public method may be called from any thread. A buffer must be released once per acquire, after
 * which the releasing thread must not touch it. Release happens-before the acquire that returns the
 * same buffer.
 */
public final class BufferPool implements AutoCloseable {
    /*
     * Implementation notes.
     *
     * Each size class is an ObjectPool<Slot>; a Slot (created once per buffer, never per operation) is
     * the Pooled record that holds the buffer. The reset hook clears the buffer on release. The drop hook
     * (called exactly once per slot, by the thread that drops it, see ObjectPool) removes the buffer from
     * the registry and returns budgeted bytes to `reserved`.
     *
     * `reserved` (padded) counts the bytes of live budgeted buffers; it changes only when a buffer is
     * created or dropped, never on the acquire/release fast path. A create adds first and takes back if
     * the sum passed the budget (so the sum may overshoot momentarily, never the accepted buffers).
     *
     * Allocation before publication: create allocates the buffer and its Slot before it reserves budget
     * or registers anything, so an OutOfMemoryError (direct memory or heap) changes nothing. Slot.budgeted
     * is a plain field written once before registry.put (a release store of the value, read with acquire
     * by release) and before the hand-out (ObjectPool's publication rules); every reader gets the slot
     * through one of the two.
     *
     * Unbudgeted (transient) buffers are registered too, so that release recognises them; their release
     * CASes the state word IN_USE -> DROPPED (one winner) and forgets them.
     */
    private final boolean direct;
    private final int minShift;
    private final int maxShift;
    private final long budget;
    private final PaddedAtomicLong reserved = new PaddedAtomicLong();
    /** Releases of buffers created past the budget (let go at once); counted as dropped in stats(). */
    private final PaddedAtomicLong transientDrops = new PaddedAtomicLong();
    private final BufferRegistry registry;
    private final ObjectPool<Slot>[] classes;
    private final ScheduledThreadPoolExecutor trimTask;
    /** Tests only: run at each allocation point of create, to inject an OutOfMemoryError; null otherwise. */
    Runnable allocationFault;

    /** The pool record of one buffer. Package-private. */
    static final class Slot extends Pooled {
        final ByteBuffer buffer;
        /** Written once by the creating thread before registry.put and the hand-out publish the slot. */
        boolean budgeted;

        Slot(ByteBuffer buffer) {
            this.buffer = buffer;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private BufferPool(Builder b) {
        this.direct = b.direct;
        this.minShift = Integer.numberOfTrailingZeros(b.minClass);
        this.maxShift = Integer.numberOfTrailingZeros(b.maxClass);
        this.budget = b.budgetBytes;
        this.registry = new BufferRegistry(b.maxBuffers);
        this.classes = new ObjectPool[maxShift - minShift + 1];
        for (int i = 0; i < classes.length; i++) {
            int size = 1 << (minShift + i);
            ObjectPoolBuilder<Slot> ob = ObjectPool.<Slot>builder(() -> create(size))
                    .reset(s -> s.buffer.clear().order(ByteOrder.BIG_ENDIAN))
                    .capacityPerThread(b.cacheCapacity(size))
                    .sharedSlots(b.stripes, b.slotsPerStripe);
            if (b.sharedOnly) {
                ob.sharedOnly();
            }
            classes[i] = new ObjectPool<>(ob, this::forget);
        }
        this.trimTask = b.trimPeriod == null ? null
                : TrimTimer.start("netkit-bufferpool-trim", this, BufferPool::trim, b.trimPeriod);
    }


    /**
     * Starts a builder for a pool of direct buffers; any thread.
     *
     * @return a builder with the defaults: size classes 4 KiB to 4 MiB, a 64 MiB budget, a per-thread cache
     *         of each size class sized by the thread's share of the budget (see the class documentation;
     *         {@code availableProcessors()} expected threads), at most 65,536 live buffers
     */
    public static Builder direct() {
        return new Builder(true);
    }

    /**
     * Starts a builder for a pool of heap buffers; any thread.
     *
     * @return a builder with the same defaults as {@link #direct()}
     */
    public static Builder heap() {
        return new Builder(false);
    }

    /**
     * Takes a cleared buffer of the smallest size class at least {@code minCapacity}; any thread.
     *
     * @param minCapacity 1 to the largest size class
     * @return a buffer with position 0, limit = capacity, big-endian byte order
     * @throws IllegalArgumentException if {@code minCapacity} is out of range
     * @throws IllegalStateException if the pool already tracks {@code maxBuffers} live buffers
     */
    public ByteBuffer acquire(int minCapacity) {
        if (minCapacity < 1 || minCapacity > 1 << maxShift) {
            throw new IllegalArgumentException("minCapacity must be in [1, " + (1 << maxShift) + "], was "
                    + minCapacity);
        }
        int shift = 32 - Integer.numberOfLeadingZeros(minCapacity - 1);
        int i = shift <= minShift ? 0 : shift - minShift;
        return classes[i].acquire().buffer;
    }

    /**
     * Returns a buffer this pool handed out; any thread. The buffer is cleared and kept for reuse, or let
     * go when a bound or the budget says so.
     *
     * @param buffer a buffer acquired from this pool and held by the caller
     * @throws NullPointerException if {@code buffer} is null
     * @throws IllegalArgumentException if {@code buffer} is of the wrong kind (direct or heap), of a
     *         capacity that is not one of this pool's size classes, or not a live buffer of this pool
     * @throws IllegalStateException if {@code buffer} was already released
     */
    public void release(ByteBuffer buffer) {
        Objects.requireNonNull(buffer, "buffer");
        int cap = buffer.capacity();
        if (Integer.bitCount(cap) != 1 || cap < 1 << minShift || cap > 1 << maxShift
                || buffer.isDirect() != direct) {
            throw new IllegalArgumentException("not a buffer of this pool: " + (buffer.isDirect() ? "direct" : "heap")
                    + " capacity " + cap + ", the pool holds " + (direct ? "direct" : "heap")
                    + " buffers of power-of-two capacities in [" + (1 << minShift) + ", " + (1 << maxShift) + "]");
        }
        Object s = registry.get(buffer);
        if (!(s instanceof Slot slot)) {
            throw new IllegalArgumentException("not a live buffer of this pool (capacity " + cap
                    + "): it was not acquired from it, or was released after being dropped");
        }
        if (!slot.budgeted) {
            int st = (int) Pooled.STATE.compareAndExchange(slot, Pooled.IN_USE, Pooled.DROPPED);
            if (st != Pooled.IN_USE) {
                throw new IllegalStateException("buffer released twice: it is " + Pooled.stateName(st));
            }
            forget(slot);
            transientDrops.getAndIncrement();
            return;
        }
        classes[Integer.numberOfTrailingZeros(cap) - minShift].release(slot);
    }

    /**
     * Starts a new trim period in every size class; any thread. See {@link ObjectPool#trim()}.
     */
    public void trim() {
        for (ObjectPool<Slot> p : classes) {
            p.trim();
        }
    }

    /**
     * Bytes of budgeted buffers alive (in use and idle); any thread, a snapshot.
     *
     * @return at most the budget, at rest
     */
    public long reservedBytes() {
        return reserved.get();
    }

    /**
     * The most buffers of one size class a platform thread's cache keeps; any thread.
     *
     * @param sizeClass one of this pool's size classes, in bytes
     * @return the cache capacity of that class (see the class documentation for the default rule)
     * @throws IllegalArgumentException if {@code sizeClass} is not one of this pool's size classes
     */
    public int capacityPerThread(int sizeClass) {
        if (Integer.bitCount(sizeClass) != 1 || sizeClass < 1 << minShift || sizeClass > 1 << maxShift) {
            throw new IllegalArgumentException("not a size class of this pool: " + sizeClass + ", the classes are "
                    + "the powers of two in [" + (1 << minShift) + ", " + (1 << maxShift) + "]");
        }
        return classes[Integer.numberOfTrailingZeros(sizeClass) - minShift].capacityPerThread();
    }

    /**
     * The byte budget the pool was built with; any thread.
     *
     * @return the most bytes of budgeted buffers the pool owns at once
     */
    public long budgetBytes() {
        return budget;
    }

    /**
     * Buffers the pool holds idle, all size classes together; any thread, a racy estimate, exact at rest.
     *
     * @return the idle buffer count
     */
    public int idle() {
        int n = 0;
        for (ObjectPool<Slot> p : classes) {
            n += p.idle();
        }
        return n;
    }

    /**
     * Live buffers the pool tracks (in use and idle); any thread, a snapshot.
     *
     * @return the number of registered buffers
     */
    public int liveBuffers() {
        return registry.size();
    }

    /**
     * Counters summed over all size classes; any thread. See {@link ObjectPool#stats()}. The release of a
     * buffer created past the budget counts as dropped.
     *
     * @return the summed counters
     */
    public ObjectPool.Stats stats() {
        long c = 0, a = 0, r = 0, d = transientDrops.get(), t = 0;
        for (ObjectPool<Slot> p : classes) {
            ObjectPool.Stats s = p.stats();
            c += s.created();
            a += s.acquired();
            r += s.released();
            d += s.dropped();
            t += s.trimmed();
        }
        return new ObjectPool.Stats(c, a, r, d, t);
    }

    /** Stops the trim timer, if any; any thread. The pool keeps working. */
    @Override
    public void close() {
        if (trimTask != null) {
            trimTask.shutdownNow();
        }
    }

    /**
     * The size class's factory. Allocates the buffer and its record first, then reserves budget, then
     * registers: an OutOfMemoryError leaves the budget and the registry untouched.
     */
    private Slot create(int size) {
        fault();
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
        fault();
        Slot s = new Slot(b);
        s.budgeted = reserved.addAndGet(size) <= budget;
        if (!s.budgeted) {
            reserved.getAndAdd(-size);
        }
        if (!registry.put(b, s)) {
            if (s.budgeted) {
                reserved.getAndAdd(-size);
            }
            throw new IllegalStateException("the pool already tracks " + registry.maxEntries()
                    + " live buffers (maxBuffers); release some or raise the bound");
        }
        return s;
    }

    private void fault() {
        ObjectPool.fault(allocationFault);
    }

    /** Drop hook: called once per slot by the thread that lets it go. */
    private void forget(Object o) {
        Slot s = (Slot) o;
        registry.remove(s.buffer);
        if (s.budgeted) {
            reserved.getAndAdd(-s.buffer.capacity());
        }
    }

    /** Configures a {@link BufferPool}. Not thread-safe: use from one thread, then {@link #build()}. */
    public static final class Builder {
        private final boolean direct;
        private int minClass = 4096;
        private int maxClass = 4 << 20;
        private long budgetBytes = 64L << 20;
        /** 0: derived per size class from the budget share (see {@link #cacheCapacity(int)}). */
        private int capacityPerThread;
        private int expectedThreads = Runtime.getRuntime().availableProcessors();
        private int maxBuffers = 1 << 16;
        private int stripes = ObjectPool.nextPow2(4 * Runtime.getRuntime().availableProcessors());
        private int slotsPerStripe = 4;
        private Duration trimPeriod;
        private boolean sharedOnly;

        private Builder(boolean direct) {
            this.direct = direct;
        }

        /**
         * Sets the smallest and largest size classes.
         *
         * @param min a power of two, 16 to 2^30
         * @param max a power of two, {@code min} to 2^30
         * @return this builder
         * @throws IllegalArgumentException if a value is not a power of two or out of range
         */
        public Builder sizeClasses(int min, int max) {
            if (min < 16 || Integer.bitCount(min) != 1 || max < min || max > 1 << 30 || Integer.bitCount(max) != 1) {
                throw new IllegalArgumentException("size classes must be powers of two with 16 <= min <= max <= 2^30, were "
                        + min + " and " + max);
            }
            this.minClass = min;
            this.maxClass = max;
            return this;
        }

        /**
         * Sets the byte budget: the most bytes of buffers the pool owns at once, in use and idle.
         *
         * @param bytes 0 (pool nothing) or more
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is negative
         */
        public Builder budgetBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("budgetBytes must be >= 0, was " + bytes);
            }
            this.budgetBytes = bytes;
            return this;
        }

        /** The smallest per-thread cache the default rule gives a size class (the former fixed default). */
        static final int MIN_DEFAULT_CAPACITY = 16;

        /** The default rule (see the class documentation), or the figure set by {@code capacityPerThread}. */
        int cacheCapacity(int classBytes) {
            if (capacityPerThread > 0) {
                return capacityPerThread;
            }
            long share = budgetBytes / expectedThreads / classBytes;
            return (int) Math.min(Math.min(1 << 16, maxBuffers), Math.max(MIN_DEFAULT_CAPACITY, share));
        }

        /**
         * Sets the most buffers of one size class a platform thread's cache keeps, the same figure for
         * every size class. Without it, each size class gets the thread's share of the budget (see the
         * class documentation).
         *
         * @param n 1 to 65,536
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is out of range
         */
        public Builder capacityPerThread(int n) {
            this.capacityPerThread = ObjectPoolBuilder.check("capacityPerThread", n, 1, 1 << 16);
            return this;
        }

        /**
         * Sets the number of platform threads expected to hold the pool's buffers at once (the event
         * loops), which divides the budget into the per-thread shares that size the caches by default (see
         * the class documentation). Ignored when {@link #capacityPerThread(int)} is set. Default:
         * {@code Runtime.getRuntime().availableProcessors()}.
         *
         * @param n 1 to 65,536
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is out of range
         */
        public Builder expectedThreads(int n) {
            this.expectedThreads = ObjectPoolBuilder.check("expectedThreads", n, 1, 1 << 16);
            return this;
        }

        /**
         * Sets the most live buffers (in use and idle) the pool tracks; the identity table is sized for it.
         *
         * @param n 1 to 2^24
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is out of range
         */
        public Builder maxBuffers(int n) {
            this.maxBuffers = ObjectPoolBuilder.check("maxBuffers", n, 1, 1 << 24);
            return this;
        }

        /**
         * Sets the shared slots per size class (virtual threads, dead threads' buffers).
         *
         * @param stripes a power of two, 1 to 65,536
         * @param slotsPerStripe 1 to 1,024
         * @return this builder
         * @throws IllegalArgumentException if a value is out of range
         */
        public Builder sharedSlots(int stripes, int slotsPerStripe) {
            if (stripes < 1 || stripes > 1 << 16 || Integer.bitCount(stripes) != 1
                    || slotsPerStripe < 1 || slotsPerStripe > 1024) {
                throw new IllegalArgumentException("stripes must be a power of two in [1, 65536] and slotsPerStripe in "
                        + "[1, 1024], were " + stripes + " and " + slotsPerStripe);
            }
            this.stripes = stripes;
            this.slotsPerStripe = slotsPerStripe;
            return this;
        }

        /**
         * Makes every thread use the shared slots, as virtual threads do (see
         * {@link ObjectPoolBuilder#sharedOnly()}).
         *
         * @return this builder
         */
        public Builder sharedOnly() {
            this.sharedOnly = true;
            return this;
        }

        /**
         * Calls {@link BufferPool#trim()} every {@code period} on a daemon thread until
         * {@link BufferPool#close()} (or until the pool, discarded
         * without {@code close()}, is collected: the timer holds it weakly).
         *
         * @param period at least one millisecond
         * @return this builder
         * @throws NullPointerException if {@code period} is null
         * @throws IllegalArgumentException if {@code period} is shorter than a millisecond
         */
        public Builder trimEvery(Duration period) {
            this.trimPeriod = ObjectPoolBuilder.checkTrimPeriod(period);
            return this;
        }

        /**
         * Builds the pool.
         *
         * @return a new pool
         */
        public BufferPool build() {
            return new BufferPool(this);
        }
    }
}
