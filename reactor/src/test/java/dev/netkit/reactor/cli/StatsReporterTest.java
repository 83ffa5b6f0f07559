package dev.netkit.reactor.cli;

import dev.netkit.reactor.CloseReason;
import dev.netkit.reactor.Server;
import dev.netkit.reactor.ServerConfig;
import dev.netkit.reactor.protocols.Protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link StatsReporter}'s line: deltas between two calls, on a real echo server. */
@Timeout(120) // a hang guard, not a timing assertion
class StatsReporterTest {

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() - end < 0, () -> "condition never held: " + what);
            Thread.sleep(5);
        }
    }

    private static void echo(SocketChannel ch, int n) throws IOException {
        ByteBuffer w = ByteBuffer.allocate(n);
        while (w.hasRemaining()) {
            ch.write(w);
        }
        ByteBuffer r = ByteBuffer.allocate(n);
        while (r.hasRemaining()) {
            if (ch.read(r) < 0) {
                throw new IOException("closed");
            }
        }
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, b.getCollectionCount());
        }
        return n;
    }

    @Test
    void linesAreDeltasOfTheServersCounters() throws Exception {
        ServerConfig cfg = ServerConfig.builder().subReactors(2).build();
        try (Server server = Server.start(cfg, Protocol.ECHO.handlers(cfg))) {
            StatsReporter r = new StatsReporter(server);
            SocketChannel a = SocketChannel.open(server.address());
            try (SocketChannel b = SocketChannel.open(server.address())) {
                echo(a, 100_000);
                echo(b, 100_000);
                await(() -> server.connections() == 2 && server.stats().bytesWritten() == 200_000, "2 open, all echoed");
                String first = r.next();
                assertTrue(first.startsWith("netkit stats +"), first);
                assertTrue(first.contains(": open 2, accepted +2, read "), first);
                assertTrue(first.matches(".* read [\\d.]+ [kMG]?B/s, written [\\d.]+ [kMG]?B/s, sends 0/s, closed \\+0, "
                        + "read pauses \\+0, gc \\+\\d+.*"), first);
                a.close();
                await(() -> server.stats().closed(CloseReason.PEER_CLOSED) == 1, "a's close");
                long gcBefore = gcCount();
                System.gc();
                boolean collected = gcCount() > gcBefore;
                String second = r.next();
                assertTrue(second.contains(": open 1, accepted +0, read 0 B/s, written 0 B/s, sends 0/s, "
                        + "closed +1 (PEER_CLOSED 1), read pauses +0, gc +"), second);
                if (collected) {
                    assertTrue(second.matches(".*, gc \\+[1-9]\\d*, collection time \\d+ ms \\(.+\\)"), second);
                }
            } finally {
                a.close();          // closed above already, unless an assertion failed before
            }
        }
    }
}
