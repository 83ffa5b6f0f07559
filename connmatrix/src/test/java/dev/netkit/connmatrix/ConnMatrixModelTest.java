package dev.netkit.connmatrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.netkit.testkit.Seeds;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded model-based test: random operations on a {@link ConnMatrix} and on a {@code HashMap<Long, Object>}
 * reference, compared after every step (single-threaded, so every answer must be exact).
 *
 * <p>Besides the reference map (live id -> connection) the model keeps, per shard, the slot allocator that
 * the implementation notes describe: the owner's free stack (LIFO, where {@code removeByOwner} pushes), the
 * set of slots other threads freed (the freed bitmaps), which {@code add} takes whole, lowest slot first, only
 * when the owner's stack is empty, and the high-water mark of
 * never-used slots; and per slot the current generation. So the model predicts the exact id of every
 * {@code add} (shard, slot, generation = previous + 1 within {@code genBits}), when a shard is full, and
 * the exact answer of {@code get} for any long at all: an id answers iff its generation is odd, its shard
 * and slot are in range, and its slot is currently live with exactly that generation. With a narrow
 * generation (genBits 2 or 3) a stale id from a reused slot aliases the new entry after
 * 2<sup>genBits-1</sup> reuses; the model computes that exactly instead of weakening the assertion, and
 * cross-checks it against the reference map (an aliased stale id is numerically equal to the live id).
 *
 * <p>Seeds: {@link Seeds}, a fixed list plus a fresh one per configuration ({@code -Dnetkit.seed=N,M} runs only
 * those); every failure message names the configuration, seed, step and operation, and how to replay it.
 */
class ConnMatrixModelTest {

    static final long[] FIXED_SEEDS = {1L, 2L, 3L, 42L, 0xDEADBEEFL, 1234567890123L};

    /** A configuration; the 2- and 4-argument constructors are both exercised. */
    record Config(String name, int shards, int maxSlots, int pageShift, int genBits, int steps) {
        ConnMatrix<Object> create() {
            if (pageShift == ConnMatrix.DEFAULT_PAGE_SHIFT && genBits == 32) {
                return maxSlots == ConnMatrix.MAX_SLOTS_PER_SHARD
                        ? new ConnMatrix<>(shards)
                        : new ConnMatrix<>(shards, maxSlots);
            }
            return new ConnMatrix<>(shards, maxSlots, pageShift, genBits);
        }

        @Override
        public String toString() {
            return name + "(shards=" + shards + ", max=" + maxSlots + ", pageShift=" + pageShift
                    + ", genBits=" + genBits + ")";
        }
    }

