package dev.netkit.timingwheel;

import dev.netkit.padding.internal.Handles;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * Idle timeouts for many connections, with one idle duration for all or one per entry, by lazy re-arm: traffic only records the
 * time of the last activity ({@link Entry#recordActivity}, one opaque store, no timer operation); when an
 * entry's timer expires, the helper compares the last activity with the clock and either reports the entry
 * idle or re-arms its timer for the remainder. So a connection that is busy costs one store per event and
 * at most one timer expiry per idle period, instead of a cancel and a schedule per event (Netty's
 * {@code IdleStateHandler} does the same on its event loop's scheduler).
 *
 * <p><b>Thread safety.</b> The helper and its wheel are owned by one thread (the event loop): {@link #add},
 * {@link #remove}, {@link #poll} and {@link #nextDelayNanos} only from it. {@link Entry#recordActivity}
 * may be called from any thread; the owner sees the new time eventually (opaque), and a time it has not
 * seen yet only delays nothing: the entry is then reported idle up to that much early relative to the
 * unseen activity, which is the usual tolerance of an idle timer. Call it from the owner for exactness.
 *
 * <p>An idle entry is reported once and is no longer tracked; {@link #add} it again to keep watching it.
 *
 * <p>Per-entry durations ({@link #IdleTimeouts(long, long, ToLongFunction, IdleHandler)}): the function is
 * asked for an entry's duration whenever its timer is armed ({@link #add}, a re-arm, {@link #rearm});
 * {@link #NEVER} (or anything above 2<sup>62</sup> ns) leaves the entry unwatched. After changing what
 * the function returns for a watched entry, call {@link #rearm} so that a shorter duration takes effect
 * at once (a longer one would anyway, at the next expiry).
 *
 * @param <E> the entry type: the caller's connection class extends {@link Entry}, or holds one
 */
public final class IdleTimeouts<E extends IdleTimeouts.Entry> {
    /*
     * Implementation notes. `Entry.lastActivity` is written with setOpaque by whoever records traffic and
     * read with getOpaque by the owner; it publishes nothing else. `Entry.handle` is the entry's current
     * wheel handle (or NO_HANDLE), read and written only by the owner. The wheel holds at most one timer per
     * entry; its deadline is never later than lastActivity + idleNanos as the owner last saw it, so the
     * wheel's lateness bound (TimingWheel's class documentation) holds for the report.
     */

    /**
     * Per-connection state: 16 bytes of fields (the last activity time and the current timer handle).
     * Extend it, or keep one per connection.
     */
    public abstract static class Entry {
        private static final VarHandle LAST =
                Handles.field(MethodHandles.lookup(), Entry.class, "lastActivity", long.class);

        @SuppressWarnings("unused") // accessed through LAST
        private long lastActivity;
        long handle = TimingWheel.NO_HANDLE;

        /** For subclasses. */
        protected Entry() {
        }

        /**
         * Records activity at {@code nowNanos}: one opaque store, no timer operation. Any thread.
         *
         * @param nowNanos the time, on the helper's clock
         */
        public final void recordActivity(long nowNanos) {
            LAST.setOpaque(this, nowNanos);
        }

        /** {@return the last recorded activity time; any thread (opaque read)} */
        public final long lastActivity() {
            return (long) LAST.getOpaque(this);
        }

        /** {@return whether the entry is being watched (added, not yet reported idle or removed); owner only} */
        public final boolean isWatched() {
            return handle != TimingWheel.NO_HANDLE;
        }
    }

    /**
     * Receives idle entries from {@link #poll}.
     *
     * @param <E> the entry type
     */
    @FunctionalInterface
    public interface IdleHandler<E> {
        /**
         * Called on the owner thread for an entry idle for at least the idle duration. The entry is no
         * longer watched; the handler may {@link #add} it again, or close the connection.
         *
         * @param entry     the idle entry
         * @param idleNanos how long it has been idle, at least the idle duration
         */
        void onIdle(E entry, long idleNanos);
    }

    /** A per-entry duration that means "do not watch this entry". */
    public static final long NEVER = Long.MAX_VALUE;
    private static final long LONGEST = 1L << 62;

    private final TimingWheel<E> wheel;
    private final ToLongFunction<? super E> idleOf;
    private final IdleHandler<? super E> handler;
    private final TimingWheel.ExpiryHandler<E> onExpiry = this::expired;
    private long now;
    private long rearms;

    /**
     * A helper with its own wheel. Any thread may construct it; then only the owner uses it.
     *
     * @param startNanos the current time on the owner's clock
     * @param tickNanos  the wheel's tick: polled at least once a tick, an entry is reported less than two
     *                   ticks (at most {@code 2 * tickNanos - 2} ns) after its last activity plus
     *                   {@code idleNanos}; polled at {@link #nextDelayNanos}, less than one tick after it
     * @param idleNanos  the idle duration, at least 1 ns
     * @param handler    receives idle entries
     * @throws IllegalArgumentException if tickNanos or idleNanos is below 1
     */
    public IdleTimeouts(long startNanos, long tickNanos, long idleNanos, IdleHandler<? super E> handler) {
        if (idleNanos < 1) {
            throw new IllegalArgumentException("idleNanos must be >= 1, was " + idleNanos);
        }
        this.wheel = new TimingWheel<>(startNanos, tickNanos);
        this.idleOf = e -> idleNanos;
        this.handler = Objects.requireNonNull(handler, "handler");
        this.now = startNanos;
    }

    /**
     * A helper whose entries each have their own idle duration. Any thread may construct it; then only the
     * owner uses it.
     *
     * @param startNanos the current time on the owner's clock
     * @param tickNanos  the wheel's tick (see {@link #IdleTimeouts(long, long, long, IdleHandler)})
     * @param idleNanosOf an entry's idle duration in nanoseconds, asked on the owner thread whenever the
     *                   entry's timer is armed: at least 1, or {@link #NEVER} (anything above 2<sup>62</sup>
     *                   counts as never) to leave it unwatched
     * @param handler    receives idle entries
     * @throws IllegalArgumentException if tickNanos is below 1
     */
    public IdleTimeouts(long startNanos, long tickNanos, ToLongFunction<? super E> idleNanosOf,
                        IdleHandler<? super E> handler) {
        this.wheel = new TimingWheel<>(startNanos, tickNanos);
        this.idleOf = Objects.requireNonNull(idleNanosOf, "idleNanosOf");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.now = startNanos;
    }

    /** {@return the entry's duration, checked; {@code LONGEST + 1} for never} */
    private long idleOf(E entry) {
        long d = idleOf.applyAsLong(entry);
        if (d < 1) {
            throw new IllegalArgumentException("idle duration must be >= 1 ns or NEVER, was " + d + " for " + entry);
        }
        return d > LONGEST ? NEVER : d;
    }

    /**
     * Starts watching an entry, counting from {@code nowNanos} as its last activity. O(1). Owner only. An
     * entry whose per-entry duration is {@link #NEVER} is not watched.
     *
     * @param entry    the entry, not watched already
     * @param nowNanos the current time
     * @throws IllegalStateException if the entry is already watched
     * @throws IllegalArgumentException if its per-entry duration is below 1
     * @throws NullPointerException if entry is null
     */
    public void add(E entry, long nowNanos) {
        Objects.requireNonNull(entry, "entry");
        if (entry.handle != TimingWheel.NO_HANDLE) {
            throw new IllegalStateException("entry is already watched (handle " + entry.handle + ")");
        }
        long d = idleOf(entry);
        entry.recordActivity(nowNanos);
        if (d != NEVER) {
            entry.handle = wheel.schedule(nowNanos + d, entry);
        }
    }

    /**
     * Re-arms an entry for its current duration (after its per-entry duration changed), counting from its
     * last activity: watched again if it was not and its duration is finite, unwatched if it is now
     * {@link #NEVER}; an entry idle for its new duration already is reported at the next {@link #poll}.
     * O(1). Owner only.
     *
     * @param entry    the entry
     * @param nowNanos the current time
     * @return whether the entry is watched now
     * @throws IllegalArgumentException if its per-entry duration is below 1
     * @throws NullPointerException if entry is null
     */
    public boolean rearm(E entry, long nowNanos) {
        Objects.requireNonNull(entry, "entry");
        long d = idleOf(entry);
        remove(entry);
        if (d == NEVER) {
            return false;
        }
        long last = entry.lastActivity();
        if (last - nowNanos > 0) {
            last = nowNanos;                // an activity recorded from another thread's clock reading
        }
        entry.handle = wheel.schedule(last + d, entry);
        return true;
    }

    /**
     * Stops watching an entry (its connection closed). O(1). Owner only.
     *
     * @param entry the entry
     * @return true if it was watched
     * @throws NullPointerException if entry is null
     */
    public boolean remove(E entry) {
        Objects.requireNonNull(entry, "entry");
        long h = entry.handle;
        entry.handle = TimingWheel.NO_HANDLE;
        return wheel.cancel(h);
    }

    /**
     * Expires due timers: each entry idle for the idle duration goes to the handler, each other entry is
     * re-armed for {@code lastActivity + idleNanos}. Owner only.
     *
     * @param nowNanos the current time, not earlier than the previous call's
     * @param limit    the most timer expiries to process (reports and re-arms together), at least 1
     * @return the number of timer expiries processed
     */
    public int poll(long nowNanos, int limit) {
        now = nowNanos;
        return wheel.poll(nowNanos, onExpiry, limit);
    }

    private void expired(long handle, E entry) {
        long d = idleOf(entry);
        long idle = now - entry.lastActivity();
        if (d == NEVER) {
            entry.handle = TimingWheel.NO_HANDLE;
        } else if (idle >= d) {
            entry.handle = TimingWheel.NO_HANDLE;
            handler.onIdle(entry, idle);
        } else {
            rearms++;
            entry.handle = wheel.schedule(entry.lastActivity() + d, entry);
        }
    }

    /**
     * The delay until the next timer expiry, for a select timeout. Owner only.
     *
     * @param nowNanos the current time
     * @return nanoseconds, 0 if due, {@code Long.MAX_VALUE} if nothing is watched
     */
    public long nextDelayNanos(long nowNanos) {
        return wheel.nextDelayNanos(nowNanos);
    }

    /** {@return the number of entries watched; owner only} */
    public int size() {
        return wheel.size();
    }

    /** {@return how many expiries found recent activity and re-armed instead of reporting; owner only} */
    public long rearms() {
        return rearms;
    }
}
