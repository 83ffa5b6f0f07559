package dev.netkit.reactor;

import dev.netkit.connmatrix.ConnMatrix;
import dev.netkit.pool.BufferPool;
import dev.netkit.ring.BufferProvider;
import dev.netkit.ring.MpscChunkedFrameQueue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A TCP server engine: one acceptor thread hands accepted connections round-robin to N
 * {@link SubReactor sub-reactors}, each an event loop owning a selector, its connections and their
 * rings, one shard of a shared {@link ConnMatrix}, an idle-timeout wheel, and one {@link Handler} (the
 * protocol; {@code dev.netkit.reactor.protocols} has echo, relay and pub/sub).
 *
 * <pre>
 *   acceptor --round robin--> sub-reactor 0 .. N-1   (Selector, Handler, TimingWheel, ConnMatrix shard, stats stripe)
 *                                 |  ByteRing in/out per connection, memory from one BufferPool
 *   send: any thread --ConnMatrix.get(id)--> target's MpscChunkedFrameQueue inbox --wake--> target's sub-reactor
 * </pre>
 *
 * <p>Guarantees: every byte a handler writes is written to its connection, in order, unless the
 * connection closes first; a sent frame is appended whole to its target's output, in order per sending
 * thread and target, or the send says why not ({@link SendResult}); a misbehaving connection (a handler's
 * {@code Throwable}, its outbound cap, idle, whatever its handler aborts it for) is closed alone with a
 * counted {@link CloseReason} (a handler's exception is kept: {@link #handlerErrors()}); accept failures
 * (EMFILE) back off instead of spinning; a sub-reactor that dies on an unexpected error gets no more
 * connections, its own are closed, and the server reports it ({@link #failure()},
 * {@link #awaitFailure(Duration)}; once every one has died, the server stops accepting);
 * {@link #shutdown(Duration)} stops accepting and reading, writes what was read within the deadline,
 * then closes.
 *
 * <p><b>Thread safety.</b> {@link #start(ServerConfig, Supplier)}, the getters, {@link #send},
 * {@link #awaitFailure(Duration)}, {@link #shutdown(Duration)} and {@link #close()} may be called from any
 * thread; shutdown and close may be called any number of times, concurrently too.
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
     * Tests inject faults through `seam` (TestSeam.NONE in production: its methods do nothing).
     */
    private static final System.Logger LOG = System.getLogger("dev.netkit.reactor");

    private final ServerConfig cfg;
    private final ServerSocketChannel listener;
    private final InetSocketAddress address;
    private final ConnMatrix<Connection> matrix;
    private final BufferPool pool;
    private final BufferPool inboxPool;
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
    private final TestSeam seam;
    private volatile boolean accepting = true;

    private Server(ServerConfig cfg, Supplier<? extends Handler> handlers, TestSeam seam) throws IOException {
        this.cfg = Objects.requireNonNull(cfg, "cfg");
        Objects.requireNonNull(handlers, "handlers");
        this.seam = seam;
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
                // connection, and returns arrive in bursts as those connections drain: each sub-reactor's
                // cache of a size class keeps its share of the byte budget in buffers of that class, the
                // pool's default rule with one share per sub-reactor (a cache of 64 dropped most returns at
                // 1,000 connections, and every drop became an allocateDirect on the next borrow).
                .expectedThreads(cfg.subReactors)
                .build();
        BufferProvider buffers = BufferProvider.of(pool::acquire, pool::release);
        // Inbox chunks have a pool of their own, which only the inboxes release into: every chunk goes back
        // zeroed where it was written, so chunks come out clean and the sender that installs one (once per
        // burst: an inbox that empties gives its chunk back at once) does not zero it.
        this.inboxPool = BufferPool.direct()
                .sizeClasses(cfg.inboxChunkBytes, cfg.inboxChunkBytes)
                .budgetBytes(cfg.poolBudgetBytes)
                .maxBuffers((int) Math.min(1 << 24, 2L * cfg.maxConnections + 4096))
                .expectedThreads(cfg.subReactors)
                .build();
        BufferProvider inboxChunks = BufferProvider.ofZeroed(inboxPool::acquire, inboxPool::release);
        Handler[] hs = new Handler[cfg.subReactors];
        for (int i = 0; i < hs.length; i++) {          // before any selector or socket is opened
            hs[i] = Objects.requireNonNull(handlers.get(), "the handler factory returned null");
        }
        this.reactors = new SubReactor[cfg.subReactors];
        for (int i = 0; i < reactors.length; i++) {
            reactors[i] = new SubReactor(i, this, cfg, hs[i], matrix, stats, buffers, inboxChunks, seam);
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
     * @param cfg      the configuration
     * @param handlers makes the protocol's handler: called once per sub-reactor, on the calling thread,
     *                 before any connection is accepted; each handler is then used by its sub-reactor's
     *                 thread only (see {@link Handler})
     * @return the running server
     * @throws IOException if the address cannot be bound or a selector cannot be opened
     * @throws NullPointerException if an argument is null or the factory returns null
     */
    public static Server start(ServerConfig cfg, Supplier<? extends Handler> handlers) throws IOException {
        return start(cfg, handlers, TestSeam.NONE);
    }

    /** {@link #start(ServerConfig, Supplier)} with a test seam (tests only). */
    static Server start(ServerConfig cfg, Supplier<? extends Handler> handlers, TestSeam seam) throws IOException {
        Server s = new Server(cfg, handlers, seam);
        for (SubReactor r : s.reactors) {
            r.thread.start();
        }
        s.acceptor.start();
        return s;
    }

    /** {@return the bound address (with the actual port); any thread} */
    public InetSocketAddress address() {
        return address;
    }

    /** {@return the configuration; any thread} */
    public ServerConfig config() {
        return cfg;
    }

    /** {@return the counters; any thread} */
    public ServerStats stats() {
        return stats;
    }

    /**
     * The names of the reactor's JDK Flight Recorder events: {@code dev.netkit.ConnectionClosed} (every
     * fault close, and one normal close in 64 per sub-reactor, with reason, peer, bytes, age and weight),
     * {@code dev.netkit.ReadPause} (reads resumed after a pause of 1 ms or more, with its cause and
     * length), {@code dev.netkit.SelectorRebuild} and {@code dev.netkit.AcceptError}. A recording made from
     * the JDK's "default" or "profile" settings does not enable them by itself: enable each by name
     * ({@code recording.enable(name)}). With no recording running they cost one check each.
     *
     * @return the event names; immutable
     */
    public static java.util.List<String> jfrEventNames() {
        return ReactorEvents.NAMES;
    }

    /** {@return connections accepted and not yet closed; any thread, a snapshot} */
    public int connections() {
        return live.get();
    }

    /** {@return entries in the connection matrix; any thread, weakly consistent} */
    public long matrixSize() {
        return matrix.size();
    }

    /**
     * {@return ring buffers taken from the pool and not given back (0 once every connection is idle or
     *         closed); any thread, exact at rest}
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
     * {@return the first unexpected error that stopped a sub-reactor, or null. Once set, the acceptor hands
     *         that sub-reactor no more connections, and the connections it owned or had queued are closed
     *         ({@link CloseReason#LOOP_FAILED}); the others keep serving. Any thread}
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
        Objects.requireNonNull(timeout, "timeout");
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
     * {@code InterruptedException}. Called from a handler (a sub-reactor of this server), it starts the
     * shutdown and returns false at once: waiting there would wait for its own loop.
     *
     * @param flushDeadline how long pending output may take (the first call's counts)
     * @return true if no connection was closed at the deadline with output still pending (false, without
     *         waiting, from a handler)
     * @throws InterruptedException if interrupted while waiting for the threads to stop (the shutdown goes
     *                              on; call again to wait for it)
     */
    public boolean shutdown(Duration flushDeadline) throws InterruptedException {
        Objects.requireNonNull(flushDeadline, "flushDeadline");
        if (shutdownClaimed.compareAndSet(false, true)) {
            try {
                startShutdown(flushDeadline);
            } finally {
                initiated.countDown();
            }
        }
        SubReactor here = SubReactor.current();
        if (here != null && here.server == this) {
            return false;                   // a handler: waiting here would wait for this very loop to stop
        }
        initiated.await();                  // not before the claimant: the listener closed, the acceptor gone
        stopped.await();
        pool.close();
        inboxPool.close();
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

    /**
     * {@link Conn#send(long, ByteBuffer)} from anywhere: delivers {@code frame} to the connection
     * {@code targetId} (say, from a business thread that holds user ids mapped to connection ids). Any
     * thread; allocates nothing once the target has its inbox.
     *
     * @param targetId the target's {@link Conn#id()}
     * @param frame    the bytes, 1 to {@link ServerConfig#maxInboxFrameBytes()}; its position advances when sent
     * @return {@link SendResult#SENT}, or why not
     * @throws IllegalArgumentException if the frame is empty or too long
     */
    public SendResult send(long targetId, ByteBuffer frame) {
        Objects.requireNonNull(frame, "frame");
        return send(targetId, frame, null, 0);
    }

    /**
     * One send: {@code frame}, or (when it is null) {@code parts[0..count)} gathered into one frame. Any
     * thread. Counted on the calling loop's stripe, or in the shared cells from any other thread.
     */
    SendResult send(long targetId, ByteBuffer frame, ByteBuffer[] parts, int count) {
        long length;
        if (frame != null) {
            length = frame.remaining();
        } else {
            Objects.checkFromIndexSize(0, count, parts.length);
            length = 0;
            for (int i = 0; i < count; i++) {
                length += parts[i].remaining();
            }
        }
        if (length < 1 || length > cfg.maxInboxFrameBytes()) {
            throw new IllegalArgumentException("frame length " + length + " outside [1, " + cfg.maxInboxFrameBytes()
                    + "] (ServerConfig.maxInboxFrameBytes(): half the inbox or one inbox chunk, less 8, at most the outbound ring)");
        }
        SubReactor caller = SubReactor.current();
        if (caller != null && caller.server != this) {
            caller = null;                  // another server's loop (a gateway between two servers): a stranger here
        }
        Connection t = matrix.get(targetId);
        if (t == null || t.isClosed()) {
            count(stats.sendsNoTarget, caller);
            return SendResult.NO_TARGET;
        }
        MpscChunkedFrameQueue box = t.inbox(t.loop.inboxes);
        SubReactor owner = t.loop;
        int offered = offer(box, frame, parts, count);
        if (offered == NO_CHUNK) {
            count(stats.sendsDropped, caller);
            return SendResult.DROPPED;
        }
        if (offered == MpscChunkedFrameQueue.OFFER_CLOSED) {
            count(stats.sendsNoTarget, caller);      // the target closed after the lookup
            return SendResult.NO_TARGET;
        }
        if (offered == MpscChunkedFrameQueue.OFFER_FULL && owner == caller && !t.isClosed()) {
            // the target's own loop: it is the inbox's consumer, so it can move the inbox into the target's
            // outbound ring now instead of after this step (a burst sent in one onData would otherwise
            // overflow a target whose output is empty), then try once more
            t.drainInbox();
            offered = offer(box, frame, parts, count);
            if (offered == NO_CHUNK) {
                count(stats.sendsDropped, caller);
                return SendResult.DROPPED;
            }
        }
        if (offered == MpscChunkedFrameQueue.OFFER_RECLAIMED) {
            // this thread stalled past the reclaim timeout between claim and commit: the target's loop
            // skipped the frame; the target is healthy. Wake it anyway: the space our late commit freed
            // is released at its next peek, so the next frame does not find the inbox full
            count(stats.sendsDropped, caller);
            owner.notifyInbox(t, caller);
            return SendResult.DROPPED;
        }
        if (offered == MpscChunkedFrameQueue.OFFER_FULL) {
            // the target does not read fast enough: its outbound cap (ring + inbox) is exceeded
            if (owner == caller) {
                t.close(CloseReason.OUTBOUND_CAP, null);
            } else if (t.requestClose()) {      // once: later sends that find it full queue nothing more
                owner.execute(() -> t.close(CloseReason.OUTBOUND_CAP, null), caller == null ? -1 : caller.index);
            }
            return SendResult.TARGET_FULL;
        }
        count(stats.sent, caller);
        if (owner != caller) {
            count(stats.sentCross, caller);
            owner.notifyInbox(t, caller);
        } else {
            // the target's own loop is its inbox's consumer: move the frame into the target's output now, so
            // the inbox gives its chunk back at once (a loop that handles a thousand reads in one step would
            // otherwise hold a thousand chunks until its ready queue runs)
            try {
                t.drainInbox();
            } catch (Throwable e) {
                t.close(CloseReason.HANDLER_ERROR, e);
            }
        }
        return SendResult.SENT;
    }

    /** {@link #offer}: the pool could not lend the inbox a chunk; nothing was claimed. */
    private static final int NO_CHUNK = -1;

    /**
     * One offer into a target's inbox: {@code frame}, or {@code parts[0..count)} gathered. Returns the
     * queue's answer, or NO_CHUNK when the pool could not lend a chunk (its buffer table is full, or no
     * direct memory is left): nothing was claimed then, the target is healthy, the frame is dropped.
     */
    private static int offer(MpscChunkedFrameQueue box, ByteBuffer frame, ByteBuffer[] parts, int count) {
        try {
            return frame != null ? box.tryOffer(frame) : box.tryOffer(parts, count);
        } catch (IllegalStateException | OutOfMemoryError e) {
            return NO_CHUNK;
        }
    }

    /** {@return the buffer pool behind every connection's rings; for tests} */
    BufferPool pool() {
        return pool;
    }

    /** {@return the buffer pool behind the inboxes' chunks; for tests} */
    BufferPool inboxPool() {
        return inboxPool;
    }

    private static void count(dev.netkit.padding.StripedCounter c, SubReactor caller) {
        if (caller != null) {
            c.increment(caller.index);
        } else {
            c.increment();
        }
    }

    // ------------------------------------------------------------------ acceptor

    /** The acceptor's accept-failure log: at most one line per 10 s (acceptor thread only). */
    private static final long ACCEPT_WARNING_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    private long lastAcceptWarning;
    private long acceptWarnings;

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
                ReactorEvents.AcceptError ev = new ReactorEvents.AcceptError();
                if (ev.shouldCommit()) {
                    ev.cause = e.toString();
                    ev.commit();
                }
                long t = System.nanoTime();
                if (acceptWarnings == 0 || t - lastAcceptWarning >= ACCEPT_WARNING_NANOS) {
                    LOG.log(System.Logger.Level.WARNING, "accept failed, backing off (1 ms doubling to 1 s) until "
                            + "it succeeds: " + e + (acceptWarnings > 0 ? " (at most one such line every 10 s; "
                            + "ServerStats.acceptErrors() counts them all)" : ""));
                    lastAcceptWarning = t;
                    acceptWarnings++;
                }
                backoffMs = Math.min(1000, Math.max(1, backoffMs * 2));
                seam.onBackoff(backoffMs);
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

    /** {@return the acceptor's stats stripe; any thread} */
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

    /** {@code listener.accept()}, or a failure a test injected; acceptor thread. */
    private SocketChannel acceptOne() throws IOException {
        seam.beforeAccept();
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

    /** Test seam: the number of sub-reactors that stopped reading (shutdown task or death). */
    int quiescedCount() {
        return quiesced.get();
    }

    /** {@return whether every sub-reactor stopped reading (shutdown)} */
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

    /** A connection's handling threw: keep the first cause of each class and log it once; any loop thread. */
    void handlerError(Throwable t) {
        if (handlerErrors.putIfAbsent(t.getClass(), t) == null) {
            LOG.log(System.Logger.Level.WARNING, "a connection's handler threw " + t.getClass().getName()
                    + "; the connection was closed (HANDLER_ERROR; each exception class is logged once)", t);
        }
    }

    /**
     * An error on {@code r}'s loop outside any connection: a cross-thread task that threw (the loop goes on),
     * or, when {@code fatal}, the error that stopped the loop (the first one becomes the server's failure).
     */
    void loopError(SubReactor r, Throwable t, boolean fatal) {
        if (fatal && failure.compareAndSet(null, t)) {
            failed.countDown();
        }
        try {
            LOG.log(System.Logger.Level.ERROR, fatal
                    ? r.thread.getName() + " stopped on an unexpected error; its connections are closed and it gets no new ones"
                    : "a task failed on " + r.thread.getName() + "; the loop goes on", t);
        } catch (Throwable ignored) {
            // the failure is recorded; the loop goes on (or on exiting)
        }
    }

    void reactorExited(SubReactor r) {
        stopped.countDown();
    }

    /** Test seam: wakes every sub-reactor's selector directly, bypassing the wakeup gate (a spurious wakeup). */
    void spuriousWakeups() {
        for (SubReactor r : reactors) {
            r.spuriousWakeup();
        }
    }

    /** Test seam: each sub-reactor rebuilds its selector once. */
    void rebuildSelectors() {
        for (SubReactor r : reactors) {
            r.forceRebuild();
        }
    }
}
