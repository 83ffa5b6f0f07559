package dev.netkit.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Targeted behaviour: fast path reuse, cross-thread return, virtual threads, misuse, bounds. */
class ObjectPoolTest {

    static ObjectPool<Item> pool(int capacity) {
        return ObjectPool.builder(Item::new).capacityPerThread(capacity).reset(i -> {
            i.payload = 0;
            i.resets++;
        }).build();
    }

    static void run(Thread t) throws InterruptedException {
        t.start();
        t.join();
    }

    static <V> V onThread(boolean virtual, java.util.concurrent.Callable<V> body) throws Exception {
        AtomicReference<Object> out = new AtomicReference<>();
        Runnable r = () -> {
            try {
                out.set(body.call());
            } catch (Throwable e) {
                out.set(e);
            }
        };
        run(virtual ? Thread.ofVirtual().unstarted(r) : Thread.ofPlatform().unstarted(r));
        if (out.get() instanceof Throwable e) {
            throw new AssertionError(e);
        }
        @SuppressWarnings("unchecked") V v = (V) out.get();
        return v;
    }

    @Test
    void ownerReusesItsObjectAndRunsTheResetHook() {
        ObjectPool<Item> p = pool(4);
        Item a = p.acquire();
        a.payload = 7;
        p.release(a);
        assertEquals(0, a.payload);
        assertEquals(1, a.resets);
        assertSame(a, p.acquire());
        assertEquals(new ObjectPool.Stats(1, 2, 1, 0, 0), p.stats());
    }

