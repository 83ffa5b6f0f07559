package dev.netkit.reactor;

import dev.netkit.ring.ByteRing;
import dev.netkit.ring.MpscFrameRing;
import dev.netkit.timingwheel.IdleTimeouts;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One accepted connection, owned by one {@link SubReactor} for its whole life.
 *
 * <p><b>Not pooled, on purpose.</b> A connection object is allocated once per accept and left to the GC
 * after close. Relay producers on other threads look a connection up by id and then write into its inbox;
 * had the object been recycled between their lookup and their write, the frame would land in a newer
 * connection (the "bad fd" bug WuKongIM's wknet and gnet#621 had). With a fresh object per connection,
 * a stale reference can only reach the dead connection, whose inbox nobody drains: its frames are lost
 * with it, never delivered to a stranger. Ids are {@code ConnMatrix} ids (slot plus generation), so a
 * stale id finds nothing. What pooling would save (one ~150-byte allocation per accept) is nothing next
 * to an accept's system calls; the per-message path allocates nothing either way. What is pooled is the
 * memory that matters: the rings' buffers, from the server's {@code BufferPool}, held only while bytes
 * wait.
 */
final class Connection extends IdleTimeouts.Entry {
    /*
     * Implementation notes. Every plain field is read and written by the owning sub-reactor's thread only.
     * Two fields are shared: `closed` (release store by the owner when it closes, acquire/opaque reads by
     * relay producers, who then skip the connection: a hint, the inbox stays safe to write either way), and
     * `scheduled` (0/1: whether the connection sits in its owner's ready queue for an inbox drain; producers
     * CAS 0 -> 1 after committing a frame and enqueue it only when they win). The inbox is created before
     * the connection is added to the ConnMatrix, and ConnMatrix.add/get publish it to producers.
     *
     * The wake-up handshake is a Dekker pair: the producer stores the frame header (commit) and then loads
     * `scheduled`; the owner stores `scheduled = 0` and then loads the frame headers (peek). No lost
     * wake-up means: not both loads miss the other side's store (the producer sees 1 and does not enqueue,
     * and the owner sees no frame). A store followed by a load to another location is the one reordering
     * that release/acquire (and even a volatile store followed by an acquire load) allows, and the commit
     * is a plain release store when the inbox's reclaim is off. So each side puts a full fence between its
     * store and its load (trySchedule begins with one, unless the producer is the owner's own thread, whose
     * program order already orders its commit before its drain; unschedule's release store is followed by
     * one): correct for every commit mode by the fences' specification, not by the commit happening to be
     * a CAS. jcstress:
     * dev.netkit.stress.reactor.InboxWakeup*Test, with reclaim on and off.
     */
    private static final VarHandle CLOSED;
    private static final VarHandle SCHEDULED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            CLOSED = l.findVarHandle(Connection.class, "closed", boolean.class);
            SCHEDULED = l.findVarHandle(Connection.class, "scheduled", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final SubReactor owner;
    final SocketChannel channel;
    final ByteRing in;
    final ByteRing out;
    final MpscFrameRing inbox;      // relay only
    SelectionKey key;
    long id;
    int interest;
    boolean readPaused;
    boolean inputShut;
    boolean outputShut;
    boolean dirty;
    boolean inboxBacklog;
    @SuppressWarnings("unused") // through CLOSED
    private boolean closed;
    @SuppressWarnings("unused") // through SCHEDULED
    private int scheduled;

    Connection(SubReactor owner, SocketChannel channel, ByteRing in, ByteRing out, MpscFrameRing inbox) {
        this.owner = owner;
        this.channel = channel;
        this.in = in;
        this.out = out;
        this.inbox = inbox;
    }

    /** @return whether the owner closed it; any thread (acquire) */
    boolean isClosed() {
        return (boolean) CLOSED.getAcquire(this);
    }

    /** Owner only. */
    void markClosed() {
        CLOSED.setRelease(this, true);
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

    /** {@link #trySchedule(boolean)} from a thread other than the owner's. */
    boolean trySchedule() {
        return trySchedule(true);
    }

    /** Owner, before draining the inbox. */
    void unschedule() {
        SCHEDULED.setRelease(this, 0);
        VarHandle.fullFence();          // the flag (store), then the frame headers (loads): see the notes
    }

    @Override
    public String toString() {
        return "Connection[id=" + Long.toHexString(id) + ", reactor=" + owner.index + "]";
    }
}
