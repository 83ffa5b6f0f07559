package dev.netkit.ring;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ScatteringByteChannel;
import java.util.Objects;

/**
 * A byte ring for one thread: bytes go in by copy or straight from a channel ({@code readv} into both
 * free segments, or {@code read} when they do not wrap), come out as views without copying
 * ({@link #peek(int)}) or straight into a channel ({@code writev} of both readable segments, or
 * {@code write}), and are freed by {@link #discard(int)}.
 *
 * <p>The capacity is a power of two. The backing memory is a heap or a direct buffer owned by the ring
 * ({@link #heap(int)}, {@link #direct(int)}), or, in <b>elastic</b> mode ({@link #elastic(int, BufferProvider)}),
 * borrowed from a {@link BufferProvider} when the first bytes arrive (a {@code write} or {@code readFrom})
 * and handed back as soon as the ring is empty again, so that an idle connection holds no buffer. Use
 * direct memory for channel I/O: the JDK copies heap buffers through a temporary direct buffer.
 *
 * <p><b>Views.</b> {@link #peek(int)} and the channel calls use two {@link ByteBuffer} views over the
 * backing memory, made once and reused: nothing is allocated per call. In elastic mode they are made per
 * borrowed buffer, and not again when the provider hands back the same buffer (as a LIFO pool does); an
 * empty elastic ring holds its last views only weakly, so it keeps no buffer reachable that the provider
 * has let go (after a garbage collection cleared them, the next borrow makes new ones). A view returned by
 * {@link #peek(int)} is valid until the next mutating call on the ring ({@code write}, {@code read},
 * {@code discard}, {@code readFrom}, {@code writeTo}, {@code peek}, {@code clear}).
 *
 * <p><b>Multi-byte reads.</b> {@link #getInt(int)} and {@link #getLong(int)} read big-endian (network
 * order) values at an offset from the first readable byte, across the wrap point if needed: a length
 * prefix can be inspected before the whole frame has arrived.
 *
 * <p><b>Thread safety.</b> None: one thread at a time (an event loop owning a connection). Hand a ring to
 * another thread only through a happens-before edge.
 */
public final class ByteRing {
    /*
     * Implementation notes.
     *
     * readIndex and writeIndex are long byte counters that only grow; readable = write - read is in
     * [0, capacity] and the byte at counter c lives at index c & mask. There is no full/empty flag and no
     * reset when the ring drains (in elastic mode the counters restart at 0 with each borrowed buffer).
     * Absolute bulk get/put (JDK 16+) copy into and out of `backing` without touching its position, so only
     * the two views v0/v1 carry positions; io = {v0, v1} is the array passed to readv/writev and exposed by
     * the Segments view. Every field is read and written by the owner thread only.
     *
     * Elastic mode, what the ring holds. While it holds a buffer: `backing`, and `views` = {backing, v0,
     * v1} with io = {v0, v1}. While it is empty it holds no buffer and no view (`backing`, `views`, io[0],
     * io[1] all null), only `lastViews`, a WeakReference to the last `views` array. The views (duplicates)
     * keep their buffer's memory alive, so holding them strongly while idle would keep every buffer the
     * provider has since dropped reachable from every idle ring that last used it. Held weakly, they are
     * reused when the provider hands the same buffer back (what a LIFO pool does: no allocation per
     * borrow), and a collection clears them once nothing else holds them: at most one re-make of the views
     * per collection per ring, and a buffer the provider let go is collectable. `views` exists so that the
     * array stays strongly reachable (and `lastViews` uncleared) while the ring uses it.
     *
     * Failure atomicity (an OutOfMemoryError, or a provider that throws). A borrow makes everything it
     * needs (views array, two duplicates, weak reference) into locals before it stores any field; if
     * making them fails, the buffer goes straight back to the provider and the ring is as before: empty,
     * holding nothing. A return calls provider.release before it forgets the buffer; if release throws,
     * the ring still holds the buffer (empty, counters 0) and the next call that leaves it empty tries
     * again. The fixed rings (heap, direct) make their buffer and views in the constructor.
     */
    private final int capacity;
    private final int mask;
    private final BufferProvider provider;      // null unless elastic
    private final boolean directFixed;
    private final ByteBuffer[] io = new ByteBuffer[2];
    private final Segments segments = new Segments(io);

    /** Tests only: run before each allocation of a borrow, to inject an OutOfMemoryError; null otherwise. */
    static Runnable allocationFault;

