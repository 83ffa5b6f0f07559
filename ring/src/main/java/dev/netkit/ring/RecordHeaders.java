package dev.netkit.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The record format of the two MPSC classes ({@link MpscFrameRing}, {@link MpscChunkedFrameQueue}) and how
 * they reach a record's header: {@code [header: 8 bytes][payload][pad to a multiple of 8]}, the header one
 * {@code long} (length in the high 32 bits, state in the low 32) at an 8-aligned index of a direct buffer,
 * read and written with atomic access modes through a {@code byteBufferViewVarHandle}.
 *
 * <p>A strategy chosen at construction: the public constructors use {@link #IN_BUFFER}; a test may pass a
 * subclass that keeps the header words elsewhere (Lincheck cannot follow byte-buffer view VarHandles) through
 * the package-private constructors. Production code loads no subclass, so every call below is monomorphic and
 * inlined (class hierarchy analysis); only a test JVM that loads the test subclasses sees more receiver
 * types at these call sites. The bytes, payloads and zeroing are the same code either way.
 */
class RecordHeaders {
    /** Header bytes in front of each frame. */
    static final int HEADER_LENGTH = 8;

    /** No header yet: every byte outside the claimed records reads zero. */
    static final int EMPTY = 0;
    /** Claimed by a producer, not yet committed. */
    static final int CLAIMED = 1;
    /** Committed: the consumer may deliver it. */
    static final int COMMITTED = 2;
    /** Aborted by its producer: skipped. */
    static final int ABORTED = 3;
    /** Fills the end of a ring or chunk: skipped; its length is the gap less the header. */
    static final int PADDING = 4;
    /** Taken by the consumer from a stalled producer: skipped, its space not reused until FREED. */
    static final int RECLAIMED = 5;
    /** A reclaimed record whose producer came back: its space may be released. */
    static final int FREED = 6;

    /** The headers in the records' own buffers: what every public constructor uses. */
    static final RecordHeaders IN_BUFFER = new RecordHeaders();

    private static final VarHandle HDR = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(4096).asReadOnlyBuffer();

    RecordHeaders() {
    }

    /** {@return a header word: length in the high 32 bits, state in the low 32} */
    static long pack(int length, int state) {
        return ((long) length << 32) | state;
    }

    /** {@return the bytes of a record: 8-byte header, payload, padded to a multiple of 8} */
    static int recordLength(int payload) {
        return (HEADER_LENGTH + payload + 7) & ~7;
    }

    /** The header at {@code index} of {@code b}, with acquire. */
    long getAcquire(ByteBuffer b, int index) {
        return (long) HDR.getAcquire(b, index);
    }

    /** Stores the header at {@code index} of {@code b} with release. */
    void setRelease(ByteBuffer b, int index, long word) {
        HDR.setRelease(b, index, word);
    }

    /** CASes the header at {@code index} of {@code b} (volatile). */
    boolean compareAndSet(ByteBuffer b, int index, long expected, long word) {
        return HDR.compareAndSet(b, index, expected, word);
    }

    /** Zeroes {@code [index, index + n)} of {@code b}, headers included; consumer or an installing producer. */
    void zero(ByteBuffer b, int index, int n) {
        while (n > 0) {
            int k = Math.min(n, ZEROS.capacity());
            b.put(index, ZEROS, 0, k);
            index += k;
            n -= k;
        }
    }

    /** Whether a provider's chunk can hold headers: a direct buffer whose address is 8-byte aligned. */
    boolean accepts(ByteBuffer chunk) {
        return chunk.isDirect() && chunk.alignmentOffset(0, 8) == 0;
    }

    /**
     * Ends a claimed record as {@code state} (COMMITTED or ABORTED); its producer. With reclaim off nobody
     * else writes the header, so a release store does; otherwise a CAS from CLAIMED, which races the
     * consumer's reclaim CAS: if the consumer won, the record is marked FREED (its space may be reused now)
     * and this returns false.
     */
    final boolean finish(ByteBuffer b, int index, int length, int state, boolean reclaimOff) {
        if (reclaimOff) {
            setRelease(b, index, pack(length, state));
            return true;
        }
        if (compareAndSet(b, index, pack(length, CLAIMED), pack(length, state))) {
            return true;
        }
        setRelease(b, index, pack(length, FREED));      // reclaimed by the consumer: give the space back
        return false;
    }
}
