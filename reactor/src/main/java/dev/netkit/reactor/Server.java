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
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
 * {@code Throwable}, idle) is closed alone with a counted {@link CloseReason} (a handler's exception is
 * kept: {@link #handlerErrors()}); accept failures (EMFILE) back off instead of spinning; a sub-reactor
 * that dies on an unexpected error gets no more connections, its own are closed, and the server reports it
 * ({@link #failure()}, {@link #awaitFailure(Duration)}; once every one has died, the server stops
 * accepting); a relay frame whose sending loop stalled past the inbox's reclaim timeout is dropped and
 * counted ({@link ServerStats#relayDropped()}); {@link #shutdown(Duration)} stops accepting and
 * reading, writes what was read within the deadline, then closes.
 *
 * <p><b>Thread safety.</b> {@link #start(ServerConfig)}, the getters, {@link #awaitFailure(Duration)},
 * {@link #shutdown(Duration)} and {@link #close()} may be called from any thread; shutdown and close may be
 * called any number of times, concurrently too.
 */
public final class Server implements AutoCloseable {
    /*
     * Implementation notes. `live` (the connection count checked against maxConnections) is incremented by
     * the acceptor before a hand-off and decremented by a sub-reactor when it closes a connection or
     * rejects a registration. `quiesced` counts the sub-reactors that ran their shutdown task (stopped
     * reading); none closes a drained connection before all have, so no relay frame arrives after its target
     * closed; each sub-reactor counts itself once (its shutdown task, or its death), so it reaches exactly
     * reactors.length. `stopped` counts down once per exited sub-reactor.
     *
     * Shutdown is claimed once, by the CAS of `shutdownClaimed`; the claimant stops the acceptor, joins it
     * uninterruptibly (keeping its interrupt status for after) and hands every sub-reactor its shutdown
     * task, so once any call has returned or thrown, the shutdown is under way and every later call only
     * waits on `stopped`. `failure` is set once (CAS) by the first sub-reactor that dies, then `failed`
     * counts down; the acceptor skips dead sub-reactors (SubReactor's notes, "A dead loop").
     * `handlerErrors` keeps the first exception of each class a connection's handling threw; the
     * putIfAbsent that adds a class also logs it, so each class is logged once.
     *
     * Test hooks (volatile, null or 0 in production): `faultInjector` is called after each inbound step on
     * the loop thread; `iterationHook` at the top of each loop iteration (outside any connection's handling:
     * a throw there kills the loop); `injectedAcceptFailures` and `backoffObserver`: the next N accepts fail
     * as EMFILE would, and each back-off delay is reported; `injectedSelectorFailures`: the next N selector
     * rebuilds fail to open a selector.
     */
    private static final System.Logger LOG = System.getLogger("dev.netkit.reactor");

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
    private final AtomicBoolean shutdownClaimed = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CountDownLatch failed = new CountDownLatch(1);
    private final CountDownLatch initiated = new CountDownLatch(1);
    private final ConcurrentHashMap<Class<? extends Throwable>, Throwable> handlerErrors = new ConcurrentHashMap<>();
    private volatile boolean accepting = true;
    volatile Consumer<Connection> faultInjector;
    volatile int injectedAcceptFailures;
    volatile java.util.function.LongConsumer backoffObserver;
    volatile java.util.function.IntConsumer iterationHook;
    final AtomicInteger injectedSelectorFailures = new AtomicInteger();

    private Server(ServerConfig cfg) throws IOException {
        this.cfg = cfg;
        this.stats = new ServerStats(cfg.subReactors);
        this.matrix = new ConnMatrix<>(cfg.subReactors, (int) Math.min(ConnMatrix.MAX_SLOTS_PER_SHARD,
                2L * Integer.highestOneBit(Math.max(4096, cfg.maxConnections))));
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

    /**
     * The causes of {@link CloseReason#HANDLER_ERROR} closes: for each exception class, the first one
     * thrown (each class is also logged once, with its stack trace, on the {@code dev.netkit.reactor}
     * {@link System.Logger}); {@link ServerStats#closed(CloseReason)} counts them all.
     *
     * @return an unmodifiable live view; any thread
     */
    public Map<Class<? extends Throwable>, Throwable> handlerErrors() {
        return Collections.unmodifiableMap(handlerErrors);
    }

    /**
     * @return the first unexpected error that stopped a sub-reactor, or null. Once set, the acceptor hands
     *         that sub-reactor no more connections, and the connections it owned or had queued are closed
     *         ({@link CloseReason#LOOP_FAILED}); the others keep serving. Any thread
     */
    public Throwable failure() {
        return failure.get();
    }

    /**
     * Waits until a sub-reactor stops on an unexpected error (see {@link #failure()}) or the timeout
     * passes. Any thread.
     *
     * @param timeout how long to wait at most
     * @return the failure, or null if none came within the timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public Throwable awaitFailure(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        if (nanos == Long.MAX_VALUE) {
            failed.await();
        } else {
            failed.await(nanos, TimeUnit.NANOSECONDS);
        }
        return failure.get();
    }

    /**
     * Graceful shutdown: stops accepting, stops reading, writes every byte already read (echo) and every
     * frame already delivered (relay) until {@code flushDeadline} has passed, then closes every connection
     * and stops the threads. Blocks until they stopped. Any thread, any number of times, concurrently too:
     * the first call starts the shutdown, every call waits for the same end. A caller interrupted before
     * or during the call still finishes starting the shutdown if it was the first, then throws
     * {@code InterruptedException}.
     *
     * @param flushDeadline how long pending output may take (the first call's counts)
     * @return true if no connection was closed at the deadline with output still pending
     * @throws InterruptedException if interrupted while waiting for the threads to stop (the shutdown goes
     *                              on; call again to wait for it)
     */
    public boolean shutdown(Duration flushDeadline) throws InterruptedException {
        if (shutdownClaimed.compareAndSet(false, true)) {
            try {
                startShutdown(flushDeadline);
            } finally {
                initiated.countDown();
            }
        }
        initiated.await();                  // not before the claimant: the listener closed, the acceptor gone
        stopped.await();
        pool.close();
        return stats.shutdownUnflushed() == 0;
    }

    /** The claimant's part of {@link #shutdown}: stop the acceptor (uninterruptibly), then every loop. */
    private void startShutdown(Duration flushDeadline) {
        accepting = false;
        closeListener();
        boolean interrupted = false;
        while (true) {
            try {
                acceptor.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        long deadline = System.nanoTime() + flushDeadline.toNanos();
        for (SubReactor r : reactors) {
            r.beginShutdown(deadline);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Shuts down with a one-second flush deadline and waits for the threads to stop. Any thread. If
     * interrupted while waiting, it returns with the interrupt status set (the shutdown goes on).
     */
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
            boolean handed = false;
            for (int k = 0; k < reactors.length && !handed; k++) {
                SubReactor r = reactors[next];
                if (++next == reactors.length) {
                    next = 0;
                }
                handed = !r.isDead() && r.register(ch);     // false: dead, or died during the hand-off
            }
            if (!handed) {
                // every loop is dead: nothing can serve a connection any more, so stop accepting
                rejected(ch, stripe, CloseReason.LOOP_FAILED);
                closeListener();
                return;
            }
        }
    }

    /** @return the acceptor's stats stripe; any thread */
    int acceptorStripe() {
        return reactors.length;
    }

    private void closeListener() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
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

    /** A sub-reactor reads no more input: it ran its shutdown task, or it died (each counts once). */
    void quiesced() {
        quiesced.incrementAndGet();
    }

    /** Test hook: the number of sub-reactors that stopped reading (shutdown task or death). */
    int quiescedCount() {
        return quiesced.get();
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

    /** A connection's handling threw: keep the first cause of each class and log it once; any loop thread. */
    void handlerError(Throwable t) {
        if (handlerErrors.putIfAbsent(t.getClass(), t) == null) {
            LOG.log(System.Logger.Level.WARNING, "a connection's handler threw " + t.getClass().getName()
                    + "; the connection was closed (HANDLER_ERROR; each exception class is logged once)", t);
        }
    }

    /** A cross-thread task threw on {@code r}'s loop; the loop goes on. */
    void taskFailed(SubReactor r, Throwable t) {
        LOG.log(System.Logger.Level.ERROR, "a task failed on " + r.thread.getName() + "; the loop goes on", t);
    }

    /** {@code r}'s loop stopped on an unexpected error: the first one becomes the server's failure. */
    void reactorFailed(SubReactor r, Throwable t) {
        if (failure.compareAndSet(null, t)) {
            failed.countDown();
        }
        try {
            LOG.log(System.Logger.Level.ERROR, r.thread.getName() + " stopped on an unexpected error; its"
                    + " connections are closed and it gets no new ones", t);
        } catch (Throwable ignored) {
            // the failure is recorded; the loop goes on exiting
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
