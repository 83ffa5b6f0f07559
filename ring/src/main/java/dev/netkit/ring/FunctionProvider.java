package dev.netkit.ring;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/** The provider behind {@link BufferProvider#of} and {@link BufferProvider#ofZeroed}: two functions and a flag. */
record FunctionProvider(IntFunction<ByteBuffer> acquirer, Consumer<ByteBuffer> releaser, boolean zeroed)
        implements BufferProvider {

    /** Names {@code BufferProvider.of}'s parameters when one is null. */
    FunctionProvider {
        Objects.requireNonNull(acquirer, "acquire");
        Objects.requireNonNull(releaser, "release");
    }

    @Override
    public ByteBuffer acquire(int minCapacity) {
        return acquirer.apply(minCapacity);
    }

    @Override
    public void release(ByteBuffer buffer) {
        releaser.accept(buffer);
    }
}
