package dev.netkit.bench.ring;

import dev.netkit.ring.Segments;
import dev.netkit.ring.SpscByteRing;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link SpscBatchBench}'s {@code spscBatchViews} and {@code agronaClaim} taking turns, one iteration each,
 * in the same fork and on the same two threads, so that each netkit iteration has an Agrona iteration beside
 * it under the same conditions.
 *
 * <p>Why: on this project's 2-vCPU guest a two-thread fork mostly keeps a fast or a slow mode for its whole
 * life (SpscBatchBench's {@code lineFloor}, the bare transport, measured 74 M slots/s in one fork and 352 M in
 * the next), so a ratio of two forks, even two forks run seconds apart ({@code bench/interleave}), carries
 * that 5x. Within one fork the mode mostly holds, so iterations of the two rings side by side compare them
 * in the same mode.
 *
 * <p>The group state flips {@code turn} before every iteration ({@code @Setup(Level.Iteration)}; JMH runs it
 * once per group, before either thread starts the iteration). Both threads call the ring whose turn it is,
 * exactly as in {@code SpscBatchBench}: netkit's producer claims {@code batch × 64} bytes, writes each
 * message with an absolute bulk {@code put} into the claimed views and commits once; its consumer peeks
 * everything, reads each message's first int from the views and discards once. Agrona's producer does
 * {@code tryClaim}, {@code putBytes}, {@code commit} per message, its consumer {@code read(handler, limit)}
 * with a limit of all the ring holds. Messages left in a ring at the end of its turn are taken in its next
 * turn. Both paths are compiled into the same methods during the warm-up, which runs both turns.
 *
 * <p>The scores: the {@code netkit} and {@code agrona} counters (messages the consumer took per second);
 * in each iteration one of them is zero. Pair them iteration by iteration with
 * {@code java -cp bench/target/benchmarks.jar dev.netkit.bench.charts.Turns FILE netkit agrona}: JMH's own
 * mean of either counter averages in the other's turns and is not the rate. Forks with
 * {@code --add-opens java.base/jdk.internal.misc=ALL-UNNAMED} for Agrona 2.x (bench only).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 10, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Group)
public class SpscBatchTurnsBench {
    static final int BYTES = 64 * 1024;
    static final int SIZE = 64;

    /** Messages per commit (netkit) or per producer call (Agrona). */
    @Param({"64"})
    public int batch;

    SpscByteRing ring;
    OneToOneRingBuffer agrona;
    AtomicBuffer agronaBuffer;
    byte[] message;
    UnsafeBuffer agronaMessage;
    int agronaLimit;
    /** True while it is Agrona's turn; written only by the iteration setup. */
    boolean agronaTurn;

    /** Messages taken per second by the consumer, one counter per ring (the other is 0 in each iteration). */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class TurnCounters {
        /** Messages the consumer took from netkit's {@code SpscByteRing}. */
        public long netkit;
        /** Messages the consumer took from Agrona's {@code OneToOneRingBuffer}. */
        public long agrona;

        /** JMH leaves resetting event counters to the benchmark. */
        @Setup(Level.Iteration)
        public void clear() {
            netkit = 0;
            agrona = 0;
        }
    }

    @Setup(Level.Trial)
    public void setup() {
        ring = SpscByteRing.direct(BYTES);
        agrona = new OneToOneRingBuffer(new UnsafeBuffer(
                ByteBuffer.allocateDirect(BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
        agronaBuffer = agrona.buffer();
        agronaLimit = BYTES / SIZE;
        message = new byte[SIZE];
        ByteBuffer.wrap(message).putInt(SIZE);
        agronaMessage = new UnsafeBuffer(ByteBuffer.allocateDirect(SIZE));
        agronaMessage.putInt(0, SIZE);
    }

    /** Hands the next iteration to the other ring. */
    @Setup(Level.Iteration)
    public void nextTurn() {
        agronaTurn = !agronaTurn;
    }

    @Benchmark
    @Group("turns")
    @GroupThreads(1)
    public void producer() {
        if (agronaTurn) {
            agronaProduce();
        } else {
            netkitProduce();
        }
    }

    @Benchmark
    @Group("turns")
    @GroupThreads(1)
    public int consumer(TurnCounters c, AgronaReader reader) {
        if (agronaTurn) {
            int n = agrona.read(reader.handler, agronaLimit);
            c.agrona += n;
            return n;
        }
        return netkitConsume(c);
    }

    private void netkitProduce() {
        SpscByteRing r = ring;
        Segments free = r.claim(batch * SIZE);
        int k = 0;
        for (int j = 0; j < free.count(); j++) {        // two views when the claim wraps; 64 divides the ring
            ByteBuffer b = free.get(j);
            int at = b.position();
            int m = b.remaining() / SIZE;
            for (int i = 0; i < m; i++) {
                b.put(at + i * SIZE, message, 0, SIZE);
            }
            k += m;
        }
        if (k != 0) {
            r.commit(k * SIZE);
        }
    }

    private int netkitConsume(TurnCounters c) {
        SpscByteRing r = ring;
        Segments s = r.peek(BYTES);
        int n = 0;
        int sum = 0;
        for (int j = 0; j < s.count(); j++) {
            ByteBuffer b = s.get(j);
            int at = b.position();
            int m = b.remaining() / SIZE;
            for (int i = 0; i < m; i++) {
                sum += b.getInt(at + i * SIZE);
            }
            n += m;
        }
        r.discard(n * SIZE);
        c.netkit += n;
        return sum;
    }

    private void agronaProduce() {
        OneToOneRingBuffer a = agrona;
        AtomicBuffer b = agronaBuffer;
        for (int i = 0; i < batch; i++) {
            int index = a.tryClaim(1, SIZE);
            if (index < 0) {
                break;
            }
            b.putBytes(index, agronaMessage, 0, SIZE);
            a.commit(index);
        }
    }
}
