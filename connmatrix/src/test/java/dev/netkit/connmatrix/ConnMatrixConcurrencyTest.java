package dev.netkit.connmatrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.netkit.testkit.Seeds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Multi-threaded tests judged at rest: threads run bounded loops, are joined, and only then is the outcome
 * asserted, plus per-operation checks that hold under any interleaving (a non-null get is the object that
 * id was issued for; a get after a completed remove is null). No timing is asserted; the {@code @Timeout}
 * is a guard against a hang, not a measurement.
 */
@Timeout(120)
class ConnMatrixConcurrencyTest {

    /** Fields deliberately not final: a non-null get must still see them written (safe publication). */
    static final class Conn {
        long serial;
        int owner;
        long check;

        Conn(long serial, int owner) {
            this.serial = serial;
            this.owner = owner;
            this.check = expectedCheck(serial, owner);
        }

        static long expectedCheck(long serial, int owner) {
            return (serial * 0x9E3779B97F4A7C15L) ^ owner ^ 0x5DEECE66DL;
        }

        void verify() {
            if (serial == 0 || check != expectedCheck(serial, owner)) {
                throw new AssertionError("connection seen with unpublished fields: serial=" + serial
                        + " owner=" + owner + " check=" + check);
            }
        }
    }

    /** Collects failures from worker threads; rethrown after join. */
    static final class Failures {
        final ConcurrentLinkedQueue<Throwable> all = new ConcurrentLinkedQueue<>();

        Runnable guard(Runnable r) {
            return () -> {
                try {
                    r.run();
                } catch (Throwable t) {
                    all.add(t);
                }
            };
        }

        void rethrow() {
            rethrow("");
        }

        void rethrow(String context) {
            if (!all.isEmpty()) {
                AssertionError e = new AssertionError(context + all.size() + " worker failure(s); first: " + all.peek(),
                        all.peek());
                all.stream().skip(1).limit(5).forEach(e::addSuppressed);
                throw e;
            }
        }
    }