    private ByteBuffer backing;                 // null while an elastic ring holds no buffer
    @SuppressWarnings("unused")                 // never read: keeps the array, and so lastViews, alive while in use
    private ByteBuffer[] views;                 // elastic: {backing, io[0], io[1]} while it holds a buffer, else null
    private WeakReference<ByteBuffer[]> lastViews;  // elastic: the last `views`, weakly, for the next borrow
    private long readIndex;
    private long writeIndex;

    private ByteRing(int capacity, boolean direct, BufferProvider provider) {
        this.capacity = Rings.checkCapacity(capacity, 1);
        this.mask = capacity - 1;
        this.provider = provider;
        this.directFixed = direct;
        if (provider == null) {
            ByteBuffer b = direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
            b.order(ByteOrder.BIG_ENDIAN);
            backing = b;
            io[0] = b.duplicate();
            io[1] = b.duplicate();
        }
    }

    /**
     * Creates a ring over its own heap memory.
     *
     * @param capacity a power of two in [1, 2^30]
     * @return the ring
     * @throws IllegalArgumentException if capacity is not a power of two in that range
     */
    public static ByteRing heap(int capacity) {
        return new ByteRing(capacity, false, null);
    }

    /**
     * Creates a ring over its own direct memory (what {@code readFrom}/{@code writeTo} want).
     *
     * @param capacity a power of two in [1, 2^30]
     * @return the ring
     * @throws IllegalArgumentException if capacity is not a power of two in that range
     */
    public static ByteRing direct(int capacity) {
        return new ByteRing(capacity, true, null);
    }

    /**
     * Creates an elastic ring: it asks {@code provider} for {@code capacity} bytes when bytes first arrive
     * and releases the buffer when it drains. It uses the first {@code capacity} bytes of a larger buffer.
     *
     * @param capacity a power of two in [1, 2^30]
     * @param provider lends the memory; called by the ring's owner thread
     * @return the ring, holding no buffer yet
     * @throws IllegalArgumentException if capacity is not a power of two in that range
     */
    public static ByteRing elastic(int capacity, BufferProvider provider) {
        return new ByteRing(capacity, false, Objects.requireNonNull(provider, "provider"));
    }

    /** Elastic: borrows a buffer if the ring holds none; on any failure it holds none still. */
    private void ensureBuffer() {
        if (backing == null) {
            ByteBuffer b = provider.acquire(capacity);
            if (b == null || b.capacity() < capacity) {
                if (b != null) {
                    provider.release(b);
                }
                throw new IllegalStateException("provider returned a buffer of capacity "
                        + (b == null ? "null" : b.capacity()) + ", need at least " + capacity);
            }
            ByteBuffer[] v;
            try {
                v = viewsOver(b);
            } catch (RuntimeException | Error e) {
                try {
                    provider.release(b);        // out of memory for the views: hold nothing
                } catch (RuntimeException | Error e2) {
                    e.addSuppressed(e2);
                }
                throw e;
            }
            b.order(ByteOrder.BIG_ENDIAN);
            readIndex = 0;
            writeIndex = 0;
            views = v;
            io[0] = v[1];
            io[1] = v[2];
            backing = b;
        }
    }

    /** The views of the last buffer if it is {@code b} and they were not collected, else new ones. */
    private ByteBuffer[] viewsOver(ByteBuffer b) {
        WeakReference<ByteBuffer[]> last = lastViews;
        ByteBuffer[] v = last == null ? null : last.get();
        if (v != null && v[0] == b) {
            return v;
        }
        fault();
        v = new ByteBuffer[3];
        fault();
        v[1] = b.duplicate();
        fault();
        v[2] = b.duplicate();
        v[0] = b;
        fault();
        lastViews = new WeakReference<>(v);
        return v;
    }

    private static void fault() {
        Runnable f = allocationFault;
        if (f != null) {
            f.run();
        }
    }

    /** Elastic: hands the buffer back when empty; if the provider throws, keeps it for the next try. */
    private void releaseIfDrained() {
        if (provider != null && readIndex == writeIndex && backing != null) {
            readIndex = 0;
            writeIndex = 0;
            segments.count = 0;
            segments.remaining = 0;
            provider.release(backing);
            backing = null;
            views = null;                   // idle: the views (and so the buffer) only through lastViews
            io[0] = null;
            io[1] = null;
        }
    }

    /** {@return the capacity in bytes; owner thread} */
    public int capacity() {
        return capacity;
    }

    /** {@return the number of readable bytes; owner thread} */
    public int readable() {
        return (int) (writeIndex - readIndex);
    }

    /** {@return the number of bytes that can be written before the ring is full; owner thread} */
    public int writable() {
        return capacity - (int) (writeIndex - readIndex);
    }

