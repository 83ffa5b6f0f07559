package dev.netkit.reactor;

/** Why the server closed a connection; each is counted in {@link ServerStats}. */
public enum CloseReason {
    /** The peer closed (end of stream, without half-close, or after the pending output was written). */
    PEER_CLOSED,
    /** The peer reset the connection or another I/O error hit it. */
    IO_ERROR,
    /** No traffic for the idle timeout. */
    IDLE,
    /** A frame the handler could not parse (the relay: a negative, too small or oversized length). */
    MALFORMED_FRAME,
    /**
     * More bytes waited to be written to the connection than its outbound cap allows (a peer that does not
     * read): its inbox was full when a frame was sent to it ({@link SendResult#TARGET_FULL}).
     */
    OUTBOUND_CAP,
    /** Accepted beyond {@link ServerConfig#maxConnections()}. */
    MAX_CONNECTIONS,
    /** The handler closed it ({@link Conn#close()}), after its pending output was written. */
    APPLICATION,
    /** The connection's handler threw. */
    HANDLER_ERROR,
    /** The server shut down. */
    SHUTDOWN,
    /**
     * The connection's sub-reactor stopped on an unexpected error ({@link Server#failure()}): its
     * connections, and those queued for it, are closed.
     */
    LOOP_FAILED
}
