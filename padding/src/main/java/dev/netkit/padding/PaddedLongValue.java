package dev.netkit.padding;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/*
 * The padded-long layout shared by PaddedAtomicLong and PaddedSequence.
 *
 * HotSpot orders the fields of one class by size and alignment, not by declaration, but it lays out a
 * superclass's fields before a subclass's. So the pads and the hot field each live in their own class:
 *
 *   header | PaddedLongLhsPad: 128 x byte | PaddedLongValue: long value | PaddedLongRhsPad: 128 x byte
 *
 * Byte pads (not long pads) leave no alignment gap in front of the value that a subclass field could be
 * moved into (JDK-8237767 broke long-based padding in JDK 15). A subclass's byte pads may still fill the
 * few bytes between the left pad and the 8-aligned value; they are pads too, so no writable field comes
 * within 128 bytes of `value`. PaddingLayoutTest checks exactly that with JOL on the JVM the build runs on.
 * The two public subclasses declare no instance fields of their own.
 */

/** The hot field, alone between two pads. Accessed only through {@link #VALUE}. */
abstract class PaddedLongValue extends PaddedLongLhsPad {
    private static final long serialVersionUID = 1L;

    /** Access modes are chosen per call site through {@link #VALUE}; the declaration is plain on purpose. */
    long value;

    static final VarHandle VALUE;
    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(PaddedLongValue.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
