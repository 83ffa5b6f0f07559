package dev.netkit.bench.ring;

import dev.netkit.ring.Segments;
import dev.netkit.ring.SpscByteRing;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
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
 * Batches of {@code batch} 64-byte messages (1, 16, 64) from one producer thread to one consumer thread:
 * {@link SpscByteRing}'s batch API against Agrona's {@link OneToOneRingBuffer} used at its best.
 *
 * <ul>
 *   <li>{@code spscBatch}: the producer claims {@code batch × 64} bytes ({@code claim}), copies as many whole
 *       messages as are free into them ({@code put} at offset {@code i × 64}) and publishes them with one
 *       {@code commit}; the consumer peeks everything readable, reads each message's first int (its length
 *       prefix) with {@code getInt} and frees them all with one {@code discard}.</li>
 *   <li>{@code spscBatchViews}: the same protocol through the zero-copy views themselves: the producer
 *       writes each message with an absolute bulk {@code put} into the one or two {@link ByteBuffer}s
 *       {@code claim} returned, the consumer reads each first int with an absolute {@code getInt} from the
 *       views {@code peek} returned, so the ring checks the batch once ({@code claim}, {@code commit},
 *       {@code peek}, {@code discard}) rather than each message (the buffers' own index checks remain).
 *       64 divides the ring, so no message straddles the wrap.</li>
 *   <li>{@code agronaClaim}: Agrona has no batch publish, so its producer does {@code batch} zero-copy
 *       claims, each {@code tryClaim}, {@code putBytes} of the 64 bytes into the claimed index and
 *       {@code commit} (stopping at the first failed claim); its consumer calls
 *       {@code read(handler, limit)} with a limit of every record the ring can hold, so that each call
 *       takes everything available and moves Agrona's head once, and the handler reads each message's
 *       first int.</li>
 * </ul>
 *
 * <p>Both rings hold 64 KiB and copy the same 64 bytes per message from a source outside the ring (the
 * netkit ring from a {@code byte[]}, Agrona from a direct {@link UnsafeBuffer}, as each one's users
 * would). The comparable figure is the {@code received} counter (messages per second; bytes/s =
 * received × 64). Use {@code -prof gc}: every path allocates nothing.
 *
 * <p>{@code copyFloor} (one thread, no ring) is the bound of the producer's work alone: the same
 * {@code batch} copies of 64 bytes into a 64 KiB direct buffer, wrapping as the ring does; its
 * {@code sent} counter is copies (messages) per second. It bounds what any ring that copies each message
 * in on one core can move.
 *
 * <p>{@code lineFloor} (two threads) is the bound of the transport alone: a bare SPSC ring of 64-byte slots
 * in a 64 KiB direct buffer where the producer stores one long per slot (no 64-byte copy, no argument
 * checks, no views) for up to {@code batch} slots and publishes its index once, and the consumer reads one
 * long per slot and publishes its index once per call; indices published as in {@link SpscByteRing} (release/acquire;
 * the producer caches head, the consumer re-reads tail on every call, as a peek of everything does). Every slot is a fresh cache line that must move from the producer's core
 * to the consumer's, so its {@code received} is the most 64-byte messages per second this core pair moves
 * with that many messages per publish.
 *
 * <p>Agrona 2.x reaches {@code jdk.internal.misc.Unsafe}, so this class forks with
 * {@code --add-opens java.base/jdk.internal.misc=ALL-UNNAMED} (bench only; netkit needs none).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Group)
public class SpscBatchBench {
    static final int BYTES = 64 * 1024;
    static final int SIZE = 64;

    @Param({"1", "16", "64"})
    public int batch;

