package dev.netkit.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What an idle elastic {@link ByteRing} keeps reachable, proven with {@link WeakReference}s: no buffer.
 * A buffer the provider let go becomes collectable even while rings that used it live on; and the
 * views of a buffer the provider hands back again are reused, unless a collection came in between.
 */
class ElasticRetentionTest {

    /**
     * A LIFO pool of one size that keeps at most {@code max} idle buffers and drops the rest, as
     * {@code BufferPool} does when its cache is full or past its budget; it remembers every buffer it made,
     * weakly.
     */
    static final class BoundedPool {
        final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
        final List<WeakReference<ByteBuffer>> made = new ArrayList<>();
        final int max;

        BoundedPool(int max) {
            this.max = max;
        }

        ByteBuffer acquire(int size) {
            ByteBuffer b = free.poll();
            if (b == null) {
                b = ByteBuffer.allocateDirect(size);
                made.add(new WeakReference<>(b));
            }
            return b.clear();
        }

        void release(ByteBuffer b) {
            if (free.size() < max) {
                free.push(b);
            }                                       // else dropped: the pool forgets it
        }

        /** Runs GC until at most {@code expected} made buffers are reachable, 50 rounds at most (not timed). */
        int reachableAfterGc(int expected) throws InterruptedException {
            int n = reachable();
            for (int i = 0; i < 50 && n > expected; i++) {
                System.gc();
                Thread.sleep(10);
                n = reachable();
            }
            return n;
        }

        int reachable() {
            int n = 0;
            for (WeakReference<ByteBuffer> r : made) {
                if (r.get() != null) {
                    n++;
                }
            }
            return n;
        }
    }

    @Test
    void idleRingsKeepNoBufferTheProviderDropped() throws Exception {
        BoundedPool pool = new BoundedPool(4);
        BufferProvider provider = BufferProvider.of(pool::acquire, pool::release);
        ByteRing[] rings = new ByteRing[1000];
        for (int i = 0; i < rings.length; i++) {
            rings[i] = ByteRing.elastic(64, provider);
            rings[i].write(new byte[] {(byte) i}, 0, 1);    // each holds its own buffer: 1,000 made
        }
        for (ByteRing r : rings) {
            r.discard(1);                                   // all drain: the pool keeps 4, drops 996
            assertFalse(r.hasBuffer());
        }
        assertEquals(1000, pool.made.size());
        assertEquals(4, pool.free.size());

        assertEquals(4, pool.reachableAfterGc(4),
                "buffers still reachable after the pool dropped 996 of them and kept 4 (idle rings must hold none)");
        pool.free.clear();                                  // the pool lets go of the rest
        assertEquals(0, pool.reachableAfterGc(0), "buffers still reachable after the pool dropped them all");

        // the rings still work, each with a fresh buffer
        for (int i = 0; i < rings.length; i++) {
            rings[i].write(new byte[] {(byte) i, 7}, 0, 2);
            assertEquals((byte) i, rings[i].getByte(0));
            rings[i].clear();
        }
        Reference.reachabilityFence(rings);                 // the rings lived through every GC above
    }

    @Test
    void reBorrowingTheSameBufferReusesItsViewsUnlessACollectionClearedThem() {
        BoundedPool pool = new BoundedPool(1);
        ByteRing r = ByteRing.elastic(64, BufferProvider.of(pool::acquire, pool::release));
        byte[] bytes = {1, 2, 3};
        r.write(bytes, 0, 3);
        ByteBuffer view = r.peek(3).get(0);
        // cleared by any collection after this point: tells whether one ran while the ring was idle
        WeakReference<Object> gcSinceRelease = new WeakReference<>(new Object());
        r.discard(3);
        int remade = 0;
        for (int i = 0; i < 1000; i++) {
            r.write(bytes, 0, 3);                           // the pool hands back the same buffer
            ByteBuffer v = r.peek(3).get(0);
            assertEquals(3, v.remaining());
            assertEquals(2, v.get(v.position() + 1));
            if (v != view) {
                remade++;
                assertNull(gcSinceRelease.get(), "views over the same buffer re-made at round " + i
                        + " although no collection ran while the ring was idle");
                view = v;
            }
            gcSinceRelease = new WeakReference<>(new Object());
            r.discard(3);
        }
        assertEquals(1, pool.made.size(), "one buffer went round");
        assertTrue(remade < 1000, "views re-made at every borrow");
    }
}
