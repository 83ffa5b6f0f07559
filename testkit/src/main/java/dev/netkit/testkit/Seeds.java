package dev.netkit.testkit;

import java.util.Arrays;
import java.util.stream.LongStream;

/**
 * Seeds for netkit's randomized tests, from one system property for every module: {@code -Dnetkit.seed=1,2,3}
 * replays exactly those seeds; otherwise a test gets its fixed seeds plus one fresh seed per run. A failing
 * test prints the seed it ran with, so that the run can be replayed.
 */
public final class Seeds {
    /** The system property that names the seeds to replay. */
    public static final String PROPERTY = "netkit.seed";

    private Seeds() {
    }

    /**
     * The seeds a randomized test runs with.
     *
     * @param fixed seeds every run uses (cases once found interesting)
     * @return the seeds of {@code -Dnetkit.seed} if given, else {@code fixed} and one fresh seed
     */
    public static LongStream seeds(long... fixed) {
        long[] given = given();
        if (given != null) {
            return Arrays.stream(given);
        }
        return LongStream.concat(Arrays.stream(fixed), LongStream.of(System.nanoTime()));
    }

    /**
     * One seed, for a test that runs a single randomized case.
     *
     * @return the first seed of {@code -Dnetkit.seed} if given, else a fresh one
     */
    public static long seed() {
        long[] given = given();
        return given != null ? given[0] : System.nanoTime();
    }

    private static long[] given() {
        String prop = System.getProperty(PROPERTY);
        if (prop == null || prop.isBlank()) {
            return null;
        }
        try {
            return Arrays.stream(prop.split(",")).map(String::trim).mapToLong(Long::parseLong).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + " takes comma-separated longs, not: " + prop, e);
        }
    }
}
