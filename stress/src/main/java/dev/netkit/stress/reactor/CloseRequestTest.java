package dev.netkit.stress.reactor;

import dev.netkit.reactor.InboxWakeup;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two senders on other threads find a target's inbox full at once: exactly one of them queues the
 * overflow close task ({@code Connection.requestClose}'s CAS). Neither would leave the target open with a
 * full inbox; both would queue a task per failed send, the flood the flag is there to stop.
 *
 * <p>Outcome: (sender 1 queues it, sender 2 queues it).
 */
@JCStressTest
@Outcome(id = {"true, false", "false, true"}, expect = ACCEPTABLE, desc = "one close task")
@Outcome(id = "true, true", expect = FORBIDDEN, desc = "two close tasks")
@Outcome(id = "false, false", expect = FORBIDDEN, desc = "no close task: the target stays open, full")
@State
public class CloseRequestTest {
    private final InboxWakeup w = new InboxWakeup(Long.MAX_VALUE, false);

    @Actor
    public void sender1(ZZ_Result r) {
        r.r1 = w.requestClose();
    }

    @Actor
    public void sender2(ZZ_Result r) {
        r.r2 = w.requestClose();
    }
}
