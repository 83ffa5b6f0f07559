package dev.netkit.bench.charts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.util.ListStatistics;

/**
 * Reads the result files under {@code bench/results} that the charts draw: JMH JSON, the reactor scripts'
 * CSVs ({@code reactor-ab.sh}) and summaries ({@code reactor-idle.sh}'s {@code README.txt}), and the
 * footprint programs' text tables. Each file is read once. A value that is not there is an
 * {@link IllegalArgumentException} naming the file and what was looked for, so a chart never draws a
 * made-up bar.
 */
final class Results {
    /** A measured value and its error (JMH's 99.9% half-interval; 0 where the source has none). */
    record Value(double score, double error) {
    }

    private final Path dir;
    private final Map<String, List<Map<String, Object>>> jmh = new HashMap<>();
    private final Map<String, List<String>> lines = new HashMap<>();

    /** Results read from {@code dir} (normally {@code bench/results}). */
    Results(Path dir) {
        this.dir = dir;
    }

    /** The directory the files are read from. */
    Path dir() {
        return dir;
    }

    /**
     * One JMH result: the benchmark whose method name is {@code method}, whose parameters include every
     * entry of {@code params}, and its primary metric ({@code metric == null}) or the named secondary one
     * (e.g. {@code received}, a {@code @AuxCounters} field).
     */
    Value jmh(String file, String method, Map<String, String> params, String metric) {
        for (Map<String, Object> run : jmhRuns(file)) {
            String benchmark = (String) run.get("benchmark");
            if (!benchmark.endsWith("." + method) || !paramsMatch(run, params)) {
                continue;
            }
            Object m = metric == null ? run.get("primaryMetric") : secondary(run).get(metric);
            if (!(m instanceof Map<?, ?> values)) {
                throw new IllegalArgumentException(file + ": " + method + params + " has no metric " + metric);
            }
            double error = Json.number(values.get("scoreError"));
            return new Value(Json.number(values.get("score")), Double.isFinite(error) ? error : 0);
        }
        throw new IllegalArgumentException(file + ": no benchmark " + method + " with " + params);
    }

    /**
     * The mean of benchmark {@code method}'s {@code metric} (a secondary metric's name) over every iteration
     * of every round file ({@link Interleaved#ROUND_FILE}) in the {@code bench/interleave}
     * directory {@code dir}, with JMH's 99.9% error over those iterations.
     */
    Value rounds(String dir, String method, String metric) {
        ListStatistics all = new ListStatistics();
        List<String> files;
        try (var list = Files.list(this.dir.resolve(dir))) {
            files = list.map(p -> p.getFileName().toString()).filter(n -> Interleaved.ROUND_FILE.matcher(n).matches())
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + this.dir.resolve(dir), e);
        }
        for (String f : files) {
            for (Map<String, Object> run : jmhRuns(dir + "/" + f)) {
                if (!((String) run.get("benchmark")).endsWith("." + method)) {
                    continue;
                }
                for (Object fork : Paired.rawData(run, metric, Path.of(dir, f))) {
                    for (Object v : (List<?>) fork) {
                        all.addValue(Json.number(v));
                    }
                }
            }
        }
        if (all.getN() == 0) {
            throw new IllegalArgumentException(dir + ": no round with " + method);
        }
        double error = all.getMeanErrorAt(Paired.CONFIDENCE);
        return new Value(all.getMean(), Double.isFinite(error) ? error : 0);
    }

    /** The rows of a CSV file with a header line, each a map from column name to cell. */
    List<Map<String, String>> csv(String file) {
        List<String> all = lines(file);
        String[] header = all.get(0).split(",", -1);
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : all.subList(1, all.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length && i < cells.length; i++) {
                row.put(header[i], cells[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    private static final Pattern IDLE_ROW =
            Pattern.compile("^(\\S+)\\s+[\\d,]+ of [\\d,]+\\s+.*\\s([\\d.]+) KB\\s+[\\d.]+ MiB\\s*$");

    /**
     * The summary table of a {@code bench/reactor-idle.sh} run ({@code DIR/README.txt}): server kind to
     * RSS per idle connection in KB, in the order of the table.
     */
    Map<String, Double> idleKbPerConnection(String runDir) {
        Map<String, Double> kinds = new LinkedHashMap<>();
        for (String line : lines(runDir + "/README.txt")) {
            Matcher m = IDLE_ROW.matcher(line);
            if (m.matches()) {
                kinds.put(m.group(1), Double.parseDouble(m.group(2)));
            }
        }
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException(runDir + "/README.txt: no summary rows");
        }
        return kinds;
    }

    /**
     * A number from a text table: the line that starts with {@code label} followed by two or more spaces,
     * split on white space after the label, token {@code index} (thousands separators removed).
     */
    double textColumn(String file, String label, int index) {
        for (String line : lines(file)) {
            if (line.startsWith(label) && line.length() > label.length() + 1
                    && line.startsWith("  ", label.length())) {
                String[] tokens = line.substring(label.length()).trim().split("\\s+");
                return Double.parseDouble(tokens[index].replace(",", ""));
            }
        }
        throw new IllegalArgumentException(file + ": no row '" + label + "'");
    }

    /** The first line of a text file (a run's heading). */
    String firstLine(String file) {
        return lines(file).get(0);
    }

    private List<Map<String, Object>> jmhRuns(String file) {
        return jmh.computeIfAbsent(file, f -> {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> runs = (List<Map<String, Object>>) Json.parse(String.join("\n", lines(f)));
            return runs;
        });
    }

    private List<String> lines(String file) {
        return lines.computeIfAbsent(file, f -> {
            try {
                return Files.readAllLines(dir.resolve(f));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + dir.resolve(f), e);
            }
        });
    }

    private static boolean paramsMatch(Map<String, Object> run, Map<String, String> wanted) {
        Object p = run.get("params");
        Map<?, ?> params = p instanceof Map<?, ?> m ? m : Map.of();
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            if (!e.getValue().equals(params.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static Map<?, ?> secondary(Map<String, Object> run) {
        Object s = run.get("secondaryMetrics");
        return s instanceof Map<?, ?> m ? m : Map.of();
    }
}
