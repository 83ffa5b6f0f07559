package dev.netkit.stress.reactor;

import dev.netkit.reactor.WakeupGate;
import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * No lost wakeup: a task submitted while the event loop goes to sleep always runs.
 *
 * <p>The actor is one sub-reactor iteration as {@code SubReactor.loop} runs it: announce sleep through
 * the {@link WakeupGate}, re-check the task queue (the same jctools MPSC queue), sleep if it is empty,
 * mark itself awake, run what the queue holds; it finishes only once the task has run. The signal is a
 * producer: offer the task, then {@code wakeIfSleeping()}. The sleep is a stand-in for
 * {@code Selector.select()} with no timeout and the same contract: it returns once a wake action has been
 * issued, before or during the sleep (a sticky flag, as {@code Selector.wakeup()} is). If the producer
 * could miss the sleeping loop, or the loop could miss the task it announced sleep before, the actor
 * would sleep forever: jcstress reports STALE.
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the task ran")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "lost wakeup: the loop sleeps with a task queued")
@State
public class LostWakeupTest {
    private static final VarHandle WAKE;

    static {
        try {
            WAKE = MethodHandles.lookup().findVarHandle(LostWakeupTest.class, "wake", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through WAKE
    private volatile boolean wake;
    private final MpscUnboundedAtomicArrayQueue<Runnable> tasks = new MpscUnboundedAtomicArrayQueue<>(8);
    private final WakeupGate gate = new WakeupGate(() -> WAKE.setVolatile(this, true));
    private boolean ran;

    /** select() with no timeout: returns once a wake action was issued, consuming it. */
    private void sleep() {
        while (!WAKE.compareAndSet(this, true, false)) {
            Thread.onSpinWait();
        }
    }

    @Actor
    public void loop() {
        while (!ran) {
            gate.prepareToSleep();
            if (tasks.isEmpty()) {
                sleep();
            }
            gate.awake();
            Runnable t;
            while ((t = tasks.relaxedPoll()) != null) {
                t.run();
            }
        }
    }

    @Signal
    public void submit() {
        tasks.offer(() -> ran = true);
        gate.wakeIfSleeping();
    }
}
