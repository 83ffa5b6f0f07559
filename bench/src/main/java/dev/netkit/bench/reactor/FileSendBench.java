package dev.netkit.bench.reactor;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Sends a file over a loopback TCP connection in several ways and measures the sender's CPU: the Java
 * counterpart of the "zero-copy file send" table (read/write, {@code sendfile()}, {@code splice()},
 * {@code mmap()}) of a Go IM server's performance chapter. A plain {@code main}, not JMH.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.netkit.bench.reactor.FileSendBench [options]
 *   --sizes 100M,1G        file sizes (K/M/G are binary: 100M = 100 MiB)
 *   --modes heap,direct,transferTo,mmap,netkit
 *   --reps 5               timed sends per (mode, size)
 *   --warmup 5             untimed sends of the smallest file per mode, before any timed send
 *   --verify               CRC32C over the received stream, against the file's
 *   --dir DIR              where the files are made (default: a temp dir under /tmp, deleted at exit)
 *   --buffer 65536         the heap/direct modes' read buffer, bytes
 *   --mmap-window 64M      the mmap mode's mapping size
 *   --sndbuf 0 --rcvbuf 0  SO_SNDBUF (sender) / SO_RCVBUF (receiver); 0 = the kernel's autotuning; --sndbuf is
 *                          refused with mode netkit, whose server does not set it
 *   --recv-buffer 262144   the receiver's direct read buffer, bytes
 *   --sender-cpus LIST     run each sender under {@code taskset -c LIST} (default: no pinning)
 *   --md FILE --json FILE  result files; --note LINE (repeatable): provenance lines put in both
 * </pre>
 *
 * <p>Shape. The receiver (this process) starts one sender process per mode, each its own JVM started
 * with this JVM's {@code java} and class path ({@code -XX:+UseSerialGC -Xms64m -Xmx256m}). A sender
 * listens on 127.0.0.1 and answers {@code GET <name>\n} with {@code OK <length>\n} and the file's bytes,
 * from the served directory, then closes the connection: the protocol of the netkit reactor's file
 * server, so that a mode whose sender is that server needs only its own {@link SenderMode} (how to start
 * it); the request, the timing and the CPU accounting are the same for every mode. For one send the
 * receiver connects, samples the sender's CPU ({@code /proc/<pid>/stat} utime and stime, all of the
 * sender JVM's threads), writes the request, reads to end of stream with a direct buffer (counting, and
 * with {@code --verify} checksumming, then discarding) and samples again: wall time runs from the request
 * to end of stream, and the sender's CPU is the difference of the two samples. An idle sender JVM is
 * blocked in {@code accept}, so the difference is the send (plus whatever its JIT or GC threads did
 * meanwhile, which the warm-up makes small).
 *
 * <p>Order. Each file is read through once before its runs (the page cache is warm, and the file's
 * CRC32C comes from that read); each mode first makes {@code --warmup} untimed sends of the smallest
 * file; then for each size, {@code --reps} rounds, each round one send per mode in an order rotated by
 * one mode per round.
 */
public final class FileSendBench {
    private FileSendBench() {
    }

    // =====================================================================================================
    // Modes: how a sender is started. The built-in ones run this class's sender (serve); another mode
    // (the netkit reactor's file server, say) implements SenderMode with its own command line.
    // =====================================================================================================

    /**
     * One way of sending: how to start its sender process and how to ask that sender for a file. The
     * benchmark starts the command of {@link #command}, waits for a line containing
     * {@code listening on port N}, and for each send connects to that port and calls {@link #request}.
     *
     * <p>A mode whose sender is another program implements this interface with that program's command
     * line. The netkit reactor's file server, which answers the same {@code GET}/{@code OK} protocol from
     * a served directory, would be a mode whose command is
     * {@code java -jar reactor/target/netkit-reactor.jar server ...} with the served directory
     * ({@link SenderConfig#dir}) and the port ({@link SenderConfig#port}) as its options, and the
     * default {@link #request}; it is added to {@link FileSendBench#modes()}.
     */
    public interface SenderMode {
        /**
         * The mode's name, as {@code --modes} and the result table write it.
         *
         * @return the name
         */
        String name();

        /**
         * The sender process's command line. The process must serve the files of
         * {@link SenderConfig#dir} on 127.0.0.1 and print a line containing {@code listening on port N}
         * once it accepts connections.
         *
         * @param config the directory, port and buffer settings
         * @return the command and its arguments
         */
        List<String> command(SenderConfig config);

        /**
         * Asks the sender for a file on a connected, blocking channel and reads the response header.
         * The default writes {@code GET <fileName>\n} and expects {@code OK <length>\n}.
         *
         * @param channel  a blocking channel connected to the sender
         * @param fileName the file's name within the served directory
         * @param buffer   a buffer the header is read into; on return it holds (between position and
         *                 limit) the body bytes that arrived with the header
         * @return the body's length, as the sender announced it
         * @throws IOException if the request cannot be written or the response is not {@code OK <length>}
         */
        default long request(SocketChannel channel, String fileName, ByteBuffer buffer) throws IOException {
            return FileProtocol.request(channel, fileName, buffer);
        }

        /**
         * The seed chapter's row this mode compares with, for the result table.
         *
         * @return the seed's figures for 100 MB, or {@code "—"} where the seed has no such row
         */
        default String seed() {
            return "—";
        }

        /**
         * How many times the sender's CPU copies each byte, by construction (not measured).
         *
         * @return a short description
         */
        default String copies() {
            return "—";
        }
    }

    /**
     * What a sender is started with.
     *
     * @param java          the {@code java} launcher of this JVM
     * @param classPath     this JVM's class path
     * @param jvmArgs       options for a sender JVM
     * @param dir           the directory to serve (the benchmark's files are in it)
     * @param port          a free loopback port the sender may listen on
     * @param bufferBytes   the read buffer of the heap and direct modes
     * @param mmapWindow    the mapping size of the mmap mode
     * @param sendBufBytes  SO_SNDBUF for the sender's sockets, or 0 to leave the kernel's autotuning
     */
    public record SenderConfig(String java, String classPath, List<String> jvmArgs, Path dir, int port,
                               int bufferBytes, long mmapWindow, int sendBufBytes) {
    }

    /** The modes this benchmark knows, in table order; a new mode is added here. */
    private static final List<SenderMode> MODES = List.of(
            new LocalMode("heap", "read/write: 80% CPU, 1000 ms, 4 copies",
                    "4 (page cache → JDK temp direct buffer → heap array → JDK temp direct buffer → socket)"),
            new LocalMode("direct", "read/write: 80% CPU, 1000 ms, 4 copies",
                    "2 (page cache → direct buffer → socket)"),
            new LocalMode("transferTo", "sendfile(): 20% CPU, 300 ms, 2 copies",
                    "0 (sendfile(2) hands page-cache pages to the socket)"),
            new LocalMode("mmap", "mmap(): 10% CPU, 200 ms, 1 copy",
                    "1 (mapped page cache → socket, by write(2))"),
            new NetkitMode());

