package dev.netkit.reactor.cli;

import dev.netkit.reactor.Server;
import dev.netkit.reactor.ServerConfig;
import dev.netkit.reactor.load.IdleRun;
import dev.netkit.reactor.load.LoadConfig;
import dev.netkit.reactor.load.LoadGenerator;
import dev.netkit.reactor.load.LoadResult;
import dev.netkit.reactor.protocols.Protocol;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * The netkit reactor command line: {@code server}, {@code load}, {@code idle}, {@code fetch}, {@code demo} and
 * {@code profile}. Run with {@code java -jar reactor/target/netkit-reactor.jar <command> --help}.
 *
 * <p>A bad value (an option out of range, an unknown protocol, a ring size that is not a power of two, a
 * port in use, a load target that refuses connections) is one line on stderr, {@code <command>: <what is
 * wrong>}, and exit status 2, never a stack trace ({@link #commandLine()}).
 */
@Command(name = "netkit-reactor", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Echo, relay and pub/sub servers built from netkit, and their load generator.",
        subcommands = {Main.ServerCommand.class, Main.LoadCommand.class, Main.IdleCommand.class, Main.DemoCommand.class, Main.FetchCommand.class,
                Main.ProfileCommand.class})
public final class Main implements Runnable {
    /** The listening line the server prints; the demo parses it. */
    static final String LISTENING = "netkit reactor listening on port ";

    /** Exit status of a usage or value error (picocli's {@code ExitCode.USAGE}). */
    static final int USAGE = CommandLine.ExitCode.USAGE;

    /** {@code -V}: the version in the jar's manifest ({@code Implementation-Version}). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {line(Main.class.getPackage().getImplementationVersion())};
        }

        /**
         * @param implementationVersion the manifest's version, or null when run from classes (no jar)
         * @return the version line
         */
        static String line(String implementationVersion) {
            return "netkit reactor " + (implementationVersion != null ? implementationVersion
                    : "(development build: run from classes, no jar manifest)");
        }
    }

    /** {@code --protocol}: {@link Protocol#parse}, whose error names the valid protocols. */
    static final class ProtocolConverter implements CommandLine.ITypeConverter<Protocol> {
        @Override
        public Protocol convert(String value) {
            try {
                return Protocol.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** For picocli. */
    public Main() {
    }

    /**
     * Entry point; exits with the command's status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line with netkit's error handling: a usage or value error prints one line on the
     * command's stderr, {@code <command>: <message>}, and exits 2; an {@link IllegalArgumentException} that
     * escapes a command is taken for one too; any other I/O failure is one line and exit status 1; anything
     * else (a bug) keeps its stack trace.
     *
     * @return a new command line
     */
    static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setParameterExceptionHandler((e, args) -> oneLine(e.getCommandLine(), e.getMessage(), USAGE))
                .setExecutionExceptionHandler((e, cl, parsed) -> {
                    if (e instanceof IllegalArgumentException || e instanceof UnresolvedAddressException) {
                        return oneLine(cl, e.getMessage() != null ? e.getMessage() : e.toString(), USAGE);
                    }
                    if (e instanceof IOException) {
                        return oneLine(cl, e.getMessage() != null ? e.getMessage() : e.toString(), 1);
                    }
                    throw e;
                });
    }

    private static int oneLine(CommandLine cl, String message, int status) {
        String line = message.strip().replaceAll("\\s*\\R\\s*", " ");
        cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": " + line);
        cl.getErr().flush();
        return status;
    }

    /**
     * @param spec    the command
     * @param message what is wrong, naming the option, the value and the bound
     * @return a usage error of the command: one line, exit status 2
     */
    static CommandLine.ParameterException usage(CommandLine.Model.CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /**
     * @param spec   the command
     * @param option the option's name
     * @param value  its value
     * @param min    the least allowed
     * @param max    the most allowed ({@code Long.MAX_VALUE}: no bound, shown as {@code inf})
     * @return {@code value}
     * @throws CommandLine.ParameterException "OPTION must be in [MIN, MAX]: VALUE" unless it is
     */
    static long inRange(CommandLine.Model.CommandSpec spec, String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw usage(spec, option + " must be in [" + min + ", " + (max == Long.MAX_VALUE ? "inf" : max) + "]: "
                    + value);
        }
        return value;
    }

    /** Applies a setting, turning its {@link IllegalArgumentException} into a usage error naming the option. */
    private static void set(CommandLine.Model.CommandSpec spec, String option, long value, Runnable setting) {
        try {
            setting.run();
        } catch (IllegalArgumentException e) {
            throw usage(spec, option + " " + value + ": " + e.getMessage());
        }
    }

    /**
     * Fails with a usage error unless something accepts connections at host:port (one connection, opened
     * and closed): a load against a closed port is a wrong value, not an I/O failure halfway through.
     *
     * @param spec the command
     * @param host the server's host
     * @param port the server's port
     * @throws IOException if the probe fails otherwise
     */
    static void requireListening(CommandLine.Model.CommandSpec spec, String host, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 10_000);
        } catch (ConnectException | SocketTimeoutException e) {
            throw usage(spec, "cannot connect to " + host + ":" + port + ": " + e.getMessage()
                    + " (is the server running? --host, --port)");
        } catch (UnknownHostException | UnresolvedAddressException e) {
            throw usage(spec, "--host: unknown host " + host);
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * {@code server}: runs the server until killed (graceful shutdown on SIGTERM/SIGINT) or for --duration;
     * exits with status 1 if a sub-reactor stops on an unexpected error ({@link Server#failure()}). With
     * {@code --jfr FILE} a JFR recording runs from before the first accept to the shutdown
     * ({@link JfrRecording}); with {@code --stats-interval S} a line of counters comes every S seconds
     * ({@link StatsReporter}).
     */
    @Command(name = "server", mixinStandardHelpOptions = true, description = "Run the echo, relay or pub/sub server.")
    static final class ServerCommand implements Callable<Integer> {
        @Option(names = "--bind", defaultValue = "127.0.0.1", description = "address to listen on (default ${DEFAULT-VALUE})")
        String bind;
        @Option(names = {"-p", "--port"}, defaultValue = "7000", description = "port, 0 = ephemeral (default ${DEFAULT-VALUE})")
        int port;
        @Option(names = "--protocol", defaultValue = "echo", converter = ProtocolConverter.class,
                description = "echo, relay, pubsub or file (default ${DEFAULT-VALUE})")
        Protocol protocol;
        @Option(names = "--serve-dir", paramLabel = "DIR",
                description = "file protocol: the directory whose files GET <name> sends (zero-copy, sendfile); "
                        + "--protocol file turns half-close on")
        Path serveDir;
        @Option(names = {"-r", "--reactors"}, defaultValue = "0", description = "sub-reactors, 0 = available processors")
        int reactors;
        @Option(names = "--idle-timeout-ms", defaultValue = "0", description = "close idle connections after this, 0 = never")
        long idleMs;
        @Option(names = "--half-close", description = "on FIN, finish writing before closing")
        boolean halfClose;
        @Option(names = "--max-connections", defaultValue = "65536", description = "default ${DEFAULT-VALUE}")
        int maxConnections;
        @Option(names = "--in-ring", defaultValue = "16384", description = "inbound ring bytes (default ${DEFAULT-VALUE})")
        int inRing;
        @Option(names = "--out-ring", defaultValue = "65536", description = "outbound ring bytes = outbound cap (default ${DEFAULT-VALUE})")
        int outRing;
        @Option(names = {"--inbox", "--relay-inbox"}, defaultValue = "16384",
                description = "inbox bytes per connection, allocated at the first send to it (default ${DEFAULT-VALUE})")
        int inbox;
        @Option(names = "--max-frame", defaultValue = "4096", description = "largest relay or pubsub frame (default ${DEFAULT-VALUE})")
        int maxFrame;
        @Option(names = "--duration-s", defaultValue = "0", description = "stop after this many seconds, 0 = run until killed")
        long durationS;
        @Option(names = "--jfr", paramLabel = "FILE",
                description = "record with JFR (the JDK's \"profile\" settings) from start to shutdown into FILE; "
                        + "summarize it with the profile command")
        Path jfr;
        @Option(names = "--stats-interval", paramLabel = "S", defaultValue = "0",
                description = "every S seconds print one line: open and accepted connections, bytes read and "
                        + "written per second, sends per second, closes by reason, read pauses, GC; 0 = off "
                        + "(default ${DEFAULT-VALUE})")
        long statsIntervalS;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** Where the lines go; tests replace it. */
        PrintStream out = System.out;
        /** Registers the shutdown hook; tests collect the hook and run it themselves. */
        Consumer<Thread> shutdownHooks = Runtime.getRuntime()::addShutdownHook;

        @Override
        public Integer call() throws Exception {
            if (statsIntervalS < 0) {
                throw usage(spec, "--stats-interval must be 0 (off) or more seconds: " + statsIntervalS);
            }
            if (reactors < 0) {
                throw usage(spec, "--reactors must be 0 (one per available processor) or more: " + reactors);
            }
            inRange(spec, "--port", port, 0, 65535);
            inRange(spec, "--duration-s", durationS, 0, Long.MAX_VALUE);
            ServerConfig.Builder b = ServerConfig.builder().bind(new InetSocketAddress(bind, port))
                    .halfClose(halfClose || protocol == Protocol.FILE);
            set(spec, "--idle-timeout-ms", idleMs, () -> b.idleTimeout(Duration.ofMillis(idleMs)));
            set(spec, "--max-connections", maxConnections, () -> b.maxConnections(maxConnections));
            set(spec, "--in-ring", inRing, () -> b.inboundRingBytes(inRing));
            set(spec, "--out-ring", outRing, () -> b.outboundRingBytes(outRing));
            set(spec, "--inbox", inbox, () -> b.inboxBytes(inbox));
            set(spec, "--max-frame", maxFrame, () -> b.maxFrameBytes(maxFrame));
            if (reactors > 0) {
                set(spec, "--reactors", reactors, () -> b.subReactors(reactors));
            }
            ServerConfig cfg;
            java.util.function.Supplier<dev.netkit.reactor.Handler> handlers;
            try {
                cfg = b.build();
                handlers = protocol.handlers(cfg, serveDir);
            } catch (IllegalArgumentException e) {
                throw usage(spec, e.getMessage());
            }
            JfrRecording recording = null;
            if (jfr != null) {
                try {
                    recording = JfrRecording.start(jfr, out);      // before the first accept
                } catch (IOException e) {
                    throw usage(spec, "--jfr: cannot write " + jfr + ": " + e.getMessage());
                }
            }
            Server server;
            try {
                server = Server.start(cfg, handlers);
            } catch (Throwable e) {
                if (recording != null) {
                    recording.discard();
                }
                if (e instanceof BindException) {      // the port in use, or an address not of this host
                    throw usage(spec, "cannot listen on " + bind + ":" + port + ": " + e.getMessage()
                            + (port != 0 ? " (--port " + port + ")" : ""));
                }
                if (e instanceof UnresolvedAddressException) {
                    throw usage(spec, "--bind: unknown host " + bind);
                }
                throw e;
            }
            StatsReporter reporter = statsIntervalS > 0
                    ? StatsReporter.start(server, Duration.ofSeconds(statsIntervalS), out) : null;
            JfrRecording rec = recording;
            shutdownHooks.accept(new Thread(() -> {
                try {
                    server.shutdown(Duration.ofSeconds(2));     // graceful on SIGTERM / SIGINT; idempotent
                } catch (InterruptedException ignored) {
                    // exiting
                } finally {
                    stopRecordingAndReporter(reporter, rec);     // after the shutdown's events; once
                    out.println(server.stats());
                    out.flush();
                }
            }, "netkit-shutdown"));
            out.println(LISTENING + server.address().getPort() + " (pid " + ProcessHandle.current().pid() + ", "
                    + protocol.name().toLowerCase(Locale.ROOT) + ", " + server.config() + ")");
            out.flush();
            // run for the duration (or until killed), unless a sub-reactor dies first: then fail loudly
            Throwable failure = server.awaitFailure(durationS > 0 ? Duration.ofSeconds(durationS)
                    : Duration.ofNanos(Long.MAX_VALUE));
            server.shutdown(Duration.ofSeconds(2));     // the shutdown hook prints the stats
            stopRecordingAndReporter(reporter, recording);  // the file is complete before System.exit
            if (failure == null) {
                failure = server.failure();            // a loop that died during the shutdown
            }
            if (failure != null) {
                System.err.println("netkit: a sub-reactor stopped on an unexpected error, exiting: " + failure);
                return 1;
            }
            return 0;
        }

        /** Stops the stats lines, then the recording (written once, whichever path calls first). */
        private static void stopRecordingAndReporter(StatsReporter reporter, JfrRecording recording) {
            if (reporter != null) {
                reporter.close();
            }
            if (recording != null) {
                recording.finish();
            }
        }
    }

    /** {@code profile FILE}: {@link Profile#run}, a pprof-like summary of a JFR recording. */
    @Command(name = "profile", mixinStandardHelpOptions = true,
            description = {"Summarize a JFR recording (say, from server --jfr FILE): top methods by CPU samples "
                    + "(jdk.ExecutionSample: Java code only, native-method samples not counted), top allocation "
                    + "sites by sampled bytes, GC pauses, and the reactor's own events (dev.netkit.*).",
                    "Exit status 2 if the file is missing or not a complete JFR recording."})
    static final class ProfileCommand implements Callable<Integer> {
        @CommandLine.Parameters(index = "0", paramLabel = "FILE", description = "the .jfr file")
        Path file;
        @Option(names = "--top", defaultValue = "10", description = "rows per table (default ${DEFAULT-VALUE})")
        int top;
        @Option(names = "--events", defaultValue = "3",
                description = "events printed with all fields per dev.netkit.* event type (default ${DEFAULT-VALUE})")
        int events;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (top < 1 || events < 0) {
                throw usage(spec, top < 1 ? "--top must be at least 1: " + top : "--events must be 0 or more: " + events);
            }
            return Profile.run(file, top, events, System.out, System.err);
        }
    }

    /** Shared load options. */
    static class LoadOptions {
        @Option(names = "--host", defaultValue = "127.0.0.1", description = "server host (default ${DEFAULT-VALUE})")
        String host;
        @Option(names = {"-p", "--port"}, defaultValue = "7000", description = "server port (default ${DEFAULT-VALUE})")
        int port;
        @Option(names = "--protocol", defaultValue = "echo", converter = ProtocolConverter.class,
                description = "echo, relay or pubsub; the server's (default ${DEFAULT-VALUE})")
        Protocol protocol;
        @Option(names = {"-c", "--connections"}, defaultValue = "100", description = "default ${DEFAULT-VALUE}")
        int connections;
        @Option(names = "--source-addresses", defaultValue = "16",
                description = "spread client addresses over 127.0.0.2..(1+n), 0 = off (default ${DEFAULT-VALUE})")
        int sourceAddresses;
        @Option(names = "--pid", defaultValue = "0", description = "server pid, for RSS and CPU from /proc")
        long pid;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** Checks the shared options; a usage error if one is out of range. */
        void checkOptions() {
            inRange(spec, "--port", port, 1, 65535);
            inRange(spec, "--connections", connections, 1, 1 << 22);
            inRange(spec, "--source-addresses", sourceAddresses, 0, 253);
            inRange(spec, "--pid", pid, 0, Long.MAX_VALUE);
        }
    }

    /** {@code load}: closed or open loop against a running server. */
    @Command(name = "load", mixinStandardHelpOptions = true, description = {"Run a load against a server.",
            "pubsub: every connection subscribes to its topic and the first --publishers of each topic also "
                    + "publish; throughput counts deliveries (a message arriving at one subscriber; publishes/s "
                    + "are shown too) and the latency percentiles are per delivery. A closed-loop publish is in "
                    + "flight until every subscriber of its topic has it. At the end publishing stops, messages in "
                    + "flight get up to 2 s, and each subscriber must have had every message of every publisher of "
                    + "its topic exactly once (else: lost, counted as mismatches)."})
    static final class LoadCommand extends LoadOptions implements Callable<Integer> {
        @Option(names = {"-s", "--size"}, defaultValue = "64", description = "message bytes (default ${DEFAULT-VALUE})")
        int size;
        @Option(names = {"-q", "--in-flight"}, defaultValue = "1",
                description = "closed loop: messages in flight per connection (pubsub: publishes per publisher)")
        int inFlight;
        @Option(names = "--rate", defaultValue = "0",
                description = "open loop: messages per second in total (pubsub: publishes over all publishers); 0 = closed loop")
        long rate;
        @Option(names = "--topics", defaultValue = "1", description = "pubsub: topics (default ${DEFAULT-VALUE})")
        int topics;
        @Option(names = "--publishers", defaultValue = "1", description = "pubsub: publishers per topic (default ${DEFAULT-VALUE})")
        int publishers;
        @Option(names = {"-d", "--duration-s"}, defaultValue = "10", description = "measured seconds (default ${DEFAULT-VALUE})")
        long duration;
        @Option(names = {"-w", "--warmup-s"}, defaultValue = "2", description = "warmup seconds (default ${DEFAULT-VALUE})")
        long warmup;
        @Option(names = {"-t", "--threads"}, defaultValue = "1", description = "client threads (default ${DEFAULT-VALUE})")
        int threads;
        @Option(names = "--stall-ms", defaultValue = "1000", description = "stall threshold (default ${DEFAULT-VALUE})")
        long stallMs;
        @Option(names = "--json", description = "write the result as JSON to this file")
        Path json;
        @Option(names = "--csv", description = "append the result as a CSV row to this file")
        Path csv;
        @Option(names = "--quiet", description = "no progress lines")
        boolean quiet;

        @Override
        public Integer call() throws Exception {
            checkOptions();
            inRange(spec, "--duration-s", duration, 1, Long.MAX_VALUE);
            inRange(spec, "--warmup-s", warmup, 0, Long.MAX_VALUE);
            inRange(spec, "--stall-ms", stallMs, 1, Long.MAX_VALUE);
            LoadConfig cfg;
            try {
                cfg = new LoadConfig(new InetSocketAddress(host, port), protocol, connections, size, inFlight, rate,
                        Duration.ofSeconds(duration), Duration.ofSeconds(warmup), threads, sourceAddresses, pid, stallMs,
                        !quiet, topics, publishers);
            } catch (IllegalArgumentException e) {
                throw usage(spec, e.getMessage());
            }
            requireListening(spec, host, port);
            LoadResult r = LoadGenerator.run(cfg, System.out);
            report(r, json, csv, System.out);
            return r.mismatches() == 0 ? 0 : 1;
        }
    }

    static void report(LoadResult r, Path json, Path csv, PrintStream out) throws java.io.IOException {
        out.println();
        out.print(r.toTable());
        if (json != null) {
            Files.writeString(json, r.toJson() + "\n");
        }
        if (csv != null) {
            boolean fresh = !Files.exists(csv);
            Files.writeString(csv, (fresh ? LoadResult.csvHeader(r.protocol()) + "\n" : "") + r.toCsvRow() + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    /** {@code fetch}: the file protocol's client; checks every byte against the local copy. */
    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = {"Ask a file-protocol server (server --protocol file --serve-dir DIR) for one file, from "
                    + "several connections, several times each; check every answer's length and CRC-32C against "
                    + "the local copy (--verify), print MB/s and, with --pid, the server's CPU time."})
    static final class FetchCommand implements Callable<Integer> {
        @Option(names = "--host", defaultValue = "127.0.0.1", description = "server host (default ${DEFAULT-VALUE})")
        String host;
        @Option(names = {"-p", "--port"}, defaultValue = "7000", description = "server port (default ${DEFAULT-VALUE})")
        int port;
        @Option(names = "--name", required = true, description = "the file's name in the served directory")
        String name;
        @Option(names = "--verify", paramLabel = "FILE",
                description = "the local copy to check every byte against (without it: lengths only)")
        Path verify;
        @Option(names = {"-c", "--connections"}, defaultValue = "1", description = "default ${DEFAULT-VALUE}")
        int connections;
        @Option(names = {"-n", "--requests"}, defaultValue = "1", description = "requests per connection (default ${DEFAULT-VALUE})")
        int requests;
        @Option(names = "--pid", defaultValue = "0", description = "server pid, for its CPU time from /proc")
        long pid;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            inRange(spec, "--port", port, 1, 65535);
            inRange(spec, "--connections", connections, 1, Integer.MAX_VALUE);
            inRange(spec, "--requests", requests, 1, Integer.MAX_VALUE);
            inRange(spec, "--pid", pid, 0, Long.MAX_VALUE);
            requireListening(spec, host, port);
            dev.netkit.reactor.load.FileFetch.Result r;
            try {
                r = dev.netkit.reactor.load.FileFetch.run(new InetSocketAddress(host, port), name, verify, connections,
                        requests, pid, System.err);
            } catch (IllegalArgumentException e) {
                throw usage(spec, e.getMessage());
            }
            System.out.print(r.toTable());
            return r.mismatches() == 0 && r.requests() > 0 ? 0 : 1;
        }
    }

    /** {@code idle}: hold N idle connections and report the server's RSS per connection. */
    @Command(name = "idle", mixinStandardHelpOptions = true, description = "Hold idle connections; report RSS per connection.")
    static final class IdleCommand extends LoadOptions implements Callable<Integer> {
        @Option(names = "--hold-s", defaultValue = "5", description = "seconds to hold (default ${DEFAULT-VALUE})")
        long hold;
        @Option(names = "--burst-s", defaultValue = "0",
                description = "after the hold, this many seconds of traffic on every connection (echo, relay), then --idle-after-s of idle and the RSS again (default ${DEFAULT-VALUE}: none)")
        long burst;
        @Option(names = "--idle-after-s", defaultValue = "30", description = "idle seconds after a burst (default ${DEFAULT-VALUE})")
        long idleAfter;

        @Override
        public Integer call() throws Exception {
            inRange(spec, "--hold-s", hold, 0, Long.MAX_VALUE);
            inRange(spec, "--burst-s", burst, 0, Long.MAX_VALUE);
            inRange(spec, "--idle-after-s", idleAfter, 0, Long.MAX_VALUE);
            checkOptions();
            requireListening(spec, host, port);
            int answered = IdleRun.run(new InetSocketAddress(host, port), protocol, connections, Duration.ofSeconds(hold),
                    pid, sourceAddresses, Duration.ofSeconds(burst), Duration.ofSeconds(idleAfter), System.out);
            return answered > 0 ? 0 : 1;
        }
    }

    /**
     * {@code demo}: starts a server process per protocol, runs a short echo, relay and pub/sub load against
     * it, prints the tables.
     */
    @Command(name = "demo", mixinStandardHelpOptions = true,
            description = "Start a server in a child process per protocol (echo, relay, pubsub), load each, print the results (about 20 s).")
    static final class DemoCommand implements Callable<Integer> {
        @Option(names = {"-c", "--connections"}, defaultValue = "100", description = "default ${DEFAULT-VALUE}")
        int connections;
        @Option(names = {"-d", "--duration-s"}, defaultValue = "8", description = "echo measured seconds (default ${DEFAULT-VALUE})")
        long duration;
        @Option(names = {"-r", "--reactors"}, defaultValue = "0", description = "server sub-reactors, 0 = available processors")
        int reactors;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            inRange(spec, "--connections", connections, 1, 1 << 22);
            inRange(spec, "--duration-s", duration, 1, Long.MAX_VALUE);
            inRange(spec, "--reactors", reactors, 0, 256);
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> cmd = List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "server", "--port", "0", "--protocol");
            int status = phase(cmd, Protocol.ECHO, pid -> String.format("== echo: %d connections, 64 B messages, "
                    + "1 in flight each, closed loop, %d s (server pid %d) ==%n", connections, duration, pid),
                    (server, pid) -> new LoadConfig(server, Protocol.ECHO, connections, 64, 1, 0,
                            Duration.ofSeconds(duration), Duration.ofSeconds(2), 1, 16, pid, 1000, true));
            status |= phase(cmd, Protocol.RELAY, pid -> String.format("%n== relay: %d connections in pairs (half "
                    + "across sub-reactors), 64 B, closed loop, 3 s ==%n", connections),
                    (server, pid) -> new LoadConfig(server, Protocol.RELAY, connections, 64, 1, 0,
                            Duration.ofSeconds(3), Duration.ofSeconds(1), 1, 16, pid, 1000, true));
            int topics = Math.min(2, connections);
            status |= phase(cmd, Protocol.PUBSUB, pid -> String.format("%n== pubsub: %d connections on %d topic%s, "
                    + "all subscribed, 1 publisher per topic, 64 B, closed loop, 3 s ==%n", connections, topics,
                    topics == 1 ? "" : "s"),
                    (server, pid) -> new LoadConfig(server, Protocol.PUBSUB, connections, 64, 1, 0,
                            Duration.ofSeconds(3), Duration.ofSeconds(1), 1, 16, pid, 1000, true, topics, 1));
            System.out.println(status == 0 ? "\ndemo: OK (every message checked: sequence and CRC-32C)"
                    : "\ndemo: FAILED (mismatches or no traffic)");
            return status;
        }

        /**
         * One part of the demo: a server process for the protocol, the header, the load, the table.
         *
         * @return 0 if there was traffic and every message checked out, else 1
         */
        private int phase(List<String> serverCommand, Protocol protocol, java.util.function.LongFunction<String> header,
                          java.util.function.BiFunction<InetSocketAddress, Long, LoadConfig> load)
                throws IOException, InterruptedException {
            List<String> c = new ArrayList<>(serverCommand);
            c.add(protocol.name().toLowerCase(Locale.ROOT));
            Process server = startServer(c, reactors);
            try {
                int port = awaitPort(server);
                System.out.print(header.apply(server.pid()));
                LoadResult r = LoadGenerator.run(load.apply(new InetSocketAddress("127.0.0.1", port), server.pid()),
                        System.out);
                report(r, null, null, System.out);
                return r.mismatches() == 0 && r.messages() > 0 ? 0 : 1;
            } finally {
                server.destroy();
                server.waitFor();
            }
        }

        private static Process startServer(List<String> cmd, int reactors) throws java.io.IOException {
            List<String> c = new ArrayList<>(cmd);
            if (reactors > 0) {
                c.add("--reactors");
                c.add(Integer.toString(reactors));
            }
            return new ProcessBuilder(c).redirectErrorStream(true).start();
        }

        private static int awaitPort(Process p) throws java.io.IOException {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                int i = line.indexOf(LISTENING);
                if (i >= 0) {
                    String rest = line.substring(i + LISTENING.length());
                    int port = Integer.parseInt(rest.substring(0, rest.indexOf(' ')));
                    Thread t = new Thread(() -> {           // keep draining the child's output
                        try {
                            while (r.readLine() != null) {
                                // discard
                            }
                        } catch (java.io.IOException ignored) {
                            // child gone
                        }
                    });
                    t.setDaemon(true);
                    t.start();
                    return port;
                }
            }
            throw new java.io.IOException("the server process exited before listening");
        }
    }
}
