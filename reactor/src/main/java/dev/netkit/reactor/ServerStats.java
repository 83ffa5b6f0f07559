package dev.netkit.reactor;

import java.util.Objects;

import dev.netkit.padding.StripedCounter;

/**
 * The server's counters: one {@link StripedCounter} per metric, one padded stripe per sub-reactor (plus one
 * for the acceptor), so each loop adds to its own cache line without CAS contention.
 *
 * <p><b>Thread safety.</b> Stripe {@code i} is written by sub-reactor {@code i} (the last stripe by the
 * acceptor); a wakeup issued by any other thread (a shutdown caller) goes to the counter's shared cells;
 * the getters sum the stripes and cells from any thread: weakly consistent while the server runs, exact
 * once it has stopped.
 */
public final class ServerStats {
    final StripedCounter accepted;
    final StripedCounter bytesRead;
    final StripedCounter bytesWritten;
    final StripedCounter sent;
    final StripedCounter sentCross;
    final StripedCounter sendsDropped;
    final StripedCounter sendsNoTarget;
    final StripedCounter readPauses;
    final StripedCounter selectorRebuilds;
    final StripedCounter selectorRebuildFailures;
    final StripedCounter acceptErrors;
    final StripedCounter tasks;
    final StripedCounter wakeups;
    final StripedCounter shutdownUnflushed;
    final StripedCounter[] closed;

    ServerStats(int subReactors) {
        int stripes = subReactors + 1;
        accepted = new StripedCounter(stripes);
        bytesRead = new StripedCounter(stripes);
        bytesWritten = new StripedCounter(stripes);
        sent = new StripedCounter(stripes);
        sentCross = new StripedCounter(stripes);
        sendsDropped = new StripedCounter(stripes);
        sendsNoTarget = new StripedCounter(stripes);
        readPauses = new StripedCounter(stripes);
        selectorRebuilds = new StripedCounter(stripes);
        selectorRebuildFailures = new StripedCounter(stripes);
        acceptErrors = new StripedCounter(stripes);
        tasks = new StripedCounter(stripes);
        wakeups = new StripedCounter(stripes);
        shutdownUnflushed = new StripedCounter(stripes);
        closed = new StripedCounter[CloseReason.values().length];
        for (int i = 0; i < closed.length; i++) {
            closed[i] = new StripedCounter(stripes);
        }
    }

    /**
     * {@return connections the acceptor took from the listener, including those it closed at once (past
     *         max connections, or a socket option that failed on a connection the peer had already
     *         reset): at rest, accepted = the sum of the closes + the open connections; any thread}
     */
    public long accepted() {
        return accepted.sum();
    }

    /** {@return bytes read from all connections; any thread} */
    public long bytesRead() {
        return bytesRead.sum();
    }

    /** {@return bytes written to all connections; any thread} */
    public long bytesWritten() {
        return bytesWritten.sum();
    }

    /** {@return frames {@link Conn#send sent} into a target's inbox ({@link SendResult#SENT}); any thread} */
    public long sent() {
        return sent.sum();
    }

    /**
     * {@return sent frames whose target lives on another sub-reactor than the sending thread's (every send
     *         from a thread that is no loop counts here too); any thread}
     */
    public long sentCross() {
        return sentCross.sum();
    }

    /**
     * {@return sent frames dropped because the target's loop reclaimed them from its inbox
     *         ({@link SendResult#DROPPED}): the sending thread stalled between claiming the frame and
     *         committing it for longer than {@link ServerConfig.Builder#inboxReclaimTimeout}; the target
     *         stays open; any thread}
     */
    public long sendsDropped() {
        return sendsDropped.sum();
    }

    /** {@return sends to an id no open connection has ({@link SendResult#NO_TARGET}); any thread} */
    public long sendsNoTarget() {
        return sendsNoTarget.sum();
    }

    /** {@return how often a connection stopped reading at its high water mark (or full inbound ring); any thread} */
    public long readPauses() {
        return readPauses.sum();
    }

    /** {@return selectors rebuilt after repeated premature empty selects; any thread} */
    public long selectorRebuilds() {
        return selectorRebuilds.sum();
    }

    /**
     * {@return selector rebuilds that could not open a new selector (EMFILE): the loop kept its old one and
     *         tries again after as many premature selects; any thread}
     */
    public long selectorRebuildFailures() {
        return selectorRebuildFailures.sum();
    }

    /** {@return accept failures (EMFILE and others), each followed by a back-off; any thread} */
    public long acceptErrors() {
        return acceptErrors.sum();
    }

    /** {@return cross-thread tasks and relay wake-ups run by the sub-reactors; any thread} */
    public long tasks() {
        return tasks.sum();
    }

    /** {@return selector wake-ups issued by producers (coalesced: at most one per sleep); any thread} */
    public long wakeups() {
        return wakeups.sum();
    }

    /** {@return connections closed at the shutdown deadline with output still pending; any thread} */
    public long shutdownUnflushed() {
        return shutdownUnflushed.sum();
    }

    /**
     * Connections closed for one reason.
     *
     * @param reason a close reason
     * @return connections closed for it; any thread
     */
    public long closed(CloseReason reason) {
        Objects.requireNonNull(reason, "reason");
        return closed[reason.ordinal()].sum();
    }

    /** {@return connections closed for any reason; any thread} */
    public long closedTotal() {
        long n = 0;
        for (StripedCounter c : closed) {
            n += c.sum();
        }
        return n;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ServerStats[accepted=").append(accepted()).append(", bytesRead=")
                .append(bytesRead()).append(", bytesWritten=").append(bytesWritten()).append(", sent=")
                .append(sent()).append(" (cross ").append(sentCross()).append("), sendsNoTarget=")
                .append(sendsNoTarget()).append(", readPauses=").append(readPauses()).append(", rebuilds=")
                .append(selectorRebuilds()).append(", acceptErrors=").append(acceptErrors()).append(", closed={");
        for (CloseReason r : CloseReason.values()) {
            long n = closed(r);
            if (n > 0) {
                sb.append(r).append('=').append(n).append(' ');
            }
        }
        return sb.append("}]").toString();
    }
}
