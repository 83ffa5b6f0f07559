package dev.netkit.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Record headers kept in {@code long[]}s beside the buffers (word {@code index / 8}), for the Lincheck tests:
 * Lincheck 3.7 cannot follow the {@code byteBufferViewVarHandle} accesses of {@link RecordHeaders#IN_BUFFER}.
 * Everything else (payloads, zeroing, the algorithm) is the rings' own code; chunks may be heap buffers.
 */
abstract class ArrayHeaders extends RecordHeaders {
    private static final VarHandle WORD = MethodHandles.arrayElementVarHandle(long[].class);

    /** The header words of the records in {@code b}. */
    abstract long[] words(ByteBuffer b);

    /** One array for every buffer: an {@link MpscFrameRing} of {@code capacity} bytes. */
    static ArrayHeaders of(int capacity) {
        return new Single(new long[capacity / HEADER_LENGTH]);
    }

    @Override
    long getAcquire(ByteBuffer b, int index) {
        return (long) WORD.getAcquire(words(b), index >>> 3);
    }

    @Override
    void setRelease(ByteBuffer b, int index, long word) {
        WORD.setRelease(words(b), index >>> 3, word);
    }

    @Override
    boolean compareAndSet(ByteBuffer b, int index, long expected, long word) {
        return WORD.compareAndSet(words(b), index >>> 3, expected, word);
    }

    @Override
    void zero(ByteBuffer b, int index, int n) {
        Arrays.fill(words(b), index >>> 3, (index + n) >>> 3, 0L);
        super.zero(b, index, n);
    }

    @Override
    boolean accepts(ByteBuffer chunk) {
        return true;
    }

    /** Not a lambda or method reference: Lincheck 3.7 cannot read their captured fields. */
    private static final class Single extends ArrayHeaders {
        private final long[] words;

        Single(long[] words) {
            this.words = words;
        }

        @Override
        long[] words(ByteBuffer b) {
            return words;
        }
    }
}
