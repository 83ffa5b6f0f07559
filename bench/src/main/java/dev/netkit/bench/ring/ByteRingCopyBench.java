package dev.netkit.bench.ring;

import dev.netkit.ring.BufferProvider;
import dev.netkit.ring.ByteRing;
import dev.netkit.ring.Segments;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One thread, 4 KiB chunks from a heap buffer: {@link ByteRing} {@code write} + {@code peek} + {@code discard}
 * (direct ring of 64 KiB) against the copy ceiling, a plain {@code put} of the same 4 KiB into a direct
 * buffer. {@code byteRingElastic} adds the elastic ring's borrow and return on every chunk (it drains each
 * time), from a one-buffer LIFO pool: the ring gets the same buffer back and reuses its views.
 * {@code byteRingElasticNewViews} borrows from a two-buffer FIFO pool instead, so every borrow gets the other
 * buffer and makes new views: the cost a ring pays when its idle views were collected (or when a pool does
 * not hand back the buffer it last had). Average time per 4 KiB chunk; use {@code -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ByteRingCopyBench {
    static final int CHUNK = 4096;

    ByteBuffer src;
    ByteBuffer ceiling;
    ByteRing ring;
    ByteRing elastic;
    ByteBuffer pooled;
    ByteRing elasticNewViews;
    ArrayDeque<ByteBuffer> fifo;

    @Setup
    public void setup() {
        src = ByteBuffer.allocate(CHUNK);
        for (int i = 0; i < CHUNK; i++) {
            src.put(i, (byte) i);
        }
        ceiling = ByteBuffer.allocateDirect(64 * 1024);
        ring = ByteRing.direct(64 * 1024);
        pooled = ByteBuffer.allocateDirect(64 * 1024);
        elastic = ByteRing.elastic(64 * 1024, BufferProvider.of(n -> {
            ByteBuffer b = pooled;
            pooled = null;
            return b.clear();
        }, b -> pooled = b));
        fifo = new ArrayDeque<>();
        fifo.add(ByteBuffer.allocateDirect(64 * 1024));
        fifo.add(ByteBuffer.allocateDirect(64 * 1024));
        elasticNewViews = ByteRing.elastic(64 * 1024, BufferProvider.of(n -> fifo.poll().clear(), fifo::add));
    }

    /** The ceiling: one 4 KiB put into a direct buffer (position wraps every 16 chunks, as the ring's). */
    @Benchmark
    public ByteBuffer copyCeiling() {
        if (!ceiling.hasRemaining()) {
            ceiling.clear();
        }
        src.clear();
        return ceiling.put(src);
    }

    @Benchmark
    public int byteRing() {
        src.clear();
        ring.write(src);
        Segments s = ring.peek(CHUNK);
        int n = s.remaining();
        ring.discard(n);
        return n;
    }

    @Benchmark
    public int byteRingElastic() {
        src.clear();
        elastic.write(src);
        Segments s = elastic.peek(CHUNK);
        int n = s.remaining();
        elastic.discard(n);
        return n;
    }

    @Benchmark
    public int byteRingElasticNewViews() {
        src.clear();
        elasticNewViews.write(src);
        Segments s = elasticNewViews.peek(CHUNK);
        int n = s.remaining();
        elasticNewViews.discard(n);
        return n;
    }
}
