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
 * <p><b>Thread safety.</b> Everything runs on the loop thread except {@link #execute(Runnable)},
 * {@link #notifyInbox(Connection, SubReactor)} and {@link #beginShutdown(long)}, which any thread may call
 * (lock-free: an MPSC queue offer and a {@link WakeupGate}).
 */
final class SubReactor implements Runnable {
    /*
     * Implementation notes. Cross-thread input arrives through two jctools MPSC queues: `tasks` (Runnables:
     * registrations of accepted channels, closes requested by relay producers, shutdown) and `ready`
     * (connections whose inbox got a frame; each enqueued at most once until drained, see
     * Connection.scheduled). Producers offer, then call gate.wakeIfSleeping(); the loop calls
     * gate.prepareToSleep() and re-checks both queues before select, so no offer is left unseen while the
     * loop sleeps (WakeupGate's notes). `selector` is volatile only because producers' wake action reads it
     * and a rebuild replaces it. All other fields are loop-thread-only.
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
    private final MpscUnboundedAtomicArrayQueue<Runnable> tasks = new MpscUnboundedAtomicArrayQueue<>(256);
    private final MpscUnboundedAtomicArrayQueue<Connection> ready = new MpscUnboundedAtomicArrayQueue<>(256);
    private final WakeupGate gate;
    private final Consumer<SelectionKey> onKey = this::onKey;
    private final ByteBuffer scratch;
    final Thread thread;
    private volatile Selector selector;

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
        this.scratch = ByteBuffer.allocateDirect(cfg.maxFrameBytes + RelayFrames.SERVER_HEADER + 8);
        this.thread = new Thread(this, "netkit-reactor-" + index);
    }

    // ------------------------------------------------------------------ cross-thread entry points

    /** Runs {@code task} on the loop thread within an iteration or two. Any thread. */
    void execute(Runnable task) {
        tasks.offer(task);
        if (gate.wakeIfSleeping()) {
            stats.wakeups.increment(index);
        }
    }

    /**
     * Tells {@code c}'s owner (this loop) that its inbox has a frame. Any thread; {@code caller} is the
     * calling sub-reactor or null.
     */
    void notifyInbox(Connection c, SubReactor caller) {
        if (!c.trySchedule()) {
            return;                         // already queued: the drain will see the new frame
        }
        if (caller == this) {
            if (localReadyCount == localReady.length) {
                localReady = java.util.Arrays.copyOf(localReady, localReadyCount * 2);
            }
            localReady[localReadyCount++] = c;
        } else {
            ready.offer(c);
            if (gate.wakeIfSleeping()) {
                stats.wakeups.increment(caller == null ? index : caller.index);
            }
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
            server.quiesced();              // this loop reads no more input
        });
    }

    /** Hands an accepted channel to this loop. Any thread. */
    void register(SocketChannel ch) {
        execute(() -> doRegister(ch));
    }

    // ------------------------------------------------------------------ the loop

    @Override
    public void run() {
        try {
            loop();
        } catch (Throwable t) {
            server.reactorFailed(this, t);
        } finally {
            closeAll();
            try {
                selector.close();
            } catch (IOException ignored) {
                // nothing to do
            }
            server.reactorExited(this);
        }
    }

    private void loop() throws IOException {
        while (true) {
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
                        rebuildSelector();
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

    private void rebuildSelector() throws IOException {
        Selector old = selector;
        Selector fresh = Selector.open();
        for (SelectionKey k : old.keys()) {
            if (!k.isValid() || !(k.attachment() instanceof Connection c)) {
                continue;
            }
            int ops = k.interestOps();
            k.cancel();
            c.key = c.channel.register(fresh, ops, c);
        }
        selector = fresh;
        old.close();
        emptySelects = 0;
        stats.selectorRebuilds.increment(index);
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
        execute(() -> {
            try {
                rebuildSelector();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    // ------------------------------------------------------------------ connections

    private void doRegister(SocketChannel ch) {
        if (shuttingDown) {
            server.rejected(ch, index, CloseReason.SHUTDOWN);
            return;
        }
        Connection c;
        try {
            ByteRing in = ByteRing.elastic(cfg.inboundRingBytes, buffers);
            ByteRing out = ByteRing.elastic(cfg.outboundRingBytes, buffers);
            MpscFrameRing inbox = cfg.protocol == Protocol.RELAY ? new MpscFrameRing(cfg.relayInboxBytes) : null;
            c = new Connection(this, ch, in, out, inbox);
            c.interest = SelectionKey.OP_READ;
            c.key = ch.register(selector, SelectionKey.OP_READ, c);
            c.id = matrix.add(index, c);
        } catch (Throwable e) {
            server.rejected(ch, index, CloseReason.HANDLER_ERROR);
            return;
        }
        owned++;
        if (idle != null) {
            idle.add(c, now);
        }
        if (cfg.protocol == Protocol.RELAY) {
            writeServerFrame(c, RelayFrames.HELLO, c.id);
        }
    }

    void close(Connection c, CloseReason reason) {
        if (c.isClosed()) {
            return;
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
        c.in.clear();
        c.out.clear();
        owned--;
        stats.closed[reason.ordinal()].increment(index);
        server.connectionClosed();
    }

    private void closeAll() {
        for (Connection c : ownedConnections()) {
            if (!c.out.isEmpty() || !c.in.isEmpty()) {
                stats.shutdownUnflushed.increment(index);
            }
            close(c, CloseReason.SHUTDOWN);
        }
        Runnable t;
        while ((t = tasks.relaxedPoll()) != null) {
            try {
                t.run();                    // registrations see shuttingDown or a closed selector: they close
            } catch (Throwable ignored) {
                // shutting down
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
            if (!c.outputShut && c.out.isEmpty() && (c.inbox == null || c.inbox.isEmpty())
                    && (cfg.protocol != Protocol.ECHO || c.in.isEmpty())) {
                if (c.inputShut) {
                    close(c, CloseReason.SHUTDOWN);     // the peer sent FIN already: nothing left to read
                    continue;
                }
                try {
                    c.channel.shutdownOutput();
                } catch (IOException e) {
                    close(c, CloseReason.SHUTDOWN);
                    continue;
                }
                c.outputShut = true;
                c.in.clear();
                c.readPaused = false;
                updateInterest(c);
            }
        }
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
            close(c, CloseReason.HANDLER_ERROR);
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
        if (!t.inbox.offer(b)) {
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
                });
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
        if (!c.isClosed()) {
            drainInbox(c);
            if (c.dirty && !c.isClosed()) {
                flushOrClose(c);            // write now: see "Flush at once" in the notes
            }
        }
    }

    /** Moves committed inbox frames into the outbound ring while they fit; owner only. */
    private void drainInbox(Connection c) {
        MpscFrameRing inbox = c.inbox;
        boolean moved = false;
        c.inboxBacklog = false;
        while (true) {
            Segments s = inbox.peek(INBOX_BATCH);
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
            close(c, CloseReason.HANDLER_ERROR);
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
