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

/** {@link Turns}: pairs the k-th turn of one counter with the k-th turn of the other, fork by fork. */
class TurnsTest {

    private static String summary(List<Path> files, String a, String b) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Turns.summarise(files, a, b, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void pairsTurnsWithinEachFork(@TempDir Path dir) throws IOException {
        // three structures in turns (x, y, z); three forks of two cycles each
        Path file = dir.resolve("r.json");
        Files.writeString(file, """
                [ { "benchmark" : "b.T.turns", "params" : { "size" : "64" },
                    "secondaryMetrics" : {
                      "x" : { "rawData" : [ [ 4, 0, 0, 8, 0, 0 ], [ 9, 0, 0, 9, 0, 0 ], [ 1, 0, 0, 1, 0, 0 ] ] },
                      "y" : { "rawData" : [ [ 0, 5, 0, 0, 5, 0 ], [ 0, 3, 0, 0, 3, 0 ], [ 0, 7, 0, 0, 7, 0 ] ] },
                      "z" : { "rawData" : [ [ 0, 0, 2, 0, 0, 4 ], [ 0, 0, 3, 0, 0, 3 ], [ 0, 0, 1, 0, 0, 1 ] ] } } } ]
                """);
        String out = summary(List.of(file), "x", "z");
        // fork 1: turns 4/2 and 8/4, ratio 2 (pairing the k-th turns: 4/2 and 8/2 would give 2.83); fork 2: 3; fork 3: 1
        assertTrue(out.matches("(?s).*\\n1 +2 +6\\.000 +3\\.000 +2\\.00\\n.*"), out);
        assertTrue(out.matches("(?s).*\\n2 +2 +9\\.000 +3\\.000 +3\\.00\\n.*"), out);
        // over forks: (2 * 3 * 1)^(1/3) = 1.82
        assertTrue(out.contains("geometric mean 1.82x"), out);
        assertTrue(out.contains("median 2.00x, range 1.00x-3.00x"), out);
        // each counter's mean over its own turns only: x (4+8+9+9+1+1)/6 = 5.33, z (2+4+3+3+1+1)/6 = 2.33
        assertTrue(out.contains("x 5.333, z 2.333, ratio of means 2.29x"), out);
    }

    @Test
    void poolsTheForksOfSeveralFilesInOrder(@TempDir Path dir) throws IOException {
        Path first = dir.resolve("a.json");
        Path second = dir.resolve("b.json");
        Files.writeString(first, """
                [ { "benchmark" : "b.T.turns", "params" : { "size" : "64" },
                    "secondaryMetrics" : { "x" : { "rawData" : [ [ 4, 0 ], [ 9, 0 ] ] },
                                           "y" : { "rawData" : [ [ 0, 2 ], [ 0, 3 ] ] } } } ]
                """);
        Files.writeString(second, """
                [ { "benchmark" : "b.T.turns", "params" : { "size" : "64" },
                    "secondaryMetrics" : { "x" : { "rawData" : [ [ 5, 0 ] ] }, "y" : { "rawData" : [ [ 0, 5 ] ] } } },
                  { "benchmark" : "b.T.turns", "params" : { "size" : "128" },
                    "secondaryMetrics" : { "x" : { "rawData" : [ [ 6, 0 ] ] }, "y" : { "rawData" : [ [ 0, 2 ] ] } } } ]
                """);
        String out = summary(List.of(first, second), "x", "y");
        // size 64: forks 1-2 from the first file (ratios 2, 3), fork 3 from the second (1): (2 * 3 * 1)^(1/3)
        assertTrue(out.contains("# forks 1-2: " + first), out);
        assertTrue(out.contains("# forks 3-3: " + second), out);
        assertTrue(out.matches("(?s).*\\n3 +1 +5\\.000 +5\\.000 +1\\.00\\n.*"), out);
        assertTrue(out.contains("geometric mean 1.82x"), out);
        // size 128 is its own benchmark, with one fork of ratio 3
        assertTrue(out.matches("(?s).*## b\\.T\\.turns \\{size=128\\}\\n# forks 1-1: .*\\n1 +1 +6\\.000 +2\\.000 +3\\.00\\n.*"),
                out);
    }

    @Test
    void refusesMissingCountersAndForksWithoutBothTurns(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("r.json");
        Files.writeString(file, """
                [ { "benchmark" : "b.T.turns",
                    "secondaryMetrics" : { "x" : { "rawData" : [ [ 1, 0 ] ] }, "y" : { "rawData" : [ [ 0, 0 ] ] } } } ]
                """);
        assertThrows(IllegalArgumentException.class, () -> summary(List.of(file), "x", "nope"));
        assertThrows(IllegalArgumentException.class, () -> summary(List.of(file), "x", "y"));
    }
}
