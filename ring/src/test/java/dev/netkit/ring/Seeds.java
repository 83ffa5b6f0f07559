package dev.netkit.ring;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

/**
 * Seeds for the randomized tests: {@code -Dring.seed=1,2,3} replays exactly those seeds; otherwise a fixed
 * list plus one fresh seed per run, which every failure message prints.
 */
final class Seeds {
    private Seeds() {
    }

    static LongStream seeds(long... fixed) {
        String prop = System.getProperty("ring.seed");
        if (prop != null && !prop.isBlank()) {
            return java.util.Arrays.stream(prop.split(",")).mapToLong(s -> Long.parseLong(s.trim()));
        }
        List<Long> all = new ArrayList<>();
        for (long f : fixed) {
            all.add(f);
        }
        all.add(System.nanoTime());
        return all.stream().mapToLong(Long::longValue);
    }
}
