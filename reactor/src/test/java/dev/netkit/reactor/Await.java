package dev.netkit.reactor;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition: a liveness bound (60 s) against hangs, never a timing assertion. */
final class Await {
    private Await() {
    }

    static void until(BooleanSupplier condition, Supplier<String> what) {
        long end = System.nanoTime() + 60_000_000_000L;
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

    static long seed() {
        String s = System.getProperty("netkit.seed");
        return s != null ? Long.parseLong(s) : System.nanoTime();
    }
}
