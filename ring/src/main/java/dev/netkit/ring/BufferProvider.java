package dev.netkit.ring;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Lends backing memory to elastic rings ({@link ByteRing#elastic(int, BufferProvider)}).
 *
 * <p>A ring asks for exactly its (power-of-two) capacity and uses only that many bytes, starting at
 * index 0, even when the provider hands it a larger buffer. It hands the buffer back, through
 * {@link #release(ByteBuffer)}, when it drains. Between the two calls the ring owns the buffer; it may
 * change its position, limit and byte order (it sets big-endian).
 *
 * <p><b>Thread safety.</b> A provider is called by the thread that owns the ring. Whether one provider may
 * serve rings owned by different threads is the provider's own contract; {@link #heap()} and
 * {@link #direct()} are stateless and may be shared by any threads.
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
        Objects.requireNonNull(acquire, "acquire");
        Objects.requireNonNull(release, "release");
        return new BufferProvider() {
            @Override
            public ByteBuffer acquire(int minCapacity) {
                return acquire.apply(minCapacity);
            }

            @Override
            public void release(ByteBuffer buffer) {
                release.accept(buffer);
            }
        };
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
