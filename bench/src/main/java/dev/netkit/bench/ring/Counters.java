package dev.netkit.bench.ring;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-thread counters of messages moved, reported by JMH as ops/s beside the benchmark's own score: read
 * {@code received} (messages the consumer took, per second) for throughput, and {@code sent} for the producer
 * side. The primary score counts calls, successful or not, and is not comparable between peers.
 */
@AuxCounters(AuxCounters.Type.OPERATIONS)
@State(Scope.Thread)
public class Counters {
    /** Messages a producer thread put in. */
    public long sent;
    /** Messages the consumer thread took out. */
    public long received;

    @Setup(Level.Iteration)
    public void clear() {
        sent = 0;
        received = 0;
    }
}
