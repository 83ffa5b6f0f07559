package dev.netkit.reactor.load;

import dev.netkit.reactor.protocols.Protocol;

import java.util.Locale;

/**
 * The measured result of one load run. Latencies are in nanoseconds. Immutable; any thread.
 *
 * <p><b>Pubsub.</b> A "message" is a delivery: one published message arriving at one subscriber, so
 * {@code messages} and {@code msgsPerSecond} count deliveries (= publishes x fan-out when nothing is lost),
 * the latency percentiles are per delivery (from the publish's intended send time to that subscriber's
 * receipt; a closed-loop publish completes only at its last delivery, but each delivery is recorded), and
 * {@code serverCpuMicrosPerMsg} is server CPU per delivery. {@code mismatches} adds to what the subscribers
 * saw in the stream (duplicates, out of order, bad checksum, unknown publisher) the end check's shortfall:
 * after the measured period publishing stops, in-flight messages get up to two seconds to arrive, and every
 * subscriber must then have had every message of every publisher of its topic, over the whole run (warmup
 * included), exactly once; what is missing is {@code lost} and counts in {@code mismatches} too.
 *
 * @param protocol      echo, relay or pubsub
 * @param loop          closed or open
 * @param connections   connections used
 * @param messageBytes  bytes per message
 * @param inFlight      closed loop: messages in flight per connection (pubsub: publishes per publisher)
 * @param rate          open loop: the offered rate in messages per second (pubsub: publishes per second)
 * @param seconds       the measured period
 * @param messages      messages answered (echo), delivered (relay), or deliveries (pubsub) in the period
 * @param msgsPerSecond messages per second (pubsub: deliveries per second)
 * @param mbPerSecond   message megabytes (10^6) per second, one direction (pubsub: of deliveries)
 * @param p50           latency percentile, ns
 * @param p90           latency percentile, ns
 * @param p99           latency percentile, ns
 * @param p999          latency percentile, ns
 * @param max           the largest latency, ns
 * @param errors        I/O errors, closed connections, error or unexpected frames
 * @param mismatches    answers out of order, missing or with a bad checksum (pubsub: see above)
 * @param stalls        stall episodes (no answer for the stall time with messages in flight)
 * @param fairness      the busiest connection's message count over the median connection's (pubsub: the
 *                      busiest publisher's publishes over the median publisher's)
 * @param crossFraction relay: the fraction of pairs whose two connections live on different sub-reactors;
 *                      pubsub: the fraction of (publisher, subscriber) pairs of a topic that do
 * @param serverCpuMicrosPerMsg server CPU time per message in microseconds (NaN without a pid)
 * @param serverRssBytes the server's resident memory at the end (-1 without a pid)
 * @param topics        pubsub: topics (0 otherwise)
 * @param publishers    pubsub: publishers per topic (0 otherwise)
 * @param publishes     pubsub: messages published in the period (0 otherwise)
 * @param publishesPerSecond  pubsub: publishes per second (NaN otherwise)
 * @param deliveriesPerSecond pubsub: deliveries per second, = msgsPerSecond (NaN otherwise)
 * @param fanOut        pubsub: subscribers per topic, publishers included (the mean if the topics differ
 *                      by one); NaN otherwise
 * @param lost          pubsub: messages the end check found missing, summed over subscribers (0 otherwise)
 * @param gcPauses      the server's GC pauses that ended in the measured period, from its HotSpot
 *                      performance-data file ({@link GcPauses}); -1 without a pid or when unavailable (not a
 *                      HotSpot JVM, {@code -XX:-UsePerfData}, another user's process, no pause counters)
 * @param gcPauseMaxMs  the longest of them in milliseconds (0 if none; a lower bound in the rare case that one
 *                      collector ended several pauses within one poll interval, see {@link GcPauses}); -1 when
 *                      unavailable
 * @param gcPauseTotalMs their summed duration in milliseconds; -1 when unavailable
 */
