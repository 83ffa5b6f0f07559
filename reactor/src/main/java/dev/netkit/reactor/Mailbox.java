package dev.netkit.reactor;

import dev.netkit.padding.internal.Handles;
import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A sub-reactor's queue of cross-thread tasks, which its loop closes when it dies, so that a task handed
 * off to it is either run by the loop or handed back to its sender: never neither, never both.
 *
 * <p>Any thread {@link #offer}s a task (one that may be lost if the loop dies, such as a relay producer's
 * close request) or {@link #handOff}s a {@link OneShot} (an accepted channel, which must be registered or
 * closed). The loop polls; when it dies it {@link #close}s the mailbox and then {@link #drain}s it.
 *
 * <p><b>Thread safety.</b> {@code offer}, {@code handOff}, {@code isClosed}, {@code isEmpty}: any thread,
 * lock-free. {@code relaxedPoll}, {@code close}, {@code drain}: the loop thread only.
 */
final class Mailbox {
    /*
     * Implementation notes. `tasks` is a JCTools MPSC queue (producers: any thread; consumer: the loop).
     * `closed` is written once, by the loop thread, and read by anyone.
     *
     * The hand-off is a Dekker pair. The loop: store closed = true, full fence, then drain with poll(),
     * which returns null only when no producer's index CAS is visible (or while another producer resizes
     * the queue, which an offer it could miss waits for). A sender: complete its offer, full fence, then
     * read `closed`. At least one side sees the other's store: the drain finds the task, or the sender sees
     * the mailbox closed, or both. Where both may handle it, the task's claim (one CAS) lets exactly one:
     * the drain runs a task only if it claims it, and the sender takes it back only if it claims it.
     * jcstress: dev.netkit.stress.reactor.MailboxHandOffTest.
     */
    private static final VarHandle CLOSED = Handles.field(MethodHandles.lookup(), Mailbox.class, "closed", boolean.class);

    private final MpscUnboundedAtomicArrayQueue<Runnable> tasks = new MpscUnboundedAtomicArrayQueue<>(256);
    @SuppressWarnings("unused") // through CLOSED
    private volatile boolean closed;

    /** Queues a task the loop will run unless it dies first (then it may be lost). Any thread. */
    void offer(Runnable task) {
        tasks.offer(task);
    }

    /**
     * Queues a task that must be handled exactly once. Any thread.
     *
     * @return true if the loop will run it (or has); false if the mailbox is closed and the caller now owns
     *         the task: the loop will never run it
     */
    boolean handOff(OneShot task) {
        tasks.offer(task);
        VarHandle.fullFence();              // the offer, then `closed`: see the notes
        return !isClosed() || !task.claim();
    }

    /** {@return whether the loop closed the mailbox (it died); any thread} */
    boolean isClosed() {
        return (boolean) CLOSED.getVolatile(this);
    }

    /** {@return whether no task waits; any thread, a snapshot} */
    boolean isEmpty() {
        return tasks.isEmpty();
    }

    /** {@return the next task, or null (also, briefly, while an offer is in progress); the loop thread} */
    Runnable relaxedPoll() {
        return tasks.relaxedPoll();
    }

    /** Closes the mailbox: from now on a hand-off may be handed back. The loop thread, before {@link #drain}. */
    void close() {
        CLOSED.setVolatile(this, true);
        VarHandle.fullFence();              // `closed`, then the drain's polls: see the notes
    }

    /**
     * Runs every task left, each guarded (a task that throws does not stop the drain). After
     * {@link #close}, every hand-off either runs here or was handed back. The loop thread, as it exits.
     */
    void drain() {
        Runnable t;
        while ((t = tasks.poll()) != null) {
            try {
                t.run();
            } catch (Throwable ignored) {
                // exiting: the rest must run too
            }
        }
    }

    /** A task handled exactly once: by the loop ({@link #run()}) or by its sender ({@link #handOff} false). */
    abstract static class OneShot implements Runnable {
        private static final VarHandle CLAIMED = Handles.field(MethodHandles.lookup(), OneShot.class, "claimed", boolean.class);

        @SuppressWarnings("unused") // through CLAIMED
        private volatile boolean claimed;

        /** {@return true for the one caller that gets to handle the task; any thread} */
        final boolean claim() {
            return CLAIMED.compareAndSet(this, false, true);
        }

        /** Runs {@link #runOnce()} if the loop is the one to handle it. */
        @Override
        public final void run() {
            if (claim()) {
                runOnce();
            }
        }

        /** The task, run at most once, on the loop thread. */
        abstract void runOnce();
    }
}
