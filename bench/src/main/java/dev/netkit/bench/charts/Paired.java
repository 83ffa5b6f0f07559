package dev.netkit.bench.charts;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.util.ListStatistics;

/**
 * What {@link Interleaved} and {@link Turns} share: reading a metric's per-fork iterations from a JMH run,
 * naming its parameters, the summary line of a set of paired ratios, and the number formats. Package-private;
 * single-threaded, like the command-line tools that use it.
 */
final class Paired {
    /** The confidence JMH gives its errors at. */
    static final double CONFIDENCE = 0.999;

    private Paired() {
    }

    /**
     * A metric's {@code rawData} (per fork, per iteration): {@code primary}, or a secondary metric's name.
     *
     * @throws IllegalArgumentException naming {@code file} if the run has no such metric
     */
    static List<?> rawData(Map<String, Object> run, String metric, Path file) {
        Object m;
        if (metric.equals("primary")) {
            m = run.get("primaryMetric");
        } else {
            Object secondary = run.get("secondaryMetrics");
            m = secondary instanceof Map<?, ?> s ? s.get(metric) : null;
        }
        if (!(m instanceof Map<?, ?> values) || !(values.get("rawData") instanceof List<?> raw)) {
            throw new IllegalArgumentException(file + ": " + run.get("benchmark") + " has no metric " + metric);
        }
        return raw;
    }

    /** The run's parameters in name order, as {@code {batch=64}} ({@code {}} without any). */
    static String params(Map<String, Object> run) {
        return run.get("params") instanceof Map<?, ?> p ? new TreeMap<>(p).toString() : "{}";
    }

    /**
     * Prints the line {@code paired: geometric mean ...} for {@code ratios}: their geometric mean, with a 99.9%
     * Student's t interval over their logs when there are three or more (JMH's statistics need three), their
     * median and range. {@code over} names what each ratio is, for the line ({@code log ratios}).
     */
    static void printSummary(PrintStream out, List<Double> ratios, String over) {
        ListStatistics logs = new ListStatistics();
        for (double r : ratios) {
            logs.addValue(Math.log(r));
        }
        List<Double> sorted = new ArrayList<>(ratios);
        sorted.sort(null);
        int n = sorted.size();
        String gm = fmt(Math.exp(logs.getMean()));
        if (n < 3) {
            out.printf("paired: geometric mean %sx over %d %s (no interval: JMH's statistics need three)%n", gm, n, over);
            return;
        }
        double[] ci = logs.getConfidenceIntervalAt(CONFIDENCE);
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        out.printf("paired: geometric mean %sx, 99.9%% CI %sx-%sx (t over %d %s); median %sx, range %sx-%sx%n",
                gm, fmt(Math.exp(ci[0])), fmt(Math.exp(ci[1])), n, over, fmt(median), fmt(sorted.get(0)),
                fmt(sorted.get(n - 1)));
    }

    /** A ratio or factor, two decimals. */
    static String fmt(double x) {
        return String.format(Locale.ROOT, "%.2f", x);
    }

    /** A rate: millions with two decimals from 100,000 up, else three decimals; {@code -} when not finite. */
    static String num(double x) {
        if (!Double.isFinite(x)) {
            return "-";
        }
        return Math.abs(x) >= 1e5 ? String.format(Locale.ROOT, "%.2fM", x / 1e6) : String.format(Locale.ROOT, "%.3f", x);
    }
}
