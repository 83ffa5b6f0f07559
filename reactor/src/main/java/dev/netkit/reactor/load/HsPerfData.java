package dev.netkit.reactor.load;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A read-only view of another HotSpot JVM's performance-data file, the {@code hsperfdata} file that
 * {@code jstat} and {@code jcmd PerfCounter.print} read, parsed here without the JDK's internal
 * {@code sun.jvmstat} classes. Linux only. Any thread once opened: the file is mapped read-only and the
 * JVM updates the counters in place, so {@link Counter#get()} reads the live value.
 *
 * <p><b>Format</b> (PerfData version 2.0, as in HotSpot's {@code perfMemory.hpp} and {@code perfData.cpp},
 * and {@code sun.jvmstat.perfdata.monitor.v2_0.PerfDataBuffer}). A 32-byte prologue: the magic
 * {@code 0xcafec0c0} (its bytes are {@code ca fe c0 c0} in the file whatever the byte order), the byte
 * order ({@code 0} big-endian, {@code 1} little-endian, which the rest follows), the major and minor
 * version ({@code 2}, {@code 0}), an "accessible" byte (non-zero once the JVM has initialised the
 * region), the bytes used, the overflow, a modification time stamp (8 bytes), the offset of the first
 * entry and the number of entries (4 bytes each, at 24 and 28). Then the entries, each 8-byte aligned:
 * entry length, name offset, vector length (0 for a scalar) (4 bytes each), data type (a JNI type char:
 * {@code 'J'} long, {@code 'B'} byte vector), flags, units, variability (1 byte each), data offset (4
 * bytes); the name offset and the data offset are relative to the entry's start, the name is
 * NUL-terminated, and an entry length of 0 ends the list. Strings are byte vectors of units
 * {@code U_String} (5), NUL-terminated within the vector.
 *
 * <p><b>Where the file is.</b> A live JVM maps its file shared, so the file is looked for first in
 * {@code /proc/<pid>/maps}: the mapping of {@code hsperfdata_<user>/<n>} where {@code n} is the JVM's pid in
 * its own pid namespace (the last {@code NSpid} of {@code /proc/<pid>/status}), since a JVM may map other
 * JVMs' files too (this class does); it is opened through
 * {@code /proc/<pid>/root}, which finds it in a container too; failing that (the maps are unreadable),
 * as {@code <pid>} under every {@code /tmp/hsperfdata_*} directory, {@code /tmp} being hard-coded in
 * HotSpot on Linux (not {@code java.io.tmpdir}). No file is there for a JVM started with
 * {@code -XX:-UsePerfData} or {@code -XX:+PerfDisableSharedMem}, nor for a process that is no HotSpot
 * JVM; the file of another user is mode 0600 and cannot be read.
 */
public final class HsPerfData {
    /** The prologue's magic number, as its four bytes read big-endian. */
    public static final int MAGIC = 0xcafec0c0;
    private static final int PROLOGUE_BYTES = 32;
    private static final int ENTRY_HEADER_BYTES = 20;
    private static final byte UNITS_STRING = 5;

    private final long pid;
    private final Path file;
    private final ByteBuffer buf;
    private final VarHandle longs;
    private final int major;
    private final int minor;
    private final Map<String, Entry> entries;

    /** One parsed entry: where its data lies in the file and how it is described. */
    private record Entry(String name, int dataOffset, int vectorLength, char type, int units, int variability) {
    }

    /**
     * A live long counter: each {@link #get()} reads the value the JVM last wrote (a volatile read of the
     * mapped file).
     */
    public final class Counter {
        private final String name;
        private final int offset;

        private Counter(String name, int offset) {
            this.name = name;
            this.offset = offset;
        }

        /** {@return the counter's name, e.g. {@code sun.gc.collector.0.invocations}} */
        public String name() {
            return name;
        }

        /** {@return its current value} */
        public long get() {
            return (long) longs.getVolatile(buf, offset);
        }
    }

    private HsPerfData(long pid, Path file, ByteBuffer buf, int major, int minor, Map<String, Entry> entries) {
        this.pid = pid;
        this.file = file;
        this.buf = buf;
        this.longs = MethodHandles.byteBufferViewVarHandle(long[].class, buf.order());
        this.major = major;
        this.minor = minor;
        this.entries = entries;
    }

    /**
     * Finds, maps and parses the performance-data file of the JVM with this process id.
     *
     * @param pid a process id
     * @return the parsed file
     * @throws IOException with a message saying why it is unavailable: no such process, no file (not a
     *                     HotSpot JVM, or PerfData off), another user's file, or a format this class does
     *                     not read
     */
    public static HsPerfData open(long pid) throws IOException {
        if (pid <= 0) {
            throw new IOException("no process id");
        }
        if (!Files.isDirectory(Path.of("/proc", Long.toString(pid)))) {
            throw new IOException("no process with pid " + pid);
        }
        Path file = locate(pid);
        ByteBuffer buf;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < PROLOGUE_BYTES) {
                throw new IOException(file + " is too short for a PerfData prologue (" + size + " bytes)");
            }
            buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(size, Integer.MAX_VALUE));
        } catch (AccessDeniedException e) {
            throw new IOException("cannot read " + file + " (another user's JVM?)", e);
        }
        return parse(pid, file, buf);
    }

    /** Where the file of {@code pid} is; see the class comment. */
    private static Path locate(long pid) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        String own = "/" + nsPid(proc, pid);               // the JVM names its file by its own pid
        boolean mapsRead = false;
        try {
            for (String line : Files.readAllLines(proc.resolve("maps"), StandardCharsets.ISO_8859_1)) {
                int at = line.indexOf('/');
                if (at < 0 || !line.contains("/hsperfdata_")) {
                    continue;
                }
                String path = line.substring(at);
                boolean deleted = path.endsWith(" (deleted)");
                if (deleted) {
                    path = path.substring(0, path.length() - " (deleted)".length());
                }
                String dir = path.substring(0, Math.max(0, path.length() - own.length()));
                if (!path.endsWith(own) || !dir.matches(".*/hsperfdata_[^/]+")) {
                    continue;                               // another JVM's file, mapped by this one (as we do)
                }
                if (deleted) {
                    throw new IOException("pid " + pid + " maps " + path + ", which was removed");
                }
                Path viaRoot = Path.of(proc + "/root" + path);
                if (Files.isReadable(viaRoot)) {
                    return viaRoot;
                }
                Path direct = Path.of(path);
                if (Files.exists(direct)) {
                    return direct;
                }
                throw new IOException("pid " + pid + " maps " + path + " but it cannot be opened from here");
            }
            mapsRead = true;
        } catch (NoSuchFileException | AccessDeniedException e) {
            // fall back to the directory scan
        }
        if (mapsRead) {
            throw new IOException("pid " + pid + " maps no hsperfdata file (not a HotSpot JVM, or started with "
                    + "-XX:-UsePerfData or -XX:+PerfDisableSharedMem)");
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/tmp"), "hsperfdata_*")) {
            for (Path dir : dirs) {
                Path f = dir.resolve(Long.toString(pid));
                if (Files.exists(f)) {
                    return f;
                }
            }
        }
        throw new IOException("no /tmp/hsperfdata_*/" + pid + " (not a HotSpot JVM, another user's, or started "
                + "with -XX:-UsePerfData or -XX:+PerfDisableSharedMem)");
    }

    /** The pid of {@code pid} in its own pid namespace (the last of {@code NSpid}), or {@code pid}. */
    private static long nsPid(Path proc, long pid) {
        try {
            for (String line : Files.readAllLines(proc.resolve("status"), StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("NSpid:")) {
                    String[] f = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(f[f.length - 1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no namespace information: the pid as given
        }
        return pid;
    }

    /**
     * Parses a PerfData region (exposed for tests and for files copied elsewhere).
     *
     * @param pid  the process id it belongs to, for messages
     * @param file where it came from, for messages
     * @param region the region, from byte 0 of the prologue
     * @return the parsed view, reading its counters from {@code region}
     * @throws IOException if the region is not PerfData 2.0 or not yet accessible
     */
    static HsPerfData parse(long pid, Path file, ByteBuffer region) throws IOException {
        ByteBuffer b = region.duplicate().order(ByteOrder.BIG_ENDIAN);
        int magic = b.getInt(0);
        if (magic != MAGIC) {
            throw new IOException(file + ": bad magic 0x" + Integer.toHexString(magic) + " (not PerfData)");
        }
        b.order(b.get(4) == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int major = b.get(5);
        int minor = b.get(6);
        if (major != 2) {
            throw new IOException(file + ": PerfData version " + major + "." + minor + ", only 2.x is read");
        }
        if (b.get(7) == 0) {
            throw new IOException(file + ": the JVM has not made its PerfData accessible yet");
        }
        int entryOffset = b.getInt(24);
        int numEntries = b.getInt(28);
        int limit = b.capacity();
        Map<String, Entry> entries = new LinkedHashMap<>();
        int at = entryOffset;
        for (int i = 0; i < numEntries && at + ENTRY_HEADER_BYTES <= limit; i++) {
            if ((at & 3) != 0) {
                throw new IOException(file + ": misaligned entry at " + at);
            }
            int length = b.getInt(at);
            if (length == 0) {
                break;
            }
            int nameOffset = b.getInt(at + 4);
            int vectorLength = b.getInt(at + 8);
            char type = (char) (b.get(at + 12) & 0xff);
            int units = b.get(at + 14);
            int variability = b.get(at + 15);
            int dataOffset = b.getInt(at + 16);
            if (length < ENTRY_HEADER_BYTES || at + length > limit || nameOffset >= length || dataOffset > length
                    || nameOffset < ENTRY_HEADER_BYTES || dataOffset <= nameOffset) {
                throw new IOException(file + ": bad entry at " + at + " (length " + length + ", name at "
                        + nameOffset + ", data at " + dataOffset + ")");
            }
            String name = cString(b, at + nameOffset, at + dataOffset);
            entries.putIfAbsent(name, new Entry(name, at + dataOffset, vectorLength, type, units, variability));
            at += length;
        }
        return new HsPerfData(pid, file, b, major, minor, Collections.unmodifiableMap(entries));
    }

    private static String cString(ByteBuffer b, int from, int end) {
        int n = 0;
        while (from + n < end && b.get(from + n) != 0) {
            n++;
        }
        byte[] bytes = new byte[n];
        b.get(from, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** {@return the process id this file belongs to} */
    public long pid() {
        return pid;
    }

    /** {@return the file that was mapped} */
    public Path file() {
        return file;
    }

    /** {@return the PerfData version, e.g. {@code "2.0"}} */
    public String version() {
        return major + "." + minor;
    }

    /** {@return the byte order of the file's data (the JVM's native order)} */
    public ByteOrder byteOrder() {
        return buf.order();
    }

    /** {@return the names of every entry, in file order} */
    public java.util.Set<String> names() {
        return entries.keySet();
    }

    /**
     * Looks up a scalar long entry.
     *
     * @param name an entry name, e.g. {@code sun.os.hrt.frequency}
     * @return a live handle on that scalar long entry, or null if there is none (or it is not a long)
     */
    public Counter counter(String name) {
        Objects.requireNonNull(name, "name");
        Entry e = entries.get(name);
        if (e == null || e.type() != 'J' || e.vectorLength() != 0 || (e.dataOffset() & 7) != 0) {
            return null;
        }
        return new Counter(name, e.dataOffset());
    }

    /**
     * Reads a string entry.
     *
     * @param name an entry name, e.g. {@code sun.gc.collector.0.name}
     * @return that string entry's current value, or null if there is none (or it is not a string)
     */
    public String string(String name) {
        Objects.requireNonNull(name, "name");
        Entry e = entries.get(name);
        if (e == null || e.type() != 'B' || e.units() != UNITS_STRING || e.vectorLength() <= 0) {
            return null;
        }
        return cString(buf, e.dataOffset(), Math.min(buf.capacity(), e.dataOffset() + e.vectorLength()));
    }

    /**
     * An entry's variability.
     *
     * @param name an entry name
     * @return its variability as HotSpot defines it (1 constant, 2 monotonic, 3 variable), or 0 if absent
     */
    public int variability(String name) {
        Objects.requireNonNull(name, "name");
        Entry e = entries.get(name);
        return e == null ? 0 : e.variability();
    }

    /**
     * An entry's units.
     *
     * @param name an entry name
     * @return its units as HotSpot defines them (1 none, 2 bytes, 3 ticks, 4 events, 5 string, 6 hertz), or
     *         0 if absent
     */
    public int units(String name) {
        Objects.requireNonNull(name, "name");
        Entry e = entries.get(name);
        return e == null ? 0 : e.units();
    }
}
