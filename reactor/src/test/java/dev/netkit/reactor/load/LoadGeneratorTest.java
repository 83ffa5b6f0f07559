package dev.netkit.reactor.load;

import dev.netkit.reactor.CloseReason;
import dev.netkit.reactor.Conn;
import dev.netkit.reactor.ForwardingHandler;
import dev.netkit.reactor.Handler;
import dev.netkit.reactor.SendResult;
import dev.netkit.reactor.Server;
import dev.netkit.reactor.ServerConfig;
import dev.netkit.reactor.protocols.Protocol;
import dev.netkit.ring.ByteRing;
import dev.netkit.ring.Segments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Short in-process load runs: the generator works against the server and its integrity check bites. */
@Timeout(120) // a hang guard, not a timing assertion
class LoadGeneratorTest {

    private static LoadConfig cfg(Server s, Protocol protocol, int conns, long rate) {
        return new LoadConfig(s.address(), protocol, conns, 64, 2, rate, Duration.ofSeconds(1), Duration.ZERO, 2, 4,
                ProcessHandle.current().pid(), 1000, true);
    }

    private static LoadConfig pubsub(Server s, int conns, int topics, int publishers, long rate, Duration duration) {
        return new LoadConfig(s.address(), Protocol.PUBSUB, conns, 64, 2, rate, duration, Duration.ZERO, 2, 4,
                ProcessHandle.current().pid(), 1000, true, topics, publishers);
    }

    private static Server start(Protocol p) throws Exception {
        ServerConfig cfg = ServerConfig.builder().subReactors(2).build();
        return Server.start(cfg, p.handlers(cfg));
    }

    @Test
    void closedLoopEchoCountsEveryMessageAndFindsNoMismatch() throws Exception {
        try (Server s = start(Protocol.ECHO)) {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            LoadResult r = LoadGenerator.run(cfg(s, Protocol.ECHO, 20, 0), new PrintStream(log, true));
            assertTrue(r.messages() > 0, r::toTable);
            assertEquals(0, r.mismatches(), r::toTable);
            assertEquals(0, r.errors(), r::toTable);
            assertTrue(r.p50() <= r.p99() && r.p99() <= r.max(), r::toTable);
            assertTrue(log.toString().contains("msg/s"), "a progress line per second");
            assertTrue(r.toJson().startsWith("{\"protocol\":\"echo\""));
            assertFalse(r.toJson().contains("deliveriesPerSecond"), r::toJson);
            assertEquals(LoadResult.csvHeader(), LoadResult.csvHeader(Protocol.ECHO));
            assertEquals(LoadResult.csvHeader().split(",").length, r.toCsvRow().split(",").length);
            // the server is this JVM: its GC pauses are read from its own performance-data file
            assertTrue(r.gcPauses() >= 0, r::toTable);
            assertTrue(r.gcPauseTotalMs() >= r.gcPauseMaxMs() && r.gcPauseMaxMs() >= 0, r::toTable);
            assertTrue(r.toTable().contains("server GC pauses"), r::toTable);
            assertTrue(r.toJson().contains("\"gcPauses\":" + r.gcPauses() + ","), r::toJson);
            int col = java.util.List.of(LoadResult.csvHeader().split(",")).indexOf("gcPauses");
            assertEquals(Long.toString(r.gcPauses()), r.toCsvRow().split(",")[col], r::toCsvRow);
        }
    }

    @Test
    void openLoopRelayDeliversAcrossSubReactors() throws Exception {
        try (Server s = start(Protocol.RELAY)) {
            LoadResult r = LoadGenerator.run(cfg(s, Protocol.RELAY, 8, 2000), null);
            assertTrue(r.messages() > 0, r::toTable);
            assertEquals(0, r.mismatches(), r::toTable);
            assertTrue(r.crossFraction() > 0 && r.crossFraction() < 1, r::toTable);
            assertTrue(s.stats().sentCross() > 0 && s.stats().sent() > s.stats().sentCross(),
                    () -> s.stats().toString());
        }
    }

