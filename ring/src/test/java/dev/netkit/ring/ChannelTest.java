package dev.netkit.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ScatteringByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real channels: a loopback {@link SocketChannel} pair and a {@link Pipe}. Each ring is positioned so that
 * its free space (for readFrom) or its readable bytes (for writeTo) wrap around the end; a counting wrapper
 * checks that one vectored call was made with two buffers, and the bytes on the other side are compared.
 * The sender writes everything before the single readFrom (50 bytes on loopback or in a pipe arrive in one
 * piece), so the call must return all of them.
 */
class ChannelTest {
    static final int CAP = 64;
    static final int OFFSET = 40;       // free/readable region wraps: [40, 64) + [0, ...)
    static final int N = 50;

    /** Counts channel calls (vectored or plain) and the buffers each was given. */
    static final class Counting implements ScatteringByteChannel, GatheringByteChannel {
        final ScatteringByteChannel in;
        final GatheringByteChannel out;
        int calls;
        int lastLength;

        Counting(ScatteringByteChannel in, GatheringByteChannel out) {
            this.in = in;
            this.out = out;
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            calls++;
            lastLength = length;
            return in.read(dsts, offset, length);
        }

        @Override
        public long read(ByteBuffer[] dsts) throws IOException {
            return read(dsts, 0, dsts.length);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            calls++;
            lastLength = 1;
            return in.read(dst);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            calls++;
            lastLength = length;
            return out.write(srcs, offset, length);
        }

        @Override
        public long write(ByteBuffer[] srcs) throws IOException {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            calls++;
            lastLength = 1;
            return out.write(src);
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    SocketChannel a;
    SocketChannel b;
    Pipe pipe;

    @BeforeEach
    void open() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            a = SocketChannel.open(server.getLocalAddress());
            b = server.accept();
        }
        pipe = Pipe.open();
    }

    @AfterEach
    void close() throws IOException {
        a.close();
        b.close();
        pipe.sink().close();
        pipe.source().close();
    }

    static byte[] data() {
        byte[] d = new byte[N];
        for (int i = 0; i < N; i++) {
            d[i] = (byte) (i * 13 + 5);
        }
        return d;
    }

    static final byte MARK = 0x77;

    /** n zero bytes and a marker: skip(n) leaves the marker readable at index n, so an elastic ring keeps its buffer. */
    static byte[] marked(int n) {
        byte[] m = new byte[n + 1];
        m[n] = MARK;
        return m;
    }

    static byte[] withMark(byte[] d) {
        byte[] m = new byte[d.length + 1];
        m[0] = MARK;
        System.arraycopy(d, 0, m, 1, d.length);
        return m;
    }

    interface RingUnderTest {
        /** Moves the ring's positions to n and leaves one marker byte readable there. */
        void skip(int n);

        long readFrom(ScatteringByteChannel ch) throws IOException;

        long writeTo(GatheringByteChannel ch) throws IOException;

        void write(byte[] d);

        byte[] readAll();
    }

    static RingUnderTest ring(String kind) {
        if (kind.startsWith("Spsc")) {
            SpscByteRing r = SpscByteRing.direct(CAP);
            return new RingUnderTest() {
                public void skip(int n) { r.write(marked(n), 0, n + 1); r.discard(n); }
                public long readFrom(ScatteringByteChannel ch) throws IOException { return r.readFrom(ch); }
                public long writeTo(GatheringByteChannel ch) throws IOException { return r.writeTo(ch); }
                public void write(byte[] d) { assertEquals(d.length, r.write(d, 0, d.length)); }
                public byte[] readAll() {
                    byte[] o = new byte[r.readable()];
                    r.read(o, 0, o.length);
                    return o;
                }
            };
        }
        ByteRing r = kind.equals("elastic")
                ? ByteRing.elastic(CAP, BufferProvider.direct()) : ByteRing.direct(CAP);
        return new RingUnderTest() {
            public void skip(int n) { r.write(marked(n), 0, n + 1); r.discard(n); }
            public long readFrom(ScatteringByteChannel ch) throws IOException { return r.readFrom(ch); }
            public long writeTo(GatheringByteChannel ch) throws IOException { return r.writeTo(ch); }
            public void write(byte[] d) { assertEquals(d.length, r.write(d, 0, d.length)); }
            public byte[] readAll() {
                byte[] o = new byte[r.readable()];
                r.read(o, 0, o.length);
                return o;
            }
        };
    }

    private void check(String kind, ScatteringByteChannel src, GatheringByteChannel srcPeer,
                       GatheringByteChannel dst, ScatteringByteChannel dstPeer) throws IOException {
        byte[] d = data();
        // readFrom: the peer sends 50 bytes; the ring (marker at 40) has free space [41, 64) + [0, 40)
        RingUnderTest r = ring(kind);
        r.skip(OFFSET);
        ByteBuffer sent = ByteBuffer.wrap(d);
        while (sent.hasRemaining()) {
            srcPeer.write(new ByteBuffer[] {sent});
        }
        Counting c = new Counting(src, null);
        assertEquals(N, r.readFrom(c), "one readv takes all 50 bytes");
        assertEquals(1, c.calls);
        assertEquals(2, c.lastLength, "both free segments");
        assertEquals(ByteBuffer.wrap(withMark(d)), ByteBuffer.wrap(r.readAll()));

        // writeTo: 51 readable bytes (marker + 50) at [40, 64) + [0, 27)
        RingUnderTest w = ring(kind);
        w.skip(OFFSET);
        w.write(d);
        Counting cw = new Counting(null, dst);
        assertEquals(N + 1, w.writeTo(cw), "one writev sends all 51 bytes");
        assertEquals(1, cw.calls);
        assertEquals(2, cw.lastLength, "both readable segments");
        ByteBuffer got = ByteBuffer.allocate(N + 1);
        while (got.hasRemaining()) {
            dstPeer.read(new ByteBuffer[] {got});
        }
        assertEquals(ByteBuffer.wrap(withMark(d)), got.flip());
    }

    @ParameterizedTest
    @ValueSource(strings = {"direct", "elastic", "Spsc"})
    void socketChannelAcrossTheWrap(String kind) throws IOException {
        check(kind, b, a, a, b);
    }

    @ParameterizedTest
    @ValueSource(strings = {"direct", "elastic", "Spsc"})
    void pipeAcrossTheWrap(String kind) throws IOException {
        check(kind, pipe.source(), pipe.sink(), pipe.sink(), pipe.source());
    }
}
