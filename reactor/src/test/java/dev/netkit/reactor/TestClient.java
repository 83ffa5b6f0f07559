package dev.netkit.reactor;

import dev.netkit.reactor.protocols.RelayFrames;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** A blocking loopback client for the integration tests. */
final class TestClient implements AutoCloseable {
    final SocketChannel ch;

    TestClient(InetSocketAddress address) throws IOException {
        ch = SocketChannel.open(address);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
    }

    /**
     * A client whose receive buffer is fixed at {@code receiveBuffer} bytes before it connects (which turns
     * off the kernel's autotuning), so that a client that does not read fills the path back to the server
     * quickly instead of after tens of megabytes.
     */
    TestClient(InetSocketAddress address, int receiveBuffer) throws IOException {
        ch = SocketChannel.open();
        ch.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ch.connect(address);
    }

    void write(byte[] b) throws IOException {
        write(b, 0, b.length);
    }

    void write(byte[] b, int off, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    void readFully(byte[] b, int off, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                throw new EOFException("end of stream after " + (buf.position() - off) + " of " + len + " bytes");
            }
        }
    }

    byte[] readFully(int n) throws IOException {
        byte[] b = new byte[n];
        readFully(b, 0, n);
        return b;
    }

    /** @return true if the server closed the connection (end of stream or reset) before any byte came */
    boolean awaitClosed() {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        try {
            while (true) {
                buf.clear();
                if (ch.read(buf) < 0) {
                    return true;
                }
            }
        } catch (IOException e) {
            return true;        // reset
        }
    }

    /** Relay: sends [len][target][payload]. */
    void sendFrame(long target, byte[] payload) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(12 + payload.length);
        b.putInt(8 + payload.length).putLong(target).put(payload).flip();
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** A server frame: type, id, payload. */
    record Frame(byte type, long id, byte[] payload) {
    }

    Frame readFrame() throws IOException {
        byte[] h = readFully(RelayFrames.SERVER_HEADER);
        ByteBuffer hb = ByteBuffer.wrap(h);
        int len = hb.getInt();
        long id = hb.getLong();
        byte type = hb.get();
        return new Frame(type, id, readFully(len - 9));
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
