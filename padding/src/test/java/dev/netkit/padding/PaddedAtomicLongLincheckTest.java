package dev.netkit.padding;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.LongGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Lincheck: {@link PaddedAtomicLong} used through its volatile and read-modify-write methods is linearizable
 * with respect to {@link AtomicLong} as the sequential specification. Operands come from a tiny range so
 * that CAS succeeds and fails in the explored executions.
 */
@Param(name = "v", gen = LongGen.class, conf = "-2:2")
public class PaddedAtomicLongLincheckTest {

    private final PaddedAtomicLong value = new PaddedAtomicLong();

    /** Instantiated reflectively by Lincheck. */
    public PaddedAtomicLongLincheckTest() {
    }

    @Operation
    public long get() {
        return value.get();
    }

    @Operation
    public void set(@Param(name = "v") long v) {
        value.set(v);
    }

    @Operation
    public long getAndAdd(@Param(name = "v") long d) {
        return value.getAndAdd(d);
    }

    @Operation
    public long addAndGet(@Param(name = "v") long d) {
        return value.addAndGet(d);
    }

    @Operation
    public long incrementAndGet() {
        return value.incrementAndGet();
    }

    @Operation
    public boolean compareAndSet(@Param(name = "v") long expected, @Param(name = "v") long newValue) {
        return value.compareAndSet(expected, newValue);
    }

    @Operation
    public long getAndSet(@Param(name = "v") long v) {
        return value.getAndSet(v);
    }

    @Operation
    public long compareAndExchange(@Param(name = "v") long expected, @Param(name = "v") long newValue) {
        return value.compareAndExchange(expected, newValue);
    }

    /** The sequential specification: the same operations on a JDK AtomicLong, run one at a time. */
    public static class AtomicLongSpec {
        private final AtomicLong value = new AtomicLong();

        /** Instantiated reflectively by Lincheck. */
        public AtomicLongSpec() {
        }

        public long get() { return value.get(); }
        public void set(long v) { value.set(v); }
        public long getAndAdd(long d) { return value.getAndAdd(d); }
        public long addAndGet(long d) { return value.addAndGet(d); }
        public long incrementAndGet() { return value.incrementAndGet(); }
        public boolean compareAndSet(long e, long n) { return value.compareAndSet(e, n); }
        public long getAndSet(long v) { return value.getAndSet(v); }
        public long compareAndExchange(long e, long n) { return value.compareAndExchange(e, n); }
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions()
                .iterations(30)
                .invocationsPerIteration(500)
                .threads(3)
                .actorsPerThread(2)
                .actorsBefore(1)
                .actorsAfter(1)
                .sequentialSpecification(AtomicLongSpec.class)
                .check(PaddedAtomicLongLincheckTest.class);
    }

    @Test
    void stress() {
        new StressOptions()
                .iterations(4)
                .invocationsPerIteration(300)
                .threads(2)
                .actorsPerThread(3)
                .sequentialSpecification(AtomicLongSpec.class)
                .check(PaddedAtomicLongLincheckTest.class);
    }

    // ------------------------------------------------------------------ the check can fail

    /**
     * Negative control: the same test against a deliberately broken getAndAdd (a volatile read, then a
     * volatile write: not atomic). Lincheck must report a linearizability failure; if it ever stops doing so,
     * the positive test above proves nothing.
     */
    @Test
    void modelCheckingDetectsANonAtomicGetAndAdd() {
        LincheckAssertionError e = assertThrows(LincheckAssertionError.class, () -> new ModelCheckingOptions()
                .iterations(30)
                .invocationsPerIteration(500)
                .threads(2)
                .actorsPerThread(2)
                .actorsBefore(0)
                .actorsAfter(1)
                .minimizeFailedScenario(false)
                .sequentialSpecification(BrokenSpec.class)
                .check(BrokenGetAndAdd.class));
        System.out.println("Expected Lincheck failure (negative control):\n" + e.getMessage());
        assertTrue(e.getMessage().contains("Invalid execution results"), "a linearizability failure, not a crash");
    }

    /** Test-only broken counterpart; not a netkit class. */
    public static class BrokenGetAndAdd {
        private final PaddedAtomicLong value = new PaddedAtomicLong();

        /** Instantiated reflectively by Lincheck. */
        public BrokenGetAndAdd() {
        }

        @Operation
        public long get() {
            return value.get();
        }

        @Operation
        public long getAndAdd() {
            long old = value.get();
            value.set(old + 1); // lost update when two threads interleave here
            return old;
        }
    }

    public static class BrokenSpec {
        private long value;

        /** Instantiated reflectively by Lincheck. */
        public BrokenSpec() {
        }

        public long get() { return value; }
        public long getAndAdd() { return value++; }
    }
}
