package dev.netkit.reactor.load;

import dev.netkit.reactor.protocols.Protocol;
import dev.netkit.reactor.protocols.PubSubFrames;
import dev.netkit.reactor.protocols.RelayFrames;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The idle-connections mode: open N connections, check each answers, hold them, check again, and report
 * the server's RSS per connection (from {@code /proc/<pid>/status}, before opening and while holding).
 * Thread safety: {@link #run} from any thread; it blocks.
 */
public final class IdleRun {
    private static final byte PING = 42;
    private static final byte[] PING_TOPIC = "idle-ping".getBytes(StandardCharsets.US_ASCII);

    private IdleRun() {
    }

    /**
     * Opens {@code connections} connections, checks each answers, holds them for {@code hold}, checks again,
     * and prints the server's RSS per connection and its projection to 100,000.
     *
     * @param server          the server
     * @param protocol        echo (a one-byte ping is echoed), relay (the hello frame is read, then a frame
     *                        to itself is relayed back) or pubsub (a SUB and an UNSUB of one topic, answered
     *                        by SUBSCRIBED and UNSUBSCRIBED: no subscription is held while idle)
     * @param connections     how many to open; stops early, and says so, when the client runs out of files
     * @param hold            how long to hold them
     * @param serverPid       the server's pid for RSS, or 0
     * @param sourceAddresses spread over 127.0.0.2 .. 127.0.0.(1 + n); 0 binds none
     * @param log             where to print the report
     * @return the number of connections that answered after the hold
     * @throws IOException if not even one connection could be opened
     * @throws InterruptedException if interrupted while holding
     */
    public static int run(InetSocketAddress server, Protocol protocol, int connections, Duration hold, long serverPid,
                          int sourceAddresses, PrintStream log) throws IOException, InterruptedException {
        return run(server, protocol, connections, hold, serverPid, sourceAddresses, Duration.ZERO, Duration.ZERO, log);
    }

    /**
     * {@link #run(InetSocketAddress, Protocol, int, Duration, long, int, PrintStream)}, then (when
     * {@code burst} is positive) a burst: for {@code burst}, every connection in turn sends
     * {@value #BURST_DEPTH} frames of {@value #BURST_BYTES} bytes (relay: to the next connection, which
     * another sub-reactor usually owns; echo: to itself) and then every connection reads what it was sent;
     * then {@code idleAfter} of idle, a ping round, and the server's RSS again, reported beside the idle
     * figure (does the memory a burst used come back?).
     *
     * @param server          the server
     * @param protocol        as for the shorter {@code run}
     * @param connections     how many to open
     * @param hold            how long to hold them before the burst
     * @param serverPid       the server's pid for RSS, or 0
     * @param sourceAddresses spread over 127.0.0.2 .. 127.0.0.(1 + n); 0 binds none
     * @param burst           how long the burst lasts; zero for none (echo or relay only)
     * @param idleAfter       how long the connections stay idle after the burst before the RSS is read
     * @param log             where to print the report
     * @return the number of connections that answered the last ping
     * @throws IOException if not even one connection could be opened
     * @throws InterruptedException if interrupted while holding
     * @throws IllegalArgumentException if a burst is asked of the pub/sub protocol, or a value is out of range
     *                                  (connections below 1, sourceAddresses outside [0, 253], a negative
     *                                  duration)
     */
    public static int run(InetSocketAddress server, Protocol protocol, int connections, Duration hold, long serverPid,
                          int sourceAddresses, Duration burst, Duration idleAfter, PrintStream log)
            throws IOException, InterruptedException {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(hold, "hold");
        Objects.requireNonNull(burst, "burst");
        Objects.requireNonNull(idleAfter, "idleAfter");
        Objects.requireNonNull(log, "log");
        if (protocol == Protocol.FILE) {
            throw new IllegalArgumentException("idle speaks echo, relay and pubsub; for the file protocol use fetch");
        }
        if (!burst.isZero() && protocol == Protocol.PUBSUB) {
            throw new IllegalArgumentException("a burst is for echo or relay connections");
        }
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be >= 1, was " + connections);
        }
        if (sourceAddresses < 0 || sourceAddresses > 253) {
            throw new IllegalArgumentException("sourceAddresses must be in [0, 253], was " + sourceAddresses);
        }
        for (Duration d : new Duration[] {hold, burst, idleAfter}) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("hold, burst and idleAfter must be >= 0, were " + hold + ", " + burst
                        + " and " + idleAfter);
            }
        }
        boolean relay = protocol == Protocol.RELAY;
        long rss0 = serverPid > 0 ? ProcStats.rssBytes(serverPid) : -1;
        List<SocketChannel> open = new ArrayList<>(connections);
        long[] ids = new long[connections];
        String stoppedBy = null;
        for (int i = 0; i < connections; i++) {
            SocketChannel ch = null;
            try {
                ch = SocketChannel.open();
                if (sourceAddresses > 0 && server.getAddress().isLoopbackAddress()) {
                    ch.bind(new InetSocketAddress("127.0.0." + (2 + i % sourceAddresses), 0));
                }
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.connect(server);
                if (relay) {
                    ids[i] = LoadGenerator.readHello(ch);
                }
                open.add(ch);
            } catch (IOException e) {
                if (ch != null) {
                    ch.close();
                }
                stoppedBy = e.getMessage();
                break;
            }
        }
        if (open.isEmpty()) {
            throw new IOException("no connection could be opened: " + stoppedBy);
        }
        int answered0 = ping(open, ids, protocol);
        Thread.sleep(hold.toMillis());
        long rss1 = serverPid > 0 ? ProcStats.rssBytes(serverPid) : -1;
        int answered = ping(open, ids, protocol);
        int n = open.size();
        log.printf(Locale.ROOT, "  %-34s %,d of %,d requested%s%n", "idle connections opened", n, connections,
                stoppedBy == null ? "" : " (stopped: " + stoppedBy + ")");
        log.printf(Locale.ROOT, "  %-34s %,d before the hold, %,d after %d s%n", "answering a ping", answered0, answered,
                hold.toSeconds());
        if (rss0 >= 0 && rss1 >= 0) {
            double per = (rss1 - rss0) / (double) n;
            log.printf(Locale.ROOT, "  %-34s %.1f MiB before, %.1f MiB holding%n", "server RSS", rss0 / 1048576.0,
                    rss1 / 1048576.0);
            log.printf(Locale.ROOT, "  %-34s %.2f KB%n", "server RSS per idle connection", per / 1000);
            log.printf(Locale.ROOT, "  %-34s %.1f MiB%n", "projected RSS at 100,000", (rss0 + per * 100_000) / 1048576.0);
        }
        if (!burst.isZero()) {
            long frames = burst(open, ids, protocol, burst);
            long rssBurst = serverPid > 0 ? ProcStats.rssBytes(serverPid) : -1;
            Thread.sleep(idleAfter.toMillis());
            answered = ping(open, ids, protocol);
            long rss2 = serverPid > 0 ? ProcStats.rssBytes(serverPid) : -1;
            log.printf(Locale.ROOT, "  %-34s %,d frames of %d bytes in %d s, every connection answered: %s%n",
                    "burst", frames, BURST_BYTES, burst.toSeconds(), frames >= 0);
            log.printf(Locale.ROOT, "  %-34s %,d after %d s idle%n", "answering a ping", answered, idleAfter.toSeconds());
            if (rss1 >= 0 && rssBurst >= 0 && rss2 >= 0) {
                log.printf(Locale.ROOT, "  %-34s %.1f MiB at the end of the burst, %.1f MiB after %d s idle%n",
                        "server RSS", rssBurst / 1048576.0, rss2 / 1048576.0, idleAfter.toSeconds());
                log.printf(Locale.ROOT, "  %-34s %.1f%% of the idle figure (%.1f MiB)%n", "RSS after the burst",
                        100.0 * rss2 / rss1, rss1 / 1048576.0);
            }
        }
        for (SocketChannel ch : open) {
            ch.close();
        }
        return answered;
    }

    /** Frames each connection sends per burst round before the round's reads. */
    static final int BURST_DEPTH = 4;
    /** Payload bytes of a burst frame. */
    static final int BURST_BYTES = 512;

    /**
     * Rounds of: every connection writes {@link #BURST_DEPTH} frames (relay: addressed to the next
     * connection; echo: raw bytes), then every connection reads the frames that come to it, until
     * {@code length} has passed. Blocking.
     *
     * @return the frames sent, or -1 if a connection failed or a frame came back wrong
     */
    private static long burst(List<SocketChannel> open, long[] ids, Protocol protocol, Duration length) {
        int n = open.size();
        boolean relay = protocol == Protocol.RELAY;
        int sent = relay ? RelayFrames.CLIENT_HEADER + BURST_BYTES : BURST_BYTES;
        int received = relay ? RelayFrames.SERVER_HEADER + BURST_BYTES : BURST_BYTES;
        ByteBuffer out = ByteBuffer.allocate(sent * BURST_DEPTH);
        ByteBuffer in = ByteBuffer.allocate(received * BURST_DEPTH);
        long frames = 0;
        long end = System.nanoTime() + length.toNanos();
        try {
            while (System.nanoTime() - end < 0) {
                for (int i = 0; i < n; i++) {
                    out.clear();
                    for (int k = 0; k < BURST_DEPTH; k++) {
                        if (relay) {
                            RelayFrames.putClientHeader(out, ids[(i + 1) % n], BURST_BYTES);
                        }
                        for (int j = 0; j < BURST_BYTES; j++) {
                            out.put((byte) (i + k));
                        }
                    }
                    out.flip();
                    while (out.hasRemaining()) {
                        open.get(i).write(out);
                    }
                }
                for (int i = 0; i < n; i++) {
                    in.clear();
                    while (in.hasRemaining()) {
                        if (open.get(i).read(in) < 0) {
                            return -1;
                        }
                    }
                    int from = relay ? (i - 1 + n) % n : i;     // who sent these
                    for (int k = 0; k < BURST_DEPTH; k++) {
                        int at = k * received + (relay ? RelayFrames.SERVER_HEADER : 0);
                        if (in.get(at) != (byte) (from + k) || in.get(at + BURST_BYTES - 1) != (byte) (from + k)) {
                            return -1;
                        }
                    }
                }
                frames += (long) n * BURST_DEPTH;
            }
        } catch (IOException e) {
            return -1;
        }
        return frames;
    }

    /** One round trip on every connection, blocking; returns how many answered correctly. */
    private static int ping(List<SocketChannel> open, long[] ids, Protocol protocol) {
        int ok = 0;
        ByteBuffer b = ByteBuffer.allocate(64);
        for (int i = 0; i < open.size(); i++) {
            SocketChannel ch = open.get(i);
            try {
                b.clear();
                int want = switch (protocol) {
                    case ECHO -> {
                        b.put(PING);
                        yield 1;
                    }
                    case RELAY -> {
                        RelayFrames.putClientHeader(b, ids[i], 1).put(PING);
                        yield RelayFrames.SERVER_HEADER + 1;
                    }
                    case PUBSUB -> {
                        PubSubFrames.putClientFrame(b, PubSubFrames.SUB, PING_TOPIC, null);
                        PubSubFrames.putClientFrame(b, PubSubFrames.UNSUB, PING_TOPIC, null);
                        yield 2 * (PubSubFrames.SERVER_HEADER + PING_TOPIC.length);
                    }
                    case FILE -> throw new IllegalArgumentException("idle speaks echo, relay and pubsub, not file");
                };
                b.flip();
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                b.clear().limit(want);
                while (b.hasRemaining()) {
                    if (ch.read(b) < 0) {
                        break;
                    }
                }
                if (!b.hasRemaining() && answered(b, protocol)) {
                    ok++;
                }
            } catch (IOException e) {
                // counted as not answering
            }
        }
        return ok;
    }

    /** {@return whether the answer in {@code b[0, limit)} is the right one} */
    private static boolean answered(ByteBuffer b, Protocol protocol) {
        return switch (protocol) {
            case ECHO -> b.get(0) == PING;
            case RELAY -> RelayFrames.type(b, 0) == RelayFrames.DATA && RelayFrames.payloadBytes(b, 0) == 1
                    && b.get(RelayFrames.SERVER_HEADER) == PING;
            case PUBSUB -> {
                int second = PubSubFrames.serverFrameBytes(b, 0);
                yield second == PubSubFrames.SERVER_HEADER + PING_TOPIC.length
                        && PubSubFrames.type(b, 0) == PubSubFrames.SUBSCRIBED
                        && PubSubFrames.type(b, second) == PubSubFrames.UNSUBSCRIBED
                        && LoadGenerator.sameTopic(b, 0, PING_TOPIC) && LoadGenerator.sameTopic(b, second, PING_TOPIC);
            }
            case FILE -> false;
        };
    }
}
