package dev.netkit.ring;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Lends backing memory to elastic rings ({@link ByteRing#elastic(int, BufferProvider)}) and chunks to
 * {@link MpscChunkedFrameQueue}s.
 *
 * <p>A ring asks for exactly its (power-of-two) capacity and uses only that many bytes, starting at
 * index 0, even when the provider hands it a larger buffer. It hands the buffer back, through
 * {@link #release(ByteBuffer)}, when it drains. Between the two calls the ring owns the buffer; it may
 * change its position, limit and byte order (it sets big-endian).
 *
 * <p><b>Thread safety.</b> A ring calls its provider from the thread that owns the ring. An
 * {@link MpscChunkedFrameQueue} calls {@code acquire} from its producer threads and {@code release} from its
 * producers and its consumer, so its provider must be thread-safe (the pool module's {@code BufferPool} is).
 * Whether one provider may serve rings owned by different threads is the provider's own contract;
 * {@link #heap()} and {@link #direct()} are stateless and may be shared by any threads.
 */
public interface BufferProvider {
    /**
     * Returns a cleared buffer (position 0, limit = capacity) whose capacity is at least minCapacity.
     *
     * @param minCapacity the number of bytes the ring needs; positive
     * @return a buffer the caller owns until it passes it to {@link #release(ByteBuffer)}
     */
    ByteBuffer acquire(int minCapacity);

    /**
     * Takes back a buffer acquired from this provider. If it throws (say, an {@link OutOfMemoryError} while
     * the provider makes room to keep the buffer), a ring takes that to mean the buffer was not taken: it
     * keeps the buffer and offers it again the next time it drains.
     *
     * @param buffer a buffer this provider returned from {@link #acquire(int)}; the caller no longer uses it
     */
    void release(ByteBuffer buffer);

    /**
     * Adapts two method references, e.g. {@code BufferProvider.of(pool::acquire, pool::release)}.
     *
     * @param acquire called by {@link #acquire(int)}
     * @param release called by {@link #release(ByteBuffer)}
     * @return a provider delegating to the two functions; as thread-safe as they are
     */
    static BufferProvider of(IntFunction<ByteBuffer> acquire, Consumer<ByteBuffer> release) {
        return new FunctionProvider(acquire, release, false);
    }

    /**
     * Whether every buffer this provider hands out reads zero in every byte. A frame queue
     * ({@link MpscChunkedFrameQueue}) then skips zeroing the chunks it borrows, and in return zeroes what it
     * wrote into a chunk before handing it back, so that a provider fed only by such queues (and by fresh
     * allocations, which the JDK zeroes) keeps the promise. Rings ignore it. Any thread.
     *
     * @return false unless the provider says otherwise ({@link #heap()}, {@link #direct()} and
     *         {@link #ofZeroed} say true)
     */
    default boolean zeroed() {
        return false;
    }

    /**
     * {@link #of}, for a provider whose buffers are all zero when handed out ({@link #zeroed()} true): for
     * example a {@code BufferPool} that only frame queues release into. A buffer handed out with a byte
     * that is not zero corrupts the queue that borrows it (it may read stale bytes as a frame header), so
     * do not share such a pool with rings or other users.
     *
     * @param acquire called by {@link #acquire(int)}; returns zero-filled buffers
     * @param release called by {@link #release(ByteBuffer)}; receives zero-filled buffers from the queues
     * @return a provider delegating to the two functions, whose {@link #zeroed()} is true
     */
    static BufferProvider ofZeroed(IntFunction<ByteBuffer> acquire, Consumer<ByteBuffer> release) {
        return new FunctionProvider(acquire, release, true);
    }

    /**
     * A provider that allocates a fresh heap buffer of exactly the requested capacity on each acquire and
     * leaves released buffers to the garbage collector. Useful in tests; any thread.
     *
     * @return the shared heap provider
     */
    static BufferProvider heap() {
        return PlainProvider.HEAP;
    }

    /**
     * A provider that allocates a fresh direct buffer of exactly the requested capacity on each acquire
     * and leaves released buffers to the garbage collector (no pooling: a server wants a pool instead, as
     * direct allocation is slow). Any thread.
     *
     * @return the shared direct provider
     */
    static BufferProvider direct() {
        return PlainProvider.DIRECT;
    }
}