    SpscByteRing ring;
    OneToOneRingBuffer agrona;
    AtomicBuffer agronaBuffer;
    byte[] message;
    UnsafeBuffer agronaMessage;
    int agronaLimit;
    ByteBuffer floor;
    int floorIndex;
    /** lineFloor: the slots; [16] of each array is an index (tail, head), lineTail[17] the producer's cache of head. */
    ByteBuffer lines;
    long[] lineTail;
    long[] lineHead;
    static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    @Setup
    public void setup() {
        ring = SpscByteRing.direct(BYTES);
        agrona = new OneToOneRingBuffer(new UnsafeBuffer(
                ByteBuffer.allocateDirect(BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
        agronaBuffer = agrona.buffer();
        agronaLimit = BYTES / SIZE;                     // more records than the ring can hold: no limit
        message = new byte[SIZE];
        ByteBuffer.wrap(message).putInt(SIZE);
        agronaMessage = new UnsafeBuffer(ByteBuffer.allocateDirect(SIZE));
        agronaMessage.putInt(0, SIZE);
        floor = ByteBuffer.allocateDirect(BYTES);
        lines = ByteBuffer.allocateDirect(BYTES);
        lineTail = new long[32];
        lineHead = new long[32];
    }

    // ------------------------------------------------------------------ SpscByteRing, batch API

    @Benchmark
    @Group("spscBatch")
    @GroupThreads(1)
    public void spscBatchProducer(Counters c) {
        SpscByteRing r = ring;
        Segments free = r.claim(batch * SIZE);
        int k = free.remaining() / SIZE;
        if (k == 0) {
            return;
        }
        for (int i = 0; i < k; i++) {
            r.put(i * SIZE, message, 0, SIZE);
        }
        r.commit(k * SIZE);
        c.sent += k;
    }

    @Benchmark
    @Group("spscBatch")
    @GroupThreads(1)
    public int spscBatchConsumer(Counters c) {
        SpscByteRing r = ring;
        Segments s = r.peek(BYTES);
        int n = s.remaining() / SIZE;
        int sum = 0;
        for (int i = 0; i < n; i++) {
            sum += r.getInt(i * SIZE);
        }
        r.discard(n * SIZE);
        c.received += n;
        return sum;
    }

    // ------------------------------------------------------------------ SpscByteRing, batch API through the views

    @Benchmark
    @Group("spscBatchViews")
    @GroupThreads(1)
    public void spscBatchViewsProducer(Counters c) {
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
        if (k == 0) {
            return;
        }
        r.commit(k * SIZE);
        c.sent += k;
    }

    @Benchmark
    @Group("spscBatchViews")
    @GroupThreads(1)
    public int spscBatchViewsConsumer(Counters c) {
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
        c.received += n;
        return sum;
    }

    // ------------------------------------------------------------------ Agrona OneToOneRingBuffer at its best

    @Benchmark
    @Group("agronaClaim")
    @GroupThreads(1)
    public void agronaClaimProducer(Counters c) {
        OneToOneRingBuffer a = agrona;
        AtomicBuffer b = agronaBuffer;
        int k = 0;
        for (int i = 0; i < batch; i++) {
            int index = a.tryClaim(1, SIZE);
            if (index < 0) {
                break;
            }
            b.putBytes(index, agronaMessage, 0, SIZE);
            a.commit(index);
            k++;
        }
        c.sent += k;
    }

    @Benchmark
    @Group("agronaClaim")
    @GroupThreads(1)
    public int agronaClaimConsumer(Counters c, AgronaReader r) {
        int n = agrona.read(r.handler, agronaLimit);
        c.received += n;
        return n;
    }

    // ------------------------------------------------------------------ the transport alone

    @Benchmark
    @Group("lineFloor")
    @GroupThreads(1)
    public void lineFloorProducer(Counters c) {
        long[] tl = lineTail;
        long t = tl[16];
        int free = BYTES - (int) (t - tl[17]);
        if (free < batch * SIZE) {
            tl[17] = (long) LONGS.getAcquire(lineHead, 16);
            free = BYTES - (int) (t - tl[17]);
        }
        int k = Math.min(batch, free / SIZE);
        if (k == 0) {
            return;
        }
        ByteBuffer l = lines;
        for (int i = 0; i < k; i++) {
            l.putLong((int) ((t + (long) i * SIZE) & (BYTES - 1)), t);
        }
        LONGS.setRelease(tl, 16, t + (long) k * SIZE);
        c.sent += k;
    }

    @Benchmark
    @Group("lineFloor")
    @GroupThreads(1)
    public long lineFloorConsumer(Counters c) {
        long[] hl = lineHead;
        long h = hl[16];
        long t = (long) LONGS.getAcquire(lineTail, 16);
        int n = (int) (t - h) / SIZE;
        if (n == 0) {
            return 0;
        }
        ByteBuffer l = lines;
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += l.getLong((int) ((h + (long) i * SIZE) & (BYTES - 1)));
        }
        LONGS.setRelease(hl, 16, h + (long) n * SIZE);
        c.received += n;
        return sum;
    }

    // ------------------------------------------------------------------ the producer's copies alone

    /** {@code batch} 64-byte copies into a 64 KiB direct buffer, one thread; {@code sent}: copies/s. */
    @Benchmark
    @Group("copyFloor")
    @GroupThreads(1)
    public int copyFloor(Counters c) {
        ByteBuffer f = floor;
        int index = floorIndex;
        for (int i = 0; i < batch; i++) {
            f.put(index, message, 0, SIZE);
            index = (index + SIZE) & (BYTES - 1);
        }
        floorIndex = index;
        c.sent += batch;
        return index;
    }
}
