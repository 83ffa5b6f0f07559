package dev.netkit.reactor.protocols;

import dev.netkit.ring.ByteRing;

import java.nio.ByteBuffer;

/**
 * The pub/sub protocol's wire format (big-endian), used by {@link PubSubHandler} and the load generator.
 *
 * <p>Client to server: {@code [int length][byte op][byte topicLength][topic][payload]}, {@code length =
 * 2 + topicLength + payload length}; ops {@link #SUB} and {@link #UNSUB} (no payload) and {@link #PUB}. A
 * topic is 1 to 255 bytes (any bytes; UTF-8 names in practice). A length outside [3, maxFrameBytes], a
 * topic length of 0 or past the frame, an unknown op, or a payload on SUB/UNSUB is malformed and closes the
 * connection.
 *
 * <p>Server to client: {@code [int length][byte type][long id][byte topicLength][topic][payload]},
 * {@code length = 10 + topicLength + payload length}; types {@link #MSG} ({@code id} = the publisher's
 * connection id, the published payload), {@link #SUBSCRIBED} and {@link #UNSUBSCRIBED} ({@code id} = your
 * own connection id, no payload: the acknowledgement, sent once the change is in effect, so every PUB that
 * starts after a client reads SUBSCRIBED reaches it).
 *
 * <p><b>Thread safety.</b> Stateless: any thread.
 */
public final class PubSubFrames {
    /** Bytes of the length field. */
    public static final int LENGTH_BYTES = 4;
    /** Offset of the op in a client frame. */
    public static final int OP_OFFSET = 4;
    /** Offset of the topic length in a client frame. */
    public static final int CLIENT_TOPIC_LENGTH_OFFSET = 5;
    /** Bytes of a client frame before its topic. */
    public static final int CLIENT_HEADER = 6;
    /** Offset of the type in a server frame. */
    public static final int TYPE_OFFSET = 4;
    /** Offset of the id in a server frame. */
    public static final int ID_OFFSET = 5;
    /** Offset of the topic length in a server frame. */
    public static final int SERVER_TOPIC_LENGTH_OFFSET = 13;
    /** Bytes of a server frame before its topic. */
    public static final int SERVER_HEADER = 14;
    /** The longest topic, in bytes. */
    public static final int MAX_TOPIC_BYTES = 255;
    /** Op: subscribe this connection to the topic. */
    public static final byte SUB = 1;
    /** Op: unsubscribe this connection from the topic. */
    public static final byte UNSUB = 2;
    /** Op: publish the payload to every subscriber of the topic. */
    public static final byte PUB = 3;
    /** Type: a message published to a topic you subscribe to. */
    public static final byte MSG = 4;
    /** Type: your SUB is in effect. */
    public static final byte SUBSCRIBED = 5;
    /** Type: your UNSUB is in effect. */
    public static final byte UNSUBSCRIBED = 6;

    private PubSubFrames() {
    }

    /**
     * Writes a whole client frame at {@code dst}'s position (which advances).
     *
     * @param dst     where to write
     * @param op      {@link #SUB}, {@link #UNSUB} or {@link #PUB}
     * @param topic   1 to 255 bytes
     * @param payload the payload (PUB), or null; its position does not move
     * @return dst
     */
    public static ByteBuffer putClientFrame(ByteBuffer dst, byte op, byte[] topic, ByteBuffer payload) {
        int p = payload == null ? 0 : payload.remaining();
        dst.putInt(2 + topic.length + p).put(op).put((byte) topic.length).put(topic);
        if (payload != null) {
            dst.put(payload.duplicate());
        }
        return dst;
    }

    /**
     * The first client frame in {@code in}, if complete.
     *
     * @param in            the inbound bytes
     * @param maxFrameBytes the largest length field accepted
     * @return the frame's total bytes (length field included) if a whole frame is there; 0 if more bytes
     *         are needed; -1 if it is malformed
     */
    public static int clientFrame(ByteRing in, int maxFrameBytes) {
        int total = FramedHandler.lengthPrefixed(in, 3, maxFrameBytes);
        if (total <= 0) {
            return total;
        }
        int len = total - LENGTH_BYTES;
        byte op = in.getByte(OP_OFFSET);
        int topic = in.getByte(CLIENT_TOPIC_LENGTH_OFFSET) & 0xFF;
        if (topic == 0 || 2 + topic > len || op < SUB || op > PUB || (op != PUB && 2 + topic != len)) {
            return -1;
        }
        return total;
    }

    /**
     * Writes a server frame's header at {@code dst[at]} (absolute); the topic and payload follow it.
     *
     * @param dst          where to write
     * @param at           the frame's first byte
     * @param type         {@link #MSG}, {@link #SUBSCRIBED} or {@link #UNSUBSCRIBED}
     * @param id           the header's id
     * @param topicBytes   the topic's length
     * @param payloadBytes the payload's length
     * @return dst
     */
    public static ByteBuffer putServerHeader(ByteBuffer dst, int at, byte type, long id, int topicBytes, int payloadBytes) {
        return dst.putInt(at, 10 + topicBytes + payloadBytes).put(at + TYPE_OFFSET, type).putLong(at + ID_OFFSET, id)
                .put(at + SERVER_TOPIC_LENGTH_OFFSET, (byte) topicBytes);
    }

    /**
     * A server frame's size.
     *
     * @param b  a buffer holding a server frame's header at {@code at}
     * @param at the frame's first byte
     * @return the frame's total bytes (length field included)
     */
    public static int serverFrameBytes(ByteBuffer b, int at) {
        return LENGTH_BYTES + b.getInt(at);
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
     * A server frame's topic length.
     *
     * @param b  a buffer holding a server frame's header at {@code at}
     * @param at the frame's first byte
     * @return its topic's length
     */
    public static int topicBytes(ByteBuffer b, int at) {
        return b.get(at + SERVER_TOPIC_LENGTH_OFFSET) & 0xFF;
    }

    /**
     * Where a server frame's payload starts.
     *
     * @param b  a buffer holding a whole server frame at {@code at}
     * @param at the frame's first byte
     * @return the offset of its payload
     */
    public static int payloadOffset(ByteBuffer b, int at) {
        return at + SERVER_HEADER + topicBytes(b, at);
    }

    /**
     * A server frame's payload length.
     *
     * @param b  a buffer holding a whole server frame at {@code at}
     * @param at the frame's first byte
     * @return its payload's length
     */
    public static int payloadBytes(ByteBuffer b, int at) {
        return b.getInt(at) - 10 - topicBytes(b, at);
    }
}
