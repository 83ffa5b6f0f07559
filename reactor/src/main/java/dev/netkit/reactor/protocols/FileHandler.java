package dev.netkit.reactor.protocols;

import dev.netkit.reactor.Conn;
import dev.netkit.reactor.FileSendListener;
import dev.netkit.reactor.Handler;
import dev.netkit.ring.ByteRing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The {@code file} protocol: a client asks for a file of a served directory by name, the server sends it
 * with {@link Conn#sendFile} (zero-copy: {@code sendfile} from the page cache to the socket).
 *
 * <pre>
 *   request:  GET &lt;name&gt;\n          (a trailing \r is ignored; at most {@value #MAX_LINE} bytes)
 *   answer:   OK &lt;length&gt;\n then the file's length bytes
 *        or:  ERR &lt;why&gt;\n             (no such file, a name outside the directory, ...; the connection stays open)
 * </pre>
 *
 * A client may send several requests without waiting (they are answered in order). A line that is not a
 * request (or is too long) is answered with {@code ERR} and the connection is closed once that is written.
 *
 * <p><b>Names.</b> {@code name} is a relative path, '/'-separated, resolved against the served directory;
 * it is refused if it is empty, absolute, holds an empty segment or one that starts with a dot ({@code .},
 * {@code ..}, and hidden files such as {@code .env}), a backslash or a control character, or if the real
 * path of the file (symbolic links followed) is not inside the real path of the directory, or is not a
 * regular file; the file is then opened by its real path without following a link. So no name reaches
 * outside the directory. The directory must not be writable by anyone the server does not trust: between
 * the check and the open a writer could swap a file for a FIFO, whose open would block the loop.
 *
 * <p><b>Costs and limits.</b> Each request opens the file (an {@code open} and an {@code fstat} on the loop
 * thread: fast on a local disk, but a slow network file system would stall the loop's other connections)
 * and closes it when sent, from the {@link FileSendListener}. A connection has at most one file in flight:
 * the next request is read when the listener says the previous file is sent, so a client that pipelines
 * thousands of requests and does not read holds one file descriptor, not thousands.
 *
 * <p><b>Half-close.</b> A client may send its requests and shut its output down ({@code nc -N}); the server
 * must then finish writing before it closes, so {@link dev.netkit.reactor.protocols.Protocol#FILE} requires
 * {@code ServerConfig.Builder.halfClose(true)} (the CLI sets it for {@code --protocol file}).
 *
 * <p>Thread safety: one handler per sub-reactor ({@link #factory(Path)}), used by its loop only.
 */
public final class FileHandler implements Handler {
    /** Longest request line, in bytes, the newline included. */
    public static final int MAX_LINE = 1024;
    private static final byte[] GET = "GET ".getBytes(StandardCharsets.US_ASCII);
    /** The attachment of a connection whose file is in flight (until its listener runs). */
    private static final Object IN_FLIGHT = new Object();

    private final Path root;
    private final byte[] line = new byte[MAX_LINE];
    private final ByteBuffer header = ByteBuffer.allocate(64 + MAX_LINE);
    /** Closes the file; when it was sent whole, reads the connection's next request. */
    private final FileSendListener whenSent = this::fileSent;

    /**
     * @param root the served directory, as a real path (see {@link #factory(Path)})
     */
    private FileHandler(Path root) {
        this.root = root;
    }

    /**
     * The file protocol for one directory.
     *
     * @param directory the served directory
     * @return a factory of handlers serving it, for {@code Server.start}
     * @throws IllegalArgumentException if it is not a readable directory
     */
    public static Supplier<Handler> factory(Path directory) {
        Objects.requireNonNull(directory, "directory");
        Path real;
        try {
            real = directory.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("the served directory " + directory + " cannot be read: " + e, e);
        }
        if (!Files.isDirectory(real) || !Files.isReadable(real)) {
            throw new IllegalArgumentException("the served directory " + directory + " is not a readable directory");
        }
        return () -> new FileHandler(real);
    }

    @Override
    public void onData(Conn conn) {
        ByteRing in = conn.in();
        int longest = Math.min(MAX_LINE, in.capacity());
        while (conn.attachment() != IN_FLIGHT && conn.isWritable() && !in.isEmpty()) {
            int n = Math.min(in.readable(), longest);
            int eol = -1;
            for (int i = 0; i < n; i++) {
                byte b = in.getByte(i);
                line[i] = b;
                if (b == '\n') {
                    eol = i;
                    break;
                }
            }
            if (eol < 0) {
                if (n == longest && refuse(conn, "request line longer than " + longest + " bytes")) {
                    in.clear();
                    conn.close();
                }
                return;                     // a partial line: wait for the rest
            }
            int len = eol > 0 && line[eol - 1] == '\r' ? eol - 1 : eol;
            if (!startsWithGet(len)) {
                if (refuse(conn, "expected GET <name>")) {
                    in.clear();
                    conn.close();
                }
                return;
            }
            if (!serve(conn, new String(line, GET.length, len - GET.length, StandardCharsets.UTF_8), eol + 1)) {
                return;     // the output is full: the request stays, onData runs again after onWritable
            }
        }
    }

    private boolean startsWithGet(int len) {
        if (len <= GET.length) {
            return false;
        }
        for (int i = 0; i < GET.length; i++) {
            if (line[i] != GET[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Answers one request and discards its {@code lineBytes} from the input, unless the answer does not fit
     * the output. The line goes before the file is queued: a listener that runs at once (an empty file)
     * reads the next request.
     *
     * @return false if the answer did not fit the output (nothing queued, nothing discarded: ask again later)
     */
    private boolean serve(Conn conn, String name, int lineBytes) {
        Path file = resolve(name);
        if (file == null) {
            return refuse(conn, "no such file in the served directory: " + printable(name), lineBytes);
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | RuntimeException e) {
            return refuse(conn, "cannot read " + printable(name), lineBytes);
        }
        try {
            long size = ch.size();
            header.clear();
            header.put(("OK " + size + "\n").getBytes(StandardCharsets.US_ASCII)).flip();
            if (!conn.write(header)) {
                closeQuietly(ch);
                return false;
            }
            conn.in().discard(lineBytes);
            conn.attach(IN_FLIGHT);
            if (!conn.sendFile(ch, 0, size, whenSent)) {
                conn.attach(null);
                closeQuietly(ch);           // closing: nothing more goes out anyway
            }
            return true;
        } catch (IOException | RuntimeException e) {
            conn.attach(null);
            closeQuietly(ch);
            if (e instanceof IOException) {
                return refuse(conn, "cannot read " + printable(name), lineBytes);
            }
            throw (RuntimeException) e;     // the file changed under sendFile's checks: the loop closes the connection
        }
    }

    private void fileSent(Conn conn, FileChannel file, long sent, boolean complete) {
        closeQuietly(file);
        conn.attach(null);
        if (complete && conn.isOpen() && !conn.in().isEmpty()) {
            onData(conn);                   // the next request, which waited for this file
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // read-only: nothing was lost
        }
    }

    /**
     * @param name the requested name
     * @return the file's real path inside the served directory, or null if the name is refused or names no
     *         regular file there
     */
    Path resolve(String name) {
        if (name.isEmpty() || name.startsWith("/")) {
            return null;
        }
        for (String seg : name.split("/", -1)) {
            if (seg.isEmpty() || seg.charAt(0) == '.') {
                return null;                // "", ".", ".." and hidden files
            }
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                return null;
            }
        }
        try {
            Path p = root.resolve(name).normalize();
            if (!p.startsWith(root)) {
                return null;
            }
            Path real = p.toRealPath();             // follows symbolic links: where it really is
            if (!real.startsWith(root) || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            return real;
        } catch (IOException | InvalidPathException e) {
            return null;
        }
    }

    /** {@link #refuse(Conn, String)}, then discards the request's {@code lineBytes} if it was answered. */
    private boolean refuse(Conn conn, String why, int lineBytes) {
        if (!refuse(conn, why)) {
            return false;
        }
        conn.in().discard(lineBytes);
        return true;
    }

    /** {@return false if the answer did not fit the output (nothing written)} */
    private boolean refuse(Conn conn, String why) {
        header.clear();
        byte[] msg = ("ERR " + why + "\n").getBytes(StandardCharsets.UTF_8);
        header.put(msg, 0, Math.min(msg.length, header.capacity())).flip();
        return conn.write(header);
    }

    private static String printable(String name) {
        StringBuilder b = new StringBuilder(Math.min(name.length(), 200));
        for (int i = 0; i < name.length() && i < 200; i++) {
            char c = name.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }
}
