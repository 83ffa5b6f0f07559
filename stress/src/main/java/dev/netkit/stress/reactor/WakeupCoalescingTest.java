package dev.netkit.stress.reactor;

import dev.netkit.reactor.WakeupGate;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import java.util.concurrent.atomic.AtomicInteger;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two producers racing to wake one sleeping loop: exactly one of them runs the wake action (one
 * {@code Selector.wakeup()} system call, not two), the other learns a wake is under way, and the loop,
 * on waking, learns that it was woken.
 *
 * <p>Outcome: (wake actions run, producers that returned true, the loop's {@code awake()} answer 1/0).
 */
@JCStressTest
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "one wake, one winner, the loop knows it was woken")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "lost wakeup: nobody woke the sleeping loop")
@Outcome(id = "2, .*", expect = FORBIDDEN, desc = "both producers woke the loop")
@Outcome(expect = FORBIDDEN, desc = "inconsistent")
@State
public class WakeupCoalescingTest {
    private final AtomicInteger wakes = new AtomicInteger();
    private final WakeupGate gate = new WakeupGate(wakes::incrementAndGet);
    private int won1;
    private int won2;

    public WakeupCoalescingTest() {
        gate.prepareToSleep();          // the loop is asleep when the producers arrive
    }

    @Actor
    public void producer1() {
        won1 = gate.wakeIfSleeping() ? 1 : 0;
    }

    @Actor
    public void producer2() {
        won2 = gate.wakeIfSleeping() ? 1 : 0;
    }

    @Arbiter
    public void loopWakes(III_Result r) {
        r.r1 = wakes.get();
        r.r2 = won1 + won2;
        r.r3 = gate.awake() ? 1 : 0;
    }
}
