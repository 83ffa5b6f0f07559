package dev.netkit.bench.ring;

import org.agrona.concurrent.MessageHandler;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The Agrona consumer's message handler and the sum it keeps: the consumer thread's own state. The handler
 * stores into {@link #sink} once per message; kept in the benchmark's group state, that store landed on the
 * cache line whose fields (the ring, the message, the batch size) the producer reads on every call, so
 * each message moved that line between the two cores, a cost a user's handler, which keeps its own state,
 * does not pay. netkit's consumers return their sum instead and store nothing.
 */
@State(Scope.Thread)
public class AgronaReader {
    /** What the handler adds up: the first int of every message. */
    int sink;
    /** Made once: a capturing lambda per call would allocate. */
    final MessageHandler handler = (type, buffer, index, length) -> sink += buffer.getInt(index);

    /** Creates the state; JMH calls it. */
    public AgronaReader() {
    }
}
