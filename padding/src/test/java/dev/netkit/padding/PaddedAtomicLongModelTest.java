package dev.netkit.padding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.netkit.testkit.Seeds;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Model test: random sequences of every public method of {@link PaddedAtomicLong}, single-threaded, compared
 * step by step with {@link AtomicLong} as the reference. Operands are drawn mostly from edge values (0, ±1,
 * Long.MIN/MAX and their neighbours, int bounds) and from the current value and its neighbours, so that
 * overflow wraps and successful CASes happen often. Each failure message names the seed, the step and the op.
 */
class PaddedAtomicLongModelTest {

    private static final int STEPS = 5_000;

    private static final long[] EDGES = {
            0L, 1L, -1L, 2L, -2L,
            Long.MAX_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE, Long.MIN_VALUE + 1,
            Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, Integer.MIN_VALUE, Integer.MIN_VALUE - 1L,
            1L << 24, (1L << 53) + 1, -(1L << 53) - 1, 0xFFFF_FFFFL,
    };

    enum Op {
        NEW_DEFAULT, NEW_VALUE,
        GET, SET, GET_PLAIN, SET_PLAIN, GET_OPAQUE, SET_OPAQUE, GET_ACQUIRE, SET_RELEASE,
        CAS, CAE, GET_AND_SET, GET_AND_ADD, ADD_AND_GET,
        GET_AND_INCREMENT, INCREMENT_AND_GET, GET_AND_DECREMENT, DECREMENT_AND_GET,
        LONG_VALUE, INT_VALUE, FLOAT_VALUE, DOUBLE_VALUE, SHORT_VALUE, BYTE_VALUE, TO_STRING,
    }

