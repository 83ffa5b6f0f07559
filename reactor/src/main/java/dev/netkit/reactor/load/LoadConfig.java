package dev.netkit.reactor.load;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * What a load run does. Immutable; any thread.
 *
 * @param server          the server's address
 * @param protocol        {@code echo} or {@code relay} (the server must speak the same)
 * @param connections     connections to open, at least 1 (relay: pairs, so an even count is used)
 * @param messageBytes    bytes per message, at least {@link Message#MIN_BYTES} (echo and relay payload)
 * @param inFlight        closed loop: messages in flight per connection (Q), at least 1
 * @param rate            open loop: messages per second over all connections; 0 selects the closed loop
 * @param duration        how long to measure, after the warmup
 * @param warmup          how long to run before measuring (results discarded)
 * @param threads         client event-loop threads, at least 1
 * @param sourceAddresses spread client source addresses over 127.0.0.2 .. 127.0.0.(1 + n); 0 binds none
 * @param serverPid       the server's process id for RSS and CPU from /proc, or 0
 * @param stallMillis     a connection with messages in flight and no answer for this long counts as stalled
 * @param progress        print a progress line every second
 */
public record LoadConfig(InetSocketAddress server, String protocol, int connections, int messageBytes, int inFlight,
                         long rate, Duration duration, Duration warmup, int threads, int sourceAddresses,
                         long serverPid, long stallMillis, boolean progress) {
    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the first value out of range
     */
    public LoadConfig {
        if (!protocol.equals("echo") && !protocol.equals("relay")) {
            throw new IllegalArgumentException("protocol must be echo or relay, was " + protocol);
        }
        check("connections", connections, 1, 1 << 22);
        check("messageBytes", messageBytes, Message.MIN_BYTES, 1 << 20);
        check("inFlight", inFlight, 1, 1 << 16);
        check("threads", threads, 1, 1024);
        check("sourceAddresses", sourceAddresses, 0, 253);
        if (rate < 0) {
            throw new IllegalArgumentException("rate must be >= 0, was " + rate);
        }
    }

    private static void check(String name, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], was " + v);
        }
    }

    /** @return true for the open loop (fixed rate) */
    public boolean openLoop() {
        return rate > 0;
    }
}
