package dev.netkit.timingwheel;

import static org.junit.jupiter.api.Assertions.fail;

import dev.netkit.testkit.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded model test of {@link WheelTimer} in manual mode with a fake clock, against a {@code PriorityQueue}
 * of (deadline, id): random newTimeout (tasks that sometimes schedule or cancel others), cancel of live and
 * finished timeouts, clock steps and advance. Checks: every task runs at most once and never before its
 * delay; after each advance no live timeout is a tick or more overdue; cancel returns true exactly for
 * timeouts that had not run; pendingTimeouts() equals the model's count; stop() returns exactly the
 * timeouts still pending. The clock starts near {@code Long.MAX_VALUE} so it crosses the sign wrap.
 * Seeds: {@link Seeds} (fixed plus a fresh one; {@code -Dnetkit.seed=N} runs only N).
 */
class WheelTimerModelTest {

    static LongStream seeds() {
        return Seeds.seeds(1, 2, 3, 42);
    }

    static final class Item {
        final int id;
        final long deadline;
        Timeout timeout;
        boolean ran;
        boolean cancelled;

        Item(int id, long deadline) {
            this.id = id;
            this.deadline = deadline;
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void matchesModel(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long tick = 1_000_000L;
        long start = Long.MAX_VALUE - 500 * tick;
        AtomicLong clock = new AtomicLong(start);
        WheelTimer timer = WheelTimer.manual(clock::get, tick, 0);
        List<Item> items = new ArrayList<>();
        PriorityQueue<Item> queue = new PriorityQueue<>((a, b) -> Long.compare(a.deadline - start, b.deadline - start));
        int[] live = {0};
        String ctx = "seed " + seed + " (replay with -D" + Seeds.PROPERTY + "=" + seed + ")";

        class Ops {
            void schedule(long delayNanos) {
                Item it = new Item(items.size(), clock.get() + Math.max(0, delayNanos));
                items.add(it);
                queue.add(it);
                live[0]++;
                it.timeout = timer.newTimeout(() -> run(it), delayNanos, TimeUnit.NANOSECONDS);
            }

            void run(Item it) {
                if (it.ran || it.cancelled) {
                    fail(ctx + ": task " + it.id + " ran twice or after cancel");
                }
                if (clock.get() - it.deadline < 0) {
                    fail(ctx + ": task " + it.id + " ran early");
                }
                it.ran = true;
                live[0]--;
                int r = rnd.nextInt(10);
                if (r == 0) {
                    schedule(rnd.nextLong(-tick, 30 * tick));
                } else if (r == 1) {
                    cancel(items.get(rnd.nextInt(items.size())));
                }
            }

            void cancel(Item it) {
                boolean expected = !it.ran && !it.cancelled;
                boolean ok = it.timeout.cancel();
                if (ok != expected) {
                    fail(ctx + ": cancel of " + it.id + " returned " + ok + ", expected " + expected);
                }
                if (ok) {
                    it.cancelled = true;
                    live[0]--;
                }
            }
        }
        Ops ops = new Ops();
        for (int step = 0; step < 4_000; step++) {
            int r = rnd.nextInt(10);
            if (r < 4) {
                ops.schedule(rnd.nextInt(8) == 0 ? -5 : rnd.nextLong(0, 200 * tick));
            } else if (r < 6 && !items.isEmpty()) {
                ops.cancel(items.get(rnd.nextInt(items.size())));
            } else {
                clock.addAndGet(rnd.nextLong(0, 5 * tick));
                timer.advance();
                Item min;
                while ((min = queue.peek()) != null && (min.ran || min.cancelled)) {
                    queue.poll();
                }
                if (min != null && clock.get() - min.deadline >= tick) {
                    fail(ctx + " step " + step + ": timeout " + min.id + " a tick or more overdue after advance");
                }
            }
            if (timer.pendingTimeouts() != live[0]) {
                fail(ctx + " step " + step + ": pendingTimeouts " + timer.pendingTimeouts() + " != " + live[0]);
            }
        }
        var left = timer.stop();
        long stillLive = items.stream().filter(i -> !i.ran && !i.cancelled).count();
        if (left.size() != stillLive) {
            fail(ctx + ": stop returned " + left.size() + ", model has " + stillLive + " pending");
        }
        for (Item it : items) {
            if (!it.ran && !it.cancelled && !left.contains(it.timeout)) {
                fail(ctx + ": pending timeout " + it.id + " not returned by stop");
            }
        }
        if (timer.pendingTimeouts() != 0) {
            fail(ctx + ": pendingTimeouts " + timer.pendingTimeouts() + " after stop");
        }
    }
}
