package dev.netkit.bench.pool;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JMH worker executor ({@code -Djmh.executor=CUSTOM -Djmh.executor.class=...}) whose threads are Netty
 * {@link FastThreadLocalThread}s, so that Netty's Recycler runs on its own thread class, where it pools.
 */
public final class FastThreadLocalExecutor extends ThreadPoolExecutor {
    /**
     * @param maxThreads JMH's thread count
     * @param prefix JMH's thread name prefix
     */
    public FastThreadLocalExecutor(int maxThreads, String prefix) {
        super(maxThreads, maxThreads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), new java.util.concurrent.ThreadFactory() {
            private final AtomicInteger n = new AtomicInteger();

            @Override
            public Thread newThread(Runnable r) {
                Thread t = new FastThreadLocalThread(r, prefix + "-ftl-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            }
        });
    }
}
