package dev.netkit.ring;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.ArrayDeque;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An elastic {@link ByteRing} after an error in the middle of a borrow or a return (an
 * {@link OutOfMemoryError} while it makes its views, a provider whose release throws): the ring is left
 * consistent, holds no buffer it cannot account for, never touches a buffer it no longer owns, and works
 * on afterwards.
 */
class ElasticFaultTest {
    static final byte MARK = 0x55;

    /** A LIFO pool that counts what is out on loan; its release can be made to fail. */
    static final class Pool {
        final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
        int out;
        int failReleases;

        ByteBuffer acquire(int size) {
            ByteBuffer b = free.poll();
            out++;
            return b != null ? b.clear() : ByteBuffer.allocateDirect(size);
        }

        void release(ByteBuffer b) {
            if (failReleases > 0) {
                failReleases--;
                throw new OutOfMemoryError("injected: release");
            }
            out--;
            free.push(b);
        }
    }

    @AfterEach
    void noFault() {
        ByteRing.allocationFault = null;
    }

    private static byte[] range(int from, int n) {
        byte[] a = new byte[n];
        for (int i = 0; i < n; i++) {
            a[i] = (byte) (from + i);
        }
        return a;
    }

    private static byte[] peekAll(ByteRing r) {
        Segments s = r.peek(r.readable());
        byte[] out = new byte[s.remaining()];
        int k = 0;
        for (int i = 0; i < s.count(); i++) {
            ByteBuffer v = s.get(i);
            int n = v.remaining();
            v.get(v.position(), out, k, n);
            k += n;
        }
        return out;
    }

    @Test
    void outOfMemoryWhileMakingViewsLeavesNoBufferAndNoStaleView() throws Exception {
        int faults = 0;
        for (int failAt = 1; ; failAt++) {
            Pool pool = new Pool();
            ByteRing r = ByteRing.elastic(16, BufferProvider.of(pool::acquire, pool::release));
            r.write(new byte[] {1}, 0, 1);                  // views over buffer A
            r.discard(1);                                   // A goes back
            ByteBuffer a = pool.acquire(16);                // another user takes A: the ring gets B next
            for (int i = 0; i < 16; i++) {
                a.put(i, MARK);
            }
            int[] calls = {0};
            int at = failAt;
            ByteRing.allocationFault = () -> {
                if (++calls[0] == at) {
                    throw new OutOfMemoryError("injected: view " + at);
                }
            };
            boolean failed;
            try {
                r.write(range(0, 12), 0, 12);
                failed = false;
            } catch (OutOfMemoryError e) {
                failed = true;
            }
            ByteRing.allocationFault = null;
            if (!failed) {
                r.clear();
                assertTrue(faults > 0, "no allocation point was reached");
                return;
            }
            faults++;
            boolean heldAfterError = r.hasBuffer();
            int outAfterError = pool.out;
            int readableAfterError = r.readable();

            // use the ring with wrapping segments: the bytes it shows and reads in must be in its own buffer
            r.write(range(0, 12), 0, 12);
            r.discard(8);
            r.write(range(12, 8), 0, 8);                    // readable [8, 20): wraps at 16
            byte[] peeked = peekAll(r);
            r.discard(10);                                  // readable [18, 20) at indexes 2, 3: the free space wraps
            Pipe p = Pipe.open();
            p.sink().write(ByteBuffer.wrap(range(100, 14)));
            long read = r.readFrom(p.source());             // fills indexes 4..15, then 0, 1
            byte[] afterRead = peekAll(r);
            byte[] aBytes = new byte[16];
            a.get(0, aBytes);
            p.sink().close();
            p.source().close();
            r.clear();

            int point = failAt;
            byte[] expectedA = new byte[16];
            Arrays.fill(expectedA, MARK);
            assertAll("after an OutOfMemoryError at view allocation " + point,
                    () -> assertFalse(heldAfterError, "the empty ring kept the buffer it borrowed"),
                    () -> assertEquals(1, outAfterError, "buffers out on loan (the test holds A)"),
                    () -> assertEquals(0, readableAfterError),
                    () -> assertArrayEquals(range(8, 12), peeked, "peek across the wrap"),
                    () -> assertEquals(14, read),
                    () -> assertArrayEquals(concat(range(18, 2), range(100, 14)), afterRead, "bytes read in"),
                    () -> assertArrayEquals(expectedA, aBytes, "the buffer the ring no longer owns was touched"),
                    () -> assertEquals(1, pool.out, "buffers out on loan once the ring drained"));
        }
    }

    private static byte[] concat(byte[] x, byte[] y) {
        byte[] z = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, z, x.length, y.length);
        return z;
    }

    @Test
    void aReleaseThatThrowsLeavesTheBufferWithTheRingForTheNextDrain() {
        Pool pool = new Pool();
        ByteRing r = ByteRing.elastic(16, BufferProvider.of(pool::acquire, pool::release));
        r.write(range(0, 4), 0, 4);
        pool.failReleases = 1;
        OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> r.discard(4));
        assertEquals("injected: release", e.getMessage());
        boolean held = r.hasBuffer();
        int outAfterError = pool.out;
        r.discard(0);                                       // drained again: the ring tries again
        assertAll("after the provider's release threw",
                () -> assertTrue(held, "the ring dropped a buffer the provider never took back"),
                () -> assertEquals(1, outAfterError),
                () -> assertFalse(r.hasBuffer(), "the next drain returns it"),
                () -> assertEquals(0, pool.out, "buffers never returned to the provider"));
        r.write(range(0, 4), 0, 4);
        assertArrayEquals(range(0, 4), peekAll(r));
        r.clear();
        assertEquals(0, pool.out);
    }
}
