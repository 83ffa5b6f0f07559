package dev.netkit.reactor;

/**
 * A protocol: what a {@link Server} does with each connection. Implement {@link #onData(Conn)}; the other
 * callbacks have defaults.
 *
 * <p><b>Threading.</b> The server asks its factory ({@link Server#start(ServerConfig, java.util.function.Supplier)})
 * for one handler per sub-reactor, and calls it only from that sub-reactor's thread, for the connections it
 * owns: a handler may keep per-loop scratch state (a buffer, a decoder) in plain fields, and per-connection
 * state in {@link Conn#attach(Object)}. Callbacks must not block: every connection of the loop waits.
 *
 * <p><b>Nesting.</b> A callback may run inside another on the same loop: a {@link Conn#send} that finds a
 * same-loop target's inbox full closes that target, and a {@link Conn#close()} or {@link Conn#abort} of a
 * same-loop connection closes it, each calling its {@link #onClose} before returning (and, before that, the
 * {@link FileSendListener}s of its queued files). A handler whose
 * {@code onClose} uses the same scratch buffer as the callback that sent or closed must not rely on that
 * buffer's content across such a call.
 *
 * <p><b>Failures.</b> A callback that throws closes its connection alone ({@link CloseReason#HANDLER_ERROR},
 * the cause kept by {@link Server#handlerErrors()}); the loop goes on.
 *
 * <p>A complete handler (it answers each line in upper case) is in the reactor's EVIDENCE.md, "Write your
 * own protocol"; {@code dev.netkit.reactor.protocols} holds the echo, relay, pub/sub and file handlers.
 */
public interface Handler {
    /**
     * A connection was accepted and registered: it has its id and may write. Default: nothing.
     *
     * @param conn the new connection
     */
    default void onOpen(Conn conn) {
    }

    /**
     * Bytes arrived: consume what you can from {@link Conn#in()} (peek, then discard), and leave a partial
     * frame for the next call. Called again with what is left when the connection becomes writable after
     * {@link Conn#write} refused a write, so a handler that stops at a refused write loses nothing.
     *
     * @param conn the connection; {@code conn.in()} holds at least one byte
     */
    void onData(Conn conn);

    /**
     * The outbound bytes fell to the low water mark after the connection had become unwritable (its
     * pending output reached the high water mark, or a {@link Conn#write} was refused): a paused writer may
     * go on. Called before {@link #onData} re-reads what was left. Default: nothing.
     *
     * @param conn the connection
     */
    default void onWritable(Conn conn) {
    }

    /**
     * The connection had no traffic for its idle duration ({@link ServerConfig.Builder#idleTimeout}, or
     * {@link Conn#setMaxIdle}). Default: {@code conn.abort(CloseReason.IDLE)}. A handler that leaves it
     * open (a keep-alive ping, say) gets the next call after another idle duration.
     *
     * @param conn the idle connection
     */
    default void onIdle(Conn conn) {
        conn.abort(CloseReason.IDLE);
    }

    /**
     * The peer closed its side (end of stream). Bytes still in {@code conn.in()} were not consumed by
     * {@link #onData} (a partial frame). Default: nothing; the server then closes the connection
     * ({@link CloseReason#PEER_CLOSED}), or, with {@link ServerConfig.Builder#halfClose half-close}, once
     * the pending output is written. A handler may {@link Conn#abort} it instead (a truncated frame).
     *
     * @param conn the connection
     */
    default void onInputClosed(Conn conn) {
    }

    /**
     * The connection is closed: its id is no longer found, writes and sends to it are refused. Called once
     * for each connection {@link #onOpen} was called for. Default: nothing.
     *
     * @param conn   the closed connection (its {@link Conn#attachment()} is still there)
     * @param reason why it closed
     * @param cause  the exception behind {@link CloseReason#HANDLER_ERROR}, else null
     */
    default void onClose(Conn conn, CloseReason reason, Throwable cause) {
    }
}
