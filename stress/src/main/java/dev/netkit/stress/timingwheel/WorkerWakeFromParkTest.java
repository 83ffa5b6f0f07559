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
 * The worker's sleep and wake-up: with nothing pending the worker parks without a timeout, so a lost
 * wake-up hangs forever. The actor waits for a task; the signal schedules it (delay 0). The timeout must
 * run: the actor terminates. One real timer (with its worker thread) is shared by every sample, so each
 * sample meets the worker parked, or on its way to park.
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the worker woke and ran the task")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "lost wake-up: the worker stayed parked")
@State
public class WorkerWakeFromParkTest {
    static final WheelTimer TIMER = new WheelTimer(1, TimeUnit.MILLISECONDS);

    volatile boolean ran;

    @Actor
    public void waiter() {
        while (!ran) {
            Thread.onSpinWait();
        }
    }

    @Signal
    public void schedule() {
        TIMER.newTimeout(() -> ran = true, 0, TimeUnit.MILLISECONDS);
    }
}
