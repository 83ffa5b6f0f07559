package dev.netkit.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netkit.reactor.protocols.Protocol;
import dev.netkit.testkit.Await;

import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reactor's JFR events carry the right fields, and the fault log is rate-limited and skips resets. */
class ReactorEventsTest {
    @TempDir
    Path dir;

    private List<RecordedEvent> record(ThrowingRunnable body) throws Exception {
        Path file = dir.resolve("events.jfr");
        try (Recording r = new Recording()) {
            r.enable("dev.netkit.ConnectionClosed");
            r.enable("dev.netkit.ReadPause");
            r.start();
            body.run();
            r.stop();
            r.dump(file);
        }
        List<RecordedEvent> events = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (e.getEventType().getName().startsWith("dev.netkit.")) {
                events.add(e);
            }
        }
        return events;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void aFaultCloseIsRecordedWithItsReasonPeerBytesAndAge() throws Exception {
        ServerConfig cfg = ServerConfig.builder().subReactors(1).build();
        long[] id = new long[1];
        List<RecordedEvent> events = record(() -> {
            try (Server s = Server.start(cfg, Protocol.RELAY.handlers(cfg)); TestClient c = new TestClient(s.address())) {
                TestClient.Frame hello = c.readFrame();     // the relay's welcome: the connection's id
                id[0] = hello.id();
                Thread.sleep(50);                       // open for 50 ms at least, its loop asleep in select
                c.write(new byte[] {0, 0, 0, 1, 9, 9, 9, 9});  // a length below the header: malformed
                assertTrue(c.awaitClosed());
                Await.until(() -> s.stats().closed(CloseReason.MALFORMED_FRAME) == 1, () -> "the close");
            }
        });
        RecordedEvent closed = null;
        for (RecordedEvent e : events) {
            if (e.getEventType().getName().equals("dev.netkit.ConnectionClosed")
                    && "MALFORMED_FRAME".equals(e.getString("reason"))) {
                closed = e;
            }
        }
        assertNotNull(closed, events.toString());
        assertEquals(id[0], closed.getLong("connectionId"));
        assertEquals(0, closed.getInt("reactor"));
        assertTrue(closed.getString("peer").contains("127.0.0.1"), closed.getString("peer"));
        assertEquals(8, closed.getLong("bytesRead"));
        assertTrue(closed.getLong("bytesWritten") > 0, "the welcome frame");
        // the age spans the sleep (before: it read the loop's clock, taken before the select that slept: ~0)
        assertTrue(closed.getDuration("age").toMillis() >= 50, closed.getDuration("age").toString());
        assertEquals(1, closed.getLong("weight"), "a fault is not sampled");
        assertNull(closed.getString("cause"));
    }

    @Test
    void aReadPauseIsRecordedWhenReadsResume() throws Exception {
        ServerConfig cfg = ServerConfig.builder().subReactors(1).inboundRingBytes(4096).outboundRingBytes(4096)
                .maxFrameBytes(1024).build();
        List<RecordedEvent> events = record(() -> {
            try (Server s = Server.start(cfg, Protocol.ECHO.handlers(cfg));
                 TestClient c = new TestClient(s.address(), 4096)) {
                int total = 8 << 20;
                Thread writer = new Thread(() -> {      // echoed into a client that does not read yet
                    try {
                        c.write(new byte[total]);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                writer.start();
                Await.until(() -> s.stats().readPauses() >= 1, () -> "a read pause");
                Thread.sleep(5);                        // paused for at least the event's 1 ms threshold
                c.readFully(total);                     // now it reads: the server's reads resume
                writer.join();
            }
        });
        RecordedEvent pause = null;
        for (RecordedEvent e : events) {
            if (e.getEventType().getName().equals("dev.netkit.ReadPause")) {
                pause = e;
            }
        }
        assertNotNull(pause, events.toString());
        assertTrue(pause.getDuration("paused").toNanos() >= TimeUnit.MILLISECONDS.toNanos(1));
        assertTrue(pause.getString("cause").equals("output at the high water mark")
                || pause.getString("cause").equals("inbound ring full"), pause.getString("cause"));
    }

    @Test
    void theFaultLogWritesAtMostTenLinesASecondAndSaysHowManyItLeftOut() {
        FaultLog log = new FaultLog();
        long t = 1_000_000_000L;
        int logged = 0;
        for (int i = 0; i < 25; i++) {
            if (log.log(i, "/10.0.0.1:1234", CloseReason.MALFORMED_FRAME, null, t + i) != null) {
                logged++;
            }
        }
        assertEquals(FaultLog.PER_SECOND, logged);
        String next = log.log(99, "/10.0.0.1:1234", CloseReason.OUTBOUND_CAP, null, t + TimeUnit.SECONDS.toNanos(1));
        assertNotNull(next);
        assertTrue(next.contains("63") && next.contains("/10.0.0.1:1234") && next.contains("OUTBOUND_CAP"), next);
        assertTrue(next.contains("15 fault closes before it not logged"), next);
    }

    @Test
    void jfrEventNamesListsEveryEventClass() {
        List<String> declared = new ArrayList<>();
        for (Class<?> c : ReactorEvents.class.getDeclaredClasses()) {
            if (jdk.jfr.Event.class.isAssignableFrom(c)) {
                declared.add(c.getAnnotation(jdk.jfr.Name.class).value());
            }
        }
        assertEquals(new java.util.TreeSet<>(declared), new java.util.TreeSet<>(Server.jfrEventNames()));
        assertEquals(declared.size(), Server.jfrEventNames().size());
    }

    @Test
    void resetsAreNotFaultsButOtherIoErrorsAre() {
        assertFalse(FaultLog.isFault(CloseReason.IO_ERROR, new SocketException("Connection reset")));
        assertFalse(FaultLog.isFault(CloseReason.IO_ERROR, new IOException("Connection reset by peer")));
        assertFalse(FaultLog.isFault(CloseReason.IO_ERROR, new IOException("Broken pipe")));
        assertTrue(FaultLog.isFault(CloseReason.IO_ERROR, new IOException("a queued file ended at 5")));
        assertTrue(FaultLog.isFault(CloseReason.HANDLER_ERROR, new IllegalStateException()));
        assertTrue(FaultLog.isFault(CloseReason.MALFORMED_FRAME, null));
        assertFalse(FaultLog.isFault(CloseReason.PEER_CLOSED, null));
        assertFalse(FaultLog.isFault(CloseReason.IDLE, null));
    }
}
