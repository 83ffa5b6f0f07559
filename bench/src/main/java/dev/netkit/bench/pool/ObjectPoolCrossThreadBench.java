package dev.netkit.bench.pool;

import dev.netkit.pool.ObjectPool;
import java.util.concurrent.TimeUnit;
import org.jctools.queues.atomic.SpscAtomicArrayQueue;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cross-thread pairs: thread A acquires an object and hands it to thread B through a JCTools
 * {@link SpscAtomicArrayQueue} (the same hand-off for both pools), B releases it, so every object goes back to
 * its owner across threads. netkit's {@link ObjectPool} (release into the owner's MPSC inbox, drained in
 * batches) against Netty's Recycler (recycle into the owner's MPSC queue).
 *
 * <p>Both run on Netty {@code FastThreadLocalThread}s (the fork sets JMH's executor to
 * {@link FastThreadLocalExecutor}), the thread class on which the Recycler pools; netkit does not care.
 * When the hand-off queue is full the producer releases its object itself (counted as {@code ownReleases},
 * not as a pair), so neither side ever blocks.
 *
 * <p>The two threads must run at the same time: on a machine with other load, or fewer free cores than
 * two, they take turns (the producer fills the hand-off queue, then the consumer drains it) and
 * {@code ownReleases} dominates; the figure is then meaningless.
 *
 * <p>The score to read is {@code pairs}: objects acquired on A and released on B, per second (an
 * {@link AuxCounters} operations counter). Run with {@code -tg 1,1} (the default here).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Djmh.executor=CUSTOM",
        "-Djmh.executor.class=dev.netkit.bench.pool.FastThreadLocalExecutor"})
public class ObjectPoolCrossThreadBench {

    /** The pools and the hand-off queues, shared by the two threads of a group. */
    @State(Scope.Group)
    public static class Shared {
        ObjectPool<Msg> pool;
        SpscAtomicArrayQueue<Msg> netkitQueue;
        SpscAtomicArrayQueue<Msg.NettyMsg> nettyQueue;

        @Setup(Level.Trial)
        public void setup() {
            pool = ObjectPool.builder(Msg::new).capacityPerThread(1024).inboxCapacity(1024).build();
            netkitQueue = new SpscAtomicArrayQueue<>(256);
            nettyQueue = new SpscAtomicArrayQueue<>(256);
        }
    }

    /** Per-thread counters JMH reports as rates (per second) beside the score. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counters {
        /** Objects released on B that were acquired on A. */
        public long pairs;
        /** Objects the producer released itself because the hand-off queue was full. */
        public long ownReleases;

        /** JMH leaves resetting event counters to the benchmark. */
        @Setup(Level.Iteration)
        public void reset() {
            pairs = 0;
            ownReleases = 0;
        }
    }

    @Benchmark
    @Group("netkit")
    @GroupThreads(1)
    public void netkitAcquire(Shared s, Counters c) {
        Msg m = s.pool.acquire();
        m.seq++;
        if (!s.netkitQueue.offer(m)) {
            s.pool.release(m);
            c.ownReleases++;
        }
    }

    @Benchmark
    @Group("netkit")
    @GroupThreads(1)
    public void netkitRelease(Shared s, Counters c) {
        Msg m = s.netkitQueue.relaxedPoll();
        if (m != null) {
            s.pool.release(m);
            c.pairs++;
        }
    }

    @Benchmark
    @Group("nettyRecycler")
    @GroupThreads(1)
    public void nettyGet(Shared s, Counters c) {
        Msg.NettyMsg m = Msg.RECYCLER.get();
        m.seq++;
        if (!s.nettyQueue.offer(m)) {
            m.recycle();
            c.ownReleases++;
        }
    }

    @Benchmark
    @Group("nettyRecycler")
    @GroupThreads(1)
    public void nettyRecycle(Shared s, Counters c) {
        Msg.NettyMsg m = s.nettyQueue.relaxedPoll();
        if (m != null) {
            m.recycle();
            c.pairs++;
        }
    }
}
