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
 * Cancel against a cascade and the expiry after it (issue 16's intrusive wheel): the timeout sits on the
 * wheel's second level (a deadline 100 ticks ahead, taken in at tick 0); the clock then moves past its
 * deadline, so the driver's advance moves it down a level, where a cancelled node is dropped, and then
 * expires it. The cancel lands before, between or after those steps. Exactly one wins; at rest nothing is
 * left to run.
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
public class CancelVsCascadeTest {
    final Clock clock = new Clock();
    final WheelTimer timer = WheelTimer.manual(clock, Clock.TICK, 0);
    int runs;
    final Timeout t;

    public CancelVsCascadeTest() {
        t = timer.newTimeout(() -> runs++, 100 * Clock.TICK, TimeUnit.NANOSECONDS);
        timer.advance();                     // into the wheel's level 1 (tick 100 differs from 0 in bit 6)
        clock.now = 100 * Clock.TICK;        // now due: the advance cascades it, then expires it
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
        clock.now = 200 * Clock.TICK;
        r.r5 = timer.advance();
    }
}
