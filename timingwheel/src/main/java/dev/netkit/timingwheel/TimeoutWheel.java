package dev.netkit.timingwheel;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The {@link WheelTimer}'s wheel: a hierarchical timing wheel whose nodes are the {@link Timeout}s
 * themselves (intrusive), so a pending timeout costs its 32-byte object and nothing else. Owned by the
 * timer's worker (in manual mode by the driver and {@code stop()}); no synchronization inside.
 */
final class TimeoutWheel {
    /*
     * Implementation notes.
     *
     * Single-threaded: every field here, and every Timeout's `next`, is read and written only by the
     * worker (the owner); the owner's program order is all. The only shared field a node has is its
     * state word, which this class reads (getVolatile) to skip cancelled nodes and which the owner
     * changes only by CAS (Timeout's notes).
     *
     * Lists. Every list (the due list, each of the LEVELS * SLOTS slots) is singly linked through
     * Timeout.next with a head and a tail, appended at the tail: FIFO. A cancelled timeout is not unlinked
     * when it is cancelled (that would need its predecessor, a second link, 4 more bytes: 36, that is 40
     * bytes with alignment): it stays linked until the wheel meets it (the due list drops it, a cascade
     * drops it) or until a sweep. `linked` counts the nodes in all lists and in the overflow arrays,
     * cancelled or not. The worker calls sweep() when it finds that cancelled nodes are more than a
     * quarter of `linked` and more than 1,024, or that nothing is pending (WheelTimer.maybeSweep): the
     * sweep's walk (O(linked)) is paid for by the at least linked / 4 cancels before it.
     *
     * Deadlines. A node's deadline tick d is in its state word's value bits (Timeout.VALUE_SHIFT): the full
     * tick counted from the timer's start, or, for the rare deadline that did not fit there (Timeout's
     * MAX_TICK), d modulo 2^62, written by rewrite() before the node enters a level unless its low 30
     * bits already agree. A cascade needs only d
     * modulo 2^30: a node at a level has cur <= d < cur + 2^30, so d = cur + ((value - cur) mod 2^30). The
     * overflow keeps full deadlines in bagTicks. Ticks work as in TimingWheel: `cur` is the last
     * tick processed; a node with d <= cur is due; otherwise it sits at the level of the highest 6-bit
     * digit where d and cur differ, in the slot of d's digit there. Invariant: at each level, occupied
     * slots are strictly above cur's digit at that level. The next event is the lowest occupied slot above
     * cur's digit at the lowest non-empty level; at it, a level-0 slot's list (every node with d == cur)
     * is spliced onto the due list whole, a higher slot's nodes are placed again, each one or more levels
     * down. Deadlines in a later 2^30-tick block than cur (at most 2^30 ticks ahead, 12.4 days at 1 ms)
     * wait in the overflow arrays (bagNodes, bagTicks), scanned when the clock reaches the top-level span of the earliest.
     *
     * Taking due nodes. The worker walks the due list itself (due(), then each node's `next`, cleared as
     * it goes) and writes the list's head once per run (dueTaken), not once per node: with G1, a store of
     * a young Timeout into a field of this long-lived (old) object takes the post-write barrier's slow path,
     * a StoreLoad fence, once per store; a null store takes none. Measured in ExpiryBench (issue 16).
     *
     * Failure atomicity. The overflow arrays are the only allocation: reserveOverflow (before anything
     * changes) allocates both grown arrays before it publishes either. So an OutOfMemoryError leaves the
     * wheel as it was. Nothing else allocates (sweep() keeps its list head in `filtered`): a node costs
     * nothing beyond the Timeout.
     */

    static final int BITS = 6;
    static final int SLOTS = 1 << BITS;
    static final int LEVELS = 5;
    static final int TOTAL_BITS = BITS * LEVELS;       // 30: the wheel spans 2^30 ticks
    private static final int SLOT_MASK = SLOTS - 1;
    private static final long SPAN_MASK = (1L << TOTAL_BITS) - 1;

    private final Timeout[] heads = new Timeout[LEVELS * SLOTS];
    private final Timeout[] tails = new Timeout[LEVELS * SLOTS];
    private final long[] occupied = new long[LEVELS];
    private Timeout dueHead;
    private Timeout dueTail;
    private long cur;                                  // the last tick processed
    private long linked;                               // nodes held, cancelled ones included
    private int eventLevel;                            // set by nextEventTick: a level, or -1 for the overflow
    private Timeout[] bagNodes = new Timeout[0];
    private long[] bagTicks = new long[0];
    private int bagSize;
    private long bagMinTick = Long.MAX_VALUE;          // a lower bound of the overflow's deadline ticks
    private Timeout filtered;                          // filter()'s second result: the filtered list's head
    /** Test hook: throws an OutOfMemoryError before the n-th next allocation (0: the next one); -1 off. */
    int allocationsBeforeFailure = -1;

    /** {@return the nodes held, cancelled ones not yet dropped included} */
    long linked() {
        return linked;
    }

    /** {@return whether no node is held} */
    boolean isEmpty() {
        return linked == 0;
    }

