package dev.netkit.pool;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The periodic trim task of {@link ObjectPool} and {@link BufferPool}. Package-private. The task holds its
 * pool weakly, so a pool discarded without {@code close()} is not kept reachable by its timer thread; the
 * first run after the pool was collected shuts the timer down, which ends the thread.
 */
final class TrimTimer<P> implements Runnable {
    private final WeakReference<P> pool;
    private final Consumer<P> trim;
    private final ScheduledThreadPoolExecutor executor;

    private TrimTimer(P pool, Consumer<P> trim, ScheduledThreadPoolExecutor executor) {
        this.pool = new WeakReference<>(pool);
        this.trim = trim;
        this.executor = executor;
    }

    /**
     * Starts a daemon thread that calls {@code trim} on {@code pool} every {@code period}.
     *
     * @param trim must not capture {@code pool} (pass a method reference such as {@code ObjectPool::trim})
     * @return the executor, for {@code close()}
     */
    static <P> ScheduledThreadPoolExecutor start(String threadName, P pool, Consumer<P> trim, Duration period) {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, threadName);
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        long nanos = period.toNanos();
        t.scheduleAtFixedRate(new TrimTimer<>(pool, trim, t), nanos, nanos, TimeUnit.NANOSECONDS);
        return t;
    }

    @Override
    public void run() {
        P p = pool.get();
        if (p == null) {
            executor.shutdown();
        } else {
            trim.accept(p);
        }
    }
}
