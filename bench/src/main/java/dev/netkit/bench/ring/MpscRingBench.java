package dev.netkit.bench.ring;

import dev.netkit.ring.MpscFrameRing;
import dev.netkit.ring.Segments;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.jctools.queues.MpscArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Producers (2 by default: {@code @GroupThreads(2)}; {@code -tg 4,1} or {@code -tg 8,1} on a larger
 * machine) and one consumer moving 64-byte messages through {@link MpscFrameRing} ({@code offer(byte[])}:
 * claim, copy, commit; {@code mpscFrameRing} with the default 1 s reclaim timeout, so commit is a CAS,
 * {@code mpscFrameRingNoReclaim} with reclaim off, so commit is a release store), Agrona's {@link ManyToOneRingBuffer} ({@code write}) and, passing references, JCTools'
 * {@link MpscArrayQueue}. The consumer takes everything available per call (MpscFrameRing: peeks of up to 64
 * frames and one discard each; Agrona: {@code read}; JCTools: {@code drain}) and reads each byte message's
 * first int. The comparable figure is the {@code received} counter (messages per second). Rings hold 64 KiB,
 * the queue 1,024 slots. Use {@code -prof gc}.
 *
 * <p>Forks with {@code --add-opens java.base/jdk.internal.misc=ALL-UNNAMED} for Agrona 2.x (bench only).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Group)
public class MpscRingBench {
    static final int BYTES = 64 * 1024;
    static final int SIZE = 64;

    MpscFrameRing ring;
    MpscFrameRing noReclaim;
    ManyToOneRingBuffer agrona;
    MpscArrayQueue<Object> jctools;
    final byte[] message = ByteBuffer.allocate(SIZE).putInt(SIZE).array();
    UnsafeBuffer agronaMessage;
    final Object ref = new Object();
    int sink;
    /** Made once: a capturing lambda per call would allocate. */
    final org.agrona.concurrent.MessageHandler handler = (type, buffer, index, length) -> sink += buffer.getInt(index);

    @Setup
    public void setup() {
        ring = new MpscFrameRing(BYTES, 64, MpscFrameRing.DEFAULT_RECLAIM_TIMEOUT_NANOS, System::nanoTime);
        noReclaim = new MpscFrameRing(BYTES, 64, Long.MAX_VALUE, System::nanoTime);
        agrona = new ManyToOneRingBuffer(new UnsafeBuffer(
                ByteBuffer.allocateDirect(BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
        jctools = new MpscArrayQueue<>(BYTES / SIZE);
        agronaMessage = new UnsafeBuffer(ByteBuffer.allocateDirect(SIZE));
        agronaMessage.putInt(0, SIZE);
    }

    @Benchmark
    @Group("mpscFrameRing")
    @GroupThreads(2)
    public void mpscFrameRingProducer(Counters c) {
        if (ring.offer(message, 0, SIZE)) {
            c.sent++;
        }
    }

    @Benchmark
    @Group("mpscFrameRing")
    @GroupThreads(1)
    public int mpscFrameRingConsumer(Counters c) {
        return drain(ring, c);
    }

    @Benchmark
    @Group("mpscFrameRingNoReclaim")
    @GroupThreads(2)
    public void mpscFrameRingNoReclaimProducer(Counters c) {
        if (noReclaim.offer(message, 0, SIZE)) {
            c.sent++;
        }
    }

    @Benchmark
    @Group("mpscFrameRingNoReclaim")
    @GroupThreads(1)
    public int mpscFrameRingNoReclaimConsumer(Counters c) {
        return drain(noReclaim, c);
    }

    static int drain(MpscFrameRing ring, Counters c) {
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
        c.received += total;
        return sum;
    }

    @Benchmark
    @Group("agronaManyToOne")
    @GroupThreads(2)
    public void agronaManyToOneProducer(Counters c) {
        if (agrona.write(1, agronaMessage, 0, SIZE)) {
            c.sent++;
        }
    }

    @Benchmark
    @Group("agronaManyToOne")
    @GroupThreads(1)
    public int agronaManyToOneConsumer(Counters c) {
        int n = agrona.read(handler);
        c.received += n;
        return n;
    }

    @Benchmark
    @Group("jctoolsMpscArrayQueue")
    @GroupThreads(2)
    public void jctoolsProducer(Counters c) {
        if (jctools.offer(ref)) {
            c.sent++;
        }
    }

    @Benchmark
    @Group("jctoolsMpscArrayQueue")
    @GroupThreads(1)
    public int jctoolsConsumer(Counters c) {
        int n = jctools.drain(e -> { });
        c.received += n;
        return n;
    }
}
