package dev.netkit.timingwheel;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Lincheck model checking of {@link WheelTimer}'s schedule, cancel and expiry, with a manual-mode timer so
 * that expiry is an operation ({@code advance}) instead of a background thread.
 *
 * <p>The specification is the timer itself run sequentially: {@code newTimeout} (delay 0, the clock fixed)
 * registers timeout number k, {@code cancel(k)} returns true iff timeout k exists, has not run and was not
 * cancelled; {@code advance} runs every registered, uncancelled timeout and returns how many.
 * {@code isCancelled(k)} and {@code ran(k)} read the outcome. Producers of one timeout are one thread (its
 * {@code nonParallelGroup}), as is the driver ({@code advance}), as the manual mode requires; cancels run
 * from any thread. A linearizable run therefore proves, under every explored interleaving: a single winner
 * between cancel and expiry, between two cancels, and that a timeout offered concurrently with an advance
 * is either taken by it or left for the next one, never lost. {@code @Validate} checks at rest, after one
 * more advance, that each timeout ran or was cancelled exactly once and {@code pendingTimeouts()} is 0.
 *
 * <p>The check can fail: on its first run it found {@code advance()} counting a cancelled timeout whose
 * slot it freed as expired (fixed), and {@link #detectsACancelThatIsNotASingleWinner()} runs the same
 * options on a harness whose cancel only tests the state, expecting a Lincheck failure.
 *
 * <p>{@code pendingTimeouts()} itself is not an operation: it is a striped sum, weakly consistent while
 * producers and cancellers run (documented), so only its value at rest is checked.
 */
class WheelTimerLincheckTest {

    static final int MAX = 4;

    public static class Harness {
        private final WheelTimer timer = WheelTimer.manual(() -> 0L, 1L, 0);
        private final AtomicReferenceArray<Timeout> timeouts = new AtomicReferenceArray<>(MAX);
        private final AtomicIntegerArray runs = new AtomicIntegerArray(MAX);
        private final AtomicIntegerArray cancelled = new AtomicIntegerArray(MAX);
        private int issuedA;
        private int issuedB = 2;

        private int schedule(int k) {
            timeouts.set(k, timer.newTimeout(() -> runs.incrementAndGet(k), 0, TimeUnit.NANOSECONDS));
            return k;
        }

        @Operation(nonParallelGroup = "producerA")
        public int newTimeoutA() {
            return issuedA < 2 ? schedule(issuedA++) : -1;
        }

        @Operation(nonParallelGroup = "producerB")
        public int newTimeoutB() {
            return issuedB < 4 ? schedule(issuedB++) : -1;
        }

        /** How this harness cancels; the broken double below overrides it. */
        protected boolean doCancel(Timeout t) {
            return t.cancel();
        }

        @Operation
        public boolean cancel(@Param(gen = IntGen.class, conf = "0:3") int k) {
            Timeout t = timeouts.get(k);
            boolean ok = t != null && doCancel(t);
            if (ok) {
                cancelled.incrementAndGet(k);
            }
            return ok;
        }

        @Operation(nonParallelGroup = "driver")
        public int advance() {
            return timer.advance();
        }

        @Operation
        public boolean ran(@Param(gen = IntGen.class, conf = "0:3") int k) {
            return runs.get(k) > 0;
        }

        @Validate
        public void atRest() {
            timer.advance();
            for (int k = 0; k < MAX; k++) {
                if (timeouts.get(k) == null) {
                    continue;
                }
                int outcomes = runs.get(k) + cancelled.get(k);
                if (outcomes != 1) {
                    throw new IllegalStateException("timeout " + k + ": ran " + runs.get(k) + ", cancelled " + cancelled.get(k));
                }
            }
            if (timer.pendingTimeouts() != 0) {
                throw new IllegalStateException("pendingTimeouts " + timer.pendingTimeouts() + " at rest");
            }
        }
    }

    /**
     * The check can fail: a cancel that only tests the state (check, then nothing: no CAS) answers true for
     * a timeout that then runs. Lincheck must report it.
     */
    public static class BrokenCancelHarness extends Harness {
        @Override
        protected boolean doCancel(Timeout t) {
            return t.isPending();
        }
    }

    @Test
    void detectsACancelThatIsNotASingleWinner() {
        assertThrows(LincheckAssertionError.class, () -> options().minimizeFailedScenario(false)
                .check(BrokenCancelHarness.class));
    }

    static ModelCheckingOptions options() {
        return new ModelCheckingOptions()
                .iterations(10)
                .invocationsPerIteration(300)
                .threads(3)
                .actorsPerThread(2)
                .actorsBefore(1)
                .actorsAfter(1);
    }

    @Test
    void scheduleCancelAndExpiryAreLinearizable() {
        new ModelCheckingOptions()
                .iterations(10)
                .invocationsPerIteration(300)
                .threads(3)
                .actorsPerThread(2)
                .actorsBefore(1)
                .actorsAfter(1)
                .check(Harness.class);
    }
}
