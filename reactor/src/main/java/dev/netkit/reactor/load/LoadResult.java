package dev.netkit.reactor.load;

import java.util.Locale;

/**
 * The measured result of one load run. Latencies are in nanoseconds. Immutable; any thread.
 *
 * @param protocol      echo or relay
 * @param loop          closed or open
 * @param connections   connections used
 * @param messageBytes  bytes per message
 * @param inFlight      closed loop: messages in flight per connection
 * @param rate          open loop: the offered rate in messages per second
 * @param seconds       the measured period
 * @param messages      messages answered (echo) or delivered (relay) in the period
 * @param msgsPerSecond messages per second
 * @param mbPerSecond   message megabytes (10^6) per second, one direction
 * @param p50           latency percentile, ns
 * @param p90           latency percentile, ns
 * @param p99           latency percentile, ns
 * @param p999          latency percentile, ns
 * @param max           the largest latency, ns
 * @param errors        I/O errors, closed connections, error frames
 * @param mismatches    answers out of order, missing or with a bad checksum
 * @param stalls        stall episodes (no answer for the stall time with messages in flight)
 * @param fairness      the busiest connection's message count over the median connection's
 * @param crossFraction relay: the fraction of pairs whose two connections live on different sub-reactors
 * @param serverCpuMicrosPerMsg server CPU time per message in microseconds (NaN without a pid)
 * @param serverRssBytes the server's resident memory at the end (-1 without a pid)
 */
public record LoadResult(String protocol, String loop, int connections, int messageBytes, int inFlight, long rate,
                         double seconds, long messages, double msgsPerSecond, double mbPerSecond, long p50, long p90,
                         long p99, long p999, long max, long errors, long mismatches, long stalls, double fairness,
                         double crossFraction, double serverCpuMicrosPerMsg, long serverRssBytes) {

    /**
     * @param nanos a latency
     * @return it in microseconds with one decimal and a unit
     */
    public static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
    }

    /** @return a human-readable summary table */
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        row(sb, "protocol / loop", protocol + " / " + loop + ("open".equals(loop) ? " at " + rate + " msg/s"
                : ", " + inFlight + " in flight per connection"));
        row(sb, "connections", Integer.toString(connections));
        row(sb, "message size", messageBytes + " B");
        row(sb, "measured", String.format(Locale.ROOT, "%.1f s", seconds));
        row(sb, "messages", String.format(Locale.ROOT, "%,d", messages));
        row(sb, "throughput", String.format(Locale.ROOT, "%,.0f msg/s, %.2f MB/s", msgsPerSecond, mbPerSecond));
        row(sb, "latency p50 / p90", micros(p50) + " / " + micros(p90));
        row(sb, "latency p99 / p99.9", micros(p99) + " / " + micros(p999));
        row(sb, "latency max", micros(max));
        row(sb, "errors / mismatches / stalls", errors + " / " + mismatches + " / " + stalls);
        row(sb, "busiest / median connection", String.format(Locale.ROOT, "%.2fx", fairness));
        if (!Double.isNaN(crossFraction)) {
            row(sb, "pairs across sub-reactors", String.format(Locale.ROOT, "%.0f%%", crossFraction * 100));
        }
        if (!Double.isNaN(serverCpuMicrosPerMsg)) {
            row(sb, "server CPU per message", String.format(Locale.ROOT, "%.2f us", serverCpuMicrosPerMsg));
        }
        if (serverRssBytes >= 0) {
            row(sb, "server RSS", String.format(Locale.ROOT, "%.1f MiB", serverRssBytes / 1048576.0));
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String k, String v) {
        sb.append(String.format(Locale.ROOT, "  %-30s %s%n", k, v));
    }

    /** @return the result as one JSON object */
    public String toJson() {
        return String.format(Locale.ROOT, "{\"protocol\":\"%s\",\"loop\":\"%s\",\"connections\":%d,\"messageBytes\":%d,"
                        + "\"inFlight\":%d,\"rate\":%d,\"seconds\":%.3f,\"messages\":%d,\"msgsPerSecond\":%.1f,"
                        + "\"mbPerSecond\":%.3f,\"p50Ns\":%d,\"p90Ns\":%d,\"p99Ns\":%d,\"p999Ns\":%d,\"maxNs\":%d,"
                        + "\"errors\":%d,\"mismatches\":%d,\"stalls\":%d,\"fairness\":%s,\"crossFraction\":%s,"
                        + "\"serverCpuMicrosPerMsg\":%s,\"serverRssBytes\":%d}",
                protocol, loop, connections, messageBytes, inFlight, rate, seconds, messages, msgsPerSecond, mbPerSecond,
                p50, p90, p99, p999, max, errors, mismatches, stalls, num(fairness), num(crossFraction),
                num(serverCpuMicrosPerMsg), serverRssBytes);
    }

    private static String num(double d) {
        return Double.isFinite(d) ? String.format(Locale.ROOT, "%.4f", d) : "null";
    }

    /** @return the CSV header matching {@link #toCsvRow()} */
    public static String csvHeader() {
        return "protocol,loop,connections,messageBytes,inFlight,rate,seconds,messages,msgsPerSecond,mbPerSecond,"
                + "p50Ns,p90Ns,p99Ns,p999Ns,maxNs,errors,mismatches,stalls,fairness,crossFraction,"
                + "serverCpuMicrosPerMsg,serverRssBytes";
    }

    /** @return the result as one CSV row */
    public String toCsvRow() {
        return String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%.3f,%d,%.1f,%.3f,%d,%d,%d,%d,%d,%d,%d,%d,%s,%s,%s,%d",
                protocol, loop, connections, messageBytes, inFlight, rate, seconds, messages, msgsPerSecond, mbPerSecond,
                p50, p90, p99, p999, max, errors, mismatches, stalls, num(fairness), num(crossFraction),
                num(serverCpuMicrosPerMsg), serverRssBytes);
    }
}
