package dev.netkit.reactor;

import dev.netkit.testkit.Await;
import dev.netkit.testkit.Seeds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The public handler API's contract: callbacks, writability, graceful close, idle, send and threading. */
class HandlerApiTest {

    private static ServerConfig.Builder cfg() {
        return ServerConfig.builder().subReactors(2).inboundRingBytes(4096).outboundRingBytes(4096).maxFrameBytes(1024);
    }

    /**
     * A handler that answers each input byte b with b * 1024 bytes of b (a big response, written in 512-byte
     * chunks while the output takes them): refused writes, onWritable and the re-run of onData. The client
     * reads slowly; every byte must arrive, in order.
     */
    static final class Amplifier implements Handler {
        final AtomicInteger writable = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final ByteBuffer chunk = ByteBuffer.allocate(512);

        @Override
        public void onData(Conn c) {
            while (!c.in().isEmpty()) {
                byte b = c.in().getByte(0);
                int[] left = (int[]) c.attachment();
                if (left == null) {
                    left = new int[] {(b & 0xFF) * 1024};
                    c.attach(left);
                }
                while (left[0] > 0) {
                    int n = Math.min(512, left[0]);
                    chunk.clear();
                    for (int i = 0; i < n; i++) {
                        chunk.put(b);
                    }
                    if (!c.write(chunk.flip())) {
                        refused.incrementAndGet();
                        assertFalse(c.isWritable());
                        return;         // the input byte stays: onData runs again after onWritable
                    }
                    left[0] -= n;
                }
                c.attach(null);
                c.in().discard(1);
            }
        }

        @Override
        public void onWritable(Conn c) {
            writable.incrementAndGet();
            assertTrue(c.isWritable());
        }
    }

    @Test
    void aRefusedWriteWaitsForOnWritableAndNothingIsLost() throws Exception {
        Amplifier h = new Amplifier();
        try (Server s = Server.start(cfg().subReactors(1).build(), () -> h);
             TestClient c = new TestClient(s.address(), 16 << 10)) {
            byte[] in = {3, 7, 1, 9, 2};
            c.write(in);
            for (byte b : in) {
                byte[] got = c.readFully((b & 0xFF) * 1024);
                for (byte x : got) {
                    assertEquals(b, x);
                }
                Thread.sleep(20);       // a slow reader: the server's output fills
            }
            assertTrue(h.refused.get() > 0, "no write was refused: the test did not exercise back-pressure");
            assertTrue(h.writable.get() > 0);
        }
    }

    /** Records every callback, in order, per connection id. */
    static final class Recorder implements Handler {
        final Map<Long, List<String>> calls = new ConcurrentHashMap<>();
        final List<Long> ids = new CopyOnWriteArrayList<>();

        void add(Conn c, String what) {
            calls.computeIfAbsent(c.id(), k -> new CopyOnWriteArrayList<>()).add(what);
        }

        @Override
        public void onOpen(Conn c) {
            ids.add(c.id());
            add(c, "open");
        }

        @Override
        public void onData(Conn c) {
            add(c, "data");
            byte b = c.in().getByte(0);
            c.in().discard(c.in().readable());
            if (b == 'c') {
                assertTrue(c.write(ByteBuffer.wrap(new byte[3000])));
                c.close();              // graceful: the 3,000 bytes are written first
                assertFalse(c.write(ByteBuffer.wrap(new byte[1])), "a write after close() is refused");
            } else if (b == 'a') {
                assertTrue(c.write(ByteBuffer.wrap(new byte[3000])));
                c.abort(CloseReason.MALFORMED_FRAME);
            }
        }

        @Override
        public void onInputClosed(Conn c) {
            add(c, "inputClosed");
        }

        @Override
        public void onClose(Conn c, CloseReason reason, Throwable cause) {
            assertFalse(c.isOpen());
            add(c, "close " + reason);
        }
    }

