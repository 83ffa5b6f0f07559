package dev.netkit.pool;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Lincheck model checking of {@link SharedSlots}, the part of the pool that virtual threads share.
 *
 * <ul>
 *   <li>One slot is linearizable as a one-element container ({@link #oneSlotIsLinearizable()}): offer is
 *       one CAS null to object, poll one CAS object to null.</li>
 *   <li>Several slots together are <em>not</em> a linearizable bag, and the class does not claim it:
 *       a poll's scan can miss an object that moved behind it, so it returns empty while the bag never
 *       was. {@link #severalSlotsAreNotALinearizableBag()} shows Lincheck's counterexample.</li>
 *   <li>What the pool relies on, checked over every explored interleaving by a {@code @Validate} method
 *       at rest ({@link #noObjectIsLostOrHandedOutTwice()}): offers, polls and trims racing on
 *       two stripes never hand an object out twice, never hand out an object trim took, and lose
 *       nothing: every object successfully offered is polled, trimmed, or still there.</li>
 * </ul>
 * {@link #theConservationCheckCanFail()} runs the same harness on a deliberately broken bag (poll reads,
 * then clears) and expects a failure.
 */
class SharedSlotsLincheckTest {
    static final Integer[] VALUES = {100_000, 200_000, 300_000};

    /** The operations under test. */
    interface Bag {
        boolean offer(Object o, int hash);

        Object poll(int hash);

        /** Removes everything present, handing each removed object to {@code out}. */
        void trimAll(List<Object> out);

        /** Copies what is present into {@code out} without removing it (at rest); returns the count. */
        int peekAll(Object[] out);
    }

    static Bag shared(int stripes, int width) {
        SharedSlots s = new SharedSlots(stripes, width);
        return new Bag() {
            @Override
            public boolean offer(Object o, int hash) {
                return s.offer(o, hash);
            }

            @Override
            public Object poll(int hash) {
                return s.poll(hash);
            }

            @Override
            public void trimAll(List<Object> out) {
                s.trim(o -> true, out::add);
            }

            @Override
            public int peekAll(Object[] out) {
                int[] n = {0};
                s.forEach(o -> out[n[0]++] = o);
                return n[0];
            }
        };
    }

    /** Broken on purpose: poll reads a slot, then clears it with a plain store (two pollers can win). */
    static Bag broken() {
        AtomicReferenceArray<Object> a = new AtomicReferenceArray<>(2);
        return new Bag() {
            @Override
            public boolean offer(Object o, int hash) {
                for (int i = 0; i < 2; i++) {
                    if (a.compareAndSet(i, null, o)) {
                        return true;
                    }
                }
                return false;
            }

            @Override
            public Object poll(int hash) {
                for (int i = 0; i < 2; i++) {
                    Object o = a.get(i);
                    if (o != null) {
                        a.set(i, null);
                        return o;
                    }
                }
                return null;
            }

            @Override
            public void trimAll(List<Object> out) {
                for (int i = 0; i < 2; i++) {
                    Object o = a.getAndSet(i, null);
                    if (o != null) {
                        out.add(o);
                    }
                }
            }

            @Override
            public int peekAll(Object[] out) {
                int n = 0;
                for (int i = 0; i < 2; i++) {
                    Object o = a.get(i);
                    if (o != null) {
                        out[n++] = o;
                    }
                }
                return n;
            }
        };
    }

    /**
     * Conservation harness: operations return nothing (so any interleaving is trivially linearizable) and
     * record what they did; {@code @Validate} checks the records at rest after every explored execution.
     */
    /** An append-only record, lock-free (a CAS'd index into a fixed array). */
    static final class Record {
        private final AtomicReferenceArray<Object> items = new AtomicReferenceArray<>(64);
        private final AtomicInteger size = new AtomicInteger();

        void add(Object o) {
            items.set(size.getAndIncrement(), o);
        }

        List<Object> list() {
            List<Object> l = new ArrayList<>();
            for (int i = 0; i < size.get(); i++) {
                l.add(items.get(i));
            }
            return l;
        }
    }

    public abstract static class Conservation {
        private final Bag bag;
        private final Record offered = new Record();
        private final Record taken = new Record();

        protected Conservation(Bag bag) {
            this.bag = bag;
        }

        @Operation
        public void offer(@Param(gen = IntGen.class, conf = "0:1") int h) {
            Object o = new Object();
            if (bag.offer(o, h)) {
                offered.add(o);
            }
        }

        @Operation
        public void poll(@Param(gen = IntGen.class, conf = "0:1") int h) {
            Object o = bag.poll(h);
            if (o != null) {
                taken.add(o);
            }
        }

        @Operation
        public void trim() {
            List<Object> out = new ArrayList<>();
            bag.trimAll(out);
            for (Object o : out) {
                taken.add(o);
            }
        }

        @Validate
        public void conserved() {
            // plain arrays and loops only: Lincheck's snapshot tracker trips over collections built here
            Object[] rest = new Object[8];
            int nRest = bag.peekAll(rest);
            int nTaken = taken.size.get();
            int nOffered = offered.size.get();
            for (int i = 0; i < nTaken; i++) {
                Object o = taken.items.get(i);
                for (int j = i + 1; j < nTaken; j++) {
                    if (taken.items.get(j) == o) {
                        throw new IllegalStateException("an object was handed out twice");
                    }
                }
                for (int j = 0; j < nRest; j++) {
                    if (rest[j] == o) {
                        throw new IllegalStateException("an object was both handed out and still pooled");
                    }
                }
                if (!contains(offered, nOffered, o)) {
                    throw new IllegalStateException("handed out an object never offered");
                }
            }
            if (nTaken + nRest != nOffered) {
                throw new IllegalStateException("offered " + nOffered + ", accounted for " + (nTaken + nRest));
            }
        }

        private static boolean contains(Record r, int n, Object o) {
            for (int i = 0; i < n; i++) {
                if (r.items.get(i) == o) {
                    return true;
                }
            }
            return false;
        }
    }

    public static class SharedConservation extends Conservation {
        public SharedConservation() {
            super(shared(2, 1));
        }
    }

    public static class BrokenConservation extends Conservation {
        public BrokenConservation() {
            super(broken());
        }
    }

    public static class OneSlot {
        private final SharedSlots slots = new SharedSlots(1, 1);

        @Operation
        public boolean offer(@Param(gen = IntGen.class, conf = "0:2") int v) {
            return slots.offer(VALUES[v], 0);
        }

        @Operation
        public Object poll() {
            return slots.poll(0);
        }

        @Operation
        public int trim() {
            return slots.trim(o -> true, o -> { });
        }
    }

    public static class TwoSlotsCount {
        private final SharedSlots slots = new SharedSlots(2, 1);

        @Operation
        public boolean offer(@Param(gen = IntGen.class, conf = "0:1") int h) {
            return slots.offer(new Object(), h);
        }

        @Operation
        public boolean poll(@Param(gen = IntGen.class, conf = "0:1") int h) {
            return slots.poll(h) != null;
        }
    }

    static ModelCheckingOptions options() {
        return new ModelCheckingOptions().iterations(12).invocationsPerIteration(300).threads(3)
                .actorsPerThread(2).actorsBefore(2);
    }

    @Test
    void oneSlotIsLinearizable() {
        options().check(OneSlot.class);
    }

    @Test
    void noObjectIsLostOrHandedOutTwice() {
        options().actorsPerThread(3).check(SharedConservation.class);
    }

    @Test
    void theConservationCheckCanFail() {
        assertThrows(LincheckAssertionError.class, () -> options().actorsPerThread(3).check(BrokenConservation.class));
    }

    @Test
    void severalSlotsAreNotALinearizableBag() {
        assertThrows(LincheckAssertionError.class, () -> options().check(TwoSlotsCount.class));
    }

}
