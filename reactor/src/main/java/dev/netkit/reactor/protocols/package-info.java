/**
 * The protocols that come with the reactor, each a {@link dev.netkit.reactor.Handler} written on the
 * public API only: {@link dev.netkit.reactor.protocols.EchoHandler} (every byte back, in order),
 * {@link dev.netkit.reactor.protocols.RelayHandler} (IM frames addressed to another connection by id; wire
 * format {@link dev.netkit.reactor.protocols.RelayFrames}), {@link dev.netkit.reactor.protocols.PubSubHandler}
 * (topics with fan-out; {@link dev.netkit.reactor.protocols.PubSubFrames}) and
 * {@link dev.netkit.reactor.protocols.FileHandler} (files of a directory, by {@code sendfile}).
 * {@link dev.netkit.reactor.protocols.Protocol} names them for the CLI and the load generator and makes
 * their handler factories.
 *
 * <p><b>Threading.</b> As for every handler: one instance per sub-reactor, called on that loop's thread
 * only (each keeps its scratch buffers in plain fields). Pub/sub's {@code Topics} are shared by a server's
 * handlers and safe from any thread. The frame classes are stateless: any thread. A null argument is a
 * {@code NullPointerException} naming the parameter; a configuration a protocol cannot serve (a largest
 * frame that would not fit the inbox) is an {@code IllegalArgumentException} naming the value and the bound.
 *
 * <p>A relay server, and the client frame that sends {@code hi} to connection {@code 42}:
 * <pre>{@code
 * import dev.netkit.reactor.Server;
 * import dev.netkit.reactor.ServerConfig;
 * import dev.netkit.reactor.protocols.Protocol;
 * import dev.netkit.reactor.protocols.RelayFrames;
 * import java.nio.ByteBuffer;
 *
 * ServerConfig cfg = ServerConfig.builder().build();
 * try (Server server = Server.start(cfg, Protocol.RELAY.handlers(cfg))) {
 *     ByteBuffer frame = ByteBuffer.allocate(RelayFrames.CLIENT_HEADER + 2);
 *     RelayFrames.putClientHeader(frame, 42, 2).put((byte) 'h').put((byte) 'i').flip();
 *     // a client writes it; the server sends [len][sender id][DATA]["hi"] to connection 42,
 *     // or [len][42][ERROR] back to the sender if there is no such connection
 * }
 * }</pre>
 */
package dev.netkit.reactor.protocols;
