package dev.netkit.padding;

/**
 * A padded sequence with exactly one writer: a monotonic position (a ring's head or tail, a published
 * event count) that one thread advances and any thread reads. The value sits alone in its own 128-byte
 * region, like {@link PaddedAtomicLong}, but the writer advances it with a plain read and a release store:
 * no CAS, no lock prefix, no store-load fence.
 *
 * <p><b>Thread safety.</b> {@link #advance()}, {@link #advance(long)}, {@link #set(long)} and
 * {@link #getPlain()} belong to the single writer thread; calling them from two threads at once loses
 * updates (use {@link PaddedAtomicLong} then). {@link #get()} may be called from any thread. Every write
 * is a release store and {@link #get()} is an acquire load, so a reader that sees value {@code v} also
 * sees everything the writer did before it published {@code v}. Ownership may move from one thread to
 * another only through a happens-before edge (a handoff through a concurrent queue, {@code Thread.join}).
 *
 * <p><b>Memory.</b> 280 bytes per instance (272 with compact object headers).
 */
public final class PaddedSequence extends PaddedLong {
    /*
     * Implementation notes.
     *
     * Layout: see PaddedLong.java; no instance field is added here (checked by PaddingLayoutTest).
     *
     * Writer: the single owner thread writes `value`, always with setRelease; it may re-read its own value
     * plainly. Readers load it with getAcquire. The pair setRelease(v) -> getAcquire() == v publishes all
     * of the writer's prior writes (for example the bytes of a ring slot before the tail that covers it).
     */
    private static final long serialVersionUID = 1L;

    /** Creates a sequence at zero. */
    public PaddedSequence() {
    }

    /**
     * Creates a sequence at {@code initialValue}. Publish the new object safely.
     *
     * @param initialValue the starting position
     */
    public PaddedSequence(long initialValue) {
        super(initialValue);
    }

    /** {@return the last published position, in acquire mode; any thread} */
    public long get() {
        return (long) VALUE.getAcquire(this);
    }

    /** {@return the position as a plain read; the writer thread only (it always sees its own writes)} */
    public long getPlain() {
        return (long) VALUE.get(this);
    }

    /**
     * Publishes {@code newValue} with a release store; the writer thread only.
     *
     * @param newValue the new position
     */
    public void set(long newValue) {
        VALUE.setRelease(this, newValue);
    }

    /** {@return the new position after adding one, published with a release store; the writer thread only} */
    public long advance() {
        long next = (long) VALUE.get(this) + 1L;
        VALUE.setRelease(this, next);
        return next;
    }

    /**
     * Adds {@code delta} and publishes the result with a release store; the writer thread only.
     *
     * @param delta the amount to add; must not be negative, since a sequence only moves forward. Like a
     *              {@code long}, the sequence wraps after {@link Long#MAX_VALUE}; at a billion advances a
     *              second that takes 292 years, so no check is spent on it.
     * @return the new position
     * @throws IllegalArgumentException if {@code delta} is negative
     */
    public long advance(long delta) {
        if (delta < 0) {
            throw new IllegalArgumentException("delta must be >= 0, was " + delta);
        }
        long next = (long) VALUE.get(this) + delta;
        VALUE.setRelease(this, next);
        return next;
    }

    /** {@return {@link #get()}} */
    @Override
    public long longValue() {
        return get();
    }
}
