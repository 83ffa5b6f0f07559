package dev.netkit.pool;

import dev.netkit.padding.internal.Handles;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Base class of every object an {@link ObjectPool} hands out. It carries the pool's bookkeeping inside the
 * object, so pooling costs no handle object per item: one {@code int} state word and one reference to the
 * cache that handed the object out (8 to 12 bytes with compressed references).
 *
 * <p>Why a base class and not an interface: an interface would make every user class declare and expose
 * the two fields and their accessors, and a mistake there (a plain field where a VarHandle is needed)
 * would break the pool's guarantees silently. An abstract class keeps the fields package-private and
 * reachable only through the pool's VarHandle. The cost is the single superclass slot; a class that must
 * extend something else can be wrapped (as {@link BufferPool} wraps each {@code ByteBuffer}).
 *
 * <p>Subclasses have no method to implement. Nothing here is for the user to call: the pool reads and
 * writes the state. {@link #isPooledInUse()} exists for assertions and tests.
 *
 * <p>Thread safety: the state word is written by the pool under the rules in {@link ObjectPool}'s
 * implementation notes; {@link #isPooledInUse()} may be called from any thread and returns a snapshot.
 */
public abstract class Pooled {
    /*
     * State word layout: bits 0..2 the state, bits 3..31 the pool epoch at the last release into the
     * shared slots (used by trim to age shared objects; other states leave it 0).
     */
    static final int STATE_MASK = 7;
    static final int IN_USE = 1;     // held by a user; the only state release accepts
    static final int IN_STACK = 2;   // in its home cache's owner stack (written plainly by the owner)
    static final int IN_QUEUE = 3;   // in its home cache's inbox (set by the releasing thread's CAS)
    static final int IN_SHARED = 4;  // in a shared slot (set by CAS), epoch tag above bit 3
    static final int DROPPED = 5;    // let go to the GC; a later release is a double release

    static final VarHandle STATE = Handles.field(MethodHandles.lookup(), Pooled.class, "poolState", int.class);

    /** State word; see above. Accessed plainly by the home owner, through {@link #STATE} elsewhere. */
    int poolState = IN_USE;
    /**
     * The per-thread cache this object belongs to, or its pool's token for the shared slots (null for an
     * object no pool has handed out yet). Written only by the
     * thread that currently holds the object exclusively (the acquirer, or the owner adopting it), read by
     * the releasing thread, which received the object from the holder with a happens-before edge.
     */
    Object poolHome;

    /** Creates an object in the in-use state, as a pool's factory does. */
    protected Pooled() {
    }

    /**
     * Reports whether the object is currently handed out (any thread; an opaque snapshot).
     *
     * @return true if the pool considers the object in use
     */
    public final boolean isPooledInUse() {
        return ((int) STATE.getOpaque(this) & STATE_MASK) == IN_USE;
    }

    static String stateName(int state) {
        return switch (state & STATE_MASK) {
            case IN_USE -> "in use";
            case IN_STACK -> "in a thread's cache";
            case IN_QUEUE -> "on its way back to its owner";
            case IN_SHARED -> "in the shared slots";
            case DROPPED -> "dropped";
            default -> "unknown(" + state + ")";
        };
    }
}
