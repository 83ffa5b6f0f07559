package dev.netkit.stress.reactor;

import dev.netkit.reactor.InboxWakeup;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZI_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two first sends to a connection that has no inbox yet: each allocates one and tries to install it; one
 * install wins, and the loser must send into the winner's inbox, not its own. Afterwards the connection's
 * inbox holds both frames. With a plain store instead of the compareAndExchange, the loser's frame would
 * go to an inbox that nobody drains (1 frame), or, if its store came last, the winner's frame would.
 *
 * <p>Outcome: (producer 1 won the schedule flag, producer 2 won it, frames in the inbox). The
 * connection starts scheduled, so neither should win the flag; both frames must be there.
 */
@JCStressTest
@Outcome(id = "false, false, 2", expect = ACCEPTABLE, desc = "one inbox, both frames in it")
@Outcome(id = ".*, .*, [01]", expect = FORBIDDEN, desc = "a frame went to an inbox the connection does not have")
@Outcome(id = "true, .*, 2", expect = FORBIDDEN, desc = "the schedule flag was lost")
@Outcome(id = ".*, true, 2", expect = FORBIDDEN, desc = "the schedule flag was lost")
@State
public class InboxInstallTest {
    private final InboxWakeup w = new InboxWakeup(1_000_000_000L, true);

    @Actor
    public void producer1(ZZI_Result r) {
        r.r1 = w.produce();
    }

    @Actor
    public void producer2(ZZI_Result r) {
        r.r2 = w.produce2();
    }

    @Arbiter
    public void after(ZZI_Result r) {
        r.r3 = w.frames();
    }
}
