package dev.netkit.reactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netkit.reactor.protocols.Protocol;
import dev.netkit.testkit.Await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Conn#sendFile}: order with the ring's output, water marks, graceful close, abort, a file that ends
 * early, a peer that leaves mid-file, argument checks; and the {@code file} protocol ({@code FileHandler}):
 * serving, pipelining and refusing names outside its directory.
 */
class SendFileTest {
    @TempDir
    Path dir;

    private static ServerConfig.Builder cfg() {
        return ServerConfig.builder().subReactors(1).inboundRingBytes(4096).outboundRingBytes(4096).maxFrameBytes(1024);
    }

    private Path file(String name, int size, long seed) throws IOException {
        byte[] b = new byte[size];
        new SplittableRandom(seed).nextBytes(b);
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, b);
        return p;
    }

    /** What a listener saw. */
    record Sent(FileChannel file, long sent, boolean complete) {
    }

    /** Runs {@code onFirstByte} once, on the loop, when the first input byte arrives (which it consumes). */
    private static Handler onFirstByte(Consumer<Conn> action) {
        return new Handler() {
            @Override
            public void onData(Conn c) {
                c.in().clear();
                if (c.attachment() == null) {
                    c.attach(Boolean.TRUE);
                    action.accept(c);
                }
            }
        };
    }

    private static byte[] readToEnd(TestClient c) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(1 << 16);
        while (c.ch.read(b.clear()) >= 0) {
            all.write(b.array(), 0, b.position());
        }
        return all.toByteArray();
    }

    @Test
    void filesAreWrittenInOrderWithTheRingsOutputAndACloseWaitsForThem() throws Exception {
        Path f1 = file("one", 1 << 20, 1);
        Path f2 = file("two", 1000, 2);
        List<Sent> done = new CopyOnWriteArrayList<>();
        AtomicReference<CloseReason> closed = new AtomicReference<>();
        FileSendListener l = (conn, f, sent, complete) -> done.add(new Sent(f, sent, complete));
        try (FileChannel c1 = FileChannel.open(f1); FileChannel c2 = FileChannel.open(f2)) {
            Handler h = new Handler() {
                final Handler first = onFirstByte(c -> {
                    assertTrue(c.write(ByteBuffer.wrap("A".getBytes(StandardCharsets.US_ASCII))));
                    assertTrue(c.sendFile(c1, 0, 1 << 20, l));
                    assertFalse(c.isWritable(), "1 MiB queued is past the high water mark");
                    assertTrue(c.pendingOutputBytes() >= (1 << 20));
                    assertTrue(c.write(ByteBuffer.wrap("B".getBytes(StandardCharsets.US_ASCII))));
                    assertTrue(c.sendFile(c2, 100, 500, l));
                    assertTrue(c.sendFile(c2, 7, 0, l));    // empty, behind the others: told after them
                    assertTrue(c.write(ByteBuffer.wrap("C".getBytes(StandardCharsets.US_ASCII))));
                    c.close();
                    assertFalse(c.sendFile(c2, 0, 1, l), "refused once closing");
                });

                @Override
                public void onData(Conn c) {
                    first.onData(c);
                }

                @Override
                public void onClose(Conn c, CloseReason reason, Throwable cause) {
                    closed.set(reason);
                }
            };
            try (Server s = Server.start(cfg().build(), () -> h); TestClient c = new TestClient(s.address())) {
                c.write(new byte[] {1});
                byte[] got = readToEnd(c);
                ByteArrayOutputStream want = new ByteArrayOutputStream();
                want.write('A');
                want.write(Files.readAllBytes(f1));
                want.write('B');
                want.write(Files.readAllBytes(f2), 100, 500);
                want.write('C');
                assertArrayEquals(want.toByteArray(), got);
                Await.until(() -> closed.get() != null, () -> "onClose");
                assertEquals(CloseReason.APPLICATION, closed.get());
                assertEquals(List.of(new Sent(c1, 1 << 20, true), new Sent(c2, 500, true), new Sent(c2, 0, true)), done);
                assertTrue(c1.isOpen(), "the file channel is the caller's");
            }
        }
    }

    @Test
    void pendingFileBytesCountTowardsTheWaterMarks() throws Exception {
        Path f = file("big", 8 << 20, 3);
        AtomicLong pendingAtWritable = new AtomicLong(-1);
        AtomicLong writables = new AtomicLong();
        List<Sent> done = new CopyOnWriteArrayList<>();
        try (FileChannel ch = FileChannel.open(f)) {
            Handler h = new Handler() {
                @Override
                public void onData(Conn c) {
                    c.in().clear();
                    assertTrue(c.sendFile(ch, 0, 8 << 20, (conn, file, sent, complete) -> done.add(new Sent(file, sent, complete))));
                    assertFalse(c.isWritable());
                }

                @Override
                public void onWritable(Conn c) {
                    writables.incrementAndGet();
                    pendingAtWritable.set(c.pendingOutputBytes());
                    assertTrue(c.isWritable());
                }
            };
            ServerConfig config = cfg().waterMarks(1024, 2048).build();
            try (Server s = Server.start(config, () -> h); TestClient c = new TestClient(s.address(), 64 << 10)) {
                c.write(new byte[] {1});
                byte[] got = c.readFully(8 << 20);
                assertArrayEquals(Files.readAllBytes(f), got);
                Await.until(() -> writables.get() == 1, () -> "onWritable once, was " + writables.get());
                assertTrue(pendingAtWritable.get() <= 1024, "pending at onWritable " + pendingAtWritable.get());
                assertEquals(List.of(new Sent(ch, 8 << 20, true)), done);
                assertTrue(s.stats().readPauses() >= 1, "reads paused while the file was pending");
            }
        }
    }

    @Test
    void anAbortDropsQueuedFilesAndTellsTheirListeners() throws Exception {
        Path f = file("big", 4 << 20, 4);
        List<Sent> done = new CopyOnWriteArrayList<>();
        try (FileChannel ch = FileChannel.open(f)) {
            Handler h = onFirstByte(c -> {
                assertTrue(c.sendFile(ch, 0, 4 << 20, (conn, file, sent, complete) -> done.add(new Sent(file, sent, complete))));
                c.abort(CloseReason.APPLICATION);
            });
            try (Server s = Server.start(cfg().build(), () -> h); TestClient c = new TestClient(s.address())) {
                c.write(new byte[] {1});
                assertTrue(c.awaitClosed());
                Await.until(() -> done.size() == 1, () -> "listener");
                assertEquals(new Sent(ch, 0, false), done.get(0));
            }
        }
    }

    @Test
    void aFileThatEndsEarlyClosesTheConnectionAsAnIoError() throws Exception {
        Path f = file("shrinks", 2 << 20, 5);
        List<Sent> done = new CopyOnWriteArrayList<>();
        AtomicReference<CloseReason> closed = new AtomicReference<>();
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Handler h = new Handler() {
                @Override
                public void onData(Conn c) {
                    c.in().clear();
                    assertTrue(c.sendFile(ch, 0, 2 << 20, (conn, file, sent, complete) -> done.add(new Sent(file, sent, complete))));
                    try {
                        ch.truncate(1 << 20);   // before the loop's flush: the file ends 1 MiB early
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }

                @Override
                public void onClose(Conn c, CloseReason reason, Throwable cause) {
                    closed.set(reason);
                }
            };
            try (Server s = Server.start(cfg().build(), () -> h); TestClient c = new TestClient(s.address())) {
                c.write(new byte[] {1});
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                ByteBuffer b = ByteBuffer.allocate(1 << 16);
                try {
                    while (c.ch.read(b.clear()) >= 0) {
                        all.write(b.array(), 0, b.position());
                    }
                } catch (IOException reset) {
                    // the close may reset: what arrived before is checked
                }
                Await.until(() -> closed.get() != null, () -> "onClose");
                assertEquals(CloseReason.IO_ERROR, closed.get());
                assertEquals(1, done.size());
                assertFalse(done.get(0).complete());
                assertTrue(done.get(0).sent() <= 1 << 20, "sent " + done.get(0).sent());
                assertTrue(all.size() <= 1 << 20);
            }
        }
    }

    @Test
    void aListenerThatAbortsEndsTheConnectionWithNoCallbackAfterOnClose() throws Exception {
        Path f = file("big", 1 << 20, 13);
        List<String> calls = new CopyOnWriteArrayList<>();
        try (FileChannel ch = FileChannel.open(f)) {
            Handler h = new Handler() {
                @Override
                public void onData(Conn c) {
                    c.in().clear();
                    calls.add("onData");
                    assertTrue(c.sendFile(ch, 0, 1 << 20, (conn, file, sent, complete) -> {
                        calls.add("sent " + complete);
                        conn.abort(CloseReason.APPLICATION);
                    }));
                }

                @Override
                public void onWritable(Conn c) {
                    calls.add("onWritable");
                }

                @Override
                public void onClose(Conn c, CloseReason reason, Throwable cause) {
                    calls.add("onClose");
                }
            };
            try (Server s = Server.start(cfg().build(), () -> h); TestClient c = new TestClient(s.address())) {
                c.write(new byte[] {1});
                c.readFully(1 << 20);
                assertTrue(c.awaitClosed());
                Await.until(() -> calls.contains("onClose"), () -> calls.toString());
                // before: onWritable ran after onClose (the water-mark block of the same flush)
                assertEquals(List.of("onData", "sent true", "onClose"), calls);
            }
        }
    }

    @Test
    void theFileProtocolKeepsOneFileInFlightPerConnection() throws Exception {
        Path root = dir.resolve("www");
        file("www/tiny", 1, 14);
        dev.netkit.ring.ByteRing in = dev.netkit.ring.ByteRing.heap(4096);
        byte[] requests = "GET tiny\n".repeat(100).getBytes(StandardCharsets.US_ASCII);
        in.write(ByteBuffer.wrap(requests));
        FakeConn conn = new FakeConn(in);
        Handler h = Protocol.FILE.handlers(cfg().halfClose(true).build(), root).get();
        h.onData(conn);
        // the socket is full (the fake never sends): one file waits, its descriptor open; the rest wait unread
        assertEquals(1, conn.files.size(), "files in flight (before: 100 open files queued at once)");
        assertEquals(requests.length - 9, in.readable());
        for (int i = 1; i < 100; i++) {
            FakeConn.Queued q = conn.files.get(i - 1);
            assertTrue(q.file().isOpen());
            q.listener().onFileSent(conn, q.file(), 1, true);     // sent: the next request is read
            assertFalse(q.file().isOpen(), "closed when sent");
            assertEquals(i + 1, conn.files.size());
        }
        conn.files.get(99).listener().onFileSent(conn, conn.files.get(99).file(), 1, true);
        assertTrue(in.isEmpty());
        assertEquals("OK 1\n".repeat(100), conn.written.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void theFileProtocolNeedsHalfCloseAndAHalfClosingClientGetsItsFile() throws Exception {
        Path root = dir.resolve("www");
        Path big = file("www/big.bin", 4 << 20, 15);
        ServerConfig without = cfg().build();
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Protocol.FILE.handlers(without, root));
        assertTrue(e.getMessage().contains("halfClose"), e.getMessage());
        ServerConfig config = cfg().halfClose(true).build();
        try (Server s = Server.start(config, Protocol.FILE.handlers(config, root));
             TestClient c = new TestClient(s.address())) {
            get(c, "big.bin");
            c.ch.shutdownOutput();                  // nc -N: the request, then FIN
            assertServes(c, big);
            assertTrue(c.awaitClosed());
        }
    }

    /** A connection whose socket never takes a file: sendFile queues, the test plays the loop. */
    static final class FakeConn implements Conn {
        record Queued(FileChannel file, FileSendListener listener) {
        }

        final dev.netkit.ring.ByteRing in;
        final List<Queued> files = new java.util.ArrayList<>();
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        Object attachment;

        FakeConn(dev.netkit.ring.ByteRing in) {
            this.in = in;
        }

        @Override
        public long id() {
            return 1;
        }

        @Override
        public dev.netkit.ring.ByteRing in() {
            return in;
        }

        @Override
        public boolean write(ByteBuffer src) {
            byte[] b = new byte[src.remaining()];
            src.get(b);
            written.writeBytes(b);
            return true;
        }

        @Override
        public boolean write(ByteBuffer... srcs) {
            for (ByteBuffer b : srcs) {
                write(b);
            }
            return true;
        }

        @Override
        public boolean write(dev.netkit.ring.Segments segments) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean sendFile(FileChannel file, long position, long count, FileSendListener listener) {
            files.add(new Queued(file, listener));
            return true;
        }

        @Override
        public long pendingOutputBytes() {
            return 0;
        }

        @Override
        public int writableBytes() {
            return 1 << 16;
        }

        @Override
        public boolean isWritable() {
            return true;                            // below the water marks: only in-flight files hold it back
        }

        @Override
        public SendResult send(long targetId, ByteBuffer frame) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SendResult send(long targetId, ByteBuffer[] parts, int count) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setMaxIdle(java.time.Duration maxIdle) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object attachment() {
            return attachment;
        }

        @Override
        public Object attach(Object a) {
            Object old = attachment;
            attachment = a;
            return old;
        }

        @Override
        public void close() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void abort(CloseReason reason) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isOpen() {
            return true;
        }
    }

    @Test
    void argumentsAndThreadAreChecked() throws Exception {
        Path f = file("small", 100, 6);
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        List<Sent> done = new CopyOnWriteArrayList<>();
        AtomicReference<Conn> conn = new AtomicReference<>();
        try (FileChannel ch = FileChannel.open(f)) {
            Handler h = onFirstByte(c -> {
                conn.set(c);
                for (long[] bad : new long[][] {{-1, 10}, {0, -1}, {0, 101}, {50, 51}, {101, 0}}) {
                    try {
                        c.sendFile(ch, bad[0], bad[1]);
                    } catch (IllegalArgumentException e) {
                        thrown.add(e);
                    }
                }
                assertTrue(c.sendFile(ch, 100, 0, (cc, file, sent, complete) -> done.add(new Sent(file, sent, complete))));
                assertTrue(c.sendFile(ch, 0, 100));
            });
            try (Server s = Server.start(cfg().build(), () -> h); TestClient c = new TestClient(s.address())) {
                c.write(new byte[] {1});
                assertArrayEquals(Files.readAllBytes(f), c.readFully(100));
                assertEquals(5, thrown.size(), thrown.toString());
                assertEquals(List.of(new Sent(ch, 0, true)), done, "count 0: told at once");
                Throwable other = null;
                try {
                    conn.get().sendFile(ch, 0, 1);
                } catch (IllegalStateException e) {
                    other = e;
                }
                assertInstanceOf(IllegalStateException.class, other, "from another thread");
            }
        }
    }

    // ------------------------------------------------------------------ the file protocol

    private static String readLine(TestClient c) throws IOException {
        StringBuilder b = new StringBuilder();
        while (true) {
            byte x = c.readFully(1)[0];
            if (x == '\n') {
                return b.toString();
            }
            b.append((char) x);
        }
    }

    private static void get(TestClient c, String name) throws IOException {
        c.write(("GET " + name + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void assertServes(TestClient c, Path want) throws IOException {
        byte[] bytes = Files.readAllBytes(want);
        assertEquals("OK " + bytes.length, readLine(c));
        assertArrayEquals(bytes, c.readFully(bytes.length));
    }

    @Test
    void theFileProtocolServesItsDirectoryAndRefusesEverythingElse() throws Exception {
        Path root = dir.resolve("www");
        Path a = file("www/a.bin", 3 << 20, 7);
        Path b = file("www/sub/b.txt", 5000, 8);
        Path secret = file("secret", 10, 9);
        file("www/.hidden", 10, 16);
        file("www/sub/.hidden", 10, 17);
        Files.createSymbolicLink(root.resolve("link"), secret);
        Files.createSymbolicLink(root.resolve("inner"), b);
        ServerConfig config = cfg().halfClose(true).build();
        try (Server s = Server.start(config, Protocol.FILE.handlers(config, root));
             TestClient c = new TestClient(s.address())) {
            get(c, "a.bin");
            assertServes(c, a);
            c.write("GET sub/b.txt\r\nGET a.bin\nGET inner\n".getBytes(StandardCharsets.US_ASCII));   // pipelined
            assertServes(c, b);
            assertServes(c, a);
            assertServes(c, b);                     // a link that stays inside is served
            for (String bad : new String[] {"../secret", "/etc/passwd", "sub/../../secret", "link", "sub", "nope",
                    "sub//b.txt", "./a.bin", "sub\\b.txt", "a.bin\u0001", ".hidden", "sub/.hidden"}) {
                get(c, bad);
                String answer = readLine(c);
                assertTrue(answer.startsWith("ERR "), bad + " answered " + answer);
            }
            get(c, "a.bin");                        // still open and serving after the refusals
            assertServes(c, a);
            c.write("PUT a.bin\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(readLine(c).startsWith("ERR "));
            assertTrue(c.awaitClosed(), "a line that is not a request closes the connection");
        }
    }

    @Test
    void fetchChecksEveryByteAndReportsAWrongFile() throws Exception {
        Path root = dir.resolve("www");
        Path f = file("www/f.bin", (5 << 20) + 17, 11);
        Path other = file("other.bin", (5 << 20) + 17, 12);      // same length, other bytes
        ServerConfig config = cfg().subReactors(2).halfClose(true).build();
        try (Server s = Server.start(config, Protocol.FILE.handlers(config, root))) {
            java.io.PrintStream quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
            var ok = dev.netkit.reactor.load.FileFetch.run(s.address(), "f.bin", f, 3, 4, 0, quiet);
            assertEquals(0, ok.mismatches(), ok::firstProblem);
            assertEquals(12, ok.requests());
            assertEquals(12L * Files.size(f), ok.bytes());
            var wrong = dev.netkit.reactor.load.FileFetch.run(s.address(), "f.bin", other, 1, 2, 0, quiet);
            assertEquals(2, wrong.mismatches());
            assertTrue(wrong.firstProblem().contains("CRC-32C"), wrong.firstProblem());
            var missing = dev.netkit.reactor.load.FileFetch.run(s.address(), "../other.bin", null, 1, 1, 0, quiet);
            assertEquals(1, missing.mismatches());
            assertTrue(missing.firstProblem().contains("ERR"), missing.firstProblem());
        }
    }

    @Test
    void aPeerThatLeavesMidFileCostsNothingElse() throws Exception {
        Path root = dir.resolve("www");
        Path big = file("www/big.bin", 16 << 20, 10);
        ServerConfig config = cfg().subReactors(1).halfClose(true).build();
        try (Server s = Server.start(config, Protocol.FILE.handlers(config, root))) {
            TestClient quitter = new TestClient(s.address(), 64 << 10);
            try (TestClient stayer = new TestClient(s.address())) {
                get(quitter, "big.bin");
                get(stayer, "big.bin");
                assertEquals("OK " + (16 << 20), readLine(quitter));
                quitter.readFully(1 << 20);
                quitter.ch.setOption(StandardSocketOptions.SO_LINGER, 0);
                quitter.close();                    // a reset, 1 MiB into 16
                assertServes(stayer, big);
                Await.until(() -> s.stats().closed(CloseReason.IO_ERROR) + s.stats().closed(CloseReason.PEER_CLOSED) == 1,
                        () -> "the quitter's close: " + s.stats());
                get(stayer, "big.bin");
                assertServes(stayer, big);
            }
            Await.until(() -> s.pool().liveBuffers() == s.pool().idle(),
                    () -> "ring buffers still lent: " + (s.pool().liveBuffers() - s.pool().idle()));
        }
        assertNotNull(big);
    }
}
