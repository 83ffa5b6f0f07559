package dev.netkit.stressmany.timingwheel;

import dev.netkit.stress.fixtures.Clock;
import dev.netkit.timingwheel.Timeout;
import dev.netkit.timingwheel.WheelTimer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Three threads cancel one pending timeout (in the wheel, with one other timeout pending): exactly one
 * cancel returns true, and the pending count drops exactly once, from 2 to 1. The task never runs; the
 * other timeout still does. The three-actor form of {@code stress.timingwheel.CancelCancelTest}.
 *
 * <p>Bugs it catches: a cancel that reads the state and then writes CANCELLED instead of CASing it (two or
 * three winners); a cancel that decrements the pending count before or without winning its CAS (the Netty
 * #14959 double decrement: pending 0 or negative at rest), or a lost decrement among the striped counter's
 * shared cells when three threads hit them (pending 2); a cancelled task that still runs.
 *
 * <p>Outcome: (cancel 1, cancel 2, cancel 3, pending at rest, runs of the cancelled task, runs of the
 * other task).
 */
@JCStressTest
@Outcome(id = {"1, 0, 0, 1, 0, 1", "0, 1, 0, 1, 0, 1", "0, 0, 1, 1, 0, 1"}, expect = ACCEPTABLE,
        desc = "one cancel won")
@Outcome(id = {"1, 1, .*", "1, 0, 1, .*", "0, 1, 1, .*"}, expect = FORBIDDEN, desc = "two or three winners")
@Outcome(id = "0, 0, 0, .*", expect = FORBIDDEN, desc = "no winner")
@Outcome(expect = FORBIDDEN, desc = "the count dropped twice or not at all, or a task ran wrongly")
@State
public class ThreeCancelsTest {
    final Clock clock = new Clock();
    final WheelTimer timer = WheelTimer.manual(clock, Clock.TICK, 0);
    int runs;
    int otherRuns;
    final Timeout t;

    public ThreeCancelsTest() {
        t = timer.newTimeout(() -> runs++, 5, TimeUnit.MILLISECONDS);
        timer.newTimeout(() -> otherRuns++, 5, TimeUnit.MILLISECONDS);
        timer.advance();
    }

    @Actor
    public void cancel1(IIIIII_Result r) {
        r.r1 = t.cancel() ? 1 : 0;
    }

    @Actor
    public void cancel2(IIIIII_Result r) {
        r.r2 = t.cancel() ? 1 : 0;
    }

    @Actor
    public void cancel3(IIIIII_Result r) {
        r.r3 = t.cancel() ? 1 : 0;
    }

    @Arbiter
    public void arbiter(IIIIII_Result r) {
        r.r4 = (int) timer.pendingTimeouts();
        clock.now = 10 * Clock.TICK;
        timer.advance();
        r.r5 = runs;
        r.r6 = otherRuns;
    }
}