public record LoadResult(Protocol protocol, String loop, int connections, int messageBytes, int inFlight, long rate,
                         double seconds, long messages, double msgsPerSecond, double mbPerSecond, long p50, long p90,
                         long p99, long p999, long max, long errors, long mismatches, long stalls, double fairness,
                         double crossFraction, double serverCpuMicrosPerMsg, long serverRssBytes, int topics,
                         int publishers, long publishes, double publishesPerSecond, double deliveriesPerSecond,
                         double fanOut, long lost, long gcPauses, double gcPauseMaxMs, double gcPauseTotalMs) {

    private static final String CSV_HEADER = "protocol,loop,connections,messageBytes,inFlight,rate,seconds,messages,"
            + "msgsPerSecond,mbPerSecond,p50Ns,p90Ns,p99Ns,p999Ns,maxNs,errors,mismatches,stalls,fairness,crossFraction,"
            + "serverCpuMicrosPerMsg,serverRssBytes";
    private static final String CSV_PUBSUB = ",topics,publishers,publishes,publishesPerSecond,deliveriesPerSecond,"
            + "fanOut,lost";
    private static final String CSV_GC = ",gcPauses,gcPauseMaxMs,gcPauseTotalMs";

    /**
     * Formats a latency for the summary table.
     *
     * @param nanos a latency
     * @return it in microseconds with one decimal and a unit
     */
    public static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
    }

    private boolean pubsub() {
        return protocol == Protocol.PUBSUB;
    }

    private String name() {
        return protocol.name().toLowerCase(Locale.ROOT);
    }

    /** {@return a human-readable summary table} */
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        boolean ps = pubsub();
        String unit = ps ? " publishes/s" : " msg/s";
        row(sb, "protocol / loop", name() + " / " + loop + ("open".equals(loop) ? " at " + rate + unit
                : ", " + inFlight + (ps ? (inFlight == 1 ? " publish" : " publishes") + " in flight per publisher"
                : " in flight per connection")));
        row(sb, "connections", connections + (ps ? String.format(Locale.ROOT,
                " (%d topic%s x %s subscribers, %d publisher%s per topic)", topics, topics == 1 ? "" : "s",
                fmt(fanOut), publishers, publishers == 1 ? "" : "s") : ""));
        row(sb, "message size", messageBytes + " B");
        row(sb, "measured", String.format(Locale.ROOT, "%.1f s", seconds));
        if (ps) {
            row(sb, "publishes / deliveries", String.format(Locale.ROOT, "%,d / %,d", publishes, messages));
            row(sb, "throughput", String.format(Locale.ROOT, "%,.0f deliveries/s, %.2f MB/s", deliveriesPerSecond,
                    mbPerSecond));
            row(sb, "publish rate", String.format(Locale.ROOT, "%,.0f publishes/s (fan-out %s)", publishesPerSecond,
                    fmt(fanOut)));
        } else {
            row(sb, "messages", String.format(Locale.ROOT, "%,d", messages));
            row(sb, "throughput", String.format(Locale.ROOT, "%,.0f msg/s, %.2f MB/s", msgsPerSecond, mbPerSecond));
        }
        String per = ps ? " (per delivery)" : "";
        row(sb, "latency p50 / p90" + per, micros(p50) + " / " + micros(p90));
        row(sb, "latency p99 / p99.9" + per, micros(p99) + " / " + micros(p999));
        row(sb, "latency max" + per, micros(max));
        row(sb, "errors / mismatches / stalls", errors + " / " + mismatches + " / " + stalls);
        if (ps) {
            row(sb, "lost (end check)", Long.toString(lost));
        }
        row(sb, ps ? "busiest / median publisher" : "busiest / median connection",
                String.format(Locale.ROOT, "%.2fx", fairness));
        if (!Double.isNaN(crossFraction)) {
            row(sb, ps ? "deliveries across sub-reactors" : "pairs across sub-reactors",
                    String.format(Locale.ROOT, "%.0f%%", crossFraction * 100));
        }
        if (!Double.isNaN(serverCpuMicrosPerMsg)) {
            row(sb, ps ? "server CPU per delivery" : "server CPU per message",
                    String.format(Locale.ROOT, "%.2f us", serverCpuMicrosPerMsg));
        }
        if (serverRssBytes >= 0) {
            row(sb, "server RSS", String.format(Locale.ROOT, "%.1f MiB", serverRssBytes / 1048576.0));
        }
        if (gcPauses >= 0) {
            row(sb, "server GC pauses", String.format(Locale.ROOT, "%d (max %.2f ms, total %.2f ms)", gcPauses,
                    gcPauseMaxMs, gcPauseTotalMs));
        } else if (serverRssBytes >= 0 || !Double.isNaN(serverCpuMicrosPerMsg)) {
            row(sb, "server GC pauses", "n/a");
        }
        return sb.toString();
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.format(Locale.ROOT, "%,.0f", d) : String.format(Locale.ROOT, "%,.1f", d);
    }

    private static void row(StringBuilder sb, String k, String v) {
        sb.append(String.format(Locale.ROOT, "  %-34s %s%n", k, v));
    }

    /** {@return the result as one JSON object (pubsub adds its fields at the end)} */
    public String toJson() {
        String common = String.format(Locale.ROOT, "{\"protocol\":\"%s\",\"loop\":\"%s\",\"connections\":%d,"
                        + "\"messageBytes\":%d,\"inFlight\":%d,\"rate\":%d,\"seconds\":%.3f,\"messages\":%d,"
                        + "\"msgsPerSecond\":%.1f,\"mbPerSecond\":%.3f,\"p50Ns\":%d,\"p90Ns\":%d,\"p99Ns\":%d,"
                        + "\"p999Ns\":%d,\"maxNs\":%d,\"errors\":%d,\"mismatches\":%d,\"stalls\":%d,\"fairness\":%s,"
                        + "\"crossFraction\":%s,\"serverCpuMicrosPerMsg\":%s,\"serverRssBytes\":%d,\"gcPauses\":%d,"
                        + "\"gcPauseMaxMs\":%s,\"gcPauseTotalMs\":%s",
                name(), loop, connections, messageBytes, inFlight, rate, seconds, messages, msgsPerSecond, mbPerSecond,
                p50, p90, p99, p999, max, errors, mismatches, stalls, num(fairness), num(crossFraction),
                num(serverCpuMicrosPerMsg), serverRssBytes, gcPauses, ms(gcPauseMaxMs), ms(gcPauseTotalMs));
        if (!pubsub()) {
            return common + "}";
        }
        return common + String.format(Locale.ROOT, ",\"topics\":%d,\"publishers\":%d,\"publishes\":%d,"
                        + "\"publishesPerSecond\":%s,\"deliveriesPerSecond\":%s,\"fanOut\":%s,\"lost\":%d}",
                topics, publishers, publishes, num(publishesPerSecond), num(deliveriesPerSecond), num(fanOut), lost);
    }

    private static String num(double d) {
        return Double.isFinite(d) ? String.format(Locale.ROOT, "%.4f", d) : "null";
    }

    /** Milliseconds with three decimals; -1 (unavailable) as -1. */
    private static String ms(double d) {
        return d < 0 ? "-1" : String.format(Locale.ROOT, "%.3f", d);
    }

    /** {@return the echo and relay CSV header, = {@code csvHeader(Protocol.ECHO)}} */
    public static String csvHeader() {
        return CSV_HEADER + CSV_GC;
    }

    /**
     * The CSV header of a protocol's result rows.
     *
     * @param protocol the protocol of the rows that follow
     * @return the CSV header matching {@link #toCsvRow()} for that protocol: the columns common to all
     *         protocols, then pubsub's own, then the GC pause columns ({@code gcPauses}, {@code gcPauseMaxMs},
     *         {@code gcPauseTotalMs}), appended last so that every earlier column keeps its position
     */
    public static String csvHeader(Protocol protocol) {
        return protocol == Protocol.PUBSUB ? CSV_HEADER + CSV_PUBSUB + CSV_GC : CSV_HEADER + CSV_GC;
    }

    /** {@return the result as one CSV row, matching {@link #csvHeader(Protocol)} for its protocol} */
    public String toCsvRow() {
        String common = String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%.3f,%d,%.1f,%.3f,%d,%d,%d,%d,%d,%d,%d,%d,%s,%s,%s,%d",
                name(), loop, connections, messageBytes, inFlight, rate, seconds, messages, msgsPerSecond, mbPerSecond,
                p50, p90, p99, p999, max, errors, mismatches, stalls, num(fairness), num(crossFraction),
                num(serverCpuMicrosPerMsg), serverRssBytes);
        String gc = String.format(Locale.ROOT, ",%d,%s,%s", gcPauses, ms(gcPauseMaxMs), ms(gcPauseTotalMs));
        if (!pubsub()) {
            return common + gc;
        }
        return common + String.format(Locale.ROOT, ",%d,%d,%d,%s,%s,%s,%d", topics, publishers, publishes,
                num(publishesPerSecond), num(deliveriesPerSecond), num(fanOut), lost) + gc;
    }
}
