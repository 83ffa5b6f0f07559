/**
 * The load generator and measuring tools of the reactor's CLI ({@code load}, {@code idle}, {@code fetch}),
 * usable from code: {@link dev.netkit.reactor.load.LoadGenerator} drives echo, relay or pub/sub servers in a
 * closed loop (Q messages in flight) or an open loop (a fixed rate, coordinated omission corrected) and
 * checks every answer ({@link dev.netkit.reactor.load.Message}: sequence number and CRC-32C);
 * {@link dev.netkit.reactor.load.LoadConfig} says what a run does and
 * {@link dev.netkit.reactor.load.LoadResult} what it measured (HdrHistogram percentiles, msgs/s, errors,
 * mismatches, stalls, fairness, the server's CPU, RSS and GC pauses); {@link dev.netkit.reactor.load.IdleRun}
 * holds idle connections and reports the server's RSS per connection;
 * {@link dev.netkit.reactor.load.FileFetch} fetches files from the file protocol and checks them;
 * {@link dev.netkit.reactor.load.ProcStats}, {@link dev.netkit.reactor.load.HsPerfData} and
 * {@link dev.netkit.reactor.load.GcPauses} read another process's RSS, CPU time and GC pauses from
 * {@code /proc} and the JVM's {@code hsperfdata} file (Linux).
 *
 * <p><b>Threading.</b> The {@code run} methods may be called from any thread and block until the run ends;
 * each uses threads of its own. The records are immutable. {@code GcPauses} may be shared; its
 * {@code Window}'s methods are synchronized. A null argument is a {@code NullPointerException} naming the
 * parameter, unless the method says null is allowed (a {@code log} of {@code LoadGenerator.run}, say).
 *
 * <p>An echo server and a two-second closed-loop run against it:
 * <pre>{@code
 * import dev.netkit.reactor.Server;
 * import dev.netkit.reactor.ServerConfig;
 * import dev.netkit.reactor.load.LoadConfig;
 * import dev.netkit.reactor.load.LoadGenerator;
 * import dev.netkit.reactor.load.LoadResult;
 * import dev.netkit.reactor.protocols.Protocol;
 * import java.time.Duration;
 *
 * ServerConfig cfg = ServerConfig.builder().subReactors(1).build();
 * try (Server server = Server.start(cfg, Protocol.ECHO.handlers(cfg))) {
 *     // 100 connections, 64-byte messages, 1 in flight each, no fixed rate; 2 s measured after 1 s of warm-up;
 *     // 1 client thread, no extra source addresses, no server pid, a stall after 1 s, no progress lines
 *     LoadConfig load = new LoadConfig(server.address(), Protocol.ECHO, 100, 64, 1, 0,
 *             Duration.ofSeconds(2), Duration.ofSeconds(1), 1, 0, 0, 1_000, false);
 *     LoadResult r = LoadGenerator.run(load, System.out);
 *     System.out.println(r.toTable());
 * }
 * }</pre>
 */
package dev.netkit.reactor.load;
