package dev.netkit.bench.ring;

import dev.netkit.pool.BufferPool;
import dev.netkit.pool.ObjectPool;
import dev.netkit.ring.BufferProvider;
import dev.netkit.ring.MpscChunkedFrameQueue;
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
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Producers (2 by default: {@code @GroupThreads(2)}; {@code -tg 4,1} or {@code -tg 8,1} on a larger
 * machine) and one consumer moving {@code size}-byte messages (64 B and 1 KiB, {@code @Param}) through:
 * <ul>
 *   <li>{@link MpscFrameRing} ({@code offer(byte[])}: claim, copy, commit): {@code mpscFrameRing} with the
 *       default 1 s reclaim timeout, so commit is a CAS; {@code mpscFrameRingNoReclaim} with reclaim off, so
 *       commit is a release store. A 64 KiB ring.</li>
 *   <li>{@link MpscChunkedFrameQueue} ({@code offer(byte[])}, the same claim, copy, commit):
 *       {@code mpscChunkedQueue} with the default 1 s reclaim timeout, {@code mpscChunkedQueueNoReclaim}
 *       with reclaim off. A 64 KiB byte budget in {@value #CHUNK}-byte chunks, borrowed from and given back
 *       to a direct {@link BufferPool} through {@code BufferProvider.of(pool::acquire, pool::release)}, as
 *       the reactor does: producers borrow a chunk (the queue's spare, else the pool) each time the tail
 *       crosses into a new one, and the consumer parks or gives back each chunk it has consumed to its end,
 *       so the figures include that chunk churn (about every 56 frames at 64 B; every 3 at 1 KiB, where a
 *       4 KiB chunk holds three 1,032-byte records and 1,000 bytes of end padding).</li>
 *   <li>Agrona's {@link ManyToOneRingBuffer} ({@code write}), 64 KiB.</li>
 *   <li>JCTools' {@link MpscArrayQueue}, passing references to one preallocated object whatever
 *       {@code size} is (its {@code size} only sets the slot count, 64 KiB / size, as in
 *       {@code SpscRingBench}): a reference-passing ceiling, not a byte queue.</li>
 * </ul>
 * The consumer takes everything available per call (MpscFrameRing and MpscChunkedFrameQueue: peeks of up to
 * 64 frames and one discard each; Agrona: {@code read}; JCTools: {@code drain}) and reads each byte message's
 * first int. The comparable figure is the {@code received} counter: messages per second taken by the
 * consumer (bytes/s = received x size); the primary score counts calls, successful or not, and is not
 * comparable between groups. Use {@code -prof gc}: {@code gc.alloc.rate.norm} (B/op) is per call of either
 * role (producer calls that found the queue full included), and the goal is about 0 on every byte path in
 * steady state, the chunked queue's chunk churn included. The pool recycles the chunks (per-thread caches,
 * and the borrowing producer's inbox for those the consumer gives back); what would still show there is a
 * chunk buffer the pool had to create, or a peek view the queue makes for a chunk buffer it has not kept
 * views for. At the end of each iteration of a chunked group the forked JVM prints one line: the pool's
 * activity during that iteration ({@code acquired}: chunks borrowed from the pool rather than the spare;
 * {@code created}: chunk buffers it had to allocate; {@code dropped}: buffers it let go) and the chunks the
 * queue holds at that moment, which shows the churn and whether the pool kept up.
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
    /** Ring capacity, and the chunked queue's byte budget. */
    static final int BYTES = 64 * 1024;
    /**
     * The chunked queue's chunk size: the pool's smallest default size class and the page size, and small
     * enough against the 64 KiB budget (16 chunks) that chunks churn often. A constant, not a
     * {@code @Param}: a parameter multiplies every group of the class, not only the chunked ones.
     */
    static final int CHUNK = 4 * 1024;

    /** Message size in bytes, every group (JCTools: slot count only). */
    @Param({"64", "1024"})
    public int size;

    MpscFrameRing ring;
    MpscFrameRing noReclaim;
    BufferPool pool;
    MpscChunkedFrameQueue chunked;
    MpscChunkedFrameQueue chunkedNoReclaim;
    ObjectPool.Stats poolBefore;
    ManyToOneRingBuffer agrona;
    MpscArrayQueue<Object> jctools;
    byte[] message;
    UnsafeBuffer agronaMessage;
    final Object ref = new Object();

    @Setup
    public void setup() {
        ring = new MpscFrameRing(BYTES, 64, MpscFrameRing.DEFAULT_RECLAIM_TIMEOUT_NANOS, System::nanoTime);
        noReclaim = new MpscFrameRing(BYTES, 64, Long.MAX_VALUE, System::nanoTime);
        // Chunks are borrowed on producer threads and given back on the consumer thread, into their
        // borrower's bounded inbox (capacityPerThread): 64, as the reactor's floor, holds more than a queue's
        // most (19 chunks: 16 + 2, plus the spare); the default 16 dropped returns, and the pool re-created them.
        pool = BufferPool.direct().sizeClasses(CHUNK, CHUNK).capacityPerThread(64).build();
        BufferProvider chunks = BufferProvider.of(pool::acquire, pool::release);
        chunked = new MpscChunkedFrameQueue(CHUNK, BYTES, 64, MpscFrameRing.DEFAULT_RECLAIM_TIMEOUT_NANOS,
                System::nanoTime, chunks);
        chunkedNoReclaim = new MpscChunkedFrameQueue(CHUNK, BYTES, 64, Long.MAX_VALUE, System::nanoTime, chunks);
        agrona = new ManyToOneRingBuffer(new UnsafeBuffer(
                ByteBuffer.allocateDirect(BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
        jctools = new MpscArrayQueue<>(BYTES / size);
        message = new byte[size];
        ByteBuffer.wrap(message).putInt(size);
        agronaMessage = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
        agronaMessage.putInt(0, size);
        poolBefore = pool.stats();
    }

    /** Prints the pool's activity during the iteration, for the chunked groups only (others leave it idle). */
    @TearDown(Level.Iteration)
    public void poolActivity() {
        ObjectPool.Stats now = pool.stats();
        long acquired = now.acquired() - poolBefore.acquired();
        if (acquired > 0) {
            System.out.println("pool (chunks of " + CHUNK + " B) this iteration: acquired " + acquired
                    + ", released " + (now.released() - poolBefore.released())
                    + ", created " + (now.created() - poolBefore.created())
                    + ", dropped " + (now.dropped() - poolBefore.dropped())
                    + "; queue holds " + Math.max(chunked.chunks(), chunkedNoReclaim.chunks()) + " chunks");
        }
        poolBefore = now;
    }

    @Benchmark
    @Group("mpscFrameRing")
    @GroupThreads(2)
    public void mpscFrameRingProducer(Counters c) {
        if (ring.offer(message, 0, size)) {
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
        if (noReclaim.offer(message, 0, size)) {
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
    @Group("mpscChunkedQueue")
    @GroupThreads(2)
    public void mpscChunkedQueueProducer(Counters c) {
        if (chunked.offer(message, 0, size)) {
            c.sent++;
        }
    }

    @Benchmark
    @Group("mpscChunkedQueue")
    @GroupThreads(1)
    public int mpscChunkedQueueConsumer(Counters c) {
        return drain(chunked, c);
    }

    @Benchmark
    @Group("mpscChunkedQueueNoReclaim")
    @GroupThreads(2)
    public void mpscChunkedQueueNoReclaimProducer(Counters c) {
        if (chunkedNoReclaim.offer(message, 0, size)) {
            c.sent++;
        }
    }

    @Benchmark
    @Group("mpscChunkedQueueNoReclaim")
    @GroupThreads(1)
    public int mpscChunkedQueueNoReclaimConsumer(Counters c) {
        return drain(chunkedNoReclaim, c);
    }

    /** {@link #drain(MpscFrameRing, Counters)}'s loop over the chunked queue. */
    static int drain(MpscChunkedFrameQueue queue, Counters c) {
        int total = 0;
        int sum = 0;
        while (true) {
            Segments s = queue.peek(64);
            int n = s.count();
            if (n == 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                ByteBuffer b = s.get(i);
                sum += b.getInt(b.position());
            }
            queue.discard(n);
            total += n;
        }
        c.received += total;
        return sum;
    }

    @Benchmark
    @Group("agronaManyToOne")
    @GroupThreads(2)
    public void agronaManyToOneProducer(Counters c) {
        if (agrona.write(1, agronaMessage, 0, size)) {
            c.sent++;
        }
    }

    @Benchmark
    @Group("agronaManyToOne")
    @GroupThreads(1)
    public int agronaManyToOneConsumer(Counters c, AgronaReader r) {
        int n = agrona.read(r.handler);
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