    /**
     * Links {@code t} at deadline tick {@code d}. A deadline at or before the current tick goes to the due
     * list, behind the nodes there. O(1), allocates only when the deadline is beyond the wheel's span and
     * the overflow arrays are full.
     *
     * @param valueIsDeadline whether t's word already holds d (every timeout but one whose deadline did not
     *                        fit the word: that one's d is written in before it enters a level)
     */
    void schedule(Timeout t, long d, boolean valueIsDeadline) {
        if (d > cur) {
            if (((d ^ cur) >>> TOTAL_BITS) != 0) {
                reserveOverflow();                     // before anything changes: an Error leaves all as it was
            } else if (!valueIsDeadline && !agrees(t, d) && !rewrite(t, d)) {
                return;                                // cancelled meanwhile: never linked
            }
        }
        place(t, d);
        linked++;
    }

    /**
     * The first node of the due list, or null when nothing is due at {@code nowTick}: moves the wheel
     * forward to {@code nowTick} only as far as it must for something to be due, cascading on the way (so,
     * when nothing is due, to {@code nowTick} itself). Cancelled nodes are in the list too (the caller's
     * claim fails on them). The caller walks the list through {@code next} and then calls
     * {@link #dueTaken} once for the nodes it took; nothing may change the wheel in between.
     */
    Timeout due(long nowTick) {
        for (;;) {
            Timeout t = dueHead;
            if (t != null) {
                return t;
            }
            long ev = nextEventTick();
            if (ev > nowTick) {
                if (nowTick > cur) {
                    cur = nowTick;
                }
                return null;
            }
            cur = ev;
            processEvent();
        }
    }

    /**
     * The caller took the first {@code count} nodes off the due list (each unlinked, its {@code next}
     * cleared): the list now starts at {@code rest}, the {@code next} the last of them had (null if it
     * took them all). One write of the list's head per run instead of one per node: see the notes.
     */
    void dueTaken(Timeout rest, int count) {
        dueHead = rest;
        if (rest == null) {
            dueTail = null;
        }
        linked -= count;
    }

    /**
     * The tick of the next event: the current tick when nodes are due, else the deadline tick of the
     * earliest node on level 0, or the tick at which the nearest higher-level (or overflow) nodes move
     * down, never later than their deadlines; {@code Long.MAX_VALUE} when empty.
     */
    long nextTick() {
        if (dueHead != null) {
            return cur;
        }
        return nextEventTick();
    }

    /** Removes every cancelled node from every list and from the overflow. O(linked). */
    void sweep() {
        dueTail = filter(dueHead);
        dueHead = filtered;
        for (int level = 0; level < LEVELS; level++) {
            long occ = occupied[level];
            while (occ != 0) {
                int slot = Long.numberOfTrailingZeros(occ);
                occ &= occ - 1;
                int s = (level << BITS) + slot;
                tails[s] = filter(heads[s]);
                heads[s] = filtered;
                if (filtered == null) {
                    occupied[level] &= ~(1L << slot);
                }
            }
        }
        int w = 0;
        long min = Long.MAX_VALUE;
        for (int k = 0; k < bagSize; k++) {
            Timeout t = bagNodes[k];
            if (t.isCancelled()) {
                linked--;
                continue;
            }
            bagNodes[w] = t;
            bagTicks[w] = bagTicks[k];
            min = Math.min(min, bagTicks[k]);
            w++;
        }
        Arrays.fill(bagNodes, w, bagSize, null);
        bagSize = w;
        bagMinTick = min;
    }

    /** Drops the cancelled nodes of the list from {@code first}; leaves the new head in `filtered`, returns the tail. */
    private Timeout filter(Timeout first) {
        Timeout head = null;
        Timeout tail = null;
        for (Timeout t = first; t != null; ) {
            Timeout n = t.next;
            if (t.isCancelled()) {
                t.next = null;
                linked--;
            } else {
                if (tail == null) {
                    head = t;
                } else {
                    tail.next = t;
                }
                tail = t;
            }
            t = n;
        }
        if (tail != null) {
            tail.next = null;
        }
        filtered = head;
        return tail;
    }

    /** Empties the wheel, handing every node (cancelled ones too) to {@code sink}. */
    void clear(Consumer<Timeout> sink) {
        Timeout t = dueHead;
        dueHead = null;
        dueTail = null;
        drain(t, sink);
        for (int s = 0; s < heads.length; s++) {
            t = heads[s];
            heads[s] = null;
            tails[s] = null;
            drain(t, sink);
        }
        Arrays.fill(occupied, 0L);
        for (int k = 0; k < bagSize; k++) {
            t = bagNodes[k];
            bagNodes[k] = null;
            sink.accept(t);
        }
        bagSize = 0;
        bagMinTick = Long.MAX_VALUE;
        linked = 0;
    }

    private static void drain(Timeout t, Consumer<Timeout> sink) {
        while (t != null) {
            Timeout n = t.next;
            t.next = null;
            sink.accept(t);
            t = n;
        }
    }

    // ------------------------------------------------------------------ internals

