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
 * Two cancels against the expiry of a timeout already in the wheel (an earlier advance took it in before
 * it was due; the clock then moved past its deadline), the driver's {@code advance()} as the third actor.
 * Exactly one of the three wins: one cancel returns true and the task never runs, or both cancels return
 * false and the task runs once. At rest the pending count is 0 and a later advance finds nothing to run.
 * Extends {@code stress.timingwheel.CancelVsExpiryInWheelTest} with a second canceller.
 *
 * <p>Bugs it catches: an expiry that runs the task without winning the PENDING to EXPIRED CAS, or a cancel
 * that returns true after the expiry claimed it (a cancel true and the task run); two cancels winning; the
 * count decremented by more than one winner (pending negative) or by none (pending 1); the wheel handing
 * out the timeout again on a later advance (the last field 1).
 *
 * <p>Outcome: (cancel 1, cancel 2, advance's count, task runs, pending count at rest, expiries of a
 * further advance).
 */
@JCStressTest
@Outcome(id = {"1, 0, 0, 0, 0, 0", "0, 1, 0, 0, 0, 0"}, expect = ACCEPTABLE, desc = "a cancel won")
@Outcome(id = "0, 0, 1, 1, 0, 0", expect = ACCEPTABLE, desc = "expiry won")
@Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "two cancels won")
@Outcome(id = {"1, 0, [^0], .*", "0, 1, [^0], .*", "1, 0, 0, [^0], .*", "0, 1, 0, [^0], .*"},
        expect = FORBIDDEN, desc = "a cancel won but the task expired or ran too")
@Outcome(expect = FORBIDDEN, desc = "no winner, or a wrong count")
@State
public class TwoCancelsVsExpiryTest {
    final Clock clock = new Clock();
    final WheelTimer timer = WheelTimer.manual(clock, Clock.TICK, 0);
    int runs;
    final Timeout t;

    public TwoCancelsVsExpiryTest() {
        t = timer.newTimeout(() -> runs++, 1, TimeUnit.MILLISECONDS);
        timer.advance();                     // into the wheel, not due
        clock.now = Clock.TICK;              // now due
    }

    @Actor
    public void canceller1(IIIIII_Result r) {
        r.r1 = t.cancel() ? 1 : 0;
    }

    @Actor
    public void canceller2(IIIIII_Result r) {
        r.r2 = t.cancel() ? 1 : 0;
    }

    @Actor
    public void driver(IIIIII_Result r) {
        r.r3 = timer.advance();
    }

    @Arbiter
    public void arbiter(IIIIII_Result r) {
        timer.advance();
        r.r4 = runs;
        r.r5 = (int) timer.pendingTimeouts();
        clock.now = 10 * Clock.TICK;
        r.r6 = timer.advance();
    }
}
