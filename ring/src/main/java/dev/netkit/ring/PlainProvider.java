package dev.netkit.ring;

import java.nio.ByteBuffer;
import java.util.Objects;

/** The allocating providers behind {@link BufferProvider#heap()} and {@link BufferProvider#direct()}. */
enum PlainProvider implements BufferProvider {
    HEAP, DIRECT;

    @Override
    public ByteBuffer acquire(int minCapacity) {
        if (minCapacity <= 0) {
            throw new IllegalArgumentException("minCapacity must be > 0, was " + minCapacity);
        }
        return this == HEAP ? ByteBuffer.allocate(minCapacity) : ByteBuffer.allocateDirect(minCapacity);
    }

    /** Fresh allocations: the JDK zeroes them. */
    @Override
    public boolean zeroed() {
        return true;
    }

    @Override
    public void release(ByteBuffer buffer) {
        Objects.requireNonNull(buffer, "buffer");
    }
}
