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
 * A cancellation cannot reach the timeout that follows in its place. Timeout A sits in the wheel and is
 * due. One thread cancels A while the driver expires what is due (A, unless cancelled: a cancelled A is
 * dropped where the wheel meets it), schedules C and takes it in, and advances again. Before issue 16 the
 * cancellation travelled to the driver with A's wheel handle and C reused A's node, so the handle's
 * generation had to reject it; since issue 16 the timeout is its own node and a cancel is only its CAS,
 * so this test checks that lazy dropping drops A alone: C must still run at rest.
 *
 * <p>Outcome: (A's cancel returned true, A's runs, C's runs at rest, pending count at rest).
 */
@JCStressTest
@Outcome(id = "1, 0, 1, 0", expect = ACCEPTABLE, desc = "A cancelled; C, in A's slot, still runs")
@Outcome(id = "0, 1, 1, 0", expect = ACCEPTABLE, desc = "A expired; C runs")
@Outcome(id = ".*, 0, .*", expect = FORBIDDEN, desc = "C was removed by A's stale handle")
@Outcome(expect = FORBIDDEN, desc = "A had two outcomes or none, or a wrong count")
@State
public class StaleHandleSlotReuseTest {
    final Clock clock = new Clock();
    final WheelTimer timer = WheelTimer.manual(clock, Clock.TICK, 0);
    int aRuns;
    int cRuns;
    final Timeout a;

    public StaleHandleSlotReuseTest() {
        a = timer.newTimeout(() -> aRuns++, 1, TimeUnit.MILLISECONDS);
        timer.advance();                     // A into the wheel
        clock.now = Clock.TICK;              // A due
    }

    @Actor
    public void cancelA(IIII_Result r) {
        r.r1 = a.cancel() ? 1 : 0;
    }

    @Actor
    public void driver() {
        timer.advance();                     // A expires, or is dropped if cancelled by then
        timer.newTimeout(() -> cRuns++, 5, TimeUnit.MILLISECONDS);
        timer.advance();                     // C into the wheel; A's cancel may land only now
        timer.advance();
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        timer.advance();
        clock.now = 20 * Clock.TICK;
        timer.advance();
        r.r2 = aRuns;
        r.r3 = cRuns;
        r.r4 = (int) timer.pendingTimeouts();
    }
}