    /** {@return true if no byte is readable; owner thread} */
    public boolean isEmpty() {
        return writeIndex == readIndex;
    }

    /** {@return whether the ring has its memory now (always true unless elastic); owner thread} */
    public boolean hasBuffer() {
        return backing != null;
    }

    /** {@return whether this ring borrows its memory from a {@link BufferProvider}; owner thread} */
    public boolean isElastic() {
        return provider != null;
    }

    /** {@return true if the ring's own memory is direct (elastic: if the current buffer is); owner thread} */
    public boolean isDirect() {
        return backing == null ? directFixed : backing.isDirect();
    }

    /**
     * Copies as many of {@code src}'s remaining bytes as fit and advances its position by that many;
     * owner thread.
     *
     * @param src the bytes to copy
     * @return how many bytes went in, 0 when the ring is full or {@code src} is empty
     */
    public int write(ByteBuffer src) {
        Objects.requireNonNull(src, "src");
        int n = Math.min(src.remaining(), writable());
        if (n == 0) {
            return 0;
        }
        int p = src.position();
        writeFrom(src, p, n);
        src.position(p + n);
        return n;
    }

    /**
     * Copies {@code src[index, index + length)} in whole, without touching {@code src}'s position or limit;
     * the caller checked that it fits. Owner thread. Also for the frame queues, whose chunks are shared.
     */
    void writeFrom(ByteBuffer src, int index, int length) {
        ensureBuffer();
        Rings.put(backing, (int) (writeIndex & mask), capacity, src, index, length);
        writeIndex += length;
    }

    /**
     * Copies as many bytes of {@code src[off, off + len)} as fit; owner thread.
     *
     * @param src the array
     * @param off the first byte
     * @param len how many bytes to offer
     * @return how many bytes went in
     * @throws IllegalArgumentException if the length is negative
     * @throws IndexOutOfBoundsException if the range is outside the array
     */
    public int write(byte[] src, int off, int len) {
        Rings.checkRange(src, "src", off, len);
        int n = Math.min(len, writable());
        if (n == 0) {
            return 0;
        }
        ensureBuffer();
        Rings.put(backing, (int) (writeIndex & mask), capacity, src, off, n);
        writeIndex += n;
        return n;
    }

