package dev.netkit.timingwheel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.vm.VM;

/**
 * Bytes per pending timer at 1,000,000 timers, measured with JOL ({@link GraphLayout#totalSize()}: the
 * shallow sizes of every object reachable from the structure, on the running JVM). All timers share one
 * payload (or task) object, which is subtracted, so what remains is the structure's own cost.
 *
 * <p>Design: per timer a {@code long} (links + generation), an {@code int} (deadline tick) and a reference
 * (payload): 16 bytes with compressed references. The arrays grow by half, so after growth by inserts up
 * to 1.5x the live timers' slots are allocated; with a capacity hint they are exact.
 */
class TimingWheelMemoryTest {

    static final int N = 1_000_000;
    static final long MS = 1_000_000L;

    static double perTimer(Object structure, Object shared, int n) {
        return (double) (GraphLayout.parseInstance(structure).totalSize() - VM.current().sizeOf(shared)) / n;
    }

    @Test
    void sixteenBytesPerPendingTimerIncludingAfterABurst() {
        long slot = 8 + 4 + VM.current().arrayIndexScale("object");
        Object p = new Object();

        TimingWheel<Object> sized = new TimingWheel<>(0, MS, 6, 5, N);
        for (int i = 0; i < N; i++) {
            sized.schedule((i % 600_000) * MS, p);      // spread over 10 minutes
        }
        double exact = perTimer(sized, p, N);

        TimingWheel<Object> grown = new TimingWheel<>(0, MS);
        for (int i = 0; i < N; i++) {
            grown.schedule((i % 600_000) * MS, p);
        }
        double grownBytes = perTimer(grown, p, N);

        TimingWheel<Object> burst = new TimingWheel<>(0, MS, 6, 5, N);
        for (int i = 0; i < N; i++) {
            burst.schedule(5 * MS, p);                  // all in one tick, one slot
        }
        double burstBytes = perTimer(burst, p, N);
        // after the burst expired and 1M spread timers were scheduled again: nothing grew
        burst.poll(5 * MS, (h, x) -> { }, Integer.MAX_VALUE);
        for (int i = 0; i < N; i++) {
            burst.schedule((10 + i % 600_000) * MS, p);
        }
        double afterBurst = perTimer(burst, p, N);

        System.out.printf("[TimingWheelMemoryTest] JOL, %d-byte slot fields: 1M timers: %.3f B/timer with a capacity"
                        + " hint, %.3f B/timer grown from 1,024, %.3f B/timer as a one-tick burst, %.3f B/timer after the"
                        + " burst expired and 1M were rescheduled%n", slot, exact, grownBytes, burstBytes, afterBurst);
        assertTrue(exact <= slot * 1.01, "sized: " + exact);
        assertTrue(burstBytes <= slot * 1.01, "burst: " + burstBytes);
        assertTrue(afterBurst <= slot * 1.01, "after burst: " + afterBurst);
        assertTrue(grownBytes <= slot * 1.51, "grown: " + grownBytes);
    }

    @Test
    void wheelTimerCostsTimeoutPlusSlotPerPendingTimeout() {
        AtomicLong clock = new AtomicLong();
        WheelTimer timer = WheelTimer.manual(clock::get, MS, 0);
        Runnable task = () -> { };
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            timer.newTimeout(task, 1 + i % 600_000, TimeUnit.MILLISECONDS);
        }
        timer.advance();                                 // moves them from the queue into the wheel
        assertEquals(n, timer.pendingTimeouts());
        double per = perTimer(timer, task, n);
        long timeout = VM.current().sizeOf(timer.newTimeout(task, 1, TimeUnit.HOURS));
        System.out.printf("[TimingWheelMemoryTest] JOL: WheelTimer %.2f B per pending timeout (Timeout object %d B)%n",
                per, timeout);
        assertTrue(per <= timeout + 16 * 1.51 + 1, "per timeout " + per);
    }
}
