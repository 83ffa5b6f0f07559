package dev.netkit.reactor;

import dev.netkit.connmatrix.ConnMatrix;
import dev.netkit.ring.BufferProvider;
import dev.netkit.ring.ByteRing;
import dev.netkit.ring.MpscFrameRing;
import dev.netkit.ring.Segments;
import dev.netkit.timingwheel.IdleTimeouts;
import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One event loop: a thread that owns a {@link Selector}, the connections registered with it, their rings,
 * its {@code ConnMatrix} shard, its idle-timeout wheel and its stripe of the stats.
 *
 * <p>One iteration: select (dispatching ready keys through a reused {@code Consumer}, so no selected-key
 * set and no iterator garbage) with the timeout of the wheel's next deadline; run at most
 * {@code taskBudget} cross-thread tasks and inbox notifications; expire idle timers; flush every
 * connection that got output in this iteration with one gathering write each.
 *
 * <p>Faults. Anything a connection's handling throws (its read, protocol step, inbox drain or flush)
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
     * Implementation notes. Cross-thread input arrives through two jctools MPSC queues: `tasks` (Runnables:
     * registrations of accepted channels, closes requested by relay producers, shutdown) and `ready`
     * (connections whose inbox got a frame; each enqueued at most once until drained, see
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
     * shutdown task, a relay producer's close
     * request) are never run, and need not be: its connections are closed and out of the matrix.
     *
     * Flush at once. A connection that got output from its own read (echo) or from its inbox drain (relay)
     * is written right there, with one gathering write, not at the end of the iteration: still one write
     * per connection per iteration (the end-of-iteration flushDirty finds its ring empty), but the elastic
     * rings then borrow and return their pooled buffers one connection at a time, so one buffer per size
     * class circulates, stays in cache, and every ring gets back the buffer its views already cover (no
     * view allocation). Deferring every write to the end of the iteration made k connections hold k
     * buffers in a different order each iteration: about 150 B of garbage per echoed message.
     * Other output (hello and error frames, shutdown, half-close, water-mark resumption) is still marked
     * dirty and flushed at the end of the iteration.
     */
    private static final int IDLE_POLL_LIMIT = 4096;
    private static final int INBOX_BATCH = 32;

    final int index;
    private final Server server;
    private final ServerConfig cfg;
    private final ConnMatrix<Connection> matrix;
    private final ServerStats stats;
    private final BufferProvider buffers;
    private final IdleTimeouts<Connection> idle;
    private final Mailbox tasks = new Mailbox();
    private final MpscUnboundedAtomicArrayQueue<Connection> ready = new MpscUnboundedAtomicArrayQueue<>(256);
    private final WakeupGate gate;
    private final Consumer<SelectionKey> onKey = this::onKey;
    private final ByteBuffer scratch;
    final Thread thread;
    private final int inboxBatch;
    private volatile Selector selector;
    private boolean quiescedSelf;

    private Connection[] dirty = new Connection[64];
    private int dirtyCount;
    private Connection[] localReady = new Connection[16];
    private int localReadyCount;
    private int owned;
    private int emptySelects;
    private long now;
    private boolean shuttingDown;
    private long shutdownDeadline;

    SubReactor(int index, Server server, ServerConfig cfg, ConnMatrix<Connection> matrix, ServerStats stats,
               BufferProvider buffers) throws IOException {
        this.index = index;
        this.server = server;
        this.cfg = cfg;
        this.matrix = matrix;
        this.stats = stats;
        this.buffers = buffers;
        this.selector = Selector.open();
        this.gate = new WakeupGate(() -> selector.wakeup());
        this.now = System.nanoTime();
        if (cfg.idleTimeoutNanos > 0) {
            long tick = Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(TimeUnit.SECONDS.toNanos(1),
                    cfg.idleTimeoutNanos / 16));
            this.idle = new IdleTimeouts<>(now, tick, cfg.idleTimeoutNanos, (c, idleNanos) -> close(c, CloseReason.IDLE));
        } else {
            this.idle = null;
        }
        this.inboxBatch = Math.min(INBOX_BATCH, cfg.relayInboxBytes / MpscFrameRing.HEADER_LENGTH);
        this.scratch = ByteBuffer.allocateDirect(cfg.maxFrameBytes + RelayFrames.SERVER_HEADER + 8);
        this.thread = new Thread(this, "netkit-reactor-" + index);
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
                c.readPaused = true;
                updateInterest(c);
                if (c.out.isEmpty()) {
                    reprocessInbound(c);
                }
                markDirty(c);
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

    /** @return whether this loop stopped on an unexpected error; any thread */
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
            server.reactorFailed(this, failure);
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
            java.util.function.IntConsumer hook = server.iterationHook;
            if (hook != null) {
                hook.accept(index);         // test hook (a loop that dies); null in production
            }
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
            if (idle != null) {
                idle.poll(now, IDLE_POLL_LIMIT);
            }
            flushDirty();
        }
    }

    /** @return -1 for selectNow, 0 for no timeout, else milliseconds */
    private long selectTimeoutMillis() {
        long delay = idle == null ? Long.MAX_VALUE : idle.nextDelayNanos(now);
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

    private void runTasks() {
        int budget = cfg.taskBudget;
        int done = 0;
        // local notifications first (this loop's own relay deliveries)
        for (int i = 0; i < localReadyCount; i++) {
            Connection c = localReady[i];
            localReady[i] = null;
            drainNotified(c);
        }
        done += localReadyCount;
        localReadyCount = 0;
        Connection c;
        while (done < budget && (c = ready.relaxedPoll()) != null) {
            drainNotified(c);
            done++;
        }
        Runnable t;
        while (done < budget && (t = tasks.relaxedPoll()) != null) {
            try {
                t.run();
            } catch (Throwable e) {
                server.taskFailed(this, e);
            }
            done++;
        }
        if (done > 0) {
            stats.tasks.add(index, done);
        }
    }

    /**
     * {@link #rebuildSelector()}; if no new selector can be opened (EMFILE), keeps the old one (the only
     * IOException rebuildSelector throws: a connection that cannot move is closed alone).
     */
    private void tryRebuildSelector() {
        try {
            rebuildSelector();
        } catch (IOException e) {
            emptySelects = 0;               // try again after as many premature selects
            stats.selectorRebuildFailures.increment(index);
        }
    }

    private void rebuildSelector() throws IOException {
        Selector old = selector;
        Selector fresh = openSelector();
        for (SelectionKey k : old.keys()) {
            if (!k.isValid() || !(k.attachment() instanceof Connection c)) {
                continue;
            }
            int ops = k.interestOps();
            k.cancel();
            try {
                c.key = c.channel.register(fresh, ops, c);
            } catch (Throwable t) {
                c.key = k;                  // cancelled: close() may cancel it again
                close(c, CloseReason.IO_ERROR);
            }
        }
        selector = fresh;
        old.close();
        emptySelects = 0;
        stats.selectorRebuilds.increment(index);
    }

    private Selector openSelector() throws IOException {
        if (server.injectedSelectorFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IOException("Too many open files (injected)");
        }
        return Selector.open();
    }

    /**
     * Test hook: {@code Selector.wakeup()} without the gate, so {@code select} returns 0 keys with no task
     * and no recorded wakeup, as the epoll spin bug makes it do. Any thread.
     */
    void spuriousWakeup() {
        selector.wakeup();
    }

    /** Test hook: rebuilds on the loop thread. */
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
            MpscFrameRing inbox = cfg.protocol != Protocol.RELAY ? null
                    : new MpscFrameRing(cfg.relayInboxBytes, inboxBatch, cfg.relayInboxReclaimNanos, System::nanoTime);
            c = new Connection(this, ch, in, out, inbox);
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
            if (idle != null) {
                idle.add(c, now);
            }
            if (cfg.protocol == Protocol.RELAY) {
                writeServerFrame(c, RelayFrames.HELLO, c.id);
            }
        } catch (Throwable t) {
            close(c, CloseReason.HANDLER_ERROR, t);
        }
    }

    void close(Connection c, CloseReason reason) {
        close(c, reason, null);
    }

    /** Closes {@code c}; a {@code cause} (a handler's exception) is kept and logged once per class. */
    private void close(Connection c, CloseReason reason, Throwable cause) {
        if (c.isClosed()) {
            return;
        }
        if (cause != null) {
            server.handlerError(cause);
        }
        c.markClosed();
        matrix.removeByOwner(c.id);
        if (idle != null) {
            idle.remove(c);
        }
        c.key.cancel();
        try {
            c.channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        owned--;
        stats.closed[reason.ordinal()].increment(index);
        server.connectionClosed();
        releaseRing(c.in);
        releaseRing(c.out);
    }

    /** Empties a closed connection's ring (its buffer back to the pool); a failing pool is noted, not thrown. */
    private void releaseRing(ByteRing ring) {
        try {
            ring.clear();
        } catch (Throwable t) {
            server.handlerError(t);         // the ring keeps the buffer; the GC takes both with the connection
        }
    }

    /** Closes every connection this loop owns, as the loop exits; a SHUTDOWN close with output pending is counted. */
    private void closeOwned(CloseReason reason) {
        for (Connection c : ownedConnections()) {
            try {
                if (reason == CloseReason.SHUTDOWN && (!c.out.isEmpty() || !c.in.isEmpty())) {
                    stats.shutdownUnflushed.increment(index);
                }
                close(c, reason);
            } catch (Throwable ignored) {
                // closing anyway: the rest must close too
            }
        }
    }

    private List<Connection> ownedConnections() {
        List<Connection> list = new ArrayList<>();
        matrix.forEach((id, c) -> {
            if (c.owner == this) {
                list.add(c);
            }
        });
        return list;
    }

    /**
     * Shutdown, per connection, once every loop has stopped reading (so no relay frame can still arrive):
     * once everything read has been written (outbound ring, inbox and, for echo,
     * the inbound ring empty), send FIN and keep reading and discarding until the peer closes (or the
     * deadline): closing a socket with unread input would send a reset, which can destroy output the
     * kernel has not delivered yet.
     */
    private void checkShutdown() {
        if (!server.allQuiesced()) {
            return;     // another loop may still read and relay into our inboxes: keep every connection open
        }
        for (Connection c : ownedConnections()) {
            try {
                shutDownIfFlushed(c);
            } catch (Throwable t) {
                close(c, CloseReason.HANDLER_ERROR, t);
            }
        }
    }

    /** {@link #checkShutdown()} for one connection. */
    private void shutDownIfFlushed(Connection c) {
        if (c.outputShut || !c.out.isEmpty() || (c.inbox != null && !c.inbox.isEmpty())
                || (cfg.protocol == Protocol.ECHO && !c.in.isEmpty())) {
            return;
        }
        if (c.inputShut) {
            close(c, CloseReason.SHUTDOWN);     // the peer sent FIN already: nothing left to read
            return;
        }
        try {
            c.channel.shutdownOutput();
        } catch (IOException e) {
            close(c, CloseReason.SHUTDOWN);
            return;
        }
        c.outputShut = true;
        c.in.clear();
        c.readPaused = false;
        updateInterest(c);
    }

    private void discardInput(Connection c) throws IOException {
        long n = c.in.readFrom(c.channel);
        c.in.clear();
        if (n < 0) {
            close(c, CloseReason.SHUTDOWN);
        }
    }

    private void markDirty(Connection c) {
        if (c.dirty) {
            return;
        }
        c.dirty = true;
        if (dirtyCount == dirty.length) {
            dirty = java.util.Arrays.copyOf(dirty, dirtyCount * 2);
        }
        dirty[dirtyCount++] = c;
    }

    private void updateInterest(Connection c) {
        if (c.isClosed()) {
            return;
        }
        int ops = (c.readPaused || c.inputShut ? 0 : SelectionKey.OP_READ)
                | (c.out.isEmpty() ? 0 : SelectionKey.OP_WRITE);
        if (ops != c.interest) {
            c.interest = ops;
            c.key.interestOps(ops);
        }
    }

    // ------------------------------------------------------------------ I/O

    private void onKey(SelectionKey key) {
        Connection c = (Connection) key.attachment();
        try {
            if (!key.isValid()) {
                return;
            }
            int readyOps = key.readyOps();
            if ((readyOps & SelectionKey.OP_WRITE) != 0) {
                flush(c);
            }
            if ((readyOps & SelectionKey.OP_READ) != 0 && !c.isClosed() && !c.readPaused && !c.inputShut) {
                onReadable(c);
            }
        } catch (IOException e) {
            close(c, CloseReason.IO_ERROR);
        } catch (Throwable t) {
            close(c, CloseReason.HANDLER_ERROR, t);
        }
    }

    private void onReadable(Connection c) throws IOException {
        if (c.outputShut) {
            discardInput(c);
            return;
        }
        long n = c.in.readFrom(c.channel);
        if (n < 0) {
            onEndOfStream(c);
            return;
        }
        if (n > 0) {
            stats.bytesRead.add(index, n);
            c.recordActivity(now);
            handleInbound(c);
            if (c.dirty && !c.isClosed()) {
                flush(c);                   // write now: see "Flush at once" in the notes
            }
        }
        if (!c.isClosed() && !c.readPaused && (c.in.writable() == 0 || c.out.readable() >= cfg.highWaterBytes)) {
            c.readPaused = true;
            stats.readPauses.increment(index);
            updateInterest(c);
        }
    }

    /** The protocol step: consume what the inbound ring holds. */
    private void handleInbound(Connection c) {
        if (cfg.protocol == Protocol.ECHO) {
            echo(c);
        } else {
            relay(c);
        }
        server.afterInbound(c);             // test hook (a handler that throws); a no-op in production
    }

    private void echo(Connection c) {
        int n = Math.min(c.in.readable(), c.out.writable());
        if (n == 0) {
            return;
        }
        Segments s = c.in.peek(n);
        for (int i = 0; i < s.count(); i++) {
            c.out.write(s.get(i));
        }
        c.in.discard(n);
        markDirty(c);
    }

    private void relay(Connection c) {
        ByteRing in = c.in;
        while (in.readable() >= 4) {
            int len = in.getInt(0);
            if (len < 8 || len > cfg.maxFrameBytes) {
                close(c, CloseReason.MALFORMED_FRAME);
                return;
            }
            if (in.readable() < 4 + len) {
                return;
            }
            long target = in.getLong(4);
            deliver(c, target, len - 8);
            if (c.isClosed()) {
                return;
            }
            in.discard(4 + len);
        }
    }

    private void deliver(Connection src, long targetId, int payload) {
        Connection t = matrix.get(targetId);
        if (t == null || t.isClosed()) {
            stats.unknownTarget.increment(index);
            writeServerFrame(src, RelayFrames.ERROR, targetId);
            return;
        }
        // copy the client frame [len][target][payload] to scratch[1..], then overwrite the first 13 bytes
        // with the server header [len][source][DATA]: the payload lands at 13 without a second copy
        ByteBuffer b = scratch;
        b.clear().position(1);
        Segments s = src.in.peek(RelayFrames.CLIENT_HEADER + payload);
        for (int i = 0; i < s.count(); i++) {
            b.put(s.get(i));
        }
        b.putInt(0, 9 + payload).putLong(4, src.id).put(12, RelayFrames.DATA);
        b.flip().position(0);
        int offered = t.inbox.tryOffer(b);
        if (offered == MpscFrameRing.OFFER_RECLAIMED) {
            // this loop stalled past the reclaim timeout between claim and commit: the target's loop
            // skipped the frame; the target is healthy. Wake it anyway: the space our late commit freed
            // is released at its next peek, so the next frame does not find the inbox full
            stats.relayDropped.increment(index);
            t.owner.notifyInbox(t, this);
            return;
        }
        if (offered == MpscFrameRing.OFFER_FULL) {
            // the target does not read fast enough: its outbound cap (ring + inbox) is exceeded
            if (t.owner == this) {
                close(t, CloseReason.OUTBOUND_CAP);
            } else {
                long id = t.id;
                SubReactor o = t.owner;
                o.execute(() -> {
                    Connection x = matrix.get(id);
                    if (x == t) {
                        o.close(x, CloseReason.OUTBOUND_CAP);
                    }
                }, index);
            }
            return;
        }
        stats.relayed.increment(index);
        if (t.owner != this) {
            stats.relayedCross.increment(index);
        }
        t.owner.notifyInbox(t, this);
    }

    /** Writes a 13-byte server frame (hello or error) to {@code c}'s outbound ring; owner only. */
    private void writeServerFrame(Connection c, byte type, long id) {
        if (c.out.writable() < RelayFrames.SERVER_HEADER) {
            close(c, CloseReason.OUTBOUND_CAP);
            return;
        }
        ByteBuffer b = scratch;
        b.clear();
        b.putInt(9).putLong(id).put(type).flip();
        c.out.write(b);
        markDirty(c);
    }

    private void drainNotified(Connection c) {
        c.unschedule();
        if (c.isClosed()) {
            return;
        }
        try {
            drainInbox(c);
        } catch (Throwable t) {
            close(c, CloseReason.HANDLER_ERROR, t);
            return;
        }
        if (c.dirty && !c.isClosed()) {
            flushOrClose(c);                // write now: see "Flush at once" in the notes
        }
    }

    /** Moves committed inbox frames into the outbound ring while they fit; owner only. */
    private void drainInbox(Connection c) {
        MpscFrameRing inbox = c.inbox;
        boolean moved = false;
        c.inboxBacklog = false;
        while (true) {
            Segments s = inbox.peek(inboxBatch);
            int k = s.count();
            if (k == 0) {
                break;
            }
            int i = 0;
            for (; i < k; i++) {
                ByteBuffer f = s.get(i);
                if (c.out.writable() < f.remaining()) {
                    break;
                }
                c.out.write(f);
                moved = true;
            }
            inbox.discard(i);
            if (i < k) {
                c.inboxBacklog = true;      // the outbound ring is full: drain again after a flush
                break;
            }
        }
        if (moved) {
            markDirty(c);
        }
    }

    private void flushDirty() {
        int n = dirtyCount;
        for (int i = 0; i < n; i++) {
            Connection c = dirty[i];
            dirty[i] = null;
            c.dirty = false;
            if (!c.isClosed()) {
                flushOrClose(c);
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

    /** {@link #flush(Connection)}, closing the connection on failure instead of throwing; owner only. */
    private void flushOrClose(Connection c) {
        try {
            flush(c);
        } catch (IOException e) {
            close(c, CloseReason.IO_ERROR);
        } catch (Throwable t) {
            close(c, CloseReason.HANDLER_ERROR, t);
        }
    }

    /** One gathering write of the outbound ring, then water marks, inbox backlog and half-close; owner only. */
    private void flush(Connection c) throws IOException {
        if (!c.out.isEmpty()) {
            long w = c.out.writeTo(c.channel);
            if (w > 0) {
                stats.bytesWritten.add(index, w);
                c.recordActivity(now);
            }
        }
        if (c.inboxBacklog && c.out.writable() > 0) {
            drainInbox(c);
        }
        if ((c.readPaused || c.inputShut) && c.out.readable() <= cfg.lowWaterBytes) {
            reprocessInbound(c);
            if (c.isClosed()) {
                return;
            }
            if (c.readPaused && !shuttingDown && c.in.writable() > 0 && c.out.readable() < cfg.highWaterBytes) {
                c.readPaused = false;
            }
        }
        if (c.inputShut && c.out.isEmpty() && c.in.isEmpty() && !c.inboxBacklog) {
            close(c, CloseReason.PEER_CLOSED);
            return;
        }
        updateInterest(c);
    }

    /** Processes inbound bytes left behind when the outbound ring was full; owner only. */
    private void reprocessInbound(Connection c) {
        if (!c.in.isEmpty()) {
            handleInbound(c);
        }
    }

    private void onEndOfStream(Connection c) throws IOException {
        if (cfg.protocol == Protocol.RELAY && !c.in.isEmpty()) {
            close(c, CloseReason.MALFORMED_FRAME);          // truncated frame
            return;
        }
        if (!cfg.halfClose) {
            close(c, CloseReason.PEER_CLOSED);
            return;
        }
        c.inputShut = true;
        if (c.out.isEmpty() && c.in.isEmpty()) {
            close(c, CloseReason.PEER_CLOSED);
            return;
        }
        updateInterest(c);
        markDirty(c);
    }

    /** @return the connections this loop owns now; loop thread (weakly consistent elsewhere) */
    int owned() {
        return owned;
    }
}