    /**
     * The netkit reactor's {@code file} protocol as the sender: {@code server --protocol file --serve-dir D
     * --reactors 1} from the reactor jar (the system property {@code netkit.reactor.jar}, default
     * {@code reactor/target/netkit-reactor.jar}), which answers {@code GET <name>} with
     * {@code Conn.sendFile}: {@code FileChannel.transferTo} on a non-blocking socket from its event loop,
     * resumed on each writable event. The same request and answer as the other modes.
     */
    private record NetkitMode() implements SenderMode {
        @Override
        public String name() {
            return "netkit";
        }

        @Override
        public List<String> command(SenderConfig c) {
            List<String> cmd = new ArrayList<>();
            cmd.add(c.java());
            cmd.addAll(c.jvmArgs());
            cmd.addAll(List.of("-jar", System.getProperty("netkit.reactor.jar", "reactor/target/netkit-reactor.jar"),
                    "server", "--bind", "127.0.0.1", "--port", Integer.toString(c.port()), "--protocol", "file",
                    "--serve-dir", c.dir().toString(), "--reactors", "1"));
            return cmd;
        }

        @Override
        public String seed() {
            return "sendfile(): 20% CPU, 300 ms, 2 copies";
        }

        @Override
        public String copies() {
            return "0 (Conn.sendFile: sendfile(2) from the event loop, non-blocking)";
        }
    }

    /** The seed's row that has no Java counterpart. */
    private static final String SEED_SPLICE = "splice(): 5% CPU, 100 ms, 0 copies";

    /**
     * The modes this benchmark knows, in table order.
     *
     * @return the modes
     */
    public static List<SenderMode> modes() {
        return MODES;
    }

    /** A mode whose sender is this class's {@code serve}, with the body written by {@link Body}. */
    private record LocalMode(String name, String seed, String copies) implements SenderMode {
        @Override
        public List<String> command(SenderConfig c) {
            List<String> cmd = new ArrayList<>();
            cmd.add(c.java());
            cmd.addAll(c.jvmArgs());
            cmd.addAll(List.of("-cp", c.classPath(), FileSendBench.class.getName(), "serve",
                    "--mode", name, "--dir", c.dir().toString(), "--port", Integer.toString(c.port()),
                    "--buffer", Integer.toString(c.bufferBytes()), "--mmap-window", Long.toString(c.mmapWindow()),
                    "--sndbuf", Integer.toString(c.sendBufBytes())));
            return cmd;
        }
    }

    // =====================================================================================================
    // The protocol: GET <name>\n -> OK <length>\n + bytes, then the sender closes.
    // =====================================================================================================

    private static final class FileProtocol {
        private static final int MAX_LINE = 1024;

        private FileProtocol() {
        }

        static long request(SocketChannel ch, String name, ByteBuffer buf) throws IOException {
            ByteBuffer req = ByteBuffer.wrap(("GET " + name + "\n").getBytes(StandardCharsets.US_ASCII));
            while (req.hasRemaining()) {
                ch.write(req);
            }
            buf.clear();
            int nl = readLine(ch, buf);
            String line = ascii(buf, 0, nl);
            if (!line.startsWith("OK ")) {
                throw new IOException("sender answered: " + line);
            }
            long length = Long.parseLong(line.substring(3).trim());
            buf.limit(buf.position()).position(nl + 1); // what came after the header: body bytes
            return length;
        }

        /** Reads into buf (write mode) until a '\n' is in it; returns its index, buf's position after the data. */
        static int readLine(SocketChannel ch, ByteBuffer buf) throws IOException {
            int scanned = 0;
            while (true) {
                for (int i = scanned; i < buf.position(); i++) {
                    if (buf.get(i) == '\n') {
                        return i;
                    }
                }
                scanned = buf.position();
                if (scanned >= MAX_LINE || !buf.hasRemaining()) {
                    throw new IOException("no line end in the first " + scanned + " bytes");
                }
                if (ch.read(buf) < 0) {
                    throw new EOFException("end of stream before a line end (" + scanned + " bytes)");
                }
            }
        }

        static String ascii(ByteBuffer buf, int from, int to) {
            byte[] b = new byte[to - from];
            buf.get(from, b);
            return new String(b, StandardCharsets.US_ASCII);
        }
    }

    // =====================================================================================================
    // The sender: serve --mode M --dir D --port P ...
    // =====================================================================================================

    /** How the built-in sender writes a file's bytes to the (blocking) socket. */
    private enum Body {
        /** FileChannel.read into a heap buffer, SocketChannel.write of it. */
        HEAP {
            @Override
            void send(FileChannel file, long length, SocketChannel out, Sender s) throws IOException {
                readWrite(file, length, out, s.heap);
            }
        },
        /** FileChannel.read into a direct buffer, SocketChannel.write of it. */
        DIRECT {
            @Override
            void send(FileChannel file, long length, SocketChannel out, Sender s) throws IOException {
                readWrite(file, length, out, s.direct);
            }
        },
        /** FileChannel.transferTo(position, count, socket): sendfile(2) on Linux. */
        TRANSFER_TO {
            @Override
            void send(FileChannel file, long length, SocketChannel out, Sender s) throws IOException {
                long pos = 0;
                while (pos < length) {
                    long n = file.transferTo(pos, length - pos, out);
                    if (n <= 0) {
                        throw new IOException("transferTo moved " + n + " bytes at " + pos + " of " + length);
                    }
                    pos += n;
                }
            }
        },
        /** FileChannel.map(READ_ONLY) in windows, SocketChannel.write of each MappedByteBuffer. */
        MMAP {
            @Override
            void send(FileChannel file, long length, SocketChannel out, Sender s) throws IOException {
                for (long pos = 0; pos < length; pos += s.mmapWindow) {
                    MappedByteBuffer map = file.map(FileChannel.MapMode.READ_ONLY, pos,
                            Math.min(s.mmapWindow, length - pos));
                    while (map.hasRemaining()) {
                        out.write(map);
                    }
                    // no explicit unmap in Java 21 without Unsafe or a preview API: the mapping goes when
                    // the buffer is collected
                }
            }
        };

        abstract void send(FileChannel file, long length, SocketChannel out, Sender s) throws IOException;

        static Body of(String mode) {
            return switch (mode) {
                case "heap" -> HEAP;
                case "direct" -> DIRECT;
                case "transferTo" -> TRANSFER_TO;
                case "mmap" -> MMAP;
                default -> throw new IllegalArgumentException("unknown mode " + mode);
            };
        }

