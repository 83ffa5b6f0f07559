package dev.netkit.reactor;

import dev.netkit.padding.internal.Handles;
import dev.netkit.ring.ByteRing;
import dev.netkit.ring.BufferProvider;
import dev.netkit.ring.MpscChunkedFrameQueue;
import dev.netkit.ring.Segments;
import dev.netkit.timingwheel.IdleTimeouts;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One accepted connection, owned by one {@link SubReactor} for its whole life: its I/O (read, the handler
 * step, flush), its flow control (water marks, writability, half-close, graceful close) and its inbox.
 * The loop decides when; this class does it.
 *
 * <p><b>Not pooled, on purpose.</b> A connection object is allocated once per accept and left to the GC
 * after close. Senders on other threads look a connection up by id and then write into its inbox; had the
 * object been recycled between their lookup and their write, the frame would land in a newer connection
 * (the "bad fd" bug WuKongIM's wknet and gnet#621 had). With a fresh object per connection, a stale
 * reference can only reach the dead connection, whose inbox nobody drains: its frames are lost with it,
 * never delivered to a stranger. Ids are {@code ConnMatrix} ids (slot plus generation), so a stale id
 * finds nothing. What pooling would save (one ~150-byte allocation per accept) is nothing next to an
 * accept's system calls; the per-message path allocates nothing either way. What is pooled is the memory
 * that matters: the rings' buffers, from the server's {@code BufferPool}, held only while bytes wait.
 *
 * <p><b>Thread safety.</b> The {@link Conn} methods say who may call them; everything else runs on the
 * owning loop's thread, except {@link #isClosed()}, {@link #trySchedule(boolean)} and
 * {@link #inbox(Supplier)}, which senders call.
 */
final class Connection extends IdleTimeouts.Entry implements Conn {
    /*
     * Implementation notes. Every plain field is read and written by the owning loop's thread only. Three
     * fields are shared:
     *
     * - `closed`: release store by the owner when it closes, acquire reads by senders, who then skip the
     *   connection: a hint, the inbox stays safe to write either way.
     * - `inbox`: null until the first send to the connection; a sender installs a fresh
     *   MpscChunkedFrameQueue with one compareAndExchange (volatile: publishes the queue's construction),
     *   and a sender that loses the race uses the winner's (its own queue is garbage: a rare, one-time
     *   allocation that holds no chunk). The owner reads it with getAcquire. Once set it never changes. When
     *   the owner closes the connection it closes the inbox (claims fail from then on, and its chunks go back
     *   to the pool once no sender is inside a claim; SubReactor retries a close that has to wait), or, if
     *   there is none yet, installs CLOSED_INBOX with the same compareAndExchange, so a sender that looked
     *   the connection up just before the close cannot install a queue that nobody would ever empty.
     * - `scheduled` (0/1): whether the connection sits in its owner's ready queue for an inbox drain;
     *   senders CAS 0 -> 1 after committing a frame and enqueue it only when they win.
     * - `closeRequested` (0/1): a sender on another thread that found the inbox full CASes it 0 -> 1 and
     *   only the winner queues the close task (later senders that find it full queue nothing).
     *
     * The wake-up handshake is a Dekker pair: the sender stores the frame header (commit; and, the first
     * time, the inbox reference before it) and then loads `scheduled`; the owner stores `scheduled = 0` and
     * then loads `inbox` and the frame headers (peek). No lost wake-up means: not both loads miss the other
     * side's store (the sender sees 1 and does not enqueue, and the owner sees no inbox or no frame). A
     * store followed by a load to another location is the one reordering that release/acquire allows, and
     * the commit is a plain release store when the inbox's reclaim is off. So each side puts a full fence
     * between its stores and its load (trySchedule begins with one, unless the sender is the owner's own
     * thread, whose program order already orders its commit before its drain; unschedule's release store
     * is followed by one): correct for every commit mode by the fences' specification. jcstress:
     * dev.netkit.stress.reactor.InboxWakeup*Test (a first send, which installs the inbox, against the
     * owner's drain, with reclaim on and off) and InboxInstallTest (two first sends).
     *
     * Writability. `unwritable` is set when a write is refused or when the pending output reaches the high
     * water mark after a handler step, and cleared (with onWritable) when a flush brings the output down to
     * the low water mark. Reads pause while the inbound ring is full or the connection is unwritable, so a
     * handler that stops at a refused write finds its input waiting when onWritable/onData run again.
     * The water marks compare pendingOutputBytes(): the ring's readable bytes plus the queued files' bytes.
     *
     * Files (sendFile). Queued files form a FIFO of PendingFile (`files` .. `filesTail`); each holds
     * `ringBefore`, the ring bytes written between the previous file (or, for the head, the flush point)
     * and it, so the output order is the call order: flush writes the head's ringBefore ring bytes, then
     * transfers the head's file, then goes to the next; ring bytes after the last file are the ring's rest.
     * `ringHeld` is the sum of the files' ringBefore (<= out.readable()), `fileBytes` the sum of their
     * remaining bytes. All owner-thread state; the listeners run on the loop.
     */
    private static final VarHandle CLOSED = Handles.field(MethodHandles.lookup(), Connection.class, "closed", boolean.class);
    private static final VarHandle SCHEDULED = Handles.field(MethodHandles.lookup(), Connection.class, "scheduled", int.class);
    private static final VarHandle INBOX =
            Handles.field(MethodHandles.lookup(), Connection.class, "inbox", MpscChunkedFrameQueue.class);
    private static final VarHandle CLOSE_REQUESTED =
            Handles.field(MethodHandles.lookup(), Connection.class, "closeRequested", int.class);

    /** The inbox of every closed connection that had none: closed, holds nothing, refuses every frame. */
    static final MpscChunkedFrameQueue CLOSED_INBOX = closedInbox();

    private static MpscChunkedFrameQueue closedInbox() {
        MpscChunkedFrameQueue q = new MpscChunkedFrameQueue(MpscChunkedFrameQueue.MIN_CHUNK_BYTES,
                2 * MpscChunkedFrameQueue.MIN_CHUNK_BYTES, BufferProvider.heap());
        q.close();
        return q;
    }

    final SubReactor loop;
    final SocketChannel channel;
    final ByteRing in;
    final ByteRing out;
    SelectionKey key;
    long id;
    int interest;
    long maxIdleNanos = IdleTimeouts.NEVER;
    boolean readPaused;
    boolean inputShut;
    boolean outputShut;
    boolean dirty;
    boolean inboxBacklog;
    boolean unwritable;
    boolean closing;
    boolean opened;
    /** System.nanoTime() when opened, bytes read and written: for the ConnectionClosed event. */
    long openedAt;
    long bytesIn;
    long bytesOut;
    /** System.nanoTime() when reads paused (0: not paused by the water marks or a full ring). */
    long pausedAt;
    /** Whether that pause began with a full inbound ring (else: output at the high water mark). */
    boolean pausedByInput;
    private PendingFile files;
    private PendingFile filesTail;
    private long fileBytes;
    private long ringHeld;
    /** The I/O error that closed it (for the fault log), or null. */
    private IOException ioCause;
    private Object attachment;
    @SuppressWarnings("unused") // through CLOSED
    private boolean closed;
    @SuppressWarnings("unused") // through SCHEDULED
    private int scheduled;
    @SuppressWarnings("unused") // through INBOX
    private MpscChunkedFrameQueue inbox;
    @SuppressWarnings("unused") // through CLOSE_REQUESTED
    private int closeRequested;

    Connection(SubReactor loop, SocketChannel channel, ByteRing in, ByteRing out) {
        this.loop = loop;
        this.channel = channel;
        this.in = in;
        this.out = out;
    }

    // ------------------------------------------------------------------ shared state

    /** {@return whether the owner closed it; any thread (acquire)} */
    boolean isClosed() {
        return (boolean) CLOSED.getAcquire(this);
    }

    /** {@return the inbox, or null if nothing was ever sent to this connection; any thread (acquire)} */
    MpscChunkedFrameQueue inbox() {
        return (MpscChunkedFrameQueue) INBOX.getAcquire(this);
    }

    /**
     * The inbox, installed from {@code factory} if this is the first send; any thread.
     *
     * @param factory makes a fresh, empty inbox (called at most once per caller, only while there is none)
     * @return the connection's one inbox
     */
    MpscChunkedFrameQueue inbox(Supplier<MpscChunkedFrameQueue> factory) {
        MpscChunkedFrameQueue r = (MpscChunkedFrameQueue) INBOX.getAcquire(this);
        if (r != null) {
            return r;
        }
        MpscChunkedFrameQueue fresh = factory.get();
        r = (MpscChunkedFrameQueue) INBOX.compareAndExchange(this, (MpscChunkedFrameQueue) null, fresh);
        return r == null ? fresh : r;
    }

    /**
     * Closes the inbox as the connection closes, or installs {@link #CLOSED_INBOX} if there is none; owner
     * thread.
     *
     * @return true if the inbox holds no chunk any more; false if a sender is still inside a claim (the
     *         caller retries {@code inbox().close()} later)
     */
    boolean closeInbox() {
        MpscChunkedFrameQueue box = (MpscChunkedFrameQueue) INBOX.compareAndExchange(this,
                (MpscChunkedFrameQueue) null, CLOSED_INBOX);
        return box == null || box == CLOSED_INBOX || box.close();
    }

    /**
     * Call after committing a frame to the inbox (whatever the commit's access mode); any thread.
     *
     * @param otherThread false only when the caller is the owner's thread (program order is enough then)
     * @return true if the caller must enqueue the connection for an inbox drain
     */
    boolean trySchedule(boolean otherThread) {
        if (otherThread) {
            VarHandle.fullFence();      // the commit (store), then the flag (load): see the notes
        }
        return (int) SCHEDULED.getVolatile(this) == 0 && SCHEDULED.compareAndSet(this, 0, 1);
    }

    /** {@return true for the one caller that should queue the overflow close task; any thread} */
    boolean requestClose() {
        return (int) CLOSE_REQUESTED.getOpaque(this) == 0 && CLOSE_REQUESTED.compareAndSet(this, 0, 1);
    }

    /** {@link #trySchedule(boolean)} from a thread other than the owner's. */
    boolean trySchedule() {
        return trySchedule(true);
    }

    /** Owner, before draining the inbox. */
    void unschedule() {
        SCHEDULED.setRelease(this, 0);
        VarHandle.fullFence();          // the flag (store), then the inbox and frame headers (loads): see the notes
    }

    // ------------------------------------------------------------------ Conn

    @Override
    public long id() {
        return id;
    }

    @Override
    public ByteRing in() {
        return in;
    }

    private void checkLoop(String what) {
        if (Thread.currentThread() != loop.thread) {
            throw new IllegalStateException("Conn." + what + " from " + Thread.currentThread().getName()
                    + ", not from the connection's loop " + loop.thread.getName() + " (use send or close)");
        }
    }

    private boolean checkWrite(long bytes) {
        checkLoop("write");
        if (bytes > out.capacity()) {
            throw new IllegalArgumentException("a write of " + bytes + " bytes can never fit the outbound ring ("
                    + out.capacity() + " bytes, ServerConfig.outboundRingBytes); write it in parts");
        }
        if (closing || isClosed()) {
            return false;
        }
        if (bytes > out.writable()) {
            unwritable = true;          // refused: pause reads until the output drains to the low water mark
            return false;
        }
        return true;
    }

    @Override
    public boolean write(ByteBuffer src) {
        Objects.requireNonNull(src, "src");
        if (!checkWrite(src.remaining())) {
            return false;
        }
        out.write(src);
        loop.markDirty(this);
        return true;
    }

    @Override
    public boolean write(ByteBuffer... srcs) {
        Objects.requireNonNull(srcs, "srcs");
        long total = 0;
        for (ByteBuffer b : srcs) {
            total += b.remaining();
        }
        if (!checkWrite(total)) {
            return false;
        }
        for (ByteBuffer b : srcs) {
            out.write(b);
        }
        loop.markDirty(this);
        return true;
    }

    @Override
    public boolean write(Segments segments) {
        Objects.requireNonNull(segments, "segments");
        if (!checkWrite(segments.remaining())) {
            return false;
        }
        for (int i = 0; i < segments.count(); i++) {
            out.write(segments.get(i));
        }
        loop.markDirty(this);
        return true;
    }

    @Override
    public int writableBytes() {
        return closing || isClosed() ? 0 : out.writable();
    }

    @Override
    public boolean isWritable() {
        return !unwritable && !closing && !isClosed() && pendingOutputBytes() < loop.cfg.highWaterBytes;
    }

    @Override
    public long pendingOutputBytes() {
        return out.readable() + fileBytes;
    }

    @Override
    public boolean sendFile(FileChannel file, long position, long count, FileSendListener listener) {
        checkLoop("sendFile");
        Objects.requireNonNull(file, "file");
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException("position and count must be >= 0, were " + position + " and " + count);
        }
        long size;
        try {
            size = file.size();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("the file's size", e);
        }
        if (count > size - position) {
            throw new IllegalArgumentException("position " + position + " + count " + count
                    + " is past the file's size " + size);
        }
        if (closing || isClosed()) {
            return false;
        }
        if (count == 0 && files == null) {
            if (listener != null) {
                listener.onFileSent(this, file, 0, true);   // nothing queued before it: told at once
            }
            return true;
        }
        PendingFile f = new PendingFile(file, position, count, listener);
        f.ringBefore = out.readable() - ringHeld;
        ringHeld += f.ringBefore;
        fileBytes += count;
        if (filesTail == null) {
            files = f;
        } else {
            filesTail.next = f;
        }
        filesTail = f;
        if (pendingOutputBytes() >= loop.cfg.highWaterBytes) {
            unwritable = true;          // reads pause until the file is down to the low water mark
        }
        loop.markDirty(this);
        return true;
    }

    /** A queued {@link #sendFile}: owner thread only. */
    private static final class PendingFile {
        final FileChannel file;
        final long count;
        final FileSendListener listener;
        long position;
        long remaining;
        /** Ring bytes to write before this file (see the notes, "Files"). */
        long ringBefore;
        PendingFile next;

        PendingFile(FileChannel file, long position, long count, FileSendListener listener) {
            this.file = file;
            this.position = position;
            this.count = count;
            this.remaining = count;
            this.listener = listener;
        }
    }

    @Override
    public SendResult send(long targetId, ByteBuffer frame) {
        Objects.requireNonNull(frame, "frame");
        return loop.server.send(targetId, frame, null, 0);
    }

    @Override
    public SendResult send(long targetId, ByteBuffer[] parts, int count) {
        Objects.requireNonNull(parts, "parts");
        return loop.server.send(targetId, null, parts, count);
    }

    @Override
    public void setMaxIdle(Duration maxIdle) {
        Objects.requireNonNull(maxIdle, "maxIdle");
        checkLoop("setMaxIdle");
        if (maxIdle.isNegative() || (!maxIdle.isZero() && maxIdle.compareTo(Duration.ofMillis(1)) < 0)) {
            throw new IllegalArgumentException("maxIdle must be zero (never) or at least 1 ms, was " + maxIdle);
        }
        long n;
        try {
            n = maxIdle.toNanos();
        } catch (ArithmeticException tooLong) {
            n = 0;                          // past 292 years: never
        }
        maxIdleNanos = n == 0 ? IdleTimeouts.NEVER : n;
        if (!isClosed()) {
            loop.rearmIdle(this);
        }
    }

    @Override
    public Object attachment() {
        return attachment;
    }

    @Override
    public Object attach(Object a) {
        Object old = attachment;
        attachment = a;
        return old;
    }

    @Override
    public void close() {
        if (Thread.currentThread() == loop.thread) {
            closeGracefully();
        } else if (!isClosed()) {
            loop.execute(this::closeGracefully, -1);
        }
    }

    @Override
    public void abort(CloseReason reason) {
        Objects.requireNonNull(reason, "reason");
        if (Thread.currentThread() == loop.thread) {
            close(reason, null);
        } else if (!isClosed()) {
            loop.execute(() -> close(reason, null), -1);
        }
    }

    @Override
    public boolean isOpen() {
        return !isClosed();
    }

    // ------------------------------------------------------------------ the loop's steps (owner only)

    /**
     * Marks closing; closes at once if nothing is pending, else after the flush that empties the output
     * and the inbox (frames sent before the close, even from this loop in this step, are written first).
     */
    private void closeGracefully() {
        if (isClosed() || closing) {
            return;
        }
        closing = true;
        readPaused = true;
        drainInbox();
        if (drained()) {
            close(CloseReason.APPLICATION, null);
        } else {
            updateInterest();
            loop.markDirty(this);
        }
    }

    /** {@return whether neither the outbound ring nor a queued file holds a byte to write} */
    boolean outputEmpty() {
        return out.isEmpty() && files == null;
    }

    /** {@return whether nothing waits to be written: output, inbox backlog, or inbox frames} */
    private boolean drained() {
        MpscChunkedFrameQueue box = inbox();
        return out.isEmpty() && files == null && !inboxBacklog && (box == null || box.isEmpty());
    }

    /**
     * Closes: out of the matrix and the idle wheel, the channel closed, the rings' buffers back to the
     * pool, then the handler's onClose. A {@code cause} (a handler's exception) is kept and logged once per
     * class.
     */
    void close(CloseReason reason, Throwable cause) {
        if (isClosed()) {
            return;
        }
        if (cause != null) {
            loop.server.handlerError(cause);
        }
        CLOSED.setRelease(this, true);
        loop.closed(this, reason, cause != null ? cause : ioCause);
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        dropFiles();
        if (opened) {
            try {
                loop.handler.onClose(this, reason, cause);
            } catch (Throwable t) {
                loop.server.handlerError(t);
            }
        }
        releaseRing(in);
        releaseRing(out);
        try {
            if (!closeInbox()) {
                loop.closeInboxLater(inbox());
            }
        } catch (Throwable t) {
            loop.server.handlerError(t);     // a failing pool: its chunks go to the GC with the queue
        }
    }

    /** Closes on an I/O error, kept for the fault log (a reset is not logged). */
    void closeOnIoError(IOException e) {
        ioCause = e;
        close(CloseReason.IO_ERROR, null);
    }

    /** A closed connection's queued files: each listener told it is incomplete; a throwing one is noted. */
    private void dropFiles() {
        PendingFile f = files;
        files = null;
        filesTail = null;
        fileBytes = 0;
        ringHeld = 0;
        for (; f != null; f = f.next) {
            tellListener(f, false);
        }
    }

    private void tellListener(PendingFile f, boolean complete) {
        if (f.listener == null) {
            return;
        }
        try {
            f.listener.onFileSent(this, f.file, f.count - f.remaining, complete);
        } catch (Throwable t) {
            if (complete && !isClosed()) {
                throw t;                    // the loop closes the connection: HANDLER_ERROR
            }
            loop.server.handlerError(t);
        }
    }

    /** Empties a closed connection's ring (its buffer back to the pool); a failing pool is noted, not thrown. */
    private void releaseRing(ByteRing ring) {
        try {
            ring.clear();
        } catch (Throwable t) {
            loop.server.handlerError(t);     // the ring keeps the buffer; the GC takes both with the connection
        }
    }

    /** Registered: the handler's onOpen (its output is flushed at the end of the iteration). */
    void open() {
        opened = true;
        openedAt = System.nanoTime();       // not the loop's clock: the ConnectionClosed event's age
        loop.handler.onOpen(this);
    }

    /** The channel is readable. */
    void onReadable() throws IOException {
        if (outputShut) {
            discardInput();
            return;
        }
        long n = in.readFrom(channel);
        if (n < 0) {
            onEndOfStream();
            return;
        }
        if (n > 0) {
            loop.bytesRead(n);
            bytesIn += n;
            recordActivity(loop.now());
            handleInbound();
            if (dirty && !isClosed()) {
                flush();                    // write now: see "Flush at once" in SubReactor's notes
            }
        }
        if (!isClosed() && !readPaused && (in.writable() == 0 || unwritable)) {
            readPaused = true;
            pausedAt = System.nanoTime();  // not the loop's clock: read before the select that may have slept
            pausedByInput = !unwritable;   // full inbound ring; when both hold, the output is the cause
            loop.readPaused();
            updateInterest();
        }
    }

    /** The handler step: it consumes what it can of the inbound ring. */
    void handleInbound() {
        loop.handler.onData(this);
        if (!isClosed() && pendingOutputBytes() >= loop.cfg.highWaterBytes) {
            unwritable = true;
        }
    }

    /** Shutdown, or after output shut: reads and drops what arrives; closes at end of stream. */
    private void discardInput() throws IOException {
        long n = in.readFrom(channel);
        in.clear();
        if (n < 0) {
            close(CloseReason.SHUTDOWN, null);
        }
    }

    private void onEndOfStream() {
        loop.handler.onInputClosed(this);
        if (isClosed()) {
            return;
        }
        if (closing) {
            inputShut = true;               // the handler called close(): its output is written first
            return;
        }
        if (!loop.cfg.halfClose) {
            close(CloseReason.PEER_CLOSED, null);
            return;
        }
        inputShut = true;
        if (outputEmpty()) {
            close(CloseReason.PEER_CLOSED, null);
            return;
        }
        updateInterest();
        loop.markDirty(this);
    }

    /** Its inbox has frames (a sender scheduled it): unschedule, drain, and flush at once. */
    void drainNotified() {
        unschedule();
        if (isClosed()) {
            return;
        }
        try {
            drainInbox();
        } catch (Throwable t) {
            close(CloseReason.HANDLER_ERROR, t);
            return;
        }
        if (dirty && !isClosed()) {
            flushOrClose();                 // write now: see "Flush at once" in SubReactor's notes
        }
    }

    /**
     * Moves committed inbox frames into the outbound ring while they fit; after the output was shut
     * (shutdown), drops them instead: the socket takes no more. Owner thread, outside any peek of the
     * inbox (also called by a send from this loop that found the inbox full).
     */
    void drainInbox() {
        MpscChunkedFrameQueue box = inbox();
        inboxBacklog = false;
        if (box == null || box == CLOSED_INBOX) {
            return;                         // CLOSED_INBOX is shared: no loop may act as its consumer
        }
        if (outputShut) {
            Segments s;
            while ((s = box.peek(loop.inboxBatch)).count() > 0) {
                box.discard(s.count());
            }
            box.trim();
            return;
        }
        int batch = loop.inboxBatch;
        boolean moved = false;
        int n;
        do {
            n = box.drainTo(out, batch);    // copies whole frames while they fit; no views, no allocation
            moved |= n > 0;
        } while (n == batch);
        if (!box.isEmpty()) {
            inboxBacklog = true;            // the outbound ring is full (or a sender is mid-frame: it wakes us)
        } else {
            box.trim();                     // memory follows the backlog: an empty inbox holds no chunk
        }
        if (moved) {
            loop.markDirty(this);
        }
    }

    /** {@link #flush()}, closing the connection on failure instead of throwing. */
    void flushOrClose() {
        try {
            flush();
        } catch (IOException e) {
            closeOnIoError(e);
        } catch (Throwable t) {
            close(CloseReason.HANDLER_ERROR, t);
        }
    }

    /** One gathering write of the outbound ring, then the inbox backlog, water marks, half-close and close. */
    void flush() throws IOException {
        if (files != null) {
            flushFiles();
            if (isClosed()) {
                return;                     // a file's listener closed it
            }
        } else if (!out.isEmpty()) {
            wrote(out.writeTo(channel));
        }
        if (inboxBacklog && out.writable() > 0) {
            drainInbox();
        }
        if (closing) {
            if (drained()) {
                close(CloseReason.APPLICATION, null);
                return;
            }
            updateInterest();
            return;
        }
        ServerConfig cfg = loop.cfg;
        if ((readPaused || inputShut || unwritable) && pendingOutputBytes() <= cfg.lowWaterBytes) {
            if (unwritable) {
                unwritable = false;
                loop.handler.onWritable(this);
                if (isClosed()) {
                    return;
                }
            }
            reprocessInbound();
            if (isClosed()) {
                return;
            }
            if (readPaused && !loop.shuttingDown() && !closing && !unwritable && in.writable() > 0) {
                readPaused = false;
                if (pausedAt != 0) {
                    loop.readResumed(this, pausedAt);
                    pausedAt = 0;
                }
            }
        }
        if (inputShut && out.isEmpty() && files == null && !inboxBacklog) {
            close(CloseReason.PEER_CLOSED, null);   // what is left in `in` is a partial frame nobody will finish
            return;
        }
        updateInterest();
    }

    private void wrote(long w) {
        if (w > 0) {
            loop.bytesWritten(w);
            bytesOut += w;
            recordActivity(loop.now());
        }
    }

    /** Most file bytes one flush transfers, so one big file cannot hold up the loop's other connections. */
    private static final long FILE_BYTES_PER_FLUSH = 4L << 20;

    /**
     * Writes the output in its order, ring bytes and files, until the socket is full, the per-flush file
     * budget is spent or nothing is left: the head file's ringBefore bytes, then the file, then the next.
     */
    private void flushFiles() throws IOException {
        long budget = FILE_BYTES_PER_FLUSH;
        PendingFile f;
        while ((f = files) != null) {
            if (f.ringBefore > 0) {
                long w = out.writeTo(channel, (int) Math.min(f.ringBefore, Integer.MAX_VALUE));
                if (w > 0) {
                    f.ringBefore -= w;
                    ringHeld -= w;
                    wrote(w);
                }
                if (f.ringBefore > 0) {
                    return;                 // the socket is full
                }
            }
            while (f.remaining > 0 && budget > 0) {
                long t;
                long ask = Math.min(f.remaining, budget);
                try {
                    t = f.file.transferTo(f.position, ask, channel);
                } catch (IOException e) {
                    if (!channel.isOpen() || !f.file.isOpen()) {
                        throw e;
                    }
                    throw fileFailed(f, e);
                } catch (RuntimeException e) {  // NonReadableChannelException, say
                    throw fileFailed(f, e);
                }
                if (t <= 0) {
                    if (f.position >= f.file.size()) {
                        throw fileFailed(f, null);
                    }
                    return;                 // the socket is full
                }
                f.position += t;
                f.remaining -= t;
                fileBytes -= t;
                budget -= t;
                wrote(t);
                if (t < ask) {
                    break;                  // the socket took less: it is full (or the file ended: seen next time)
                }
            }
            if (f.remaining > 0) {
                return;                     // budget spent: OP_WRITE brings the loop back
            }
            files = f.next;
            if (files == null) {
                filesTail = null;
            }
            tellListener(f, true);
            if (isClosed()) {
                return;
            }
        }
        if (!out.isEmpty()) {
            wrote(out.writeTo(channel));
        }
    }

    private IOException fileFailed(PendingFile f, Exception e) {
        String what = e == null ? "a queued file ended at " + f.position + ", " + f.remaining
                + " bytes short of what sendFile queued"
                : "the transfer of a queued file failed at " + f.position + ": " + e;
        return new IOException(what, e);
    }

    /** Gives the handler the inbound bytes left behind when the connection was unwritable. */
    void reprocessInbound() {
        if (!in.isEmpty() && !closing) {
            handleInbound();
        }
    }

    /**
     * Shutdown, once every loop has stopped reading: once everything read has been handled and written
     * (outbound ring and inbox empty), send FIN and keep reading and discarding until the peer closes (or
     * the deadline): closing a socket with unread input would send a reset, which can destroy output the
     * kernel has not delivered yet.
     */
    void shutDownIfFlushed() {
        MpscChunkedFrameQueue box = inbox();
        if (outputShut || !out.isEmpty() || files != null || (box != null && !box.isEmpty())) {
            return;
        }
        if (!in.isEmpty()) {
            reprocessInbound();             // bytes left while the output was full; what stays is a partial frame
            if (isClosed() || !outputEmpty()) {
                return;
            }
        }
        if (inputShut) {
            close(CloseReason.SHUTDOWN, null);  // the peer sent FIN already: nothing left to read
            return;
        }
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            close(CloseReason.SHUTDOWN, null);
            return;
        }
        outputShut = true;
        in.clear();
        readPaused = false;
        updateInterest();
    }

    /** {@return whether output or input is left at a shutdown's deadline} */
    boolean hasPending() {
        MpscChunkedFrameQueue box = inbox();
        return !out.isEmpty() || files != null || !in.isEmpty() || (box != null && !box.isEmpty());
    }

    /** The selector interest follows the state: read unless paused or shut, write while output waits. */
    void updateInterest() {
        if (isClosed()) {
            return;
        }
        int ops = (readPaused || inputShut ? 0 : SelectionKey.OP_READ)
                | (out.isEmpty() && files == null ? 0 : SelectionKey.OP_WRITE);
        if (ops != interest) {
            interest = ops;
            key.interestOps(ops);
        }
    }

    @Override
    public String toString() {
        return "Conn[id=" + Long.toHexString(id) + ", reactor=" + (loop == null ? -1 : loop.index) + "]";
    }
}
