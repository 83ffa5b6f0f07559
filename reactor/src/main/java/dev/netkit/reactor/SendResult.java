package dev.netkit.reactor;

/** What became of a {@link Conn#send} or {@link Server#send}. */
public enum SendResult {
    /**
     * The frame is in the target's inbox; its loop will append it to the target's output, whole and in
     * order, unless the target closes (or its output is shut down by a server shutdown) first.
     */
    SENT,
    /** No open connection has that id (never issued, closed, or its slot reused: ids are not recycled). */
    NO_TARGET,
    /**
     * The target's inbox is full: it does not read fast enough. The frame was not queued, and the target
     * is closed ({@link CloseReason#OUTBOUND_CAP}), as a connection past its outbound cap is.
     */
    TARGET_FULL,
    /**
     * The frame is dropped (counted), the target stays open. Either the sending thread stalled between
     * claiming the frame's space and committing it for longer than the inbox's reclaim timeout
     * ({@link ServerConfig.Builder#inboxReclaimTimeout}) and the target's loop reclaimed the space, or the
     * server's buffer pool could not lend the target's inbox a chunk (its table of buffers is full, or
     * direct memory ran out).
     */
    DROPPED
}
