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
 * No lost send wake-up, with the inbox's reclaim off: commit is a plain release store, no CAS. A sender commits a frame to a connection's inbox and then tries to schedule the connection's drain; the owner, whose
 * drain of that connection is already scheduled, unschedules it and then peeks the inbox. The
 * handshake is a Dekker pair (a store, then a load of the other side's location, on each side): either
 * the producer wins the schedule flag (and enqueues another drain) or the owner sees the frame. Both
 * missing would leave the frame in the inbox with nobody to drain it.
 *
 * The inbox exists already.
 *
 * <p>Outcome: (the producer won the flag, the owner saw the frame).
 */
@JCStressTest
@Outcome(id = "true, true", expect = ACCEPTABLE, desc = "the owner saw the frame, and another drain is queued")
@Outcome(id = "true, false", expect = ACCEPTABLE, desc = "the owner peeked before the commit: the producer queued a drain")
@Outcome(id = "false, true", expect = ACCEPTABLE, desc = "the flag was still set: the owner saw the frame")
@Outcome(id = "false, false", expect = FORBIDDEN, desc = "lost wake-up: no drain queued and the owner saw no frame")
@State
public class InboxWakeupReclaimOffTest {
    private final InboxWakeup w = new InboxWakeup(Long.MAX_VALUE, false);

    @Actor
    public void producer(ZZ_Result r) {
        r.r1 = w.produce();
    }

    @Actor
    public void owner(ZZ_Result r) {
        r.r2 = w.drain();
    }
}
