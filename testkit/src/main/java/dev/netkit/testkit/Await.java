package dev.netkit.testkit;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition: a liveness bound (60 s) against hangs, never a timing assertion. */
public final class Await {
    /** How long {@link #until} waits before it calls the condition lost. */
    public static final long LIMIT_NANOS = 60_000_000_000L;

    private Await() {
    }

    /**
     * Polls {@code condition} every 5 ms until it holds.
     *
     * @param condition what to wait for
     * @param what describes the condition, for the failure message
     * @throws AssertionError if it does not hold within {@link #LIMIT_NANOS}, or the wait is interrupted
     */
    public static void until(BooleanSupplier condition, Supplier<String> what) {
        long end = System.nanoTime() + LIMIT_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("condition never held: " + what.get());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
