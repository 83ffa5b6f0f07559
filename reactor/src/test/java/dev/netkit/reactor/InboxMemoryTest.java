package dev.netkit.reactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netkit.ring.MpscChunkedFrameQueue;
import dev.netkit.testkit.Await;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The inbox's memory follows its backlog: chunks are borrowed from the server's inbox pool while frames
 * wait and given back (zeroed where written) as soon as the loop has emptied the inbox; a closed
 * connection's inbox gives everything back and refuses later frames, and a connection closed before any
 * send gets the closed placeholder.
 */
class InboxMemoryTest {

    private static ServerConfig.Builder cfg() {
        return ServerConfig.builder().subReactors(1).inboundRingBytes(4096).outboundRingBytes(4096)
                .maxFrameBytes(1024).inboxBytes(4096).inboxChunkBytes(1024);
    }


    /** Sends 40 frames of 100 bytes (several chunks' worth) and reads them all. */
    private static void sendAndRead(Server s, long id, TestClient client) throws Exception {
        byte[] expected = new byte[40 * 100];
        for (int i = 0; i < 40; i++) {
            byte[] f = new byte[100];
            java.util.Arrays.fill(f, (byte) i);
            System.arraycopy(f, 0, expected, i * 100, 100);
            assertEquals(SendResult.SENT, s.send(id, ByteBuffer.wrap(f)));
            if (i % 8 == 7) {
                assertArrayEquals(java.util.Arrays.copyOfRange(expected, (i - 7) * 100, (i + 1) * 100),
                        client.readFully(800));
            }
        }
    }

    @Test
    void anEmptiedInboxGivesItsChunksBack() throws Exception {
        AtomicReference<Conn> conn = new AtomicReference<>();
        try (Server s = Server.start(cfg().build(), () -> TestHandlers.recording(conn));
             TestClient client = new TestClient(s.address())) {
            Await.until(() -> conn.get() != null, () -> "not opened");
            Connection x = (Connection) conn.get();
            for (int round = 0; round < 3; round++) {       // busy, idle, busy again: the inbox works after a trim
                sendAndRead(s, x.id(), client);
                MpscChunkedFrameQueue box = x.inbox();
                Await.until(() -> box.chunks() == 0, () -> "chunks " + box.chunks());
            }
            // every chunk the inbox pool lent is back, and some were lent (the sends above went through it)
            Await.until(() -> s.inboxPool().liveBuffers() == s.inboxPool().idle(),
                    () -> "in use " + (s.inboxPool().liveBuffers() - s.inboxPool().idle()));
            assertTrue(s.inboxPool().liveBuffers() > 0);
            assertTrue(s.inboxPool().stats().toString().length() > 0);
        }
    }

    /**
     * Sends 1,000-byte frames (one per 1 KiB chunk) to a client that does not read until the inbox holds
     * three chunks: the socket buffers and the outbound ring are full by then, so frames wait in the inbox.
     *
     * @return how many frames were sent
     */
    private static int backUp(Server s, Connection x) {
        int sent = 0;
        byte[] f = new byte[1000];
        while (x.inbox() == null || x.inbox().chunks() < 3) {
            assertEquals(SendResult.SENT, s.send(x.id(), ByteBuffer.wrap(f)), "after " + sent + " frames");
            sent++;
        }
        return sent;
    }

    @Test
    void aBacklogHoldsChunksUntilItDrains() throws Exception {
        AtomicReference<Conn> conn = new AtomicReference<>();
        try (Server s = Server.start(cfg().inboxBytes(16 << 10).build(), () -> TestHandlers.recording(conn));
             TestClient client = new TestClient(s.address())) {
            Await.until(() -> conn.get() != null, () -> "not opened");
            Connection x = (Connection) conn.get();
            int sent = backUp(s, x);
            client.readFully(sent * 1000);          // the client reads: the backlog drains
            Await.until(() -> x.inbox().chunks() == 0, () -> "chunks " + x.inbox().chunks());
            Await.until(() -> s.inboxPool().liveBuffers() == s.inboxPool().idle(),
                    () -> "in use " + (s.inboxPool().liveBuffers() - s.inboxPool().idle()));
        }
    }

    @Test
    void aClosedConnectionsInboxGivesEverythingBackAndRefusesFrames() throws Exception {
        AtomicReference<Conn> conn = new AtomicReference<>();
        try (Server s = Server.start(cfg().inboxBytes(16 << 10).build(), () -> TestHandlers.recording(conn))) {
            Connection x;
            try (TestClient client = new TestClient(s.address())) {
                Await.until(() -> conn.get() != null, () -> "not opened");
                x = (Connection) conn.get();
                backUp(s, x);
            }                                       // the client goes away with frames waiting in the inbox
            // closed is published first; the inbox closes at the end of the same close, on the loop
            Await.until(() -> x.isClosed() && x.inbox().isClosed(), () -> "not closed");
            MpscChunkedFrameQueue box = x.inbox();
            assertTrue(box.isClosed());
            assertEquals(0, box.chunks());
            assertEquals(MpscChunkedFrameQueue.OFFER_CLOSED, box.tryOffer(ByteBuffer.allocate(8)));
            assertEquals(SendResult.NO_TARGET, s.send(x.id(), ByteBuffer.allocate(8)));
            Await.until(() -> s.inboxPool().liveBuffers() == s.inboxPool().idle(),
                    () -> "in use " + (s.inboxPool().liveBuffers() - s.inboxPool().idle()));
        }
    }

    @Test
    void aConnectionClosedBeforeAnySendGetsTheClosedInbox() throws Exception {
        AtomicReference<Conn> conn = new AtomicReference<>();
        try (Server s = Server.start(cfg().build(), () -> TestHandlers.recording(conn))) {
            Connection x;
            try (TestClient client = new TestClient(s.address())) {
                Await.until(() -> conn.get() != null, () -> "not opened");
                x = (Connection) conn.get();
                assertEquals(null, x.inbox());
            }
            Await.until(x::isClosed, () -> "not closed");
            // a sender that looked the connection up before the close cannot install a queue nobody empties
            assertSame(Connection.CLOSED_INBOX, x.inbox(() -> {
                throw new AssertionError("a queue was made for a closed connection");
            }));
            assertEquals(MpscChunkedFrameQueue.OFFER_CLOSED, x.inbox().tryOffer(ByteBuffer.allocate(8)));
            assertEquals(0, Connection.CLOSED_INBOX.chunks());
        }
    }

    @Test
    void chunkSizesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.builder().inboxChunkBytes(100));
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.builder().inboxChunkBytes(16));
        assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.builder().inboxBytes(4096).inboxChunkBytes(4096).build());
        ServerConfig d = ServerConfig.builder().build();
        assertEquals(8192, d.inboxChunkBytes());        // 16 KiB budget: half of it, at most 8 KiB
        assertEquals(8192 - 8, d.maxInboxFrameBytes());
        ServerConfig small = ServerConfig.builder().inboxBytes(64).maxFrameBytes(16).build();
        assertEquals(32, small.inboxChunkBytes());
        assertEquals(24, small.maxInboxFrameBytes());
        ServerConfig chunked = ServerConfig.builder().inboxBytes(1 << 20).inboxChunkBytes(1024).build();
        assertEquals(1024 - 8, chunked.maxInboxFrameBytes());
        assertEquals(2048, ServerConfig.builder().inboxBytes(1 << 20).inboxChunkBytes(2048).build().inboxChunkBytes());
    }
}
