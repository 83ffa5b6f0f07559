package dev.netkit.connmatrix;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Lincheck model checking: {@link ConnMatrix} used as a map from ids to connections is linearizable for
 * {@code add}, {@code get}, {@code remove(id)} and {@code remove(id, expected)}.
 *
 * <h2>How the harness stays deterministic</h2>
 * Lincheck compares each concurrent execution with sequential executions of the same class, so every
 * result must be a function of the sequence of operations alone. A raw id is not: which slot {@code add}
 * takes depends on whether a concurrent remover has already pushed its slot onto the remote free stack,
 * and slot choice is not part of the map abstraction anyway. So the harness numbers the connections it
 * adds: {@code add0()} / {@code add1()} create connection number k of shard 0 / 1 (k = adds so far on
 * that shard), record the id the matrix returned at index k, and return k. The other operations take a
 * (shard, k) pair: {@code get} returns the label of the connection found under the k-th id of that shard
 * (or null), {@code remove} returns the matrix's boolean. An index not issued yet behaves as an id that
 * names nothing (null / false), which a sequential execution reproduces by ordering the operation before
 * the add. A stale index (removed, slot since reused by a later add) must answer null: that is the
 * "a reused slot never answers to an old id" property, checked under interleavings.
 *
 * <p>{@code add} may only be called by a shard's owner, one thread per shard: each shard's add is its own
 * {@code nonParallelGroup}, so Lincheck never runs two adds of one shard in parallel, but it does run the
 * adds of shard 0 and shard 1 in parallel with each other and with every other operation.
 *
 * <h2>size()</h2>
 * {@code size()} is documented as weakly consistent. It is not linearizable, and
 * {@link #sizeIsNotLinearizable()} shows Lincheck's counterexample on a fixed scenario: a reader's get
 * returns null after a remove's CAS, then its size() still counts the entry, because the remove
 * increments the shard's remove counter only after its CAS. So size() is not an operation of the
 * linearizability check; instead the {@code @Validate} method checks after every explored execution, at
 * rest, that size() and size(shard) equal the live entries and that forEach yields exactly them.
 *
 * <h2>Full shard</h2>
 * The harness never adds more connections to a shard than it has slots, because add's "full" answer is
 * not linearizable either (documented): {@link #fullShardAnswerIsWeaklyConsistentAsDocumented()} shows it.
 *
 * <h2>The check can fail</h2>
 * {@link #detectsANonAtomicRemove()} and {@link #fixedScenariosDetectANonAtomicRemove()} run the same
 * harness, options and scenarios on a deliberately broken test double (its remove reads the generation,
 * then writes it: two removers can both win) and expect a Lincheck failure. Mutating ConnMatrix itself
 * (a copy, outside the source tree) confirmed that dropping get's second generation read is caught by
 * {@link #staleIdsAndRacingRemovesOnFixedScenarios()}, and turning remove's CAS into a read and a write
 * by both Lincheck tests.
 */
class ConnMatrixLincheckTest {

    /** The few operations the harness needs from a map of connections. */
    interface IdMap {
        long add(int shard, Object conn);

        Object get(long id);

        boolean remove(long id);

        boolean remove(long id, Object expected);

        /** The owner's remove; only ever called from the shard's owner group. */
        default boolean removeByOwner(long id) {
            return remove(id);
        }

        long size();

        long size(int shard);

        int countIterated();
    }

    static final int SHARDS = 2;
    static final int MAX_ADDS = 4;            // == slots per shard: add never finds the shard full

    /** A connection with a deterministic label: shard * 100 + k. */
    static final class Conn {
        final int label;

        Conn(int label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return "conn" + label;
        }
    }

    /**
     * The Lincheck test class. Lincheck creates a fresh instance for every execution; its operations are
     * the {@code @Operation} methods (found in superclasses too); the sequential specification is the class
     * itself, run one operation at a time.
     */
    public abstract static class Harness {
        private final IdMap map;
        // per shard: the ids issued, by index k, and how many; written only by the shard's add (one thread)
        private final AtomicReferenceArray<long[]> ids = new AtomicReferenceArray<>(SHARDS);
        private final AtomicIntegerArray issued = new AtomicIntegerArray(SHARDS);
        private final AtomicReferenceArray<Conn[]> conns = new AtomicReferenceArray<>(SHARDS);

        protected Harness(IdMap map) {
            this.map = map;
            for (int s = 0; s < SHARDS; s++) {
                ids.set(s, new long[MAX_ADDS]);
                conns.set(s, new Conn[MAX_ADDS]);
            }
        }

        private int add(int shard) {
            int k = issued.get(shard);
            if (k == MAX_ADDS) {
                return -1;
            }
            Conn c = new Conn(shard * 100 + k);
            conns.get(shard)[k] = c;
            ids.get(shard)[k] = map.add(shard, c);
            issued.set(shard, k + 1);           // publishes ids[k] to the other threads
            return k;
        }

        /** The k-th id issued on the shard, or 0 (an id that names nothing) if not issued yet. */
        private long idAt(int shard, int k) {
            return k < issued.get(shard) ? ids.get(shard)[k] : 0L;
        }

        private Conn connAt(int shard, int k) {
            return k < issued.get(shard) ? conns.get(shard)[k] : null;
        }

        @Operation(nonParallelGroup = "owner0")
        public int add0() {
            return add(0);
        }

        @Operation(nonParallelGroup = "owner1")
        public int add1() {
            return add(1);
        }

        /** The owner of shard 0 removes its k-th id: same group as add0, so on the owner's thread. */
        @Operation(nonParallelGroup = "owner0")
        public boolean removeByOwner0(@Param(gen = IntGen.class, conf = "0:2") int k) {
            return map.removeByOwner(idAt(0, k));
        }

        @Operation
        public Integer get(@Param(gen = IntGen.class, conf = "0:1") int shard,
                           @Param(gen = IntGen.class, conf = "0:2") int k) {
            Object c = map.get(idAt(shard, k));
            return c == null ? null : ((Conn) c).label;
        }

        @Operation
        public boolean remove(@Param(gen = IntGen.class, conf = "0:1") int shard,
                              @Param(gen = IntGen.class, conf = "0:2") int k) {
            return map.remove(idAt(shard, k));
        }

        /** Remove the k-th id of the shard if it still names the j-th connection of the shard. */
        @Operation
        public boolean removeExpected(@Param(gen = IntGen.class, conf = "0:1") int shard,
                                      @Param(gen = IntGen.class, conf = "0:2") int k,
                                      @Param(gen = IntGen.class, conf = "0:2") int j) {
            return map.remove(idAt(shard, k), connAt(shard, j));
        }

        /** At rest after each execution: size, size(shard), get and iteration agree exactly. */
        @Validate
        public void atRest() {
            long total = 0;
            for (int s = 0; s < SHARDS; s++) {
                long live = 0;
                for (int k = 0; k < issued.get(s); k++) {
                    if (map.get(ids.get(s)[k]) != null) {
                        live++;
                    }
                }
                if (map.size(s) != live) {
                    throw new IllegalStateException("size(" + s + ") = " + map.size(s) + " at rest, live " + live);
                }
                total += live;
            }
            if (map.size() != total) {
                throw new IllegalStateException("size() = " + map.size() + " at rest, live " + total);
            }
            if (map.countIterated() != total) {
                throw new IllegalStateException("forEach yields " + map.countIterated() + " at rest, live " + total);
            }
        }
    }

    /** ConnMatrix behind the harness: 2 shards of 4 slots in pages of 2, so adds also grow the shard. */
    static IdMap connMatrix() {
        return connMatrix(MAX_ADDS);
    }

    static IdMap connMatrix(int slotsPerShard) {
        ConnMatrix<Object> m = new ConnMatrix<>(SHARDS, slotsPerShard, 1, 32);
        return new IdMap() {
            public long add(int shard, Object conn) {
                return m.add(shard, conn);
            }

            public Object get(long id) {
                return m.get(id);
            }

            public boolean remove(long id) {
                return m.remove(id);
            }

            public boolean remove(long id, Object expected) {
                return m.remove(id, expected);
            }

            public boolean removeByOwner(long id) {
                return m.removeByOwner(id);
            }

            public long size() {
                return m.size();
            }

            public long size(int shard) {
                return m.size(shard);
            }

            public int countIterated() {
                int[] n = {0};
                m.forEach((id, c) -> n[0]++);
                return n[0];
            }
        };
    }

    public static class MatrixHarness extends Harness {
        public MatrixHarness() {
            super(connMatrix());
        }
    }

    /** The same harness plus size() as an operation: used to show that size() is not linearizable. */
    public static class MatrixWithSizeHarness extends Harness {
        private final IdMap map;

        public MatrixWithSizeHarness() {
            this(connMatrix());
        }

        private MatrixWithSizeHarness(IdMap map) {
            super(map);
            this.map = map;
        }

        @Operation
        public long size() {
            return map.size();
        }
    }

    /** The options of the positive test and of its negative control: the same search, the same budget. */
    static ModelCheckingOptions options() {
        return new ModelCheckingOptions()
                .iterations(12)
                .invocationsPerIteration(300)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(2);
    }

    static Actor actor(Class<?> harness, String name, Object... args) {
        for (Method method : harness.getMethods()) {
            if (method.getName().equals(name) && method.getParameterCount() == args.length) {
                return new Actor(method, List.of(args));
            }
        }
        throw new IllegalArgumentException("no operation " + name + "/" + args.length);
    }

    /**
     * Fixed scenarios for the properties that matter most, beside the random ones. Small on purpose: the
     * model checker explores their interleavings (nearly) exhaustively within the budget, where in a large
     * random scenario the one bad interleaving can hide.
     * <ol>
     *   <li>Stale get: the owner removes connection 0 and adds connection 1, which reuses the slot with the
     *       next generation, while a reader looks up id 0: it must see connection 0 or null, never 1.</li>
     *   <li>Stale remove: the same, racing remove(id 0, expected connection 0): it may remove connection
     *       0, but never connection 1.</li>
     *   <li>Exactly one winner: three threads remove id 0, by remove(id) and remove(id, expected).</li>
     * </ol>
     */
    static List<ExecutionScenario> fixedScenarios(Class<?> h) {
        return List.of(
                new ExecutionScenario(
                        List.of(actor(h, "add0")),
                        List.of(List.of(actor(h, "remove", 0, 0), actor(h, "add0")),
                                List.of(actor(h, "get", 0, 0), actor(h, "get", 0, 1))),
                        List.of(actor(h, "get", 0, 0), actor(h, "get", 0, 1)),
                        null),
                new ExecutionScenario(
                        List.of(actor(h, "add0")),
                        List.of(List.of(actor(h, "remove", 0, 0), actor(h, "add0")),
                                List.of(actor(h, "removeExpected", 0, 0, 0))),
                        List.of(actor(h, "get", 0, 1)),
                        null),
                new ExecutionScenario(
                        List.of(actor(h, "add0")),
                        List.of(List.of(actor(h, "remove", 0, 0)),
                                List.of(actor(h, "remove", 0, 0)),
                                List.of(actor(h, "removeExpected", 0, 0, 0))),
                        List.of(),
                        null));
    }

    /** One slot per shard, so that a second add0 meets a full shard (or the slot freed by a remove). */
    public static class OneSlotHarness extends Harness {
        public OneSlotHarness() {
            super(connMatrix(1));
        }
    }

    @Test
    void addGetRemoveAreLinearizable() {
        options().check(MatrixHarness.class);
    }

    @Test
    void staleIdsAndRacingRemovesOnFixedScenarios() {
        ModelCheckingOptions o = new ModelCheckingOptions().iterations(0).invocationsPerIteration(2_000);
        for (ExecutionScenario sc : fixedScenarios(MatrixHarness.class)) {
            o.addCustomScenario(sc);
        }
        o.check(MatrixHarness.class);
    }

    /**
     * size() is documented weakly consistent, not linearizable; this pins that finding on a fixed scenario:
     * init: add0(); thread 1: remove(0, 0); thread 2: get(0, 0), size(). The interleaving where the remove's
     * CAS precedes the get (null) but its counter increment follows size() (1) has no linearization.
     * If this test ever fails, size() became linearizable and its documentation may be strengthened.
     */
    @Test
    void sizeIsNotLinearizable() {
        Class<?> h = MatrixWithSizeHarness.class;
        ExecutionScenario scenario = new ExecutionScenario(
                List.of(actor(h, "add0")),
                List.of(List.of(actor(h, "remove", 0, 0)),
                        List.of(actor(h, "get", 0, 0), actor(h, "size"))),
                List.of(),
                null);
        LincheckAssertionError e = assertThrows(LincheckAssertionError.class, () -> new ModelCheckingOptions()
                .iterations(0)
                .invocationsPerIteration(2_000)
                .addCustomScenario(scenario)
                .minimizeFailedScenario(false)
                .check(MatrixWithSizeHarness.class));
        assertTrue(String.valueOf(e.getMessage()).contains("Invalid execution results")
                && String.valueOf(e.getMessage()).contains("size()"), e::getMessage);
        System.out.println("[ConnMatrixLincheckTest] size() is not linearizable, as documented. Lincheck:\n"
                + head(e.getMessage(), 30));
    }

    /**
     * add's "shard full" answer is weakly consistent, as its Javadoc says: it may throw while another
     * thread's remove of an entry of that shard is in progress. One slot; init: add0(); thread 1:
     * remove(0, 0); thread 2: get(0, 0), add0(). Lincheck finds: get(0, 0) returns null (the remove's CAS
     * happened), then add0() throws IllegalStateException (the remove has not yet pushed the slot onto the
     * remote free stack), although no linearization has the shard full at that point. This test pins that
     * the window exists and is the documented one; the harness elsewhere never fills a shard.
     */
    @Test
    void fullShardAnswerIsWeaklyConsistentAsDocumented() {
        Class<?> h = OneSlotHarness.class;
        ExecutionScenario scenario = new ExecutionScenario(
                List.of(actor(h, "add0")),
                List.of(List.of(actor(h, "remove", 0, 0)),
                        List.of(actor(h, "get", 0, 0), actor(h, "add0"))),
                List.of(actor(h, "get", 0, 1)),
                null);
        LincheckAssertionError e = assertThrows(LincheckAssertionError.class, () -> new ModelCheckingOptions()
                .iterations(0)
                .invocationsPerIteration(2_000)
                .addCustomScenario(scenario)
                .minimizeFailedScenario(false)
                .check(h));
        assertTrue(String.valueOf(e.getMessage()).contains("IllegalStateException"), e::getMessage);
    }

    // ------------------------------------------------------------------ the check can fail

    /**
     * A deliberately broken test double with ConnMatrix's id scheme: remove reads the generation and then
     * writes generation + 1 (no CAS), so two removers of one id can both return true.
     */
    static IdMap brokenMap() {
        return new IdMap() {
            private final AtomicReferenceArray<Object> conns = new AtomicReferenceArray<>(SHARDS * 4);
            private final AtomicIntegerArray gens = new AtomicIntegerArray(SHARDS * 4);
            private final AtomicIntegerArray next = new AtomicIntegerArray(SHARDS);

            public long add(int shard, Object conn) {
                int slot = next.get(shard);             // never reuses slots: simple, sequentially correct
                next.set(shard, slot + 1);
                int i = shard * 4 + slot;
                int gen = gens.get(i) + 1;
                conns.set(i, conn);
                gens.set(i, gen);
                return ((long) gen << 32) | ((long) shard << 24) | slot;
            }

            private int index(long id) {
                int shard = (int) (id >>> 24) & 0xFF;
                int slot = (int) id & 0xFFFFFF;
                int gen = (int) (id >>> 32);
                return (gen & 1) == 0 || shard >= SHARDS || slot >= 4 ? -1 : shard * 4 + slot;
            }

            public Object get(long id) {
                int i = index(id);
                return i >= 0 && gens.get(i) == (int) (id >>> 32) ? conns.get(i) : null;
            }

            public boolean remove(long id) {
                int i = index(id);
                int gen = (int) (id >>> 32);
                if (i < 0 || gens.get(i) != gen) {
                    return false;
                }
                gens.set(i, gen + 1);                   // BROKEN: check-then-act, not a CAS
                conns.set(i, null);
                return true;
            }

            public boolean remove(long id, Object expected) {
                return get(id) == expected && expected != null && remove(id);
            }

            // counted by scanning, so that at rest they stay right even after a double remove: only the
            // results of the concurrent operations can reveal the bug, not the @Validate check
            public long size() {
                return size(0) + size(1);
            }

            public long size(int shard) {
                int n = 0;
                for (int i = shard * 4; i < shard * 4 + 4; i++) {
                    n += gens.get(i) & 1;
                }
                return n;
            }

            public int countIterated() {
                return (int) size();
            }
        };
    }

    public static class BrokenHarness extends Harness {
        public BrokenHarness() {
            super(brokenMap());
        }
    }

    @Test
    void detectsANonAtomicRemove() {
        LincheckAssertionError e = assertThrows(LincheckAssertionError.class, () -> options()
                .minimizeFailedScenario(false)
                .check(BrokenHarness.class));
        System.out.println("[ConnMatrixLincheckTest] expected failure of the broken double:\n"
                + head(e.getMessage(), 40));
        assertTrue(!String.valueOf(e.getMessage()).contains("Validation function"),
                "the failure must come from the operation results (two removes returning true), not @Validate");
    }

    @Test
    void fixedScenariosDetectANonAtomicRemove() {
        ModelCheckingOptions o = new ModelCheckingOptions().iterations(0).invocationsPerIteration(2_000)
                .minimizeFailedScenario(false);
        for (ExecutionScenario sc : fixedScenarios(BrokenHarness.class)) {
            o.addCustomScenario(sc);
        }
        LincheckAssertionError e = assertThrows(LincheckAssertionError.class, () -> o.check(BrokenHarness.class));
        assertTrue(String.valueOf(e.getMessage()).contains("Invalid execution results"), () -> head(e.getMessage(), 40));
    }

    private static String head(String s, int lines) {
        return String.join("\n", String.valueOf(s).lines().limit(lines).toList()) + "\n  [...]";
    }
}
