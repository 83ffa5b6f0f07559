package dev.netkit.timingwheel;

import dev.netkit.padding.internal.Handles;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A task scheduled on a {@link WheelTimer}, returned by {@link WheelTimer#newTimeout}. It is pending until
 * exactly one of three things happens: it expires (its task is handed to the timer's executor, or run on
 * the worker), {@link #cancel()} succeeds, or {@link WheelTimer#stop()} takes it back (then it reads as
 * cancelled). Every method may be called from any thread.
 *
 * <p>Size: a 12-byte header, two references and one {@code long}: 32 bytes with compressed references.
 */
public final class Timeout {
    /*
     * Implementation notes.
     *
     * `word` packs everything that changes: bits 0-1 the state (PENDING 0, CANCELLED 1, EXPIRED 2), bit 2
     * IN_WHEEL, bits 3-63 a value: the deadline tick (counted from the timer's start; capped at 2^60 - 1,
     * which tells the worker to count MAX_DELAY_NANOS from its own clock instead) until the worker puts the
     * timeout in its wheel, the wheel handle after that. Transitions:
     *   - the constructor writes (tick << 3) | PENDING plainly; the MPSC queue's offer publishes it (release)
     *     and the worker's poll acquires it;
     *   - the worker CASes PENDING|tick to PENDING|IN_WHEEL|handle after scheduling it in its wheel (and
     *     removes it again if that CAS fails: someone cancelled in between);
     *   - cancel() (any thread), the worker's expiry, stop() and a rejected newTimeout each CAS PENDING to
     *     their final state, keeping the value bits. Only the state bits change after that, never again:
     *     exactly one of them wins, which is the single-winner guarantee.
     * All reads of `word` are volatile (getVolatile), all writes after construction are CAS (volatile), so
     * a task's fields written before newTimeout are visible to it when it runs: offer (release) ->
     * worker's poll (acquire) -> task.run on the worker, or Executor.execute's own happens-before.
     */
    static final long PENDING = 0L;
    static final long CANCELLED = 1L;
    static final long EXPIRED = 2L;
    static final long STATE_MASK = 3L;
    static final long IN_WHEEL = 4L;
    static final int VALUE_SHIFT = 3;

    private static final VarHandle WORD = Handles.field(MethodHandles.lookup(), Timeout.class, "word", long.class);

    private final WheelTimer timer;
    private final Runnable task;
    @SuppressWarnings("unused") // accessed through WORD
    private long word;

    Timeout(WheelTimer timer, Runnable task, long deadlineTick) {
        this.timer = timer;
        this.task = task;
        this.word = deadlineTick << VALUE_SHIFT;
    }

    long word() {
        return (long) WORD.getVolatile(this);
    }

    boolean casWord(long expected, long next) {
        return WORD.compareAndSet(this, expected, next);
    }

    /** Moves PENDING to the given final state, keeping the value bits; true if this call did it. */
    boolean claim(long state) {
        for (;;) {
            long w = word();
            if ((w & STATE_MASK) != PENDING) {
                return false;
            }
            if (casWord(w, w | state)) {
                return true;
            }
        }
    }

    /**
     * Cancels this timeout if it is still pending. Exactly one of "this returns true" and "the task runs"
     * happens, whatever the race with the expiry. The timer frees the slot on its worker soon after (on
     * its next wake-up, at most 16 ms or one tick later, whichever is longer, while timeouts are
     * pending), not inside this call. Lock-free; any thread.
     *
     * @return true if this call cancelled the timeout; false if it had expired, was cancelled already, or
     *         was taken back by {@link WheelTimer#stop()}
     */
    public boolean cancel() {
        for (;;) {
            long w = word();
            if ((w & STATE_MASK) != PENDING) {
                return false;
            }
            if (casWord(w, w | CANCELLED)) {
                timer.cancelled(this, (w & IN_WHEEL) != 0);
                return true;
            }
        }
    }

    /** {@return whether the timeout was cancelled (by {@link #cancel()} or {@link WheelTimer#stop()}); any thread} */
    public boolean isCancelled() {
        return (word() & STATE_MASK) == CANCELLED;
    }

    /**
     * {@return whether the timeout expired: its task was run or handed to the executor (or the executor
     *         rejected it, see {@link WheelTimer}); any thread}
     */
    public boolean isExpired() {
        return (word() & STATE_MASK) == EXPIRED;
    }

    /** {@return whether the timeout is neither expired nor cancelled; any thread} */
    public boolean isPending() {
        return (word() & STATE_MASK) == PENDING;
    }

    /** {@return the task given to {@link WheelTimer#newTimeout}; any thread} */
    public Runnable task() {
        return task;
    }

    /** {@return the timer this timeout belongs to; any thread} */
    public WheelTimer timer() {
        return timer;
    }

    @Override
    public String toString() {
        long w = word();
        String s = switch ((int) (w & STATE_MASK)) {
            case 0 -> "pending";
            case 1 -> "cancelled";
            default -> "expired";
        };
        return "Timeout[" + s + ", " + task + "]";
    }
}
