package dev.netkit.bench.pool;

import dev.netkit.pool.BufferPool;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A 16 KiB direct buffer, acquire + write 8 bytes + release: netkit's {@link BufferPool} against
 * {@link ByteBuffer#allocateDirect} (zeroed memory, a {@code Cleaner}, freed only by the GC; the JDK calls
 * {@code System.gc()} when the direct-memory limit is reached) and Netty's
 * {@code PooledByteBufAllocator} (a jemalloc-style arena). The JMH threads are Netty
 * {@code FastThreadLocalThread}s ({@link FastThreadLocalExecutor}), the threads of Netty's event loops:
 * only there (by default, {@code io.netty.allocator.useCacheForAllThreads=false}) does Netty's allocator
 * keep a per-thread cache, without which every buffer goes to a shared arena under its lock. netkit's pool
 * caches per thread on any thread. The fork caps direct memory at 256 MiB so {@code allocateDirect} pays
 * its real reclamation cost.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:MaxDirectMemorySize=256m", "-Djmh.executor=CUSTOM",
        "-Djmh.executor.class=dev.netkit.bench.pool.FastThreadLocalExecutor"})
@State(Scope.Thread)
public class BufferPoolBench {
    static final int SIZE = 16 * 1024;

    BufferPool pool;
    PooledByteBufAllocator netty;

    @Setup(Level.Trial)
    public void setup() {
        pool = BufferPool.direct().build();
        netty = PooledByteBufAllocator.DEFAULT;
    }

    @Benchmark
    public long netkitBufferPool() {
        ByteBuffer b = pool.acquire(SIZE);
        b.putLong(0, 42L);
        long v = b.getLong(0);
        pool.release(b);
        return v;
    }

    @Benchmark
    public long allocateDirect() {
        ByteBuffer b = ByteBuffer.allocateDirect(SIZE);
        b.putLong(0, 42L);
        return b.getLong(0);
    }

    @Benchmark
    public long nettyPooledDirect() {
        ByteBuf b = netty.directBuffer(SIZE);
        b.setLong(0, 42L);
        long v = b.getLong(0);
        b.release();
        return v;
    }
}
