package dev.netkit.reactor;

/**
 * The relay protocol's wire format (big-endian).
 *
 * <p>Client to server: {@code [int length][long targetId][payload]}, where {@code length} counts the bytes
 * after the length field ({@code 8 + payload length}). A length below 8 or above
 * {@link ServerConfig#maxFrameBytes()} is malformed and closes the connection, as does an end of stream in
 * the middle of a frame.
 *
 * <p>Server to client: {@code [int length][long id][byte type][payload]}, {@code length = 9 + payload
 * length}. Types: {@link #HELLO} (first frame on every connection, {@code id} = the client's own connection
 * id, no payload), {@link #DATA} ({@code id} = the sender's connection id, the sender's payload as sent),
 * {@link #ERROR} ({@code id} = the unknown or stale target id the client addressed; no payload).
 *
 * <p>Connection ids are {@code ConnMatrix} ids: {@code ConnMatrix.shardOf(id)} is the index of the
 * sub-reactor that owns the connection (the load generator uses it to pick same- or cross-reactor pairs).
 */
public final class RelayFrames {
    /** Bytes of the client-to-server header: length and target id. */
    public static final int CLIENT_HEADER = 12;
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
}
