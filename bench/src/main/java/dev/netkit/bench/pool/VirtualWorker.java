package dev.netkit.bench.pool;

import java.util.concurrent.locks.LockSupport;

/**
 * One long-lived virtual thread that runs batches handed to it by a JMH thread, so that a benchmark
 * measures per-operation cost on a virtual thread: the JMH thread parks while the batch runs, and the
 * hand-off (two park/unpark pairs) is spread over the batch.
 */
final class VirtualWorker implements AutoCloseable {
    private final Thread thread;
    private volatile Runnable task;
    private volatile boolean done;
    private volatile Thread waiter;
    private volatile boolean closed;

    VirtualWorker() {
        thread = Thread.ofVirtual().name("bench-vt").start(this::loop);
    }

    private void loop() {
        while (!closed) {
            Runnable t = task;
            if (t == null) {
                LockSupport.park(this);
                continue;
            }
            task = null;
            t.run();
            done = true;
            LockSupport.unpark(waiter);
        }
    }

    /** Runs {@code batch} on the virtual thread and waits for it. */
    void run(Runnable batch) {
        done = false;
        waiter = Thread.currentThread();
        task = batch;
        LockSupport.unpark(thread);
        while (!done) {
            LockSupport.park(this);
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