    static long mix(long x) {
        x = (x ^ (x >>> 33)) * 0xff51afd7ed558ccdL;
        x = (x ^ (x >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return x ^ (x >>> 33);
    }

    /**
     * Owners add and remove on their own shards; remote removers race each other and the owners on the
     * same ids; platform and virtual readers get random ids ever issued (live, removed, reused slots);
     * an iterating thread runs forEach and iterator passes. Small pages (4 slots) and a small shard bound
     * force growth racing the readers and constant slot reuse through the remote free stack.
     */
    @Test
    void ownersRemoversReadersAndIteratorsAtRest() throws Exception {
        final int owners = 3;
        final int cap = 48;
        final int opsPerOwner = 8_000;
        final int removers = 2;
        final int platformReaders = 2;
        final int virtualReaders = 4;
        final int readsPerReader = 20_000;
        final int iterationPasses = 20;
        final long seed = Seeds.seed();

        ConnMatrix<Conn> m = new ConnMatrix<>(owners + 1, cap, 2, 32);    // shard `owners` stays empty
        int capacity = owners * opsPerOwner;
        AtomicLongArray pub = new AtomicLongArray(capacity);
        AtomicInteger pubCount = new AtomicInteger();
        ConcurrentHashMap<Long, Conn> registry = new ConcurrentHashMap<>();      // id -> conn, before publish
        ConcurrentHashMap<Long, Long> serialToId = new ConcurrentHashMap<>();
        ConcurrentHashMap<Long, AtomicInteger> wins = new ConcurrentHashMap<>(); // id -> true results
        Set<Long> attempted = ConcurrentHashMap.newKeySet();                      // recorded before remove
        AtomicLong[] removedTrue = new AtomicLong[owners + 1];
        long[] addsPerShard = new long[owners + 1];                               // each written by its owner
        for (int s = 0; s <= owners; s++) {
            removedTrue[s] = new AtomicLong();
        }
        AtomicLong trueResults = new AtomicLong();
        AtomicLong nonNullGets = new AtomicLong();
        AtomicLong nullGetsOfPublished = new AtomicLong();
        AtomicInteger ownersRunning = new AtomicInteger(owners);
        Failures failures = new Failures();
        CountDownLatch start = new CountDownLatch(1);

        // a remove whose outcome is recorded for exactly-once accounting
        interface Remover {
            void remove(long id, Conn expectedOrNull, boolean withExpected);
        }
        Remover remover = (id, expected, withExpected) -> {
            attempted.add(id);
            boolean won = withExpected ? m.remove(id, expected) : m.remove(id);
            if (won) {
                trueResults.incrementAndGet();
                wins.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                removedTrue[ConnMatrix.shardOf(id)].incrementAndGet();
            }
        };

        List<Thread> threads = new ArrayList<>();
        for (int o = 0; o < owners; o++) {
            final int shard = o;
            threads.add(new Thread(failures.guard(() -> {
                await(start);
                SplittableRandom rnd = new SplittableRandom(seed + shard);
                List<Long> mine = new ArrayList<>();
                long adds = 0;
                for (int op = 0; op < opsPerOwner; op++) {
                    long outstanding = adds - removedTrue[shard].get();
                    if (outstanding < cap && (mine.isEmpty() || rnd.nextInt(100) < 55)) {
                        Conn c = new Conn(((long) shard << 40) | (adds + 1), shard);
                        long id;
                        try {
                            id = m.add(shard, c);
                        } catch (IllegalStateException e) {
                            throw new AssertionError("add threw although at most " + outstanding
                                    + " of " + cap + " slots can be live: " + e.getMessage(), e);
                        }
                        adds++;
                        addsPerShard[shard] = adds;
                        if (ConnMatrix.shardOf(id) != shard) {
                            throw new AssertionError("shardOf(" + Long.toHexString(id) + ") != " + shard);
                        }
                        if (registry.putIfAbsent(id, c) != null) {
                            throw new AssertionError("id issued twice: " + Long.toHexString(id));
                        }
                        serialToId.put(c.serial, id);
                        pub.set(pubCount.getAndIncrement(), id);
                        mine.add(id);
                    } else if (!mine.isEmpty()) {
                        long id = mine.remove(rnd.nextInt(mine.size()));
                        // the owner removes its own ids, sometimes racing the remote removers on them
                        if (rnd.nextBoolean()) {
                            remover.remove(id, null, false);
                        } else {
                            remover.remove(id, registry.get(id), true);
                        }
                    } else {
                        Thread.yield();        // full, and every own id handed to the remote removers
                    }
                }
                ownersRunning.decrementAndGet();
            }), "owner-" + o));
        }
        for (int r = 0; r < removers; r++) {
            final int me = r;
            threads.add(new Thread(failures.guard(() -> {
                await(start);
                SplittableRandom rnd = new SplittableRandom(seed * 31 + me);
                int cursor = 0;
                while (true) {
                    boolean ownersDone = ownersRunning.get() == 0;
                    int n = pubCount.get();
                    if (cursor >= n) {
                        if (ownersDone) {
                            break;
                        }
                        Thread.yield();
                        continue;
                    }
                    long id = pub.get(cursor);
                    if (id == 0) {
                        continue;                   // index reserved, id not yet stored
                    }
                    cursor++;
                    // every remover takes the same two thirds of the ids: they race each other on them
                    if (Math.floorMod(mix(id), 3) != 0) {
                        Conn expected = registry.get(id);
                        switch (rnd.nextInt(4)) {
                            case 0 -> remover.remove(id, expected, true);
                            case 1 -> remover.remove(id, new Conn(1, -1), true);   // wrong expected: never wins
                            default -> remover.remove(id, null, false);
                        }
                    }
                }
            }), "remover-" + r));
        }
        Runnable reader = () -> {
            await(start);
            SplittableRandom rnd = new SplittableRandom(mix(seed ^ Thread.currentThread().threadId()));
            // at least readsPerReader gets, and on until the owners are done, so reads overlap the writes
            for (int i = 0; i < readsPerReader || ownersRunning.get() > 0; i++) {
                int n = pubCount.get();
                if (n == 0) {
                    Thread.yield();
                    i--;                            // not a read: the first id is not published yet
                    continue;
                }
                // half the reads among the newest ids (mostly live), half among all (mostly removed or stale)
                int index = rnd.nextBoolean() ? rnd.nextInt(n) : Math.max(0, n - 1 - rnd.nextInt(64));
                long id = pub.get(index);
                if (id == 0) {
                    continue;
                }
                boolean removedBefore = wins.containsKey(id);     // a remove of id completed before this get
                Conn c = m.get(id);
                if (c == null) {
                    nullGetsOfPublished.incrementAndGet();
                    continue;
                }
                nonNullGets.incrementAndGet();
                c.verify();
                Conn issued = registry.get(id);
                if (issued != c) {
                    throw new AssertionError("get(" + Long.toHexString(id) + ") returned " + c.serial
                            + " but the id was issued for " + (issued == null ? "nothing" : issued.serial));
                }
                if (removedBefore) {
                    throw new AssertionError("get(" + Long.toHexString(id) + ") found an entry whose remove"
                            + " had already returned true");
                }
            }
        };
        for (int r = 0; r < platformReaders; r++) {
            threads.add(new Thread(failures.guard(reader), "reader-" + r));
        }
        List<List<Map.Entry<Long, Conn>>> forEachPasses = new ArrayList<>();
        List<List<Conn>> iteratorPasses = new ArrayList<>();
        threads.add(new Thread(failures.guard(() -> {
            await(start);
            // at least iterationPasses passes, and on until the owners are done (bounded: they are)
            for (int pass = 0; pass < iterationPasses || ownersRunning.get() > 0; pass++) {
                boolean useIterator = (pass & 1) == 1;
                Set<Long> removedBefore = new HashSet<>(wins.keySet());
                int n0 = pubCount.get();
                List<Long> publishedBefore = new ArrayList<>();
                for (int i = 0; i < n0; i++) {
                    long id = pub.get(i);
                    if (id != 0) {
                        publishedBefore.add(id);
                    }
                }
                Set<Long> yieldedIds = new HashSet<>();
                if (!useIterator) {
                    List<Map.Entry<Long, Conn>> yielded = new ArrayList<>();
                    m.forEach((id, c) -> {
                        c.verify();
                        if (!yieldedIds.add(id)) {
                            throw new AssertionError("forEach yielded " + Long.toHexString(id) + " twice");
                        }
                        if (removedBefore.contains(id)) {
                            throw new AssertionError("forEach yielded " + Long.toHexString(id)
                                    + ", removed before the iteration began");
                        }
                        yielded.add(Map.entry(id, c));
                    });
                    forEachPasses.add(yielded);
                } else {
                    List<Conn> yielded = new ArrayList<>();
                    IdentityHashMap<Conn, Boolean> seen = new IdentityHashMap<>();
                    for (Conn c : (Iterable<Conn>) m::iterator) {
                        c.verify();
                        if (seen.put(c, Boolean.TRUE) != null) {
                            throw new AssertionError("iterator yielded connection " + c.serial + " twice");
                        }
                        Long id = serialToId.get(c.serial);       // null only if registered after this point
                        if (id != null) {
                            if (removedBefore.contains(id)) {
                                throw new AssertionError("iterator yielded " + c.serial
                                        + ", removed before the iteration began");
                            }
                            yieldedIds.add(id);
                        }
                        yielded.add(c);
                    }
                    iteratorPasses.add(yielded);
                }
                // an entry added before the pass began and never the target of a remove attempt by the
                // end of the pass was live throughout, so the pass must have yielded it
                for (long id : publishedBefore) {
                    if (!attempted.contains(id) && !yieldedIds.contains(id)) {
                        throw new AssertionError((useIterator ? "iterator" : "forEach")
                                + " missed " + Long.toHexString(id) + ", live throughout the pass");
                    }
                }
            }
        }), "iterator"));

        for (Thread t : threads) {
            t.start();
        }
        List<Thread> virtual = new ArrayList<>();
        for (int r = 0; r < virtualReaders; r++) {
            virtual.add(Thread.ofVirtual().name("vreader-" + r).start(failures.guard(reader)));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        for (Thread t : virtual) {
            t.join();
        }
        String ctx = "seed=" + seed + " (replay with -D" + Seeds.PROPERTY + "=" + seed + ")";
        failures.rethrow(ctx + ": ");

        // ---- at rest
        for (Map.Entry<Long, AtomicInteger> e : wins.entrySet()) {
            assertEquals(1, e.getValue().get(), () -> ctx + " exactly one winner for " + Long.toHexString(e.getKey()));
        }
        assertEquals(wins.size(), trueResults.get(), ctx + " true results == distinct ids removed");
        assertTrue(wins.size() > 0 && wins.size() < registry.size(), ctx + " some ids removed, some left");
        long live = registry.size() - wins.size();
        assertEquals(live, m.size(), ctx + " size() at rest");
        for (int s = 0; s <= owners; s++) {
            assertEquals(addsPerShard[s] - removedTrue[s].get(), m.size(s), ctx + " size(" + s + ") at rest");
        }
        Map<Long, Conn> expectedLive = new HashMap<>();
        for (Map.Entry<Long, Conn> e : registry.entrySet()) {
            Conn got = m.get(e.getKey());
            if (wins.containsKey(e.getKey())) {
                assertNull(got, ctx + " removed id answers at rest");
            } else {
                assertSame(e.getValue(), got, ctx + " live id answers its own connection at rest");
                expectedLive.put(e.getKey(), e.getValue());
            }
        }
        Map<Long, Conn> iterated = new HashMap<>();
        m.forEach((id, c) -> assertNull(iterated.put(id, c)));
        assertEquals(expectedLive, iterated, ctx + " forEach at rest == the reference");
        // every yielded pair, checked against the complete registry
        for (List<Map.Entry<Long, Conn>> pass : forEachPasses) {
            for (Map.Entry<Long, Conn> e : pass) {
                assertSame(registry.get(e.getKey()), e.getValue(), ctx + " forEach pair");
            }
        }
        for (List<Conn> pass : iteratorPasses) {
            for (Conn c : pass) {
                Long id = serialToId.get(c.serial);
                assertSame(c, registry.get(id), ctx + " iterator yielded a registered connection");
            }
        }
        System.out.printf("[ConnMatrixConcurrencyTest] seed=%d: %d ids issued, %d removed (each once), %d live;"
                + " gets: %d found, %d null; %d forEach and %d iterator passes%n", seed, registry.size(),
                wins.size(), live, nonNullGets.get(), nullGetsOfPublished.get(), forEachPasses.size(),
                iteratorPasses.size());
        assertTrue(nonNullGets.get() > 0 && nullGetsOfPublished.get() > 0,
                ctx + " readers saw both live and dead ids: " + nonNullGets + " / " + nullGetsOfPublished);
        assertEquals(0, m.size(owners), "the shard nobody used");
    }

    /**
     * Many threads remove the same ids at once, in different orders, some by remove(id) and some by
     * remove(id, expected): exactly one true per id. Afterwards every slot must be free again: refilling the
     * shard to its bound succeeds and hands out each slot exactly once, so no concurrent push onto the remote
     * free stack was lost or duplicated.
     */
    @Test
    void concurrentRemovesOfTheSameIdsHaveExactlyOneWinner() throws Exception {
        final int n = 50_000;
        final int threads = 4;
        final int rounds = 3;
        for (int round = 0; round < rounds; round++) {
            ConnMatrix<Object> m = new ConnMatrix<>(1, n, 4, 32);
            long[] ids = new long[n];
            Object[] conns = new Object[n];
            for (int i = 0; i < n; i++) {
                conns[i] = new Object();
                ids[i] = m.add(0, conns[i]);
            }
            AtomicIntegerArray winsPerId = new AtomicIntegerArray(n);
            AtomicLong trues = new AtomicLong();
            Failures failures = new Failures();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final int me = t;
                ts.add(new Thread(failures.guard(() -> {
                    await(start);
                    for (int k = 0; k < n; k++) {
                        int i = (me & 1) == 0 ? k : n - 1 - k;       // half forward, half backward: they meet
                        boolean won = me >= 2 ? m.remove(ids[i], conns[i]) : m.remove(ids[i]);
                        if (won) {
                            winsPerId.incrementAndGet(i);
                            trues.incrementAndGet();
                        }
                    }
                })));
            }
            ts.forEach(Thread::start);
            start.countDown();
            for (Thread t : ts) {
                t.join();
            }
            failures.rethrow();
            for (int i = 0; i < n; i++) {
                assertEquals(1, winsPerId.get(i), "round " + round + " id index " + i);
                assertNull(m.get(ids[i]));
            }
            assertEquals(n, trues.get());
            assertEquals(0, m.size());
            assertFalse(m.iterator().hasNext());
            // every slot must come back exactly once
            boolean[] slotSeen = new boolean[n];
            for (int i = 0; i < n; i++) {
                long id = m.add(0, conns[i]);
                int slot = (int) id & ConnMatrix.SLOT_MASK;
                assertFalse(slotSeen[slot], "slot handed out twice: " + slot);
                slotSeen[slot] = true;
                assertEquals(3, (int) (id >>> 32), "second generation of every slot");
            }
            assertEquals(n, m.size());
        }
    }

    /**
     * Remote removers free slots while the owner keeps adding: the owner's harvests of the freed bitmaps
     * (getAndSet, top level first) race the removers' marks (getAndBitwiseOr, leaf first). Bounded by the shard size, so a lost slot shows up as an
     * IllegalStateException at a moment when the owner knows free slots exist.
     */
    @Test
    void ownerAddsWhileRemoteThreadsFreeSlots() throws Exception {
        final int cap = 64;
        final int total = 15_000;
        ConnMatrix<Object> m = new ConnMatrix<>(1, cap, 3, 32);
        ConcurrentLinkedQueue<Long> handoff = new ConcurrentLinkedQueue<>();
        AtomicLong freed = new AtomicLong();
        AtomicBoolean ownerDone = new AtomicBoolean();
        Failures failures = new Failures();
        List<Thread> removers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            removers.add(new Thread(failures.guard(() -> {
                while (true) {
                    boolean done = ownerDone.get();
                    Long id = handoff.poll();
                    if (id == null) {
                        if (done) {
                            return;
                        }
                        Thread.yield();
                        continue;
                    }
                    if (!m.remove(id)) {
                        throw new AssertionError("a live id handed over once failed to remove");
                    }
                    freed.incrementAndGet();
                }
            })));
        }
        removers.forEach(Thread::start);
        Thread owner = new Thread(failures.guard(() -> {
            long added = 0;
            while (added < total) {
                if (added - freed.get() >= cap) {
                    Thread.yield();
                    continue;
                }
                long id;
                try {
                    id = m.add(0, Long.valueOf(added));
                } catch (IllegalStateException e) {
                    throw new AssertionError("full although " + (added - freed.get()) + " < " + cap
                            + " entries can be live", e);
                }
                added++;
                handoff.add(id);
            }
            ownerDone.set(true);
        }));
        owner.start();
        owner.join();
        for (Thread t : removers) {
            t.join();
        }
        failures.rethrow();
        assertEquals(total, freed.get());
        assertEquals(0, m.size());
        for (int i = 0; i < cap; i++) {
            m.add(0, i);                 // all cap slots free again
        }
        assertEquals(cap, m.size());
    }

    private static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(e);
        }
    }
}
