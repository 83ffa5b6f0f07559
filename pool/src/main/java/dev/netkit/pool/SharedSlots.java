package dev.netkit.pool;

import dev.netkit.padding.internal.Layout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * Striped, padded shared slots: a bounded bag of objects that any thread may offer to and poll from
 * without locks, used by virtual threads (which get no per-thread cache) and as the landing place for
 * objects of dead threads. Package-private: {@link ObjectPool} is the API.
 *
 * <p>Each slot is an atomic register that goes null to object by CAS ({@link #offer}) and object to null
 * by CAS ({@link #poll}, {@link #trim}). So one offered object is taken by at most one poller, and an
 * object that was offered stays until someone takes it. The bag as a whole is <em>not</em> claimed to be
 * linearizable: offer and poll scan several slots one after another, so under contention an offer may
 * fail while another slot frees up, and a poll may return null while another slot fills. A pool may treat
 * such a miss as "full" (drop) or "empty" (create); neither loses or duplicates anything.
 */
final class SharedSlots {
    /*
     * Implementation notes.
     *
     * Layout: one Object[] holding `stripes` stripes. Stripe s occupies elements
     * [s * STRIDE + PAD, s * STRIDE + PAD + width); between two stripes lie PAD (Layout.PAD_REFS)
     * never-written elements, at least 128 bytes even with compressed references (4 bytes each), so two
     * stripes never share a cache line or an adjacent-line prefetch pair. A thread picks its stripe by a hash of its id and,
     * only when its own is full (offer) or empty (poll), walks the other stripes in turn: contention stays
     * within a stripe in the common case, and no object is stranded in a stripe nobody hashes to.
     *
     * Publication: offer's CAS (volatile write) releases the object's contents, including the state word
     * written before it; poll's CAS (volatile read of the old value) acquires them. So writes made before
     * a release are visible to the next acquirer.
     */
    private static final int PAD = Layout.PAD_REFS;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    private final Object[] slots;
    private final int stripeMask;
    private final int width;
    private final int stride;

    /**
     * @param stripes number of stripes, a power of two
     * @param width slots per stripe
     */
    SharedSlots(int stripes, int width) {
        this.stripeMask = stripes - 1;
        this.width = width;
        this.stride = width + PAD;
        this.slots = new Object[stripes * stride + PAD];
    }

    int capacity() {
        return (stripeMask + 1) * width;
    }

    /** Offers {@code o} to the stripe chosen by {@code hash}, then the others in turn; false when all look full. */
    boolean offer(Object o, int hash) {
        Object[] a = slots;
        for (int probe = 0; probe <= stripeMask; probe++) {
            int base = ((hash + probe) & stripeMask) * stride + PAD;
            for (int i = base, end = base + width; i < end; i++) {
                if (SLOT.getOpaque(a, i) == null && SLOT.compareAndSet(a, i, null, o)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Takes an object from the stripe chosen by {@code hash}, then the others in turn; null when all look empty. */
    Object poll(int hash) {
        Object[] a = slots;
        for (int probe = 0; probe <= stripeMask; probe++) {
            int base = ((hash + probe) & stripeMask) * stride + PAD;
            for (int i = base + width - 1; i >= base; i--) {
                Object o = SLOT.getOpaque(a, i);
                if (o != null && SLOT.compareAndSet(a, i, o, null)) {
                    return o;
                }
            }
        }
        return null;
    }

    /** Number of occupied slots; a racy snapshot (any thread). */
    int size() {
        int n = 0;
        Object[] a = slots;
        for (int s = 0; s <= stripeMask; s++) {
            int base = s * stride + PAD;
            for (int i = base; i < base + width; i++) {
                if (SLOT.getOpaque(a, i) != null) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Visits every occupied slot's object without removing it; a racy snapshot (any thread). */
    void forEach(Consumer<Object> action) {
        Object[] a = slots;
        for (int s = 0; s <= stripeMask; s++) {
            int base = s * stride + PAD;
            for (int i = base; i < base + width; i++) {
                Object o = SLOT.getAcquire(a, i);
                if (o != null) {
                    action.accept(o);
                }
            }
        }
    }

    /** Visitor for {@link #trim}: decides, from the object, whether to remove it. */
    interface Filter {
        boolean remove(Object o);
    }

    /**
     * Removes, by CAS, each object the filter selects; the removed objects go to {@code removed}.
     * A concurrent poll of the same slot wins or loses the CAS, so an object is either trimmed or handed
     * out, never both. The filter is asked again after the CAS (which synchronizes with the slot's last
     * writer), so an object acquired and released back into the same slot while trim looked at it is put
     * back rather than dropped; a poll racing that instant may miss it.
     *
     * @return the number removed
     */
    int trim(Filter filter, Consumer<Object> removed) {
        int n = 0;
        Object[] a = slots;
        for (int s = 0; s <= stripeMask; s++) {
            int base = s * stride + PAD;
            for (int i = base; i < base + width; i++) {
                Object o = SLOT.getAcquire(a, i);
                if (o != null && filter.remove(o) && SLOT.compareAndSet(a, i, o, null)) {
                    // The first filter call may have read the object's state before it was acquired and
                    // released back into this same slot (ABA). The CAS read the slot's last write, so the
                    // object's state is now current: ask again, and put back what no longer qualifies.
                    if (!filter.remove(o) && (SLOT.compareAndSet(a, i, null, o) || offer(o, s))) {
                        continue;
                    }
                    removed.accept(o);
                    n++;
                }
            }
        }
        return n;
    }
}
