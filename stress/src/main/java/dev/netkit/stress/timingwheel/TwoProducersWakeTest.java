package dev.netkit.stress.timingwheel;

import dev.netkit.timingwheel.WheelTimer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two producers race to wake the parked worker: only one wins the CAS on the sleeping flag and unparks it;
 * the other's timeout must still run (the woken worker drains the queue before it parks again). The actor
 * schedules its timeout and waits for it; the signal schedules another at the same time. Both must run, so
 * the actor terminates; the signal's timeout is checked by the next sample's wait (the same timer).
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "both timeouts ran")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "a timeout was stranded in the queue while the worker parked")
@State
public class TwoProducersWakeTest {
    static final WheelTimer TIMER = new WheelTimer(1, TimeUnit.MILLISECONDS);

    volatile boolean mine;
    volatile boolean other;

    @Actor
    public void producerAndWaiter() {
        TIMER.newTimeout(() -> mine = true, 0, TimeUnit.MILLISECONDS);
        while (!mine || !other) {
            Thread.onSpinWait();
        }
    }

    @Signal
    public void otherProducer() {
        TIMER.newTimeout(() -> other = true, 0, TimeUnit.MILLISECONDS);
    }
}
