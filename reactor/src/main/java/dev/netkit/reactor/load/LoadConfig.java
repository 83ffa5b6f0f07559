package dev.netkit.reactor.load;

import dev.netkit.reactor.protocols.Protocol;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * What a load run does. Immutable; any thread.
 *
 * @param server          the server's address
 * @param protocol        the server's protocol (the server must speak the same)
 * @param connections     connections to open, at least 1 (relay: pairs, so an even count is used; pubsub:
 *                        every connection subscribes, split evenly over the topics)
 * @param messageBytes    bytes per message, at least {@link Message#MIN_BYTES} (the echo, relay or publish
 *                        payload)
 * @param inFlight        closed loop: messages in flight (Q), at least 1: per connection (echo, relay) or
 *                        per publisher (pubsub: a publish is in flight until every subscriber of its topic
 *                        has it)
 * @param rate            open loop: messages per second over all connections (pubsub: publishes per second
 *                        over all publishers); 0 selects the closed loop
 * @param duration        how long to measure, after the warmup
 * @param warmup          how long to run before measuring (results discarded)
 * @param threads         client event-loop threads, at least 1
 * @param sourceAddresses spread client source addresses over 127.0.0.2 .. 127.0.0.(1 + n); 0 binds none
 * @param serverPid       the server's process id for RSS and CPU from /proc, or 0
 * @param stallMillis     a connection with messages in flight and no answer for this long counts as stalled
 * @param progress        print a progress line every second
 * @param topics          pubsub: topics, in [1, connections]; the connections are split evenly over them
 *                        (ignored by echo and relay)
 * @param publishers      pubsub: publishers per topic, in [1, connections / topics]: the first ones of each
 *                        topic's connections publish (ignored by echo and relay)
 */
public record LoadConfig(InetSocketAddress server, Protocol protocol, int connections, int messageBytes, int inFlight,
                         long rate, Duration duration, Duration warmup, int threads, int sourceAddresses,
                         long serverPid, long stallMillis, boolean progress, int topics, int publishers) {
    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the first value out of range
     * @throws NullPointerException     if the server, protocol, duration or warmup is null
     */
    public LoadConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(warmup, "warmup");
        if (protocol == Protocol.FILE) {
            throw new IllegalArgumentException("load speaks echo, relay and pubsub; for the file protocol use fetch");
        }
        check("connections", connections, 1, 1 << 22);
        check("messageBytes", messageBytes, Message.MIN_BYTES, 1 << 20);
        check("inFlight", inFlight, 1, 1 << 16);
        check("threads", threads, 1, 1024);
        check("sourceAddresses", sourceAddresses, 0, 253);
        if (rate < 0) {
            throw new IllegalArgumentException("rate must be >= 0, was " + rate);
        }
        if (protocol == Protocol.PUBSUB) {
            check("topics", topics, 1, connections);
            check("publishers (per topic: at most connections / topics)", publishers, 1, connections / topics);
        }
    }

    /**
     * An echo or relay run (pubsub: one topic, one publisher).
     *
     * @param server          see the record
     * @param protocol        see the record
     * @param connections     see the record
     * @param messageBytes    see the record
     * @param inFlight        see the record
     * @param rate            see the record
     * @param duration        see the record
     * @param warmup          see the record
     * @param threads         see the record
     * @param sourceAddresses see the record
     * @param serverPid       see the record
     * @param stallMillis     see the record
     * @param progress        see the record
     */
    public LoadConfig(InetSocketAddress server, Protocol protocol, int connections, int messageBytes, int inFlight,
                      long rate, Duration duration, Duration warmup, int threads, int sourceAddresses, long serverPid,
                      long stallMillis, boolean progress) {
        this(server, protocol, connections, messageBytes, inFlight, rate, duration, warmup, threads, sourceAddresses,
                serverPid, stallMillis, progress, 1, 1);
    }

    private static void check(String name, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], was " + v);
        }
    }

    /** {@return true for the open loop (fixed rate)} */
    public boolean openLoop() {
        return rate > 0;
    }
}
