package dev.netkit.ring;

import java.nio.ByteBuffer;
import java.util.Objects;

/** Argument checks and small helpers shared by the rings. */
final class Rings {
    /** The largest capacity: the largest power of two a {@code ByteBuffer} can hold. */
    static final int MAX_CAPACITY = 1 << 30;

    private Rings() {
    }

    /** {@return capacity, checked to be a power of two in [min, MAX_CAPACITY]} */
    static int checkCapacity(int capacity, int min) {
        if (capacity < min || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two in [" + min + ", " + MAX_CAPACITY
                    + "], was " + capacity);
        }
        return capacity;
    }

    /** Checks {@code array[off, off + len)}; {@code name} is the parameter's, for the NullPointerException. */
    static void checkRange(byte[] array, String name, int off, int len) {
        Objects.requireNonNull(array, name);
        if (len < 0) {
            throw new IllegalArgumentException("length must be >= 0, was " + len);
        }
        Objects.checkFromIndexSize(off, len, array.length);
    }

    /**
     * The remaining bytes of {@code srcs[0, count)} together, for a gathering offer.
     *
     * @throws NullPointerException naming {@code srcs} or the null element
     * @throws IndexOutOfBoundsException if count is negative or above {@code srcs.length}
     */
    static long remaining(ByteBuffer[] srcs, int count) {
        Objects.checkFromIndexSize(0, count, Objects.requireNonNull(srcs, "srcs").length);
        long total = 0;
        for (int i = 0; i < count; i++) {
            ByteBuffer src = srcs[i];
            if (src == null) {
                throw new NullPointerException("srcs[" + i + "]");
            }
            total += src.remaining();
        }
        return total;
    }

    /**
     * Points {@code io[0]} (and {@code io[1]} when they wrap) at the {@code n > 0} bytes from ring index
     * {@code index} of a ring of {@code capacity} bytes.
     *
     * @return how many of the two views are in use, 1 or 2
     */
    static int setViews(ByteBuffer[] io, int index, int n, int capacity) {
        int first = Math.min(n, capacity - index);
        setView(io[0], index, first);
        if (n > first) {
            setView(io[1], 0, n - first);
            return 2;
        }
        return 1;
    }

    /** Copies {@code src[from, from + n)} into ring memory {@code b} from ring index {@code index}, wrapping at {@code capacity}. */
    static void put(ByteBuffer b, int index, int capacity, ByteBuffer src, int from, int n) {
        int first = Math.min(n, capacity - index);
        b.put(index, src, from, first);
        if (n > first) {
            b.put(0, src, from + first, n - first);
        }
    }

    /** Copies {@code src[off, off + n)} into ring memory {@code b} from ring index {@code index}, wrapping at {@code capacity}. */
    static void put(ByteBuffer b, int index, int capacity, byte[] src, int off, int n) {
        int first = Math.min(n, capacity - index);
        b.put(index, src, off, first);
        if (n > first) {
            b.put(0, src, off + first, n - first);
        }
    }

    /** Copies {@code n} bytes of ring memory {@code b} from ring index {@code index}, wrapping at {@code capacity}, into {@code dst[off, off + n)}. */
    static void get(ByteBuffer b, int index, int capacity, byte[] dst, int off, int n) {
        int first = Math.min(n, capacity - index);
        b.get(index, dst, off, first);
        if (n > first) {
            b.get(0, dst, off + first, n - first);
        }
    }

    /** Points {@code view} at {@code [index, index + length)} of its buffer. */
    static void setView(ByteBuffer view, int index, int length) {
        view.clear();
        view.position(index);
        view.limit(index + length);
    }

    /** Big-endian int from 4 bytes starting at {@code index}, wrapping at {@code mask}. */
    static int getIntWrapped(ByteBuffer b, int index, int mask) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (b.get((index + i) & mask) & 0xFF);
        }
        return v;
    }

    /** Big-endian long from 8 bytes starting at {@code index}, wrapping at {@code mask}. */
    static long getLongWrapped(ByteBuffer b, int index, int mask) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b.get((index + i) & mask) & 0xFFL);
        }
        return v;
    }
}
