package dev.netkit.stressmany.reactor;

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
 * Three producers racing to wake one sleeping loop: exactly one of them runs the wake action (one
 * {@code Selector.wakeup()} system call, not two or three), exactly one {@code wakeIfSleeping()} returns
 * true, and the loop, on waking, learns from {@code awake()} that it was woken.
 *
 * <p>Bugs it catches: a wake decision that is a read followed by a plain or volatile write instead of a
 * CAS (two or three producers read SLEEPING and all wake: "2" or "3"); a CAS whose loser still runs the
 * action, or whose result is reported wrongly (wake actions and winners differ); a producer that skips the
 * wake on a stale AWAKE read ("0": lost wakeup); an {@code awake()} that does not report the producer's
 * CAS.
 *
 * <p>Outcome: (wake actions run, producers that returned true, the loop's {@code awake()} answer 1/0).
 */
@JCStressTest
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "one wake, one winner, the loop knows it was woken")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "lost wakeup: nobody woke the sleeping loop")
@Outcome(id = {"2, .*", "3, .*"}, expect = FORBIDDEN, desc = "more than one producer woke the loop")
@Outcome(expect = FORBIDDEN, desc = "inconsistent")
@State
public class WakeupThreeProducersTest {
    private final AtomicInteger wakes = new AtomicInteger();
    private final WakeupGate gate = new WakeupGate(wakes::incrementAndGet);
    private int won1;
    private int won2;
    private int won3;

    public WakeupThreeProducersTest() {
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

    @Actor
    public void producer3() {
        won3 = gate.wakeIfSleeping() ? 1 : 0;
    }

    @Arbiter
    public void loopWakes(III_Result r) {
        r.r1 = wakes.get();
        r.r2 = won1 + won2 + won3;
        r.r3 = gate.awake() ? 1 : 0;
    }
}
