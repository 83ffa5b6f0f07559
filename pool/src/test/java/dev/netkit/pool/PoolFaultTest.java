package dev.netkit.pool;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * An {@link OutOfMemoryError} in the middle of a pool operation, injected at each allocation point of the
 * operation in turn through the package-private {@code allocationFault} hooks: the operation fails, and
 * the pool and the object are left as they were before it (the object can be released or acquired again,
 * no double release is reported, nothing is lost, the counters and the budget add up).
 */
class PoolFaultTest {

    /** A hook that throws at its {@code at}-th call, and counts its calls. */
    static final class FailAt implements Runnable {
        final int at;
        int calls;

        FailAt(int at) {
            this.at = at;
        }

        @Override
        public void run() {
            if (++calls == at) {
                throw new OutOfMemoryError("injected at allocation point " + at);
            }
        }
    }

    private static Throwable thrownBy(Runnable r) {
        try {
            r.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    /** What one attempt threw, and the checks to run on the pool after it. */
    record Failed(Throwable thrown, Executable aftermath) {
    }

    /** One attempt: sets up a pool, injects {@code fault}, runs the operation; null if nothing was thrown. */
    @FunctionalInterface
    interface FaultCase {
        Failed attempt(FailAt fault) throws Exception;
    }

    /**
     * Runs {@code c} with the error injected at allocation point 1, 2, ... until the operation completes
     * without reaching the point; after each error it must be the injected one, and the attempt's
     * aftermath checks the pool. At least one point must be reached.
     */
    private static void atEachAllocationPoint(FaultCase c) throws Throwable {
        int faults = 0;
        for (int n = 1; ; n++) {
            Failed f = c.attempt(new FailAt(n));
            if (f == null) {
                assertTrue(faults > 0, "no allocation point was reached");
                return;
            }
            assertTrue(f.thrown() instanceof OutOfMemoryError, "unexpected " + f.thrown());
            faults++;
            f.aftermath().execute();
        }
    }

    private static Item acquireOnVirtualThread(ObjectPool<Item> p) throws InterruptedException {
        AtomicReference<Item> got = new AtomicReference<>();
        Thread.ofVirtual().start(() -> got.set(p.acquire())).join();
        return got.get();
    }

    @Test
    void outOfMemoryWhileAdoptingAHomelessObjectLeavesItInUse() throws Throwable {
        atEachAllocationPoint(fault -> {
            ObjectPool<Item> p = ObjectPool.builder(Item::new).build();
            Item o = acquireOnVirtualThread(p);      // homeless: this (platform) thread will adopt it
            p.allocationFault = fault;
            Throwable first = thrownBy(() -> p.release(o));
            p.allocationFault = null;
            return first == null ? null : new Failed(first, () -> {
                boolean inUseAfterError = o.isPooledInUse();
                Throwable second = thrownBy(() -> p.release(o));
                Item again = p.acquire();
                ObjectPool.Stats s = p.stats();
                int caches = p.caches();
                int idle = p.idle();
                assertAll("after an OutOfMemoryError at allocation point " + fault.at + " of the release",
                        () -> assertTrue(inUseAfterError, "the object is no longer in use, yet not pooled"),
                        () -> assertNull(second, "releasing it again"),
                        () -> assertSame(o, again, "the next acquire on the same thread"),
                        () -> assertEquals(new ObjectPool.Stats(1, 2, 1, 0, 0), s, "counters"),
                        () -> assertEquals(1, caches, "caches"),
                        () -> assertEquals(0, idle, "idle"));
            });
        });
    }

    @Test
    void outOfMemoryWhileRegisteringAThreadCacheLeavesNoCacheBehind() throws Throwable {
        atEachAllocationPoint(fault -> {
            ObjectPool<Item> p = ObjectPool.builder(Item::new).build();
            p.allocationFault = fault;
            Throwable first = thrownBy(p::acquire);
            p.allocationFault = null;
            return first == null ? null : new Failed(first, () -> {
                int cachesAfterError = p.caches();
                Item a = p.acquire();
                p.release(a);
                Item b = p.acquire();
                p.release(b);
                ObjectPool.Stats s = p.stats();
                int caches = p.caches();
                int idle = p.idle();
                assertAll("after an OutOfMemoryError at allocation point " + fault.at + " of the first acquire",
                        () -> assertEquals(0, cachesAfterError, "caches right after the error"),
                        () -> assertSame(a, b, "the cache keeps what the thread released"),
                        () -> assertEquals(new ObjectPool.Stats(1, 2, 2, 0, 0), s,
                                "counters (a cache the pool does not list is missing from them)"),
                        () -> assertEquals(1, caches, "caches"),
                        () -> assertEquals(1, idle, "idle"));
            });
        });
    }

    @Test
    void outOfMemoryWhileCreatingABufferKeepsTheBudget() throws Throwable {
        atEachAllocationPoint(fault -> {
            BufferPool p = BufferPool.heap().sizeClasses(4096, 4096).budgetBytes(2 * 4096).build();
            p.allocationFault = fault;
            Throwable first = thrownBy(() -> p.acquire(4096));
            p.allocationFault = null;
            return first == null ? null : new Failed(first, () -> {
                long reservedAfterError = p.reservedBytes();
                int liveAfterError = p.liveBuffers();
                ByteBuffer a = p.acquire(4096);
                ByteBuffer b = p.acquire(4096);             // the budget holds two buffers
                p.release(a);
                p.release(b);
                int idle = p.idle();
                long reserved = p.reservedBytes();
                ObjectPool.Stats s = p.stats();
                assertAll("after an OutOfMemoryError at allocation point " + fault.at + " of a buffer's creation",
                        () -> assertEquals(0, reservedAfterError, "reserved bytes right after the error"),
                        () -> assertEquals(0, liveAfterError, "live buffers right after the error"),
                        () -> assertEquals(2, idle, "both buffers kept (within the budget)"),
                        () -> assertEquals(2 * 4096, reserved, "reserved bytes"),
                        () -> assertEquals(0, s.dropped(), "dropped"));
            });
        });
    }
}