        static void readWrite(FileChannel file, long length, SocketChannel out, ByteBuffer buf) throws IOException {
            long pos = 0;
            while (pos < length) {
                buf.clear();
                if (length - pos < buf.capacity()) {
                    buf.limit((int) (length - pos));
                }
                int n = file.read(buf, pos);
                if (n < 0) {
                    throw new EOFException("file ended at " + pos + " of " + length);
                }
                pos += n;
                buf.flip();
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
            }
        }
    }

    /** The sender process's state: one connection at a time, on the main thread. */
    private static final class Sender {
        final Body body;
        final Path dir;
        final ByteBuffer heap;
        final ByteBuffer direct;
        final long mmapWindow;
        final int sendBuf;

        Sender(Body body, Path dir, int bufferBytes, long mmapWindow, int sendBuf) {
            this.body = body;
            this.dir = dir;
            this.heap = body == Body.HEAP ? ByteBuffer.allocate(bufferBytes) : null;
            this.direct = body == Body.DIRECT ? ByteBuffer.allocateDirect(bufferBytes) : null;
            this.mmapWindow = mmapWindow;
            this.sendBuf = sendBuf;
        }

        void serve(int port) throws IOException {
            try (ServerSocketChannel server = ServerSocketChannel.open()) {
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                int bound = ((InetSocketAddress) server.getLocalAddress()).getPort();
                String tid = "?";
                try {
                    // "<pid>/task/<tid>": the receiver reads this thread's own CPU from it
                    Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
                    tid = self.getFileName().toString();
                } catch (IOException | UnsupportedOperationException e) {
                    // not Linux: no thread CPU
                }
                System.out.println("sender thread tid " + tid);
                System.out.println("FileSendBench sender " + body + " listening on port " + bound);
                System.out.flush();
                ByteBuffer line = ByteBuffer.allocateDirect(FileProtocol.MAX_LINE);
                boolean first = true;
                while (true) {
                    try (SocketChannel ch = server.accept()) {
                        ch.configureBlocking(true);
                        if (sendBuf > 0) {
                            ch.setOption(StandardSocketOptions.SO_SNDBUF, sendBuf);
                        }
                        if (first) {
                            System.out.println("sender SO_SNDBUF " + ch.getOption(StandardSocketOptions.SO_SNDBUF));
                            System.out.flush();
                            first = false;
                        }
                        handle(ch, line);
                    } catch (IOException e) {
                        System.out.println("sender error: " + e);
                        System.out.flush();
                    }
                }
            }
        }

