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
 * A stale wheel handle cannot cancel the timeout that reused its slot. Timeout A sits in the wheel and is
 * due. One thread cancels A; its cancellation reaches the driver through the queue carrying A's wheel
 * handle. The driver expires what is due (A, unless cancelled: either way A's slot is freed), schedules C
 * and takes it in, so that C reuses A's slot (the free list is LIFO), and advances again, which may apply
 * A's late cancellation with A's now stale handle. The generation in the handle must reject it: C must
 * still run at rest.
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
        timer.advance();                     // frees A's slot (expiry, or its cancellation)
        timer.newTimeout(() -> cRuns++, 5, TimeUnit.MILLISECONDS);
        timer.advance();                     // C into the freed slot; maybe A's late, stale cancellation
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
