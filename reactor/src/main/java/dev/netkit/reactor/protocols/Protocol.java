package dev.netkit.reactor.protocols;

import dev.netkit.reactor.Handler;
import dev.netkit.reactor.ServerConfig;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The built-in example protocols, by name: what the CLI's {@code --protocol} and the load generator
 * choose from. Immutable: any thread; {@link #handlers} returns a factory for {@code Server.start}, which
 * calls it on the starting thread.
 */
public enum Protocol {
    /** Bytes come back exactly as they came, in order: {@link EchoHandler}. */
    ECHO,
    /** The IM workload: frames addressed to other connections: {@link RelayHandler}, {@link RelayFrames}. */
    RELAY,
    /** Topic publish/subscribe with fan-out across loops: {@link PubSubHandler}, {@link PubSubFrames}. */
    PUBSUB,
    /**
     * Files of a served directory, sent zero-copy: {@link FileHandler}. Its handlers need the directory:
     * {@link #handlers(ServerConfig, Path)}.
     */
    FILE;

    /**
     * This protocol's handlers for a server.
     *
     * @param cfg the server's configuration
     * @return a factory of this protocol's handlers, for {@code Server.start(cfg, factory)}
     * @throws IllegalArgumentException if the configuration does not suit the protocol (checked here, by
     *                                  making one handler)
     */
    public Supplier<Handler> handlers(ServerConfig cfg) {
        return handlers(cfg, null);
    }

    /**
     * This protocol's handlers for a server, with the directory the file protocol serves.
     *
     * @param cfg             the server's configuration
     * @param servedDirectory the directory {@link #FILE} serves; ignored by the others
     * @return a factory of this protocol's handlers, for {@code Server.start(cfg, factory)}
     * @throws IllegalArgumentException if the configuration does not suit the protocol, or {@link #FILE}
     *                                  has no readable directory or no half-close
     */
    public Supplier<Handler> handlers(ServerConfig cfg, Path servedDirectory) {
        Objects.requireNonNull(cfg, "cfg");
        Supplier<Handler> f = switch (this) {
            case ECHO -> EchoHandler::new;
            case RELAY -> () -> new RelayHandler(cfg);
            case PUBSUB -> PubSubHandler.factory(cfg);
            case FILE -> {
                if (servedDirectory == null) {
                    throw new IllegalArgumentException("the file protocol needs a directory to serve (--serve-dir)");
                }
                if (!cfg.halfClose()) {
                    throw new IllegalArgumentException("the file protocol needs halfClose(true): a client that sends "
                            + "its requests and shuts its output down must still get its files");
                }
                yield FileHandler.factory(servedDirectory);
            }
        };
        f.get();
        return f;
    }

    /**
     * The protocol of a name, as the CLI takes it.
     *
     * @param name a protocol's name, any case
     * @return the protocol
     * @throws IllegalArgumentException naming the valid ones if there is none by that name
     */
    public static Protocol parse(String name) {
        Objects.requireNonNull(name, "name");
        for (Protocol p : values()) {
            if (p.name().equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown protocol '" + name + "': expected one of echo, relay, pubsub, file");
    }
}
