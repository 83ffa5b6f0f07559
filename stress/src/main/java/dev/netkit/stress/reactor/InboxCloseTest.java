package dev.netkit.stress.reactor;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.netkit.reactor.InboxWakeup;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * A first send racing the target's close. The connection has no inbox yet. The sender installs one (or
 * finds the closed placeholder the owner installed) and offers a frame; the owner closes the connection,
 * which closes the inbox or installs the placeholder. Whatever the order, the inbox that remains is closed
 * and, once the sender is out of its claim, holds no chunk: a send that lost the race can never leave an
 * open queue (with a chunk from the pool) on a connection nobody drains. Outcome: (offer answer: 0
 * committed, 3 closed; close gave everything back at once: 1, or had to wait for the sender: 0; the
 * inbox afterwards: 1 closed and empty, 0 open, 2 closed but holding chunks, -1 none).
 */
@JCStressTest
@Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "sent first; the close dropped the frame and gave its chunk back")
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "the close came while the sender was inside its claim; a retry gave the chunk back")
@Outcome(id = "3, 1, 1", expect = ACCEPTABLE, desc = "closed first: the send was refused")
@Outcome(expect = FORBIDDEN, desc = "an open inbox, chunks left behind, or a refused send with nothing closed")
@State
public class InboxCloseTest {
    final InboxWakeup inbox = new InboxWakeup(Long.MAX_VALUE, true);

    @Actor
    public void sender(III_Result r) {
        r.r1 = inbox.offer();
    }

    @Actor
    public void owner(III_Result r) {
        r.r2 = inbox.closeInbox() ? 1 : 0;
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r3 = inbox.closedState();
    }
}
