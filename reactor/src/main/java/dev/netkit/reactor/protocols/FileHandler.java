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
 * it is refused if it is empty, absolute, holds a {@code ..} or an empty segment, a backslash or a control
 * character, or if the real path of the file (symbolic links followed) is not inside the real path of the
 * directory, or is not a regular file. So no name reaches outside the directory.
 *
 * <p><b>Costs.</b> Each request opens the file (an {@code open} and an {@code fstat} on the loop thread: fast
 * on a local disk, but a slow network file system would stall the loop's other connections) and closes
 * it when sent, from the {@link FileSendListener}. Requests wait while the connection is unwritable: one
 * file's worth of output is queued at a time.
 *
 * <p>Thread safety: one handler per sub-reactor ({@link #factory(Path)}), used by its loop only.
 */
public final class FileHandler implements Handler {
    /** Longest request line, in bytes, the newline included. */
    public static final int MAX_LINE = 1024;
    private static final byte[] GET = "GET ".getBytes(StandardCharsets.US_ASCII);
    private static final FileSendListener CLOSE_WHEN_SENT = (conn, file, sent, complete) -> {
        try {
            file.close();
        } catch (IOException ignored) {
            // read-only: nothing was lost
        }
    };

    private final Path root;
    private final byte[] line = new byte[MAX_LINE];
    private final ByteBuffer header = ByteBuffer.allocate(64 + MAX_LINE);

    /**
     * @param root the served directory, as a real path (see {@link #factory(Path)})
     */
    private FileHandler(Path root) {
        this.root = root;
    }

    /**
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
        while (conn.isWritable() && !in.isEmpty()) {
            int n = Math.min(in.readable(), MAX_LINE);
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
                if (n == MAX_LINE && refuse(conn, "request line longer than " + MAX_LINE + " bytes")) {
                    in.clear();
                    conn.close();
                }
                return;                     // a partial line: wait for the rest
            }
            int len = eol > 0 && line[eol - 1] == '\r' ? eol - 1 : eol;
            boolean answered;
            if (!startsWithGet(len)) {
                answered = refuse(conn, "expected GET <name>");
                if (answered) {
                    in.clear();
                    conn.close();
                    return;
                }
            } else {
                answered = serve(conn, new String(line, GET.length, len - GET.length, StandardCharsets.UTF_8));
            }
            if (!answered) {
                return;     // the output is full: the request stays, onData runs again after onWritable
            }
            in.discard(eol + 1);
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

    /** @return false if the answer did not fit the output (nothing queued: ask again later) */
    private boolean serve(Conn conn, String name) {
        Path file = resolve(name);
        if (file == null) {
            return refuse(conn, "no such file in the served directory: " + printable(name));
        }
        FileChannel ch;
        long size;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
            size = ch.size();
        } catch (IOException | RuntimeException e) {
            return refuse(conn, "cannot read " + printable(name));
        }
        header.clear();
        header.put(("OK " + size + "\n").getBytes(StandardCharsets.US_ASCII)).flip();
        if (!conn.write(header)) {
            CLOSE_WHEN_SENT.onFileSent(conn, ch, 0, false);
            return false;
        }
        if (!conn.sendFile(ch, 0, size, CLOSE_WHEN_SENT)) {
            CLOSE_WHEN_SENT.onFileSent(conn, ch, 0, false);     // closing: nothing more goes out anyway
        }
        return true;
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
            if (seg.isEmpty() || seg.equals("..") || seg.equals(".")) {
                return null;
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

    /** @return false if the answer did not fit the output (nothing written) */
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
