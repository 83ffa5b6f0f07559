package dev.netkit.bench.charts;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.util.ListStatistics;

/**
 * Pairs the turns of a "turns" benchmark ({@code ring.SpscBatchTurnsBench}, {@code ring.MpscRingTurnsBench}):
 * structures that take turns, one JMH iteration each, in the same fork, each counting into its own
 * {@code @AuxCounters} field, which is zero in the other structures' turns.
 *
 * <p>For each benchmark (and parameter set) in the JMH result file and each fork, it takes counter
 * {@code A}'s non-zero iterations and counter {@code B}'s, in order, and pairs the k-th of one with the
 * k-th of the other (the same cycle of turns, seconds apart in one fork). It prints every fork's means of
 * both and the geometric mean of its pairs' ratios, then over all forks: the geometric mean of the forks'
 * ratios with a 99.9% confidence interval (Student's t over the forks' mean log ratios, one value per
 * fork, so that the iterations of one fork, which share its mode, are not counted as independent), their
 * median and range, and each counter's mean over its own turns.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.netkit.bench.charts.Turns FILE A B
 * </pre>
 */
public final class Turns {
    private static final double CONFIDENCE = 0.999;

    private Turns() {
    }

    /**
     * Entry point; see the class comment for the arguments.
     *
     * @param args the JMH JSON file and the two counters' names
     * @throws IOException if the file cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: Turns FILE A B   (A, B: the @AuxCounters fields to pair)");
            System.exit(2);
        }
        summarise(Path.of(args[0]), args[1], args[2], System.out);
    }

    /**
     * Prints the paired summary of counters {@code a} and {@code b} for every benchmark in {@code file}.
     *
     * @throws IllegalArgumentException if a counter is missing, or a fork has no complete pair
     */
    static void summarise(Path file, String a, String b, PrintStream out) throws IOException {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> runs = (List<Map<String, Object>>) Json.parse(Files.readString(file));
        out.printf("# %s: %s / %s, turn by turn%n", file, a, b);
        for (Map<String, Object> run : runs) {
            List<?> as = rawData(run, a, file);
            List<?> bs = rawData(run, b, file);
            out.printf("%n## %s %s%n", run.get("benchmark"),
                    run.get("params") instanceof Map<?, ?> p ? new TreeMap<>(p).toString() : "{}");
            out.printf("%-5s %6s %14s %14s %8s%n", "fork", "pairs", a, b, "ratio");
            ListStatistics forkLogs = new ListStatistics();
            ListStatistics aAll = new ListStatistics();
            ListStatistics bAll = new ListStatistics();
            List<Double> forkRatios = new ArrayList<>();
            for (int f = 0; f < as.size(); f++) {
                List<Double> x = nonZero((List<?>) as.get(f));
                List<Double> y = nonZero((List<?>) bs.get(f));
                int n = Math.min(x.size(), y.size());
                if (n == 0) {
                    throw new IllegalArgumentException(file + ": fork " + (f + 1) + " has no turn of both " + a
                            + " and " + b);
                }
                ListStatistics logs = new ListStatistics();
                ListStatistics xs = new ListStatistics();
                ListStatistics ys = new ListStatistics();
                for (int k = 0; k < n; k++) {
                    logs.addValue(Math.log(x.get(k) / y.get(k)));
                    xs.addValue(x.get(k));
                    ys.addValue(y.get(k));
                    aAll.addValue(x.get(k));
                    bAll.addValue(y.get(k));
                }
                double ratio = Math.exp(logs.getMean());
                forkLogs.addValue(logs.getMean());
                forkRatios.add(ratio);
                out.printf("%-5d %6d %14s %14s %8s%n", f + 1, n, num(xs.getMean()), num(ys.getMean()), fmt(ratio));
            }
            forkRatios.sort(null);
            int n = forkRatios.size();
            double median = n % 2 == 1 ? forkRatios.get(n / 2)
                    : (forkRatios.get(n / 2 - 1) + forkRatios.get(n / 2)) / 2;
            if (n >= 3) {
                double[] ci = forkLogs.getConfidenceIntervalAt(CONFIDENCE);
                out.printf("paired: geometric mean %sx, 99.9%% CI %sx-%sx (t over %d forks' mean log ratios);"
                                + " median %sx, range %sx-%sx%n",
                        fmt(Math.exp(forkLogs.getMean())), fmt(Math.exp(ci[0])), fmt(Math.exp(ci[1])), n,
                        fmt(median), fmt(forkRatios.get(0)), fmt(forkRatios.get(n - 1)));
            } else {
                out.printf("paired: geometric mean %sx over %d forks (no interval: JMH's statistics need three)%n",
                        fmt(Math.exp(forkLogs.getMean())), n);
            }
            out.printf("means over their own turns: %s %s, %s %s, ratio of means %sx%n",
                    a, num(aAll.getMean()), b, num(bAll.getMean()), fmt(aAll.getMean() / bAll.getMean()));
        }
    }

    private static List<Double> nonZero(List<?> iterations) {
        List<Double> values = new ArrayList<>();
        for (Object v : iterations) {
            double d = Json.number(v);
            if (d > 0) {
                values.add(d);
            }
        }
        return values;
    }

    private static List<?> rawData(Map<String, Object> run, String metric, Path file) {
        Object secondary = run.get("secondaryMetrics");
        Object m = secondary instanceof Map<?, ?> s ? s.get(metric) : null;
        if (!(m instanceof Map<?, ?> values) || !(values.get("rawData") instanceof List<?> raw)) {
            throw new IllegalArgumentException(file + ": " + run.get("benchmark") + " has no counter " + metric);
        }
        return raw;
    }

    private static String fmt(double x) {
        return String.format(Locale.ROOT, "%.2f", x);
    }

    private static String num(double x) {
        return Math.abs(x) >= 1e5 ? String.format(Locale.ROOT, "%.2fM", x / 1e6) : String.format(Locale.ROOT, "%.3f", x);
    }
}
