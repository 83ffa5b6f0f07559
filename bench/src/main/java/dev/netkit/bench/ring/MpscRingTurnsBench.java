package dev.netkit.bench.ring;

import dev.netkit.ring.MpscFrameRing;
import dev.netkit.ring.Segments;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link MpscRingBench}'s {@code mpscFrameRing}, {@code mpscFrameRingNoReclaim} and {@code agronaManyToOne}
 * taking turns, one JMH iteration each, in the same fork and on the same three threads (two producers, one
 * consumer), so that each structure's iterations sit beside the others' under the same conditions; see
 * {@link SpscBatchTurnsBench} for why (a fork's mode on this 2-vCPU guest mostly lasts its life).
 *
 * <p>The group state moves {@code turn} on before every iteration ({@code @Setup(Level.Iteration)}, once per
 * group, before any thread starts the iteration); every thread calls the structure whose turn it is exactly as
 * {@code MpscRingBench} does: producers {@code offer(byte[], 0, size)} (netkit) or {@code write} (Agrona),
 * one message per call; the consumer peeks up to 64 frames and discards them at once, as long as any are
 * there (netkit), or {@code read(handler)} (Agrona), reading each message's first int. A message left in a
 * structure at the end of its turn is taken in its next turn. Rings of 64 KiB; the default reclaim timeout
 * (1 s) for {@code netkit}, none for {@code netkitNoReclaim}.
 *
 * <p>The scores: the counters {@code netkit}, {@code netkitNoReclaim} and {@code agrona} (messages the
 * consumer took per second), each zero outside its structure's turns. Pair two with
 * {@code java -cp bench/target/benchmarks.jar dev.netkit.bench.charts.Turns FILE netkit agrona}. Forks with
 * {@code --add-opens java.base/jdk.internal.misc=ALL-UNNAMED} for Agrona 2.x (bench only).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 15, time = 1)
@Fork(value = 10, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Group)
public class MpscRingTurnsBench {
    static final int BYTES = 64 * 1024;

    /** Message size in bytes. */
    @Param({"64"})
    public int size;

    MpscFrameRing ring;
    MpscFrameRing noReclaim;
    ManyToOneRingBuffer agrona;
    byte[] message;
    UnsafeBuffer agronaMessage;
    /** 0: netkit, 1: netkit without reclaim, 2: Agrona; written only by the iteration setup. */
    int turn = -1;

    /** Messages taken per second by the consumer, one counter per structure (zero outside its turns). */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class TurnCounters {
        /** Messages the consumer took from {@code MpscFrameRing} with the default reclaim timeout. */
        public long netkit;
        /** Messages the consumer took from {@code MpscFrameRing} with reclaim off. */
        public long netkitNoReclaim;
        /** Messages the consumer took from Agrona's {@code ManyToOneRingBuffer}. */
        public long agrona;

        /** JMH leaves resetting event counters to the benchmark. */
        @Setup(Level.Iteration)
        public void clear() {
            netkit = 0;
            netkitNoReclaim = 0;
            agrona = 0;
        }
    }

    @Setup(Level.Trial)
    public void setup() {
        ring = new MpscFrameRing(BYTES, 64, MpscFrameRing.DEFAULT_RECLAIM_TIMEOUT_NANOS, System::nanoTime);
        noReclaim = new MpscFrameRing(BYTES, 64, Long.MAX_VALUE, System::nanoTime);
        agrona = new ManyToOneRingBuffer(new UnsafeBuffer(
                ByteBuffer.allocateDirect(BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
        message = new byte[size];
        ByteBuffer.wrap(message).putInt(size);
        agronaMessage = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
        agronaMessage.putInt(0, size);
    }

    /** Hands the next iteration to the next structure. */
    @Setup(Level.Iteration)
    public void nextTurn() {
        turn = (turn + 1) % 3;
    }

    @Benchmark
    @Group("turns")
    @GroupThreads(2)
    public boolean producer() {
        return switch (turn) {
            case 0 -> ring.offer(message, 0, size);
            case 1 -> noReclaim.offer(message, 0, size);
            default -> agrona.write(1, agronaMessage, 0, size);
        };
    }

    @Benchmark
    @Group("turns")
    @GroupThreads(1)
    public void consumer(TurnCounters c, AgronaReader reader, Blackhole bh) {
        switch (turn) {
            case 0 -> c.netkit += drain(ring, bh);
            case 1 -> c.netkitNoReclaim += drain(noReclaim, bh);
            default -> c.agrona += agrona.read(reader.handler);
        }
    }

    /** {@code MpscRingBench.drain}'s loop: peeks of up to 64 frames, each discarded at once, while any are there. */
    private static int drain(MpscFrameRing ring, Blackhole bh) {
        int total = 0;
        int sum = 0;
        while (true) {
            Segments s = ring.peek(64);
            int n = s.count();
            if (n == 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                ByteBuffer b = s.get(i);
                sum += b.getInt(b.position());
            }
            ring.discard(n);
            total += n;
        }
        bh.consume(sum);
        return total;
    }
}
