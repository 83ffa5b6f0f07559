package dev.netkit.reactor;

import dev.netkit.padding.internal.Handles;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * Decides when a producer must wake an event loop: only when the loop has announced that it may go to
 * sleep, and then only one producer of all those who see it (the others' work is found by the wakened
 * loop anyway). Used by each sub-reactor with {@code Selector::wakeup} as the wake action.
 *
 * <p>Protocol. The loop calls {@link #prepareToSleep()}, then checks its queues; if they are empty it
 * sleeps (a wake action issued meanwhile must make the sleep return at once, as
 * {@link java.nio.channels.Selector#wakeup()} and {@link java.util.concurrent.locks.LockSupport#unpark}
 * do), and after waking calls {@link #awake()}. A producer publishes its work first, then calls
 * {@link #wakeIfSleeping()}. No work is left unseen with the loop asleep: see the implementation notes.
 *
 * <p><b>Thread safety.</b> {@link #prepareToSleep()} and {@link #awake()}: the loop thread only.
 * {@link #wakeIfSleeping()}: any thread; lock-free (one read, and one CAS only when the loop is asleep).
 */
public final class WakeupGate {
    /*
     * Implementation notes.
     *
     * One int, `state`: AWAKE (0) or SLEEPING (1). The loop writes SLEEPING with a volatile store and then
     * reads its queues (volatile reads inside the queue); a producer writes into a queue (a volatile write
     * or CAS) and then reads `state` with a volatile read. Volatile accesses are sequentially consistent,
     * so of the two "write then read" sequences at least one read sees the other's write (Dekker): either
     * the loop sees the work and does not sleep, or the producer sees SLEEPING and wakes it. Of the
     * producers that see SLEEPING, the one whose CAS SLEEPING -> AWAKE wins calls the wake action; the
     * others know a wake is already under way. The loop's awake() is a getAndSet(AWAKE): its old value
     * tells whether a producer woke it (AWAKE: a producer's CAS came first), which the sub-reactor uses to
     * tell a real wakeup from a premature empty select. A wake action issued after the loop woke for
     * another reason is left over and makes the next sleep return at once: one spurious iteration, never
     * a lost task.
     */
    private static final int AWAKE = 0;
    private static final int SLEEPING = 1;
    private static final VarHandle STATE = Handles.field(MethodHandles.lookup(), WakeupGate.class, "state", int.class);

    private final Runnable wakeAction;
    @SuppressWarnings("unused") // through STATE
    private volatile int state;

    /**
     * A gate that starts awake.
     *
     * @param wakeAction makes the loop's current or next sleep return at once (e.g. {@code selector::wakeup});
     *                   called by producers
     */
    public WakeupGate(Runnable wakeAction) {
        this.wakeAction = Objects.requireNonNull(wakeAction, "wakeAction");
    }

    /** Announces that the loop may sleep; call before the last check of the queues. Loop thread only. */
    public void prepareToSleep() {
        STATE.setVolatile(this, SLEEPING);
    }

    /**
     * Marks the loop awake again (after its sleep, or instead of it when the check found work). Loop
     * thread only.
     *
     * @return true if a producer had already woken the loop (its wake action ran or is about to run)
     */
    public boolean awake() {
        return (int) STATE.getAndSet(this, AWAKE) == AWAKE;
    }

    /**
     * Wakes the loop if it announced sleep and nobody woke it yet; call after publishing the work. Any
     * thread.
     *
     * @return true if this call ran the wake action
     */
    public boolean wakeIfSleeping() {
        if ((int) STATE.getVolatile(this) == SLEEPING && STATE.compareAndSet(this, SLEEPING, AWAKE)) {
            wakeAction.run();
            return true;
        }
        return false;
    }
}
