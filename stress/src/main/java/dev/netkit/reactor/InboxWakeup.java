package dev.netkit.reactor;

import dev.netkit.ring.MpscFrameRing;

import java.nio.ByteBuffer;

/**
 * Stress-test access to one relay connection's inbox wake-up handshake, exactly as the reactor runs it
 * ({@code Connection.trySchedule} / {@code Connection.unschedule} around a real {@link MpscFrameRing}).
 * It lives in the stress module, in the reactor's package so that it can reach the package-private
 * {@code Connection}; it is not part of {@code netkit-reactor}.
 *
 * <p>State: the connection is already scheduled (its owner is about to drain it), and its inbox is empty.
 */
public final class InboxWakeup {
    private final MpscFrameRing inbox;
    private final Connection connection;
    private final ByteBuffer frame = ByteBuffer.allocate(8);

    /**
     * @param reclaimTimeoutNanos the inbox's reclaim timeout: {@link Long#MAX_VALUE} makes commit a plain
     *                            release store, anything else a CAS
     */
    public InboxWakeup(long reclaimTimeoutNanos) {
        this.inbox = new MpscFrameRing(64, 2, reclaimTimeoutNanos, System::nanoTime);
        this.connection = new Connection(null, null, null, null, inbox);
        if (!connection.trySchedule()) {
            throw new IllegalStateException("a new connection is not scheduled");
        }
    }

    /**
     * A relay producer (another sub-reactor's {@code deliver}): commits a frame, then schedules the drain.
     *
     * @return true if this producer must enqueue the connection (it won the schedule flag)
     */
    public boolean produce() {
        if (!inbox.offer(frame)) {
            throw new IllegalStateException("the inbox refused a frame");
        }
        return connection.trySchedule();
    }

    /**
     * The owner's drain ({@code SubReactor.drainNotified}): unschedules, then looks at the inbox.
     *
     * @return true if the owner saw the frame
     */
    public boolean drain() {
        connection.unschedule();
        return inbox.peek(1).count() == 1;
    }
}
