package dev.netkit.reactor;

import dev.netkit.reactor.protocols.Protocol;

import dev.netkit.reactor.protocols.RelayFrames;

import dev.netkit.connmatrix.ConnMatrix;
import dev.netkit.testkit.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static dev.netkit.reactor.EchoServerTest.echoRoundTrip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The faults a review reproduced (issue 12): each test failed on the code before its fix (the issue note
 * says how).
 */
@Timeout(120) // a hang guard, not a timing assertion
class ReactorFaultsTest {

    private static ServerConfig.Builder echo() {
        return ServerConfig.builder().subReactors(2).inboundRingBytes(1024).outboundRingBytes(2048)
                .waterMarks(256, 1024).maxFrameBytes(512);
    }

    private static ServerConfig.Builder relay() {
        return ServerConfig.builder().subReactors(2).inboundRingBytes(4096)
                .outboundRingBytes(4096).inboxBytes(4096).maxFrameBytes(1024);
    }

    private static void assertBalanced(Server s) {
        Await.until(() -> s.stats().accepted() == s.stats().closedTotal() + s.connections(),
                () -> "accepted " + s.stats().accepted() + " != closed " + s.stats().closedTotal() + " + open "
                        + s.connections() + ": " + s.stats());
    }

    // ------------------------------------------------------------------ 1. a loop must not die, nor leak

    /** The smallest inbox the builder accepts holds 8 frames at most: the drain must not ask for 32. */
    @Test
    void theSmallestRelayInboxRelaysAndTheLoopSurvives() throws Exception {
        try (Server s = Seam.relay(relay().inboxBytes(64).maxFrameBytes(16).build());
             RelayServerTest.Peer a = new RelayServerTest.Peer(s);
             RelayServerTest.Peer b = new RelayServerTest.Peer(s)) {
            assertNotEquals(ConnMatrix.shardOf(a.id), ConnMatrix.shardOf(b.id));
            for (int i = 0; i < 20; i++) {
                byte[] p = {(byte) i, 2, 3, 4};
                a.c.sendFrame(b.id, p);
                TestClient.Frame f = b.c.readFrame();
                assertEquals(RelayFrames.DATA, f.type());
                assertArrayEquals(p, f.payload());
            }
            for (int i = 0; i < 4; i++) {           // both loops still take new connections
                try (RelayServerTest.Peer p = new RelayServerTest.Peer(s)) {
                    assertNotEquals(0, p.id);
                }
            }
            assertNull(s.failure());
        }
    }

    /**
     * A loop that dies anyway (an Error outside any connection's handling, injected at the top of an
     * iteration while a registration is queued) fails the server loudly, gets no more connections, and
     * leaves no accepted connection unregistered and open.
     */
    @Test
    void aLoopThatDiesGetsNoMoreConnectionsAndLeaksNone() throws Exception {
        Seam seam = new Seam();
        Server s = seam.start(echo().build(), Protocol.ECHO);
        try (TestClient first = new TestClient(s.address())) {     // loop 0
            echoRoundTrip(first, 1, 3000);
            AtomicBoolean armed = new AtomicBoolean(true);
            Error injected = new Error("injected loop failure");
            seam.iterationHook = i -> {
                if (i == 1 && armed.getAndSet(false)) {
                    throw injected;
                }
            };
            List<TestClient> clients = new ArrayList<>();
            try {
                TestClient victim = new TestClient(s.address());     // loop 1: its wakeup kills the loop
                clients.add(victim);
                Await.until(() -> s.failure() != null, () -> "no failure recorded: " + s.stats());
                assertSame(injected, s.failure());
                assertTrue(victim.awaitClosed(), "the dead loop's queued registration was left open");
                for (int i = 0; i < 6; i++) {                          // every one goes to the live loop
                    TestClient c = new TestClient(s.address());
                    clients.add(c);
                    echoRoundTrip(c, 10 + i, 3000);
                }
                echoRoundTrip(first, 2, 3000);
                assertBalanced(s);
                assertEquals(7, s.connections());
                assertEquals(1, s.stats().closed(CloseReason.LOOP_FAILED));
            } finally {
                for (TestClient c : clients) {
                    c.close();
                }
            }
        }
        s.shutdown(Duration.ofSeconds(5));
        assertEquals(0, s.connections());
        assertBalanced(s);
    }

