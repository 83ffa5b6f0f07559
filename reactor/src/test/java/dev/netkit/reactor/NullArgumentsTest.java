package dev.netkit.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.netkit.reactor.load.GcPauses;
import dev.netkit.reactor.load.IdleRun;
import dev.netkit.reactor.load.LoadGenerator;
import dev.netkit.reactor.protocols.EchoHandler;
import dev.netkit.reactor.protocols.Protocol;
import dev.netkit.reactor.protocols.PubSubHandler;
import dev.netkit.reactor.protocols.RelayHandler;
import dev.netkit.ring.Segments;
import dev.netkit.testkit.Await;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** A null argument to the public API is a {@link NullPointerException} naming the parameter, at once. */
class NullArgumentsTest {

    private static void npe(String parameter, Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call);
        assertEquals(parameter, e.getMessage());
    }

    @Test
    void serverAndConfiguration() throws Exception {
        npe("address", () -> ServerConfig.builder().bind(null));
        npe("timeout", () -> ServerConfig.builder().idleTimeout(null));
        npe("timeout", () -> ServerConfig.builder().inboxReclaimTimeout(null));
        npe("cfg", () -> Server.start(null, EchoHandler::new));
        npe("handlers", () -> Server.start(ServerConfig.builder().subReactors(1).build(), null));
        try (Server server = Server.start(ServerConfig.builder().subReactors(1).build(), EchoHandler::new)) {
            npe("frame", () -> server.send(1, null));
            npe("timeout", () -> server.awaitFailure(null));
            npe("flushDeadline", () -> server.shutdown(null));
            npe("reason", () -> server.stats().closed(null));
        }
    }

    @Test
    void connOnItsLoop() throws Exception {
        Map<String, String> answers = new ConcurrentHashMap<>();
        Map<String, Consumer<Conn>> calls = Map.of(
                "src", c -> c.write((ByteBuffer) null),
                "srcs", c -> c.write((ByteBuffer[]) null),
                "segments", c -> c.write((Segments) null),
                "frame", c -> c.send(c.id(), (ByteBuffer) null),
                "parts", c -> c.send(c.id(), null, 0),
                "maxIdle", c -> c.setMaxIdle(null),
                "reason", c -> c.abort(null),
                "file", c -> c.sendFile(null, 0, 0));
        Handler probe = new Handler() {
            @Override
            public void onOpen(Conn conn) {
                calls.forEach((name, call) -> {
                    try {
                        call.accept(conn);
                        answers.put(name, "no exception");
                    } catch (RuntimeException e) {
                        answers.put(name, e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                });
            }

            @Override
            public void onData(Conn conn) {
            }
        };
        try (Server server = Server.start(ServerConfig.builder().subReactors(1).build(), () -> probe);
             TestClient client = new TestClient(server.address())) {
            Await.until(() -> answers.size() == calls.size(), answers::toString);
        }
        calls.keySet().forEach(name -> assertEquals("NullPointerException: " + name, answers.get(name), name));
    }

    @Test
    void protocolsAndLoadGenerator() {
        ServerConfig cfg = ServerConfig.builder().subReactors(1).build();
        npe("cfg", () -> new RelayHandler(null));
        npe("cfg", () -> PubSubHandler.factory(null));
        npe("topics", () -> new PubSubHandler(cfg, null));
        npe("cfg", () -> Protocol.ECHO.handlers(null));
        npe("name", () -> Protocol.parse(null));
        npe("cfg", () -> LoadGenerator.run(null, System.out));
        npe("server", () -> IdleRun.run(null, Protocol.ECHO, 1, Duration.ZERO, 0, 0, System.out));
        npe("log", () -> IdleRun.run(new InetSocketAddress(1), Protocol.ECHO, 1, Duration.ZERO, 0, 0, null));
        npe("collectorName", () -> GcPauses.isPause(null));
    }
}
