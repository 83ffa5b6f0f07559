package dev.netkit.bench.timingwheel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A timeout's fields for the floor benchmarks ({@code TimerBench.callerFloor}, {@code ExpiryBench.claimFloor}):
 * its timer, its task, a next link and a state word claimed by CAS; 32 B with compressed references, as
 * {@code WheelTimer}'s {@code Timeout} (which has the same four fields). Not a timer.
 */
final class FloorTimeout {
    static final VarHandle WORD;

    static {
        try {
            WORD = MethodHandles.lookup().findVarHandle(FloorTimeout.class, "word", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Object timer;
    final Runnable task;
    /** The next timeout in a list ({@code ExpiryBench.linkedExpireFloor}); null elsewhere. */
    FloorTimeout next;
    long word;

    FloorTimeout(Object timer, Runnable task, long word) {
        this.timer = timer;
        this.task = task;
        this.word = word;
    }
}