    @Test
    void callbacksComeInOrderAndCloseIsGracefulAbortIsNot() throws Exception {
        Recorder h = new Recorder();
        try (Server s = Server.start(cfg().build(), () -> h)) {
            try (TestClient c = new TestClient(s.address())) {
                c.write(new byte[] {'c'});
                assertEquals(3000, c.readFully(3000).length);
                assertTrue(c.awaitClosed());
            }
            try (TestClient c = new TestClient(s.address())) {
                c.write(new byte[] {'a'});
                assertTrue(c.awaitClosed());
            }
            try (TestClient c = new TestClient(s.address())) {
                c.write(new byte[] {'x'});
                Await.until(() -> h.ids.size() == 3 && h.calls.get(h.ids.get(2)).size() == 2, h.calls::toString);
                c.ch.shutdownOutput();
                assertTrue(c.awaitClosed());
            }
            Await.until(() -> s.connections() == 0, s.stats()::toString);
            // onClose runs after the close's bookkeeping (the count above): wait for each connection's
            Await.until(() -> h.calls.get(h.ids.get(0)).size() == 3 && h.calls.get(h.ids.get(1)).size() == 3
                    && h.calls.get(h.ids.get(2)).size() == 4, h.calls::toString);
            assertEquals(List.of("open", "data", "close APPLICATION"), h.calls.get(h.ids.get(0)));
            assertEquals(List.of("open", "data", "close MALFORMED_FRAME"), h.calls.get(h.ids.get(1)));
            assertEquals(List.of("open", "data", "inputClosed", "close PEER_CLOSED"), h.calls.get(h.ids.get(2)));
            assertEquals(1, s.stats().closed(CloseReason.APPLICATION));
        }
    }

    @Test
    void perConnectionIdleDurationsAndAnOnIdleThatKeepsTheConnection() throws Exception {
        AtomicInteger idles = new AtomicInteger();
        Handler h = new Handler() {
            @Override
            public void onOpen(Conn c) {
                c.setMaxIdle(Duration.ofMillis(50));
            }

            @Override
            public void onData(Conn c) {
                byte b = c.in().getByte(0);
                c.in().discard(c.in().readable());
                c.setMaxIdle(b == 'k' ? Duration.ofMillis(30) : Duration.ZERO);    // ZERO: never idle
                c.attach(b == 'k' ? "keep" : null);
            }

            @Override
            public void onIdle(Conn c) {
                if ("keep".equals(c.attachment())) {
                    if (idles.incrementAndGet() == 3) {
                        c.abort(CloseReason.IDLE);
                    }
                    return;             // left open: called again after another idle duration
                }
                Handler.super.onIdle(c);
            }
        };
        try (Server s = Server.start(cfg().build(), () -> h);
             TestClient plain = new TestClient(s.address());
             TestClient never = new TestClient(s.address());
             TestClient keep = new TestClient(s.address())) {
            never.write(new byte[] {'n'});
            keep.write(new byte[] {'k'});
            assertTrue(plain.awaitClosed());            // idle for 50 ms: closed by the default onIdle
            assertTrue(keep.awaitClosed());             // kept twice, closed the third time
            assertEquals(3, idles.get());
            assertEquals(2, s.stats().closed(CloseReason.IDLE));
            assertEquals(1, s.connections());           // "never" is still open
        }
    }

