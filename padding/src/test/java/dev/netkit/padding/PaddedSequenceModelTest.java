package dev.netkit.padding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netkit.testkit.Seeds;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Model test: random single-writer sequences of every public method of {@link PaddedSequence}, compared step
 * by step with a plain {@code long}. Includes the rejected negative deltas, which must leave the state alone.
 */
class PaddedSequenceModelTest {

    private static final int STEPS = 5_000;

    enum Op {
        NEW_DEFAULT, NEW_VALUE, GET, GET_PLAIN, SET, ADVANCE, ADVANCE_BY, ADVANCE_NEGATIVE,
        LONG_VALUE, INT_VALUE, FLOAT_VALUE, DOUBLE_VALUE, TO_STRING,
    }

    /** Fixed seeds plus a fresh one, or only those of {@code -Dnetkit.seed} ({@link Seeds}). */
    static LongStream seeds() {
        return Seeds.seeds(1L, 42L, 0xC0FFEEL, -7L, 20240229L, Long.MIN_VALUE);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void randomOperationsMatchPlainLong(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long expected = 0;
        PaddedSequence actual = new PaddedSequence();
        Op[] ops = Op.values();
        for (int i = 0; i < STEPS; i++) {
            Op op = ops[rnd.nextInt(ops.length)];
            long before = expected;
            long a = switch (rnd.nextInt(4)) {
                case 0 -> rnd.nextLong(0, 3);
                case 1 -> rnd.nextLong(0, 1L << 20);
                case 2 -> rnd.nextBoolean() ? Long.MAX_VALUE - rnd.nextInt(3) : Long.MIN_VALUE + rnd.nextInt(3);
                default -> rnd.nextLong();
            };
            int step = i;
            Supplier<String> where = () -> "seed=" + seed + " (replay: -D" + Seeds.PROPERTY + "=" + seed + ")"
                    + " step=" + step + " op=" + op + " a=" + a
                    + " before=" + before;
            switch (op) {
                case NEW_DEFAULT -> { actual = new PaddedSequence(); expected = 0; }
                case NEW_VALUE -> { actual = new PaddedSequence(a); expected = a; }
                case GET -> assertEquals(expected, actual.get(), where);
                case GET_PLAIN -> assertEquals(expected, actual.getPlain(), where);
                case SET -> { actual.set(a); expected = a; }
                case ADVANCE -> assertEquals(++expected, actual.advance(), where);
                case ADVANCE_BY -> {
                    long delta = a == Long.MIN_VALUE ? 0 : Math.abs(a); // >= 0; the sum wraps like long
                    expected += delta;
                    assertEquals(expected, actual.advance(delta), where);
                }
                case ADVANCE_NEGATIVE -> {
                    long delta = a < 0 ? a : -1 - a; // < 0
                    PaddedSequence s = actual;
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.advance(delta),
                            where);
                    assertTrue(e.getMessage().contains(Long.toString(delta)), where);
                }
                case LONG_VALUE -> assertEquals(expected, actual.longValue(), where);
                case INT_VALUE -> assertEquals((int) expected, actual.intValue(), where);
                case FLOAT_VALUE -> assertEquals((float) expected, actual.floatValue(), where);
                case DOUBLE_VALUE -> assertEquals((double) expected, actual.doubleValue(), where);
                case TO_STRING -> assertEquals(Long.toString(expected), actual.toString(), where);
            }
            assertEquals(expected, actual.get(), where);
            assertEquals(expected, actual.getPlain(), where);
        }
    }

    @Test
    void advanceRejectsNegativeDeltaNamingValueAndBound() {
        PaddedSequence s = new PaddedSequence(10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.advance(-1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertTrue(e.getMessage().contains(">= 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> s.advance(Long.MIN_VALUE));
        assertTrue(e.getMessage().contains(Long.toString(Long.MIN_VALUE)), e.getMessage());
        assertEquals(10, s.get(), "a rejected advance leaves the sequence alone");
    }

    @Test
    void constructorsAndAdvance() {
        assertEquals(0, new PaddedSequence().get());
        PaddedSequence s = new PaddedSequence(41);
        assertEquals(42, s.advance());
        assertEquals(42, s.advance(0));
        assertEquals(50, s.advance(8));
        s.set(7);
        assertEquals(7, s.get());
        assertEquals("7", s.toString());
    }
}
