package dev.netkit.stressmany.reactor;

import dev.netkit.reactor.WakeupGate;
import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

import java.util.concurrent.atomic.AtomicInteger;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * No lost wakeup with two producers: while a loop announces sleep, two producers each publish a task and
 * call {@code wakeIfSleeping()}. The loop actor is the first half of one {@code SubReactor.loop} iteration:
 * {@link WakeupGate#prepareToSleep()}, then re-check the task queue (the same jctools MPSC queue); if it is
 * empty it "sleeps" (records that it did and stops: the arbiter plays its waking, calling {@code awake()});
 * otherwise it calls {@code awake()} at once. Unlike {@code stress.reactor.LostWakeupTest} (a Termination
 * test) this is a plain outcome test: a loop that decided to sleep while tasks arrived must have been
 * woken by a wake action, by exactly one producer.
 *
 * <p>By the gate's Dekker argument, a loop that saw the queue empty announced sleep before both offers, so
 * both producers' reads of the state come after SLEEPING: one wins the CAS and wakes. A loop that saw a
 * task may or may not be woken (a producer may see SLEEPING before the loop's {@code awake()}), and its
 * {@code awake()} answer says which.
 *
 * <p>Bugs it catches: {@code prepareToSleep} as a release (not volatile) store, or {@code wakeIfSleeping}
 * reading the state before the offer is globally visible (store-load reordering: both sides miss each
 * other, "1, 0": the loop sleeps with two tasks queued and nobody wakes it); two producers both waking
 * ("2"); {@code awake()} not reporting the producer's CAS (its answer differs from the wake count).
 *
 * <p>Outcome: (loop slept 1/0, wake actions run, producers that returned true, the loop's {@code awake()}
 * answer 1/0, tasks in the queue at rest).
 */
@JCStressTest
@Outcome(id = "1, 1, 1, 1, 2", expect = ACCEPTABLE, desc = "the loop slept; exactly one producer woke it")
@Outcome(id = "0, 0, 0, 0, 2", expect = ACCEPTABLE, desc = "the loop saw a task and stayed awake; no wake")
@Outcome(id = "0, 1, 1, 1, 2", expect = ACCEPTABLE,
        desc = "the loop saw a task, but a producer saw it announce sleep first and woke it")
@Outcome(id = "1, 0, .*", expect = FORBIDDEN, desc = "lost wakeup: the loop sleeps with tasks queued")
@Outcome(id = "[01], 2, .*", expect = FORBIDDEN, desc = "both producers woke the loop")
@Outcome(expect = FORBIDDEN, desc = "inconsistent, or a task lost")
@State
public class LostWakeupProducersVsLoopTest {
    private static final Runnable TASK = () -> { };

    private final MpscUnboundedAtomicArrayQueue<Runnable> tasks = new MpscUnboundedAtomicArrayQueue<>(8);
    private final AtomicInteger wakes = new AtomicInteger();
    private final WakeupGate gate = new WakeupGate(wakes::incrementAndGet);
    private int slept;
    private int loopAwake;
    private int won1;
    private int won2;

    @Actor
    public void producer1() {
        tasks.offer(TASK);
        won1 = gate.wakeIfSleeping() ? 1 : 0;
    }

    @Actor
    public void producer2() {
        tasks.offer(TASK);
        won2 = gate.wakeIfSleeping() ? 1 : 0;
    }

    @Actor
    public void loop() {
        gate.prepareToSleep();
        if (tasks.isEmpty()) {
            slept = 1;                  // select() with no timeout: only a wake action ends it
        } else {
            loopAwake = gate.awake() ? 1 : 0;
        }
    }

    @Arbiter
    public void arbiter(IIIII_Result r) {
        if (slept == 1) {
            loopAwake = gate.awake() ? 1 : 0;   // the loop wakes (whatever woke it) and marks itself awake
        }
        r.r1 = slept;
        r.r2 = wakes.get();
        r.r3 = won1 + won2;
        r.r4 = loopAwake;
        r.r5 = tasks.size();
    }
}