        private void handle(SocketChannel ch, ByteBuffer line) throws IOException {
            line.clear();
            int nl = FileProtocol.readLine(ch, line);
            String request = FileProtocol.ascii(line, 0, nl).trim();
            String name = request.startsWith("GET ") ? request.substring(4).trim() : "";
            if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
                reply(ch, "ERR bad request: " + request + "\n");
                return;
            }
            Path path = dir.resolve(name);
            if (!Files.isRegularFile(path)) {
                reply(ch, "ERR no such file: " + name + "\n");
                return;
            }
            try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
                long length = file.size();
                reply(ch, "OK " + length + "\n");
                body.send(file, length, ch, this);
            }
        }

        private static void reply(SocketChannel ch, String s) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
    }

    // =====================================================================================================
    // The receiver: options, files, runs, report.
    // =====================================================================================================

    private static final class Options {
        List<Long> sizes = List.of(100L << 20, 1L << 30);
        List<String> modes = MODES.stream().map(SenderMode::name).toList();
        int reps = 5;
        int warmup = 5;
        boolean verify;
        Path dir;
        int buffer = 64 << 10;
        long mmapWindow = 64L << 20;
        int sndbuf;
        int rcvbuf;
        int recvBuffer = 256 << 10;
        Path md;
        Path json;
        List<String> notes = new ArrayList<>();
        List<String> jvmArgs = List.of("-XX:+UseSerialGC", "-Xms64m", "-Xmx256m");
        String senderCpus;
        // serve
        String mode;
        int port;
    }

    private static final String USAGE = """
            usage: FileSendBench [--sizes 100M,1G] [--modes heap,direct,transferTo,mmap,netkit] [--reps 5] [--warmup 5]
                                 [--verify] [--dir DIR] [--buffer 65536] [--mmap-window 64M] [--sndbuf 0] [--rcvbuf 0]
                                 [--recv-buffer 262144] [--sender-jvm-args "-XX:+UseSerialGC -Xms64m -Xmx256m"]
                                 [--sender-cpus LIST]
                                 [--md FILE] [--json FILE] [--note LINE]...
            sizes take K, M, G (binary); --sndbuf/--rcvbuf 0 leave the kernel's autotuning (--sndbuf other than 0 is refused
            with mode netkit, whose server does not set it); --sender-cpus runs
            each sender under taskset -c LIST (pin the receiver by running this JVM under taskset).""";

    /**
     * Runs the benchmark, or (first argument {@code serve}) one sender.
     *
     * @param args options; see the class comment
     * @throws Exception if a file cannot be made, a sender does not start or a send fails
     */
    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("FileSendBench: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (o.mode != null) {
            new Sender(Body.of(o.mode), o.dir, o.buffer, o.mmapWindow, o.sndbuf).serve(o.port);
            return;
        }
        System.exit(new FileSendBench.Run(o).run());
    }

    private static Options parse(String[] args) {
        Options o = new Options();
        int i = 0;
        if (args.length > 0 && args[0].equals("serve")) {
            o.mode = "";
            i = 1;
        }
        for (; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--verify")) {
                o.verify = true;
                continue;
            }
            if (a.equals("-h") || a.equals("--help")) {
                System.out.println(USAGE);
                System.exit(0);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--sizes" -> o.sizes = Arrays.stream(v.split(",")).map(String::trim).map(FileSendBench::parseSize).toList();
                case "--modes" -> o.modes = Arrays.stream(v.split(",")).map(String::trim).toList();
                case "--reps" -> o.reps = positive(a, Integer.parseInt(v));
                case "--warmup" -> o.warmup = Integer.parseInt(v);
                case "--dir" -> o.dir = Path.of(v);
                case "--buffer" -> o.buffer = positive(a, (int) parseSize(v));
                case "--mmap-window" -> o.mmapWindow = positive(a, parseSize(v));
                case "--sndbuf" -> o.sndbuf = (int) parseSize(v);
                case "--rcvbuf" -> o.rcvbuf = (int) parseSize(v);
                case "--recv-buffer" -> o.recvBuffer = positive(a, (int) parseSize(v));
                case "--sender-cpus" -> o.senderCpus = v;
                case "--sender-jvm-args" -> o.jvmArgs = v.isBlank() ? List.of() : List.of(v.trim().split("\\s+"));
                case "--md" -> o.md = Path.of(v);
                case "--json" -> o.json = Path.of(v);
                case "--note" -> o.notes.add(v);
                case "--mode" -> o.mode = v;
                case "--port" -> o.port = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (o.mode != null) {
            if (o.mode.isEmpty() || o.dir == null) {
                throw new IllegalArgumentException("serve needs --mode and --dir");
            }
            return o;
        }
        for (String m : o.modes) {
            if (MODES.stream().noneMatch(x -> x.name().equals(m))) {
                throw new IllegalArgumentException("unknown mode " + m + " (known: "
                        + MODES.stream().map(SenderMode::name).toList() + ")");
            }
        }
        if (o.sizes.isEmpty() || o.modes.isEmpty()) {
            throw new IllegalArgumentException("no sizes or no modes");
        }
        if (o.sndbuf != 0 && o.modes.contains("netkit")) {
            throw new IllegalArgumentException("--sndbuf sets SO_SNDBUF on this class's own senders only; the netkit"
                    + " server leaves it to the kernel's autotuning, so mode netkit would not be measured alike:"
                    + " leave --sndbuf at 0 or drop netkit from --modes");
        }
        return o;
    }

    private static <N extends Number> N positive(String option, N n) {
        if (n.longValue() <= 0) {
            throw new IllegalArgumentException(option + " must be positive");
        }
        return n;
    }

    static long parseSize(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        if (t.endsWith("IB")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("B")) {
            t = t.substring(0, t.length() - 1);
        }
        long unit = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K' -> unit = 1L << 10;
                case 'M' -> unit = 1L << 20;
                case 'G' -> unit = 1L << 30;
                default -> {
                }
            }
        }
        if (unit > 1) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            return Long.parseLong(t) * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size: " + s);
        }
    }

    static String sizeLabel(long bytes) {
        if (bytes % (1L << 30) == 0) {
            return bytes / (1L << 30) + " GiB";
        }
        if (bytes % (1L << 20) == 0) {
            return bytes / (1L << 20) + " MiB";
        }
        if (bytes % (1L << 10) == 0) {
            return bytes / (1L << 10) + " KiB";
        }
        return bytes + " B";
    }

    /** A file the senders serve: its size, name and CRC32C. */
    private record BenchFile(long size, String name, Path path, long crc, double warmReadMs) {
    }

    /** CPU of the sender process and its sender thread, from /proc. */
    private record Cpu(long userTicks, long sysTicks, long schedNs, long threadUserTicks, long threadSysTicks) {
        Cpu minus(Cpu o) {
            return new Cpu(userTicks - o.userTicks, sysTicks - o.sysTicks, schedNs - o.schedNs,
                    threadUserTicks - o.threadUserTicks, threadSysTicks - o.threadSysTicks);
        }
    }

    /** One timed send. */
    private record Sample(double wallMs, double userMs, double sysMs, double schedCpuMs, double threadUserMs,
                          double threadSysMs, double receiverCpuMs) {
        /** user + sys, from clock ticks: coarse for one send. */
        double tickCpuMs() {
            return userMs + sysMs;
        }

        /** The sender's CPU % of wall, from the schedstat (ns) total. */
        double cpuPercent() {
            return 100.0 * schedCpuMs / wallMs;
        }
    }

    /** A started sender process. */
    private static final class RunningSender {
        final SenderMode mode;
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        final CompletableFuture<Integer> port = new CompletableFuture<>();
        volatile String tid;
        volatile String sndbuf;

        RunningSender(SenderMode mode, Process process) {
            this.mode = mode;
            this.process = process;
        }
    }

    private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");
    private static final Pattern TID = Pattern.compile("sender thread tid (\\d+)");
    private static final Pattern SNDBUF = Pattern.compile("sender SO_SNDBUF (\\d+)");

    /** One benchmark run. */
    private static final class Run {
        final Options o;
        final PrintStream out = System.out;
        final long ticksPerSecond = clockTicks();
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final ByteBuffer recv;
        final CRC32C crc = new CRC32C();
        Path dir;
        boolean tempDir;
        final List<BenchFile> files = new ArrayList<>();
        final Map<String, RunningSender> senders = new LinkedHashMap<>();
        final Map<String, List<Sample>> samples = new LinkedHashMap<>(); // key: mode + " " + size
        String receiverRcvbuf = "?";
        int failures;

        Run(Options o) {
            this.o = o;
            this.recv = ByteBuffer.allocateDirect(o.recvBuffer);
        }

        int run() throws Exception {
            try {
                prepareFiles();
                startSenders();
                warmUp();
                measure();
                report();
            } finally {
                for (RunningSender s : senders.values()) {
                    s.process.destroy();
                    if (!s.process.waitFor(5, TimeUnit.SECONDS)) {
                        s.process.destroyForcibly();
                    }
                }
                if (tempDir) {
                    for (BenchFile f : files) {
                        Files.deleteIfExists(f.path());
                    }
                    Files.deleteIfExists(dir);
                }
            }
            return failures == 0 ? 0 : 1;
        }

        // ---- files ----------------------------------------------------------------------------------

        void prepareFiles() throws IOException {
            if (o.dir != null) {
                dir = Files.createDirectories(o.dir);
            } else {
                dir = Files.createTempDirectory(Path.of("/tmp"), "netkit-filesend-");
                tempDir = true;
            }
            out.println("files in " + dir + (tempDir ? " (temporary, deleted at exit)" : " (kept; reused when the size matches)"));
            for (long size : o.sizes.stream().distinct().sorted().toList()) {
                String name = "filesend-" + size + ".bin";
                Path path = dir.resolve(name);
                if (!Files.isRegularFile(path) || Files.size(path) != size) {
                    long t0 = System.nanoTime();
                    writePattern(path, size);
                    out.printf(Locale.ROOT, "made %s (%s) in %.0f ms%n", path, sizeLabel(size), ms(System.nanoTime() - t0));
                } else {
                    out.printf(Locale.ROOT, "reusing %s (%s)%n", path, sizeLabel(size));
                }
                files.add(warm(new BenchFile(size, name, path, 0, 0)));
            }
        }

        /** A deterministic pseudo-random pattern: xorshift64* from a fixed seed, little-endian longs. */
        static void writePattern(Path path, long size) throws IOException {
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            long x = 0x9E3779B97F4A7C15L;
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                long written = 0;
                while (written < size) {
                    buf.clear();
                    while (buf.remaining() >= Long.BYTES) {
                        x ^= x >>> 12;
                        x ^= x << 25;
                        x ^= x >>> 27;
                        buf.putLong(x * 0x2545F4914F6CDD1DL);
                    }
                    buf.flip();
                    if (size - written < buf.remaining()) {
                        buf.limit((int) (size - written));
                    }
                    while (buf.hasRemaining()) {
                        written += ch.write(buf);
                    }
                }
                ch.force(false); // no write-back of these pages during the timed sends
            }
        }

        /** Reads the whole file (page cache warm) and returns it with its CRC32C. */
        BenchFile warm(BenchFile f) throws IOException {
            long t0 = System.nanoTime();
            CRC32C c = new CRC32C();
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            long total = 0;
            try (FileChannel ch = FileChannel.open(f.path(), StandardOpenOption.READ)) {
                int n;
                while ((n = ch.read(buf)) >= 0) {
                    total += n;
                    if (!buf.hasRemaining()) {
                        buf.flip();
                        c.update(buf);
                        buf.clear();
                    }
                }
                buf.flip();
                c.update(buf);
            }
            if (total != f.size()) {
                throw new IOException(f.path() + ": read " + total + " bytes, expected " + f.size());
            }
            double msRead = ms(System.nanoTime() - t0);
            out.printf(Locale.ROOT, "page cache warmed: read %s in %.0f ms (%.0f MiB/s), CRC32C %08x%n",
                    f.name(), msRead, f.size() / (double) (1 << 20) / (msRead / 1000), c.getValue());
            return new BenchFile(f.size(), f.name(), f.path(), c.getValue(), msRead);
        }

        // ---- senders --------------------------------------------------------------------------------

        void startSenders() throws Exception {
            String java = ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            String cp = System.getProperty("java.class.path");
            for (String name : o.modes) {
                SenderMode mode = MODES.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
                SenderConfig config = new SenderConfig(java, cp, o.jvmArgs, dir, freePort(), o.buffer,
                        o.mmapWindow, o.sndbuf);
                List<String> cmd = new ArrayList<>(mode.command(config));
                if (o.senderCpus != null) {
                    cmd.addAll(0, List.of("taskset", "-c", o.senderCpus)); // any mode's sender, on those CPUs
                }
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                RunningSender s = new RunningSender(mode, p);
                senders.put(name, s);
                Thread t = new Thread(() -> drain(s), "drain-" + name);
                t.setDaemon(true);
                t.start();
                p.onExit().thenRun(() -> s.port.completeExceptionally(
                        new IOException(name + " sender exited with status " + p.exitValue() + ": " + s.lines)));
            }
            for (RunningSender s : senders.values()) {
                int port = s.port.get(30, TimeUnit.SECONDS);
                out.printf("sender %-10s pid %d, port %d, sender thread tid %s%n", s.mode.name(), s.process.pid(),
                        port, s.tid);
            }
        }

        static void drain(RunningSender s) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(s.process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    s.lines.add(line);
                    Matcher m = TID.matcher(line);
                    if (m.find()) {
                        s.tid = m.group(1);
                    }
                    m = SNDBUF.matcher(line);
                    if (m.find()) {
                        s.sndbuf = m.group(1);
                    }
                    m = LISTENING.matcher(line);
                    if (m.find()) {
                        s.port.complete(Integer.parseInt(m.group(1)));
                    }
                    if (line.contains("error")) {
                        System.out.println("  [" + s.mode.name() + "] " + line);
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
        }

        static int freePort() throws IOException {
            try (ServerSocketChannel s = ServerSocketChannel.open()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                return ((InetSocketAddress) s.getLocalAddress()).getPort();
            }
        }

        // ---- sends ----------------------------------------------------------------------------------

        void warmUp() throws Exception {
            BenchFile smallest = files.get(0);
            for (int i = 0; i < o.warmup; i++) {
                for (String mode : o.modes) {
                    Sample s = send(senders.get(mode), smallest);
                    out.printf(Locale.ROOT, "warm-up %d/%d %-10s %s: %.1f ms (not counted)%n", i + 1, o.warmup, mode,
                            sizeLabel(smallest.size()), s.wallMs());
                }
            }
        }

        void measure() throws Exception {
            for (BenchFile f : files) {
                if (f != files.get(0) || o.warmup == 0) {
                    warm(f); // again: a size's runs start with its file just read through
                }
                for (int rep = 0; rep < o.reps; rep++) {
                    for (int k = 0; k < o.modes.size(); k++) {
                        String mode = o.modes.get((k + rep) % o.modes.size());
                        Sample s = send(senders.get(mode), f);
                        samples.computeIfAbsent(mode + " " + f.size(), x -> new ArrayList<>()).add(s);
                        out.printf(Locale.ROOT,
                                "%-10s %-8s rep %d/%d: wall %8.1f ms, sender CPU %7.1f ms (%3.0f%%; ticks: user %4.0f sys %4.0f ms), %6.0f MiB/s%n",
                                mode, sizeLabel(f.size()), rep + 1, o.reps, s.wallMs(), s.schedCpuMs(), s.cpuPercent(),
                                s.userMs(), s.sysMs(), mibPerSecond(f.size(), s.wallMs()));
                    }
                }
            }
        }

        Sample send(RunningSender sender, BenchFile f) throws Exception {
            int port = sender.port.get();
            long pid = sender.process.pid();
            try (SocketChannel ch = SocketChannel.open()) {
                if (o.rcvbuf > 0) {
                    ch.setOption(StandardSocketOptions.SO_RCVBUF, o.rcvbuf);
                }
                ch.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                receiverRcvbuf = String.valueOf(ch.getOption(StandardSocketOptions.SO_RCVBUF));
                if (o.verify) {
                    crc.reset();
                }
                Cpu before = cpu(pid, sender.tid);
                long rc0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                long length = sender.mode.request(ch, f.name(), recv);
                long received = consume(recv);
                recv.clear();
                int n;
                // up to the announced length, not to the end of stream: a sender may keep the connection open
                // (the netkit mode's server does, for the client's next request)
                while (received < length && (n = ch.read(recv.limit((int) Math.min(recv.capacity(),
                        length - received)))) >= 0) {
                    received += n;
                    if (o.verify) {
                        recv.flip();
                        crc.update(recv);
                    }
                    recv.clear();
                }
                long t1 = System.nanoTime();
                long rc1 = threads.getCurrentThreadCpuTime();
                Cpu d = cpu(pid, sender.tid).minus(before);
                if (length != f.size() || received != f.size()) {
                    failures++;
                    out.printf("FAILED: %s %s: announced %d, received %d, file %d bytes%n", sender.mode.name(),
                            f.name(), length, received, f.size());
                } else if (o.verify && crc.getValue() != f.crc()) {
                    failures++;
                    out.printf("FAILED: %s %s: CRC32C %08x, file %08x%n", sender.mode.name(), f.name(),
                            crc.getValue(), f.crc());
                }
                double tick = 1000.0 / ticksPerSecond;
                return new Sample(ms(t1 - t0), d.userTicks() * tick, d.sysTicks() * tick, d.schedNs() / 1e6,
                        d.threadUserTicks() * tick, d.threadSysTicks() * tick, (rc1 - rc0) / 1e6);
            }
        }

        /** Counts (and with --verify checksums) the body bytes already in buf. */
        long consume(ByteBuffer buf) {
            int n = buf.remaining();
            if (o.verify) {
                crc.update(buf);
            }
            return n;
        }

        // ---- /proc ----------------------------------------------------------------------------------

        static Cpu cpu(long pid, String tid) throws IOException {
            long[] proc = statTimes(Path.of("/proc/" + pid + "/stat"));
            long[] thread = tid == null ? new long[2]
                    : statTimes(Path.of("/proc/" + pid + "/task/" + tid + "/stat"));
            long sched = 0;
            try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                for (Path t : tasks.toList()) {
                    try {
                        String s = readProc(t.resolve("schedstat")).trim();
                        sched += Long.parseLong(s.substring(0, s.indexOf(' ')));
                    } catch (IOException | RuntimeException e) {
                        // a thread that just exited, or no schedstat
                    }
                }
            }
            return new Cpu(proc[0], proc[1], sched, thread[0], thread[1]);
        }

        /**
         * A /proc file's text, read through a stream: Files.readString has been seen to return only the
         * first byte of a /proc/sys file.
         */
        static String readProc(Path p) throws IOException {
            try (var in = Files.newInputStream(p)) {
                return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            }
        }

        /** utime and stime (fields 14 and 15, clock ticks) of a /proc stat file. */
        static long[] statTimes(Path stat) throws IOException {
            String s = readProc(stat);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state): utime is field 14, stime field 15
            return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
        }

        static long clockTicks() {
            try {
                Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
                String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
                p.waitFor();
                return Long.parseLong(s);
            } catch (IOException | RuntimeException e) {
                return 100;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 100;
            }
        }

        // ---- report ---------------------------------------------------------------------------------

        void report() throws IOException {
            String md = markdown();
            out.println();
            out.println(md);
            if (o.md != null) {
                Files.writeString(o.md, md);
                out.println("wrote " + o.md);
            }
            if (o.json != null) {
                Files.writeString(o.json, json());
                out.println("wrote " + o.json);
            }
        }

        List<Sample> of(String mode, long size) {
            return samples.getOrDefault(mode + " " + size, List.of());
        }

        String markdown() {
            StringBuilder b = new StringBuilder();
            b.append("# FileSendBench: a file sent over loopback TCP, by each sender mode\n\n");
            for (String n : o.notes) {
                b.append("    ").append(n).append('\n');
            }
            if (!o.notes.isEmpty()) {
                b.append('\n');
            }
            b.append("| mode | file size | wall ms (median [min–max]) | sender user ms (mean) | sender sys ms (mean) "
                    + "| sender CPU ms (median) | CPU % of wall (median) | MiB/s (median) | receiver CPU ms (median) "
                    + "| seed (100 MB, Go IM server chapter) |\n");
            b.append("|---|---|---|---|---|---|---|---|---|---|\n");
            for (BenchFile f : files) {
                for (SenderMode m : MODES) {
                    List<Sample> s = of(m.name(), f.size());
                    if (s.isEmpty()) {
                        continue;
                    }
                    Stats wall = Stats.of(s, Sample::wallMs);
                    b.append(String.format(Locale.ROOT, "| %s | %s | %.1f [%.1f–%.1f] | %.0f | %.0f | %.1f | %.0f | %.0f | %.1f | %s |%n",
                            m.name(), sizeLabel(f.size()), wall.median(), wall.min(), wall.max(),
                            Stats.of(s, Sample::userMs).mean(), Stats.of(s, Sample::sysMs).mean(),
                            Stats.of(s, Sample::schedCpuMs).median(), Stats.of(s, Sample::cpuPercent).median(),
                            Stats.of(s, x -> mibPerSecond(f.size(), x.wallMs())).median(),
                            Stats.of(s, Sample::receiverCpuMs).median(),
                            f == files.get(0) && f.size() == 100L << 20 ? m.seed() : "—"));
                }
            }
            b.append("| splice | — | not measured: the JDK has no splice (see the notes) | | | | | | | ")
                    .append(SEED_SPLICE).append(" |\n\n");
            b.append(ratioLine()).append("\n\n");
            String spread = spreadLine();
            if (!spread.isEmpty()) {
                b.append(spread).append("\n\n");
            }
            b.append("## How it was measured\n\n");
            for (String h : harness()) {
                b.append("- ").append(h).append('\n');
            }
            b.append("\nSender CPU copies per byte, by construction (not measured; on loopback with a warm page cache there is no DMA. The seed's counts mix conventions: 4 for read/write counts the two DMA copies, 1 for mmap counts only the CPU copy):\n\n");
            for (SenderMode m : MODES) {
                if (o.modes.contains(m.name())) {
                    b.append("- `").append(m.name()).append("`: ").append(m.copies()).append('\n');
                }
            }
            b.append("\n## Java has no splice\n\n").append(SPLICE_NOTE).append('\n');
            return b.toString();
        }

        /** The ratio lines: transferTo and netkit against heap at 100 MiB (else the smallest size). */
        String ratioLine() {
            long size = files.stream().mapToLong(BenchFile::size).filter(x -> x == 100L << 20).findFirst()
                    .orElse(files.get(0).size());
            List<Sample> h = of("heap", size);
            List<String> lines = new ArrayList<>();
            for (String mode : List.of("transferTo", "netkit")) {
                List<Sample> t = of(mode, size);
                if (t.isEmpty() || h.isEmpty()) {
                    continue;
                }
                double cpu = Stats.of(t, Sample::schedCpuMs).median() / Stats.of(h, Sample::schedCpuMs).median();
                double ticks = Stats.of(t, Sample::tickCpuMs).mean() / Stats.of(h, Sample::tickCpuMs).mean();
                double rate = Stats.of(t, x -> mibPerSecond(size, x.wallMs())).median()
                        / Stats.of(h, x -> mibPerSecond(size, x.wallMs())).median();
                lines.add(String.format(Locale.ROOT,
                        "Ratios at %s: %s CPU / heap CPU = **%.2f** (medians of the schedstat CPU; %.2f from the "
                                + "means of user + sys ticks) — goal ≤ 0.3: %s; %s bytes/s / heap bytes/s = **%.2f** "
                                + "(medians) — goal ≥ 1.5: %s.",
                        sizeLabel(size), mode, cpu, ticks, cpu <= 0.3 ? "met" : "missed", mode, rate,
                        rate >= 1.5 ? "met" : "missed"));
            }
            return lines.isEmpty() ? "Ratios: need the heap mode and transferTo or netkit." : String.join("\n\n", lines);
        }

        /** Names the rows whose slowest send took more than twice their fastest, or says nothing. */
        String spreadLine() {
            List<String> wide = new ArrayList<>();
            for (BenchFile f : files) {
                for (SenderMode m : MODES) {
                    List<Sample> s = of(m.name(), f.size());
                    if (!s.isEmpty()) {
                        Stats w = Stats.of(s, Sample::wallMs);
                        if (w.max() > 2 * w.min()) {
                            wide.add(String.format(Locale.ROOT, "%s %s (%.1f–%.1f ms)", m.name(), sizeLabel(f.size()),
                                    w.min(), w.max()));
                        }
                    }
                }
            }
            return wide.isEmpty() ? "" : "Wide spread (slowest send more than twice the fastest): "
                    + String.join(", ", wide) + ". A median of " + o.reps + " such sends can move a lot from one run "
                    + "to the next; more --reps narrow it.";
        }

        List<String> harness() {
            RunningSender any = senders.values().iterator().next();
            List<String> h = new ArrayList<>();
            h.add("Loopback TCP (127.0.0.1). Each sender is its own JVM (same `java`, `" + String.join(" ", o.jvmArgs)
                    + "`), one per mode, serving `GET <name>` with `OK <length>` + the bytes and then closing; a new "
                    + "connection per send. The sender socket is blocking (the accepted SocketChannel, "
                    + "configureBlocking(true)); SO_SNDBUF " + (o.sndbuf > 0 ? "set to " + o.sndbuf : "left to the kernel's autotuning")
                    + " (reads back as " + any.sndbuf + " after accept; tcp_wmem `" + sysctl("tcp_wmem") + "`).");
            h.add("Receiver: this JVM, one thread, a " + o.recvBuffer + "-byte direct buffer, reading to end of stream and "
                    + "discarding; it checks the byte count exactly" + (o.verify ? " and a CRC32C over the stream against the file's (--verify: on; the checksum costs receiver time, so these times are not the timing run's)" : " (--verify off: no checksum)")
                    + ". SO_RCVBUF " + (o.rcvbuf > 0 ? "set to " + o.rcvbuf : "autotuned") + " (reads back as "
                    + receiverRcvbuf + "; tcp_rmem `" + sysctl("tcp_rmem") + "`).");
            h.add("Modes: `heap` FileChannel.read(buf, pos) into a " + o.buffer + "-byte heap ByteBuffer, then SocketChannel.write "
                    + "until empty; `direct` the same with a " + o.buffer + "-byte direct ByteBuffer; `transferTo` "
                    + "FileChannel.transferTo(pos, remaining, socket) in a loop (sendfile(2) on Linux; one call normally "
                    + "moves the whole file); `mmap` FileChannel.map(READ_ONLY) in windows of " + sizeLabel(o.mmapWindow)
                    + " and SocketChannel.write of each MappedByteBuffer (mappings are not unmapped explicitly: Java 21 "
                    + "has no unmap outside the preview FFM API, FileChannel.map with an Arena; they go when the "
                    + "buffers are collected).");
            h.add("Files: " + files.stream().map(f -> String.format(Locale.ROOT, "%s (%d bytes, CRC32C %08x)",
                    sizeLabel(f.size()), f.size(), f.crc())).toList() + ", a deterministic xorshift64* pattern, under "
                    + dir + ". Page cache warm: each file is read through once before its runs (the first read of "
                    + files.stream().map(f -> String.format(Locale.ROOT, "%s took %.0f ms", sizeLabel(f.size()), f.warmReadMs())).toList()
                    + ").");
            h.add("Warm-up: each sender first made " + o.warmup + " untimed send(s) of the " + sizeLabel(files.get(0).size())
                    + " file; then per size " + o.reps + " rounds, each round one send per mode, the order rotated by one "
                    + "mode per round.");
            h.add("Wall: from writing the request to end of stream, in the receiver. Sender CPU is sampled before the "
                    + "request and after end of stream, for the whole sender JVM (all its threads): \"sender CPU ms\" "
                    + "is the difference of the sum over /proc/<pid>/task/*/schedstat of the time on CPU (ns; the "
                    + "same run time the kernel splits into utime and stime), and CPU % of wall is that over wall. "
                    + "The user/sys split comes from utime and stime in /proc/<pid>/stat, whose unit is a clock tick of "
                    + (1000 / ticksPerSecond) + " ms, too coarse for one send: the user and sys columns are the sums "
                    + "of the differences over the reps divided by the reps (a sender is idle between its sends, so "
                    + "the sum is close to one difference over all of them: resolution about " + (1000 / ticksPerSecond)
                    + " ms / reps); their sum need not equal the CPU ms median exactly. MiB/s = file size / wall. "
                    + "Wall, CPU ms, CPU % and MiB/s are medians over the reps, each column's on its own; the JSON has "
                    + "every value, and the sender thread's own utime/stime.");
            h.add("On loopback the receiving half of TCP runs on this machine too, and who pays for it varies: the "
                    + "softirq that delivers a segment to the receiving socket often runs inline in the sender's "
                    + "write or sendfile (sender sys time), but while the receiver holds its socket the segments go "
                    + "to the socket's backlog and the receiver processes them (receiver time). So a send can move "
                    + "cost between the two columns from one rep to the next; the receiver CPU column (this JVM's "
                    + "receiving thread, ThreadMXBean, ns) is there to show it. The sender and the receiver share "
                    + "the machine's " + onlineCpus() + " online CPUs (CPUs allowed: "
                    + "receiver " + cpusAllowed("self") + ", senders " + senders.values().stream()
                            .map(x -> cpusAllowed(Long.toString(x.process.pid()))).distinct().toList()
                    + (o.senderCpus != null ? ", by taskset -c " + o.senderCpus : "") + "). Sender CPU counts "
                    + "every thread of the sender JVM (a JIT compilation during a send counts too), so CPU % can "
                    + "exceed 100.");
            return h;
        }

        /** The machine's online CPUs (this JVM's availableProcessors counts only those taskset allows it). */
        static int onlineCpus() {
            try {
                int n = 0;
                for (String range : readProc(Path.of("/sys/devices/system/cpu/online")).trim().split(",")) {
                    String[] ends = range.split("-");
                    n += ends.length == 1 ? 1 : Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1;
                }
                return n;
            } catch (IOException | RuntimeException e) {
                return Runtime.getRuntime().availableProcessors();
            }
        }

        /** Cpus_allowed_list of /proc/PID/status: where a process may run. */
        static String cpusAllowed(String pid) {
            try {
                return readProc(Path.of("/proc/" + pid + "/status")).lines()
                        .filter(l -> l.startsWith("Cpus_allowed_list:")).map(l -> l.substring(18).trim())
                        .findFirst().orElse("?");
            } catch (IOException e) {
                return "?";
            }
        }

        static String sysctl(String name) {
            try {
                return readProc(Path.of("/proc/sys/net/ipv4/" + name)).trim().replaceAll("\\s+", " ");
            } catch (IOException e) {
                return "?";
            }
        }

        String json() {
            StringBuilder b = new StringBuilder();
            b.append("{\n  \"benchmark\": \"FileSendBench\",\n");
            b.append("  \"provenance\": [");
            for (int i = 0; i < o.notes.size(); i++) {
                b.append(i == 0 ? "" : ", ").append(q(o.notes.get(i)));
            }
            b.append("],\n");
            b.append("  \"settings\": {\"reps\": ").append(o.reps).append(", \"warmupSendsPerMode\": ").append(o.warmup)
                    .append(", \"verify\": ").append(o.verify).append(", \"bufferBytes\": ").append(o.buffer)
                    .append(", \"mmapWindowBytes\": ").append(o.mmapWindow).append(", \"sndbuf\": ").append(o.sndbuf)
                    .append(", \"rcvbuf\": ").append(o.rcvbuf).append(", \"recvBufferBytes\": ").append(o.recvBuffer)
                    .append(", \"senderJvmArgs\": ").append(q(String.join(" ", o.jvmArgs)))
                    .append(", \"clockTicksPerSecond\": ").append(ticksPerSecond)
                    .append(", \"senderSoSndbuf\": ").append(q(String.valueOf(senders.values().iterator().next().sndbuf)))
                    .append(", \"receiverSoRcvbuf\": ").append(q(receiverRcvbuf))
                    .append(", \"tcp_wmem\": ").append(q(sysctl("tcp_wmem"))).append(", \"tcp_rmem\": ").append(q(sysctl("tcp_rmem")))
                    .append(", \"onlineCpus\": ").append(onlineCpus())
                    .append(", \"receiverCpusAllowed\": ").append(q(cpusAllowed("self")))
                    .append(", \"senderCpus\": ").append(q(String.valueOf(o.senderCpus)))
                    .append(", \"receiverJvm\": ").append(q(System.getProperty("java.vm.version"))).append("},\n");
            b.append("  \"files\": [");
            for (int i = 0; i < files.size(); i++) {
                BenchFile f = files.get(i);
                b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT,
                        "{\"sizeBytes\": %d, \"crc32c\": \"%08x\", \"firstWarmReadMs\": %.1f}", f.size(), f.crc(), f.warmReadMs()));
            }
            b.append("],\n  \"results\": [\n");
            boolean first = true;
            for (BenchFile f : files) {
                for (SenderMode m : MODES) {
                    List<Sample> s = of(m.name(), f.size());
                    if (s.isEmpty()) {
                        continue;
                    }
                    b.append(first ? "" : ",\n");
                    first = false;
                    b.append("    {\"mode\": ").append(q(m.name())).append(", \"sizeBytes\": ").append(f.size())
                            .append(", \"seed\": ").append(q(m.seed())).append(", \"senderCopies\": ").append(q(m.copies()))
                            .append(",\n     \"wallMs\": ").append(Stats.of(s, Sample::wallMs).json())
                            .append(",\n     \"senderUserMs\": ").append(Stats.of(s, Sample::userMs).json())
                            .append(",\n     \"senderSysMs\": ").append(Stats.of(s, Sample::sysMs).json())
                            .append(",\n     \"senderCpuPercentOfWall\": ").append(Stats.of(s, Sample::cpuPercent).json())
                            .append(",\n     \"mibPerSecond\": ").append(Stats.of(s, x -> mibPerSecond(f.size(), x.wallMs())).json())
                            .append(",\n     \"senderSchedstatCpuMs\": ").append(Stats.of(s, Sample::schedCpuMs).json())
                            .append(",\n     \"senderThreadUserMs\": ").append(Stats.of(s, Sample::threadUserMs).json())
                            .append(",\n     \"senderThreadSysMs\": ").append(Stats.of(s, Sample::threadSysMs).json())
                            .append(",\n     \"receiverCpuMs\": ").append(Stats.of(s, Sample::receiverCpuMs).json())
                            .append("}");
                }
            }
            b.append("\n  ],\n  \"ratios\": ").append(q(ratioLine().replace("**", ""))).append(",\n");
            b.append("  \"failures\": ").append(failures).append("\n}\n");
            return b.toString();
        }

        static String q(String s) {
            StringBuilder b = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            return b.append('"').toString();
        }
    }

    /** Median, min, max and mean of one column of samples. */
    private record Stats(double median, double min, double max, double mean, double[] values) {
        static Stats of(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> f) {
            double[] v = samples.stream().mapToDouble(f).toArray();
            double[] sorted = v.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            return new Stats(median, sorted[0], sorted[n - 1], Arrays.stream(v).average().orElse(Double.NaN), v);
        }

        String json() {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                    "{\"median\": %.3f, \"mean\": %.3f, \"min\": %.3f, \"max\": %.3f, \"values\": [", median, mean, min, max));
            for (int i = 0; i < values.length; i++) {
                b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", values[i]));
            }
            return b.append("]}").toString();
        }
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    static double mibPerSecond(long bytes, double wallMs) {
        return bytes / (double) (1 << 20) / (wallMs / 1000);
    }

    /** What the markdown says about splice; each statement checked against the JDK sources (see the class comment). */
    private static final String SPLICE_NOTE = """
            FileChannel.transferTo only takes a file as its source: on Linux the JDK's native transferTo0 \
            (FileDispatcherImpl.c, the same in the jdk21u-dev and the current JDK sources) first tries \
            copy_file_range(2), which a socket target refuses with EINVAL, then calls sendfile(2) once for the \
            whole count (strace of the transferTo sender shows exactly that pair), so file → socket is the \
            zero-copy path measured above. The other direction has no such path: FileChannel.transferFrom takes \
            its direct route (copy_file_range) only when the source is itself a FileChannel, and from a \
            SocketChannel it falls back to transferFromArbitraryChannel, a read/write loop through an 8 KiB heap \
            buffer (JDK 21 and 25 sources alike), and nothing in the JDK calls splice(2) (no native library of \
            the JDK 25 this ran on imports it). SocketChannel has no transferTo at all, and \
            InputStream.transferTo between two socket streams is a plain 16 KiB byte[] loop; a Java proxy \
            therefore forwards socket → socket by reading into a (pooled, direct) buffer and writing it out, two \
            copies across the user/kernel boundary per byte. Zero copy there takes splice(2) from the socket into \
            a pipe and from the pipe to the other socket, which Java reaches only through native code: Netty's \
            native epoll transport wraps it (AbstractEpollStreamChannel.spliceTo, JNI), and the FFM API \
            (java.lang.foreign, final in JDK 22, a preview in 21) can call pipe2(2) and splice(2) directly, \
            though the JDK gives no public access to a SocketChannel's file descriptor, so such code must own \
            its sockets (open and accept them through FFM too) or reach into JDK internals.""";

}