    /**
     * Returns up to {@code n} readable bytes as one or two views, without copying or allocating; owner
     * thread. The bytes stay in the ring until {@link #discard(int)}. The view is valid until the next
     * mutating call.
     *
     * @param n the most bytes wanted; not negative
     * @return the ring's reused view, holding {@code min(n, readable())} bytes in 0, 1 or 2 buffers
     * @throws IllegalArgumentException if n is negative
     */
    public Segments peek(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, was " + n);
        }
        return fillReadable(Math.min(n, readable()));
    }

    private Segments fillReadable(int n) {
        return segments.fill((int) (readIndex & mask), n, capacity);
    }

    /**
     * Frees the first {@code n} readable bytes; owner thread. An elastic ring that becomes empty returns
     * its buffer to the provider.
     *
     * @param n how many bytes; in [0, readable()]
     * @throws IllegalArgumentException if n is negative or greater than {@link #readable()}
     */
    public void discard(int n) {
        if (n < 0 || n > readable()) {
            throw new IllegalArgumentException("discard " + n + " outside [0, readable() = " + readable() + "]");
        }
        readIndex += n;
        releaseIfDrained();
    }

    /**
     * Copies up to {@code len} readable bytes into {@code dst} and discards them; owner thread.
     *
     * @param dst the array
     * @param off where the first byte goes
     * @param len the most bytes wanted
     * @return how many bytes were read, 0 if the ring is empty
     * @throws IllegalArgumentException if the length is negative
     * @throws IndexOutOfBoundsException if the range is outside the array
     */
    public int read(byte[] dst, int off, int len) {
        Rings.checkRange(dst, "dst", off, len);
        int n = Math.min(len, readable());
        if (n == 0) {
            return 0;
        }
        Rings.get(backing, (int) (readIndex & mask), capacity, dst, off, n);
        discard(n);
        return n;
    }

    /**
     * Reads the readable byte at {@code offset}; owner thread.
     *
     * @param offset from the first readable byte, in [0, readable())
     * @return the byte
     * @throws IllegalArgumentException if fewer than {@code offset + 1} bytes are readable
     */
    public byte getByte(int offset) {
        checkOffset(offset, 1);
        return backing.get((int) ((readIndex + offset) & mask));
    }

    /**
     * Reads a big-endian int starting {@code offset} bytes after the first readable byte, across the wrap
     * point if needed (a length prefix); owner thread. Nothing is discarded.
     *
     * @param offset from the first readable byte; {@code offset + 4 <= readable()}
     * @return the int
     * @throws IllegalArgumentException if fewer than {@code offset + 4} bytes are readable
     */
    public int getInt(int offset) {
        checkOffset(offset, 4);
        int index = (int) ((readIndex + offset) & mask);
        return index + 4 <= capacity ? backing.getInt(index) : Rings.getIntWrapped(backing, index, mask);
    }

    /**
     * Reads a big-endian long starting {@code offset} bytes after the first readable byte, across the
     * wrap point if needed; owner thread. Nothing is discarded.
     *
     * @param offset from the first readable byte; {@code offset + 8 <= readable()}
     * @return the long
     * @throws IllegalArgumentException if fewer than {@code offset + 8} bytes are readable
     */
    public long getLong(int offset) {
        checkOffset(offset, 8);
        int index = (int) ((readIndex + offset) & mask);
        return index + 8 <= capacity ? backing.getLong(index) : Rings.getLongWrapped(backing, index, mask);
    }

    private void checkOffset(int offset, int size) {
        if (offset < 0 || (long) offset + size > readable()) {
            throw new IllegalArgumentException("offset " + offset + " + " + size + " bytes outside readable() = "
                    + readable());
        }
    }

    /**
     * Reads from {@code channel} into the free space with one call: a scattering read ({@code readv}) when
     * the free space wraps, a plain {@code read} when it is contiguous (cheaper in the JDK and the
     * kernel); owner thread. When the ring is full the channel is not called and 0 is returned. An elastic
     * ring borrows its buffer first, and returns it at once if nothing arrived and the ring is empty.
     *
     * @param channel the source
     * @return what the channel's read returned: the byte count, 0, or -1 at end of stream
     * @throws IOException from the channel
     */
    public long readFrom(ScatteringByteChannel channel) throws IOException {
        Objects.requireNonNull(channel, "channel");
        int free = writable();
        if (free == 0) {
            return 0;
        }
        ensureBuffer();
        int count = Rings.setViews(io, (int) (writeIndex & mask), free, capacity);
        segments.count = 0;
        long n;
        try {
            n = count == 1 ? channel.read(io[0]) : channel.read(io, 0, count);
        } catch (IOException | RuntimeException e) {
            releaseIfDrained();
            throw e;
        }
        if (n > 0) {
            writeIndex += n;
        } else {
            releaseIfDrained();     // nothing arrived on an empty elastic ring: hand the buffer straight back
        }
        return n;
    }

    /**
     * Writes all readable bytes to {@code channel} with one call, a gathering write ({@code writev}) when
     * they wrap and a plain {@code write} when they are contiguous, and discards what went out; owner
     * thread. When the ring is empty the channel is not called.
     *
     * @param channel the destination
     * @return the number of bytes written (and discarded)
     * @throws IOException from the channel
     */
    public long writeTo(GatheringByteChannel channel) throws IOException {
        return writeTo(channel, Integer.MAX_VALUE);
    }

    /**
     * {@link #writeTo(GatheringByteChannel)} of at most the first {@code max} readable bytes: for output
     * that must stop at a boundary (a file queued after them, say); owner thread. When the ring is empty or
     * {@code max} is 0 the channel is not called.
     *
     * @param channel the destination
     * @param max     the most bytes to write; not negative
     * @return the number of bytes written (and discarded)
     * @throws IOException from the channel
     * @throws IllegalArgumentException if max is negative
     */
    public long writeTo(GatheringByteChannel channel, int max) throws IOException {
        Objects.requireNonNull(channel, "channel");
        if (max < 0) {
            throw new IllegalArgumentException("max must be >= 0, was " + max);
        }
        int n = Math.min(readable(), max);
        if (n == 0) {
            return 0;
        }
        Segments s = fillReadable(n);
        long written = s.count == 1 ? channel.write(io[0]) : channel.write(io, 0, s.count);
        s.count = 0;
        if (written > 0) {
            discard((int) written);
        }
        return written;
    }

    /** Discards every readable byte (an elastic ring returns its buffer); owner thread. */
    public void clear() {
        readIndex = writeIndex;
        segments.count = 0;
        releaseIfDrained();
    }

    @Override
    public String toString() {
        return "ByteRing[capacity=" + capacity + ", readable=" + readable() + (provider != null ? ", elastic" : "")
                + "]";
    }
}
