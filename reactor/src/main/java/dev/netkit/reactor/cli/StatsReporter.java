package dev.netkit.reactor.cli;

import dev.netkit.reactor.CloseReason;
import dev.netkit.reactor.Server;
import dev.netkit.reactor.ServerStats;

import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code server --stats-interval S}: every S seconds one line of what changed since the last line, from
 * {@link ServerStats}, {@link Server#connections()} and the JVM's {@link GarbageCollectorMXBean}s:
 * <pre>
 * netkit stats +5.000 s: open 100, accepted +100, read 12.34 MB/s, written 12.34 MB/s, sends 0/s,
 *     closed +3 (PEER_CLOSED 2, IDLE 1), read pauses +0, gc +2, collection time 8 ms (G1 Young Generation +2 8 ms)
 * </pre>
 * (one line; wrapped here). <i>open</i> is a snapshot, the rest are deltas over the interval (the measured
 * time since the previous line, not the nominal S): <i>read</i> and <i>written</i> are bytes per second
 * (MB = 10<sup>6</sup> bytes) on all connections; <i>sends</i> are frames handed to a connection's inbox by
 * {@code Conn.send}/{@code Server.send} per second ({@link ServerStats#sent()}: relay and pub/sub traffic;
 * the echo server sends none, and the server counts no messages); <i>closed</i> lists only the reasons that
 * occurred; <i>read pauses</i> counts connections that stopped reading at their high water mark.
 *
 * <p><b>GC.</b> Collection counts and times are deltas of {@link GarbageCollectorMXBean#getCollectionCount()}
 * and {@link GarbageCollectorMXBean#getCollectionTime()}, per bean with activity. "Collection time" is what
 * the bean reports: for G1's young and old beans and for Parallel and Serial it is stop-the-world pause time
 * (G1's "G1 Concurrent GC" bean counts its Remark and Cleanup pauses); for ZGC's and Shenandoah's "Cycles"
 * beans it is the length of mostly concurrent cycles, not pause time, so the total is no pause figure there.
 *
 * <p><b>Thread safety.</b> {@link #next()} is synchronized; the timer thread and any other thread may call
 * it (each call takes the delta since the previous one). {@link #close()} from any thread.
 */
final class StatsReporter implements AutoCloseable {
    private final Server server;
    private final ServerStats stats;
    private final List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
    private final CloseReason[] reasons = CloseReason.values();
    private ScheduledExecutorService timer;

    // the previous line's snapshot; guarded by this
    private long nanos;
    private long accepted;
    private long read;
    private long written;
    private long sent;
    private long readPauses;
    private final long[] closed = new long[reasons.length];
    private final long[] gcCount = new long[gcs.size()];
    private final long[] gcMillis = new long[gcs.size()];

    /**
     * A reporter whose first {@link #next()} covers the time since this constructor.
     *
     * @param server the server to report on
     */
    StatsReporter(Server server) {
        this.server = server;
        this.stats = server.stats();
        synchronized (this) {
            snapshot();
        }
    }

    /**
     * Prints {@link #next()} to {@code out} every {@code interval}, on a daemon thread, until {@link #close()}.
     *
     * @param server   the server to report on
     * @param interval the period, positive
     * @param out      where the lines go
     * @return the running reporter
     */
    static StatsReporter start(Server server, Duration interval, PrintStream out) {
        StatsReporter r = new StatsReporter(server);
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread th = new Thread(task, "netkit-stats");
            th.setDaemon(true);
            return th;
        });
        long period = interval.toNanos();
        t.scheduleAtFixedRate(() -> {
            try {
                out.println(r.next());
                out.flush();
            } catch (Throwable e) {     // a thrown task would end the schedule silently: say why, then stop
                System.err.println("netkit: the stats line failed, no more stats lines: " + e);
                throw e;
            }
        }, period, period, TimeUnit.NANOSECONDS);
        synchronized (r) {
            r.timer = t;
        }
        return r;
    }

    /** @return the line for the time since the previous call (or the constructor), which becomes the new baseline */
    synchronized String next() {
        long prevNanos = nanos;
        long prevAccepted = accepted;
        long prevRead = read;
        long prevWritten = written;
        long prevSent = sent;
        long prevPauses = readPauses;
        long[] prevClosed = closed.clone();
        long[] prevGcCount = gcCount.clone();
        long[] prevGcMillis = gcMillis.clone();
        snapshot();
        double secs = Math.max(1, nanos - prevNanos) / 1e9;
        StringBuilder sb = new StringBuilder(200);
        sb.append(String.format(Locale.ROOT, "netkit stats +%.3f s: open %d, accepted +%d, read %s/s, written %s/s, "
                        + "sends %.0f/s, closed +", secs, server.connections(), accepted - prevAccepted,
                Profile.bytes(Math.round((read - prevRead) / secs)),
                Profile.bytes(Math.round((written - prevWritten) / secs)), (sent - prevSent) / secs));
        long closedTotal = 0;
        StringBuilder byReason = new StringBuilder();
        for (int i = 0; i < reasons.length; i++) {
            long d = closed[i] - prevClosed[i];
            if (d != 0) {
                closedTotal += d;
                byReason.append(byReason.isEmpty() ? "" : ", ").append(reasons[i]).append(' ').append(d);
            }
        }
        sb.append(closedTotal);
        if (closedTotal != 0) {
            sb.append(" (").append(byReason).append(')');
        }
        sb.append(", read pauses +").append(readPauses - prevPauses);
        long gcTotal = 0;
        long gcTime = 0;
        StringBuilder byGc = new StringBuilder();
        for (int i = 0; i < gcs.size(); i++) {
            long dc = gcCount[i] - prevGcCount[i];
            long dt = gcMillis[i] - prevGcMillis[i];
            if (dc != 0 || dt != 0) {
                gcTotal += dc;
                gcTime += dt;
                byGc.append(byGc.isEmpty() ? "" : ", ").append(gcs.get(i).getName()).append(" +").append(dc)
                        .append(' ').append(dt).append(" ms");
            }
        }
        sb.append(", gc +").append(gcTotal);
        if (!byGc.isEmpty()) {
            sb.append(", collection time ").append(gcTime).append(" ms (").append(byGc).append(')');
        }
        return sb.toString();
    }

    /** Reads every counter into the baseline; holds this. */
    private void snapshot() {
        nanos = System.nanoTime();
        accepted = stats.accepted();
        read = stats.bytesRead();
        written = stats.bytesWritten();
        sent = stats.sent();
        readPauses = stats.readPauses();
        for (int i = 0; i < reasons.length; i++) {
            closed[i] = stats.closed(reasons[i]);
        }
        for (int i = 0; i < gcCount.length; i++) {
            GarbageCollectorMXBean b = gcs.get(i);
            gcCount[i] = Math.max(0, b.getCollectionCount());    // -1: undefined
            gcMillis[i] = Math.max(0, b.getCollectionTime());
        }
    }

    /**
     * Stops the timer, if {@link #start} started one, and waits up to a second for a line being printed.
     * Any thread but the timer's, idempotent; keeps the caller's interrupt status.
     */
    @Override
    public void close() {
        ScheduledExecutorService t;
        synchronized (this) {
            t = timer;
        }
        if (t != null) {
            t.shutdownNow();
            try {
                t.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
