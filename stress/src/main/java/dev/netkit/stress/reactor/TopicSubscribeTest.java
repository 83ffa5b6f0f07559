package dev.netkit.stress.reactor;

import dev.netkit.reactor.protocols.TopicAccess;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Pub/sub: two loops change one topic's subscribers at once: one subscribes connection 2, the other
 * unsubscribes connection 1 (subscribed before). The copy-on-write array is replaced by CAS, so neither
 * change may be lost: afterwards exactly connection 2 is subscribed. A plain store of the copy would lose
 * one of the two ("[1, 2]": the removal lost; "[]": the subscription lost).
 *
 * <p>Outcome: the subscribers afterwards.
 */
@JCStressTest
@Outcome(id = "[2]", expect = ACCEPTABLE, desc = "both changes kept")
@Outcome(id = ".*", expect = FORBIDDEN, desc = "a change was lost")
@State
public class TopicSubscribeTest {
    private final TopicAccess topic = new TopicAccess(1);

    @Actor
    public void subscribe() {
        topic.add(2);
    }

    @Actor
    public void unsubscribe() {
        topic.remove(1);
    }

    @Arbiter
    public void after(L_Result r) {
        r.r1 = topic.subscribers();
    }
}
