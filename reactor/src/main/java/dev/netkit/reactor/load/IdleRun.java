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
        for (SocketChannel ch : open) {
            ch.close();
        }
        return answered;
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

    /** @return whether the answer in {@code b[0, limit)} is the right one */
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
        };
    }
}
