package dev.netkit.reactor.cli;

import dev.netkit.reactor.Server;
import dev.netkit.reactor.ServerConfig;
import dev.netkit.reactor.protocols.Protocol;

import jdk.jfr.Category;
import jdk.jfr.Configuration;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import jdk.jfr.Timespan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Profile} on a recording of an in-process echo run, and the profile command's bad input. */
@Timeout(180) // a hang guard, not a timing assertion
class ProfileTest {

    /** A test-only event in the reactor's namespace, to check the generic dev.netkit.* section. */
    @Name("dev.netkit.test.Probe")
    @Label("Probe")
    @Category("netkit test")
    static final class Probe extends Event {
        @Label("Connection id")
        long connectionId;
        @Label("Reason")
        String reason;
        @Label("Age")
        @Timespan(Timespan.NANOSECONDS)
        long age;
    }

    /** A test-only sampled event: a long weight field, as dev.netkit.ConnectionClosed has. */
    @Name("dev.netkit.test.Weighted")
    @Label("Weighted")
    @Category("netkit test")
    static final class Weighted extends Event {
        @Label("Reason")
        String reason;
        @Label("Weight")
        long weight;
    }

    /** The reactor's read path: what the loops run when echo traffic arrives. */
    private static boolean isReadPath(String method) {
        return method.startsWith("dev.netkit.reactor.Connection.") || method.startsWith("dev.netkit.reactor.SubReactor.")
                || method.equals("dev.netkit.ring.ByteRing.readFrom");
    }

    @Test
    void echoRunShowsTheReadPathAndTheProbeEvents(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("echo.jfr");
        try (Recording rec = new Recording(Configuration.getConfiguration("profile"))) {
            rec.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
            for (String event : Server.jfrEventNames()) {
                rec.enable(event);          // as server --jfr does: the profile .jfc leaves them off
            }
            rec.start();
            ServerConfig cfg = ServerConfig.builder().subReactors(2).build();
            try (Server server = Server.start(cfg, Protocol.ECHO.handlers(cfg))) {
                drive(server, 4, 1_500_000_000L, 64L << 20);
            }
            malformedRelayFrame();      // the reactor's own ConnectionClosed event
            emitProbes();
            for (long w : new long[] {64, 64, 1}) {
                Weighted e = new Weighted();
                e.reason = w == 64 ? "sampled" : "fault";
                e.weight = w;
                e.commit();
            }
            System.gc();        // at least one stop-the-world pause for the GC section (a full GC, for G1)
            rec.stop();
            rec.dump(file);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
             PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
            status = Profile.run(file, 10, 3, out, err);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        System.out.println(text);       // for the reader of the test log
        assertEquals(0, status, () -> errBytes.toString(StandardCharsets.UTF_8));

        List<String> byTotal = methods(section(text, "top 10 by total"));
        assertEquals(10, byTotal.size(), text);
        assertTrue(byTotal.stream().anyMatch(ProfileTest::isReadPath),
                () -> "no reactor read-path method among the top 10 by total samples:\n" + text);
        List<String> bySelf = methods(section(text, "top 10 by self"));
        assertEquals(10, bySelf.size(), text);

        assertTrue(text.contains("== allocation: top 10 sites by sampled bytes"), text);
        assertTrue(text.contains("== GC pauses"), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("pauses: [1-9][\\d,]*, p50 .+, p99 .+, max .+, total .+")), text);

        String reactor = text.substring(text.indexOf("== reactor events (dev.netkit.*) =="));
        assertTrue(reactor.contains("dev.netkit.ConnectionClosed: "), reactor);
        assertTrue(reactor.contains("MALFORMED_FRAME"), reactor);
        assertTrue(reactor.lines().anyMatch(l -> l.contains("reason=\"MALFORMED_FRAME\"") && l.contains("127.0.0.1")
                && l.contains("connectionId=") && l.contains("bytesRead=") && l.contains("weight=1")), reactor);
        assertTrue(reactor.contains("dev.netkit.test.Probe: 7"), reactor);
        // a sampled type's breakdown sums its weights (before: it counted events, "sampled 2, fault 1")
        assertTrue(reactor.contains("dev.netkit.test.Weighted: 3 events standing for 129"), reactor);
        assertTrue(reactor.contains("  by reason: sampled 128, fault 1"), reactor);
        assertTrue(reactor.contains("  by reason: alpha 5, beta 2"), reactor);
        assertTrue(reactor.contains("  first 3:"), reactor);
        List<String> firsts = reactor.lines().filter(l -> l.startsWith("    +") && l.contains("emitProbes")).toList();
        assertEquals(3, firsts.size(), reactor);
        // the earliest three, in order, every field
        for (int i = 0; i < 3; i++) {
            String l = firsts.get(i);
            assertTrue(l.contains(" connectionId=" + i + " "), l);
            assertTrue(l.contains(" reason=\"alpha\""), l);
            assertTrue(l.contains(" age=" + (i + 1) + ".000 ms"), l);
            assertTrue(l.contains(" thread=" + Thread.currentThread().getName()), l);
            assertTrue(l.contains(" at=" + ProfileTest.class.getName() + ".emitProbes"), l);
        }
    }

