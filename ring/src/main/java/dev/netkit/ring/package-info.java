/**
 * Zero-copy byte rings and frame queues for network servers: bytes come in with one {@code read} or
 * {@code readv} from a channel, go out with one {@code write} or {@code writev}, and in between are seen
 * through reused {@link java.nio.ByteBuffer} views ({@link dev.netkit.ring.Segments}), without copies and
 * without allocation per call.
 *
 * <p><b>Which ring, and its threads.</b>
 * <ul>
 *   <li>{@link dev.netkit.ring.ByteRing}: one thread (a connection's inbound or outbound buffer on its event
 *       loop); not thread-safe. Optionally <em>elastic</em>: its memory is borrowed from a
 *       {@link dev.netkit.ring.BufferProvider} while it holds bytes.</li>
 *   <li>{@link dev.netkit.ring.SpscByteRing}: one producer thread and one consumer thread (SPSC), wait-free,
 *       with a batch API (claim, put, one commit).</li>
 *   <li>{@link dev.netkit.ring.MpscFrameRing}: any number of producer threads and one consumer thread
 *       (MPSC) of whole frames, claimed, written in place and committed; lock-free producers, a wait-free
 *       consumer.</li>
 *   <li>{@link dev.netkit.ring.MpscChunkedFrameQueue}: the same frames in chunks borrowed from a
 *       {@link dev.netkit.ring.BufferProvider} only while there is a backlog, under a byte budget, for many
 *       mostly idle queues.</li>
 * </ul>
 * Each method's Javadoc names the thread that may call it: <em>owner thread</em>, <em>producer</em>,
 * <em>consumer</em> or <em>any thread</em>. A role (owner, producer, consumer) is held by one thread at a
 * time and may pass to another thread only through a happens-before edge. A view returned by {@code peek}
 * (or {@code claim}) belongs to the thread that asked for it and is valid until that thread's next mutating
 * call on the ring.
 *
 * <p><b>Arguments.</b> A null argument throws {@link java.lang.NullPointerException} naming the parameter;
 * a value outside its range throws {@link java.lang.IllegalArgumentException} naming the value and the
 * bound; an array range outside its array throws {@link java.lang.IndexOutOfBoundsException}.
 *
 * <p><b>Example</b>: a length-prefixed frame read from a channel, and an outbound queue any thread may
 * write to.
 * <pre>{@code
 * import dev.netkit.ring.ByteRing;
 * import dev.netkit.ring.MpscFrameRing;
 * import dev.netkit.ring.Segments;
 * import java.nio.ByteBuffer;
 * import java.nio.channels.Pipe;
 *
 * Pipe pipe = Pipe.open();
 * pipe.sink().write(ByteBuffer.allocate(9).putInt(5).put("hello".getBytes()).flip());
 *
 * ByteRing in = ByteRing.direct(4096);                  // one thread: the connection's event loop
 * in.readFrom(pipe.source());                           // one read (a readv when the free space wraps)
 * if (in.readable() >= 4 && in.readable() >= 4 + in.getInt(0)) {
 *     int length = in.getInt(0);                        // big-endian, across the wrap point
 *     Segments frame = in.peek(4 + length);             // one or two views, no copy
 *     in.discard(frame.remaining());
 * }
 *
 * MpscFrameRing out = new MpscFrameRing(1 << 16);       // any producer thread, one consumer thread
 * out.offer(ByteBuffer.wrap("reply".getBytes()));       // producer: claim, copy, commit
 * Segments frames = out.peek(64);                       // consumer: committed frames, one view each
 * pipe.sink().write(frames.buffers(), 0, frames.count());   // one gathering write
 * out.discard(frames.count());
 * }</pre>
 *
 * @see dev.netkit.ring.ByteRing
 * @see dev.netkit.ring.SpscByteRing
 * @see dev.netkit.ring.MpscFrameRing
 * @see dev.netkit.ring.MpscChunkedFrameQueue
 */
package dev.netkit.ring;
