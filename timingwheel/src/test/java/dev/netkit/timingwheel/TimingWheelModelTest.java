package dev.netkit.timingwheel;

import static org.junit.jupiter.api.Assertions.fail;

import dev.netkit.testkit.Seeds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded model-based test: random schedule, cancel, touch and poll sequences (with a fake clock) on a
 * {@link TimingWheel} and on a reference, a {@code PriorityQueue} of timers ordered by deadline
 * (wrap-safe: by {@code deadline - start}) plus a map from handle to timer.
 *
 * <p>Checked at every step: each expiry is of a pending timer, exactly once, never before its deadline
 * ({@code now - deadline >= 0}); after each complete poll (one that returned less than its limit) no
 * pending timer is a tick or more overdue ({@code now - deadline < tick}), and every timer scheduled not
 * after the previous poll's {@code now} has expired; cancel and touch answer true exactly for pending
 * handles and a stale handle changes nothing; {@code size()} matches; {@code nextDeadline()} is never
 * later than the earliest deadline rounded up to its tick
 * (or, for a deadline in the past, than the last poll's {@code now}). In the reentrant configurations the handler
 * itself schedules (also in the past) and cancels timers. Clocks start at 0, near {@code Long.MAX_VALUE}
 * (they cross the sign wrap), near {@code Long.MIN_VALUE}, and at a negative value; ticks are powers of two
 * and not; geometries range from 2 levels of 4 slots (a 16-tick horizon: constant overflow and cascading)
 * to the default.
 *
 * <p>Seeds: {@link Seeds} (a fixed list plus a fresh one per configuration; {@code -Dnetkit.seed=N,M} runs only
 * those). Every failure names the configuration, seed and step.
 */
class TimingWheelModelTest {

    static final long[] FIXED_SEEDS = {1L, 2L, 3L, 42L, 0xDEADBEEFL};

    record Config(String name, long start, long tick, int bits, int levels, int steps, boolean reentrant) {
        long horizonNanos() {
            return tick << (bits * levels);
        }
    }

    static final List<Config> CONFIGS = List.of(
            new Config("default-1ms", 0L, 1_000_000L, 6, 5, 6_000, false),
            new Config("tiny", 0L, 10L, 2, 2, 8_000, false),
            new Config("tiny-reentrant", 5L, 16L, 2, 2, 8_000, true),
            new Config("wrap-max", Long.MAX_VALUE - 3_000_000L, 1_000L, 3, 3, 8_000, false),
            new Config("wrap-max-reentrant", Long.MAX_VALUE - 50_000L, 64L, 2, 3, 8_000, true),
            new Config("near-min", Long.MIN_VALUE + 7L, 7L, 4, 3, 8_000, false),
            new Config("negative-pow2", -123_456_789L, 1L << 20, 6, 5, 6_000, true),
            new Config("one-level", 0L, 3L, 3, 1, 6_000, true));

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Config c : CONFIGS) {
            Seeds.seeds(FIXED_SEEDS).forEach(s -> out.add(Arguments.of(c, s)));
        }
        return out.stream();
    }

    static final class Timer {
        final long handle;
        final int id;
        long deadline;
        boolean gone;

        Timer(long handle, int id, long deadline) {
            this.handle = handle;
            this.id = id;
            this.deadline = deadline;
        }
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void matchesPriorityQueueModel(Config c, long seed) {
        new Run(c, seed).run();
    }

    static final class Run {
        final Config c;
        final long seed;
        final SplittableRandom rnd;
        final TimingWheel<Integer> wheel;
        final PriorityQueue<Timer> queue;
        final Map<Long, Timer> live = new HashMap<>();
        final Map<Integer, Timer> byId = new HashMap<>();
        final List<Long> issued = new ArrayList<>();
        final Set<Timer> mustFireNextPoll = new HashSet<>();
        long now;
        long lastPolledNow;
        int nextId;
        int step;
        String op = "";

        Run(Config c, long seed) {
            this.c = c;
            this.seed = seed;
            this.rnd = new SplittableRandom(seed);
            this.wheel = new TimingWheel<>(c.start, c.tick, c.bits, c.levels, rnd.nextInt(4) == 0 ? 0 : 64);
            long start = c.start;
            this.queue = new PriorityQueue<>((a, b) -> Long.compare(a.deadline - start, b.deadline - start));
            this.now = c.start;
            this.lastPolledNow = c.start;
        }

        void check(boolean ok, String what) {
            if (!ok) {
                fail(c + " seed " + seed + " step " + step + " op " + op + ": " + what
                        + " (now " + now + ", pending " + live.size() + "; replay with -D" + Seeds.PROPERTY + "=" + seed + ")");
            }
        }

        long randomOffset() {
            long t = c.tick;
            int r = rnd.nextInt(100);
            if (r < 8) {
                return -rnd.nextLong(1, 100 * t);
            }
            if (r < 14) {
                return 0;
            }
            if (r < 55) {
                return rnd.nextLong(0, 8 * t + 1);
            }
            if (r < 85) {
                return rnd.nextLong(0, 2 * c.horizonNanos());
            }
            if (r < 97) {
                return rnd.nextLong(0, 64 * c.horizonNanos());
            }
            return rnd.nextLong(0, 1L << 50);
        }

        long schedule(long deadline) {
            int id = nextId++;
            long h = wheel.schedule(deadline, id);
            check(h != TimingWheel.NO_HANDLE, "NO_HANDLE returned");
            check(!live.containsKey(h), "handle " + h + " issued twice while live");
            Timer t = new Timer(h, id, deadline);
            live.put(h, t);
            byId.put(id, t);
            queue.add(t);
            issued.add(h);
            if (deadline - lastPolledNow <= 0) {
                mustFireNextPoll.add(t);
            }
            return h;
        }

        void remove(Timer t) {
            t.gone = true;
            live.remove(t.handle);
            byId.remove(t.id);
            mustFireNextPoll.remove(t);
        }

        long randomIssued() {
            if (issued.isEmpty() || rnd.nextInt(20) == 0) {
                return rnd.nextInt(10) == 0 ? TimingWheel.NO_HANDLE : rnd.nextLong();
            }
            return issued.get(rnd.nextInt(issued.size()));
        }

        void cancel(long h) {
            Timer t = live.get(h);
            boolean ok = wheel.cancel(h);
            check(ok == (t != null), "cancel(" + h + ") = " + ok + ", model pending " + (t != null));
            if (t != null) {
                remove(t);
            }
        }

        void onExpiry(long h, Integer id) {
            Timer t = byId.get(id);
            check(t != null, "expired timer " + id + " is not pending (fired twice, or cancelled)");
            check(t.handle == h, "expired handle " + h + " != scheduled " + t.handle);
            check(now - t.deadline >= 0, "timer " + id + " expired early: deadline " + t.deadline);
            remove(t);
            if (c.reentrant) {
                int r = rnd.nextInt(10);
                if (r < 3) {
                    schedule(now + rnd.nextLong(-3 * c.tick, 20 * c.tick));
                } else if (r < 5) {
                    cancel(randomIssued());
                } else if (r < 6 && !live.isEmpty()) {
                    touch(randomIssued());
                }
            }
        }

        void touch(long h) {
            Timer t = live.get(h);
            long deadline = now + randomOffset();
            boolean ok = wheel.touch(h, deadline);
            check(ok == (t != null), "touch(" + h + ") = " + ok + ", model pending " + (t != null));
            if (t != null) {
                queue.remove(t);
                t.deadline = deadline;
                queue.add(t);
                mustFireNextPoll.remove(t);
                if (deadline - lastPolledNow <= 0) {
                    mustFireNextPoll.add(t);
                }
            }
        }

        void poll() {
            int r = rnd.nextInt(100);
            long adv;
            if (r < 45) {
                adv = rnd.nextLong(0, 2 * c.tick + 1);
            } else if (r < 80) {
                adv = rnd.nextLong(0, 100 * c.tick);
            } else if (r < 97) {
                adv = rnd.nextLong(0, 2 * c.horizonNanos());
            } else {
                adv = rnd.nextLong(0, 100 * c.horizonNanos());
            }
            now += adv;
            int limit = rnd.nextInt(4) == 0 ? Integer.MAX_VALUE : rnd.nextInt(1, 40);
            int n;
            int rounds = 0;
            do {
                n = wheel.poll(now, this::onExpiry, limit);
                check(n >= 0 && n <= limit, "poll returned " + n + " with limit " + limit);
                check(rounds++ < 1_000_000, "poll never finishes");
            } while (n == limit);
            lastPolledNow = now;
            check(mustFireNextPoll.isEmpty(), mustFireNextPoll.size() + " timers due at schedule did not expire");
            Timer min = peek();
            if (min != null) {
                check(now - min.deadline < c.tick,
                        "timer " + min.id + " a tick or more overdue after a complete poll: deadline " + min.deadline);
            }
        }

        Timer peek() {
            Timer t;
            while ((t = queue.peek()) != null && t.gone) {
                queue.poll();
            }
            return t;
        }

        void run() {
            for (step = 0; step < c.steps; step++) {
                int r = rnd.nextInt(100);
                if (r < 40) {
                    op = "schedule";
                    schedule(now + randomOffset());
                } else if (r < 55) {
                    op = "cancel";
                    cancel(randomIssued());
                } else if (r < 68) {
                    op = "touch";
                    touch(randomIssued());
                } else {
                    op = "poll";
                    poll();
                }
                check(wheel.size() == live.size(), "size " + wheel.size() + " != model " + live.size());
                Timer min = peek();
                if (min != null) {
                    long next = wheel.nextDeadline();
                    boolean pastAndDue = min.deadline - lastPolledNow <= 0 && next - lastPolledNow <= 0;
                    check(next - min.deadline < c.tick || pastAndDue,
                            "nextDeadline " + next + " later than earliest deadline " + min.deadline + "'s tick");
                    check(wheel.nextDelayNanos(now) >= 0, "negative delay");
                } else {
                    check(wheel.isEmpty() && wheel.nextDelayNanos(now) == Long.MAX_VALUE, "empty wheel");
                }
                if (step % 500 == 0) {
                    for (long h : issued.subList(Math.max(0, issued.size() - 50), issued.size())) {
                        check(wheel.isPending(h) == live.containsKey(h), "isPending(" + h + ")");
                    }
                }
            }
            // drain: everything fires exactly once, eventually
            op = "drain";
            int guard = 0;
            while (!live.isEmpty()) {
                Timer min = peek();
                now = min.deadline - now > 0 ? min.deadline : now;
                now += c.tick;
                int n;
                do {
                    n = wheel.poll(now, this::onExpiry, 1_000);
                } while (n == 1_000);
                check(guard++ < 10_000_000, "drain does not end");
                Timer after = peek();
                check(after == null || after != min, "earliest timer " + min.id + " not expired a tick after its deadline");
            }
            check(wheel.isEmpty(), "wheel not empty after drain");
        }
    }
}