    /** A relay connection that sends a frame shorter than its header: closed MALFORMED_FRAME, recorded. */
    private static void malformedRelayFrame() throws Exception {
        ServerConfig cfg = ServerConfig.builder().subReactors(1).build();
        try (Server server = Server.start(cfg, Protocol.RELAY.handlers(cfg));
             SocketChannel ch = SocketChannel.open(server.address())) {
            ByteBuffer bad = ByteBuffer.allocate(8).putInt(1).putInt(0).flip();
            while (bad.hasRemaining()) {
                ch.write(bad);
            }
            ByteBuffer sink = ByteBuffer.allocate(1024);
            try {
                while (ch.read(sink.clear()) >= 0) {
                    // the hello frame, then the close
                }
            } catch (IOException reset) {
                // closed
            }
            while (server.stats().closed(dev.netkit.reactor.CloseReason.MALFORMED_FRAME) == 0) {
                Thread.sleep(5);
            }
        }
    }

    private static void emitProbes() {
        String[] reasons = {"alpha", "alpha", "alpha", "alpha", "alpha", "beta", "beta"};
        for (int i = 0; i < reasons.length; i++) {
            Probe p = new Probe();
            p.connectionId = i;
            p.reason = reasons[i];
            p.age = (i + 1) * 1_000_000L;
            p.commit();
        }
    }

    /**
     * Echo traffic from {@code clients} blocking clients (platform threads, each writing 64 KiB and reading
     * it back) for at least {@code minNanos} and {@code minBytes} echoed: enough CPU samples of the loops.
     */
    static void drive(Server server, int clients, long minNanos, long minBytes) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        try (ExecutorService ex = Executors.newFixedThreadPool(clients)) {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int seed = i;
                fs.add(ex.submit(() -> {
                    echoUntil(server.address(), seed, stop);
                    return null;
                }));
            }
            long start = System.nanoTime();
            while (System.nanoTime() - start < minNanos || server.stats().bytesWritten() < minBytes) {
                Thread.sleep(10);
                for (Future<?> f : fs) {
                    if (f.isDone()) {
                        f.get();    // a client failed: say why
                    }
                }
            }
            stop.set(true);
            for (Future<?> f : fs) {
                f.get();
            }
        }
    }

    private static void echoUntil(InetSocketAddress address, int seed, AtomicBoolean stop) throws IOException {
        byte[] data = new byte[64 << 10];
        Arrays.fill(data, (byte) seed);
        ByteBuffer back = ByteBuffer.allocate(data.length);
        try (SocketChannel ch = SocketChannel.open(address)) {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            while (!stop.get()) {
                ByteBuffer w = ByteBuffer.wrap(data);
                while (w.hasRemaining()) {
                    ch.write(w);
                }
                back.clear();
                while (back.hasRemaining()) {
                    if (ch.read(back) < 0) {
                        throw new IOException("the server closed the connection");
                    }
                }
                if (!Arrays.equals(data, back.array())) {
                    throw new AssertionError("echo differs");
                }
            }
        }
    }

    /** The lines of the table after the line starting with {@code title}, up to the next non-row line. */
    private static List<String> section(String text, String title) {
        List<String> lines = text.lines().toList();
        int i = 0;
        while (i < lines.size() && !lines.get(i).startsWith(title)) {
            i++;
        }
        assertTrue(i < lines.size(), () -> "no \"" + title + "\" in:\n" + text);
        List<String> rows = new ArrayList<>();
        for (int j = i + 2; j < lines.size() && lines.get(j).matches("\\s*[\\d,]+ .*"); j++) {    // past the header
            rows.add(lines.get(j));
        }
        return rows;
    }

    /** The method column: the last word of each row. */
    private static List<String> methods(List<String> rows) {
        return rows.stream().map(r -> r.substring(r.lastIndexOf(' ') + 1)).toList();
    }

    @Test
    void badInputExitsWithStatus2(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("text.jfr"), "this is not a flight recording\n");
        Path empty = Files.createFile(dir.resolve("empty.jfr"));
        Path missing = dir.resolve("missing.jfr");
        // a real recording cut in half
        Path whole = dir.resolve("whole.jfr");
        try (Recording rec = new Recording()) {
            rec.enable(Probe.class);
            rec.start();
            emitProbes();
            rec.stop();
            rec.dump(whole);
        }
        byte[] all = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.jfr"), Arrays.copyOf(all, all.length / 2));
        for (Path p : List.of(text, empty, missing, cut, dir)) {
            assertEquals(2, new CommandLine(new Main()).execute("profile", p.toString()), p::toString);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int status;
            try (PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
                 PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8)) {
                status = Profile.run(p, 10, 3, o, e);
            }
            String line = err.toString(StandardCharsets.UTF_8);
            assertEquals(2, status, line);
            assertEquals(1, line.lines().count(), line);
            assertTrue(line.startsWith("netkit profile: " + p + ": "), line);
            assertEquals("", out.toString(StandardCharsets.UTF_8));
        }
        // and the whole one reads
        assertEquals(0, new CommandLine(new Main()).execute("profile", "--top", "3", whole.toString()));
    }
}