    @Test
    void sendFromAnyThreadAndWriteOnlyFromTheLoop() throws Exception {
        AtomicReference<Conn> conn = new AtomicReference<>();
        Handler h = new Handler() {
            @Override
            public void onOpen(Conn c) {
                conn.set(c);
                assertThrows(IllegalArgumentException.class, () -> c.setMaxIdle(Duration.ofNanos(5)));
            }

            @Override
            public void onData(Conn c) {
                c.in().discard(c.in().readable());
            }
        };
        try (Server s = Server.start(cfg().build(), () -> h);
             TestClient c = new TestClient(s.address())) {
            Await.until(() -> conn.get() != null, () -> "not opened");
            Conn x = conn.get();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.write(ByteBuffer.allocate(1)));
            assertTrue(e.getMessage().contains("not from the connection's loop"), e.getMessage());
            long seed = Seeds.seed();
            SplittableRandom rnd = new SplittableRandom(seed);
            byte[] all = new byte[64 * 100];
            rnd.nextBytes(all);
            for (int i = 0; i < 100; i++) {             // from this thread (no loop): through the inbox
                SendResult r = i % 2 == 0 ? s.send(x.id(), ByteBuffer.wrap(all, i * 64, 64))
                        : x.send(x.id(), new ByteBuffer[] {ByteBuffer.wrap(all, i * 64, 10),
                                ByteBuffer.wrap(all, i * 64 + 10, 54)}, 2);
                assertEquals(SendResult.SENT, r);
            }
            assertArrayEquals(all, c.readFully(all.length), "seed " + seed);
            assertEquals(SendResult.NO_TARGET, s.send(x.id() + (1L << 32), ByteBuffer.allocate(1)));   // a stale generation
            assertThrows(IllegalArgumentException.class,
                    () -> s.send(x.id(), ByteBuffer.allocate(s.config().maxInboxFrameBytes() + 1)));
            assertEquals(100, s.stats().sent());
            assertEquals(1, s.stats().sendsNoTarget());
            x.abort(CloseReason.OUTBOUND_CAP);          // from another thread: a task on its loop
            assertTrue(c.awaitClosed());
            Await.until(() -> !x.isOpen(), () -> "still open");
            assertEquals(SendResult.NO_TARGET, s.send(x.id(), ByteBuffer.allocate(1)));
            assertEquals(1, s.stats().closed(CloseReason.OUTBOUND_CAP));
        }
    }

    @Test
    void aConnectionNothingIsSentToHasNoInbox() throws Exception {
        AtomicReference<Conn> conn = new AtomicReference<>();
        try (Server s = Server.start(cfg().build(), () -> TestHandlers.recording(conn));
             TestClient c = new TestClient(s.address())) {
            Await.until(() -> conn.get() != null, () -> "not opened");
            Connection x = (Connection) conn.get();
            c.write(new byte[100]);
            Await.until(() -> s.stats().bytesRead() == 100, s.stats()::toString);
            assertEquals(null, x.inbox());
            assertEquals(SendResult.SENT, s.send(x.id(), ByteBuffer.allocate(8)));
            assertNotNull(x.inbox());
            assertSame(x.inbox(), x.inbox(() -> {
                throw new AssertionError("a second inbox was made");
            }));
            c.readFully(8);
        }
    }

    @Test
    void aHandlerFactoryIsAskedOncePerLoop() throws Exception {
        AtomicInteger made = new AtomicInteger();
        try (Server s = Server.start(cfg().subReactors(3).build(), () -> {
            made.incrementAndGet();
            return c -> c.in().discard(c.in().readable());
        })) {
            assertEquals(3, made.get());
        }
        assertThrows(NullPointerException.class, () -> Server.start(cfg().build(), () -> null));
    }
    /**
     * A gateway: a handler of server B (3 loops) sends into server A (1 loop). B's loop is a stranger to A:
     * its sends count in A's shared cells and wake A's loop as any thread would (counted on B's loop index,
     * they overflowed A's stripes: "stripe must be in [0, 2), was 2" closed B's connection as HANDLER_ERROR).
     */
    @Test
    void aLoopOfAnotherServerSendsAsAStranger() throws Exception {
        AtomicReference<Conn> inA = new AtomicReference<>();
        try (Server a = Server.start(cfg().subReactors(1).build(), () -> TestHandlers.recording(inA));
             TestClient ca = new TestClient(a.address())) {
            Await.until(() -> inA.get() != null, () -> "not opened");
            long target = inA.get().id();
            AtomicReference<SendResult> result = new AtomicReference<>();
            try (Server b = Server.start(cfg().subReactors(3).build(), () -> c -> {
                    ByteBuffer f = ByteBuffer.allocate(c.in().readable());
                    for (int i = 0; i < f.capacity(); i++) {
                        f.put(c.in().getByte(i));
                    }
                    c.in().discard(f.capacity());
                    result.set(a.send(target, f.flip()));
                })) {
                java.util.List<TestClient> clients = new java.util.ArrayList<>();
                try {
                    for (int i = 0; i < 3; i++) {       // one connection per loop of B: loop 2 is past A's stripes
                        TestClient cb = new TestClient(b.address());
                        clients.add(cb);
                        result.set(null);
                        cb.write(new byte[] {(byte) i, 9});
                        Await.until(() -> result.get() != null || b.stats().closed(CloseReason.HANDLER_ERROR) > 0,
                                b.stats()::toString);
                        assertEquals(0, b.stats().closed(CloseReason.HANDLER_ERROR), b.handlerErrors()::toString);
                        assertEquals(SendResult.SENT, result.get());
                        assertArrayEquals(new byte[] {(byte) i, 9}, ca.readFully(2));
                    }
                    assertEquals(0, b.stats().closed(CloseReason.HANDLER_ERROR), b.handlerErrors()::toString);
                    assertEquals(3, a.stats().sent());
                } finally {
                    for (TestClient cb : clients) {
                        cb.close();
                    }
                }
            }
        }
    }
}
