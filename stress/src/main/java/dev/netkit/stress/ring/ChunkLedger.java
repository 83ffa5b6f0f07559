package dev.netkit.stress.ring;

import dev.netkit.ring.BufferProvider;
import dev.netkit.ring.MpscChunkedFrameQueue;
import dev.netkit.ring.Segments;
import dev.netkit.stress.fixtures.Bytes;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The chunk provider of the {@code MpscChunkedFrameQueue} tests, and their drain and settle checks.
 *
 * <p>{@link #provider} is a thread-safe {@link BufferProvider} that lends fixed slices of one direct buffer,
 * always the lowest free slice first, so that a chunk given back is the next one lent again (a queue that gave
 * a chunk back too early gets to reuse it while a late producer may still write into it). Each slice has a
 * lease word, bumped on every acquire and every release (odd while lent), so a producer can tell whether its
 * chunk went back to the provider since it claimed. It counts acquires and releases, and counts as an error a
 * release of a buffer it does not have out (twice, or one it never lent) and an acquire it cannot serve (more
 * chunks than the test can need).
 *
 * <p>A plain ledger ({@code zeroed} false) is built with {@link BufferProvider#of}: the queue zeroes every
 * chunk it borrows, and may give chunks back dirty. A zeroed ledger is built with {@link BufferProvider#ofZeroed}:
 * it promises zero-filled chunks (its slices start zero), so the queue skips zeroing what it borrows and must
 * zero what it wrote before giving a chunk back; the ledger checks that on every release and counts a buffer
 * given back with a byte that is not zero as an error (and zeroes it, so the next lend keeps the promise).
 */
final class ChunkLedger {
    /** Frames per peek: the tests' queues have 64-byte chunks and so a maxBatch of 8. */
    static final int BATCH = 8;

    final BufferProvider provider;
    private final int chunkBytes;
    private final boolean zeroed;
    private final ByteBuffer[] slices;
    private final AtomicIntegerArray leases;
    private final AtomicInteger acquires = new AtomicInteger();
    private final AtomicInteger releases = new AtomicInteger();
    private final AtomicInteger errors = new AtomicInteger();

    ChunkLedger(int chunkBytes, int chunks) {
        this(chunkBytes, chunks, false);
    }

    ChunkLedger(int chunkBytes, int chunks, boolean zeroed) {
        this.chunkBytes = chunkBytes;
        this.zeroed = zeroed;
        ByteBuffer all = ByteBuffer.allocateDirect(chunkBytes * chunks);
        slices = new ByteBuffer[chunks];
        for (int i = 0; i < chunks; i++) {
            slices[i] = all.slice(i * chunkBytes, chunkBytes);
        }
        leases = new AtomicIntegerArray(chunks);
        provider = zeroed ? BufferProvider.ofZeroed(this::acquire, this::release)
                : BufferProvider.of(this::acquire, this::release);
    }

    private ByteBuffer acquire(int minCapacity) {
        if (minCapacity <= chunkBytes) {
            for (int i = 0; i < slices.length; i++) {
                int v = leases.get(i);
                if ((v & 1) == 0 && leases.compareAndSet(i, v, v + 1)) {
                    acquires.incrementAndGet();
                    return slices[i].clear();
                }
            }
        }
        errors.incrementAndGet();
        return ByteBuffer.allocateDirect(minCapacity);      // not a slice: its release counts as an error
    }

    private void release(ByteBuffer b) {
        int i = indexOf(b);
        if (i < 0) {
            errors.incrementAndGet();                       // not lent by this provider
            return;
        }
        while (true) {
            int v = leases.get(i);
            if ((v & 1) == 0) {
                errors.incrementAndGet();                   // released twice
                return;
            }
            if (zeroed && !clean(slices[i])) {             // checked while still lent: nobody else has it
                errors.incrementAndGet();                   // a zeroed provider got a dirty chunk back
                for (int j = 0; j < chunkBytes; j++) {
                    slices[i].put(j, (byte) 0);
                }
            }
            if (leases.compareAndSet(i, v, v + 1)) {
                releases.incrementAndGet();
                return;
            }
        }
    }

    private boolean clean(ByteBuffer b) {
        for (int j = 0; j < chunkBytes; j++) {
            if (b.get(j) != 0) {
                return false;
            }
        }
        return true;
    }

    private int indexOf(ByteBuffer b) {
        for (int i = 0; i < slices.length; i++) {
            if (slices[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** The slice a chunk is (0 for the first slice, which is the first one lent); -1 if foreign. */
    int slice(ByteBuffer b) {
        return indexOf(b);
    }

    /** The lease word of a chunk (odd while lent); it changes when the chunk is given back. -1 if foreign. */
    int lease(ByteBuffer b) {
        int i = indexOf(b);
        return i < 0 ? -1 : leases.get(i);
    }

    /** @return how many chunks the queue has borrowed so far */
    int acquires() {
        return acquires.get();
    }

    /**
     * Drains the queue (consumer): peeks and discards until a peek returns nothing. Returns the frames seen,
     * one decimal digit each in delivery order: the frame's id when every payload byte is that id (1 to 8)
     * and the length is {@code lengths[id]}, else 9 (torn, foreign or of the wrong length). 0 if none.
     */
    static int drain(MpscChunkedFrameQueue q, int... lengths) {
        int code = 0;
        for (int round = 0; round < 8; round++) {
            Segments s = q.peek(BATCH);
            if (s.count() == 0) {
                break;
            }
            for (int i = 0; i < s.count(); i++) {
                code = code * 10 + id(s.get(i), lengths);
            }
            q.discard();
        }
        return code;
    }

    private static int id(ByteBuffer b, int[] lengths) {
        int u = Bytes.uniform(b);
        return u >= 1 && u <= 8 && u < lengths.length && lengths[u] == b.remaining() ? u : 9;
    }

    /**
     * Trims the queue (consumer, after a drain) and checks that it gave everything back. Returns 0 when
     * trim returned true, the queue holds no chunk, and every chunk acquired was released exactly once and
     * nothing else was; otherwise 1 (trim false) + 10 * chunks still held + 100 * |acquires - releases|
     * + 1000 * provider errors (a foreign or double release, an acquire it could not serve, a dirty chunk
     * given back to a zeroed ledger).
     */
    int settle(MpscChunkedFrameQueue q) {
        int code = q.trim() ? 0 : 1;
        code += 10 * q.chunks();
        code += 100 * Math.abs(acquires.get() - releases.get());
        code += 1000 * errors.get();
        return code;
    }
}
