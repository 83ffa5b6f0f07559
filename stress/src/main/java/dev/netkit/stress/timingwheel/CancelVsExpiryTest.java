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
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Cancel against expiry, the timeout still in the MPSC queue: the driver's advance() takes it into the
 * wheel and expires it (it is due) while another thread cancels it. Exactly one wins: cancel returns true
 * and the task never runs, or the task runs once and cancel returns false.
 *
 * <p>Outcome: (cancel returned true, advance's count, task runs at rest after one more advance, pending
 * count at rest).
 */
@JCStressTest
@Outcome(id = "1, 0, 0, 0", expect = ACCEPTABLE, desc = "cancel won")
@Outcome(id = "0, 1, 1, 0", expect = ACCEPTABLE, desc = "expiry won")
@Outcome(id = "1, .*", expect = FORBIDDEN, desc = "cancel true but the task ran, or the count is wrong")
@Outcome(expect = FORBIDDEN, desc = "no winner, two winners, or a wrong count")
@State
public class CancelVsExpiryTest {
    final Clock clock = new Clock();
    final WheelTimer timer = WheelTimer.manual(clock, Clock.TICK, 0);
    int runs;
    final Timeout t = timer.newTimeout(() -> runs++, 0, TimeUnit.MILLISECONDS);

    @Actor
    public void canceller(IIII_Result r) {
        r.r1 = t.cancel() ? 1 : 0;
    }

    @Actor
    public void driver(IIII_Result r) {
        r.r2 = timer.advance();
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        timer.advance();
        r.r3 = runs;
        r.r4 = (int) timer.pendingTimeouts();
    }
}