    /** When every loop has died, the server stops accepting, and shutdown still ends with nothing open. */
    @Test
    void whenEveryLoopDiesTheServerStopsAcceptingAndShutsDown() throws Exception {
        Seam seam = new Seam();
        Server s = seam.start(echo().build(), Protocol.ECHO);
        java.util.Set<Integer> killed = java.util.concurrent.ConcurrentHashMap.newKeySet();
        seam.iterationHook = i -> {
            if (killed.add(i)) {
                throw new Error("injected loop failure " + i);
            }
        };
        List<TestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {               // one registration wakes (and so kills) each loop
                TestClient c = new TestClient(s.address());
                clients.add(c);
                assertTrue(c.awaitClosed());
            }
            Await.until(() -> s.stats().closed(CloseReason.LOOP_FAILED) == 2, s.stats()::toString);
            assertNotNull(s.failure());
            // the next connection is closed at once, and the listener with it: later ones are refused
            Await.until(() -> {
                try (TestClient c = new TestClient(s.address())) {
                    assertTrue(c.awaitClosed(), "a connection was accepted and kept with every loop dead");
                    return false;                       // accepted and closed: the listener may close next
                } catch (java.io.IOException refused) {
                    return true;
                }
            }, s.stats()::toString);
            assertBalanced(s);
        } finally {
            for (TestClient c : clients) {
                c.close();
            }
        }
        s.shutdown(Duration.ofSeconds(1));
        assertEquals(0, s.connections());
        assertEquals(2, s.quiescedCount());
        assertBalanced(s);
    }

    /** {@code Selector.open()} failing (EMFILE) during the automatic rebuild keeps the old selector. */
    @Test
    void aSelectorRebuildThatCannotOpenASelectorKeepsTheLoop() throws Exception {
        Seam seam = new Seam();
        try (Server s = seam.start(echo().subReactors(1).build(), Protocol.ECHO);
             TestClient a = new TestClient(s.address())) {
            echoRoundTrip(a, 3, 3000);
            seam.selectorFailures.set(1);
            Await.until(() -> {
                for (int i = 0; i < 64; i++) {
                    s.spuriousWakeups();
                    Thread.onSpinWait();
                }
                return seam.selectorFailures.get() == 0;
            }, () -> s.stats().toString());
            echoRoundTrip(a, 4, 20_000);
            try (TestClient b = new TestClient(s.address())) {
                echoRoundTrip(b, 5, 20_000);
            }
            assertNull(s.failure());
        }
    }

    /** A handler's exception closes its connection; its cause is kept (first of each class) and counted. */
    @Test
    void handlerErrorsKeepTheirCause() throws Exception {
        Seam seam = new Seam();
        try (Server s = seam.start(echo().build(), Protocol.ECHO);
             TestClient good = new TestClient(s.address())) {
            List<Throwable> thrown = new java.util.concurrent.CopyOnWriteArrayList<>();
            seam.beforeData = c -> {
                if (c.in().getByte(0) == (byte) 0xEE) {
                    IllegalStateException e = new IllegalStateException("injected handler bug " + thrown.size());
                    thrown.add(e);
                    throw e;
                }
            };
            for (int i = 0; i < 2; i++) {
                try (TestClient bad = new TestClient(s.address())) {
                    bad.write(new byte[] {(byte) 0xEE});
                    assertTrue(bad.awaitClosed());
                }
            }
            Await.until(() -> s.stats().closed(CloseReason.HANDLER_ERROR) == 2, () -> s.stats().toString());
            assertEquals(2, thrown.size());
            assertEquals(java.util.Map.of(IllegalStateException.class, thrown.get(0)), s.handlerErrors());
            echoRoundTrip(good, 6, 3000);
            assertNull(s.failure());
        }
    }

    // ------------------------------------------------------------------ 2. shutdown

    /** Two threads shutting down at once: the shutdown runs once, each loop quiesces once. */
    @Test
    void concurrentShutdownsRunTheShutdownOnce() throws Exception {
        int rounds = 1000;
        try (ExecutorService ex = Executors.newFixedThreadPool(2)) {
            for (int round = 0; round < rounds; round++) {
                Server s = Seam.echo(echo().build());
                java.util.concurrent.atomic.AtomicInteger arrived = new java.util.concurrent.atomic.AtomicInteger();
                List<Future<Boolean>> f = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    f.add(ex.submit(() -> {
                        arrived.incrementAndGet();
                        while (arrived.get() < 2) {
                            Thread.onSpinWait();        // both threads leave together
                        }
                        return s.shutdown(Duration.ofSeconds(1));
                    }));
                }
                for (Future<Boolean> x : f) {
                    assertTrue(x.get());
                }
                assertEquals(2, s.quiescedCount(), "shutdown tasks run in round " + round);
            }
        }
    }

    /**
     * A caller interrupted while the shutdown joins the acceptor (here asleep in an accept back-off): the
     * shutdown it claimed still reaches every loop, its interrupt is kept, and a later close returns with
     * every loop stopped.
     */
    @Test
    void anInterruptedShutdownStillShutsDown() throws Exception {
        Seam seam = new Seam();
        Server s = seam.start(echo().build(), Protocol.ECHO);
        TestClient a = new TestClient(s.address());
        echoRoundTrip(a, 7, 3000);
        java.util.concurrent.CountDownLatch longBackoff = new java.util.concurrent.CountDownLatch(1);
        seam.backoffObserver = ms -> {
            if (ms >= 1000) {
                longBackoff.countDown();
            }
        };
        seam.acceptFailures = 1_000_000;       // seen after the next accept returns
        TestClient b = new TestClient(s.address());
        longBackoff.await();                        // the acceptor sleeps 1 s: shutdown's join must wait
        Thread.currentThread().interrupt();
        boolean interrupted;
        try {
            s.shutdown(Duration.ofSeconds(1));
            interrupted = Thread.interrupted();
        } catch (InterruptedException e) {
            interrupted = true;
        }
        assertTrue(interrupted, "the caller's interrupt was lost");
        s.close();                              // waits for every loop: hung for good before the fix
        assertTrue(a.awaitClosed());
        assertEquals(0, s.connections());
        assertEquals(2, s.quiescedCount());
        a.close();
        b.close();
    }

    // ------------------------------------------------------------------ 6. smaller items

    /** A wakeup is counted on the waking thread's stripe (the acceptor's), never on the sleeping loop's. */
    @Test
    void wakeupsAreCountedOnTheWakersStripe() throws Exception {
        try (Server s = Seam.echo(echo().subReactors(1).build())) {
            for (int i = 0; i < 5; i++) {
                try (TestClient c = new TestClient(s.address())) {
                    echoRoundTrip(c, 20 + i, 1000);
                }
                Thread.sleep(20);               // let the loop go back to sleep: the next accept wakes it
            }
            assertTrue(s.stats().wakeups() >= 1, s.stats()::toString);
            assertEquals(0, s.stats().wakeups.get(0), "the loop's own stripe was written by another thread");
        }
    }

    /** maxConnections up to Integer.MAX_VALUE is accepted by the builder, so the server must start with it. */
    @Test
    void hugeMaxConnectionsStarts() throws Exception {
        for (int max : new int[] {1 << 30, Integer.MAX_VALUE}) {
            try (Server s = Seam.echo(echo().maxConnections(max).build());
                 TestClient c = new TestClient(s.address())) {
                echoRoundTrip(c, 30, 1000);
            }
        }
    }

    /**
     * A frame reclaimed from a target's inbox is dropped and counted; the healthy target stays open. The
     * reclaim timeout is zero, so the target's loop reclaims a frame it finds claimed but not committed at
     * the front of its inbox on two peeks (the first starts the clock). This thread sends a 256 KiB frame
     * gathered from 262,144 one-byte parts, whose copy between claim and commit takes a millisecond or so,
     * while another thread keeps sending 8-byte frames behind it, each of which wakes the target's loop to
     * peek again: the big frame is reclaimed and its send says {@link SendResult#DROPPED}. Repeated until
     * that happens (up to 200 times; a send that was not reclaimed is delivered and read).
     */
    @Test
    void aReclaimedFrameIsDroppedNotAnOverflow() throws Exception {
        ServerConfig cfg = ServerConfig.builder().subReactors(1).inboundRingBytes(4096).outboundRingBytes(1 << 20)
                .inboxBytes(1 << 20).inboxChunkBytes(512 << 10).maxFrameBytes(1024).inboxReclaimTimeout(Duration.ZERO)
                .build();
        java.util.concurrent.atomic.AtomicReference<Conn> target = new java.util.concurrent.atomic.AtomicReference<>();
        try (Server s = Server.start(cfg, () -> TestHandlers.recording(target));
             TestClient client = new TestClient(s.address())) {
            Await.until(() -> target.get() != null, () -> "not opened");
            long id = target.get().id();
            byte[] big = new byte[256 << 10];
            java.nio.ByteBuffer[] parts = new java.nio.ByteBuffer[big.length];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = java.nio.ByteBuffer.wrap(big, i, 1).slice();
            }
            int attempts = 0;
            long sent = 0;
            long dropped = 0;
            SendResult r = SendResult.SENT;
            try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
                while (attempts < 200 && r != SendResult.DROPPED) {
                    attempts++;
                    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
                    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
                    Future<int[]> smalls = ex.submit(() -> {
                        int[] n = new int[2];               // sent, dropped (they may be reclaimed too)
                        while (n[0] + n[1] < 1000 && (n[0] + n[1] == 0 || !stop.get())) {
                            SendResult x = s.send(id, java.nio.ByteBuffer.allocate(8));
                            assertTrue(x == SendResult.SENT || x == SendResult.DROPPED, x::toString);
                            n[x == SendResult.SENT ? 0 : 1]++;
                            started.countDown();
                        }
                        return n;
                    });
                    started.await();
                    for (java.nio.ByteBuffer p : parts) {
                        p.clear();
                    }
                    r = s.send(id, null, parts, parts.length);
                    stop.set(true);
                    int[] n = smalls.get();
                    assertTrue(r == SendResult.SENT || r == SendResult.DROPPED, r::toString);
                    sent += n[0] + (r == SendResult.SENT ? 1 : 0);
                    dropped += n[1] + (r == SendResult.DROPPED ? 1 : 0);
                    client.readFully(8 * n[0] + (r == SendResult.SENT ? big.length : 0));
                }
            }
            assertEquals(SendResult.DROPPED, r, "no frame was reclaimed in " + attempts + " attempts");
            assertEquals(sent, s.stats().sent(), s.stats()::toString);
            assertEquals(dropped, s.stats().sendsDropped(), s.stats()::toString);
            assertEquals(0, s.stats().closed(CloseReason.OUTBOUND_CAP), s.stats()::toString);
            assertEquals(SendResult.SENT, s.send(id, java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3})));
            assertArrayEquals(new byte[] {1, 2, 3}, client.readFully(3));   // the target is healthy
            assertEquals(1, s.connections());
        }
    }
}
