package dev.netkit.reactor;

import dev.netkit.connmatrix.ConnMatrix;
import dev.netkit.ring.BufferProvider;
import dev.netkit.ring.ByteRing;
import dev.netkit.ring.MpscChunkedFrameQueue;
import dev.netkit.timingwheel.IdleTimeouts;
import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One event loop: a thread that owns a {@link Selector}, the connections registered with it, its
 * {@link Handler}, its {@code ConnMatrix} shard, its idle-timeout wheel and its stripe of the stats. It
 * decides when; {@link Connection} does the I/O and flow control, and the handler the protocol.
 *
 * <p>One iteration: select (dispatching ready keys through a reused {@code Consumer}, so no selected-key
 * set and no iterator garbage) with the timeout of the wheel's next deadline; run at most
 * {@code taskBudget} cross-thread tasks and inbox notifications; expire idle timers; flush every
 * connection that got output in this iteration with one gathering write each.
 *
 * <p>Faults. Anything a connection's handling throws (its read, handler callback, inbox drain or flush)
 * closes that connection alone ({@link CloseReason#HANDLER_ERROR}, its cause kept by the server); a cross-thread
 * task that throws is logged and the loop goes on; a selector rebuild that cannot open a selector keeps the
 * old one. Should the loop die anyway, it marks itself dead, and the server routes no more connections to it
 * and closes those it owned or had queued ({@link CloseReason#LOOP_FAILED}).
 *
 * <p><b>Thread safety.</b> Everything runs on the loop thread except {@link #execute(Runnable, int)},
 * {@link #notifyInbox(Connection, SubReactor)}, {@link #beginShutdown(long)} and {@link #isDead()}, which
 * any thread may call, and {@link #register(SocketChannel)}, the acceptor's (lock-free: an MPSC queue
 * offer and a {@link WakeupGate}).
 */
final class SubReactor implements Runnable {
    /*
     * Implementation notes. Cross-thread input arrives through two MPSC queues: `tasks` (Runnables:
     * registrations of accepted channels, closes requested by senders or other threads, shutdown) and
     * `ready` (connections whose inbox got a frame; each enqueued at most once until drained, see
     * Connection.scheduled). Producers offer, then call gate.wakeIfSleeping(); the loop calls
     * gate.prepareToSleep() and re-checks both queues before select, so no offer is left unseen while the
     * loop sleeps (WakeupGate's notes). `selector` is volatile only because producers' wake action reads it
     * and a rebuild replaces it. `tasks` is closed once, by the loop thread as it dies; anyone may ask whether it is (isDead).
     * All other fields are loop-thread-only. A wakeup is counted on the waker's own stats stripe (the
     * acceptor's, another loop's) or, for any other thread, in the counter's shared cells: never on this
     * loop's stripe, whose single writer is this thread.
     *
     * A dead loop. When loop() throws, the thread closes its Mailbox (`tasks`) and, after closing its
     * connections, drains it; an accepted channel reaches the loop as a Registration handed off through
     * the mailbox, so it is either registered by the loop (or, in the drain, rejected: LOOP_FAILED) or
     * handed back to the acceptor, which tries the next live loop (Mailbox's notes: a Dekker pair and a
     * claim CAS). So no accepted channel is left neither registered nor closed. A dead loop also counts as
     * quiesced (once, `quiescedSelf`), so a shutdown never waits for it; tasks queued after its drain (a
     * shutdown task, a sender's close
     * request) are never run, and need not be: its connections are closed and out of the matrix.
     *
     * Flush at once. A connection that got output from its own read (its handler's onData) or from its
     * inbox drain
     * is written right there, with one gathering write, not at the end of the iteration: still one write
     * per connection per iteration (the end-of-iteration flushDirty finds its ring empty), but the elastic
     * rings then borrow and return their pooled buffers one connection at a time, so one buffer per size
     * class circulates, stays in cache, and every ring gets back the buffer its views already cover (no
     * view allocation). Deferring every write to the end of the iteration made k connections hold k
     * buffers in a different order each iteration: about 150 B of garbage per echoed message.
     * Other output (onOpen's, shutdown, half-close, water-mark resumption) is still marked dirty and
     * flushed at the end of the iteration.
     */
    private static final int IDLE_POLL_LIMIT = 4096;
    private static final int INBOX_BATCH = 32;

    final int index;
    final Server server;
    final ServerConfig cfg;
    final Handler handler;
    final Thread thread;
    final int inboxBatch;
    final Supplier<MpscChunkedFrameQueue> inboxes;
    /** Inboxes of closed connections still waiting for a sender inside a claim (retried every 100 ms). */
    private final java.util.ArrayList<MpscChunkedFrameQueue> closingInboxes = new java.util.ArrayList<>();
    private long nextCloseRetryAt;
    private static final long CLOSE_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private final ConnMatrix<Connection> matrix;
    private final ServerStats stats;
    private final BufferProvider buffers;
    private final TestSeam seam;
    private final IdleTimeouts<Connection> idle;
    private final Mailbox tasks = new Mailbox();
    private final MpscUnboundedAtomicArrayQueue<Connection> ready = new MpscUnboundedAtomicArrayQueue<>(256);
    private final WakeupGate gate;
    private final Consumer<SelectionKey> onKey = this::onKey;
    private volatile Selector selector;
    private boolean quiescedSelf;
    private final FaultLog faultLog = new FaultLog();
    /** Normal closes since the last sampled ConnectionClosed event. */
    private int closesSinceSample;

    private Connection[] dirty = new Connection[64];
    private int dirtyCount;
    /** Keys handled since the ready queue was last drained inside a select batch (see onKey). */
    private int keysSinceReady;
    private static final int KEYS_PER_READY_DRAIN = 64;
    private Connection[] localReady = new Connection[16];
    private int localReadyCount;
    private int owned;
    private int emptySelects;
    private long now;
    private boolean shuttingDown;
    private long shutdownDeadline;

    SubReactor(int index, Server server, ServerConfig cfg, Handler handler, ConnMatrix<Connection> matrix,
               ServerStats stats, BufferProvider buffers, BufferProvider inboxChunks, TestSeam seam) throws IOException {
        this.index = index;
        this.server = server;
        this.cfg = cfg;
        this.handler = java.util.Objects.requireNonNull(handler, "the handler factory returned null");
        this.matrix = matrix;
        this.stats = stats;
        this.buffers = buffers;
        this.seam = seam;
        this.selector = Selector.open();
        this.gate = new WakeupGate(() -> selector.wakeup());
        this.now = System.nanoTime();
        // one wheel for the server's idle timeout and each connection's own (Conn.setMaxIdle); the tick
        // bounds how late an idle connection is reported (< 2 ticks)
        long tick = cfg.idleTimeoutNanos > 0
                ? Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(TimeUnit.SECONDS.toNanos(1), cfg.idleTimeoutNanos / 16))
                : TimeUnit.MILLISECONDS.toNanos(10);
        this.idle = new IdleTimeouts<>(now, tick, c -> c.maxIdleNanos, (c, idleNanos) -> onIdle(c));
        this.inboxBatch = Math.min(INBOX_BATCH, cfg.inboxChunkBytes / MpscChunkedFrameQueue.HEADER_LENGTH);
        this.inboxes = () -> new MpscChunkedFrameQueue(cfg.inboxChunkBytes, cfg.inboxBytes, inboxBatch,
                cfg.inboxReclaimNanos, System::nanoTime, inboxChunks);
        this.thread = new LoopThread(this);
    }

    /** A loop's thread: {@link #current()} finds the loop of the calling thread with one type check. */
    static final class LoopThread extends Thread {
        final SubReactor loop;

        LoopThread(SubReactor loop) {
            super(loop, "netkit-reactor-" + loop.index);
            this.loop = loop;
        }
    }

    /** {@return the loop whose thread is calling, or null; any thread} */
    static SubReactor current() {
        return Thread.currentThread() instanceof LoopThread t ? t.loop : null;
    }

    // ------------------------------------------------------------------ cross-thread entry points

    /**
     * Runs {@code task} on the loop thread within an iteration or two (or, if the loop has died, in its
     * final drain or never). Any thread.
     *
     * @param wakerStripe the calling thread's own stats stripe (a sub-reactor's index, the acceptor's), or
     *                    -1 for any other thread (counted in the shared cells)
     */
    void execute(Runnable task, int wakerStripe) {
        tasks.offer(task);
        wake(wakerStripe);
    }

    /** Wakes the loop if it sleeps (after the caller published its work), counting it on the waker's stripe. */
    private void wake(int wakerStripe) {
        if (!gate.wakeIfSleeping()) {
            return;
        }
        if (wakerStripe >= 0) {
            stats.wakeups.increment(wakerStripe);
        } else {
            stats.wakeups.increment();
        }
    }

    /**
     * Tells {@code c}'s owner (this loop) that its inbox has a frame. Any thread; {@code caller} is the
     * calling sub-reactor or null.
     */
    void notifyInbox(Connection c, SubReactor caller) {
        if (!c.trySchedule(caller != this)) {
            return;                         // already queued: the drain will see the new frame
        }
        if (caller == this) {
            if (localReadyCount == localReady.length) {
                localReady = java.util.Arrays.copyOf(localReady, localReadyCount * 2);
            }
            localReady[localReadyCount++] = c;
        } else {
            ready.offer(c);
            wake(caller == null ? -1 : caller.index);
        }
    }

    /** Starts a graceful shutdown: stop reading, flush until {@code deadlineNanos}, close. Any thread. */
    void beginShutdown(long deadlineNanos) {
        execute(() -> {
            shuttingDown = true;
            shutdownDeadline = deadlineNanos;
            for (Connection c : ownedConnections()) {
                try {
                    c.readPaused = true;
                    c.updateInterest();
                    if (c.outputEmpty()) {
                        c.reprocessInbound();
                    }
                    markDirty(c);
                } catch (Throwable t) {
                    c.close(CloseReason.HANDLER_ERROR, t);
                }
            }
            quiesce();
        }, -1);
    }

    /** Tells the server, once, that this loop reads no more input (shutdown, or death); loop thread. */
    private void quiesce() {
        if (!quiescedSelf) {
            quiescedSelf = true;
            server.quiesced();
        }
    }

    /**
     * Hands an accepted channel to this loop; the acceptor thread.
     *
     * @return false if the loop died and the channel is the caller's to close (it was neither registered
     *         nor closed, and never will be by this loop)
     */
    boolean register(SocketChannel ch) {
        boolean handed = tasks.handOff(new Registration(this, ch));
        wake(server.acceptorStripe());
        return handed;
    }

    /** {@return whether this loop stopped on an unexpected error; any thread} */
    boolean isDead() {
        return tasks.isClosed();
    }

    /** An accepted channel handed to a loop: registered by the loop, or handed back if the loop died. */
    private static final class Registration extends Mailbox.OneShot {
        private final SubReactor loop;
        private final SocketChannel ch;

        Registration(SubReactor loop, SocketChannel ch) {
            this.loop = loop;
            this.ch = ch;
        }

        @Override
        void runOnce() {
            loop.doRegister(ch);
        }
    }

    // ------------------------------------------------------------------ the loop

    @Override
    public void run() {
        Throwable failure = null;
        try {
            loop();
        } catch (Throwable t) {
            failure = t;
            tasks.close();                  // dead: hand-offs from now on may come back to the acceptor
        }
        // Each exit step is guarded on its own (a dying loop may be short of memory): whatever fails, the
        // later steps run, and reactorExited (a count-down) always does, so no shutdown waits forever.
        if (failure != null) {
            server.loopError(this, failure, true);
        }
        try {
            quiesce();                      // a dead loop reads nothing either: shutdown must not wait for it
        } catch (Throwable ignored) {
            // go on exiting
        }
        try {
            closeOwned(failure == null ? CloseReason.SHUTDOWN : CloseReason.LOOP_FAILED);
        } catch (Throwable ignored) {
            // go on exiting
        }
        try {
            tasks.drain();                  // registrations see dead or shuttingDown: they close
        } catch (Throwable ignored) {
            // go on exiting
        }
        try {
            selector.close();
        } catch (Throwable ignored) {
            // nothing to do
        }
        server.reactorExited(this);
    }

    private void loop() throws IOException {
        while (true) {
            seam.beforeIteration(index);    // a test seam (a loop that dies); does nothing in production
            now = System.nanoTime();
            if (shuttingDown) {
                checkShutdown();
                if (owned == 0 || now - shutdownDeadline >= 0) {
                    return;
                }
            }
            long timeoutMs = selectTimeoutMillis();
            gate.prepareToSleep();
            if (timeoutMs < 0 || localReadyCount > 0 || dirtyCount > 0 || !tasks.isEmpty() || !ready.isEmpty()) {
                gate.awake();
                emptySelects = 0;
                selector.selectNow(onKey);
            } else {
                long t0 = now;
                int n = selector.select(onKey, timeoutMs);
                boolean woken = gate.awake();
                now = System.nanoTime();
                if (n == 0 && !woken && tasks.isEmpty() && ready.isEmpty()
                        && (timeoutMs == 0 || now - t0 < TimeUnit.MILLISECONDS.toNanos(timeoutMs) / 2)) {
                    if (++emptySelects >= cfg.selectorRebuildThreshold) {
                        tryRebuildSelector();
                    }
                } else {
                    emptySelects = 0;
                }
            }
            now = System.nanoTime();
            runTasks();
            idle.poll(now, IDLE_POLL_LIMIT);
            flushDirty();
            if (!closingInboxes.isEmpty() && now - nextCloseRetryAt >= 0) {
                retryInboxCloses();
            }
        }
    }

    /** A closed connection's inbox that could not give its chunks back yet (a sender inside a claim). */
    void closeInboxLater(MpscChunkedFrameQueue box) {
        if (closingInboxes.isEmpty()) {
            nextCloseRetryAt = now + CLOSE_RETRY_NANOS;
        }
        closingInboxes.add(box);
    }

    /** Retries the closes of inboxes that had a sender inside a claim; loop thread. */
    private void retryInboxCloses() {
        for (int i = closingInboxes.size() - 1; i >= 0; i--) {
            boolean done;
            try {
                done = closingInboxes.get(i).close();
            } catch (Throwable t) {
                server.handlerError(t);
                done = false;
            }
            if (done) {
                closingInboxes.remove(i);
            }
        }
        nextCloseRetryAt = now + CLOSE_RETRY_NANOS;
    }

    /** {@return -1 for selectNow, 0 for no timeout, else milliseconds} */
    private long selectTimeoutMillis() {
        long delay = idle.nextDelayNanos(now);
        if (!closingInboxes.isEmpty()) {
            delay = Math.min(delay, nextCloseRetryAt - now);
        }
        if (shuttingDown) {
            delay = Math.min(delay, TimeUnit.MILLISECONDS.toNanos(10));
        }
        if (delay == Long.MAX_VALUE) {
            return 0;
        }
        if (delay <= 0) {
            return -1;
        }
        return Math.max(1, (delay + 999_999) / 1_000_000);
    }

    /**
     * This loop's own send notifications (all: they are bounded by what this iteration did), then at most
     * {@code taskBudget} notifications from other threads and at most {@code taskBudget} tasks: each queue
     * has its own budget, so neither starves the other (nor do registrations starve behind a fan-out).
     */
    private void runTasks() {
        int budget = cfg.taskBudget;
        for (int i = 0; i < localReadyCount; i++) {     // grows if a drain sends again: those run too
            Connection c = localReady[i];
            localReady[i] = null;
            c.drainNotified();
        }
        int local = localReadyCount;
        localReadyCount = 0;
        int notified = 0;
        Connection c;
        while (notified < budget && (c = ready.relaxedPoll()) != null) {
            c.drainNotified();
            notified++;
        }
        int ran = 0;
        Runnable t;
        while (ran < budget && (t = tasks.relaxedPoll()) != null) {
            try {
                t.run();
            } catch (Throwable e) {
                server.loopError(this, e, false);
            }
            ran++;
        }
        int done = local + notified + ran;
        if (done > 0) {
            stats.tasks.add(index, done);
        }
    }

    /**
     * {@link #rebuildSelector()}; if no new selector can be opened (EMFILE), keeps the old one (the only
     * IOException rebuildSelector throws: a connection that cannot move is closed alone).
     */
    private void tryRebuildSelector() {
        int empty = emptySelects;
        try {
            int keys = rebuildSelector();
            rebuildEvent(empty, keys, null);
        } catch (IOException e) {
            emptySelects = 0;               // try again after as many premature selects
            stats.selectorRebuildFailures.increment(index);
            rebuildEvent(empty, 0, e);
        }
    }

    private void rebuildEvent(int empty, int keys, IOException failure) {
        ReactorEvents.SelectorRebuild e = new ReactorEvents.SelectorRebuild();
        if (e.shouldCommit()) {
            e.reactor = index;
            e.emptySelects = empty;
            e.keys = keys;
            e.succeeded = failure == null;
            e.cause = failure == null ? null : failure.toString();
            e.commit();
        }
    }

    /** {@return how many connections moved to the new selector} */
    private int rebuildSelector() throws IOException {
        Selector old = selector;
        Selector fresh = openSelector();
        int moved = 0;
        for (SelectionKey k : old.keys()) {
            if (!k.isValid() || !(k.attachment() instanceof Connection c)) {
                continue;
            }
            int ops = k.interestOps();
            k.cancel();
            try {
                c.key = c.channel.register(fresh, ops, c);
                moved++;
            } catch (Throwable t) {
                c.key = k;                  // cancelled: close() may cancel it again
                c.closeOnIoError(t instanceof IOException io ? io : new IOException(t));
            }
        }
        selector = fresh;
        old.close();
        emptySelects = 0;
        stats.selectorRebuilds.increment(index);
        return moved;
    }

    private Selector openSelector() throws IOException {
        seam.beforeSelectorOpen();          // a test seam (a failing open); does nothing in production
        return Selector.open();
    }

    /**
     * Test seam: {@code Selector.wakeup()} without the gate, so {@code select} returns 0 keys with no task
     * and no recorded wakeup, as the epoll spin bug makes it do. Any thread.
     */
    void spuriousWakeup() {
        selector.wakeup();
    }

    /** Test seam: rebuilds on the loop thread. */
    void forceRebuild() {
        execute(this::tryRebuildSelector, -1);
    }

    // ------------------------------------------------------------------ connections

    private void doRegister(SocketChannel ch) {
        if (isDead()) {
            server.rejected(ch, index, CloseReason.LOOP_FAILED);
            return;
        }
        if (shuttingDown) {
            server.rejected(ch, index, CloseReason.SHUTDOWN);
            return;
        }
        Connection c;
        try {
            ByteRing in = ByteRing.elastic(cfg.inboundRingBytes, buffers);
            ByteRing out = ByteRing.elastic(cfg.outboundRingBytes, buffers);
            c = new Connection(this, ch, in, out);
            c.interest = SelectionKey.OP_READ;
            c.key = ch.register(selector, SelectionKey.OP_READ, c);
            c.id = matrix.add(index, c);
        } catch (Throwable e) {
            server.rejected(ch, index, CloseReason.HANDLER_ERROR);
            server.handlerError(e);
            return;
        }
        owned++;
        try {
            if (cfg.idleTimeoutNanos > 0) {
                c.maxIdleNanos = cfg.idleTimeoutNanos;
                idle.add(c, now);
            }
            c.open();
        } catch (Throwable t) {
            c.close(CloseReason.HANDLER_ERROR, t);
        }
    }

    /** A watched connection was idle for its duration: the handler decides (by default it aborts it). */
    private void onIdle(Connection c) {
        if (c.closing) {
            c.close(CloseReason.IDLE, null);    // a graceful close whose output did not drain in an idle period
            return;
        }
        try {
            handler.onIdle(c);
        } catch (Throwable t) {
            c.close(CloseReason.HANDLER_ERROR, t);
            return;
        }
        if (!c.isClosed() && !c.isWatched()) {
            idle.add(c, now);               // left open: watched again for another idle duration
        }
        if (c.dirty && !c.isClosed()) {
            c.flushOrClose();
        }
    }

    /** {@code c}'s idle duration changed (Conn.setMaxIdle): watched again from now. */
    void rearmIdle(Connection c) {
        c.recordActivity(now);
        idle.rearm(c, now);
    }

    /**
     * Bookkeeping of a close, before the channel closes: matrix, wheel, counts, then the close's report
     * (a fault is logged, rate-limited; the JFR event).
     *
     * @param cause the handler's exception or the I/O error, or null
     */
    void closed(Connection c, CloseReason reason, Throwable cause) {
        matrix.removeByOwner(c.id);
        idle.remove(c);
        owned--;
        stats.closed[reason.ordinal()].increment(index);
        server.connectionClosed();
        try {
            report(c, reason, cause);
        } catch (Throwable t) {
            // a logging backend or the recorder failed: the close itself must go on
        }
    }

    /** A close's fault-log line (rate-limited) and JFR event (every fault, a sample of the rest). */
    private void report(Connection c, CloseReason reason, Throwable cause) {
        boolean fault = FaultLog.isFault(reason, cause);
        if (fault) {
            faultLog.log(c, reason, cause, now);
        }
        if (fault || ++closesSinceSample >= ReactorEvents.CLOSE_SAMPLE) {
            ReactorEvents.ConnectionClosed e = new ReactorEvents.ConnectionClosed();
            if (e.shouldCommit()) {
                e.connectionId = c.id;
                e.reactor = index;
                e.reason = reason.name();
                e.peer = FaultLog.peer(c);
                e.bytesRead = c.bytesIn;
                e.bytesWritten = c.bytesOut;
                e.age = c.opened ? System.nanoTime() - c.openedAt : 0;
                e.weight = fault ? 1 : closesSinceSample;
                e.cause = cause == null ? null : cause.toString();
                e.commit();
            }
            if (!fault) {
                closesSinceSample = 0;
            }
        }
    }

    /** Reads of {@code c} resumed after a pause that began at {@code pausedAt} (nanoTime): the JFR event. */
    void readResumed(Connection c, long pausedAt) {
        long paused = System.nanoTime() - pausedAt;
        if (paused < ReactorEvents.READ_PAUSE_THRESHOLD_MICROS * 1000) {
            return;
        }
        ReactorEvents.ReadPause e = new ReactorEvents.ReadPause();
        if (e.shouldCommit()) {
            e.connectionId = c.id;
            e.reactor = index;
            e.cause = c.pausedByInput ? "inbound ring full" : "output at the high water mark";
            e.paused = paused;
            e.commit();
        }
    }

    /** Closes every connection this loop owns, as the loop exits; a SHUTDOWN close with output pending is counted. */
    private void closeOwned(CloseReason reason) {
        for (Connection c : ownedConnections()) {
            try {
                if (reason == CloseReason.SHUTDOWN && c.hasPending()) {
                    stats.shutdownUnflushed.increment(index);
                }
                c.close(reason, null);
            } catch (Throwable ignored) {
                // closing anyway: the rest must close too
            }
        }
    }

    private List<Connection> ownedConnections() {
        List<Connection> list = new ArrayList<>();
        matrix.forEach((id, c) -> {
            if (c.loop == this) {
                list.add(c);
            }
        });
        return list;
    }

    /**
     * Shutdown, per connection, once every loop has stopped reading (so no send can still arrive):
     * {@link Connection#shutDownIfFlushed()}.
     */
    private void checkShutdown() {
        if (!server.allQuiesced()) {
            return;     // another loop may still read and send into our inboxes: keep every connection open
        }
        for (Connection c : ownedConnections()) {
            try {
                c.shutDownIfFlushed();
            } catch (Throwable t) {
                c.close(CloseReason.HANDLER_ERROR, t);
            }
        }
    }

    /** {@return whether a shutdown began on this loop; loop thread} */
    boolean shuttingDown() {
        return shuttingDown;
    }

    /** {@return the loop's clock, read once per iteration step; loop thread} */
    long now() {
        return now;
    }

    void markDirty(Connection c) {
        if (c.dirty) {
            return;
        }
        c.dirty = true;
        if (dirtyCount == dirty.length) {
            dirty = java.util.Arrays.copyOf(dirty, dirtyCount * 2);
        }
        dirty[dirtyCount++] = c;
    }

    void bytesRead(long n) {
        stats.bytesRead.add(index, n);
    }

    void bytesWritten(long n) {
        stats.bytesWritten.add(index, n);
    }

    void readPaused() {
        stats.readPauses.increment(index);
    }

    // ------------------------------------------------------------------ I/O dispatch

    private void onKey(SelectionKey key) {
        Connection c = (Connection) key.attachment();
        try {
            if (!key.isValid()) {
                return;
            }
            int readyOps = key.readyOps();
            if ((readyOps & SelectionKey.OP_WRITE) != 0) {
                c.flush();
            }
            if ((readyOps & SelectionKey.OP_READ) != 0 && !c.isClosed() && !c.readPaused && !c.inputShut) {
                c.onReadable();
            }
        } catch (IOException e) {
            c.closeOnIoError(e);
        } catch (Throwable t) {
            c.close(CloseReason.HANDLER_ERROR, t);
        }
        if (++keysSinceReady >= KEYS_PER_READY_DRAIN) {
            keysSinceReady = 0;
            drainReadyBetweenKeys();
        }
    }

    /**
     * Every {@link #KEYS_PER_READY_DRAIN} keys of a long select batch, drains as many inboxes that other
     * threads filled (the {@code ready} queue, which {@code runTasks} otherwise drains after the batch): a
     * frame another loop sent waits for a few dozen reads rather than for the whole batch, and, since an
     * inbox holds a chunk only while frames wait in it, the loops hold tens of chunks rather than one per
     * connection the other loop read in its batch. Loop thread, between two keys (never inside a handler).
     */
    private void drainReadyBetweenKeys() {
        int n = 0;
        Connection r;
        while (n < KEYS_PER_READY_DRAIN && (r = ready.relaxedPoll()) != null) {
            r.drainNotified();
            n++;
        }
        if (n > 0) {
            stats.tasks.add(index, n);
        }
    }

    private void flushDirty() {
        int n = dirtyCount;
        for (int i = 0; i < n; i++) {
            Connection c = dirty[i];
            dirty[i] = null;
            c.dirty = false;
            if (!c.isClosed()) {
                c.flushOrClose();
            }
        }
        // connections marked dirty during this flush stay for the next iteration
        int rest = dirtyCount - n;
        if (rest > 0) {
            System.arraycopy(dirty, n, dirty, 0, rest);
            java.util.Arrays.fill(dirty, rest, dirtyCount, null);
        }
        dirtyCount = rest;
    }
}
