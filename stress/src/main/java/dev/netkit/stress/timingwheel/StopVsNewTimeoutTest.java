package dev.netkit.stress.timingwheel;

import dev.netkit.stress.fixtures.Clock;
import dev.netkit.timingwheel.Timeout;
import dev.netkit.timingwheel.WheelTimer;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
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
 * stop() against newTimeout: the new timeout is rejected (RejectedExecutionException), or returned by stop
 * (cancelled), never lost (neither) and never both. A second timeout, pending before the race, is always
 * returned. Manual mode: stop() itself does the final drain on its thread.
 *
 * <p>Outcome: (newTimeout rejected, new timeout in stop's set, stop's set size, pending count at rest).
 */
@JCStressTest
@Outcome(id = "1, 0, 1, 0", expect = ACCEPTABLE, desc = "rejected; stop returned the older one")
@Outcome(id = "0, 1, 2, 0", expect = ACCEPTABLE, desc = "returned by stop, cancelled")
@Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "lost: neither rejected nor returned")
@Outcome(expect = FORBIDDEN, desc = "both, the older one missing, or a wrong count")
@State
public class StopVsNewTimeoutTest {
    final Clock clock = new Clock();
    final WheelTimer timer = WheelTimer.manual(clock, Clock.TICK, 0);
    volatile Timeout added;
    volatile Set<Timeout> returned;

    public StopVsNewTimeoutTest() {
        timer.newTimeout(() -> { }, 1, TimeUnit.HOURS);
        timer.advance();
    }

    @Actor
    public void stopper() {
        returned = timer.stop();
    }

    @Actor
    public void producer(IIII_Result r) {
        try {
            added = timer.newTimeout(() -> { }, 0, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            r.r1 = 1;
        }
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        Timeout t = added;
        r.r2 = t != null && returned.contains(t) && t.isCancelled() ? 1 : 0;
        r.r3 = returned.size();
        r.r4 = (int) timer.pendingTimeouts();
    }
}