    @Test
    void closedLoopPubSubDeliversEveryMessageToEverySubscriber() throws Exception {
        try (Server s = start(Protocol.PUBSUB)) {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            LoadResult r = LoadGenerator.run(pubsub(s, 40, 2, 2, 0, Duration.ofSeconds(2)), new PrintStream(log, true));
            assertTrue(r.messages() > 0 && r.publishes() > 0, r::toTable);
            assertEquals(0, r.mismatches(), r::toTable);
            assertEquals(0, r.lost(), r::toTable);
            assertEquals(0, r.errors(), r::toTable);
            assertEquals(20.0, r.fanOut(), r::toTable);
            assertEquals(2, r.topics(), r::toTable);
            assertEquals(2, r.publishers(), r::toTable);
            // in the measured window, deliveries = publishes x fan-out up to the messages in flight at either
            // edge (4 publishers x Q 2 x 20 subscribers each); the end check (lost == 0) made it exact
            long slack = 2L * 4 * 2 * 20;
            assertTrue(Math.abs(r.messages() - r.publishes() * 20) <= slack, r::toTable);
            assertEquals(r.msgsPerSecond(), r.deliveriesPerSecond(), 1e-9);
            assertTrue(r.crossFraction() > 0 && r.crossFraction() < 1, r::toTable);
            assertTrue(r.p50() <= r.p99() && r.p99() <= r.max(), r::toTable);
            assertTrue(log.toString().contains("deliveries/s"), log::toString);
            assertTrue(r.toTable().contains("deliveries/s") && r.toTable().contains("publishes/s"), r::toTable);
            assertTrue(r.toJson().startsWith("{\"protocol\":\"pubsub\"") && r.toJson().contains("\"fanOut\":20.0000"),
                    r::toJson);
            assertEquals(LoadResult.csvHeader(Protocol.PUBSUB).split(",").length, r.toCsvRow().split(",").length);
            // pubsub's columns follow the common ones; the GC pause columns come last in both headers
            String gc = ",gcPauses,gcPauseMaxMs,gcPauseTotalMs";
            String echo = LoadResult.csvHeader();
            assertTrue(echo.endsWith(gc) && LoadResult.csvHeader(Protocol.PUBSUB).endsWith(gc), echo);
            assertTrue(LoadResult.csvHeader(Protocol.PUBSUB).startsWith(echo.substring(0, echo.length() - gc.length())
                    + ",topics,"), () -> LoadResult.csvHeader(Protocol.PUBSUB));
            assertTrue(s.stats().sentCross() > 0, () -> s.stats().toString());
        }
    }

    @Test
    void openLoopPubSubPublishesAtTheRate() throws Exception {
        try (Server s = start(Protocol.PUBSUB)) {
            LoadResult r = LoadGenerator.run(pubsub(s, 11, 2, 2, 1000, Duration.ofSeconds(1)), null);
            assertEquals(0, r.mismatches(), r::toTable);
            assertEquals(0, r.lost(), r::toTable);
            assertEquals(5.5, r.fanOut(), r::toTable);        // topics of 6 and 5 subscribers
            assertTrue(r.publishesPerSecond() > 500 && r.publishesPerSecond() < 1500, r::toTable);
            assertTrue(r.messages() > 0, r::toTable);
        }
    }

    @Test
    void pubSubIntegrityCheckCatchesDroppedMessages() throws Exception {
        ServerConfig cfg = ServerConfig.builder().subReactors(2).build();
        Supplier<Handler> real = Protocol.PUBSUB.handlers(cfg);
        AtomicLong sends = new AtomicLong();
        try (Server s = Server.start(cfg, () -> new DroppingHandler(real.get(), sends))) {
            LoadResult r = LoadGenerator.run(pubsub(s, 40, 2, 2, 0, Duration.ofSeconds(1)), null);
            assertTrue(sends.get() >= 100, "the handler dropped at least one message");
            assertTrue(r.lost() > 0, r::toTable);
            assertTrue(r.mismatches() >= r.lost(), r::toTable);
        }
    }

