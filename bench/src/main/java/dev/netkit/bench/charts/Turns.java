package dev.netkit.bench.charts;

import static dev.netkit.bench.charts.Paired.fmt;
import static dev.netkit.bench.charts.Paired.num;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * <p>Given several files (runs of the same benchmark, one after another), it pools their forks per benchmark
 * and parameter set, numbering them in file order, and says which forks came from which file.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.netkit.bench.charts.Turns FILE [FILE...] A B
 * </pre>
 *
 * <p>A single-threaded command-line tool; it reads the files and prints, and publishes nothing.
 */
public final class Turns {
    private Turns() {
    }

    /**
     * Entry point; see the class comment for the arguments.
     *
     * @param args one or more JMH JSON files, then the two counters' names
     * @throws IOException if a file cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: Turns FILE [FILE...] A B   (A, B: the @AuxCounters fields to pair)");
            System.exit(2);
        }
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length - 2; i++) {
            files.add(Path.of(args[i]));
        }
        summarise(files, args[args.length - 2], args[args.length - 1], System.out);
    }

    /**
     * Prints the paired summary of counters {@code a} and {@code b} for every benchmark and parameter set in
     * {@code files}, each one's forks pooled over the files in order.
     *
     * @throws IllegalArgumentException if a counter is missing, or a fork has no complete pair
     */
    static void summarise(List<Path> files, String a, String b, PrintStream out) throws IOException {
        Map<String, Forks> byRun = new LinkedHashMap<>();       // benchmark and parameters -> pooled forks
        for (Path file : files) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> runs = (List<Map<String, Object>>) Json.parse(Files.readString(file));
            for (Map<String, Object> run : runs) {
                byRun.computeIfAbsent(run.get("benchmark") + " " + Paired.params(run), k -> new Forks())
                        .add(Paired.rawData(run, a, file), Paired.rawData(run, b, file), file);
            }
        }
        String names = files.size() == 1 ? files.get(0).toString() : files.size() + " files";
        out.printf("# %s: %s / %s, turn by turn%n", names, a, b);
        for (Map.Entry<String, Forks> e : byRun.entrySet()) {
            String key = e.getKey();
            List<List<?>> as = e.getValue().a;
            List<List<?>> bs = e.getValue().b;
            out.printf("%n## %s%n", key);
            if (files.size() > 1) {
                for (String source : e.getValue().sources) {
                    out.printf("# %s%n", source);
                }
            }
            out.printf("%-5s %6s %14s %14s %8s%n", "fork", "pairs", a, b, "ratio");
            ListStatistics aAll = new ListStatistics();
            ListStatistics bAll = new ListStatistics();
            List<Double> forkRatios = new ArrayList<>();
            for (int f = 0; f < as.size(); f++) {
                List<Double> x = nonZero(as.get(f));
                List<Double> y = nonZero(bs.get(f));
                int n = Math.min(x.size(), y.size());
                if (n == 0) {
                    throw new IllegalArgumentException(key + ": fork " + (f + 1) + " has no turn of both " + a
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
                forkRatios.add(ratio);
                out.printf("%-5d %6d %14s %14s %8s%n", f + 1, n, num(xs.getMean()), num(ys.getMean()), fmt(ratio));
            }
            Paired.printSummary(out, forkRatios, "forks' mean log ratios");
            out.printf("means over their own turns: %s %s, %s %s, ratio of means %sx%n",
                    a, num(aAll.getMean()), b, num(bAll.getMean()), fmt(aAll.getMean() / bAll.getMean()));
        }
    }

    /** One benchmark's forks pooled over the files: counter a's and b's iterations, and which file gave which. */
    private static final class Forks {
        final List<List<?>> a = new ArrayList<>();
        final List<List<?>> b = new ArrayList<>();
        final List<String> sources = new ArrayList<>();

        void add(List<?> aForks, List<?> bForks, Path file) {
            sources.add("forks " + (a.size() + 1) + "-" + (a.size() + aForks.size()) + ": " + file);
            for (int f = 0; f < aForks.size(); f++) {
                a.add((List<?>) aForks.get(f));
                b.add((List<?>) bForks.get(f));
            }
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
}
