package dev.netkit.bench.pool;

import dev.netkit.pool.ObjectPool;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Same-thread acquire + release of a ~1 KiB object: netkit's {@link ObjectPool} beside the
 * {@code ThreadLocal<ArrayDeque>} floor, Netty's Recycler, {@code new} and commons-pool2, on a plain
 * platform thread (the JMH thread) and on a virtual thread.
 *
 * <p>Every operation is one call to a non-inlined static method (acquire, touch, release), so the JIT
 * cannot merge consecutive operations (hoist the thread-local lookup out of a loop, say) in either mode.
 *
 * <ul>
 *   <li>{@code pt*}: one operation per JMH invocation, on the JMH worker thread (a plain platform thread,
 *       not a Netty {@code FastThreadLocalThread}).</li>
 *   <li>{@code vt*}: a batch of {@value #BATCH} operations per invocation, run by one long-lived virtual
 *       thread ({@link VirtualWorker}); the score is per operation ({@code @OperationsPerInvocation}). The
 *       hand-off between the JMH thread and the virtual thread costs a few microseconds per batch, under
 *       0.1 ns per operation, and allocates nothing.</li>
 *   <li>{@code vtNetkitVirtualCaches}: netkit with {@code virtualThreadCaches()}, where the virtual
 *       worker owns a cache as a platform thread does; {@code vtSharedCasFloor}: three CASes per
 *       operation, the least a pool can do when a virtual thread owns nothing (see {@link #casFloorOp}).</li>
 *   <li>{@code ftl*}: the same batches on a long-lived Netty {@link FastThreadLocalThread} (same hand-off as
 *       the virtual one): {@code ftlNettyRecycler} is the Recycler on its own thread class, where it pools,
 *       and {@code ftlNetkit} and {@code ftlThreadLocalArrayDeque} run beside it in the same harness, so
 *       that the Recycler at its best is compared with netkit measured the same way (the {@code pt*} rows
 *       pay JMH's per-call overhead, which the batches do not).</li>
 * </ul>
 * Read {@code gc.alloc.rate.norm} (B/op) from {@code -prof gc}: pooling shows ≈ 0, {@code new} ~1,064.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class ObjectPoolBench {
    static final int BATCH = 100_000;

    ObjectPool<Msg> pool;
    /** The same pool with {@code virtualThreadCaches()}: the virtual worker owns a cache. */
    ObjectPool<Msg> vtCachePool;
    /** One shared slot for {@link #casFloorOp}. */
    final Object[] casSlot = new Object[1];
    ThreadLocal<ArrayDeque<Msg.Plain>> floor;
    GenericObjectPool<Msg.Plain> commons;
    VirtualWorker vt;
    FtlWorker ftl;
    Runnable vtNetkitBatch;
    Runnable vtNetkitCachesBatch;
    Runnable vtCasFloorBatch;
    Runnable vtFloorBatch;
    Runnable vtRecyclerBatch;
    Runnable vtNewBatch;
    Runnable ftlRecyclerBatch;

    @Setup(Level.Trial)
    public void setup() {
        pool = ObjectPool.builder(Msg::new).build();
        vtCachePool = ObjectPool.builder(Msg::new).virtualThreadCaches().build();
        floor = ThreadLocal.withInitial(ArrayDeque::new);
        commons = new GenericObjectPool<>(new BasePooledObjectFactory<>() {
            @Override
            public Msg.Plain create() {
                return new Msg.Plain();
            }

            @Override
            public PooledObject<Msg.Plain> wrap(Msg.Plain o) {
                return new DefaultPooledObject<>(o);
            }
        });
        vt = new VirtualWorker();
        ftl = new FtlWorker();
        vtNetkitBatch = () -> {
            for (int i = 0; i < BATCH; i++) {
                netkitOp(pool);
            }
        };
        vtNetkitCachesBatch = () -> {
            for (int i = 0; i < BATCH; i++) {
                netkitOp(vtCachePool);
            }
        };
        vtCasFloorBatch = () -> {
            for (int i = 0; i < BATCH; i++) {
                casFloorOp(casSlot);
            }
        };
        vtFloorBatch = () -> {
            for (int i = 0; i < BATCH; i++) {
                floorOp(floor);
            }
        };
        vtRecyclerBatch = () -> {
            for (int i = 0; i < BATCH; i++) {
                recyclerOp();
            }
        };
        vtNewBatch = () -> {
            for (int i = 0; i < BATCH; i++) {
                newOp();
            }
        };
        ftlRecyclerBatch = vtRecyclerBatch;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        vt.close();
        ftl.close();
        commons.close();
    }

    // ---- the operations: acquire, write one field, release ----

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    static int netkitOp(ObjectPool<Msg> pool) {
        Msg m = pool.acquire();
        int s = ++m.seq;
        pool.release(m);
        return s;
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    static int floorOp(ThreadLocal<ArrayDeque<Msg.Plain>> floor) {
        ArrayDeque<Msg.Plain> q = floor.get();
        Msg.Plain m = q.pollFirst();
        if (m == null) {
            m = new Msg.Plain();
        }
        int s = ++m.seq;
        if (q.size() < 256) {
            q.offerFirst(m);
        }
        return s;
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    static int recyclerOp() {
        Msg.NettyMsg m = Msg.RECYCLER.get();
        int s = ++m.seq;
        m.recycle();
        return s;
    }

    /** An object with a state word, for {@link #casFloorOp}. */
    static final class CasMsg {
        final byte[] data = new byte[1024];
        int seq;
        int state;
    }

    static final java.lang.invoke.VarHandle SLOT = java.lang.invoke.MethodHandles.arrayElementVarHandle(Object[].class);
    static final java.lang.invoke.VarHandle STATE;
    static {
        try {
            STATE = java.lang.invoke.MethodHandles.lookup().findVarHandle(CasMsg.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The least any pool must do per acquire + release when the thread owns nothing: one CAS to take the
     * object from a shared place, one on its state word to detect a double release (two racing releases
     * must have one winner), one to put it back. No hashing, no striping, no counters, no reset hook: the
     * floor of every design without a per-thread (or per-carrier) cache.
     */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    static int casFloorOp(Object[] slot) {
        CasMsg m = (CasMsg) SLOT.getOpaque(slot, 0);
        if (m == null || !SLOT.compareAndSet(slot, 0, m, null)) {
            m = new CasMsg();
        }
        STATE.setOpaque(m, 1);
        int s = ++m.seq;
        if (!STATE.compareAndSet(m, 1, 2)) {
            throw new IllegalStateException("released twice");
        }
        SLOT.compareAndSet(slot, 0, null, m);
        return s;
    }

    /** Where {@code new} publishes its object, so escape analysis cannot remove the allocation. */
    static Msg.Plain sink;

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    static int newOp() {
        Msg.Plain m = new Msg.Plain();
        sink = m;                      // a pooled object escapes into the pool; this one escapes here
        return ++m.seq;
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    static int commonsOp(GenericObjectPool<Msg.Plain> commons) throws Exception {
        Msg.Plain m = commons.borrowObject();
        int s = ++m.seq;
        commons.returnObject(m);
        return s;
    }

    // ---- on the JMH thread: a plain platform thread ----

    @Benchmark
    public int ptNetkit() {
        return netkitOp(pool);
    }

    @Benchmark
    public int ptThreadLocalArrayDeque() {
        return floorOp(floor);
    }

    @Benchmark
    public int ptNettyRecycler() {
        return recyclerOp();
    }

    @Benchmark
    public int ptNew() {
        return newOp();
    }

    @Benchmark
    public int ptCommonsPool2() throws Exception {
        return commonsOp(commons);
    }

    // ---- on a long-lived virtual thread, batches of BATCH operations ----

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void vtNetkit() {
        vt.run(vtNetkitBatch);
    }

    /** netkit with {@code virtualThreadCaches()}: the long-lived virtual worker owns a cache. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void vtNetkitVirtualCaches() {
        vt.run(vtNetkitCachesBatch);
    }

    /** The three-CAS floor of any pool in which a virtual thread owns nothing ({@link #casFloorOp}). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void vtSharedCasFloor() {
        vt.run(vtCasFloorBatch);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void vtThreadLocalArrayDeque() {
        vt.run(vtFloorBatch);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void vtNettyRecycler() {
        vt.run(vtRecyclerBatch);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void vtNew() {
        vt.run(vtNewBatch);
    }

    // ---- on a long-lived Netty FastThreadLocalThread, batches of BATCH operations ----

    /** The Recycler on its own thread class, where it pools. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void ftlNettyRecycler() {
        ftl.run(ftlRecyclerBatch);
    }

    /** netkit in the same harness as {@link #ftlNettyRecycler}: the thread class makes no difference to it. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void ftlNetkit() {
        ftl.run(vtNetkitBatch);
    }

    /** The {@code ThreadLocal<ArrayDeque>} floor in the same harness. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void ftlThreadLocalArrayDeque() {
        ftl.run(vtFloorBatch);
    }

    /** The same hand-off as {@link VirtualWorker}, on a Netty {@link FastThreadLocalThread}. */
    static final class FtlWorker implements AutoCloseable {
        private final java.util.concurrent.SynchronousQueue<Runnable> in = new java.util.concurrent.SynchronousQueue<>();
        private final java.util.concurrent.SynchronousQueue<Boolean> out = new java.util.concurrent.SynchronousQueue<>();
        private final Thread thread;

        FtlWorker() {
            thread = new FastThreadLocalThread(() -> {
                try {
                    for (;;) {
                        in.take().run();
                        out.put(Boolean.TRUE);
                    }
                } catch (InterruptedException e) {
                    // closed
                }
            }, "bench-ftl");
            thread.setDaemon(true);
            thread.start();
        }

        void run(Runnable batch) {
            try {
                in.put(batch);
                out.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            thread.interrupt();
        }
    }
}
