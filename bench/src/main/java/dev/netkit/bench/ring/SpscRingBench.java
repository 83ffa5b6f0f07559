package dev.netkit.bench.ring;

import dev.netkit.ring.Segments;
import dev.netkit.ring.SpscByteRing;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.jctools.queues.SpscArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One producer thread and one consumer thread moving {@code size}-byte messages (64 B and 1 KiB) through
 * {@link SpscByteRing}, Agrona's {@link OneToOneRingBuffer}, and, passing references to a preallocated
 * message instead of bytes, JCTools' {@link SpscArrayQueue} and {@link ArrayBlockingQueue}.
 *
 * <p>Each group is a producer (one offer per call) and a consumer (one call takes every message available,
 * as an event loop would: a peek of all readable bytes and one discard; Agrona's {@code read} of all records;
 * JCTools' {@code drain}; {@code ArrayBlockingQueue} one {@code poll}). The consumer reads the first 4 bytes
 * of each byte message (a length prefix), so both byte rings touch the data without copying it out. The
 * comparable figure is the {@code received} counter: messages per second; bytes/s = received x size. Byte
 * rings hold 64 KiB; the reference queues hold 64 KiB / size slots. Use {@code -prof gc}: every path
 * allocates nothing.
 *
 * <p>Agrona 2.x reaches {@code jdk.internal.misc.Unsafe}, so this class forks with
 * {@code --add-opens java.base/jdk.internal.misc=ALL-UNNAMED} (bench only; netkit needs none).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Group)
public class SpscRingBench {
    static final int BYTES = 64 * 1024;

    @Param({"64", "1024"})
    public int size;

    SpscByteRing ring;
    OneToOneRingBuffer agrona;
    SpscArrayQueue<Object> jctools;
    ArrayBlockingQueue<Object> abq;
    byte[] message;
    UnsafeBuffer agronaMessage;
    final Object ref = new Object();

    @Setup
    public void setup() {
        ring = SpscByteRing.direct(BYTES);
        agrona = new OneToOneRingBuffer(new UnsafeBuffer(
                ByteBuffer.allocateDirect(BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
        jctools = new SpscArrayQueue<>(BYTES / size);
        abq = new ArrayBlockingQueue<>(BYTES / size);
        message = new byte[size];
        ByteBuffer.wrap(message).putInt(size);
        agronaMessage = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
        agronaMessage.putInt(0, size);
    }

    // ------------------------------------------------------------------ SpscByteRing

    @Benchmark
    @Group("spscByteRing")
    @GroupThreads(1)
    public void spscByteRingProducer(Counters c) {
        if (ring.offer(message, 0, size)) {
            c.sent++;
        }
    }

    @Benchmark
    @Group("spscByteRing")
    @GroupThreads(1)
    public int spscByteRingConsumer(Counters c) {
        Segments s = ring.peek(BYTES);
        int n = s.remaining() / size;
        int sum = 0;
        for (int i = 0; i < n; i++) {
            sum += ring.getInt(i * size);
        }
        ring.discard(n * size);
        c.received += n;
        return sum;
    }

    // ------------------------------------------------------------------ Agrona OneToOneRingBuffer

    @Benchmark
    @Group("agronaOneToOne")
    @GroupThreads(1)
    public void agronaOneToOneProducer(Counters c) {
        if (agrona.write(1, agronaMessage, 0, size)) {
            c.sent++;
        }
    }

    @Benchmark
    @Group("agronaOneToOne")
    @GroupThreads(1)
    public int agronaOneToOneConsumer(Counters c, AgronaReader r) {
        int n = agrona.read(r.handler);
        c.received += n;
        return n;
    }

    // ------------------------------------------------------------------ JCTools SpscArrayQueue (references)

    @Benchmark
    @Group("jctoolsSpscArrayQueue")
    @GroupThreads(1)
    public void jctoolsProducer(Counters c) {
        if (jctools.offer(ref)) {
            c.sent++;
        }
    }

    @Benchmark
    @Group("jctoolsSpscArrayQueue")
    @GroupThreads(1)
    public int jctoolsConsumer(Counters c) {
        int n = jctools.drain(e -> { });
        c.received += n;
        return n;
    }

    // ------------------------------------------------------------------ ArrayBlockingQueue (references)

    @Benchmark
    @Group("arrayBlockingQueue")
    @GroupThreads(1)
    public void abqProducer(Counters c) {
        if (abq.offer(ref)) {
            c.sent++;
        }
    }

    @Benchmark
    @Group("arrayBlockingQueue")
    @GroupThreads(1)
    public Object abqConsumer(Counters c) {
        Object o = abq.poll();
        if (o != null) {
            c.received++;
        }
        return o;
    }
}