    static final List<Config> CONFIGS = List.of(
            new Config("default", 2, ConnMatrix.MAX_SLOTS_PER_SHARD, 12, 32, 2_500),
            new Config("bounded", 2, 40, 12, 32, 4_000),              // public ctor, full shard, one partial page
            new Config("small-gen2", 2, 16, 2, 2, 5_000),             // alias after 2 reuses
            new Config("small-gen3", 3, 16, 2, 3, 5_000),             // alias after 4 reuses
            new Config("partial-page", 2, 10, 2, 3, 4_000),           // last page holds 2 slots
            new Config("one-slot-pages", 1, 5, 0, 2, 3_000),          // pageShift 0: a page per slot
            new Config("wide-pages", 1, 20_000, 14, 32, 6_000),       // 4 leaf words per freed-bitmap group
            new Config("single-slot", 1, 1, 0, 3, 2_000));

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Config c : CONFIGS) {
            Seeds.seeds(FIXED_SEEDS).forEach(s -> out.add(Arguments.of(c, s)));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("cases")
    void matchesReferenceModel(Config config, long seed) {
        new Run(config, seed).run();
    }

    /** A distinct connection object; identity matters, equality is never used. */
    static final class Conn {
        final long serial;

        Conn(long serial) {
            this.serial = serial;
        }

        @Override
        public String toString() {
            return "Conn#" + serial;
        }
    }

    enum Op {
        ADD, REMOVE_LIVE, REMOVE_ANY_ISSUED, REMOVE_EXPECTED_RIGHT, REMOVE_EXPECTED_WRONG,
        REMOVE_EXPECTED_ISSUED, REMOVE_GARBAGE, REMOVE_BY_OWNER_LIVE, REMOVE_BY_OWNER_ISSUED,
        GET_LIVE, GET_ISSUED, GET_NEAR, GET_RANDOM, GET_SPECIAL
    }

    private static final Op[] WEIGHTED = weighted(
            Op.ADD, 34, Op.REMOVE_LIVE, 8, Op.REMOVE_ANY_ISSUED, 6, Op.REMOVE_EXPECTED_RIGHT, 6,
            Op.REMOVE_EXPECTED_WRONG, 4, Op.REMOVE_EXPECTED_ISSUED, 3, Op.REMOVE_GARBAGE, 4,
            Op.REMOVE_BY_OWNER_LIVE, 6, Op.REMOVE_BY_OWNER_ISSUED, 2,
            Op.GET_LIVE, 8, Op.GET_ISSUED, 10, Op.GET_NEAR, 6, Op.GET_RANDOM, 3, Op.GET_SPECIAL, 2);

    private static Op[] weighted(Object... opWeight) {
        List<Op> l = new ArrayList<>();
        for (int i = 0; i < opWeight.length; i += 2) {
            for (int w = 0; w < (Integer) opWeight[i + 1]; w++) {
                l.add((Op) opWeight[i]);
            }
        }
        return l.toArray(new Op[0]);
    }

    private static final long[] SPECIAL_IDS = {
        0L, -1L, 1L, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 32, (1L << 32) | ConnMatrix.SLOT_MASK,
        0xFFFF_FFFF_0000_0000L, 0x0000_0000_FFFF_FFFFL, -(1L << 32), (3L << 32) | (1L << ConnMatrix.SLOT_BITS)
    };

    /** One seeded run: the matrix, the model, the random source. */
    static final class Run {
        final Config cfg;
        final long seed;
        final SplittableRandom rnd;
        final ConnMatrix<Object> m;
        final int genMask;

        final Map<Long, Object> ref = new HashMap<>();          // live id -> connection
        final List<Long> issued = new ArrayList<>();             // every id ever returned by add
        final Map<Long, Object> issuedConn = new HashMap<>();    // last connection issued under each id value
        final Map<Long, Integer> issueCount = new HashMap<>();   // how often each id value was issued
        // allocator model, per shard
        final List<ArrayDeque<Integer>> local = new ArrayList<>();
        final List<ArrayDeque<Integer>> remote = new ArrayList<>();
        final int[] highWater;
        final int[] live;
        // per slot, keyed by (shard << 24 | slot)
        final Map<Integer, Integer> slotGen = new HashMap<>();
        final Map<Integer, Object> slotConn = new HashMap<>();   // present iff the slot is live

        long serial;
        int step;
        Op op;
        int adds, fulls, aliasedGets;

        Run(Config cfg, long seed) {
            this.cfg = cfg;
            this.seed = seed;
            this.rnd = new SplittableRandom(seed);
            this.m = cfg.create();
            this.genMask = cfg.genBits == 32 ? -1 : (1 << cfg.genBits) - 1;
            this.highWater = new int[cfg.shards];
            this.live = new int[cfg.shards];
            for (int s = 0; s < cfg.shards; s++) {
                local.add(new ArrayDeque<>());
                remote.add(new ArrayDeque<>());
            }
        }

        /** The failure message, built only when an assertion fails. */
        Supplier<String> where() {
            return where(() -> "");
        }

        Supplier<String> where(String detail) {
            return where(() -> detail);
        }

        Supplier<String> where(Supplier<String> detail) {
            int s = step;
            Op o = op;
            return () -> "config=" + cfg + " seed=" + seed + " step=" + s + " op=" + o + " " + detail.get()
                    + " (replay with -D" + Seeds.PROPERTY + "=" + seed + ")";
        }

        void run() {
            assertEquals(cfg.shards, m.shards(), where());
            assertEquals(cfg.maxSlots, m.maxSlotsPerShard(), where());
            checkAll();
            for (step = 0; step < cfg.steps; step++) {
                op = WEIGHTED[rnd.nextInt(WEIGHTED.length)];
                apply(op);
                checkAll();
            }
            // Every run must have exercised what it is for; otherwise the run proves less than it claims.
            assertTrue(adds + fulls > cfg.steps / 5 && adds > cfg.steps / 20,
                    where("too few adds: " + adds + " (+ " + fulls + " on a full shard)"));
            if (cfg.maxSlots <= 64) {
                assertTrue(fulls > 0, where("a small config never filled a shard"));
            }
            if (cfg.genBits <= 3) {
                assertTrue(aliasedGets > 0, where("a narrow generation never produced an aliased stale id"));
            }
        }

        void apply(Op op) {
            switch (op) {
                case ADD -> add(rnd.nextInt(cfg.shards));
                case REMOVE_LIVE -> {
                    if (!ref.isEmpty()) {
                        remove(randomLive());
                    }
                }
                case REMOVE_ANY_ISSUED -> {
                    if (!issued.isEmpty()) {
                        remove(randomIssued());
                    }
                }
                case REMOVE_EXPECTED_RIGHT -> {
                    if (!ref.isEmpty()) {
                        long id = randomLive();
                        removeExpected(id, ref.get(id));
                    }
                }
                case REMOVE_EXPECTED_WRONG -> {
                    if (!ref.isEmpty()) {
                        long id = randomLive();
                        Object wrong = rnd.nextBoolean() || ref.size() < 2 ? new Conn(-1) : ref.get(randomLive());
                        removeExpected(id, wrong);
                    }
                }
                case REMOVE_EXPECTED_ISSUED -> {
                    if (!issued.isEmpty()) {
                        long id = randomIssued();
                        removeExpected(id, issuedConn.get(randomIssued()));
                    }
                }
                case REMOVE_GARBAGE -> remove(rnd.nextBoolean() ? nearId() : rnd.nextLong());
                case REMOVE_BY_OWNER_LIVE -> {
                    if (!ref.isEmpty()) {
                        removeByOwner(randomLive());
                    }
                }
                case REMOVE_BY_OWNER_ISSUED -> {
                    if (!issued.isEmpty()) {
                        removeByOwner(randomIssued());
                    }
                }
                case GET_LIVE -> {
                    if (!ref.isEmpty()) {
                        long id = randomLive();
                        Object c = m.get(id);
                        assertSame(ref.get(id), c, where(() -> "get live id " + Long.toHexString(id)));
                        checkGet(id);
                    }
                }
                case GET_ISSUED -> {
                    if (!issued.isEmpty()) {
                        checkGet(randomIssued());
                    }
                }
                case GET_NEAR -> checkGet(nearId());
                case GET_RANDOM -> checkGet(rnd.nextLong());
                case GET_SPECIAL -> {
                    for (long id : SPECIAL_IDS) {
                        checkGet(id);
                        // ids from the network must never throw; removing a malformed or dead one is false
                        if (expectedGet(id) == null) {
                            assertEquals(false, m.remove(id), where(() -> "remove special " + Long.toHexString(id)));
                        }
                    }
                }
                default -> fail("unknown op " + op);
            }
        }

        long randomLive() {
            // HashMap iteration order is deterministic for a given insertion history, so this is seeded too
            int k = rnd.nextInt(ref.size());
            Iterator<Long> it = ref.keySet().iterator();
            for (int i = 0; i < k; i++) {
                it.next();
            }
            return it.next();
        }

        long randomIssued() {
            return issued.get(rnd.nextInt(issued.size()));
        }

        /** An id near the live ones: small generation (maybe beyond genBits), shard and slot just past range. */
        long nearId() {
            int gen = rnd.nextInt(Math.min(1 << Math.min(cfg.genBits, 30), 64) + 3);
            if (cfg.genBits == 32 && rnd.nextInt(8) == 0) {
                gen = rnd.nextInt();
            }
            int shard = rnd.nextInt(cfg.shards + 2);
            int slot = rnd.nextInt(Math.min(cfg.maxSlots, Math.max(highWaterMax(), 1)) + 2);
            return ((long) gen << 32) | ((long) shard << ConnMatrix.SLOT_BITS) | slot;
        }

        int highWaterMax() {
            int hw = 0;
            for (int h : highWater) {
                hw = Math.max(hw, h);
            }
            return hw;
        }

        static int key(int shard, int slot) {
            return (shard << ConnMatrix.SLOT_BITS) | slot;
        }

        void add(int shard) {
            Conn c = new Conn(serial++);
            ArrayDeque<Integer> loc = local.get(shard);
            ArrayDeque<Integer> rem = remote.get(shard);
            boolean full = loc.isEmpty() && rem.isEmpty() && highWater[shard] == cfg.maxSlots;
            assertEquals(full, live[shard] == cfg.maxSlots, where("model self-check: free slots vs live count"));
            if (full) {
                fulls++;
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.add(shard, c),
                        where("add to a full shard " + shard));
                assertTrue(e.getMessage().contains("shard " + shard)
                        && e.getMessage().contains(Integer.toString(cfg.maxSlots)), where("message: " + e));
                return;
            }
            int slot;
            if (loc.isEmpty() && !rem.isEmpty()) {
                // the owner takes every slot other threads freed (the freed bitmaps), lowest slot first
                rem.stream().sorted().forEach(loc::addLast);
                rem.clear();
            }
            if (!loc.isEmpty()) {
                slot = loc.pollFirst();
            } else {
                slot = highWater[shard]++;
            }
            int k = key(shard, slot);
            int gen = (slotGen.getOrDefault(k, 0) + 1) & genMask;
            assertEquals(1, gen & 1, where("model self-check: a free slot has an even generation"));
            long expectedId = ((long) gen << 32) | ((long) shard << ConnMatrix.SLOT_BITS) | slot;

            long id = m.add(shard, c);
            adds++;
            assertNotEquals(0L, id, where("ids are never 0"));
            assertEquals(Long.toHexString(expectedId), Long.toHexString(id), where(() -> "add(" + shard + ") id"));
            assertEquals(shard, ConnMatrix.shardOf(id), where("shardOf"));
            assertTrue(!ref.containsKey(id), where("add returned an id that is live"));

            slotGen.put(k, gen);
            slotConn.put(k, c);
            live[shard]++;
            ref.put(id, c);
            issued.add(id);
            issuedConn.put(id, c);
            issueCount.merge(id, 1, Integer::sum);
        }

        void remove(long id) {
            boolean expected = ref.containsKey(id);
            assertEquals(expected, m.remove(id), where(() -> "remove " + Long.toHexString(id)));
            if (expected) {
                applyRemove(id);
            }
        }

        /** The owner's remove: same answer as remove, but the slot goes to the front of the local list. */
        void removeByOwner(long id) {
            boolean expected = ref.containsKey(id);
            assertEquals(expected, m.removeByOwner(id), where(() -> "removeByOwner " + Long.toHexString(id)));
            if (expected) {
                applyRemove(id);
                int shard = ConnMatrix.shardOf(id);
                int slot = remote.get(shard).removeFirst();
                local.get(shard).addFirst(slot);
            }
        }

        void removeExpected(long id, Object expectedConn) {
            Object current = ref.get(id);
            boolean expected = current != null && current == expectedConn;
            assertEquals(expected, m.remove(id, expectedConn),
                    where("remove(" + Long.toHexString(id) + ", " + expectedConn + ") current=" + current));
            if (expected) {
                applyRemove(id);
            }
        }

        void applyRemove(long id) {
            ref.remove(id);
            int gen = (int) (id >>> 32);
            int shard = ConnMatrix.shardOf(id);
            int slot = (int) id & ConnMatrix.SLOT_MASK;
            int k = key(shard, slot);
            slotGen.put(k, (gen + 1) & genMask);
            slotConn.remove(k);
            live[shard]--;
            remote.get(shard).addFirst(slot);
        }

        /** What get must answer for any long, computed from the slot model alone. */
        Object expectedGet(long id) {
            int gen = (int) (id >>> 32);
            int shard = (int) (id >>> ConnMatrix.SLOT_BITS) & 0xFF;
            int slot = (int) id & ConnMatrix.SLOT_MASK;
            if ((gen & 1) == 0 || shard >= cfg.shards || slot >= cfg.maxSlots) {
                return null;
            }
            int k = key(shard, slot);
            Object c = slotConn.get(k);
            return c != null && slotGen.get(k) == gen ? c : null;
        }

        void checkGet(long id) {
            Object expected = expectedGet(id);
            // The slot model and the reference map must agree: an aliased stale id equals the live id.
            assertSame(ref.get(id), expected, where(() -> "model self-check for " + Long.toHexString(id)));
            Object got = m.get(id);
            assertSame(expected, got, where(() -> "get " + Long.toHexString(id)));
            if (got != null && issueCount.getOrDefault(id, 0) > 1) {
                aliasedGets++;          // this id value was issued before, to another connection: it aliased
            }
        }

        void checkAll() {
            assertEquals((long) ref.size(), m.size(), where("size()"));
            for (int s = 0; s < cfg.shards; s++) {
                int shard = s;
                assertEquals(live[s], m.size(s), where(() -> "size(" + shard + ")"));
            }
            // forEach: exactly the reference, each entry once, shard by shard and slot by slot
            Map<Long, Object> seen = new HashMap<>();
            long[] last = {-1};
            m.forEach((id, c) -> {
                assertTrue(seen.put(id, c) == null, where(() -> "forEach yielded " + Long.toHexString(id) + " twice"));
                long order = id & 0xFFFF_FFFFL;            // shard:8 | slot:24
                assertTrue(order > last[0], where(() -> "forEach out of shard/slot order at " + Long.toHexString(id)));
                last[0] = order;
            });
            assertEquals(ref.size(), seen.size(), where("forEach count"));
            for (Map.Entry<Long, Object> e : ref.entrySet()) {
                assertSame(e.getValue(), seen.get(e.getKey()), where(() -> "forEach entry " + Long.toHexString(e.getKey())));
            }
            // iterator: the same connections, by identity, each once
            IdentityHashMap<Object, Boolean> live = new IdentityHashMap<>();
            for (Object c : ref.values()) {
                live.put(c, Boolean.TRUE);
            }
            IdentityHashMap<Object, Boolean> yielded = new IdentityHashMap<>();
            for (Iterator<Object> it = m.iterator(); it.hasNext(); ) {
                Object c = it.next();
                assertTrue(yielded.put(c, Boolean.TRUE) == null, where(() -> "iterator yielded " + c + " twice"));
                assertTrue(live.containsKey(c), where(() -> "iterator yielded a dead connection " + c));
            }
            assertEquals(live.size(), yielded.size(), where("iterator count"));
            if (step % 16 == 0) {
                int[] n = {0};
                m.forEachConnection(c -> {
                    assertTrue(live.containsKey(c), where(() -> "forEachConnection yielded a dead connection " + c));
                    n[0]++;
                });
                assertEquals(live.size(), n[0], where("forEachConnection count"));
            }
        }
    }
}
