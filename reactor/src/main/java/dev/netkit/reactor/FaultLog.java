package dev.netkit.reactor;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One sub-reactor's log of fault closes: a connection closed for a malformed frame, its outbound cap, a
 * handler error, a failed loop or an I/O error other than a reset is logged once, at {@code WARNING} on
 * the {@code System.Logger} {@value #LOGGER}, with its id, peer address, reason and cause, in one line.
 * At most {@value #PER_SECOND} lines per second per sub-reactor: the rest are counted and the next line
 * says how many were left out, so a flood of bad clients cannot fill a disk. A peer's reset or broken
 * pipe is an ordinary event on a server with many clients and is only counted ({@link ServerStats}).
 *
 * <p>Not thread-safe: the loop thread's.
 */
final class FaultLog {
    /** The logger's name. */
    static final String LOGGER = "dev.netkit.reactor.close";
    /** Lines per second per sub-reactor. */
    static final int PER_SECOND = 10;
    private static final System.Logger LOG = System.getLogger(LOGGER);
    private static final long WINDOW = TimeUnit.SECONDS.toNanos(1);

    private long windowStart;
    private int inWindow;
    private long suppressed;

    /**
     * @param reason why it closed
     * @param cause  the handler's exception or the I/O error, or null
     * @return whether the close is a fault an operator wants to read about
     */
    static boolean isFault(CloseReason reason, Throwable cause) {
        return switch (reason) {
            case MALFORMED_FRAME, OUTBOUND_CAP, HANDLER_ERROR, LOOP_FAILED -> true;
            case IO_ERROR -> !isReset(cause);
            default -> false;
        };
    }

    /**
     * {@return whether {@code t} (or an I/O exception it wraps) is the peer resetting the connection or a
     *         pipe it broke. The JDK gives no error code, so this reads the message: the English
     *         {@code strerror} texts; under another locale a reset is logged as a fault (still rate-limited)}
     */
    static boolean isReset(Throwable t) {
        for (Throwable x = t; x instanceof IOException; x = x.getCause()) {
            String m = x.getMessage();
            if (m != null && (m.contains("reset") || m.contains("Broken pipe"))) {
                return true;
            }
        }
        return false;
    }

    /** {@return the connection's peer address, or "?" if it cannot be read (the channel is already closed)} */
    static String peer(Connection c) {
        try {
            SocketAddress a = c.channel.getRemoteAddress();
            return a == null ? "?" : a.toString();
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /** {@link #log(long, String, CloseReason, Throwable, long)} of a connection, its peer read only if logged. */
    void log(Connection c, CloseReason reason, Throwable cause, long now) {
        if (LOG.isLoggable(System.Logger.Level.WARNING) && admit(now)) {
            write(c.id, peer(c), reason, cause);
        }
    }

    /**
     * Logs a fault close, or counts it if this second's lines are spent.
     *
     * @param id   the connection's id
     * @param peer its peer's address
     * @param now  the loop's clock
     * @return the line logged, or null if it was only counted (or WARNING is off)
     */
    String log(long id, String peer, CloseReason reason, Throwable cause, long now) {
        if (!LOG.isLoggable(System.Logger.Level.WARNING) || !admit(now)) {
            return null;
        }
        return write(id, peer, reason, cause);
    }

    /** {@return whether this second has a line left (else the close is counted as left out)} */
    private boolean admit(long now) {
        if (now - windowStart >= WINDOW || windowStart == 0) {
            windowStart = now;
            inWindow = 0;
        }
        if (inWindow >= PER_SECOND) {
            suppressed++;
            return false;
        }
        inWindow++;
        return true;
    }

    private String write(long id, String peer, CloseReason reason, Throwable cause) {
        StringBuilder b = new StringBuilder(160).append("closed connection ").append(Long.toHexString(id))
                .append(" from ").append(peer).append(": ").append(reason);
        if (cause != null) {
            b.append(", cause ").append(cause);
        }
        if (suppressed > 0) {
            b.append(" (and ").append(suppressed).append(" fault closes before it not logged: at most ")
                    .append(PER_SECOND).append(" lines per second per sub-reactor)");
            suppressed = 0;
        }
        String line = b.toString();
        LOG.log(System.Logger.Level.WARNING, line);
        return line;
    }
}
