package dev.netkit.reactor.load;

import dev.netkit.reactor.Protocol;
import dev.netkit.reactor.Server;
import dev.netkit.reactor.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Short in-process load runs: the generator works against the server and its integrity check bites. */
@Timeout(120) // a hang guard, not a timing assertion
class LoadGeneratorTest {

    private static LoadConfig cfg(Server s, String protocol, int conns, long rate) {
        return new LoadConfig(s.address(), protocol, conns, 64, 2, rate, Duration.ofSeconds(1), Duration.ZERO, 2, 4,
                ProcessHandle.current().pid(), 1000, true);
    }

    @Test
    void closedLoopEchoCountsEveryMessageAndFindsNoMismatch() throws Exception {
        try (Server s = Server.start(ServerConfig.builder().subReactors(2).build())) {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            LoadResult r = LoadGenerator.run(cfg(s, "echo", 20, 0), new PrintStream(log, true));
            assertTrue(r.messages() > 0, r::toTable);
            assertEquals(0, r.mismatches(), r::toTable);
            assertEquals(0, r.errors(), r::toTable);
            assertTrue(r.p50() <= r.p99() && r.p99() <= r.max(), r::toTable);
            assertTrue(log.toString().contains("msg/s"), "a progress line per second");
            assertTrue(r.toJson().startsWith("{\"protocol\":\"echo\""));
            assertEquals(LoadResult.csvHeader().split(",").length, r.toCsvRow().split(",").length);
        }
    }

    @Test
    void openLoopRelayDeliversAcrossSubReactors() throws Exception {
        try (Server s = Server.start(ServerConfig.builder().subReactors(2).protocol(Protocol.RELAY).build())) {
            LoadResult r = LoadGenerator.run(cfg(s, "relay", 8, 2000), null);
            assertTrue(r.messages() > 0, r::toTable);
            assertEquals(0, r.mismatches(), r::toTable);
            assertTrue(r.crossFraction() > 0 && r.crossFraction() < 1, r::toTable);
            assertTrue(s.stats().relayedCross() > 0 && s.stats().relayed() > s.stats().relayedCross(),
                    () -> s.stats().toString());
        }
    }

    @Test
    void messageChecksumDetectsACorruptByte() {
        Message m = new Message(64);
        ByteBuffer b = ByteBuffer.allocate(64);
        m.write(b, 42, 1234);
        assertTrue(m.verify(b, 0));
        for (int i = 0; i < 64; i++) {
            b.put(i, (byte) (b.get(i) ^ 1));
            assertFalse(m.verify(b, 0), "flipped bit at byte " + i);
            b.put(i, (byte) (b.get(i) ^ 1));
        }
    }

    @Test
    void idleModeHoldsConnectionsThatStillAnswer() throws Exception {
        try (Server s = Server.start(ServerConfig.builder().subReactors(2).build())) {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            int answered = IdleRun.run(s.address(), "echo", 50, Duration.ZERO, ProcessHandle.current().pid(), 4,
                    new PrintStream(log, true));
            assertEquals(50, answered, log::toString);
            assertTrue(log.toString().contains("RSS per idle connection"), log::toString);
        }
    }
}
