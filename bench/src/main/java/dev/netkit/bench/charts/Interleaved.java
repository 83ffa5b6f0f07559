package dev.netkit.bench.charts;

import static dev.netkit.bench.charts.Paired.fmt;
import static dev.netkit.bench.charts.Paired.num;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.util.ListStatistics;

/**
 * Summarises a {@code bench/interleave} run: a folder of JMH result files, one fork of each benchmark
 * per round, named {@code round-NN.K.json} (round NN, K-th benchmark of the round) or {@code round-NN.json}
 * (all of a round's benchmarks in one file). It pairs a benchmark with its peer inside each round (same
 * parameters), so each ratio compares two forks that ran seconds apart rather than minutes.
 *
 * <p>Why: on a shared two-vCPU guest the two-thread benchmarks run in modes that last seconds to minutes
 * and change with the host's load (a peer's fork rate can move 3x between one minute and the next). JMH
 * runs all forks of one benchmark before the next one's, so a same-run ratio of the two scores also
 * compares two stretches of the host's time. Pairing within a round takes that out of the ratio, as far
 * as the mode holds for the length of a round.
 *
 * <p>For each pair and parameter set it prints every round's fork means and their ratio, then the
 * geometric mean of the ratios with a 99.9% confidence interval (Student's t over the log ratios, the
 * confidence JMH uses for its errors), their median, and, for comparison, each benchmark's mean over all
 * rounds with JMH's error.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.netkit.bench.charts.Interleaved DIR METRIC A:B [A:B...]
 * </pre>
 * {@code METRIC} is {@code primary} or a secondary metric's name (an {@code @AuxCounters} field such as
 * {@code pairs}); {@code A} and {@code B} are benchmark method (or group) names. Writes nothing; the
 * script keeps its output as {@code DIR/README.txt}.
 *
 * <p>A single-threaded command-line tool; it reads the files and prints, and publishes nothing.
 */
public final class Interleaved {
    /** A round's result file: {@code round-NN.json} or {@code round-NN.K.json}; group 1 is the round. */
    static final Pattern ROUND_FILE = Pattern.compile("round-(\\d+)(?:\\.\\d+)?\\.json");

    private Interleaved() {
    }

    /**
     * Entry point; see the class comment for the arguments.
     *
     * @param args the folder, the metric and one or more {@code A:B} pairs
     * @throws IOException if a round file cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: Interleaved DIR METRIC A:B [A:B...]   (METRIC: primary or a secondary metric)");
            System.exit(2);
        }
        summarise(Path.of(args[0]), args[1], List.of(args).subList(2, args.length), System.out);
    }

    /**
     * Prints the paired summary of the rounds in {@code dir} for {@code metric} and each {@code A:B} pair.
     *
     * @throws IllegalArgumentException if there are no round files, a round ran more than one fork, or a
     *         pair or the metric is not in the files
     */
    static void summarise(Path dir, String metric, List<String> pairs, PrintStream out) throws IOException {
        // round number -> its files (one per benchmark, or one for all of them)
        Map<Integer, List<Path>> byRound = new TreeMap<>();
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Matcher m = ROUND_FILE.matcher(p.getFileName().toString());
                if (m.matches()) {
                    byRound.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new ArrayList<>()).add(p);
                }
            }
        }
        if (byRound.isEmpty()) {
            throw new IllegalArgumentException(dir + ": no round-NN.json or round-NN.K.json files");
        }
        List<List<Path>> rounds = new ArrayList<>(byRound.values());
        // benchmark method -> params -> per-round fork mean (NaN where the round lacks it)
        Map<String, Map<String, double[]>> forkMeans = new LinkedHashMap<>();
        Map<String, Map<String, ListStatistics>> pooled = new LinkedHashMap<>();
        for (int r = 0; r < rounds.size(); r++) {
            for (Path file : rounds.get(r)) {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> runs = (List<Map<String, Object>>) Json.parse(Files.readString(file));
                for (Map<String, Object> run : runs) {
                    String bench = (String) run.get("benchmark");
                    String method = bench.substring(bench.lastIndexOf('.') + 1);
                    String params = Paired.params(run);
                    List<?> forks = Paired.rawData(run, metric, file);
                    if (forks.size() != 1) {
                        throw new IllegalArgumentException(file + ": " + method + " has " + forks.size()
                                + " forks; each round must run one (-f 1)");
                    }
                    ListStatistics fork = new ListStatistics();
                    ListStatistics all = pooled.computeIfAbsent(method, k -> new TreeMap<>())
                            .computeIfAbsent(params, k -> new ListStatistics());
                    for (Object v : (List<?>) forks.get(0)) {
                        fork.addValue(Json.number(v));
                        all.addValue(Json.number(v));
                    }
                    double[] perRound = forkMeans.computeIfAbsent(method, k -> new TreeMap<>())
                            .computeIfAbsent(params, k -> nan(rounds.size()));
                    perRound[r] = fork.getMean();
                }
            }
        }
        out.printf("# %d rounds from %s, metric %s%n", rounds.size(), dir, metric);
        for (String pair : pairs) {
            String[] ab = pair.split(":", 2);
            if (ab.length != 2 || !forkMeans.containsKey(ab[0]) || !forkMeans.containsKey(ab[1])) {
                throw new IllegalArgumentException("pair " + pair + ": benchmarks found are " + forkMeans.keySet());
            }
            for (String params : forkMeans.get(ab[0]).keySet()) {
                double[] a = forkMeans.get(ab[0]).get(params);
                double[] b = forkMeans.get(ab[1]).get(params);
                if (b == null) {
                    continue;
                }
                report(out, ab[0], ab[1], params, a, b, pooled.get(ab[0]).get(params), pooled.get(ab[1]).get(params));
            }
        }
    }

    private static void report(PrintStream out, String a, String b, String params, double[] as, double[] bs,
                               ListStatistics aAll, ListStatistics bAll) {
        out.printf("%n## %s / %s %s%n", a, b, params);
        out.printf("%-6s %16s %16s %8s%n", "round", a, b, "ratio");
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < as.length; r++) {
            double ratio = as[r] / bs[r];
            out.printf("%-6d %16s %16s %8s%n", r + 1, num(as[r]), num(bs[r]), fmt(ratio));
            if (Double.isFinite(ratio) && ratio > 0) {
                ratios.add(ratio);
            }
        }
        Paired.printSummary(out, ratios, "log ratios");
        out.printf("pooled (JMH-style, all rounds' iterations): %s %s ± %s, %s %s ± %s, ratio of means %sx%n",
                a, num(aAll.getMean()), num(aAll.getMeanErrorAt(Paired.CONFIDENCE)),
                b, num(bAll.getMean()), num(bAll.getMeanErrorAt(Paired.CONFIDENCE)),
                fmt(aAll.getMean() / bAll.getMean()));
    }

    private static double[] nan(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }
}
