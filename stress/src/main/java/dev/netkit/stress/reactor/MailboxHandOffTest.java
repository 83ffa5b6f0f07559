package dev.netkit.stress.reactor;

import dev.netkit.reactor.MailboxHandOff;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * An accepted channel handed to a sub-reactor that dies at that moment is handled exactly once: the
 * acceptor hands a registration off through the loop's mailbox while the loop closes the mailbox and
 * drains it. Either the drain runs it (and rejects the channel) or the acceptor gets it back (and tries
 * another loop, or closes it); never neither (a channel accepted, never registered, never closed) and
 * never both.
 *
 * <p>Outcome: (times the loop ran it, times the acceptor got it back).
 */
@JCStressTest
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the dying loop's drain ran the registration")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the mailbox was closed: the acceptor got it back")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "lost: nobody handles the accepted channel")
@Outcome(id = "1, 1", expect = FORBIDDEN, desc = "handled twice")
@State
public class MailboxHandOffTest {
    private final MailboxHandOff m = new MailboxHandOff();

    @Actor
    public void acceptor() {
        m.acceptor();
    }

    @Actor
    public void dyingLoop() {
        m.dyingLoop();
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r1 = m.ranByLoop();
        r.r2 = m.handedBack();
    }
}
