package dev.netkit.reactor;

import dev.netkit.ring.BufferProvider;
import dev.netkit.ring.MpscChunkedFrameQueue;

import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * Stress-test access to one connection's inbox as the reactor's {@code send} uses it: the lazy install
 * ({@code Connection.inbox(Supplier)}, a first send) and the wake-up handshake
 * ({@code Connection.trySchedule} / {@code Connection.unschedule}) around a real {@link MpscChunkedFrameQueue} (chunks from {@link BufferProvider#direct()}).
 * It lives in the stress module, in the reactor's package so that it can reach the package-private
 * {@code Connection}; it is not part of {@code netkit-reactor}.
 *
 * <p>State: the connection is already scheduled (its owner is about to drain it); its inbox is empty, and
 * not even allocated when {@code firstSend}.
 */
public final class InboxWakeup {
    private final Connection connection;
    private final Supplier<MpscChunkedFrameQueue> inboxes;
    private final ByteBuffer frame = ByteBuffer.allocate(8);
    private final ByteBuffer frame2 = ByteBuffer.allocate(8);

    /**
     * @param reclaimTimeoutNanos the inbox's reclaim timeout: {@link Long#MAX_VALUE} makes commit a plain
     *                            release store, anything else a CAS
     * @param firstSend           true: no inbox yet, the producer installs it (as the first send to a
     *                            connection does); false: the inbox exists
     */
    public InboxWakeup(long reclaimTimeoutNanos, boolean firstSend) {
        this.inboxes = () -> new MpscChunkedFrameQueue(64, 128, 2, reclaimTimeoutNanos, System::nanoTime,
                BufferProvider.direct());
        this.connection = new Connection(null, null, null, null);
        if (!firstSend) {
            connection.inbox(inboxes);
        }
        if (!connection.trySchedule()) {
            throw new IllegalStateException("a new connection is not scheduled");
        }
    }

    /**
     * A sender on another thread ({@code Server.send}): gets (or installs) the inbox, commits a frame, then
     * schedules the drain.
     *
     * @return true if this producer must enqueue the connection (it won the schedule flag)
     */
    public boolean produce() {
        return send(frame);
    }

    /** {@link #produce()} with a second frame buffer, for a second producer. */
    public boolean produce2() {
        return send(frame2);
    }

    private boolean send(ByteBuffer f) {
        if (!connection.inbox(inboxes).offer(f.clear())) {
            throw new IllegalStateException("the inbox refused a frame");
        }
        return connection.trySchedule();
    }

    /**
     * The owner's drain ({@code Connection.drainNotified}): unschedules, then looks at the inbox.
     *
     * @return true if the owner saw the frame
     */
    public boolean drain() {
        connection.unschedule();
        MpscChunkedFrameQueue box = connection.inbox();
        return box != null && box.peek(1).count() == 1;
    }

    /**
     * A sender that found the inbox full ({@code Server.send}'s {@code TARGET_FULL} from another thread):
     * only the winner of {@code Connection.requestClose} queues the close task.
     *
     * @return true if this caller would queue it
     */
    public boolean requestClose() {
        return connection.requestClose();
    }

    /**
     * A sender's whole offer ({@code Server.send} after its lookup): gets or installs the inbox and offers
     * a frame.
     *
     * @return the queue's answer: {@link MpscChunkedFrameQueue#OFFER_COMMITTED} or, after a close,
     *         {@link MpscChunkedFrameQueue#OFFER_CLOSED}
     */
    public int offer() {
        return connection.inbox(inboxes).tryOffer(frame.clear());
    }

    /**
     * The owner closing the connection ({@code Connection.close}): closes the inbox, or installs the closed
     * placeholder if there is none.
     *
     * @return true if the inbox holds no chunk any more (false: a sender is inside its claim)
     */
    public boolean closeInbox() {
        return connection.closeInbox();
    }

    /**
     * After the actors: whether the inbox is closed, retrying its close as the loop's trim tick would.
     *
     * @return -1 if there is no inbox, 0 if it is open, 1 if closed and holding no chunk, 2 if closed with chunks
     */
    public int closedState() {
        MpscChunkedFrameQueue box = connection.inbox();
        if (box == null) {
            return -1;
        }
        if (!box.isClosed()) {
            return 0;
        }
        if (box != Connection.CLOSED_INBOX) {
            box.close();                    // the actors are done: no sender is inside a claim any more
        }
        return box.chunks() == 0 ? 1 : 2;
    }

    /** @return the frames in the connection's inbox now (after the actors: what its owner would drain) */
    public int frames() {
        MpscChunkedFrameQueue box = connection.inbox();
        return box == null ? 0 : box.peek(2).count();
    }
}
