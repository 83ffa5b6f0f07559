package dev.netkit.bench.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parsers behind {@link Charts}, and every value the committed charts draw present in bench/results. */
class ChartsTest {

    @Test
    void jsonReadsWhatJmhWrites() {
        Object parsed = Json.parse("""
                [ { "benchmark" : "a.B.m", "params" : { "size" : "64" },
                    "primaryMetric" : { "score" : 1.5E3, "scoreError" : "NaN", "scoreUnit" : "ops/s" },
                    "secondaryMetrics" : { "received" : { "score" : -2, "scoreError" : 0.25 } },
                    "flags" : [ true, false, null ], "text" : "a\\"b\\u0041" } ]
                """);
        Map<?, ?> run = (Map<?, ?>) ((List<?>) parsed).get(0);
        assertEquals(1500.0, Json.number(((Map<?, ?>) run.get("primaryMetric")).get("score")));
        assertTrue(Double.isNaN(Json.number(((Map<?, ?>) run.get("primaryMetric")).get("scoreError"))));
        assertEquals(java.util.Arrays.asList(true, false, null), run.get("flags"));
        assertEquals("a\"bA", run.get("text"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1, 2"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{} x"));
    }

    @Test
    void jmhValuesByMethodParamsAndMetric(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("r.json"), """
                [ { "benchmark" : "x.Bench.ring", "params" : { "size" : "64" },
                    "primaryMetric" : { "score" : 10.0, "scoreError" : 1.0 },
                    "secondaryMetrics" : { "received" : { "score" : 4.0, "scoreError" : 0.5 } } },
                  { "benchmark" : "x.Bench.ring", "params" : { "size" : "1024" },
                    "primaryMetric" : { "score" : 20.0, "scoreError" : "NaN" } } ]
                """);
        Results results = new Results(dir);
        assertEquals(new Results.Value(10, 1), results.jmh("r.json", "ring", Map.of("size", "64"), null));
        assertEquals(new Results.Value(4, 0.5), results.jmh("r.json", "ring", Map.of("size", "64"), "received"));
        // a NaN error (one fork, one iteration) is drawn without whiskers
        assertEquals(new Results.Value(20, 0), results.jmh("r.json", "ring", Map.of("size", "1024"), null));
        assertThrows(IllegalArgumentException.class, () -> results.jmh("r.json", "ring", Map.of("size", "8"), null));
        assertThrows(IllegalArgumentException.class, () -> results.jmh("r.json", "rin", Map.of(), null));
        assertThrows(IllegalArgumentException.class, () -> results.jmh("r.json", "ring", Map.of(), "sent"));
    }

    @Test
    void interleavedRoundsPoolEveryIteration(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("il"));
        Files.writeString(dir.resolve("il/round-01.1.json"), """
                [ { "benchmark" : "x.B.netkit", "secondaryMetrics" : { "pairs" : { "rawData" : [ [ 1.0, 3.0 ] ] } } } ]
                """);
        Files.writeString(dir.resolve("il/round-02.json"), """
                [ { "benchmark" : "x.B.netkit", "secondaryMetrics" : { "pairs" : { "rawData" : [ [ 5.0, 7.0 ] ] } } },
                  { "benchmark" : "x.B.peer", "secondaryMetrics" : { "pairs" : { "rawData" : [ [ 100.0 ] ] } } } ]
                """);
        Files.writeString(dir.resolve("il/README.txt"), "not a round");
        Results results = new Results(dir);
        Results.Value v = results.rounds("il", "netkit", "pairs");
        assertEquals(4.0, v.score(), 1e-9);          // (1 + 3 + 5 + 7) / 4
        assertTrue(v.error() > 0);
        assertThrows(IllegalArgumentException.class, () -> results.rounds("il", "netkit", "nope"));
        assertThrows(IllegalArgumentException.class, () -> results.rounds("il", "absent", "pairs"));
    }

    @Test
    void reactorScriptsOutput(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("idle"));
        Files.writeString(dir.resolve("idle/README.txt"), """
                reactor-idle: 10000 idle connections held 10 s, kinds: netkit netty-nio (2 cores)
                == summary: 10000 idle connections
                kind         opened                 answering                  RSS/conn       RSS at 100k
                netkit       10,000 of 10,000       10,000 before the hold, 10,000 after 10 s 2.11 KB        269.4 MiB
                netty-nio    10,000 of 10,000       10,000 before the hold, 10,000 after 10 s 5.34 KB        576.8 MiB
                """);
        Files.writeString(dir.resolve("a.csv"), "connections,msgsPerSecond\n1000,3\n1000,1\n1000,2\n");
        Files.writeString(dir.resolve("t.txt"), """
                structure              live    total bytes bytes/entry
                Object[] (the floor)   1,000,000      4,000,016        4.00
                """);
        Results results = new Results(dir);
        assertEquals(Map.of("netkit", 2.11, "netty-nio", 5.34), results.idleKbPerConnection("idle"));
        assertEquals(Map.of("netkit", Map.of(10_000, 2.11), "netty-nio", Map.of(10_000, 5.34)),
                Charts.idleMedians(results, List.of("idle"), ""));
        assertEquals(2.0, Charts.median(results.csv("a.csv"), "msgsPerSecond"));
        assertEquals(4.0, results.textColumn("t.txt", "Object[] (the floor)", 2));
        assertEquals(4_000_016.0, results.textColumn("t.txt", "Object[] (the floor)", 1));
    }

    @Test
    void everyChartedValueIsInBenchResults() {
        // surefire runs in bench/: the committed results the charts (and the READMEs' tables) cite
        assertEquals(List.of(), Charts.problems(new Results(Path.of("results"))));
    }
}
