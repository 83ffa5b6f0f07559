package dev.netkit.ring;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;

/**
 * JOL, on the JVM the build runs on: the producers' fields and the consumer's fields of the two concurrent
 * rings each sit in their own region, with at least 128 bytes (two cache lines) between either group and
 * any other field or the object header; only pad bytes are in between.
 */
class RingLayoutTest {
    static final int REGION = 128;

    static void check(Class<?> type, Set<String> producer, Set<String> consumer) {
        ClassLayout layout = ClassLayout.parseClass(type);
        List<FieldLayout> real = layout.fields().stream().filter(f -> !f.typeClass().equals("byte")).toList();
        for (Set<String> group : List.of(producer, consumer)) {
            long start = real.stream().filter(f -> group.contains(f.name())).mapToLong(FieldLayout::offset).min()
                    .orElseThrow();
            long end = real.stream().filter(f -> group.contains(f.name())).mapToLong(f -> f.offset() + f.size())
                    .max().orElseThrow();
            String where = type.getSimpleName() + " group " + group + " at [" + start + ", " + end + ")\n"
                    + layout.toPrintable();
            assertTrue(start >= REGION, "header too close: " + where);
            for (FieldLayout f : real) {
                if (group.contains(f.name())) {
                    continue;
                }
                long fEnd = f.offset() + f.size();
                assertTrue(fEnd + REGION <= start || f.offset() >= end + REGION,
                        f.name() + " at " + f.offset() + " within " + REGION + " bytes of " + where);
            }
        }
    }

    @Test
    void spscIndicesAreAlone() {
        check(SpscByteRing.class, Set.of("tail", "headCache"), Set.of("head", "tailCache"));
    }

    @Test
    void mpscIndicesAreAlone() {
        check(MpscFrameRing.class, Set.of("tail", "headCache"),
                Set.of("head", "scan", "holes", "peeked", "blockedAt", "blockedSince", "reclaimed"));
    }
}
