package dev.netkit.reactor.cli;

import jdk.jfr.EventType;
import jdk.jfr.ValueDescriptor;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedObject;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a JFR recording (say, one {@code server --jfr FILE} wrote) and prints a summary in the spirit of
 * {@code pprof -top}: the hottest methods by CPU samples, the biggest allocation sites, the GC pauses, and
 * the reactor's own events. Uses only the JDK ({@link RecordingFile}); reads the file once, streaming, and
 * keeps only the aggregates (plus a few events per {@code dev.netkit.*} type).
 *
 * <p>What each section counts:
 * <ul>
 * <li><b>CPU</b>: {@code jdk.ExecutionSample} only, i.e. samples of threads that were running Java code.
 *     {@code jdk.NativeMethodSample} is left out on purpose: it samples threads sitting in native code
 *     (a reactor thread blocked in {@code epoll_wait}, a thread in {@code read(2)}), which is waiting or
 *     kernel time, not the Java CPU time this table ranks; only their number is printed. <i>self</i>
 *     counts the samples whose top frame is the method; <i>total</i> counts the samples with the method anywhere in the stack, once per sample
 *     however often it recurs. Methods are {@code Class.method} with the class's binary name; overloads of
 *     one name are merged. JFR truncates stacks deeper than its {@code stackdepth} (64 by default); the
 *     header says how many samples were truncated (their outermost frames are missing from <i>total</i>).</li>
 * <li><b>Allocation</b>: {@code jdk.ObjectAllocationSample}, summed by its {@code weight} (the bytes the
 *     sample stands for, an estimate JFR derives from the throttled sampling); a site is the top frame's
 *     method and line plus the allocated class.</li>
 * <li><b>GC pauses</b>: the distribution comes from {@code jdk.GCPhasePause}, one event per stop-the-world
 *     pause, whatever the collector: for G1 (the default) each young or mixed pause, each Remark and Cleanup
 *     pause of a concurrent cycle and each full GC; for Parallel and Serial each collection; for ZGC and
 *     Shenandoah their short pauses. {@code jdk.GarbageCollection} is not used for the distribution: it is
 *     one event per collection, and for G1's concurrent cycle, ZGC and Shenandoah its duration is the whole
 *     (mostly concurrent) cycle and its {@code sumOfPauses} lumps several pauses together. Its count and
 *     summed {@code sumOfPauses} are printed beside as a cross-check, and are the fallback when a recording
 *     has no {@code jdk.GCPhasePause} events (that event disabled). Percentiles are nearest-rank. The pauses
 *     are also broken down by kind: the name of the collection each belongs to ({@code jdk.GarbageCollection},
 *     joined on {@code gcId}: G1New, G1Old, G1Full...) and the pause's own name where it says more than
 *     "GC Pause" (G1's Remark and Cleanup, ZGC's pauses).</li>
 * <li><b>Reactor events</b>: every event type whose name starts with {@code dev.netkit.}: its count, a
 *     breakdown by its {@code reason} and {@code cause} fields where the type has such a string field, and its
 *     first few events (by start time) with all their fields. A type with a long {@code weight} field (a
 *     sampled event, such as {@code dev.netkit.ConnectionClosed}) is counted by the sum of its weights in
 *     the breakdowns, each event standing for that many occurrences.</li>
 * </ul>
 *
 * <p><b>Thread safety.</b> {@link #run} may be called from any thread, concurrently too: calls share nothing.
 */
public final class Profile {
    /** The exit status for a file that is missing, unreadable or not a (complete) JFR recording. */
    public static final int BAD_INPUT = 2;
    /** The prefix of the event types the reactor section reports. */
    public static final String REACTOR_EVENT_PREFIX = "dev.netkit.";

    private static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";
    private static final String NATIVE_SAMPLE = "jdk.NativeMethodSample";
    private static final String ALLOCATION_SAMPLE = "jdk.ObjectAllocationSample";
    private static final String GC_PHASE_PAUSE = "jdk.GCPhasePause";
    private static final String GARBAGE_COLLECTION = "jdk.GarbageCollection";
    private static final String GC_CONFIGURATION = "jdk.GCConfiguration";
    private static final List<String> BREAKDOWN_FIELDS = List.of("reason", "cause");

    private Profile() {
    }

    /**
     * Reads {@code file} and prints the summary to {@code out}; on bad input prints one line to {@code err}
     * and prints nothing to {@code out}.
     *
     * @param file        the recording
     * @param top         rows per table, at least 1
     * @param firstEvents events printed in full per {@code dev.netkit.*} type, 0 or more
     * @param out         where the summary goes
     * @param err         where the error line goes
     * @return 0, or {@link #BAD_INPUT} if the file is missing, unreadable, not a JFR file or cut short
     * @throws IllegalArgumentException if {@code top} is below 1 or {@code firstEvents} below 0
     */
    public static int run(Path file, int top, int firstEvents, PrintStream out, PrintStream err) {
        if (top < 1) {
            throw new IllegalArgumentException("top must be at least 1: " + top);
        }
        if (firstEvents < 0) {
            throw new IllegalArgumentException("firstEvents must be 0 or more: " + firstEvents);
        }
        Summary s = new Summary(firstEvents);
        try {
            if (!Files.exists(file)) {
                throw new NoSuchFileException(file.toString());
            }
            if (Files.isDirectory(file)) {
                throw new IOException("a directory, not a JFR file");
            }
            try (RecordingFile rf = open(file)) {
                for (RecordedEvent e = next(rf); e != null; e = next(rf)) {
                    s.add(e);
                }
            }
        } catch (NoSuchFileException e) {
            err.println("netkit profile: " + file + ": no such file");
            return BAD_INPUT;
        } catch (IOException e) {
            err.println("netkit profile: " + file + ": not a readable JFR recording (" + oneLine(e) + ")");
            return BAD_INPUT;
        }
        s.print(file, top, out);
        return 0;
    }

    /*
     * The JFR parser reports some corrupt files, such as a recording cut short, with runtime exceptions
     * (IndexOutOfBoundsException from its metadata reader): an I/O error of the input here, not a bug.
     */
    private static RecordingFile open(Path file) throws IOException {
        try {
            return new RecordingFile(file);
        } catch (RuntimeException e) {
            throw new IOException("corrupt: " + oneLine(e), e);
        }
    }

    /** The next event, or null at the end; see {@link #open}. */
    private static RecordedEvent next(RecordingFile rf) throws IOException {
        try {
            return rf.hasMoreEvents() ? rf.readEvent() : null;
        } catch (RuntimeException e) {
            throw new IOException("corrupt: " + oneLine(e), e);
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        String text = m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
        return text.replaceAll("\\s+", " ").trim();
    }

    /** The aggregates of one read. */
    private static final class Summary {
        final int firstEvents;
        long events;
        Instant first;
        Instant last;

        long cpuSamples;
        long cpuTruncated;
        long nativeSamples;
        final Map<String, long[]> cpu = new HashMap<>();      // method -> {self, total}
        final IdentityHashMap<RecordedMethod, String> methodNames = new IdentityHashMap<>();

        long allocSamples;
        long allocBytes;
        final Map<String, long[]> alloc = new HashMap<>();    // site -> {bytes, samples}

        final List<Long> pauses = new ArrayList<>();
        final Map<String, long[]> pauseNames = new HashMap<>();   // "gcId\0pause name" -> {count, nanos}
        final Map<Integer, String> collectionNames = new HashMap<>();   // gcId -> "G1New"
        long collections;
        long collectionPauseNanos;
        final List<Long> collectionPauses = new ArrayList<>();
        String youngCollector;
        String oldCollector;

        final Map<String, Reactor> reactor = new TreeMap<>();

        Summary(int firstEvents) {
            this.firstEvents = firstEvents;
        }

        void add(RecordedEvent e) {
            events++;
            Instant start = e.getStartTime();
            Instant end = e.getEndTime();
            if (first == null || start.isBefore(first)) {
                first = start;
            }
            if (last == null || end.isAfter(last)) {
                last = end;
            }
            String type = e.getEventType().getName();
            switch (type) {
                case EXECUTION_SAMPLE -> cpuSample(e);
                case NATIVE_SAMPLE -> nativeSamples++;
                case ALLOCATION_SAMPLE -> allocSample(e);
                case GC_PHASE_PAUSE -> {
                    long nanos = e.getDuration().toNanos();
                    pauses.add(nanos);
                    Object field = e.hasField("name") ? e.getValue("name") : null;
                    String name = (e.hasField("gcId") ? e.getInt("gcId") : -1) + "\0" + (field == null ? "?" : field);
                    long[] c = pauseNames.computeIfAbsent(name, k -> new long[2]);
                    c[0]++;
                    c[1] += nanos;
                }
                case GARBAGE_COLLECTION -> {
                    collections++;
                    if (e.hasField("gcId") && e.hasField("name")) {
                        Object name = e.getValue("name");
                        collectionNames.put(e.getInt("gcId"), String.valueOf(name));
                    }
                    if (e.hasField("sumOfPauses")) {
                        long nanos = e.getDuration("sumOfPauses").toNanos();
                        collectionPauseNanos += nanos;
                        collectionPauses.add(nanos);
                    }
                }
                case GC_CONFIGURATION -> {
                    youngCollector = e.hasField("youngCollector") ? e.getString("youngCollector") : null;
                    oldCollector = e.hasField("oldCollector") ? e.getString("oldCollector") : null;
                }
                default -> {
                    if (type.startsWith(REACTOR_EVENT_PREFIX)) {
                        reactor.computeIfAbsent(type, k -> new Reactor(e.getEventType())).add(e, firstEvents);
                    }
                }
            }
        }

        String method(RecordedMethod m) {
            String name = methodNames.get(m);
            if (name == null) {
                if (methodNames.size() > 100_000) {
                    methodNames.clear();        // constant pools of earlier chunks: let them go
                }
                name = m.getType().getName() + "." + m.getName();
                methodNames.put(m, name);
            }
            return name;
        }

        void cpuSample(RecordedEvent e) {
            cpuSamples++;
            RecordedStackTrace st = e.getStackTrace();
            List<RecordedFrame> frames = st == null ? List.of() : st.getFrames();
            if (frames.isEmpty()) {
                long[] c = cpu.computeIfAbsent("(no stack trace)", k -> new long[2]);
                c[0]++;
                c[1]++;
                return;
            }
            if (st.isTruncated()) {
                cpuTruncated++;
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < frames.size(); i++) {
                String m = method(frames.get(i).getMethod());
                long[] c = cpu.computeIfAbsent(m, k -> new long[2]);
                if (i == 0) {
                    c[0]++;
                }
                if (seen.add(m)) {
                    c[1]++;
                }
            }
        }

        void allocSample(RecordedEvent e) {
            allocSamples++;
            long weight = e.hasField("weight") ? e.getLong("weight") : 0;
            allocBytes += weight;
            RecordedClass cls = e.hasField("objectClass") ? e.getClass("objectClass") : null;
            RecordedStackTrace st = e.getStackTrace();
            String where;
            if (st == null || st.getFrames().isEmpty()) {
                where = "(no stack trace)";
            } else {
                RecordedFrame f = st.getFrames().get(0);
                where = method(f.getMethod()) + (f.getLineNumber() >= 0 ? ":" + f.getLineNumber() : "");
            }
            long[] c = alloc.computeIfAbsent(where + "  " + (cls == null ? "?" : cls.getName()), k -> new long[2]);
            c[0] += weight;
            c[1]++;
        }

        void print(Path file, int top, PrintStream out) {
            out.println("netkit profile: " + file);
            if (events == 0) {
                out.println("recording: no events");
            } else {
                out.printf(Locale.ROOT, "recording: %s .. %s (%s), %,d events read%n", first, last,
                        duration(Duration.between(first, last).toNanos()), events);
            }
            printCpu(top, out);
            printAlloc(top, out);
            printGc(top, out);
            printReactor(top, out);
        }

        void printCpu(int top, PrintStream out) {
            out.println();
            out.println("== CPU: methods by execution samples (jdk.ExecutionSample: threads running Java code; "
                    + "native-method samples not counted) ==");
            String natives = String.format(Locale.ROOT, "; %,d native-method samples (threads in native code: "
                    + "epoll_wait, read, write...) not counted", nativeSamples);
            if (cpuSamples == 0) {
                out.println("no execution samples (was jdk.ExecutionSample enabled?)" + natives);
                return;
            }
            out.printf(Locale.ROOT, "%,d samples%s%s%n", cpuSamples, cpuTruncated == 0 ? ""
                    : String.format(Locale.ROOT, ", %,d with truncated stacks (their outer frames are not in total)",
                            cpuTruncated), natives);
            out.println("top " + top + " by self (top frame):");
            cpuTable(top, 0, out);
            out.println("top " + top + " by total (anywhere in the stack, once per sample):");
            cpuTable(top, 1, out);
        }

        void cpuTable(int top, int by, PrintStream out) {
            List<Map.Entry<String, long[]>> rows = sorted(cpu, by, top);
            out.printf(Locale.ROOT, "%10s %7s %7s %10s %7s  %s%n", "self", "self%", "sum%", "total", "total%", "method");
            long sum = 0;
            for (Map.Entry<String, long[]> r : rows) {
                long[] c = r.getValue();
                sum += c[0];
                out.printf(Locale.ROOT, "%,10d %6.2f%% %6.2f%% %,10d %6.2f%%  %s%n", c[0], pct(c[0], cpuSamples),
                        pct(sum, cpuSamples), c[1], pct(c[1], cpuSamples), r.getKey());
            }
        }

        void printAlloc(int top, PrintStream out) {
            out.println();
            out.println("== allocation: top " + top + " sites by sampled bytes (jdk.ObjectAllocationSample weight) ==");
            if (allocSamples == 0) {
                out.println("no allocation samples (was jdk.ObjectAllocationSample enabled?)");
                return;
            }
            out.printf(Locale.ROOT, "%,d samples standing for %s%n", allocSamples, bytes(allocBytes));
            out.printf(Locale.ROOT, "%12s %7s %8s  %s%n", "bytes", "%", "samples", "site (top frame:line)  class");
            for (Map.Entry<String, long[]> r : sorted(alloc, 0, top)) {
                long[] c = r.getValue();
                out.printf(Locale.ROOT, "%12s %6.2f%% %,8d  %s%n", bytes(c[0]), pct(c[0], allocBytes), c[1], r.getKey());
            }
        }

        void printGc(int top, PrintStream out) {
            out.println();
            out.println("== GC pauses (jdk.GCPhasePause: one event per stop-the-world pause) ==");
            if (youngCollector != null || oldCollector != null) {
                out.println("collectors: " + youngCollector + " / " + oldCollector + " (jdk.GCConfiguration)");
            }
            if (!pauses.isEmpty()) {
                out.println("pauses: " + distribution(pauses));
                // by the collection each pause belongs to (jdk.GarbageCollection's name, joined on gcId), plus
                // the pause's own name where it says more than "GC Pause" (G1's Remark and Cleanup, ZGC's pauses)
                Map<String, long[]> byKind = new HashMap<>();
                for (Map.Entry<String, long[]> x : pauseNames.entrySet()) {
                    int cut = x.getKey().indexOf('\0');
                    String collection = collectionNames.get(Integer.parseInt(x.getKey().substring(0, cut)));
                    String pause = x.getKey().substring(cut + 1);
                    String kind = collection == null ? pause
                            : pause.equals("GC Pause") ? collection : collection + " " + pause;
                    long[] c = byKind.computeIfAbsent(kind, k -> new long[2]);
                    c[0] += x.getValue()[0];
                    c[1] += x.getValue()[1];
                }
                StringBuilder sb = new StringBuilder("by kind:");
                List<Map.Entry<String, long[]>> kinds = sorted(byKind, 0, top);
                for (Map.Entry<String, long[]> x : kinds) {
                    sb.append(' ').append(x.getKey()).append(' ').append(String.format(Locale.ROOT, "%,d", x.getValue()[0]))
                            .append(" (").append(duration(x.getValue()[1])).append("),");
                }
                sb.setLength(sb.length() - 1);
                if (byKind.size() > kinds.size()) {
                    sb.append(" (and ").append(byKind.size() - kinds.size()).append(" more kinds)");
                }
                out.println(sb);
            } else if (!collectionPauses.isEmpty()) {
                out.println("no jdk.GCPhasePause events; per collection instead (jdk.GarbageCollection sumOfPauses, "
                        + "one value per collection, several pauses each for a concurrent cycle): "
                        + distribution(collectionPauses));
            } else {
                out.println("no pauses recorded");
            }
            if (collections > 0) {
                out.printf(Locale.ROOT, "collections: %,d (jdk.GarbageCollection), sum of their pauses %s%n",
                        collections, duration(collectionPauseNanos));
            }
        }

        void printReactor(int top, PrintStream out) {
            out.println();
            out.println("== reactor events (" + REACTOR_EVENT_PREFIX + "*) ==");
            if (reactor.isEmpty()) {
                out.println("none (no event type named " + REACTOR_EVENT_PREFIX + "* in this recording)");
                return;
            }
            for (Map.Entry<String, Reactor> r : reactor.entrySet()) {
                r.getValue().print(r.getKey(), top, first, out);
            }
        }
    }

    /** One {@code dev.netkit.*} event type: its count, its reason/cause breakdowns, its earliest events. */
    private static final class Reactor {
        final List<String> breakdownFields = new ArrayList<>();
        final Map<String, Map<String, long[]>> breakdowns = new LinkedHashMap<>();
        final List<RecordedEvent> earliest = new ArrayList<>();
        /** Whether the type has a long {@code weight} field: how many occurrences one event stands for. */
        final boolean weighted;
        long count;
        long weight;

        Reactor(EventType type) {
            ValueDescriptor w = type.getField("weight");
            weighted = w != null && "long".equals(w.getTypeName());
            for (String f : BREAKDOWN_FIELDS) {
                ValueDescriptor d = type.getField(f);
                if (d != null && "java.lang.String".equals(d.getTypeName())) {
                    breakdownFields.add(f);
                    breakdowns.put(f, new HashMap<>());
                }
            }
        }

        void add(RecordedEvent e, int keep) {
            count++;
            long w = weighted ? Math.max(1, e.getLong("weight")) : 1;
            weight += w;
            for (String f : breakdownFields) {
                String v = e.hasField(f) ? e.getString(f) : null;
                breakdowns.get(f).computeIfAbsent(v == null ? "(null)" : v, k -> new long[1])[0] += w;
            }
            if (keep == 0) {
                return;
            }
            if (earliest.size() < keep) {
                earliest.add(e);
                return;
            }
            int latest = 0;
            for (int i = 1; i < earliest.size(); i++) {
                if (earliest.get(i).getStartTime().isAfter(earliest.get(latest).getStartTime())) {
                    latest = i;
                }
            }
            if (e.getStartTime().isBefore(earliest.get(latest).getStartTime())) {
                earliest.set(latest, e);
            }
        }

        void print(String type, int top, Instant origin, PrintStream out) {
            if (weighted) {
                out.printf(Locale.ROOT, "%s: %,d events standing for %,d (sampled: the breakdowns sum the weight field)%n",
                        type, count, weight);
            } else {
                out.printf(Locale.ROOT, "%s: %,d%n", type, count);
            }
            for (String f : breakdownFields) {
                Map<String, long[]> values = breakdowns.get(f);
                List<Map.Entry<String, long[]>> rows = sorted(values, 0, top);
                StringBuilder sb = new StringBuilder("  by ").append(f).append(':');
                for (Map.Entry<String, long[]> r : rows) {
                    sb.append(' ').append(r.getKey()).append(' ').append(String.format(Locale.ROOT, "%,d", r.getValue()[0]))
                            .append(',');
                }
                sb.setLength(sb.length() - 1);
                if (values.size() > rows.size()) {
                    sb.append(" (and ").append(values.size() - rows.size()).append(" more values)");
                }
                out.println(sb);
            }
            if (!earliest.isEmpty()) {
                earliest.sort(Comparator.comparing(RecordedEvent::getStartTime));
                out.println("  first " + earliest.size() + ":");
                for (RecordedEvent e : earliest) {
                    out.println("    " + describe(e, origin));
                }
            }
        }
    }

    /** One event on one line: its offset from the recording's start, then every field. */
    static String describe(RecordedEvent e, Instant origin) {
        StringBuilder sb = new StringBuilder();
        sb.append('+').append(duration(Duration.between(origin, e.getStartTime()).toNanos()));
        for (ValueDescriptor d : e.getFields()) {
            String name = d.getName();
            switch (name) {
                case "startTime" -> {
                    // the offset above
                }
                case "duration" -> {
                    long nanos = e.getDuration().toNanos();
                    if (nanos != 0) {
                        sb.append(" duration=").append(duration(nanos));
                    }
                }
                case "eventThread" -> {
                    RecordedThread t = e.getThread();
                    sb.append(" thread=").append(t == null ? "null" : t.getJavaName() != null ? t.getJavaName() : t.getOSName());
                }
                case "stackTrace" -> {
                    RecordedStackTrace st = e.getStackTrace();
                    if (st != null && !st.getFrames().isEmpty()) {
                        RecordedFrame f = st.getFrames().get(0);
                        RecordedMethod m = f.getMethod();
                        sb.append(" at=").append(m.getType().getName()).append('.').append(m.getName());
                        if (f.getLineNumber() >= 0) {
                            sb.append(':').append(f.getLineNumber());
                        }
                    }
                }
                default -> sb.append(' ').append(name).append('=').append(value(e, d));
            }
        }
        return sb.toString();
    }

    private static String value(RecordedObject o, ValueDescriptor d) {
        String name = d.getName();
        Object v = o.getValue(name);
        if (v == null) {
            return "null";
        }
        if ("jdk.jfr.Timespan".equals(d.getContentType()) && v instanceof Number) {
            Duration t = o.getDuration(name);
            try {
                return duration(t.toNanos());
            } catch (ArithmeticException tooLong) {
                return t.toString();            // Long.MAX_VALUE, which JFR reads as forever
            }
        }
        if ("jdk.jfr.Timestamp".equals(d.getContentType()) && v instanceof Number) {
            return o.getInstant(name).toString();
        }
        if (v instanceof String s) {
            return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
        }
        if (v instanceof RecordedClass c) {
            return c.getName();
        }
        if (v instanceof RecordedThread t) {
            return t.getJavaName() != null ? t.getJavaName() : t.getOSName();
        }
        return String.valueOf(v).replaceAll("\\s+", " ").trim();
    }

    private static List<Map.Entry<String, long[]>> sorted(Map<String, long[]> m, int by, int top) {
        return m.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, long[]> x) -> -x.getValue()[by])
                        .thenComparing(Map.Entry::getKey))
                .limit(top)
                .toList();
    }

    private static String distribution(List<Long> nanos) {
        long[] v = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        long total = 0;
        for (long x : v) {
            total += x;
        }
        return String.format(Locale.ROOT, "%,d, p50 %s, p99 %s, max %s, total %s", v.length,
                duration(rank(v, 0.50)), duration(rank(v, 0.99)), duration(v[v.length - 1]), duration(total));
    }

    /** Nearest-rank percentile of sorted values. */
    private static long rank(long[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double pct(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }

    static String duration(long nanos) {
        double a = Math.abs(nanos);
        if (a >= 1e9) {
            return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
        }
        if (a >= 1e6) {
            return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
        }
        if (a >= 1e3) {
            return String.format(Locale.ROOT, "%.3f us", nanos / 1e3);
        }
        return nanos + " ns";
    }

    static String bytes(long b) {
        double a = Math.abs(b);
        if (a >= 1e9) {
            return String.format(Locale.ROOT, "%.2f GB", b / 1e9);
        }
        if (a >= 1e6) {
            return String.format(Locale.ROOT, "%.2f MB", b / 1e6);
        }
        if (a >= 1e3) {
            return String.format(Locale.ROOT, "%.2f kB", b / 1e3);
        }
        return b + " B";
    }
}
