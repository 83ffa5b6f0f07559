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
 * <p>Size: a 12-byte header, three references (task, timer, the wheel's link) and one {@code long}: 32
 * bytes with compressed references. The timeout is its own node in the timer's wheel: nothing else is
 * allocated per pending timeout.
 */
public final class Timeout {
    /*
     * Implementation notes.
     *
     * `word` packs everything that changes: bits 0-1 the state (PENDING 0, CANCELLED 1, EXPIRED 2), bits
     * 2-63 a value: the deadline tick, counted from the timer's start, below 2^62 (MAX_TICK, 2^62 - 1,
     * tells the worker that the deadline did not fit: it counts MAX_DELAY_NANOS from its own clock instead
     * and then, unless the low 30 bits already agree, keeps the deadline modulo 2^62 here). Transitions:
     *   - the constructor writes (tick << 2) | PENDING plainly; the MPSC queue's offer publishes it (release)
     *     and the worker's poll acquires it;
     *   - only for the MAX_TICK case: the worker CASes PENDING|MAX_TICK to PENDING|its own deadline before
     *     the timeout enters the wheel proper (a failed CAS means it was cancelled: it is dropped);
     *   - cancel() (any thread), the worker's expiry, stop() and a rejected newTimeout each CAS PENDING to
     *     their final state, keeping the value bits. Only the state bits change after that, never again:
     *     exactly one of them wins, which is the single-winner guarantee.
     * All reads of `word` are volatile (getVolatile), all writes after construction are CAS (volatile), so
     * a task's fields written before newTimeout are visible to it when it runs: offer (release) ->
     * worker's poll (acquire) -> task.run on the worker, or Executor.execute's own happens-before.
     *
     * `next` is the wheel's link (TimeoutWheel): written and read by the worker only (in manual mode the
     * driver and stop()), plain. A cancelled timeout stays linked until the worker meets it; cancel()
     * touches nothing but the word and the timer's pending count.
     */
    static final long PENDING = 0L;
    static final long CANCELLED = 1L;
    static final long EXPIRED = 2L;
    static final long STATE_MASK = 3L;
    static final int VALUE_SHIFT = 2;
    static final long MAX_TICK = (1L << 62) - 1;

    private static final VarHandle WORD = Handles.field(MethodHandles.lookup(), Timeout.class, "word", long.class);

    private final WheelTimer timer;
    private final Runnable task;
    @SuppressWarnings("unused") // accessed through WORD
    private long word;
    Timeout next;                                  // TimeoutWheel's link; worker only

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
     * happens, whatever the race with the expiry. One CAS and a striped count: the timeout stays
     * linked in the timer's wheel until the worker meets it (at its slot, or in a sweep once cancelled
     * timeouts are more than a quarter of those linked), so it is garbage after that. Lock-free; any thread.
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
                timer.cancelled();
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
