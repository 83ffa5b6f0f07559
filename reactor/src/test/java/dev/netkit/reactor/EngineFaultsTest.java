package dev.netkit.reactor;

import dev.netkit.testkit.Await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Faults a review of the engine found, each with the failure it showed on the code before its fix (in the
 * test's comment).
 */
class EngineFaultsTest {

    private static ServerConfig.Builder cfg() {
        return ServerConfig.builder().subReactors(1).inboundRingBytes(4096).outboundRingBytes(64 << 10)
                .maxFrameBytes(1024);
    }

    /** A handler that remembers its connections in order and lets the test script onData. */
    static class Scripted implements Handler {
        final List<Conn> conns = new CopyOnWriteArrayList<>();
        volatile java.util.function.Consumer<Conn> onData = c -> c.in().discard(c.in().readable());

        @Override
        public void onOpen(Conn c) {
            conns.add(c);
        }

        @Override
        public void onData(Conn c) {
            onData.accept(c);
        }
    }

    /**
     * A burst sent in one onData to a target on the same loop: 100 frames of 100 B (11.2 KB of inbox
     * records) into a 4 KiB inbox. Before: the inbox was drained only after the step, the 37th send found
     * it full, and the target (whose output was empty) was closed as OUTBOUND_CAP.
     */
    @Test
    void aBurstToATargetOnTheSameLoopIsNotAnOverflow() throws Exception {
        Scripted h = new Scripted();
        try (Server s = Server.start(cfg().inboxBytes(4096).build(), () -> h);
             TestClient a = new TestClient(s.address()); TestClient b = new TestClient(s.address())) {
            Await.until(() -> h.conns.size() == 2, () -> "not opened");
            long target = h.conns.get(1).id();
            List<SendResult> results = new CopyOnWriteArrayList<>();
            h.onData = c -> {
                c.in().discard(c.in().readable());
                byte[] f = new byte[100];
                for (int i = 0; i < 100; i++) {
                    f[0] = (byte) i;
                    results.add(c.send(target, ByteBuffer.wrap(f)));
                }
            };
            a.write(new byte[] {1});
            byte[] got = b.readFully(100 * 100);
            for (int i = 0; i < 100; i++) {
                assertEquals((byte) i, got[i * 100]);
            }
            assertEquals(100, results.size());
            assertTrue(results.stream().allMatch(r -> r == SendResult.SENT), results::toString);
            assertEquals(0, s.stats().closed(CloseReason.OUTBOUND_CAP));
        }
    }

    /** {@code server.close()} from a handler. Before: the loop waited for itself to stop, forever. */
    @Test
    void shutdownFromAHandlerStartsItAndReturns() throws Exception {
        AtomicReference<Server> server = new AtomicReference<>();
        AtomicBoolean returned = new AtomicBoolean();
        Scripted h = new Scripted();
        h.onData = c -> {
            c.in().discard(c.in().readable());
            server.get().close();
            returned.set(true);
        };
        Server s = Server.start(cfg().build(), () -> h);
        server.set(s);
        try (TestClient c = new TestClient(s.address())) {
            c.write(new byte[] {1});
            Await.until(returned::get, () -> "close() from the handler did not return");
            assertTrue(c.awaitClosed());
        }
        assertTrue(s.shutdown(Duration.ofSeconds(1)) || true);  // returns: every loop stopped
        assertEquals(0, s.connections());
    }

    /**
     * {@code close()} in onInputClosed, with output written there. Before: the engine then closed the
     * connection as PEER_CLOSED at once (half-close off), dropping the output.
     */
    @Test
    void closeInOnInputClosedWritesThePendingOutputFirst() throws Exception {
        try (Server s = Server.start(cfg().build(), () -> new Handler() {
                @Override
                public void onData(Conn c) {
                    c.in().discard(c.in().readable());
                }

                @Override
                public void onInputClosed(Conn c) {
                    c.write(ByteBuffer.wrap(new byte[3000]));
                    c.close();
                }
            });
             TestClient c = new TestClient(s.address())) {
            c.write(new byte[] {1});
            c.ch.shutdownOutput();
            assertEquals(3000, c.readFully(3000).length);
            assertTrue(c.awaitClosed());
            Await.until(() -> s.stats().closed(CloseReason.APPLICATION) == 1, s.stats()::toString);
        }
    }

    /**
     * A send to itself, then close(): the frame goes out first. Before: it sat in the loop's local ready
     * list when close() found the output empty and closed at once.
     */
    @Test
    void sendThenCloseOnTheSameLoopWritesTheFrame() throws Exception {
        Scripted h = new Scripted();
        h.onData = c -> {
            c.in().discard(c.in().readable());
            assertEquals(SendResult.SENT, c.send(c.id(), ByteBuffer.wrap(new byte[] {'b', 'y', 'e'})));
            c.close();
        };
        try (Server s = Server.start(cfg().build(), () -> h); TestClient c = new TestClient(s.address())) {
            c.write(new byte[] {1});
            assertArrayEquals(new byte[] {'b', 'y', 'e'}, c.readFully(3));
            assertTrue(c.awaitClosed());
        }
    }

    /**
     * Sizes that could never be delivered are refused at once. Before: a send longer than the target's
     * outbound ring said SENT and then blocked the target's inbox for good, and a write longer than the
     * ring was refused and waited for an onWritable that never came.
     */
    @Test
    void framesThatCanNeverFitAreRefusedAtOnce() throws Exception {
        Scripted h = new Scripted();
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        h.onData = c -> {
            c.in().discard(c.in().readable());
            thrown.add(assertThrows(IllegalArgumentException.class, () -> c.write(ByteBuffer.allocate(4097))));
        };
        try (Server s = Server.start(cfg().outboundRingBytes(4096).build(), () -> h);
             TestClient c = new TestClient(s.address())) {
            Await.until(() -> h.conns.size() == 1, () -> "not opened");
            assertEquals(4096, s.config().maxInboxFrameBytes());
            assertThrows(IllegalArgumentException.class, () -> s.send(h.conns.get(0).id(), ByteBuffer.allocate(5000)));
            assertThrows(IllegalArgumentException.class, () -> s.send(12345, ByteBuffer.allocate(0)));     // before the target
            c.write(new byte[] {1});
            Await.until(() -> thrown.size() == 1, () -> "onData did not run");
        }
    }

    /**
     * A graceful close whose output never drains (the peer stopped reading), with an onIdle that keeps
     * idle connections. Before: onIdle was asked again each period, close() did nothing, and the
     * connection lived for ever.
     */
    @Test
    void aGracefulCloseThatNeverDrainsEndsAtTheIdleTimeout() throws Exception {
        Handler h = new Handler() {
            @Override
            public void onOpen(Conn c) {
                c.setMaxIdle(Duration.ofMillis(100));
            }

            @Override
            public void onData(Conn c) {
                c.in().discard(c.in().readable());
                ByteBuffer chunk = ByteBuffer.allocate(4096);
                while (c.write(chunk.clear())) {
                    // fill the output
                }
                c.close();
            }

            @Override
            public void onIdle(Conn c) {
                // keep-alive: never close an idle connection
            }
        };
        // 4 MiB of output: more than the kernel's socket buffers take while the client reads nothing
        try (Server s = Server.start(cfg().outboundRingBytes(4 << 20).build(), () -> h);
             TestClient c = new TestClient(s.address(), 4096)) {
            c.write(new byte[] {1});
            Await.until(() -> s.stats().closed(CloseReason.IDLE) == 1, s.stats()::toString);
            assertEquals(0, s.connections());
        }
    }
}
