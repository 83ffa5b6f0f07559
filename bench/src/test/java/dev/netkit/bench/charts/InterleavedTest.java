package dev.netkit.bench.charts;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Interleaved}: pairs each round's forks and summarises the ratios. */
class InterleavedTest {

    private static String run(String bench, String params, double... iterations) {
        StringBuilder raw = new StringBuilder();
        for (double v : iterations) {
            raw.append(raw.length() == 0 ? "" : ", ").append(v);
        }
        return """
                { "benchmark" : "x.Bench.%s", "params" : %s,
                  "primaryMetric" : { "score" : 0, "rawData" : [ [ 1.0 ] ] },
                  "secondaryMetrics" : { "pairs" : { "score" : 0, "rawData" : [ [ %s ] ] } } }
                """.formatted(bench, params, raw);
    }

    private static String summary(Path dir, String... pairs) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Interleaved.summarise(dir, "pairs", List.of(pairs), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void pairsForksWithinEachRound(@TempDir Path dir) throws IOException {
        // rounds 1 and 2: one file per benchmark (bench/interleave's naming); round 3: one file for both
        Files.writeString(dir.resolve("round-01.1.json"), "[" + run("a", "{}", 2, 2) + "]");
        Files.writeString(dir.resolve("round-01.2.json"), "[" + run("b", "{}", 1, 1) + "]");
        Files.writeString(dir.resolve("round-02.1.json"), "[" + run("b", "{}", 2, 2) + "]");
        Files.writeString(dir.resolve("round-02.2.json"), "[" + run("a", "{}", 3, 5) + "]");
        Files.writeString(dir.resolve("round-03.json"), "[" + run("a", "{}", 3, 3) + "," + run("b", "{}", 1, 1) + "]");
        Files.writeString(dir.resolve("notes.json"), "not a round");
        String out = summary(dir, "a:b");
        assertTrue(out.contains("# 3 rounds"), out);
        // per round 2.00, 2.00, 3.00 (round 2: fork means 4 and 2); geometric mean (2 * 2 * 3)^(1/3) = 2.29
        assertTrue(out.matches("(?s).*\\n2 +4\\.000 +2\\.000 +2\\.00\\n.*"), out);
        assertTrue(out.contains("geometric mean 2.29x"), out);
        assertTrue(out.contains("median 2.00x, range 2.00x-3.00x"), out);
        // the pooled means: a (2+2+3+5+3+3)/6 = 3, b (1+1+2+2+1+1)/6 = 1.333
        assertTrue(out.contains("ratio of means 2.25x"), out);
    }

    @Test
    void pairsOnlyTheSameParameters(@TempDir Path dir) throws IOException {
        for (int r = 1; r <= 3; r++) {
            Files.writeString(dir.resolve("round-0" + r + ".json"), "[" + run("a", "{ \"n\" : \"1\" }", 6)
                    + "," + run("a", "{ \"n\" : \"2\" }", 8) + "," + run("b", "{ \"n\" : \"1\" }", 3)
                    + "," + run("b", "{ \"n\" : \"2\" }", 2) + "]");
        }
        String out = summary(dir, "a:b");
        assertTrue(out.contains("## a / b {n=1}") && out.contains("## a / b {n=2}"), out);
        assertTrue(out.contains("geometric mean 2.00x") && out.contains("geometric mean 4.00x"), out);
    }

    @Test
    void refusesWhatItCannotPair(@TempDir Path dir) throws IOException {
        assertThrows(IllegalArgumentException.class, () -> summary(dir, "a:b"));    // no rounds
        Files.writeString(dir.resolve("round-01.json"), "[" + run("a", "{}", 1) + "," + run("b", "{}", 1) + "]");
        assertThrows(IllegalArgumentException.class, () -> summary(dir, "a:c"));    // no such benchmark
        assertThrows(IllegalArgumentException.class, () -> summary(dir, "a-b"));    // not a pair
        Files.writeString(dir.resolve("round-02.json"), """
                [ { "benchmark" : "x.Bench.a", "secondaryMetrics" : { "pairs" : { "rawData" : [ [ 1 ], [ 2 ] ] } } } ]
                """);
        assertThrows(IllegalArgumentException.class, () -> summary(dir, "a:b"));    // two forks in one round
    }
}
