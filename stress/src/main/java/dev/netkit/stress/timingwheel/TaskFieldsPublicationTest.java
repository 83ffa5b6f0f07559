package dev.netkit.stress.timingwheel;

import dev.netkit.stress.fixtures.Clock;
import dev.netkit.timingwheel.WheelTimer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Fields written (plainly) before newTimeout are visible to the task, which runs on the other thread (the
 * driver's advance) if the hand-off reached it, else at rest. The task's object is created by the
 * scheduling thread and read by the driver only through the timer's queue.
 *
 * <p>Outcome: (1 if the task ran during the driver's advance, the sum of the two fields the task saw, runs).
 */
@JCStressTest
@Outcome(id = "1, 42, 1", expect = ACCEPTABLE, desc = "ran on the driver, saw both fields")
@Outcome(id = "0, 42, 1", expect = ACCEPTABLE, desc = "the driver missed it; ran at rest, saw both fields")
@Outcome(id = ".*, (0|40|2), .*", expect = FORBIDDEN, desc = "the task saw a field not yet written")
@Outcome(expect = FORBIDDEN, desc = "ran twice or never")
@State
public class TaskFieldsPublicationTest {
    final Clock clock = new Clock();
    final WheelTimer timer = WheelTimer.manual(clock, Clock.TICK, 0);

    static final class Task implements Runnable {
        int a;
        int b;
        int seen = -1;
        int runs;

        @Override
        public void run() {
            seen = a + b;
            runs++;
        }
    }

    Task task;

    @Actor
    public void scheduler() {
        Task x = new Task();
        x.a = 40;
        x.b = 2;
        task = x;
        timer.newTimeout(x, 0, TimeUnit.MILLISECONDS);
    }

    @Actor
    public void driver(III_Result r) {
        r.r1 = timer.advance();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        timer.advance();
        r.r2 = task.seen;
        r.r3 = task.runs;
    }
}
