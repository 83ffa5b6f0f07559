package dev.netkit.reactor.load;

import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * The {@code file} protocol's client ({@code netkit-reactor fetch}): {@code connections} connections, each
 * on its own thread, ask for one file {@code requests} times in turn ({@code GET <name>}) and check every
 * answer: its length and the CRC-32C of every byte against the local copy of the file (the server must
 * serve the same file; on loopback it is the same file), or, without a local copy, only that the lengths
 * agree. Reports bytes per second and the server's CPU time (from {@code /proc}, given its pid).
 *
 * <p>Thread safety: {@link #run} is self-contained; call it from one thread at a time per result.
 */
public final class FileFetch {
    private static final int BUFFER = 1 << 20;

    private FileFetch() {
    }

    /**
     * What a fetch run saw.
     *
     * @param connections    connections used
     * @param requests       answers read (OK or ERR)
     * @param bytes          file bytes received
     * @param mismatches     answers that were not the expected file (an ERR, a wrong length or CRC-32C), or
     *                       connections that failed
     * @param elapsedNanos   wall time of the whole run
     * @param serverCpuNanos the server's user + system CPU time during the run, or -1 without a pid
     * @param firstProblem   the first mismatch's description, or null
     */
    public record Result(int connections, long requests, long bytes, long mismatches, long elapsedNanos,
                         long serverCpuNanos, String firstProblem) {
        /** {@return file bytes per second over the run} */
        public double bytesPerSecond() {
            return elapsedNanos == 0 ? 0 : bytes * 1e9 / elapsedNanos;
        }

        /** {@return a small table of the run} */
        public String toTable() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "connections %d, answers %d, bytes %,d, in %.3f s: %.1f MB/s%n",
                    connections, requests, bytes, elapsedNanos / 1e9, bytesPerSecond() / 1e6));
            if (serverCpuNanos >= 0) {
                b.append(String.format(Locale.ROOT, "server CPU %.3f s (%.1f%% of the wall time, %.2f ms per 100 MB)%n",
                        serverCpuNanos / 1e9, 100.0 * serverCpuNanos / Math.max(1, elapsedNanos),
                        bytes == 0 ? 0 : serverCpuNanos / 1e6 * 1e8 / bytes));
            }
            b.append(mismatches == 0 ? "every byte checked: OK" : "MISMATCHES " + mismatches + ", first: " + firstProblem)
                    .append(System.lineSeparator());
            return b.toString();
        }
    }

    /**
     * Runs the fetches and waits for them.
     *
     * @param server      the server's address
     * @param name        the file's name in the served directory
     * @param expected    the local copy to check against (length and CRC-32C), or null to check lengths only
     *                    (every answer must then have the first answer's length)
     * @param connections how many connections, each on its own thread
     * @param requests    requests per connection, one after another
     * @param serverPid   the server's pid for its CPU time, or 0
     * @param log         where to print a line per connection that fails
     * @return what was seen
     * @throws IOException if the expected file cannot be read
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalArgumentException if connections or requests is not positive, or the name is empty or
     *                                  holds a newline
     */
    public static Result run(InetSocketAddress server, String name, Path expected, int connections, int requests,
                             long serverPid, PrintStream log) throws IOException, InterruptedException {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(log, "log");
        if (connections < 1 || requests < 1) {
            throw new IllegalArgumentException("connections and requests must be >= 1, were " + connections
                    + " and " + requests);
        }
        if (name.isEmpty() || name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("the name must be one non-empty line, was \""
                    + name.replace("\n", "\\n").replace("\r", "\\r") + "\"");
        }
        long wantLength = -1;
        long wantCrc = 0;
        if (expected != null) {
            try (FileChannel f = FileChannel.open(expected, StandardOpenOption.READ)) {
                wantLength = f.size();
                CRC32C crc = new CRC32C();
                ByteBuffer b = ByteBuffer.allocateDirect(BUFFER);
                while (f.read(b) >= 0) {
                    b.flip();
                    crc.update(b);
                    b.clear();
                }
                wantCrc = crc.getValue();
            }
        }
        byte[] request = ("GET " + name + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicLong answers = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicLong mismatches = new AtomicLong();
        AtomicLong firstLength = new AtomicLong(wantLength);
        String[] first = new String[1];
        long cpu0 = serverPid > 0 ? ProcStats.cpuNanos(serverPid) : -1;
        long t0 = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        final long crcWanted = wantCrc;
        final boolean checkCrc = expected != null;
        for (int i = 0; i < connections; i++) {
            int conn = i;
            Thread t = new Thread(() -> {
                try (SocketChannel ch = SocketChannel.open(server)) {
                    ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
                    buf.flip();
                    CRC32C crc = new CRC32C();
                    for (int r = 0; r < requests; r++) {
                        ByteBuffer req = ByteBuffer.wrap(request);
                        while (req.hasRemaining()) {
                            ch.write(req);
                        }
                        String header = readLine(ch, buf);
                        answers.incrementAndGet();
                        if (!header.startsWith("OK ")) {
                            problem(mismatches, first, "connection " + conn + ", request " + r + ": " + header);
                            continue;
                        }
                        long len = Long.parseLong(header.substring(3).trim());
                        firstLength.compareAndSet(-1, len);
                        crc.reset();
                        long left = len;
                        while (left > 0) {
                            if (!buf.hasRemaining()) {
                                buf.clear();
                                if (ch.read(buf) < 0) {
                                    throw new EOFException("end of stream " + left + " bytes before the file's end");
                                }
                                buf.flip();
                            }
                            int n = (int) Math.min(left, buf.remaining());
                            if (checkCrc) {
                                int lim = buf.limit();
                                buf.limit(buf.position() + n);
                                crc.update(buf);
                                buf.limit(lim);
                            } else {
                                buf.position(buf.position() + n);
                            }
                            left -= n;
                        }
                        bytes.addAndGet(len);
                        if (len != firstLength.get() || (checkCrc && crc.getValue() != crcWanted)) {
                            problem(mismatches, first, "connection " + conn + ", request " + r + ": length " + len
                                    + (checkCrc ? ", CRC-32C " + Long.toHexString(crc.getValue()) + " instead of "
                                    + Long.toHexString(crcWanted) : "") + " (expected length " + firstLength.get() + ")");
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    problem(mismatches, first, "connection " + conn + " failed: " + e);
                    log.println("fetch: connection " + conn + " failed: " + e);
                }
            }, "netkit-fetch-" + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        long elapsed = System.nanoTime() - t0;
        long cpu1 = serverPid > 0 ? ProcStats.cpuNanos(serverPid) : -1;
        return new Result(connections, answers.get(), bytes.get(), mismatches.get(), elapsed,
                cpu0 >= 0 && cpu1 >= 0 ? cpu1 - cpu0 : -1, first[0]);
    }

    private static void problem(AtomicLong mismatches, String[] first, String what) {
        mismatches.incrementAndGet();
        synchronized (first) {
            if (first[0] == null) {
                first[0] = what;
            }
        }
    }

    /** Reads one line (up to 4 KiB) from the buffered stream; the buffer is left at the byte after it. */
    private static String readLine(SocketChannel ch, ByteBuffer buf) throws IOException {
        StringBuilder b = new StringBuilder();
        while (true) {
            while (buf.hasRemaining()) {
                byte c = buf.get();
                if (c == '\n') {
                    return b.toString();
                }
                if (b.length() > 4096) {
                    throw new IOException("an answer line longer than 4 KiB");
                }
                b.append((char) (c & 0xFF));
            }
            buf.clear();
            int n = ch.read(buf);
            buf.flip();
            if (n < 0) {
                throw new EOFException("end of stream before an answer line");
            }
        }
    }
}
