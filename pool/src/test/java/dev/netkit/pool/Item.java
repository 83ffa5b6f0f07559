package dev.netkit.pool;

import java.util.concurrent.atomic.AtomicLong;

/** A pooled test object with a serial number and a payload the reset hook clears. */
final class Item extends Pooled {
    static final AtomicLong SERIALS = new AtomicLong();
    final long serial = SERIALS.incrementAndGet();
    int payload;
    int resets;

    @Override
    public String toString() {
        return "item" + serial;
    }
}
