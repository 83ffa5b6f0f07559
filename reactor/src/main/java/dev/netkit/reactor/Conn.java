package dev.netkit.reactor;

import dev.netkit.ring.ByteRing;
import dev.netkit.ring.Segments;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;

/**
 * One connection, as a {@link Handler} sees it: its inbound bytes, its outbound ring, its id, and
 * delivery to any other connection by id.
 *
 * <p><b>Threading.</b> Each method says who may call it. "Loop" means the thread of the sub-reactor that
 * owns the connection, where every {@link Handler} callback runs; calling a loop-only method from another
 * thread throws {@link IllegalStateException} where that is cheap to check ({@link #write}) and is
 * undefined elsewhere. {@link #id()}, {@link #send}, {@link #close()}, {@link #abort} and
 * {@link #isOpen()} may be called from any thread.
 *
 * <p><b>Output.</b> {@link #write} appends to the connection's outbound ring, all or nothing; the loop
 * flushes it with a gathering write right after {@link Handler#onData} (and on each writable event while
 * output waits). The ring's capacity ({@link ServerConfig.Builder#outboundRingBytes}) caps what the ring
 * holds; {@link #sendFile} queues a file region in the same order, written from the page cache to the
 * socket by the kernel ({@code sendfile}), outside the ring. Past the high water mark of the pending output
 * ({@link #pendingOutputBytes()}: the ring's bytes and the queued files') the connection is unwritable and
 * its reads pause; at the low water mark {@link Handler#onWritable} and {@link Handler#onData} run again.
 */
public interface Conn {
    /**
     * {@return this connection's id: a {@code ConnMatrix} id (slot and generation, never reused), the
     *         address for {@link #send} and {@link Server#send}; any thread}
     */
    long id();

    /**
     * {@return the inbound ring: {@code peek}, {@code getInt}/{@code getLong}/{@code getByte} and
     *         {@code discard} what was read; what is left stays for the next {@link Handler#onData}. Loop only}
     */
    ByteRing in();

    /**
     * Appends {@code src}'s remaining bytes to the output, all or nothing. Loop only.
     *
     * @param src the bytes; its position advances when written
     * @return true if written; false if the outbound ring has less room than that (nothing is written, the
     *         connection is unwritable until its output drains to the low water mark, then
     *         {@link Handler#onWritable} and {@link Handler#onData} run again) or the connection is closed
     * @throws IllegalStateException if called from another thread than the connection's loop
     * @throws IllegalArgumentException if it is longer than the outbound ring's capacity (it could never fit)
     */
    boolean write(ByteBuffer src);

    /**
     * Gathering {@link #write(ByteBuffer)}: all of {@code srcs}, in order, or nothing. Loop only.
     *
     * @param srcs the parts; each one's position advances when written
     * @return true if written (see {@link #write(ByteBuffer)})
     */
    boolean write(ByteBuffer... srcs);

    /**
     * Appends the bytes of {@code segments} (a ring's {@code peek} view, say of {@link #in()}), all or
     * nothing; the views are not modified. Loop only.
     *
     * @param segments the bytes
     * @return true if written (see {@link #write(ByteBuffer)})
     */
    boolean write(Segments segments);

    /**
     * Queues {@code count} bytes of {@code file}, from {@code position}, to be written after the output
     * written so far and before any written later: zero-copy, with {@link FileChannel#transferTo} (sendfile
     * on Linux) from the loop, up to 4 MiB per connection per flush and a part per writable event: the loop
     * never waits for the socket. It does wait for the disk: {@code sendfile} reads a file that is not in the
     * page cache synchronously, so files on a slow or network file system stall the loop's other
     * connections. Loop only.
     *
     * <p>The pending file bytes count towards the water marks: past the high water mark the connection is
     * unwritable and its reads pause, and {@link Handler#onWritable} runs when the file (and the ring) are
     * down to the low water mark. The water marks count bytes, not files: a handler that answers many small
     * requests should queue its next file from the listener of the previous one, as the file protocol does,
     * or it may hold many file channels open behind a full socket. A graceful {@link #close()} sends the
     * queued files first; an {@link #abort} drops them.
     *
     * <p><b>The file channel's lifetime is the caller's</b>: keep it open until {@code listener} is called
     * (then close it, or keep it for other connections: a {@code FileChannel} may serve many at once, since
     * {@code transferTo} with a position does not move its position). The file must not shrink meanwhile: a
     * file that ends early, or a channel closed or failing, closes the connection
     * ({@link CloseReason#IO_ERROR}), its listener told. {@code transferTo} is interruptible: a loop thread
     * with its interrupt status set would close the channel (for every connection sharing it).
     *
     * @param file     a readable file channel
     * @param position where to start, in [0, file size]
     * @param count    how many bytes, with {@code position + count <= file size}; 0 sends nothing (the
     *                 listener is called at once, or, behind queued files, after theirs)
     * @param listener told once when the file is sent or dropped; null for none
     * @return true if queued (the listener will be called); false if the connection is closed or closing
     *         (nothing queued, the listener is not called)
     * @throws IllegalArgumentException if position or count is negative or past the file's size
     * @throws java.io.UncheckedIOException if the file's size cannot be read
     * @throws IllegalStateException if called from another thread than the connection's loop
     */
    boolean sendFile(FileChannel file, long position, long count, FileSendListener listener);