    @Test
    void doubleReleaseThrowsOnEveryPath() throws Exception {
        ObjectPool<Item> p = pool(4);
        Item a = p.acquire();
        p.release(a);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.release(a));
        assertTrue(e.getMessage().contains("released twice"), e.getMessage());
        // foreign platform thread, object home is this thread: CAS path
        Item b = p.acquire();
        assertSame(a, b);
        onThread(false, () -> {
            p.release(b);
            return null;
        });
        assertThrows(IllegalStateException.class, () -> p.release(b));
        // virtual thread, homeless object
        Item c = onThread(true, p::acquire);
        onThread(true, () -> {
            p.release(c);
            assertThrows(IllegalStateException.class, () -> p.release(c));
            return null;
        });
    }

    /** Null arguments: NullPointerException naming the parameter, as the JDK's requireNonNull does. */
    @Test
    void nullArgumentsAreNamed() {
        ObjectPool<Item> p = pool(4);
        assertNpe("object", () -> p.release(null));
        assertNpe("factory", () -> ObjectPool.builder(null));
        assertNpe("reset", () -> ObjectPool.builder(Item::new).reset(null));
        assertNpe("period", () -> ObjectPool.builder(Item::new).trimEvery(null));
        assertNpe("period", () -> BufferPool.heap().trimEvery(null));
        BufferPool b = BufferPool.heap().build();
        assertNpe("buffer", () -> b.release(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ObjectPool.builder(Item::new).trimEvery(java.time.Duration.ZERO));
        assertTrue(e.getMessage().contains("1 ms") && e.getMessage().contains("PT0S"), e.getMessage());
    }

    private static void assertNpe(String parameter, org.junit.jupiter.api.function.Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call);
        assertEquals(parameter, e.getMessage());
    }

    @Test
    void misuseIsRejectedWithClearErrors() {
        ObjectPool<Item> p = pool(4);
        ObjectPool<Item> other = pool(4);
        Item a = p.acquire();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.release(a));
        assertTrue(e.getMessage().contains("another pool"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ObjectPool.builder(Item::new).capacityPerThread(0));
        assertThrows(IllegalArgumentException.class, () -> ObjectPool.builder(Item::new).sharedSlots(3, 4));
        e = assertThrows(IllegalArgumentException.class, () -> ObjectPool.builder(Item::new).sharedSlots(3, 4));
        assertTrue(e.getMessage().contains("power of two") && e.getMessage().contains("3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ObjectPool.builder(Item::new).capacityPerThread(0));
        assertEquals("capacityPerThread must be in [1, 1048576], was 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.maxIdle(-1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        Item pooled = p.acquire();
        p.release(pooled);
        ObjectPool<Item> bad = ObjectPool.builder(() -> pooled).build();
        assertThrows(IllegalStateException.class, bad::acquire);
        ObjectPool<Item> nul = ObjectPool.<Item>builder(() -> null).build();
        assertThrows(IllegalStateException.class, nul::acquire);
    }

    @Test
    void crossThreadReturnGoesBackToTheOwnerInABatch() throws Exception {
        ObjectPool<Item> p = pool(8);
        List<Item> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            mine.add(p.acquire());
        }
        onThread(false, () -> {
            for (Item i : mine) {
                i.payload = 99;
                p.release(i);
            }
            return null;
        });
        assertEquals(5, p.idle());
        List<Item> again = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Item o = p.acquire();
            assertEquals(0, o.payload);
            again.add(o);
        }
        assertTrue(again.containsAll(mine));
        assertEquals(5, p.stats().created());
        assertEquals(10, p.stats().acquired());
        assertEquals(5, p.stats().released());
    }

    @Test
    void ownerDrainsAtMostItsRoomFromTheInbox() throws Exception {
        ObjectPool<Item> p = ObjectPool.builder(Item::new).capacityPerThread(1).inboxCapacity(2).build();
        Item x = p.acquire();
        Item y = p.acquire();
        Item z = p.acquire();
        onThread(false, () -> {
            p.release(x);
            p.release(y);
            p.release(z);
            return null;
        });
        assertEquals(1, p.stats().dropped());
        assertEquals(2, p.idle());
        assertSame(x, p.acquire());
        assertEquals(1, p.idle());
        assertEquals(1, p.stats().dropped());
        assertEquals(2, p.stats().released(), "one return drained and counted, one still in the inbox");
        assertSame(y, p.acquire());
        assertEquals(2, p.stats().released());
    }

    @Test
    void returnsAfterTheOwnersEmptyDrainFillTheInbox() throws Exception {
        ObjectPool<Item> p = ObjectPool.builder(Item::new).capacityPerThread(1).inboxCapacity(2).build();
        Item x = p.acquire();
        Item y = p.acquire();
        Item z = p.acquire();
        Item last = p.acquire();
        onThread(false, () -> {
            p.release(x);
            p.release(y);
            p.release(z);
            return null;
        });
        assertEquals(2, p.idle());
        assertEquals(1, p.stats().dropped());
        assertEquals(4, p.stats().created());
    }

    /**
     * Issue 17: a cross-thread return is counted as released by whoever drains the inbox, not by the
     * releasing thread; stats() counts the inbox's content meanwhile. So the count is the same before and
     * after the owner's drain, and each return is counted once.
     */
    @Test
    void aCrossThreadReturnCountsAsReleasedOnceBeforeAndAfterTheOwnersDrain() throws Exception {
        ObjectPool<Item> p = ObjectPool.builder(Item::new).capacityPerThread(8).inboxCapacity(8).build();
        List<Item> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            mine.add(p.acquire());
        }
        onThread(false, () -> {
            mine.forEach(p::release);
            return null;
        });
        assertEquals(3, p.stats().released(), "returns in the inbox, not yet drained");
        assertEquals(3, p.idle());
        List<Item> again = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            again.add(p.acquire());                          // the first acquire drains the inbox
        }
        assertTrue(mine.containsAll(again), "the owner did not reuse the returned objects");
        ObjectPool.Stats s = p.stats();
        assertEquals(3, s.released(), "after the owner's drain");
        assertEquals(6, s.acquired());
        assertEquals(3, s.created());
        again.forEach(p::release);                           // the owner's own releases
        assertEquals(6, p.stats().released());
        assertEquals(0, p.stats().dropped());
    }

    /**
     * Issue 17: returns left in the inbox of an owner that died before draining it are counted as released
     * (through the inbox's size) until a trim retires the cache, and then once by the retirement's drain,
     * which moves them to the shared slots.
     */
    @Test
    void returnsLeftInADeadOwnersInboxAreCountedOnceBeforeAndAfterItsRetirement() throws Exception {
        ObjectPool<Item> p = ObjectPool.builder(Item::new).capacityPerThread(8).inboxCapacity(8).build();
        int n = 3;
        List<Item> handed = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch acquired = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch returned = new java.util.concurrent.CountDownLatch(1);
        Thread owner = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < n; i++) {
                handed.add(p.acquire());
            }
            acquired.countDown();
            try {
                returned.await();                            // alive while main returns them, then ends undrained
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        acquired.await();
        handed.forEach(p::release);                          // the owner lives: into its inbox
        returned.countDown();
        owner.join();
        ObjectPool.Stats s = p.stats();
        assertEquals(n, s.released(), "returns in a dead owner's inbox, before its retirement");
        assertEquals(n, p.idle());
        p.trim();                                            // retires the cache: its inbox moves to the shared slots
        assertEquals(0, p.caches());
        s = p.stats();
        assertEquals(n, s.released(), "after the retirement's drain");
        assertEquals(0, s.dropped());
        assertEquals(n, p.idle());
    }

    @Test
    void fullInboxDropsTheObject() throws Exception {
        ObjectPool<Item> p = ObjectPool.builder(Item::new).capacityPerThread(4).inboxCapacity(2).build();
        List<Item> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            mine.add(p.acquire());
        }
        onThread(false, () -> {
            mine.forEach(p::release);
            return null;
        });
        ObjectPool.Stats s = p.stats();
        assertEquals(2, s.released());
        assertEquals(3, s.dropped());
        assertThrows(IllegalStateException.class, () -> p.release(mine.get(4)));
    }

    @Test
    void ownerCacheIsBounded() {
        ObjectPool<Item> p = pool(3);
        List<Item> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            all.add(p.acquire());
        }
        all.forEach(p::release);
        assertEquals(3, p.idle());
        assertEquals(7, p.stats().dropped());
        assertThrows(IllegalStateException.class, () -> p.release(all.get(9)));
    }

    @Test
    void virtualThreadsUseSharedSlotsNotCaches() throws Exception {
        ObjectPool<Item> p = ObjectPool.builder(Item::new).sharedSlots(1, 4).build();
        Item a = onThread(true, p::acquire);
        onThread(true, () -> {
            p.release(a);
            return null;
        });
        assertSame(a, onThread(true, p::acquire));
        assertEquals(0, p.caches());
        // a platform thread releasing a homeless object adopts it into its own cache
        p.release(a);
        assertEquals(1, p.caches());
        assertSame(a, p.acquire());
    }

    /**
     * With virtualThreadCaches a virtual thread owns a cache like a platform thread: the owner path
     * reuses its object (also after the thread parked, so possibly resumed on another carrier), detects
     * a double release, takes foreign returns through its inbox, and trim() rescues the cache once the
     * virtual thread has ended.
     */
    @Test
    void virtualThreadCachesGiveEachVirtualThreadItsOwnCache() throws Exception {
        ObjectPool<Item> p = ObjectPool.builder(Item::new).virtualThreadCaches().capacityPerThread(4)
                .reset(i -> i.payload = 0).sharedSlots(1, 4).build();
        java.util.concurrent.SynchronousQueue<Item> toMain = new java.util.concurrent.SynchronousQueue<>();
        java.util.concurrent.SynchronousQueue<Boolean> returned = new java.util.concurrent.SynchronousQueue<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread vt = Thread.ofVirtual().start(() -> {
            try {
                Item a = p.acquire();
                assertTrue(p.localCacheForTest() != null, "the virtual thread has a cache");
                p.release(a);
                Thread.sleep(1);                                   // parks: may resume on another carrier
                assertSame(a, p.acquire(), "owner reuse across a park");
                p.release(a);
                assertThrows(IllegalStateException.class, () -> p.release(a));
                Item b = p.acquire();
                assertSame(a, b);
                Item c = p.acquire();
                toMain.put(c);                                     // main releases c: a foreign return
                returned.take();
                Item d = p.acquire();                              // empty stack: drains the inbox
                assertSame(c, d, "the foreign return came back through the inbox");
                assertEquals(0, d.payload, "the releasing thread ran the reset hook");
                p.release(b);
                p.release(d);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        Item c = toMain.take();
        c.payload = 7;
        p.release(c);                                              // into the live virtual thread's inbox
        returned.put(Boolean.TRUE);
        vt.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(1, p.caches());
        assertEquals(2, p.idle(), "a (= b) and c (= d) in the ended thread's stack");
        p.trim();
        assertEquals(0, p.caches(), "the ended virtual thread's cache is forgotten");
        assertEquals(2, p.idle(), "its objects moved to the shared slots");
        ObjectPool.Stats s = p.stats();
        assertEquals(2, s.created());
        assertEquals(5, s.acquired());
        assertEquals(5, s.released());
        // a one-shot virtual thread with the option also gets a cache (the documented cost)
        onThread(true, p::acquire);
        assertEquals(1, p.caches());
    }

    @Test
    void sharedSlotsAreBoundedAndTrimmedAfterTwoPeriods() throws Exception {
        ObjectPool<Item> p = ObjectPool.builder(Item::new).sharedSlots(2, 2).build();
        List<Item> objs = onThread(true, () -> {
            List<Item> l = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                l.add(p.acquire());
            }
            l.forEach(p::release);
            return l;
        });
        assertEquals(6, objs.size());
        assertEquals(4, p.idle());
        assertEquals(2, p.stats().dropped());
        onThread(true, () -> {
            p.trim();
            return null;
        });
        assertEquals(4, p.idle(), "one period: still there (victim generation)");
        p.trim();
        assertEquals(0, p.idle(), "two periods idle: dropped");
        assertEquals(4, p.stats().trimmed());
    }

    @Test
    void trimTimerDropsIdleSharedObjectsUntilClosed() throws Exception {
        ObjectPool<Item> p = ObjectPool.builder(Item::new).sharedSlots(1, 4)
                .trimEvery(java.time.Duration.ofMillis(5)).build();
        onThread(true, () -> {
            Item a = p.acquire();
            Item b = p.acquire();
            p.release(a);
            p.release(b);
            return null;
        });
        for (int i = 0; i < 1_000 && p.idle() > 0; i++) {
            Thread.sleep(5);                 // waits for the timer; no assertion on how long it took
        }
        assertEquals(0, p.idle(), "the timer's trims drop objects idle for two periods");
        assertEquals(2, p.stats().trimmed());
        p.close();
        onThread(true, () -> {
            p.release(p.acquire());
            return null;
        });
        Thread.sleep(50);
        assertEquals(1, p.idle(), "no trim after close()");
        assertThrows(IllegalArgumentException.class,
                () -> ObjectPool.builder(Item::new).trimEvery(java.time.Duration.ZERO));
    }

    @Test
    void idlePlatformCacheTrimsAtItsNextUse() throws Exception {
        ObjectPool<Item> p = pool(8);
        Item a = p.acquire();
        Item b = p.acquire();
        p.release(a);
        p.release(b);
        // another thread trims twice; this thread's stacks are untouched until it uses the pool again
        onThread(false, () -> {
            p.trim();
            p.trim();
            return null;
        });
        assertEquals(2, p.idle());
        Item c = p.acquire();
        assertNotSame(a, c);
        assertNotSame(b, c);
        assertEquals(2, p.stats().trimmed());
        assertEquals(0, p.idle());
    }

    @Test
    void deadThreadsObjectsAreRescuedByTrim() throws Exception {
        ObjectPool<Item> p = pool(8);
        List<Item> fromDead = onThread(false, () -> {
            List<Item> l = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                l.add(p.acquire());
            }
            p.release(l.get(0));
            p.release(l.get(1));
            return l;
        });
        // a release meant for the dead owner goes to the shared slots instead (virtual thread), or is
        // adopted by the releasing platform thread
        onThread(true, () -> {
            p.release(fromDead.get(2));
            return null;
        });
        assertEquals(1, p.caches());
        assertEquals(3, p.idle());
        p.trim();
        assertEquals(0, p.caches(), "the dead thread's cache is forgotten");
        assertEquals(3, p.idle(), "its two cached objects moved to the shared slots");
        List<Item> got = onThread(true, () -> List.of(p.acquire(), p.acquire(), p.acquire()));
        assertTrue(got.containsAll(fromDead), "rescued objects are reused, not lost");
        ObjectPool.Stats s = p.stats();
        assertEquals(3, s.created());
        assertEquals(6, s.acquired());
        assertEquals(3, s.released());
        // the main thread adopts a homeless object it releases
        Item adopted = onThread(true, p::acquire);
        p.release(adopted);
        assertEquals(1, p.caches());
        assertSame(adopted, p.acquire());
    }

    @Test
    void anObjectFromAnotherPoolsSharedSlotsIsRejected() throws Exception {
        ObjectPool<Item> p = ObjectPool.builder(Item::new).sharedOnly().build();
        ObjectPool<Item> sharedOther = ObjectPool.builder(Item::new).sharedOnly().build();
        ObjectPool<Item> platformOther = pool(4);
        Item a = p.acquire();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sharedOther.release(a));
        assertTrue(e.getMessage().contains("another pool"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> platformOther.release(a));
        p.release(a);                                 // still in use, so its own pool takes it back
        assertEquals(1, p.idle());
        assertEquals(0, sharedOther.idle() + platformOther.idle());
        ObjectPool<Item> q = pool(4);                 // virtual threads use q's shared slots
        Item v = onThread(true, q::acquire);
        onThread(true, () -> {
            assertThrows(IllegalArgumentException.class, () -> platformOther.release(v));
            q.release(v);
            return null;
        });
        assertEquals(1, q.idle());
    }

    @Test
    void aTrimRacingANewerTrimKeepsObjectsReleasedInTheNewerPeriod() {
        java.util.concurrent.atomic.AtomicReference<ObjectPool<Item>> self = new java.util.concurrent.atomic.AtomicReference<>();
        Item[] fresh = new Item[2];
        java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
        ObjectPool<Item> p = new ObjectPool<>(ObjectPool.builder(Item::new).sharedOnly().sharedSlots(1, 4), o -> {
            if (once.compareAndSet(false, true)) {
                // while the outer trim (period 2) scans, a concurrent trim starts period 3 and two
                // objects are released in it, into slots the outer scan has not reached yet
                self.get().trim();
                self.get().release(fresh[0]);
                self.get().release(fresh[1]);
            }
        });
        self.set(p);
        Item old = p.acquire();
        fresh[0] = p.acquire();
        fresh[1] = p.acquire();
        p.release(old);                               // period 0
        p.trim();                                     // period 1: old is one period idle, kept
        p.trim();                                     // period 2: old dropped; the hook runs the race
        assertTrue(once.get());
        assertEquals(2, p.idle(), "objects released in a newer period than the trimmer's are young");
        assertEquals(1, p.stats().trimmed());
    }
}
