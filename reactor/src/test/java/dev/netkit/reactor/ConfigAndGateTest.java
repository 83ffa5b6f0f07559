package dev.netkit.reactor;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad configuration is rejected with the value and the bound; the wakeup gate's sequential behaviour. */
class ConfigAndGateTest {

    private static void rejects(String expectedInMessage, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
    }

    @Test
    void badValuesNameTheValueAndTheBound() {
        rejects("subReactors must be in [1, 256], was 0", () -> ServerConfig.builder().subReactors(0));
        rejects("inboundRingBytes must be a power of two in [256, 4194304], was 1000",
                () -> ServerConfig.builder().inboundRingBytes(1000));
        rejects("maxFrameBytes must be in [8, 1020]", () -> ServerConfig.builder().inboundRingBytes(1024)
                .maxFrameBytes(2000).build());
        rejects("low (900) <= high (100)", () -> ServerConfig.builder().waterMarks(900, 100).build());
        rejects("high (1000000)", () -> ServerConfig.builder().waterMarks(0, 1_000_000).build());
        rejects("idleTimeout must be >= 0", () -> ServerConfig.builder().idleTimeout(Duration.ofSeconds(-1)));
        rejects("maxConnections must be in [1, ", () -> ServerConfig.builder().maxConnections(0));
        // relay frames must fit the inbox: (16384 / 2 - 8) - 5; the handler checks it, and the protocol's
        // handlers(cfg) makes one to check early
        rejects("maxFrameBytes must be in [8, 8179] for the relay", () -> dev.netkit.reactor.protocols.Protocol.RELAY
                .handlers(ServerConfig.builder().inboundRingBytes(1 << 16).maxFrameBytes(9000).build()));
        rejects("maxFrameBytes must be in [8, 8172] for pub/sub", () -> dev.netkit.reactor.protocols.Protocol.PUBSUB
                .handlers(ServerConfig.builder().inboundRingBytes(1 << 16).maxFrameBytes(9000).build()));
        rejects("unknown protocol 'smtp': expected one of echo, relay, pubsub",
                () -> dev.netkit.reactor.protocols.Protocol.parse("smtp"));
    }

    @Test
    void theLoadToolsNameTheValueAndTheBound() {
        java.net.InetSocketAddress nowhere = new java.net.InetSocketAddress("127.0.0.1", 1);
        dev.netkit.reactor.protocols.Protocol echo = dev.netkit.reactor.protocols.Protocol.ECHO;
        rejects("connections must be >= 1, was -3", () -> uncheck(() -> dev.netkit.reactor.load.IdleRun.run(
                nowhere, echo, -3, Duration.ZERO, 0, 0, System.out)));
        rejects("sourceAddresses must be in [0, 253], was 300", () -> uncheck(() -> dev.netkit.reactor.load.IdleRun.run(
                nowhere, echo, 1, Duration.ZERO, 0, 300, System.out)));
        rejects("hold, burst and idleAfter must be >= 0, were PT-1S", () -> uncheck(() -> dev.netkit.reactor.load.IdleRun
                .run(nowhere, echo, 1, Duration.ofSeconds(-1), 0, 0, System.out)));
        rejects("the name must be one non-empty line, was \"a\\nb\"", () -> uncheck(() -> dev.netkit.reactor.load.FileFetch
                .run(nowhere, "a\nb", null, 1, 1, 0, System.out)));
        rejects("message size must be >= 20, was 8", () -> new dev.netkit.reactor.load.Message(8));
    }

    private interface Call {
        Object call() throws Exception;
    }

    private static void uncheck(Call c) {
        try {
            c.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void defaultsAreConsistent() {
        ServerConfig c = ServerConfig.builder().build();
        assertEquals(Runtime.getRuntime().availableProcessors(), c.subReactors());
        assertTrue(c.lowWaterBytes() <= c.highWaterBytes());
        assertEquals(0, c.idleTimeoutNanos());
        assertFalse(c.halfClose());
    }

    @Test
    void gateWakesOnlyASleepingLoopAndOnlyOnce() {
        AtomicInteger wakes = new AtomicInteger();
        WakeupGate g = new WakeupGate(wakes::incrementAndGet);
        assertFalse(g.wakeIfSleeping(), "an awake loop is not woken");
        assertEquals(0, wakes.get());
        g.prepareToSleep();
        assertTrue(g.wakeIfSleeping());
        assertFalse(g.wakeIfSleeping(), "a second producer finds the wake under way");
        assertEquals(1, wakes.get());
        assertTrue(g.awake(), "the loop learns that a producer woke it");
        g.prepareToSleep();
        assertFalse(g.awake(), "woke by itself (timeout or I/O)");
        assertFalse(g.wakeIfSleeping());
        assertEquals(1, wakes.get());
    }
}
