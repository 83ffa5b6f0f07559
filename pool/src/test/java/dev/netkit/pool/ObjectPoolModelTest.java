package dev.netkit.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netkit.testkit.Seeds;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded model test: one platform thread acquires, releases (sometimes twice), and trims, against a
 * reference made of two {@link ArrayDeque} generations (current and victim) with the same capacity rule.
 * Every acquired object, every counter and the idle count must match the reference after every step.
 * A failure names the seed, the step and the operation; replay with {@code -Dnetkit.seed=N}
 * ({@link Seeds}).
 */
class ObjectPoolModelTest {
    static Stream<Long> seeds() {
        return Seeds.seeds(1, 2, 3, 42, 2026).boxed();
    }

    /** The reference: a LIFO current generation, a LIFO victim generation, a bound on both together. */
    static final class Model {
        final int capacity;
        final ArrayDeque<Item> current = new ArrayDeque<>();
        final ArrayDeque<Item> victim = new ArrayDeque<>();
        long created, acquired, released, dropped, trimmed;

        Model(int capacity) {
            this.capacity = capacity;
        }

        /** The object acquire must return, or null for "a new one". */
        Item acquire() {
            acquired++;
            if (!current.isEmpty()) {
                return current.pop();
            }
            if (!victim.isEmpty()) {
                return victim.pop();
            }
            created++;
            return null;
        }

        void release(Item o) {
            if (current.size() + victim.size() >= capacity) {
                if (victim.isEmpty()) {
                    dropped++;
                    return;
                }
                victim.pop();
                trimmed++;
            }
            current.push(o);
            released++;
        }

        void trim() {
            trimmed += victim.size();
            victim.clear();
            victim.addAll(current);     // same order: ArrayDeque copy keeps head first
            current.clear();
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void ownerThreadMatchesModel(long seed) {
        try {
            runModel(seed, ObjectPool.builder(Item::new));
        } catch (RuntimeException | Error e) {
            throw new AssertionError("seed=" + seed + " (replay: -D" + Seeds.PROPERTY + "=" + seed + "): " + e, e);
        }
    }

    /**
     * The same model on a virtual thread that owns a cache ({@code virtualThreadCaches}); it parks now
     * and then (so it may resume on another carrier) between two operations.
     */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void virtualOwnerThreadMatchesModel(long seed) throws Exception {
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                runModel(seed, ObjectPool.builder(Item::new).virtualThreadCaches());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.join();
        if (failure.get() instanceof Throwable e) {
            throw new AssertionError("seed=" + seed + " (replay: -D" + Seeds.PROPERTY + "=" + seed
                    + ") on a virtual thread: " + e, e);
        }
    }

    private static void runModel(long seed, ObjectPoolBuilder<Item> builder) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int capacity = 1 + rnd.nextInt(8);
        ObjectPool<Item> pool = builder.capacityPerThread(capacity)
                .reset(i -> {
                    i.payload = 0;
                    i.resets++;
                }).build();
        boolean virtual = Thread.currentThread().isVirtual();
        Model model = new Model(capacity);
        List<Item> held = new ArrayList<>();
        Set<Item> everReleased = new HashSet<>();
        for (int step = 0; step < 3_000; step++) {
            int op = rnd.nextInt(100);
            String where = "seed=" + seed + " step=" + step + " capacity=" + capacity + " op=" + op;
            Supplier<String> msg = () -> where;
            if (op < 45) {
                Item expected = model.acquire();
                Item got = pool.acquire();
                if (expected != null) {
                    assertSame(expected, got, msg);
                } else {
                    assertTrue(!everReleased.contains(got), msg);
                }
                assertEquals(0, got.payload, msg);
                assertTrue(got.isPooledInUse(), msg);
                got.payload = step + 1;
                held.add(got);
            } else if (op < 90 && !held.isEmpty()) {
                Item o = held.remove(rnd.nextInt(held.size()));
                int resets = o.resets;
                pool.release(o);
                model.release(o);
                everReleased.add(o);
                assertEquals(resets + 1, o.resets, msg);
                if (op >= 85) {
                    assertThrows(IllegalStateException.class, () -> pool.release(o), msg);
                }
            } else if (op >= 90) {
                pool.trim();
                model.trim();
            }
            if (virtual && step % 500 == 499) {
                Thread.yield();                        // unmounts; resumes on any carrier
            }
            assertEquals(new ObjectPool.Stats(model.created, model.acquired, model.released, model.dropped,
                    model.trimmed), pool.stats(), msg);
            assertEquals(model.current.size() + model.victim.size(), pool.idle(), msg);
        }
    }
}