    @Test
    void messageChecksumDetectsACorruptByte() {
        Message m = new Message(64);
        ByteBuffer b = ByteBuffer.allocate(64);
        m.write(b, 42, 1234);
        assertTrue(m.verify(b, 0));
        for (int i = 0; i < 64; i++) {
            b.put(i, (byte) (b.get(i) ^ 1));
            assertFalse(m.verify(b, 0), "flipped bit at byte " + i);
            b.put(i, (byte) (b.get(i) ^ 1));
        }
    }

    @Test
    void idleModeHoldsConnectionsThatStillAnswer() throws Exception {
        for (Protocol p : new Protocol[] {Protocol.ECHO, Protocol.RELAY, Protocol.PUBSUB}) {   // idle: not file
            try (Server s = start(p)) {
                ByteArrayOutputStream log = new ByteArrayOutputStream();
                int answered = IdleRun.run(s.address(), p, 50, Duration.ZERO, ProcessHandle.current().pid(), 4,
                        new PrintStream(log, true));
                assertEquals(50, answered, () -> p + ": " + log);
                assertTrue(log.toString().contains("RSS per idle connection"), log::toString);
            }
        }
    }

    /** The pub/sub handler, except that every 100th message it fans out (over the server) is not sent. */
    private static final class DroppingHandler extends ForwardingHandler {
        private final DroppingConn view;

        DroppingHandler(Handler inner, AtomicLong sends) {
            super(inner);
            this.view = new DroppingConn(sends);
        }

        @Override
        public void onData(Conn conn) {
            view.conn = conn;
            inner.onData(view);
        }
    }

    /** A view of a connection whose every 100th send is dropped (and reported as sent). */
    private static final class DroppingConn implements Conn {
        private final AtomicLong sends;
        Conn conn;

        DroppingConn(AtomicLong sends) {
            this.sends = sends;
        }

        @Override
        public SendResult send(long targetId, ByteBuffer frame) {
            return sends.incrementAndGet() % 100 == 0 ? SendResult.SENT : conn.send(targetId, frame);
        }

        @Override
        public SendResult send(long targetId, ByteBuffer[] parts, int count) {
            return sends.incrementAndGet() % 100 == 0 ? SendResult.SENT : conn.send(targetId, parts, count);
        }

        @Override
        public long id() {
            return conn.id();
        }

        @Override
        public ByteRing in() {
            return conn.in();
        }

        @Override
        public boolean write(ByteBuffer src) {
            return conn.write(src);
        }

        @Override
        public boolean write(ByteBuffer... srcs) {
            return conn.write(srcs);
        }

        @Override
        public boolean write(Segments segments) {
            return conn.write(segments);
        }

        @Override
        public boolean sendFile(java.nio.channels.FileChannel file, long position, long count,
                                dev.netkit.reactor.FileSendListener listener) {
            return false;
        }

        @Override
        public long pendingOutputBytes() {
            return 0;
        }

        @Override
        public int writableBytes() {
            return conn.writableBytes();
        }

        @Override
        public boolean isWritable() {
            return conn.isWritable();
        }

        @Override
        public void setMaxIdle(Duration maxIdle) {
            conn.setMaxIdle(maxIdle);
        }

        @Override
        public Object attachment() {
            return conn.attachment();
        }

        @Override
        public Object attach(Object attachment) {
            return conn.attach(attachment);
        }

        @Override
        public void close() {
            conn.close();
        }

        @Override
        public void abort(CloseReason reason) {
            conn.abort(reason);
        }

        @Override
        public boolean isOpen() {
            return conn.isOpen();
        }
    }
}
