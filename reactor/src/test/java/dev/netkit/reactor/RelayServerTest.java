package dev.netkit.reactor;

import dev.netkit.reactor.protocols.RelayFrames;

import dev.netkit.connmatrix.ConnMatrix;
import dev.netkit.testkit.Await;
import dev.netkit.testkit.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loopback integration tests of the relay server. */
@Timeout(120) // a hang guard, not a timing assertion
class RelayServerTest {

    private static ServerConfig.Builder relay() {
        return ServerConfig.builder().subReactors(2).inboundRingBytes(4096)
                .outboundRingBytes(4096).inboxBytes(4096).maxFrameBytes(1024);
    }

    /** A client with its id from the hello frame. */
    static final class Peer implements AutoCloseable {
        final TestClient c;
        final long id;

        Peer(Server s) throws Exception {
            c = new TestClient(s.address());
            TestClient.Frame hello = c.readFrame();
            assertEquals(RelayFrames.HELLO, hello.type());
            id = hello.id();
        }

        @Override
        public void close() throws java.io.IOException {
            c.close();
        }
    }

    @Test
    void framesReachTheirTargetOnTheSameAndOnAnotherSubReactor() throws Exception {
        long seed = Seeds.seed();
        Random rnd = new Random(seed);
        // inboxes large enough to hold the whole burst even if a reader thread lags: the cap is tested below
        try (Server s = Seam.relay(relay().outboundRingBytes(64 << 10).inboxBytes(256 << 10).build())) {
            List<Peer> peers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                peers.add(new Peer(s));
            }
            // round robin over two sub-reactors: 0 and 2 share one, 0 and 1 do not
            Peer a = peers.get(0), same = peers.get(2), other = peers.get(1);
            assertEquals(ConnMatrix.shardOf(a.id), ConnMatrix.shardOf(same.id));
            assertNotEquals(ConnMatrix.shardOf(a.id), ConnMatrix.shardOf(other.id));
            try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
                int frames = 300;
                byte[][] payloads = new byte[frames][];
                for (int i = 0; i < frames; i++) {
                    payloads[i] = new byte[rnd.nextInt(1000)];
                    rnd.nextBytes(payloads[i]);
                }
                Future<?> r1 = ex.submit(() -> expectFrames(same, a.id, payloads, seed));
                Future<?> r2 = ex.submit(() -> expectFrames(other, a.id, payloads, seed));
                for (byte[] p : payloads) {
                    a.c.sendFrame(same.id, p);
                    a.c.sendFrame(other.id, p);
                }
                r1.get();
                r2.get();
            }
            assertEquals(600, s.stats().sent());
            assertEquals(300, s.stats().sentCross());
            for (Peer p : peers) {
                p.close();
            }
        }
    }

    private static Void expectFrames(Peer to, long from, byte[][] payloads, long seed) throws Exception {
        for (int i = 0; i < payloads.length; i++) {
            TestClient.Frame f = to.c.readFrame();
            assertEquals(RelayFrames.DATA, f.type());
            assertEquals(from, f.id());
            assertArrayEquals(payloads[i], f.payload(), "frame " + i + " seed " + seed);
        }
        return null;
    }

    @Test
    void unknownAndStaleTargetsAreAnsweredWithAnErrorFrame() throws Exception {
        try (Server s = Seam.relay(relay().build()); Peer a = new Peer(s)) {
            Peer gone = new Peer(s);
            long staleId = gone.id;
            gone.close();
            Await.until(() -> s.connections() == 1, () -> "connections " + s.connections());
            a.c.sendFrame(staleId, new byte[] {1, 2, 3});
            TestClient.Frame e1 = a.c.readFrame();
            assertEquals(RelayFrames.ERROR, e1.type());
            assertEquals(staleId, e1.id());
            long unknown = 0x7777_0000_0000_0001L;
            a.c.sendFrame(unknown, new byte[0]);
            TestClient.Frame e2 = a.c.readFrame();
            assertEquals(RelayFrames.ERROR, e2.type());
            assertEquals(unknown, e2.id());
            assertEquals(2, s.stats().sendsNoTarget());
            // and the connection still works: a frame to itself comes back
            a.c.sendFrame(a.id, new byte[] {9});
            TestClient.Frame d = a.c.readFrame();
            assertEquals(RelayFrames.DATA, d.type());
            assertArrayEquals(new byte[] {9}, d.payload());
        }
    }

    @Test
    void malformedFramesCloseOnlyTheirConnection() throws Exception {
        try (Server s = Seam.relay(relay().build()); Peer good = new Peer(s)) {
            try (Peer negative = new Peer(s)) {
                negative.c.write(ByteBuffer.allocate(12).putInt(-1).putLong(good.id).array());
                assertTrue(negative.c.awaitClosed());
            }
            try (Peer tooShort = new Peer(s)) {
                tooShort.c.write(ByteBuffer.allocate(12).putInt(7).putLong(good.id).array());
                assertTrue(tooShort.c.awaitClosed());
            }
            try (Peer oversized = new Peer(s)) {
                oversized.c.write(ByteBuffer.allocate(12).putInt(1025).putLong(good.id).array());
                assertTrue(oversized.c.awaitClosed());
            }
            try (Peer truncated = new Peer(s)) {
                truncated.c.write(new byte[] {0, 0, 0});     // half a header, then FIN
                truncated.c.ch.shutdownOutput();
                assertTrue(truncated.c.awaitClosed());
            }
            Await.until(() -> s.stats().closed(CloseReason.MALFORMED_FRAME) == 4, () -> s.stats().toString());
            good.c.sendFrame(good.id, new byte[] {5, 6});
            assertArrayEquals(new byte[] {5, 6}, good.c.readFrame().payload());
            assertEquals(1, s.connections());
        }
    }

    @Test
    void aTargetThatNeverReadsIsClosedByItsOutboundCap() throws Exception {
        try (Server s = Seam.relay(relay().build()); Peer sender = new Peer(s); Peer sink = new Peer(s)) {
            byte[] payload = new byte[1000];
            try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
                // the sender reads its replies (error frames once the sink is gone) so that it never blocks
                ex.submit(() -> {
                    try {
                        while (true) {
                            sender.c.readFrame();
                        }
                    } catch (Exception closed) {
                        return null;
                    }
                });
                while (s.stats().closed(CloseReason.OUTBOUND_CAP) == 0) {
                    sender.c.sendFrame(sink.id, payload);
                }
                assertEquals(1, s.stats().closed(CloseReason.OUTBOUND_CAP));
                Await.until(() -> s.connections() == 1, () -> "connections " + s.connections());
                assertTrue(sink.c.awaitClosed());
                sender.c.close();                   // ends the reader
            }
            Await.until(() -> s.buffersInUse() == 0, () -> "buffers in use " + s.buffersInUse());
        }
    }

    @Test
    void gracefulShutdownDeliversEveryRelayedFrame() throws Exception {
        Server s = Seam.relay(relay().outboundRingBytes(64 << 10).inboxBytes(256 << 10).build());
        int n = 6;
        // each target has one sender, which keeps at most 1,000 frames (213 KB) ahead of what the target
        // read: less than the inbox (256 KiB), so no target is closed for its outbound cap however the
        // readers are scheduled (a cap close would lose frames, which is the cap's documented answer)
        java.util.concurrent.atomic.AtomicLongArray readBy = new java.util.concurrent.atomic.AtomicLongArray(n);
        java.util.concurrent.atomic.AtomicIntegerArray ended = new java.util.concurrent.atomic.AtomicIntegerArray(n);
        List<Peer> peers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            peers.add(new Peer(s));
        }
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> readers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Peer me = peers.get(i);
                int mine = i;
                int target = (i + 1) % n;
                Peer to = peers.get(target);            // a ring of senders: same and other sub-reactors
                ex.submit(() -> {
                    byte[] payload = new byte[200];
                    try {
                        for (int k = 0; k < 20_000; k++) {
                            while (k - readBy.get(target) > 1_000 && ended.get(target) == 0) {
                                Thread.sleep(1);
                            }
                            me.c.sendFrame(to.id, payload);
                        }
                    } catch (java.io.IOException closed) {
                        // the shutdown closed us
                    }
                    return null;
                });
                readers.add(ex.submit(() -> {
                    try {
                        while (true) {
                            TestClient.Frame f = me.c.readFrame();
                            assertEquals(RelayFrames.DATA, f.type());
                            readBy.incrementAndGet(mine);
                        }
                    } catch (java.io.IOException endOfStream) {
                        ended.set(mine, 1);
                        me.c.close();
                    }
                    return null;
                }));
            }
            Await.until(() -> s.stats().sent() > 2000, () -> s.stats().toString());
            assertTrue(s.shutdown(java.time.Duration.ofSeconds(20)), () -> "unflushed: " + s.stats());
            for (Future<?> f : readers) {
                f.get();
            }
        }
        // every frame the server accepted into an inbox reached its target before the close
        long received = 0;
        for (int i = 0; i < n; i++) {
            received += readBy.get(i);
        }
        assertEquals(s.stats().sent(), received, () -> s.stats().toString());
        assertEquals(0, s.stats().sendsNoTarget());
        assertEquals(n, s.stats().closed(CloseReason.SHUTDOWN));
    }
}
