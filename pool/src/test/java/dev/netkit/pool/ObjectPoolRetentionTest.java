package dev.netkit.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Retention, proven with {@link WeakReference}s: trimmed objects and the caches of dead threads become
 * collectable; objects still pooled stay strongly reachable (the control that shows the check can fail).
 */
class ObjectPoolRetentionTest {

    /** Runs GC until the reference clears or 50 rounds pass; returns whether it cleared (not timed). */
    static boolean collected(WeakReference<?> ref) throws InterruptedException {
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        return ref.get() == null;
    }

    static List<WeakReference<Item>> fillOwnCache(ObjectPool<Item> p, int n) {
        List<Item> held = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            held.add(p.acquire());
        }
        List<WeakReference<Item>> refs = new ArrayList<>();
        for (Item i : held) {
            refs.add(new WeakReference<>(i));
            p.release(i);
        }
        return refs;
    }

    @Test
    void ownerObjectsIdleForTwoTrimPeriodsBecomeCollectable() throws Exception {
        ObjectPool<Item> p = ObjectPool.builder(Item::new).capacityPerThread(16).build();
        List<WeakReference<Item>> refs = fillOwnCache(p, 8);
        p.trim();                                   // current -> victim: still pooled
        System.gc();
        for (WeakReference<Item> r : refs) {
            assertNotNull(r.get(), "pooled objects must stay reachable after one period");
        }
        p.trim();                                   // victim dropped
        for (WeakReference<Item> r : refs) {
            assertTrue(collected(r), "an object idle for two trim periods must be collectable");
        }
        assertEquals(0, p.idle());
        assertEquals(8, p.stats().trimmed());
    }

    @Test
    void sharedSlotObjectsIdleForTwoTrimPeriodsBecomeCollectable() throws Exception {
        ObjectPool<Item> p = ObjectPool.builder(Item::new).sharedSlots(2, 4).build();
        AtomicReference<List<WeakReference<Item>>> out = new AtomicReference<>();
        Thread vt = Thread.ofVirtual().start(() -> out.set(fillOwnCache(p, 6)));
        vt.join();
        assertEquals(6, p.idle());
        p.trim();
        for (WeakReference<Item> r : out.get()) {
            assertNotNull(r.get());
        }
        p.trim();
        for (WeakReference<Item> r : out.get()) {
            assertTrue(collected(r));
        }
    }

    @Test
    void deadThreadsCacheBecomesCollectableAfterTrim() throws Exception {
        ObjectPool<Item> p = ObjectPool.builder(Item::new).capacityPerThread(16).sharedSlots(1, 2).build();
        AtomicReference<WeakReference<Object>> cacheRef = new AtomicReference<>();
        AtomicReference<List<WeakReference<Item>>> objRefs = new AtomicReference<>();
        AtomicReference<WeakReference<Thread>> threadRef = new AtomicReference<>();
        Thread t = new Thread(() -> {
            objRefs.set(fillOwnCache(p, 5));
            cacheRef.set(new WeakReference<>(p.localCacheForTest()));
            threadRef.set(new WeakReference<>(Thread.currentThread()));
        });
        t.start();
        t.join();
        t = null;
        assertNotNull(cacheRef.get().get());
        System.gc();
        assertNotNull(cacheRef.get().get(), "the pool keeps a dead thread's cache until trim rescues it");
        p.trim();
        assertEquals(0, p.caches());
        assertEquals(2, p.idle(), "2 rescued into the shared slots, 3 dropped (shared slots full)");
        assertEquals(3, p.stats().dropped());
        assertTrue(collected(cacheRef.get()), "a retired cache must be collectable");
        assertTrue(collected(threadRef.get()), "a dead thread must be collectable");
        int alive = 0;
        for (WeakReference<Item> r : objRefs.get()) {
            alive += collected(r) ? 0 : 1;
        }
        assertEquals(2, alive, "exactly the rescued objects stay reachable");
        p.trim();
        p.trim();
        for (WeakReference<Item> r : objRefs.get()) {
            assertTrue(collected(r), "rescued objects are trimmed like any other");
        }
    }

    @Test
    void aDiscardedPoolWithATrimTimerIsCollectableWithoutClose() throws Exception {
        ObjectPool<Item> p = ObjectPool.builder(Item::new).trimEvery(java.time.Duration.ofMillis(1)).build();
        p.release(p.acquire());
        WeakReference<ObjectPool<Item>> ref = new WeakReference<>(p);
        p = null;
        assertTrue(collected(ref), "the timer thread must not keep an unclosed, discarded pool reachable");
        BufferPool b = BufferPool.heap().sizeClasses(16, 16).trimEvery(java.time.Duration.ofMillis(1)).build();
        b.release(b.acquire(16));
        WeakReference<BufferPool> bref = new WeakReference<>(b);
        b = null;
        assertTrue(collected(bref), "the timer thread must not keep an unclosed, discarded buffer pool reachable");
    }

    @Test
    void aDiscardedPoolIsCollectableEvenWhileItsThreadsLive() throws Exception {
        ObjectPool<Item> p = ObjectPool.builder(Item::new).build();
        Item held = p.acquire();              // this thread now has a cache for p in its ThreadLocalMap
        p.release(held);
        held = p.acquire();                   // an object still in use references its home cache
        WeakReference<ObjectPool<Item>> ref = new WeakReference<>(p);
        p = null;
        assertTrue(collected(ref), "a cache must not keep its pool (and the pool's ThreadLocal) reachable");
        assertNotNull(held);
    }

    @Test
    void hundredThousandVirtualThreadsCreateNoCachesAndBoundPooledObjects() throws Exception {
        ObjectPool<Item> p = ObjectPool.builder(Item::new).sharedSlots(8, 8).build();
        int n = 100_000;
        List<Thread> threads = new ArrayList<>(n);
        java.util.concurrent.atomic.AtomicInteger bad = new java.util.concurrent.atomic.AtomicInteger();
        for (int i = 0; i < n; i++) {
            int id = i;
            threads.add(Thread.ofVirtual().start(() -> {
                Item o = p.acquire();
                if (o.payload != 0) {
                    bad.incrementAndGet();          // another thread's write survived: reset or hand-out bug
                }
                o.payload = id + 1;
                Thread.yield();
                o.payload = 0;
                p.release(o);
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(0, bad.get());
        assertEquals(0, p.caches(), "virtual threads must not create per-thread caches");
        assertTrue(p.idle() <= 64, "pooled objects bounded by the shared slots, was " + p.idle());
        ObjectPool.Stats s = p.stats();
        assertEquals(n, s.acquired());
        assertEquals(n, s.released() + s.dropped());
        assertEquals(p.idle(), s.created() - s.dropped() - s.trimmed());
        assertTrue(s.created() < n, "some reuse must happen, created " + s.created());
    }
}
