package dev.netkit.reactor.protocols;

import java.util.Arrays;

/**
 * Stress-test access to one pub/sub topic's subscriber set ({@code PubSubHandler.Topic}: a copy-on-write
 * array of connection ids that loops add to and remove from with a CAS loop). It lives in the stress
 * module, in the handler's package so that it can reach the package-private {@code Topic}; it is not part
 * of {@code netkit-reactor}.
 */
public final class TopicAccess {
    private final PubSubHandler.Topic topic = new PubSubHandler.Topic();

    /**
     * @param initial ids subscribed before the actors run
     */
    public TopicAccess(long... initial) {
        for (long id : initial) {
            topic.add(id);
        }
    }

    /** @param id a connection id to subscribe (a SUB on some loop) */
    public void add(long id) {
        topic.add(id);
    }

    /** @param id a connection id to unsubscribe (an UNSUB or a close on some loop) */
    public void remove(long id) {
        topic.remove(id);
    }

    /** @return the subscribers now, sorted, as a string such as "[1, 2]" */
    public String subscribers() {
        long[] s = topic.subscribers.get().clone();
        Arrays.sort(s);
        return Arrays.toString(s);
    }
}
