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
 * Cancel against expiry, the timeout already in the wheel (an earlier advance took it in before it was
 * due; the clock then moved past its deadline). Exactly one wins. At rest, after the cancellation reached
 * the driver, nothing is left: a later advance finds nothing to run.
 *
 * <p>Outcome: (cancel returned true, advance's count, task runs, pending count at rest, expiries of a
 * further advance).
 */
@JCStressTest
@Outcome(id = "1, 0, 0, 0, 0", expect = ACCEPTABLE, desc = "cancel won")
@Outcome(id = "0, 1, 1, 0, 0", expect = ACCEPTABLE, desc = "expiry won")
@Outcome(id = "1, .*", expect = FORBIDDEN, desc = "cancel true but the task ran, or a wrong count")
@Outcome(expect = FORBIDDEN, desc = "no winner, two winners, or a wrong count")
@State
public class CancelVsExpiryInWheelTest {
    final Clock clock = new Clock();
    final WheelTimer timer = WheelTimer.manual(clock, Clock.TICK, 0);
    int runs;
    final Timeout t;

    public CancelVsExpiryInWheelTest() {
        t = timer.newTimeout(() -> runs++, 1, TimeUnit.MILLISECONDS);
        timer.advance();                     // into the wheel, not due
        clock.now = Clock.TICK;              // now due
    }

    @Actor
    public void canceller(IIIII_Result r) {
        r.r1 = t.cancel() ? 1 : 0;
    }

    @Actor
    public void driver(IIIII_Result r) {
        r.r2 = timer.advance();
    }

    @Arbiter
    public void arbiter(IIIII_Result r) {
        timer.advance();
        r.r3 = runs;
        r.r4 = (int) timer.pendingTimeouts();
        clock.now = 10 * Clock.TICK;
        r.r5 = timer.advance();
    }
}
