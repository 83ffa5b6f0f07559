package dev.netkit.padding.internal;

/**
 * The hashes netkit uses to spread threads over stripes. For netkit's own modules only (the package is
 * exported to them alone); not a supported API.
 */
public final class Hashing {
    private Hashing() {
    }

    /**
     * Fibonacci hashing of a 64-bit id (a thread id, a carrier id) folded to 32 bits: consecutive ids land
     * far apart in the low bits that a stripe mask keeps.
     *
     * @param id any value
     * @return a well-mixed 32-bit hash, possibly 0
     */
    public static int mix(long id) {
        long h = id * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /**
     * {@link #mix(long)}, but never 0, for callers that keep 0 to mean "no hash yet".
     *
     * @param id any value
     * @return a well-mixed, non-zero 32-bit hash
     */
    public static int mixNonZero(long id) {
        int x = mix(id);
        return x == 0 ? 1 : x;
    }
}
