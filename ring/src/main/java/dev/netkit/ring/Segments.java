package dev.netkit.ring;

import java.nio.ByteBuffer;

/**
 * A reusable view of ring bytes: up to {@link #maxCount()} {@link ByteBuffer}s over the ring's memory, as
 * returned by {@code peek}. Each ring owns its {@code Segments} objects and refills them on each
 * {@code peek}, so peeking neither copies nor allocates.
 *
 * <p>For {@link ByteRing} and {@link SpscByteRing} a view holds one segment, or two when the readable
 * bytes wrap around the end of the ring. For {@link MpscFrameRing} it holds one buffer per frame (the
 * frame's payload).
 *
 * <p>{@link #buffers()} with offset 0 and length {@link #count()} is ready for one gathering write:
 * {@code channel.write(s.buffers(), 0, s.count())}. The buffers share the ring's memory: do not write into
 * them, and do not keep them. <b>A view stays valid until the owning thread's next mutating call on the
 * ring</b> (write, discard, read, readFrom, writeTo, peek itself, clear): reading a buffer after that may
 * show other bytes. Reading a buffer (relative gets) moves only that buffer's position, which the ring
 * ignores: {@code discard} decides what is consumed.
 *
 * <p><b>Producer views.</b> {@link SpscByteRing#claim(int)} returns a view of the same shape over free bytes,
 * owned by the producer: write into it (that is its purpose), then publish with
 * {@link SpscByteRing#commit(int)}. It stays valid until the producer's next {@code claim}, {@code commit},
 * {@code offer}, {@code write} or {@code readFrom}.
 *
 * <p><b>Thread safety.</b> Only the ring's consumer thread (the owner thread for {@link ByteRing}) may use
 * a view returned by {@code peek}; only the producer thread a view returned by {@code claim}. The accessors
 * below say "consumer thread" for the first kind; for the second, read "producer thread".
 */
public final class Segments {
    final ByteBuffer[] buffers;
    int count;
    int remaining;

    Segments(ByteBuffer[] buffers) {
        this.buffers = buffers;
    }

    /**
     * Points this two-buffer view at the {@code n} bytes from ring index {@code index} of a byte ring of
     * {@code capacity} bytes: one segment, or two when they wrap. The byte rings' peek and claim.
     */
    Segments fill(int index, int n, int capacity) {
        remaining = n;
        count = n == 0 ? 0 : Rings.setViews(buffers, index, n, capacity);
        return this;
    }

    /** {@return how many buffers this view holds, 0 when nothing was readable; consumer thread} */
    public int count() {
        return count;
    }

    /** {@return the total number of bytes in the buffers, as set by the last peek; consumer thread} */
    public int remaining() {
        return remaining;
    }

    /** {@return the most buffers a view can hold; consumer thread} */
    public int maxCount() {
        return buffers.length;
    }

    /**
     * Returns one buffer of the view; consumer thread.
     *
     * @param i the index, in {@code [0, count())}
     * @return the i-th buffer; its remaining bytes are the segment (or frame payload)
     * @throws IndexOutOfBoundsException if {@code i} is outside {@code [0, count())}
     */
    public ByteBuffer get(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("index " + i + " outside [0, " + count + ")");
        }
        return buffers[i];
    }

    /**
     * The backing array of buffers, for gathering writes: use offset 0 and length {@link #count()}; the
     * entries from {@code count()} on are stale. Consumer thread.
     *
     * @return the ring's reused array (not a copy)
     */
    public ByteBuffer[] buffers() {
        return buffers;
    }

    @Override
    public String toString() {
        return "Segments[count=" + count + ", remaining=" + remaining + "]";
    }
}
