package dev.netkit.reactor;

import dev.netkit.reactor.protocols.Protocol;
import dev.netkit.testkit.Await;
import dev.netkit.testkit.Seeds;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Loopback integration tests of the echo server. */
@Timeout(120) // a hang guard, not a timing assertion
class EchoServerTest {

    private static ServerConfig.Builder small() {
        // tiny rings so that every test wraps them many times and reaches the water marks
        return ServerConfig.builder().subReactors(2).inboundRingBytes(1024).outboundRingBytes(2048)
                .waterMarks(256, 1024).maxFrameBytes(512);
    }

    /** Sends {@code total} bytes in random-sized writes and reads them back on another thread. */
    static void echoRoundTrip(TestClient c, long seed, int total) throws Exception {
        Random rnd = new Random(seed);
        byte[] data = new byte[total];
        rnd.nextBytes(data);
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> writer = ex.submit(() -> {
                int off = 0;
                while (off < total) {
                    int n = Math.min(total - off, 1 + rnd.nextInt(3000));
                    c.write(data, off, n);
                    off += n;
                }
                return null;
            });
            byte[] back = c.readFully(total);
            writer.get();
            if (!Arrays.equals(data, back)) {
                int i = Arrays.mismatch(data, back);
                fail("echo differs at byte " + i + " of " + total + " (seed " + seed + ")");
            }
        }
    }

    @Test
    void echoIsExactAcrossRingWrapOnManyConnections() throws Exception {
        long seed = Seeds.seed();
        try (Server s = Seam.echo(small().build());
             ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                long connSeed = seed + i;
                fs.add(ex.submit(() -> {
                    try (TestClient c = new TestClient(s.address())) {
                        echoRoundTrip(c, connSeed, 60_000);
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            assertTrue(s.stats().bytesRead() >= 16 * 60_000L, () -> s.stats().toString());
        }
    }

    @Test
    void slowReaderPausesReadingAndMemoryStaysBounded() throws Exception {
        long seed = Seeds.seed();
        try (Server s = Seam.echo(small().build()); TestClient c = new TestClient(s.address(), 16 << 10)) {
            // more than the server's send buffer (autotuned up to tcp_wmem's 4 MiB) and the client's 16 KiB
            int total = 16 << 20;
            byte[] data = new byte[total];
            new Random(seed).nextBytes(data);
            try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<?> writer = ex.submit(() -> {
                    c.write(data);
                    return null;
                });
                // the client reads nothing: the server must stop reading once its outbound ring passes the
                // high water mark, holding at most the two rings' buffers for this connection
                Await.until(() -> s.stats().readPauses() > 0, () -> "no read pause: " + s.stats());
                assertTrue(s.buffersInUse() <= 2, () -> "buffers in use " + s.buffersInUse());
                byte[] back = c.readFully(total);
                writer.get();
                assertArrayEquals(data, back, "seed " + seed);
            }
            Await.until(() -> s.buffersInUse() == 0, () -> "buffers still in use: " + s.buffersInUse());
        }
    }

    @Test
    void finWithPendingOutputIsFlushedBeforeClose() throws Exception {
        long seed = Seeds.seed();
        try (Server s = Seam.echo(small().halfClose(true).build()); TestClient c = new TestClient(s.address())) {
            int total = 512 << 10;
            byte[] data = new byte[total];
            new Random(seed).nextBytes(data);
            try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<?> writer = ex.submit(() -> {
                    c.write(data);
                    c.ch.shutdownOutput();          // FIN while most of the echo is still pending
                    return null;
                });
                byte[] back = c.readFully(total);
                writer.get();
                assertArrayEquals(data, back, "seed " + seed);
                assertTrue(c.awaitClosed());
            }
            Await.until(() -> s.stats().closed(CloseReason.PEER_CLOSED) == 1, () -> s.stats().toString());
            assertEquals(0, s.connections());
        }
    }

    @Test
    void resetMidWriteClosesOnlyThatConnection() throws Exception {
        try (Server s = Seam.echo(small().build()); TestClient control = new TestClient(s.address())) {
            TestClient victim = new TestClient(s.address(), 16 << 10);
            byte[] chunk = new byte[64 << 10];
            // fill the server's outbound path for the victim (it never reads), then reset
            try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
                ex.submit(() -> {
                    try {
                        for (int i = 0; i < 256; i++) {        // 16 MiB: more than the kernel buffers
                            victim.write(chunk);
                        }
                    } catch (IOException expected) {
                        // the reset below ends the writer
                    }
                    return null;
                });
                Await.until(() -> s.stats().readPauses() > 0, () -> s.stats().toString());
                victim.ch.setOption(StandardSocketOptions.SO_LINGER, 0);
                victim.close();                     // RST with data pending in both directions
            }
            Await.until(() -> s.connections() == 1, () -> "connections " + s.connections() + " " + s.stats());
            assertEquals(1, s.stats().closed(CloseReason.IO_ERROR) + s.stats().closed(CloseReason.PEER_CLOSED));
            echoRoundTrip(control, 7, 10_000);
        }
    }

    @Test
    void idleTimeoutFiresAndActivityDefersIt() throws Exception {
        try (Server s = Seam.echo(small().idleTimeout(Duration.ofMillis(400)).build());
             TestClient quiet = new TestClient(s.address());
             TestClient busy = new TestClient(s.address())) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong busyEchoes = new AtomicLong();
            try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<?> keepAlive = ex.submit(() -> {
                    while (!stop.get()) {
                        busy.write(new byte[] {1});
                        busy.readFully(1);
                        busyEchoes.incrementAndGet();
                        Thread.sleep(10);
                    }
                    return null;
                });
                assertTrue(quiet.awaitClosed(), "the quiet connection was closed");
                Await.until(() -> s.stats().closed(CloseReason.IDLE) == 1, () -> s.stats().toString());
                // the busy connection was opened with the quiet one and is still open: its traffic deferred
                // the timeout. Keep it busy for more echoes, then check it again.
                long seen = busyEchoes.get();
                Await.until(() -> busyEchoes.get() >= seen + 30, () -> "busy echoes " + busyEchoes.get());
                assertEquals(1, s.stats().closed(CloseReason.IDLE), () -> s.stats().toString());
                assertEquals(1, s.connections());
                stop.set(true);
                keepAlive.get();
            }
            assertTrue(busy.awaitClosed(), "the busy connection times out once quiet");
            Await.until(() -> s.stats().closed(CloseReason.IDLE) == 2, () -> s.stats().toString());
        }
    }

    @Test
    void manyConnectionsOpenedAndClosedLeaveNothingBehind() throws Exception {
        try (Server s = Seam.echo(small().build()); ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int base = t;
                fs.add(ex.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        try (TestClient c = new TestClient(s.address())) {
                            byte[] b = {(byte) base, (byte) i, 3, 4};
                            c.write(b);
                            if (i % 3 != 0) {
                                assertArrayEquals(b, c.readFully(4));
                            }                       // else close with the echo possibly still pending
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            // a client's connect and close can both complete while its connection still waits in the
            // listener's backlog: wait for the acceptor to have taken all 800 too
            Await.until(() -> s.stats().accepted() == 800 && s.connections() == 0 && s.matrixSize() == 0
                            && s.buffersInUse() == 0,
                    () -> "connections " + s.connections() + ", matrix " + s.matrixSize() + ", buffers in use "
                            + s.buffersInUse() + ", " + s.stats());
            assertEquals(800, s.stats().closedTotal());
        }
    }

    @Test
    void throwableInHandlerClosesOnlyThatConnection() throws Exception {
        Seam seam = new Seam();
        try (Server s = seam.start(small().build(), Protocol.ECHO);
             TestClient good = new TestClient(s.address());
             TestClient bad = new TestClient(s.address())) {
            seam.beforeData = c -> {
                if (c.in().getByte(0) == (byte) 0xEE) {
                    throw new IllegalStateException("injected handler bug");
                }
            };
            bad.write(new byte[] {(byte) 0xEE});
            assertTrue(bad.awaitClosed());
            Await.until(() -> s.stats().closed(CloseReason.HANDLER_ERROR) == 1, () -> s.stats().toString());
            echoRoundTrip(good, 11, 20_000);
            assertEquals(1, s.connections());
        }
    }

    @Test
    void connectionsBeyondTheCapAreClosed() throws Exception {
        try (Server s = Seam.echo(small().maxConnections(2).build());
             TestClient a = new TestClient(s.address());
             TestClient b = new TestClient(s.address());
             TestClient c = new TestClient(s.address())) {
            assertTrue(c.awaitClosed());
            assertEquals(1, s.stats().closed(CloseReason.MAX_CONNECTIONS));
            assertEquals(3, s.stats().accepted());          // the one closed at once counts as accepted too
            echoRoundTrip(a, 1, 5000);
            echoRoundTrip(b, 2, 5000);
        }
    }

    @Test
    void acceptFailuresBackOffExponentiallyAndRecover() throws Exception {
        // EMFILE leaves the connection in the backlog, so a naive acceptor retries at once, forever; ours
        // sleeps 1, 2, 4 ... 1,000 ms between failures and starts from 1 ms again after a success
        java.util.Queue<Long> delays = new java.util.concurrent.ConcurrentLinkedQueue<>();
        Seam seam = new Seam();
        try (Server s = seam.start(small().build(), Protocol.ECHO);
             TestClient a = new TestClient(s.address())) {
            echoRoundTrip(a, 7, 3000);                  // the acceptor is now blocked in accept()
            seam.backoffObserver = delays::add;
            seam.acceptFailures = 11;              // seen after the next accept returns
            try (TestClient b = new TestClient(s.address())) {
                echoRoundTrip(b, 8, 3000);
                try (TestClient c = new TestClient(s.address())) {  // accepted after the 11 failures
                    echoRoundTrip(c, 9, 3000);
                }
            }
            assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 512L, 1000L), List.copyOf(delays));
            assertEquals(11, s.stats().acceptErrors());
            delays.clear();
            seam.acceptFailures = 2;               // a success in between resets the back-off
            try (TestClient d = new TestClient(s.address());
                 TestClient e = new TestClient(s.address())) {
                echoRoundTrip(e, 10, 3000);
                echoRoundTrip(d, 11, 3000);
            }
            assertEquals(List.of(1L, 2L), List.copyOf(delays));
            assertEquals(13, s.stats().acceptErrors());
        }
    }

    @Test
    void spuriousEmptySelectsRebuildTheSelectorAndKeepConnections() throws Exception {
        // select() returning 0 keys early with no task and no wakeup through the gate, 512 times in a row, is
        // the epoll spin bug; a raw Selector.wakeup() produces exactly that return
        try (Server s = Seam.echo(small().subReactors(1).build());
             TestClient a = new TestClient(s.address())) {
            echoRoundTrip(a, 12, 3000);
            assertEquals(0, s.stats().selectorRebuilds());
            Await.until(() -> {
                for (int i = 0; i < 64; i++) {
                    s.spuriousWakeups();
                    Thread.onSpinWait();
                }
                return s.stats().selectorRebuilds() >= 1;
            }, () -> s.stats().toString());
            echoRoundTrip(a, 13, 50_000);
            try (TestClient b = new TestClient(s.address())) {
                echoRoundTrip(b, 14, 50_000);
            }
        }
    }

    @Test
    void selectorRebuildKeepsConnections() throws Exception {
        try (Server s = Seam.echo(small().build());
             TestClient a = new TestClient(s.address());
             TestClient b = new TestClient(s.address())) {
            echoRoundTrip(a, 3, 5000);
            s.rebuildSelectors();
            Await.until(() -> s.stats().selectorRebuilds() == 2, () -> s.stats().toString());
            echoRoundTrip(a, 4, 50_000);
            echoRoundTrip(b, 5, 50_000);
        }
    }

    @Test
    void gracefulShutdownWritesBackEverythingItRead() throws Exception {
        long seed = Seeds.seed();
        Server s = Seam.echo(small().build());
        int conns = 8;
        AtomicLong received = new AtomicLong();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> readers = new ArrayList<>();
            List<TestClient> clients = new ArrayList<>();
            for (int i = 0; i < conns; i++) {
                TestClient c = new TestClient(s.address());
                clients.add(c);
                Random rnd = new Random(seed + i);
                byte[] data = new byte[4 << 20];
                rnd.nextBytes(data);
                ex.submit(() -> {                   // writes until the server stops reading and closes
                    try {
                        int off = 0;
                        while (off < data.length) {
                            int n = Math.min(data.length - off, 1 + rnd.nextInt(2000));
                            c.write(data, off, n);
                            off += n;
                        }
                    } catch (IOException expected) {
                        // closed by the shutdown
                    }
                    return null;
                });
                readers.add(ex.submit(() -> {       // every echoed byte must match what was sent, in order
                    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8192);
                    long pos = 0;
                    try {
                        int n;
                        while ((n = c.ch.read(buf.clear())) >= 0) {
                            for (int k = 0; k < n; k++) {
                                if (buf.get(k) != data[(int) (pos + k)]) {
                                    throw new AssertionError("mismatch at " + (pos + k) + " (seed " + seed + ")");
                                }
                            }
                            pos += n;
                        }
                    } catch (IOException reset) {
                        // counted below: a reset would lose bytes and fail the equality
                    }
                    received.addAndGet(pos);
                    c.close();                      // the server sent FIN after the last echo: close our side
                    return null;
                }));
            }
            Await.until(() -> s.stats().bytesWritten() > conns * 50_000L, () -> s.stats().toString());
            assertTrue(s.shutdown(Duration.ofSeconds(20)), () -> "unflushed at the deadline: " + s.stats());
            for (Future<?> f : readers) {
                f.get();
            }
            for (TestClient c : clients) {
                c.close();
            }
        }
        // every byte the server read (acknowledged by reading it) came back to its client
        assertEquals(s.stats().bytesRead(), received.get(), () -> s.stats().toString());
        assertEquals(s.stats().bytesRead(), s.stats().bytesWritten());
        assertEquals(conns, s.stats().closed(CloseReason.SHUTDOWN));
        assertEquals(0, s.connections());
    }
}
