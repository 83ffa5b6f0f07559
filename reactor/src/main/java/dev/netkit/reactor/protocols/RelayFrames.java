package dev.netkit.reactor.protocols;

import dev.netkit.ring.ByteRing;

import java.nio.ByteBuffer;

/**
 * The relay protocol's wire format (big-endian), in one place: offsets, sizes, encoders and decoders, used
 * by {@link RelayHandler} and the load generator alike.
 *
 * <p>Client to server: {@code [int length][long targetId][payload]}, where {@code length} counts the bytes
 * after the length field ({@code 8 + payload length}). A length below 8 or above the server's
 * {@code maxFrameBytes} is malformed and closes the connection, as does an end of stream in the middle of
 * a frame.
 *
 * <p>Server to client: {@code [int length][long id][byte type][payload]}, {@code length = 9 + payload
 * length}. Types: {@link #HELLO} (first frame on every connection, {@code id} = the client's own connection
 * id, no payload), {@link #DATA} ({@code id} = the sender's connection id, the sender's payload as sent),
 * {@link #ERROR} ({@code id} = the unknown or stale target id the client addressed; no payload).
 *
 * <p>Connection ids are {@code ConnMatrix} ids: {@code ConnMatrix.shardOf(id)} is the index of the
 * sub-reactor that owns the connection (the load generator uses it to pick same- or cross-reactor pairs).
 *
 * <p><b>Thread safety.</b> Stateless: any thread.
 */
public final class RelayFrames {
    /** Offset of the length field, in both directions. */
    public static final int LENGTH_OFFSET = 0;
    /** Bytes of the length field. */
    public static final int LENGTH_BYTES = 4;
    /** Offset of the target id in a client frame. */
    public static final int TARGET_OFFSET = 4;
    /** Bytes of the client-to-server header: length and target id. */
    public static final int CLIENT_HEADER = 12;
    /** Offset of the id (own, sender's, or unknown target's) in a server frame. */
    public static final int ID_OFFSET = 4;
    /** Offset of the type byte in a server frame. */
    public static final int TYPE_OFFSET = 12;
    /** Bytes of the server-to-client header: length, id and type. */
    public static final int SERVER_HEADER = 13;
    /** The first frame: your connection id. */
    public static final byte HELLO = 1;
    /** A delivered payload: from the connection id in the header. */
    public static final byte DATA = 2;
    /** The target id was unknown or stale: nothing was delivered. */
    public static final byte ERROR = 3;

    private RelayFrames() {
    }

    /**
     * A client frame's length field.
     *
     * @param payloadBytes the payload's length
     * @return the client frame's length field: {@code 8 + payloadBytes}
     */
    public static int clientLength(int payloadBytes) {
        return 8 + payloadBytes;
    }

    /**
     * A server frame's length field.
     *
     * @param payloadBytes the payload's length
     * @return the server frame's length field: {@code 9 + payloadBytes}
     */
    public static int serverLength(int payloadBytes) {
        return 9 + payloadBytes;
    }

    /**
     * Writes a client frame's header at {@code dst}'s position (which advances); the payload follows.
     *
     * @param dst          where to write, 12 bytes
     * @param targetId     the target connection's id
     * @param payloadBytes the payload's length
     * @return dst
     */
    public static ByteBuffer putClientHeader(ByteBuffer dst, long targetId, int payloadBytes) {
        return dst.putInt(clientLength(payloadBytes)).putLong(targetId);
    }

    /**
     * Writes a server frame's header at {@code dst[at]} (absolute: the position does not move).
     *
     * @param dst          where to write, 13 bytes from {@code at}
     * @param at           the frame's first byte
     * @param id           the header's id
     * @param type         {@link #HELLO}, {@link #DATA} or {@link #ERROR}
     * @param payloadBytes the payload's length
     * @return dst
     */
    public static ByteBuffer putServerHeader(ByteBuffer dst, int at, long id, byte type, int payloadBytes) {
        return dst.putInt(at + LENGTH_OFFSET, serverLength(payloadBytes)).putLong(at + ID_OFFSET, id)
                .put(at + TYPE_OFFSET, type);
    }

    /**
     * The first client frame in {@code in}, if complete.
     *
     * @param in            the inbound bytes
     * @param maxFrameBytes the largest length field accepted
     * @return the frame's total bytes (length field included) if a whole frame is there; 0 if more bytes
     *         are needed; -1 if the length is malformed
     */
    public static int clientFrame(ByteRing in, int maxFrameBytes) {
        return FramedHandler.lengthPrefixed(in, 8, maxFrameBytes);
    }

    /**
     * A client frame's target.
     *
     * @param in a ring starting with a whole client frame
     * @return its target id
     */
    public static long target(ByteRing in) {
        return in.getLong(TARGET_OFFSET);
    }

    /**
     * A server frame's size.
     *
     * @param b  a buffer holding a server frame's header at {@code at}
     * @param at the frame's first byte
     * @return the frame's total bytes (length field included)
     */
    public static int serverFrameBytes(ByteBuffer b, int at) {
        return LENGTH_BYTES + b.getInt(at + LENGTH_OFFSET);
    }

    /**
     * A server frame's type.
     *
     * @param b  a buffer holding a server frame's header at {@code at}
     * @param at the frame's first byte
     * @return its type
     */
    public static byte type(ByteBuffer b, int at) {
        return b.get(at + TYPE_OFFSET);
    }

    /**
     * A server frame's id.
     *
     * @param b  a buffer holding a server frame's header at {@code at}
     * @param at the frame's first byte
     * @return its id
     */
    public static long id(ByteBuffer b, int at) {
        return b.getLong(at + ID_OFFSET);
    }

    /**
     * A server frame's payload length.
     *
     * @param b  a buffer holding a server frame's header at {@code at}
     * @param at the frame's first byte
     * @return its payload's length
     */
    public static int payloadBytes(ByteBuffer b, int at) {
        return b.getInt(at + LENGTH_OFFSET) - 9;
    }
}