    /** Links t at deadline tick d: the due list, a slot, or the overflow (which must have room). */
    private void place(Timeout t, long d) {
        if (d <= cur) {
            if (dueTail == null) {
                dueHead = t;
            } else {
                dueTail.next = t;
            }
            dueTail = t;
            return;
        }
        int level = (63 - Long.numberOfLeadingZeros(d ^ cur)) / BITS;
        if (level >= LEVELS) {
            int pos = bagSize++;
            bagNodes[pos] = t;
            bagTicks[pos] = d;
            if (d < bagMinTick) {
                bagMinTick = d;
            }
            return;
        }
        int slot = (int) (d >>> (level * BITS)) & SLOT_MASK;
        int s = (level << BITS) + slot;
        Timeout tail = tails[s];
        if (tail == null) {
            heads[s] = t;
        } else {
            tail.next = t;
        }
        tails[s] = t;
        occupied[level] |= 1L << slot;
    }

    /** The tick of the next event (sets eventLevel: a level, or -1 for the overflow), or MAX_VALUE. */
    private long nextEventTick() {
        for (int level = 0; level < LEVELS; level++) {
            long occ = occupied[level];
            if (occ != 0) {
                eventLevel = level;
                return TimingWheel.slotEventTick(occ, level, BITS, cur);
            }
        }
        if (bagSize > 0) {
            eventLevel = -1;
            return TimingWheel.overflowEventTick(bagMinTick, TOTAL_BITS, cur);
        }
        return Long.MAX_VALUE;
    }

    /** Processes the event found by nextEventTick, with cur already set to its tick. */
    private void processEvent() {
        int level = eventLevel;
        if (level < 0) {
            bagScan();
            return;
        }
        int slot = (int) (cur >>> (level * BITS)) & SLOT_MASK;
        int s = (level << BITS) + slot;
        Timeout t = heads[s];
        Timeout last = tails[s];
        heads[s] = null;
        tails[s] = null;
        occupied[level] &= ~(1L << slot);
        if (level == 0) {
            // every node of a level-0 slot has d == cur: splice the whole list onto the due list
            if (dueTail == null) {
                dueHead = t;
            } else {
                dueTail.next = t;
            }
            dueTail = last;
            return;
        }
        // each node moves below this level (never back into slot s: from this level up its digits are cur's);
        // a cancelled one is dropped here
        while (t != null) {
            Timeout n = t.next;
            t.next = null;
            long w = t.word();
            if ((w & Timeout.STATE_MASK) == Timeout.CANCELLED) {
                linked--;
            } else {
                place(t, cur + (((w >>> Timeout.VALUE_SHIFT) - cur) & SPAN_MASK));
            }
            t = n;
        }
    }

    /** At an overflow event: moves every overflow node now within the wheel's span into the wheel. */
    private void bagScan() {
        long min = Long.MAX_VALUE;
        for (int k = bagSize - 1; k >= 0; k--) {
            long d = bagTicks[k];
            if (((d ^ cur) >>> TOTAL_BITS) == 0 || d <= cur) {
                Timeout t = bagNodes[k];
                int last = --bagSize;
                bagNodes[k] = bagNodes[last];
                bagTicks[k] = bagTicks[last];
                bagNodes[last] = null;
                if (t.isCancelled() || (d > cur && !agrees(t, d) && !rewrite(t, d))) {
                    linked--;
                } else {
                    place(t, d);                         // within the span now: never into the overflow
                }
            } else if (d < min) {
                min = d;
            }
        }
        bagMinTick = bagSize == 0 ? Long.MAX_VALUE : min;
    }

    /** Whether t's word holds d modulo the span, as a cascade needs it. */
    private static boolean agrees(Timeout t, long d) {
        return (((t.word() >>> Timeout.VALUE_SHIFT) ^ d) & SPAN_MASK) == 0;
    }

    /**
     * Writes d (modulo 2^62) into t's word, keeping it PENDING, for a deadline that did not fit the word
     * when newTimeout wrote it; false if t is no longer pending (then it is not linked).
     */
    private static boolean rewrite(Timeout t, long d) {
        for (;;) {
            long w = t.word();
            if ((w & Timeout.STATE_MASK) != Timeout.PENDING) {
                return false;
            }
            if (t.casWord(w, (d & Timeout.MAX_TICK) << Timeout.VALUE_SHIFT)) {
                return true;
            }
        }
    }

    /** Makes room for one more overflow node, allocating both grown arrays before publishing either. */
    private void reserveOverflow() {
        if (bagSize < bagNodes.length) {
            return;
        }
        int n = bagNodes.length == 0 ? 16 : bagNodes.length + (bagNodes.length >> 1);
        if (n < 0 || n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("the overflow holds " + bagSize + " timeouts; it cannot grow");
        }
        allocating();
        Timeout[] nodes = Arrays.copyOf(bagNodes, n);
        allocating();
        long[] ticks = Arrays.copyOf(bagTicks, n);
        bagNodes = nodes;
        bagTicks = ticks;
    }

    private void allocating() {
        if (allocationsBeforeFailure >= 0 && allocationsBeforeFailure-- == 0) {
            throw new OutOfMemoryError("injected by the test hook before an array allocation");
        }
    }
}
