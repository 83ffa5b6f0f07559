package dev.netkit.reactor.load;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The garbage-collection pauses of another HotSpot JVM, read from its performance-data file
 * ({@link HsPerfData}), with no JMX and no attach.
 *
 * <p><b>Counters.</b> HotSpot keeps, per collector {@code N}, {@code sun.gc.collector.N.name},
 * {@code .invocations}, {@code .time} (ticks), {@code .lastEntryTime} and {@code .lastExitTime} (ticks
 * of the clock whose frequency is {@code sun.os.hrt.frequency}, per second). A collection bumps
 * {@code invocations} and sets {@code lastEntryTime} when it begins; when it ends it sets
 * {@code lastExitTime}, then adds its duration to {@code time} ({@code TraceCollectorStats} over
 * {@code PerfTraceTimedEvent}).
 *
 * <p><b>Which collectors are pauses.</b> Only collectors whose name says so: it contains "pause" or
 * "stop-the-world". In JDK 21+ these are G1's "G1 young collection pauses" (0), "G1 full collection
 * pauses" (1) and "G1 concurrent cycle pauses" (2: the remark and cleanup pauses of a concurrent cycle,
 * each a safepoint operation, not the concurrent work), Serial's and Parallel's young and full
 * collection pauses (0, 1), and ZGC's "ZGC minor collection pauses" (0) and "ZGC major collection pauses"
 * (2). Shenandoah's "Shenandoah partial" and "Shenandoah full" count whole, mostly concurrent, cycles:
 * they are not pauses, and a Shenandoah JVM has no pause counters here ({@link #open} says so).
 * Collector numbers are probed up to {@value #MAX_COLLECTORS} with gaps allowed (ZGC has no 1).
 *
 * <p><b>Sampling.</b> A {@link Window} counts what happens between its start and its end: count is the
 * number of pause collections that ended in the window, total the sum of their durations (the growth of
 * {@code time}; a pause that began before the window and ended in it counts whole). The longest pause is
 * seen by polling: whenever a poll finds that a collector's last collection has ended and was not seen
 * before, its {@code lastExitTime - lastEntryTime} is a pause duration. That is exact as long as a
 * collector completes at most one pause between two polls; when it completed several, only the last
 * one's duration is known, and the others' average ({@code time} grown over the interval, less the last
 * one's, over their number) is taken as a lower bound of their longest: the maximum is then a lower bound
 * ({@link Summary#unresolved()} counts such pauses). {@link Window#startPolling(Duration)} polls on a
 * daemon thread, every {@value #DEFAULT_POLL_MILLIS} ms by default; pauses of one collector less than that
 * apart are rare (a G1 young pause is followed by at least the time to refill the eden), so the maximum
 * is normally exact.
 *
 * <p><b>Limits.</b> The counters are written without synchronisation. A poll re-reads until
 * {@code invocations} is stable around its reads, but a collection that has begun and not yet set
 * {@code lastEntryTime}, or set {@code lastExitTime} and not yet added to {@code time}, cannot be told
 * apart (windows of nanoseconds): at the very end of a window such a pause may be counted one way and
 * timed the other.
 *
 * <p><b>Thread safety.</b> An instance may be shared; a {@link Window}'s methods are synchronized.
 */
public final class GcPauses {
    /** The default polling interval of {@link Window#startPolling(Duration)}, in milliseconds. */
    public static final int DEFAULT_POLL_MILLIS = 10;
    /** Collector numbers probed: {@code sun.gc.collector.0} to this, exclusive. */
    public static final int MAX_COLLECTORS = 16;

    private final HsPerfData data;
    private final String reason;
    private final List<String> allCollectors;
    private final List<Collector> pauseCollectors;
    private final double nanosPerTick;

    /** One pause collector's live counters. */
    private record Collector(int ordinal, String name, HsPerfData.Counter invocations, HsPerfData.Counter time,
                             HsPerfData.Counter entry, HsPerfData.Counter exit) {
    }

    private GcPauses(HsPerfData data, String reason, List<String> allCollectors, List<Collector> pauseCollectors,
                     double nanosPerTick) {
        this.data = data;
        this.reason = reason;
        this.allCollectors = allCollectors;
        this.pauseCollectors = pauseCollectors;
        this.nanosPerTick = nanosPerTick;
    }

    private static GcPauses unavailable(HsPerfData data, String reason, List<String> all) {
        return new GcPauses(data, reason, all, List.of(), Double.NaN);
    }

    /**
     * Opens the GC pause counters of a JVM. Never throws: when they cannot be read,
     * {@link #available()} is false and {@link #reason()} says why.
     *
     * @param pid the JVM's process id
     * @return its GC pause counters, or an unavailable instance with a reason
     */
    public static GcPauses open(long pid) {
        HsPerfData data;
        try {
            data = HsPerfData.open(pid);
        } catch (IOException | RuntimeException e) {
            return unavailable(null, e.getMessage() == null ? e.toString() : e.getMessage(), List.of());
        }
        return of(data);
    }

    /**
     * @param data a parsed performance-data file
     * @return its GC pause counters, or an unavailable instance with a reason
     */
    static GcPauses of(HsPerfData data) {
        HsPerfData.Counter freq = data.counter("sun.os.hrt.frequency");
        long hz = freq == null ? 0 : freq.get();
        List<String> all = new ArrayList<>();
        List<Collector> pauses = new ArrayList<>();
        for (int n = 0; n < MAX_COLLECTORS; n++) {
            String ns = "sun.gc.collector." + n + ".";
            String name = data.string(ns + "name");
            if (name == null) {
                continue;
            }
            all.add(n + ": " + name);
            HsPerfData.Counter inv = data.counter(ns + "invocations");
            HsPerfData.Counter time = data.counter(ns + "time");
            HsPerfData.Counter entry = data.counter(ns + "lastEntryTime");
            HsPerfData.Counter exit = data.counter(ns + "lastExitTime");
            if (isPause(name) && inv != null && time != null && entry != null && exit != null) {
                pauses.add(new Collector(n, name, inv, time, entry, exit));
            }
        }
        all = List.copyOf(all);
        if (hz <= 0) {
            return unavailable(data, data.file() + " has no sun.os.hrt.frequency", all);
        }
        if (all.isEmpty()) {
            return unavailable(data, data.file() + " has no sun.gc.collector counters", all);
        }
        if (pauses.isEmpty()) {
            return unavailable(data, "no pause counters among the collectors " + all
                    + " (they count cycles, not pauses)", all);
        }
        return new GcPauses(data, null, all, List.copyOf(pauses), 1e9 / hz);
    }

    /**
     * Tells a pausing collector from a concurrent one by its name.
     *
     * @param collectorName a {@code sun.gc.collector.N.name} value
     * @return whether that collector's invocations and time are stop-the-world pauses (see the class comment)
     */
    public static boolean isPause(String collectorName) {
        Objects.requireNonNull(collectorName, "collectorName");
        String n = collectorName.toLowerCase(Locale.ROOT);
        return n.contains("pause") || n.contains("stop-the-world");
    }

    /** {@return whether the pause counters could be read} */
    public boolean available() {
        return reason == null;
    }

    /** {@return why the counters are unavailable, or null if they are available} */
    public String reason() {
        return reason;
    }

    /** {@return every collector found, as {@code "N: name"}, pauses or not (empty if the file was not read)} */
    public List<String> collectors() {
        return allCollectors;
    }

    /** {@return the names of the collectors counted as pauses, by collector number} */
    public List<String> pauseCollectors() {
        return pauseCollectors.stream().map(Collector::name).toList();
    }

    /** {@return the performance-data file read, or null if none was} */
    public HsPerfData data() {
        return data;
    }

    /**
     * Starts counting: what happens from now until {@link Window#finish()}.
     *
     * @return a new window, already holding its starting values
     * @throws IllegalStateException if the counters are unavailable
     */
    public Window window() {
        if (!available()) {
            throw new IllegalStateException("GC pause counters unavailable: " + reason);
        }
        return new Window();
    }

    /**
     * The pauses of one window.
     *
     * @param count      pause collections that ended in the window
     * @param maxNanos   the longest of them, ns (a lower bound if {@code unresolved > 0}; 0 if none)
     * @param totalNanos their summed durations, ns
     * @param unresolved pauses whose own duration no poll saw (several ended between two polls)
     * @param polls      polls made, the start and the end included
     */
    public record Summary(long count, long maxNanos, long totalNanos, long unresolved, long polls) {
        /** {@return the longest pause in milliseconds} */
        public double maxMillis() {
            return maxNanos / 1e6;
        }

        /** {@return the summed pause time in milliseconds} */
        public double totalMillis() {
            return totalNanos / 1e6;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d pauses, max %.2f ms%s, total %.2f ms", count, maxMillis(),
                    unresolved > 0 ? " (at least)" : "", totalMillis());
        }
    }

    /**
     * A measuring window over the pause counters: {@link #poll()} it (or let {@link #startPolling(Duration)}
     * do so) and {@link #finish()} it. Methods are synchronized.
     */
    public final class Window {
        private final long[] startCompleted;
        private final long[] startTime;
        private final long[] lastCompleted;
        private final long[] lastTime;
        private final long[] lastSeenEntry;      // entry time of the last pause whose duration was taken
        private long maxTicks;
        private double maxLowerBoundTicks;
        private long unresolved;
        private long polls;
        private Thread poller;
        private volatile boolean stop;
        private Summary finished;

        private Window() {
            int n = pauseCollectors.size();
            startCompleted = new long[n];
            startTime = new long[n];
            lastCompleted = new long[n];
            lastTime = new long[n];
            lastSeenEntry = new long[n];
            long[] s = new long[4];
            for (int i = 0; i < n; i++) {
                read(pauseCollectors.get(i), s);
                boolean ended = s[3] >= s[2];
                startCompleted[i] = lastCompleted[i] = ended ? s[0] : s[0] - 1;
                startTime[i] = lastTime[i] = s[1];
                lastSeenEntry[i] = ended ? s[2] : Long.MIN_VALUE;   // one running now is timed when it ends
            }
            polls = 1;
        }

        /** Reads invocations, time, entry, exit into {@code s}, again if invocations moved meanwhile. */
        private static void read(Collector c, long[] s) {
            for (int tries = 0; tries < 100; tries++) {
                long inv = c.invocations().get();
                s[2] = c.entry().get();
                s[3] = c.exit().get();
                s[1] = c.time().get();
                s[0] = inv;
                if (c.invocations().get() == inv) {
                    return;
                }
            }
        }

        /** Reads the counters once: takes the duration of any pause that ended since the last poll. */
        public synchronized void poll() {
            if (finished != null) {
                return;
            }
            long[] s = new long[4];
            for (int i = 0; i < pauseCollectors.size(); i++) {
                read(pauseCollectors.get(i), s);
                boolean ended = s[3] >= s[2];
                long completed = ended ? s[0] : s[0] - 1;
                long newly = completed - lastCompleted[i];
                long grown = s[1] - lastTime[i];
                if (ended && s[2] != lastSeenEntry[i]) {
                    long last = s[3] - s[2];
                    maxTicks = Math.max(maxTicks, last);
                    lastSeenEntry[i] = s[2];
                    if (newly > 1) {                 // the others ended unseen: their average bounds their max
                        maxLowerBoundTicks = Math.max(maxLowerBoundTicks, (grown - last) / (double) (newly - 1));
                        unresolved += newly - 1;
                    }
                } else if (!ended && newly > 0) {    // one is running: those that ended before it went unseen
                    maxLowerBoundTicks = Math.max(maxLowerBoundTicks, grown / (double) newly);
                    unresolved += newly;
                }
                lastCompleted[i] = completed;
                lastTime[i] = s[1];
            }
            polls++;
        }

        /**
         * Polls on a daemon thread until {@link #finish()}.
         *
         * @param interval the time between polls (at least 1 ms)
         * @return this window
         */
        public synchronized Window startPolling(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (poller != null || finished != null) {
                return this;
            }
            long nanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), interval.toNanos());
            poller = Thread.ofPlatform().daemon().name("gc-pause-poller-" + data.pid()).unstarted(() -> {
                while (!stop) {
                    LockSupport.parkNanos(nanos);
                    poll();
                }
            });
            poller.start();
            return this;
        }

        /**
         * Ends the window: stops the poller, if any, and polls a last time. Idempotent.
         *
         * @return the window's pauses
         */
        public Summary finish() {
            Thread t;
            synchronized (this) {
                if (finished != null) {
                    return finished;
                }
                stop = true;
                t = poller;
            }
            if (t != null) {
                LockSupport.unpark(t);
                boolean interrupted = false;
                while (true) {
                    try {
                        t.join();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            synchronized (this) {
                poll();
                long count = 0;
                long total = 0;
                for (int i = 0; i < pauseCollectors.size(); i++) {
                    count += lastCompleted[i] - startCompleted[i];
                    total += lastTime[i] - startTime[i];
                }
                long max = Math.max(maxTicks, (long) Math.ceil(maxLowerBoundTicks));
                finished = new Summary(count, count == 0 ? 0 : Math.round(max * nanosPerTick),
                        Math.round(total * nanosPerTick), unresolved, polls);
                return finished;
            }
        }
    }
}
