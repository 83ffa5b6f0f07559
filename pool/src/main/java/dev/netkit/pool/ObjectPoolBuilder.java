package dev.netkit.pool;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Configures an {@link ObjectPool}; start one with {@link ObjectPool#builder(Supplier)}. Not thread-safe:
 * use from one thread, then {@link #build()}.
 *
 * <p>Until issue 18 this was the nested class {@code ObjectPool.Builder}; code that chains
 * {@code ObjectPool.builder(...)...build()} is unchanged, code that named the type now names
 * {@code ObjectPoolBuilder}.
 *
 * @param <T> the pooled type
 */
public final class ObjectPoolBuilder<T extends Pooled> {
    final Supplier<? extends T> factory;
    Consumer<? super T> reset;
    int capacityPerThread = 256;
    /** -1: the cache capacity. */
    int inboxCapacity = -1;
    int stripes = ObjectPool.nextPow2(4 * Runtime.getRuntime().availableProcessors());
    int slotsPerStripe = 8;
    Duration trimPeriod;
    boolean sharedOnly;
    boolean virtualCaches;

    ObjectPoolBuilder(Supplier<? extends T> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /**
     * Sets the hook run on every accepted release, on the releasing thread, before the object becomes
     * available to others.
     *
     * @param reset the hook
     * @return this builder
     * @throws NullPointerException if {@code reset} is null
     */
    public ObjectPoolBuilder<T> reset(Consumer<? super T> reset) {
        this.reset = Objects.requireNonNull(reset, "reset");
        return this;
    }

    /**
     * Sets the most objects one thread's cache keeps (both generations together).
     *
     * @param n 1 to 1,048,576
     * @return this builder
     * @throws IllegalArgumentException if {@code n} is out of range
     */
    public ObjectPoolBuilder<T> capacityPerThread(int n) {
        this.capacityPerThread = check("capacityPerThread", n, 1, 1 << 20);
        return this;
    }

    /**
     * Sets the capacity of each thread's inbox for objects returned by other threads (rounded up to a
     * power of two, at least 2). Default: the cache capacity.
     *
     * @param n 1 to 1,048,576
     * @return this builder
     * @throws IllegalArgumentException if {@code n} is out of range
     */
    public ObjectPoolBuilder<T> inboxCapacity(int n) {
        this.inboxCapacity = check("inboxCapacity", n, 1, 1 << 20);
        return this;
    }

    /**
     * Sets the shared slots used by virtual threads and for dead threads' objects.
     *
     * @param stripes a power of two, 1 to 65,536
     * @param slotsPerStripe 1 to 1,024
     * @return this builder
     * @throws IllegalArgumentException if a value is out of range or {@code stripes} is not a power of two
     */
    public ObjectPoolBuilder<T> sharedSlots(int stripes, int slotsPerStripe) {
        check("stripes", stripes, 1, 1 << 16);
        if (Integer.bitCount(stripes) != 1) {
            throw new IllegalArgumentException("stripes must be a power of two in [1, 65536], was " + stripes);
        }
        this.stripes = stripes;
        this.slotsPerStripe = check("slotsPerStripe", slotsPerStripe, 1, 1024);
        return this;
    }

    /**
     * Makes every thread, platform ones included, use the shared slots as virtual threads do: no
     * per-thread caches at all, one CAS per acquire and two per release. For pools used by very many
     * short-lived platform threads, and for tests of the shared path.
     *
     * @return this builder
     */
    public ObjectPoolBuilder<T> sharedOnly() {
        this.sharedOnly = true;
        return this;
    }

    /**
     * Gives each virtual thread that uses the pool a cache of its own, exactly as a platform thread
     * has: acquire and release by the same virtual thread are then a plain array pop and push (no CAS,
     * no allocation), other threads return its objects through its inbox, and {@link ObjectPool#trim()}
     * rescues the cache of a virtual thread that has ended. Without this option (the default) virtual
     * threads share the striped slots (one CAS per acquire, two per release).
     *
     * <p>For pools used by a bounded set of long-lived virtual threads (an event loop or a worker
     * running on a virtual thread). Not for thread-per-task virtual threads: each one that touches the
     * pool allocates a cache (its two arrays and its inbox, about 12 bytes per slot of
     * {@link #capacityPerThread(int)}, plus its registration) at its first acquire, and its idle
     * objects stay there until the next {@code trim()} after it ends. Ignored with {@link #sharedOnly()}.
     *
     * @return this builder
     */
    public ObjectPoolBuilder<T> virtualThreadCaches() {
        this.virtualCaches = true;
        return this;
    }

    /**
     * Calls {@link ObjectPool#trim()} every {@code period} on a daemon thread, until
     * {@link ObjectPool#close()} (or until the pool, discarded
     * without {@code close()}, is collected: the timer holds it weakly).
     *
     * @param period at least one millisecond
     * @return this builder
     * @throws NullPointerException if {@code period} is null
     * @throws IllegalArgumentException if {@code period} is shorter than a millisecond
     */
    public ObjectPoolBuilder<T> trimEvery(Duration period) {
        this.trimPeriod = checkTrimPeriod(period);
        return this;
    }

    /**
     * Builds the pool.
     *
     * @return a new pool
     */
    public ObjectPool<T> build() {
        return new ObjectPool<>(this, null);
    }

    /** The inbox capacity the pool uses: the one set, or the cache capacity. */
    int effectiveInboxCapacity() {
        return inboxCapacity < 0 ? capacityPerThread : inboxCapacity;
    }

    /** Checks {@code v} in [min, max]; the message names the value and the bound. */
    static int check(String name, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], was " + v);
        }
        return v;
    }

    /** Checks a trim timer's period (shared with {@link BufferPool.Builder#trimEvery}). */
    static Duration checkTrimPeriod(Duration period) {
        Objects.requireNonNull(period, "period");
        if (period.toMillis() < 1) {
            throw new IllegalArgumentException("trim period must be at least 1 ms, was " + period);
        }
        return period;
    }
}
