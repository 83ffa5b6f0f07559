package dev.netkit.pool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lock-free identity map from each live buffer a {@link BufferPool} made to its pool record.
 * Package-private. Lookups allocate nothing: one {@link System#identityHashCode} (stored in the object
 * header after its first use) and a linear probe with reference comparisons.
 */
final class BufferRegistry {
    /*
     * Implementation notes.
     *
     * Open addressing, linear probing, in one Object[] of 2 * capacity: key (the buffer) at 2i, value (the
     * BufferPool.Slot) at 2i + 1. A key goes null or TOMBSTONE -> buffer by CAS (put, on the thread that
     * created the buffer, before the buffer is handed out), and buffer -> TOMBSTONE by a release store
     * (remove, on the one thread that drops the buffer; the value is cleared first). Lookups stop at null,
     * skip TOMBSTONE. Keys never go back to null, and puts reuse tombstones, so a put always finds a free
     * slot while `size` (reserved before the probe) is at most capacity / 2.
     *
     * Publication: put CASes the key, then stores the value; only then is the buffer handed to the user,
     * and any thread that later releases it received it through a happens-before chain, so its lookup
     * sees both. (A lookup of another key only compares keys, so the short window between the key CAS and
     * the value store is invisible to it.)
     */
    private static final Object TOMBSTONE = new Object();
    private static final VarHandle E = MethodHandles.arrayElementVarHandle(Object[].class);

    private final Object[] table;
    private final int mask;
    private final int maxEntries;
    private final AtomicInteger size = new AtomicInteger();

    BufferRegistry(int maxEntries) {
        this.maxEntries = maxEntries;
        int cap = ObjectPool.nextPow2(Math.max(4, 2 * maxEntries));
        this.table = new Object[2 * cap];
        this.mask = cap - 1;
    }

    int maxEntries() {
        return maxEntries;
    }

    int size() {
        return size.get();
    }

    private static int hash(Object o) {
        int h = System.identityHashCode(o);
        return h ^ (h >>> 16);
    }

    /** Adds {@code key -> value}; false if {@code maxEntries} are live already. Key must be new. */
    boolean put(Object key, Object value) {
        if (size.incrementAndGet() > maxEntries) {
            size.decrementAndGet();
            return false;
        }
        Object[] t = table;
        for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
            Object k = E.getAcquire(t, 2 * i);
            if ((k == null || k == TOMBSTONE) && E.compareAndSet(t, 2 * i, k, key)) {
                E.setRelease(t, 2 * i + 1, value);
                return true;
            }
        }
    }

    /** Looks up {@code key}; null if absent. */
    Object get(Object key) {
        Object[] t = table;
        for (int i = hash(key) & mask, n = 0; n <= mask; i = (i + 1) & mask, n++) {
            Object k = E.getAcquire(t, 2 * i);
            if (k == key) {
                return E.getAcquire(t, 2 * i + 1);
            }
            if (k == null) {
                return null;
            }
        }
        return null;
    }

    /** Removes {@code key}; called once, by the thread that drops it. */
    void remove(Object key) {
        Object[] t = table;
        for (int i = hash(key) & mask, n = 0; n <= mask; i = (i + 1) & mask, n++) {
            Object k = E.getAcquire(t, 2 * i);
            if (k == key) {
                E.setRelease(t, 2 * i + 1, null);
                E.setRelease(t, 2 * i, TOMBSTONE);
                size.decrementAndGet();
                return;
            }
            if (k == null) {
                return;
            }
        }
    }
}
