package dev.netkit.bench.charts;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Turns}: pairs the k-th turn of one counter with the k-th turn of the other, fork by fork. */
class TurnsTest {

    private static String summary(Path file, String a, String b) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Turns.summarise(file, a, b, new PrintStream(bytes, true, StandardCharsets.UTF_8));
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
                      "z" : { "rawData" : [ [ 0, 0, 2, 0, 0, 2 ], [ 0, 0, 3, 0, 0, 3 ], [ 0, 0, 1, 0, 0, 1 ] ] } } } ]
                """);
        String out = summary(file, "x", "z");
        // fork 1: ratios 2 and 4, geometric mean 2.83; fork 2: 3; fork 3: 1
        assertTrue(out.matches("(?s).*\\n1 +2 +6\\.000 +2\\.000 +2\\.83\\n.*"), out);
        assertTrue(out.matches("(?s).*\\n2 +2 +9\\.000 +3\\.000 +3\\.00\\n.*"), out);
        // over forks: exp(mean(ln 2.83, ln 3, ln 1)) = (2.83 * 3 * 1)^(1/3) = 2.04
        assertTrue(out.contains("geometric mean 2.04x"), out);
        assertTrue(out.contains("median 2.83x, range 1.00x-3.00x"), out);
        // each counter's mean over its own turns only: x (4+8+9+9+1+1)/6 = 5.33, z (2+2+3+3+1+1)/6 = 2
        assertTrue(out.contains("x 5.333, z 2.000, ratio of means 2.67x"), out);
    }

    @Test
    void refusesMissingCountersAndForksWithoutBothTurns(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("r.json");
        Files.writeString(file, """
                [ { "benchmark" : "b.T.turns",
                    "secondaryMetrics" : { "x" : { "rawData" : [ [ 1, 0 ] ] }, "y" : { "rawData" : [ [ 0, 0 ] ] } } } ]
                """);
        assertThrows(IllegalArgumentException.class, () -> summary(file, "x", "nope"));
        assertThrows(IllegalArgumentException.class, () -> summary(file, "x", "y"));
    }
}
