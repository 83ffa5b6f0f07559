package dev.netkit.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.ArrayDeque;
import org.junit.jupiter.api.Test;

/** Elastic {@link ByteRing}: borrow on first bytes, return on drain, larger buffers, the adapter. */
class ElasticTest {

    /** A LIFO pool of one size, as pool's BufferPool behaves for one size class. */
    static final class Lifo {
        final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
        final int size;
        int acquired;
        int released;

        Lifo(int size) {
            this.size = size;
        }

        ByteBuffer acquire(int min) {
            acquired++;
            ByteBuffer b = free.poll();
            return b != null ? b.clear() : ByteBuffer.allocateDirect(Math.max(size, min));
        }

        void release(ByteBuffer b) {
            released++;
            free.push(b);
        }
    }

    @Test
    void borrowsOnFirstBytesAndReturnsOnDrain() throws Exception {
        Lifo pool = new Lifo(256);                      // larger than the ring: only 64 bytes are used
        ByteRing r = ByteRing.elastic(64, BufferProvider.of(pool::acquire, pool::release));
        assertFalse(r.hasBuffer());
        assertEquals(0, r.peek(10).count());
        assertEquals(0, r.write(new byte[0], 0, 0));
        assertFalse(r.hasBuffer(), "writing nothing borrows nothing");
        assertEquals(100 - 36, r.write(new byte[100], 0, 100), "only capacity bytes, not the buffer's 256");
        assertTrue(r.hasBuffer());
        assertEquals(1, pool.acquired);
        r.discard(30);
        assertTrue(r.hasBuffer());
        r.discard(34);
        assertFalse(r.hasBuffer(), "drained: buffer returned");
        assertEquals(1, pool.released);
        r.write(new byte[] {1, 2, 3}, 0, 3);
        assertTrue(pool.free.isEmpty(), "the pooled buffer is on loan again");
        assertEquals(1, pool.released);
        byte[] out = new byte[3];
        assertEquals(3, r.read(out, 0, 3));
        assertFalse(r.hasBuffer());
        r.write(new byte[] {1}, 0, 1);
        r.clear();
        assertFalse(r.hasBuffer(), "clear returns the buffer");
        assertEquals(pool.acquired, pool.released);

        // readFrom on an idle ring with nothing to read: borrows and returns at once
        Pipe p = Pipe.open();
        p.source().configureBlocking(false);
        assertEquals(0, r.readFrom(p.source()));
        assertFalse(r.hasBuffer(), "nothing arrived: no buffer kept");
        p.sink().write(ByteBuffer.wrap(new byte[] {9, 8}));
        assertEquals(2, r.readFrom(p.source()));
        assertTrue(r.hasBuffer());
        assertEquals(9, r.getByte(0));
        assertEquals(8, r.getByte(1));
        p.sink().close();
        p.source().close();
        assertEquals(pool.acquired - 1, pool.released);
    }

    @Test
    void providerReturningTooSmallABufferIsRejected() {
        ByteRing r = ByteRing.elastic(64, BufferProvider.of(n -> ByteBuffer.allocate(32), b -> { }));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.write(new byte[1], 0, 1));
        assertTrue(e.getMessage().contains("32") && e.getMessage().contains("64"), e.getMessage());
    }

    @Test
    void plainProviders() {
        assertTrue(BufferProvider.direct().acquire(16).isDirect());
        assertFalse(BufferProvider.heap().acquire(16).isDirect());
        assertEquals(16, BufferProvider.heap().acquire(16).capacity());
        assertThrows(IllegalArgumentException.class, () -> BufferProvider.heap().acquire(0));
        ByteRing r = ByteRing.elastic(16, BufferProvider.heap());
        r.write(new byte[] {1, 2, 3, 4}, 0, 4);
        assertEquals(0x01020304, r.getInt(0), "big-endian");
        r.discard(4);
        assertFalse(r.hasBuffer());
    }
}
