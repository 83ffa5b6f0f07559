package dev.netkit.reactor;

import dev.netkit.connmatrix.ConnMatrix;
import dev.netkit.pool.BufferPool;
import dev.netkit.ring.BufferProvider;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An echo or relay server: one acceptor thread hands accepted connections round-robin to N
 * {@link SubReactor sub-reactors}, each an event loop owning a selector, its connections and their
 * rings, one shard of a shared {@link ConnMatrix}, and an idle-timeout wheel.
 *
 * <pre>
 *   acceptor --round robin--> sub-reactor 0 .. N-1   (Selector, TimingWheel, ConnMatrix shard, stats stripe)
 *                                 |  ByteRing in/out per connection, memory from one BufferPool
 *   relay: sub-reactor i --ConnMatrix.get(id)--> target's MpscFrameRing --wake--> sub-reactor j
 * </pre>
 *
 * <p>Guarantees: echo returns every byte read, in order; a relay frame is delivered whole and in order
 * per sender-target pair, or its sender gets an error frame (unknown or stale target), or the target is
 * closed for exceeding its outbound cap; a misbehaving connection (malformed frame, outbound cap, handler
 * {@code Throwable}, idle) is closed alone with a counted {@link CloseReason}; accept failures (EMFILE)
 * back off instead of spinning; {@link #shutdown(Duration)} stops accepting and reading, writes what was
 * read within the deadline, then closes.
 *
 * <p><b>Thread safety.</b> {@link #start(ServerConfig)}, the getters and {@link #shutdown(Duration)} may be
 * called from any thread; shutdown is idempotent.
 */
public final class Server implements AutoCloseable {
    /*
     * Implementation notes. `live` (the connection count checked against maxConnections) is incremented by
     * the acceptor before a hand-off and decremented by a sub-reactor when it closes a connection or
     * rejects a registration. `quiesced` counts the sub-reactors that ran their shutdown task (stopped
     * reading); none closes a drained connection before all have, so no relay frame arrives after its target
     * closed. `stopped` counts down once per exited sub-reactor. `faultInjector` is a test
     * hook (volatile, null in production) called after each inbound step on the loop thread;
     * `injectedAcceptFailures` and `backoffObserver` are the acceptor's test hooks (0 and null in
     * production): the next N accepts fail as EMFILE would, and each back-off delay is reported.
     */
    private final ServerConfig cfg;
    private final ServerSocketChannel listener;
    private final InetSocketAddress address;
    private final ConnMatrix<Connection> matrix;
    private final BufferPool pool;
    private final ServerStats stats;
    private final SubReactor[] reactors;
    private final Thread acceptor;
    private final AtomicInteger live = new AtomicInteger();
    private final AtomicInteger quiesced = new AtomicInteger();
    private final CountDownLatch stopped;
    private volatile boolean accepting = true;
    private volatile boolean shutdownStarted;
    private volatile Throwable failure;
    volatile Consumer<Connection> faultInjector;
    volatile int injectedAcceptFailures;
    volatile java.util.function.LongConsumer backoffObserver;

    private Server(ServerConfig cfg) throws IOException {
        this.cfg = cfg;
        this.stats = new ServerStats(cfg.subReactors);
        this.matrix = new ConnMatrix<>(cfg.subReactors, Math.min(ConnMatrix.MAX_SLOTS_PER_SHARD,
                Integer.highestOneBit(Math.max(4096, cfg.maxConnections)) * 2));
        int minClass = Math.min(cfg.inboundRingBytes, cfg.outboundRingBytes);
        int maxClass = Math.max(cfg.inboundRingBytes, cfg.outboundRingBytes);
        this.pool = BufferPool.direct()
                .sizeClasses(Math.max(16, minClass), Math.max(16, maxClass))
                .budgetBytes(cfg.poolBudgetBytes)
                .maxBuffers((int) Math.min(1 << 24, 2L * cfg.maxConnections + 4096))
                // Every connection whose output the kernel did not take at once (a slow reader, a paused
                // connection, a relay backlog) keeps its outbound buffer, so a sub-reactor can hold one per
                // connection, and returns arrive in bursts as those connections drain: each thread's cache
                // may keep its share of the byte budget (a cache of 64 dropped most returns at 1,000
                // connections, and every drop became an allocateDirect on the next borrow).
                .capacityPerThread((int) Math.max(64, Math.min(65536,
                        cfg.poolBudgetBytes / Math.max(16, minClass) / cfg.subReactors)))
                .build();
        BufferProvider buffers = BufferProvider.of(pool::acquire, pool::release);
        this.reactors = new SubReactor[cfg.subReactors];
        for (int i = 0; i < reactors.length; i++) {
            reactors[i] = new SubReactor(i, this, cfg, matrix, stats, buffers);
        }
        this.stopped = new CountDownLatch(reactors.length);
        this.listener = ServerSocketChannel.open();
        listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        listener.bind(cfg.bind, 4096);
        this.address = (InetSocketAddress) listener.getLocalAddress();
        this.acceptor = new Thread(this::acceptLoop, "netkit-acceptor");
    }

    /**
     * Binds and starts the acceptor and the sub-reactors. Any thread.
     *
     * @param cfg the configuration
     * @return the running server
     * @throws IOException if the address cannot be bound or a selector cannot be opened
     */
    public static Server start(ServerConfig cfg) throws IOException {
        Server s = new Server(cfg);
        for (SubReactor r : s.reactors) {
            r.thread.start();
        }
        s.acceptor.start();
        return s;
    }

    /** @return the bound address (with the actual port); any thread */
    public InetSocketAddress address() {
        return address;
    }

    /** @return the configuration; any thread */
    public ServerConfig config() {
        return cfg;
    }

    /** @return the counters; any thread */
    public ServerStats stats() {
        return stats;
    }

    /** @return connections accepted and not yet closed; any thread, a snapshot */
    public int connections() {
        return live.get();
    }

    /** @return entries in the connection matrix; any thread, weakly consistent */
    public long matrixSize() {
        return matrix.size();
    }

    /**
     * @return ring buffers taken from the pool and not given back (0 once every connection is idle or
     *         closed); any thread, exact at rest
     */
    public int buffersInUse() {
        return pool.liveBuffers() - pool.idle();
    }

    /** @return the first unexpected error that stopped a sub-reactor, or null; any thread */
    public Throwable failure() {
        return failure;
    }

    /**
     * Graceful shutdown: stops accepting, stops reading, writes every byte already read (echo) and every
     * frame already delivered (relay) until {@code flushDeadline} has passed, then closes every connection
     * and stops the threads. Blocks until they stopped. Any thread; a second call only waits.
     *
     * @param flushDeadline how long pending output may take
     * @return true if no connection was closed with output still pending
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean shutdown(Duration flushDeadline) throws InterruptedException {
        if (!shutdownStarted) {
            shutdownStarted = true;
            accepting = false;
            try {
                listener.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            acceptor.join();
            long deadline = System.nanoTime() + flushDeadline.toNanos();
            for (SubReactor r : reactors) {
                r.beginShutdown(deadline);
            }
        }
        stopped.await();
        pool.close();
        return stats.shutdownUnflushed() == 0;
    }

    /** Shuts down with a one-second flush deadline. Any thread. */
    @Override
    public void close() {
        try {
            shutdown(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ acceptor

    private void acceptLoop() {
        int next = 0;
        long backoffMs = 0;
        int stripe = reactors.length;
        while (accepting) {
            SocketChannel ch;
            try {
                ch = acceptOne();
                backoffMs = 0;
                stats.accepted.increment(stripe);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // EMFILE/ENFILE and friends: back off instead of spinning on a listener that stays ready
                stats.acceptErrors.increment(stripe);
                backoffMs = Math.min(1000, Math.max(1, backoffMs * 2));
                java.util.function.LongConsumer o = backoffObserver;
                if (o != null) {
                    o.accept(backoffMs);
                }
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            if (live.incrementAndGet() > cfg.maxConnections) {
                live.decrementAndGet();
                stats.closed[CloseReason.MAX_CONNECTIONS.ordinal()].increment(stripe);
                closeQuietly(ch);
                continue;
            }
            try {
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            } catch (IOException e) {
                live.decrementAndGet();
                stats.closed[CloseReason.IO_ERROR.ordinal()].increment(stripe);
                closeQuietly(ch);
                continue;
            }
            reactors[next].register(ch);
            if (++next == reactors.length) {
                next = 0;
            }
        }
    }

    /** {@code listener.accept()}, or an injected failure (test hook); acceptor thread. */
    private SocketChannel acceptOne() throws IOException {
        int f = injectedAcceptFailures;
        if (f > 0) {
            injectedAcceptFailures = f - 1;     // only the acceptor writes it while it is positive
            throw new IOException("Too many open files (injected)");
        }
        return listener.accept();
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    // ------------------------------------------------------------------ callbacks from sub-reactors

    /** A sub-reactor ran its shutdown task: it reads no more input. */
    void quiesced() {
        quiesced.incrementAndGet();
    }

    /** @return whether every sub-reactor stopped reading (shutdown) */
    boolean allQuiesced() {
        return quiesced.get() == reactors.length;
    }

    void connectionClosed() {
        live.decrementAndGet();
    }

    void rejected(SocketChannel ch, int stripe, CloseReason reason) {
        closeQuietly(ch);
        live.decrementAndGet();
        stats.closed[reason.ordinal()].increment(stripe);
    }

    void afterInbound(Connection c) {
        Consumer<Connection> f = faultInjector;
        if (f != null) {
            f.accept(c);
        }
    }

    void taskFailed(SubReactor r, Throwable t) {
        if (failure == null) {
            failure = t;
        }
    }

    void reactorFailed(SubReactor r, Throwable t) {
        if (failure == null) {
            failure = t;
        }
    }

    void reactorExited(SubReactor r) {
        stopped.countDown();
    }

    /** Test hook: wakes every sub-reactor's selector directly, bypassing the wakeup gate (a spurious wakeup). */
    void spuriousWakeups() {
        for (SubReactor r : reactors) {
            r.spuriousWakeup();
        }
    }

    /** Test hook: each sub-reactor rebuilds its selector once. */
    void rebuildSelectors() {
        for (SubReactor r : reactors) {
            r.forceRebuild();
        }
    }
}
