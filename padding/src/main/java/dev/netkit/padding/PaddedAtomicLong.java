package dev.netkit.padding;

/**
 * A {@code long} updated atomically, alone in its own 128-byte region so that no other field, of this
 * object or of its heap neighbours, shares a cache line (or the adjacent line that the prefetcher pulls in
 * with it) with the value. Use it for a hot counter or index that several threads write, where an
 * {@link java.util.concurrent.atomic.AtomicLong} would share its line with unrelated data.
 *
 * <p><b>Thread safety.</b> Every method may be called from any thread. Each method names its memory
 * ordering effects in the terms of {@link java.lang.invoke.VarHandle}: plain, opaque, acquire/release or
 * volatile. The read-modify-write methods are atomic and have volatile effects, as in
 * {@link java.util.concurrent.atomic.AtomicLong}. Used only through its volatile and read-modify-write
 * methods, the object is linearizable (checked by a Lincheck model test).
 *
 * <p><b>Memory.</b> 280 bytes per instance with compressed class pointers (header, 128 bytes of pad on each
 * side, the value), 272 with JDK 25's compact object headers.
 */
public final class PaddedAtomicLong extends PaddedLong {
    /*
     * Implementation notes.
     *
     * Layout: see PaddedLong.java. This class adds no instance field, so `value` stays alone between the
     * two pads; PaddingLayoutTest asserts it with JOL.
     *
     * Writers: any thread. Publication: setRelease/getAcquire and the volatile and read-modify-write
     * modes are VarHandle operations on `value` and carry exactly the VarHandle semantics; nothing else is
     * published by this class.
     */
    private static final long serialVersionUID = 1L;

    /** Creates a value of zero. */
    public PaddedAtomicLong() {
    }

    /**
     * Creates the given value. Publishing the new object safely (through a final field, a volatile or a
     * concurrent collection) publishes this value with it.
     *
     * @param initialValue the initial value
     */
    public PaddedAtomicLong(long initialValue) {
        super(initialValue);
    }

    /** {@return the value, with volatile semantics} */
    public long get() {
        return (long) VALUE.getVolatile(this);
    }

    /**
     * Sets the value, with volatile semantics.
     *
     * @param newValue the value to set
     */
    public void set(long newValue) {
        VALUE.setVolatile(this, newValue);
    }

    /**
     * {@return the value, read as a plain field: no ordering, and the JIT may hoist the read out of a
     *         loop. Meant for the single thread that writes the value, or for code ordered by other means.}
     */
    public long getPlain() {
        return (long) VALUE.get(this);
    }

    /**
     * Stores the value as a plain field: no ordering, no visibility guarantee.
     *
     * @param newValue the value to store
     */
    public void setPlain(long newValue) {
        VALUE.set(this, newValue);
    }

    /** {@return the value in opaque mode: never torn, eventually fresh, no ordering with other accesses} */
    public long getOpaque() {
        return (long) VALUE.getOpaque(this);
    }

    /**
     * Stores the value in opaque mode: never torn, eventually visible, unordered.
     *
     * @param newValue the value to store
     */
    public void setOpaque(long newValue) {
        VALUE.setOpaque(this, newValue);
    }

    /**
     * {@return the value in acquire mode: reads and writes after this call are not reordered before it, so
     *         whatever the writer did before a {@link #setRelease} that this read observes is visible}
     */
    public long getAcquire() {
        return (long) VALUE.getAcquire(this);
    }

    /**
     * Stores in release mode: reads and writes before this call are not reordered after it. Pairs with
     * {@link #getAcquire()} (or {@link #get()}) to publish the writes made before it. Cheaper than
     * {@link #set} because it needs no store-load fence.
     *
     * @param newValue the value to store
     */
    public void setRelease(long newValue) {
        VALUE.setRelease(this, newValue);
    }

    /**
     * Atomically sets the value to {@code newValue} if it equals {@code expectedValue}, with volatile
     * semantics.
     *
     * @param expectedValue the value expected
     * @param newValue the value to store if the expectation holds
     * @return true if the value was set; false if the value did not equal {@code expectedValue}
     */
    public boolean compareAndSet(long expectedValue, long newValue) {
        return VALUE.compareAndSet(this, expectedValue, newValue);
    }

    /**
     * Atomically sets the value to {@code newValue} if it equals {@code expectedValue}, with volatile
     * semantics, and returns the value it found.
     *
     * @param expectedValue the value expected
     * @param newValue the value to store if the expectation holds
     * @return the value before the call; equal to {@code expectedValue} exactly when the exchange happened
     */
    public long compareAndExchange(long expectedValue, long newValue) {
        return (long) VALUE.compareAndExchange(this, expectedValue, newValue);
    }

    /**
     * Atomically sets the value and returns the old one, with volatile semantics.
     *
     * @param newValue the value to store
     * @return the previous value
     */
    public long getAndSet(long newValue) {
        return (long) VALUE.getAndSet(this, newValue);
    }

    /**
     * Atomically adds {@code delta}, with volatile semantics.
     *
     * @param delta the amount to add (may be negative; the value wraps on overflow like {@code long})
     * @return the value before the addition
     */
    public long getAndAdd(long delta) {
        return (long) VALUE.getAndAdd(this, delta);
    }

    /**
     * Atomically adds {@code delta}, with volatile semantics.
     *
     * @param delta the amount to add (may be negative; the value wraps on overflow like {@code long})
     * @return the value after the addition
     */
    public long addAndGet(long delta) {
        return (long) VALUE.getAndAdd(this, delta) + delta;
    }

    /** {@return the value before atomically adding one, with volatile semantics} */
    public long getAndIncrement() {
        return (long) VALUE.getAndAdd(this, 1L);
    }

    /** {@return the value after atomically adding one, with volatile semantics} */
    public long incrementAndGet() {
        return (long) VALUE.getAndAdd(this, 1L) + 1L;
    }

    /** {@return the value before atomically subtracting one, with volatile semantics} */
    public long getAndDecrement() {
        return (long) VALUE.getAndAdd(this, -1L);
    }

    /** {@return the value after atomically subtracting one, with volatile semantics} */
    public long decrementAndGet() {
        return (long) VALUE.getAndAdd(this, -1L) - 1L;
    }

    /** {@return {@link #get()}} */
    @Override
    public long longValue() {
        return get();
    }
}
