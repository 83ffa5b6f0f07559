package dev.netkit.stress.timingwheel;

import dev.netkit.stress.fixtures.Clock;
import dev.netkit.timingwheel.Timeout;
import dev.netkit.timingwheel.WheelTimer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two threads cancel one pending timeout (in the wheel, with one other timeout pending): exactly one cancel
 * returns true, and the pending count drops exactly once, from 2 to 1 (Netty #14959 was a double
 * decrement). The task never runs; the other timeout still does.
 *
 * <p>Outcome: (cancel 1, cancel 2, pending at rest, runs of the cancelled task, runs of the other task).
 */
@JCStressTest
@Outcome(id = "1, 0, 1, 0, 1", expect = ACCEPTABLE, desc = "actor 1 won")
@Outcome(id = "0, 1, 1, 0, 1", expect = ACCEPTABLE, desc = "actor 2 won")
@Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "two winners")
@Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "no winner")
@Outcome(expect = FORBIDDEN, desc = "the count dropped twice or not at all, or a task ran wrongly")
@State
public class CancelCancelTest {
    final Clock clock = new Clock();
    final WheelTimer timer = WheelTimer.manual(clock, Clock.TICK, 0);
    int runs;
    int otherRuns;
    final Timeout t;

    public CancelCancelTest() {
        t = timer.newTimeout(() -> runs++, 5, TimeUnit.MILLISECONDS);
        timer.newTimeout(() -> otherRuns++, 5, TimeUnit.MILLISECONDS);
        timer.advance();
    }

    @Actor
    public void cancel1(IIIII_Result r) {
        r.r1 = t.cancel() ? 1 : 0;
    }

    @Actor
    public void cancel2(IIIII_Result r) {
        r.r2 = t.cancel() ? 1 : 0;
    }

    @Arbiter
    public void arbiter(IIIII_Result r) {
        r.r3 = (int) timer.pendingTimeouts();
        clock.now = 10 * Clock.TICK;
        timer.advance();
        r.r4 = runs;
        r.r5 = otherRuns;
    }
}
