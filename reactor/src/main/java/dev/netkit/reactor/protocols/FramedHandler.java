package dev.netkit.reactor.protocols;

import dev.netkit.reactor.CloseReason;
import dev.netkit.reactor.Conn;
import dev.netkit.reactor.Handler;
import dev.netkit.ring.ByteRing;
import dev.netkit.ring.Segments;

import java.nio.ByteBuffer;

/**
 * The read loop of the length-prefixed protocols (relay, pub/sub): take each whole frame from the inbound
 * ring, hand it to {@link #onFrame}, discard it once handled; a malformed frame, or an end of stream inside
 * one, closes the connection ({@link CloseReason#MALFORMED_FRAME}). A frame whose handling is refused (no
 * room for an answer) stays in the ring, and the engine calls {@link #onData} again once the output drains.
 * Loop only, like every handler.
 */
abstract class FramedHandler implements Handler {
    /** The largest length field a client frame may carry. */
    final int maxFrameBytes;

    FramedHandler(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * The first client frame in {@code in}, if complete.
     *
     * @param in the inbound bytes
     * @return its total bytes (length field included); 0 if more bytes are needed; -1 if it is malformed
     */
    abstract int frameBytes(ByteRing in);

    /**
     * Handles the whole frame at the start of {@code conn.in()}.
     *
     * @param conn  the connection
     * @param in    its inbound ring, the frame first
     * @param bytes the frame's total bytes
     * @return false to leave the frame in the ring and stop reading until the output drains
     */
    abstract boolean onFrame(Conn conn, ByteRing in, int bytes);

    @Override
    public final void onData(Conn conn) {
        ByteRing in = conn.in();
        int bytes;
        while ((bytes = frameBytes(in)) != 0) {
            if (bytes < 0) {
                conn.abort(CloseReason.MALFORMED_FRAME);
                return;
            }
            if (!onFrame(conn, in, bytes) || !conn.isOpen()) {
                return;                 // refused (it stays until onWritable), or closed meanwhile
            }
            in.discard(bytes);
        }
    }

    @Override
    public final void onInputClosed(Conn conn) {
        if (!conn.in().isEmpty()) {
            conn.abort(CloseReason.MALFORMED_FRAME);    // a truncated frame
        }
    }

    /**
     * The first frame of a length-prefixed protocol in {@code in}, if complete: a 4-byte big-endian length
     * field counting the bytes after it, then those bytes.
     *
     * @param in        the inbound bytes
     * @param minLength the smallest length field accepted
     * @param maxLength the largest length field accepted
     * @return the frame's total bytes (length field included) if a whole frame is there; 0 if more bytes
     *         are needed; -1 if the length is out of range
     */
    static int lengthPrefixed(ByteRing in, int minLength, int maxLength) {
        if (in.readable() < 4) {
            return 0;
        }
        int len = in.getInt(0);
        if (len < minLength || len > maxLength) {
            return -1;
        }
        return in.readable() < 4 + len ? 0 : 4 + len;
    }

    /**
     * Copies the first {@code bytes} of {@code in} into {@code dst} from its position (which advances); the
     * ring is not consumed.
     *
     * @param in    the inbound ring
     * @param bytes how many
     * @param dst   where to
     */
    static void copy(ByteRing in, int bytes, ByteBuffer dst) {
        Segments s = in.peek(bytes);
        for (int i = 0; i < s.count(); i++) {
            dst.put(s.get(i));
        }
    }
}
