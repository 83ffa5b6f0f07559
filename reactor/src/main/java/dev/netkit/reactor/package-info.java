/**
 * An event-loop TCP server engine built from netkit's modules: one acceptor thread, N sub-reactors (each a
 * thread with its own selector), and a small handler API on which a protocol takes a page.
 *
 * <p>The main types: {@link dev.netkit.reactor.Server} (start, send from any thread, stats, shutdown),
 * {@link dev.netkit.reactor.ServerConfig} (ring sizes, water marks, inbox budget, idle timeout, limits),
 * {@link dev.netkit.reactor.Handler} (the protocol's callbacks), {@link dev.netkit.reactor.Conn} (one
 * connection as a handler sees it: its inbound ring, writes, {@code sendFile}, sends to other connections by
 * id), {@link dev.netkit.reactor.SendResult}, {@link dev.netkit.reactor.CloseReason} and
 * {@link dev.netkit.reactor.ServerStats}. The built-in protocols are in {@code dev.netkit.reactor.protocols},
 * the load generator in {@code dev.netkit.reactor.load}.
 *
 * <p><b>Threading.</b> The handler factory is called once per sub-reactor at start; each handler is then
 * called only on its sub-reactor's thread, for the connections that loop owns, so it may keep scratch
 * state in plain fields. On the loop only: every {@code Handler} callback, and {@code Conn.in}, {@code write},
 * {@code sendFile}, {@code writableBytes}, {@code isWritable}, {@code pendingOutputBytes},
 * {@code setMaxIdle}, {@code attach} and {@code attachment} (a {@code write} from another thread throws
 * {@code IllegalStateException}). From any thread: {@code Conn.id}, {@code send}, {@code close},
 * {@code abort} and {@code isOpen}, and every method of {@code Server}, {@code ServerConfig} (immutable)
 * and {@code ServerStats}. Callbacks must not block: every connection of the loop waits. A null argument is
 * a {@code NullPointerException} naming the parameter, unless the method says null is allowed; a value out
 * of range is an {@code IllegalArgumentException} naming the value and the bound.
 *
 * <p>A handler that answers every read with {@code ok} and a server that runs it:
 * <pre>{@code
 * import dev.netkit.reactor.Handler;
 * import dev.netkit.reactor.Server;
 * import dev.netkit.reactor.ServerConfig;
 * import java.nio.ByteBuffer;
 *
 * Handler ok = conn -> {                                  // on the connection's loop
 *     conn.in().discard(conn.in().readable());            // consume what was read
 *     conn.write(ByteBuffer.wrap(new byte[] {'o', 'k', '\n'}));   // all or nothing; flushed after onData
 * };
 * try (Server server = Server.start(ServerConfig.builder().build(), () -> ok)) {   // stateless: one for every loop
 *     System.out.println("listening on " + server.address());
 * }
 * }</pre>
 * The reactor's README has the guide, and its {@code EVIDENCE.md} a complete line protocol ("Write your own
 * protocol"), the engine's internals and every measurement.
 */
package dev.netkit.reactor;