    /** Fixed seeds plus a fresh one, or only those of {@code -Dnetkit.seed} ({@link Seeds}). */
    static LongStream seeds() {
        return Seeds.seeds(1L, 42L, 0xC0FFEEL, -7L, 20240229L, Long.MIN_VALUE);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void randomOperationsMatchAtomicLong(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long init = operand(rnd, 0L);
        PaddedAtomicLong actual = new PaddedAtomicLong(init);
        AtomicLong expected = new AtomicLong(init);
        Op[] ops = Op.values();
        for (int i = 0; i < STEPS; i++) {
            Op op = ops[rnd.nextInt(ops.length)];
            long cur = expected.get();
            long a = operand(rnd, cur);
            long b = operand(rnd, cur);
            int step = i;
            Supplier<String> where = () -> "seed=" + seed + " (replay: -D" + Seeds.PROPERTY + "=" + seed + ")"
                    + " step=" + step + " op=" + op + " a=" + a + " b=" + b
                    + " before=" + cur;
            switch (op) {
                case NEW_DEFAULT -> {
                    actual = new PaddedAtomicLong();
                    expected = new AtomicLong();
                }
                case NEW_VALUE -> {
                    actual = new PaddedAtomicLong(a);
                    expected = new AtomicLong(a);
                }
                case GET -> assertEquals(expected.get(), actual.get(), where);
                case SET -> { actual.set(a); expected.set(a); }
                case GET_PLAIN -> assertEquals(expected.getPlain(), actual.getPlain(), where);
                case SET_PLAIN -> { actual.setPlain(a); expected.setPlain(a); }
                case GET_OPAQUE -> assertEquals(expected.getOpaque(), actual.getOpaque(), where);
                case SET_OPAQUE -> { actual.setOpaque(a); expected.setOpaque(a); }
                case GET_ACQUIRE -> assertEquals(expected.getAcquire(), actual.getAcquire(), where);
                case SET_RELEASE -> { actual.setRelease(a); expected.setRelease(a); }
                case CAS -> assertEquals(expected.compareAndSet(a, b), actual.compareAndSet(a, b), where);
                case CAE -> assertEquals(expected.compareAndExchange(a, b), actual.compareAndExchange(a, b), where);
                case GET_AND_SET -> assertEquals(expected.getAndSet(a), actual.getAndSet(a), where);
                case GET_AND_ADD -> assertEquals(expected.getAndAdd(a), actual.getAndAdd(a), where);
                case ADD_AND_GET -> assertEquals(expected.addAndGet(a), actual.addAndGet(a), where);
                case GET_AND_INCREMENT -> assertEquals(expected.getAndIncrement(), actual.getAndIncrement(), where);
                case INCREMENT_AND_GET -> assertEquals(expected.incrementAndGet(), actual.incrementAndGet(), where);
                case GET_AND_DECREMENT -> assertEquals(expected.getAndDecrement(), actual.getAndDecrement(), where);
                case DECREMENT_AND_GET -> assertEquals(expected.decrementAndGet(), actual.decrementAndGet(), where);
                case LONG_VALUE -> assertEquals(expected.longValue(), actual.longValue(), where);
                case INT_VALUE -> assertEquals(expected.intValue(), actual.intValue(), where);
                case FLOAT_VALUE -> assertEquals(expected.floatValue(), actual.floatValue(), where);
                case DOUBLE_VALUE -> assertEquals(expected.doubleValue(), actual.doubleValue(), where);
                case SHORT_VALUE -> assertEquals(expected.shortValue(), actual.shortValue(), where);
                case BYTE_VALUE -> assertEquals(expected.byteValue(), actual.byteValue(), where);
                case TO_STRING -> assertEquals(expected.toString(), actual.toString(), where);
            }
            // The whole observable state after every step, through all four read modes.
            assertEquals(expected.get(), actual.get(), where);
            assertEquals(expected.get(), actual.getPlain(), where);
            assertEquals(expected.get(), actual.getOpaque(), where);
            assertEquals(expected.get(), actual.getAcquire(), where);
        }
    }

    /** An edge value, the current value or a neighbour of it (so CAS succeeds often), or a random long. */
    private static long operand(SplittableRandom rnd, long current) {
        return switch (rnd.nextInt(6)) {
            case 0, 1 -> EDGES[rnd.nextInt(EDGES.length)];
            case 2 -> current;
            case 3 -> current + rnd.nextInt(-2, 3);
            case 4 -> rnd.nextLong(-1000, 1000);
            default -> rnd.nextLong();
        };
    }

    @Test
    void constructorsAndEdgeValuesWrapLikeLong() {
        assertEquals(0L, new PaddedAtomicLong().get());
        assertEquals("0", new PaddedAtomicLong().toString());
        assertEquals(Long.MIN_VALUE, new PaddedAtomicLong(Long.MAX_VALUE).incrementAndGet());
        assertEquals(Long.MAX_VALUE, new PaddedAtomicLong(Long.MAX_VALUE).getAndIncrement());
        assertEquals(Long.MAX_VALUE, new PaddedAtomicLong(Long.MIN_VALUE).decrementAndGet());
        assertEquals(Long.MIN_VALUE, new PaddedAtomicLong(Long.MIN_VALUE).getAndDecrement());
        assertEquals(-2L, new PaddedAtomicLong(Long.MAX_VALUE).addAndGet(Long.MAX_VALUE));
        assertEquals(0L, new PaddedAtomicLong(Long.MIN_VALUE).addAndGet(Long.MIN_VALUE));

        PaddedAtomicLong v = new PaddedAtomicLong(Long.MIN_VALUE);
        assertEquals(Long.MIN_VALUE, v.getAndAdd(-1L));
        assertEquals(Long.MAX_VALUE, v.get());
        assertEquals(Long.MAX_VALUE, v.compareAndExchange(0L, 5L), "failed exchange returns the witness");
        assertEquals(Long.MAX_VALUE, v.compareAndExchange(Long.MAX_VALUE, Long.MIN_VALUE));
        assertEquals(Long.MIN_VALUE, v.get());
        assertEquals("-9223372036854775808", v.toString());
        assertEquals(0, v.intValue());
        assertEquals(-9.223372036854775808E18, v.doubleValue());
        assertInstanceOf(Number.class, v);
    }
}