    /**
     * {@link #sendFile(FileChannel, long, long, FileSendListener)} without a listener: for a file channel
     * that outlives the connection (one channel shared by every connection that sends that file). Loop only.
     *
     * @param file     a readable file channel, open until the bytes are written
     * @param position where to start
     * @param count    how many bytes
     * @return true if queued
     */
    default boolean sendFile(FileChannel file, long position, long count) {
        return sendFile(file, position, count, null);
    }

    /** {@return bytes queued for the socket and not yet written: the outbound ring's and the files'; loop only} */
    long pendingOutputBytes();

    /** {@return bytes the outbound ring can take now (0 once closed); loop only} */
    int writableBytes();

    /**
     * {@return false once the pending output reached the high water mark or a write was refused, true again
     *         from when it falls to the low water mark; loop only}
     */
    boolean isWritable();

    /**
     * Delivers {@code frame} to the connection {@code targetId}, on any loop: the frame goes to the
     * target's inbox (a lock-free multi-producer ring, allocated at the first send to that connection) and
     * the target's loop appends it, whole, to the target's output. Frames one thread sends to one target
     * arrive in the order sent. Any thread; allocates nothing once the target has its inbox.
     *
     * @param targetId the target's {@link #id()} (this connection's own id too)
     * @param frame    the bytes, 1 to {@link ServerConfig#maxInboxFrameBytes()}; its position advances
     *                 when sent
     * @return {@link SendResult#SENT}, or why not
     * @throws IllegalArgumentException if the frame is empty or too long (checked before the target)
     */
    SendResult send(long targetId, ByteBuffer frame);

    /**
     * Gathering {@link #send(long, ByteBuffer)}: {@code parts[0..count)} become one frame. Any thread.
     *
     * @param targetId the target's id
     * @param parts    the parts of the frame; each one's position advances when sent
     * @param count    how many parts, from index 0
     * @return {@link SendResult#SENT}, or why not
     */
    SendResult send(long targetId, ByteBuffer[] parts, int count);

    /**
     * Sets this connection's idle duration, counting from now; replaces the server's
     * {@link ServerConfig.Builder#idleTimeout} for it. Loop only.
     *
     * @param maxIdle at least 1 ms ({@code Duration}s past 292 years count as never); {@link Duration#ZERO}:
     *                never idle. The loop's idle wheel reports it less than two ticks late: a tick is 1/16 of
     *                the server's idle timeout (1 ms to 1 s), or 10 ms when the server has none
     * @throws IllegalArgumentException if negative or between zero and 1 ms
     * @throws IllegalStateException if called from another thread than the connection's loop
     */
    void setMaxIdle(Duration maxIdle);

    /** {@return the object attached with {@link #attach}, or null; loop only} */
    Object attachment();

    /**
     * Attaches per-connection state (a session, a decoder). Loop only.
     *
     * @param attachment the object, or null
     * @return the previous attachment
     */
    Object attach(Object attachment);

    /**
     * Closes gracefully: reads stop, the output already written and the frames already sent to it are
     * flushed, then the connection closes ({@link CloseReason#APPLICATION}). A connection with an idle
     * duration that does not get there within it (a peer that stops reading) is closed as
     * {@link CloseReason#IDLE}, without asking {@link Handler#onIdle}. Any thread (from
     * another thread it takes effect within a loop iteration); again, or after close, does nothing.
     */
    void close();

    /**
     * Closes at once, dropping pending output, with {@code reason} counted in {@link ServerStats} and passed
     * to {@link Handler#onClose}. Any thread (from another thread it takes effect within a loop iteration).
     *
     * @param reason why, say {@link CloseReason#MALFORMED_FRAME}
     */
    void abort(CloseReason reason);

    /** {@return false once closed; any thread (a closed connection may still be open for a moment elsewhere)} */
    boolean isOpen();
}
