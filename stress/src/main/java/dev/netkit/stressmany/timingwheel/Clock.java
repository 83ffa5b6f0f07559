package dev.netkit.stressmany.timingwheel;

import java.util.function.LongSupplier;

/** A fake clock for manual-mode timers: set by the test state, read by the timer (volatile). */
final class Clock implements LongSupplier {
    /** 1 ms. */
    static final long TICK = 1_000_000L;
    volatile long now;

    @Override
    public long getAsLong() {
        return now;
    }
}
