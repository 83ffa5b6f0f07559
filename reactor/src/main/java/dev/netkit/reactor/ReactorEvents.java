package dev.netkit.reactor;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The reactor's JDK Flight Recorder events: what an operator asks a running server about. All are
 * instant events without stack traces. A recording made from a settings file (the JDK's "default" or
 * "profile" {@code .jfc}) leaves them off unless it names them (seen on JDK 25): enable them by name,
 * {@link Server#jfrEventNames()}, as {@code netkit-reactor server --jfr} does. With no recording running
 * each costs one {@code shouldCommit()} check.
 *
 * <ul>
 *   <li>{@code dev.netkit.ConnectionClosed}: every close for a fault (malformed frame, outbound cap, handler
 *       error, an I/O error other than a peer's reset, a failed loop), and one in {@value #CLOSE_SAMPLE} of the other closes of each
 *       sub-reactor (peer closed, application, idle, shutdown; connections the acceptor refuses, past max
 *       connections, never reach a loop and are only counted): {@code weight} says how
 *       many closes the event stands for, so a sum of weights estimates the total.</li>
 *   <li>{@code dev.netkit.ReadPause}: a connection's reads resumed after a pause (its inbound ring was full,
 *       or its pending output reached the high water mark), with how long they were paused; recorded at
 *       the resume, for pauses of at least {@value #READ_PAUSE_THRESHOLD_MICROS} µs.</li>
 *   <li>{@code dev.netkit.SelectorRebuild}: a sub-reactor replaced its selector after a run of premature
 *       empty selects (the epoll spin bug), or failed to.</li>
 *   <li>{@code dev.netkit.AcceptError}: the listener's accept failed (EMFILE, say).</li>
 * </ul>
 *
 * <p>Thread safety: each event object is made, filled and committed by one thread (a loop, the acceptor).
 */
final class ReactorEvents {
    /** One normal close in this many is recorded, per sub-reactor. */
    static final int CLOSE_SAMPLE = 64;
    /** Shorter read pauses are not recorded. */
    static final long READ_PAUSE_THRESHOLD_MICROS = 1000;

    private ReactorEvents() {
    }

    /** The events' names, for {@link Server#jfrEventNames()}. */
    static final java.util.List<String> NAMES = java.util.List.of("dev.netkit.ConnectionClosed", "dev.netkit.ReadPause",
            "dev.netkit.SelectorRebuild", "dev.netkit.AcceptError");

    /** A connection closed: see the class comment for which closes are recorded. */
    @Name("dev.netkit.ConnectionClosed")
    @Label("Connection Closed")
    @Category({"netkit", "Reactor"})
    @Description("A connection closed: every fault close, and a sample of the normal ones (see weight)")
    @StackTrace(false)
    static final class ConnectionClosed extends Event {
        @Label("Connection Id")
        long connectionId;
        @Label("Sub-reactor")
        int reactor;
        @Label("Reason")
        String reason;
        @Label("Peer")
        String peer;
        @Label("Bytes Read")
        @DataAmount
        long bytesRead;
        @Label("Bytes Written")
        @DataAmount
        long bytesWritten;
        @Label("Age")
        @Timespan(Timespan.NANOSECONDS)
        long age;
        @Label("Weight")
        @Description("How many closes this event stands for: 1 for a fault, the sample rate for a normal close")
        long weight;
        @Label("Cause")
        String cause;
    }

    /** A connection's reads resumed after a pause of at least the threshold. */
    @Name("dev.netkit.ReadPause")
    @Label("Read Pause")
    @Category({"netkit", "Reactor"})
    @Description("Reads of a connection were paused by its inbound ring or its output water marks, and resumed")
    @StackTrace(false)
    static final class ReadPause extends Event {
        @Label("Connection Id")
        long connectionId;
        @Label("Sub-reactor")
        int reactor;
        @Label("Cause")
        String cause;
        @Label("Paused")
        @Timespan(Timespan.NANOSECONDS)
        long paused;
    }

    /** A sub-reactor rebuilt its selector (or failed to). */
    @Name("dev.netkit.SelectorRebuild")
    @Label("Selector Rebuild")
    @Category({"netkit", "Reactor"})
    @Description("A sub-reactor replaced its selector after premature empty selects (the epoll spin bug)")
    @StackTrace(false)
    static final class SelectorRebuild extends Event {
        @Label("Sub-reactor")
        int reactor;
        @Label("Empty Selects")
        int emptySelects;
        @Label("Keys Moved")
        int keys;
        @Label("Succeeded")
        boolean succeeded;
        @Label("Cause")
        String cause;
    }

    /** The acceptor's accept failed. */
    @Name("dev.netkit.AcceptError")
    @Label("Accept Error")
    @Category({"netkit", "Reactor"})
    @Description("The listener's accept failed (too many open files, say); the acceptor backs off and goes on")
    @StackTrace(false)
    static final class AcceptError extends Event {
        @Label("Cause")
        String cause;
    }
}
