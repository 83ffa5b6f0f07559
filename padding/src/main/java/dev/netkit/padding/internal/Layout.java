package dev.netkit.padding.internal;

/**
 * The padding distances netkit's padded arrays use (the rule behind them is in {@code dev.netkit.padding}'s
 * package documentation). For netkit's own modules only (the package is exported to them alone); not a
 * supported API.
 */
public final class Layout {
    private Layout() {
    }

    /**
     * Bytes kept free between two independently written fields: two 64-byte lines, because the
     * adjacent-line prefetcher of Intel cores pulls lines in 128-byte pairs.
     */
    public static final int PAD_BYTES = 128;

    /** {@code long}s in {@link #PAD_BYTES}. */
    public static final int PAD_LONGS = PAD_BYTES / Long.BYTES;

    /** {@code int}s in {@link #PAD_BYTES}. */
    public static final int PAD_INTS = PAD_BYTES / Integer.BYTES;

    /**
     * References in {@link #PAD_BYTES} at their smallest (compressed, 4 bytes); with 8-byte references the
     * same count pads 256 bytes, more than needed, never less.
     */
    public static final int PAD_REFS = PAD_BYTES / 4;
}
