package dev.netkit.timingwheel;

import dev.netkit.padding.StripedCounter;
import dev.netkit.padding.internal.Handles;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;

/**
 * A thread-safe timer service: one worker thread owns a hierarchical timing wheel; {@link #newTimeout} and
 * {@link Timeout#cancel()} may be called from any thread: a new timeout reaches the worker through a
 * lock-free JCTools MPSC queue, a cancel is one CAS on the timeout. A drop-in for the role of Netty's
 * {@code HashedWheelTimer}, with a hierarchical wheel (no per-tick bucket scan), a worker that sleeps
 * while nothing is due, and no shared pending counter.
 *
 * <p><b>Guarantees.</b>
 * <ul>
 *   <li>Exactly one of: the task runs (or is handed to the executor), {@code cancel()} returns true, or
 *       {@link #stop()} returns the timeout (cancelled).</li>
 *   <li>A task never runs before its delay has passed on the timer's clock. It runs at its deadline's
 *       tick boundary (less than one tick after the deadline), where the worker's sleep ends: so, while the
 *       worker keeps up, less than one tick late plus the OS's wake-up latency (manual mode: at the first
 *       {@link #advance()} at or after that boundary). Ticks are counted from the timer's start, so
 *       lateness does not accumulate when the worker falls behind.</li>
 *   <li>Fields written before {@code newTimeout} are visible to the task.</li>
 *   <li>A task that throws does not stop the worker; the exception goes to the worker thread's
 *       uncaught-exception handler. So does an exception from the executor's {@code execute} (a
 *       {@code RejectedExecutionException}, say): that task never runs, yet its timeout counts as expired
 *       ({@code isExpired()} true, {@code cancel()} false), since it was claimed before the hand-off. Give an
 *       executor that never rejects if every task must run.</li>
 *   <li>An {@code Error} in the timer's own work (an {@code OutOfMemoryError} while its wheel grows, say)
 *       ends the worker and goes to its uncaught-exception handler. The timer is then stopped: every
 *       timeout that never ran is cancelled, and the first {@link #stop()} returns them. In manual mode
 *       the Error propagates from {@link #advance()}, and the timer stays usable: nothing is lost.</li>
 *   <li>The worker parks while no timeout is pending (no ticking), and while timeouts are pending it sleeps
 *       until the next one is due, waking at least every 16 ms (every tick if the tick is longer) to take
 *       in queued timeouts and drop cancelled ones. A
 *       {@code newTimeout} wakes it (an unpark) only if it is asleep and the new deadline is earlier than
 *       its planned wake-up.</li>
 * </ul>
 *
 * <p><b>Manual mode.</b> {@link #manual} builds a timer without a thread: one driver thread calls
 * {@link #advance()} (an event loop, or a test), which does the worker's work once and runs due tasks
 * inline. Everything else is as above. The jcstress tests use it to drive expiry deterministically.
 *
 * <p><b>Memory.</b> Per pending timeout: the {@link Timeout}, 32 bytes with compressed references, plus
 * the user's task: the timeout is its own node in the wheel (it carries the wheel's link), so nothing else
 * is allocated per timeout. {@code newTimeout} allocates the {@code Timeout} and, amortized, the MPSC
 * queue's 1,024-entry chunks; {@code cancel} allocates nothing. A cancelled timeout (and its task, with
 * whatever the task captures) stays linked in the wheel until the worker meets it: at its slot, or in a
 * sweep. The worker sweeps, when it takes in new timeouts (at least every 16 ms while timeouts are
 * pending), if cancelled timeouts are more than a quarter of the linked ones and more than 1,024, or if
 * nothing is pending: so at those points at most max(1,024, a third of the pending) cancelled timeouts
 * are kept. Timeouts in a later 2<sup>30</sup>-tick block than the wheel's time (at most 2<sup>30</sup>
 * ticks ahead, 12.4 days at 1 ms; some nearer ones when the block boundary is near) take 12 more bytes in an
 * overflow array until the wheel reaches their block.
 */
public final class WheelTimer {
    /*
     * Implementation notes.
     *
     * Threads. `wheel` (a TimeoutWheel, whose nodes are the Timeouts) is read and written only by the
     * worker (in manual mode: the driver calling advance(), and stop()). `queue` has many producers
     * (newTimeout) and the worker as its only consumer. `state` (RUNNING -> STOPPED by CAS in stop; or
     * RUNNING -> DEAD by CAS in a worker that an Error ends, then DEAD -> STOPPED by CAS in stop) and
     * `sleeping` are volatile; `wakeAtTick`
     * is written by the worker (opaque) before its volatile write of `sleeping`, and read by producers
     * (opaque) after their volatile read of `sleeping`, so a producer that sees the worker asleep sees the
     * planned wake-up of that sleep or a later one.
     *
     * Sleep and wake-up (no lost wake-up). The worker: drains the queue, polls the wheel, writes wakeAtTick
     * and then sleeping = TIMED or FOREVER (volatile), then re-checks queue.isEmpty() and state (volatile
     * reads) and only then parks. A producer: queue.offer (a CAS on the producer index: volatile), then
     * reads sleeping (volatile). Both pairs are volatile write -> volatile read, so in the synchronization
     * order at least one side sees the other: either the worker's re-check sees the new element and does
     * not park, or the producer sees `sleeping` set and, if its deadline is before wakeAtTick (or the worker
     * sleeps forever), CASes sleeping to AWAKE and unparks the worker. The CAS makes one producer pay for
     * the unpark; park may also return spuriously or early, which only costs a loop.
     *
     * Stop against newTimeout (never lost). stop() CASes state to STOPPED and the worker (or, in manual
     * mode, stop() itself) then drains the queue with poll(), which reads the producer index (volatile).
     * newTimeout offers, then reads state (volatile). Same argument: either the final drain sees the
     * offered timeout and claims it (PENDING -> CANCELLED, returned by stop()), or newTimeout sees STOPPED
     * and claims it itself and throws RejectedExecutionException. A claim is a CAS on the timeout's word,
     * so exactly one of them takes it (or the task had already run, or the user cancelled it).
     *
     * Worker death. An Error that escapes the loop (an OutOfMemoryError while the wheel grows, say; what
     * tasks and the executor throw is caught) ends the worker: it CASes RUNNING -> DEAD (a failed CAS means
     * stop() came first), which rejects producers as STOPPED does (the same Dekker pair as above), and does
     * the final drain. A timeout that takeIn had taken from the queue but not into the wheel when the Error
     * struck is kept in `stranded` (worker only; in manual mode the driver's and stop()'s, whose calls the
     * user serializes): the next transfer takes it in first (manual mode: the next advance()), the final
     * drain claims it first. The first stop() then wins its CAS (RUNNING or DEAD -> STOPPED), joins the
     * worker and returns `unprocessed`, which the worker wrote before it ended (the join orders that write
     * before the read); later calls lose the CAS and return an empty set.
     *
     * Lazy cancellation (issue 16). A cancel() is its claim CAS and a count: it never reaches the worker.
     * The timeout is its own wheel node (TimeoutWheel), singly linked, so unlinking it would need its
     * predecessor; instead the worker drops a cancelled node where it meets it: takeIn drops one whose
     * word is no longer PENDING, the due list and a cascade drop them (the expiry's claim fails), and a
     * sweep drops them all when they are too many. A cancel that lands after takeIn read the word leaves a
     * cancelled node linked: the same as a cancel after the take-in. Nothing is freed by identity or
     * handle, so there is no ABA: a node is linked at most once (takeIn takes each queued timeout once).
     *
     * Sweeps. `pending` counts every timeout that is live (queued, stranded, or linked and not cancelled):
     * incremented before the offer, decremented after a claim. So wheel.linked() - pending.sum() is at most
     * the cancelled nodes still linked, plus the few timeouts that other threads create and cancel during
     * the sum (StripedCounter.sum() is not a snapshot: it may miss an increment and see its decrement); a
     * concurrent cancel between its CAS and its decrement only makes the estimate smaller. A wrong
     * estimate costs one sweep that finds little; each sweep drops every cancelled node it meets.
     * maybeSweep, run after each transfer, sweeps when that estimate is more than a quarter of the linked
     * nodes (and above SWEEP_MIN): the sweep's walk, O(linked), is paid for by
     * the at least linked / 4 cancels since the last one. It also sweeps when nothing is pending (every
     * linked node is cancelled), so that a worker with only cancelled timeouts left parks without a timeout,
     * as one with nothing linked does, instead of waking every DRAIN_INTERVAL_NANOS until it meets them.
     *
     * Counting. `pending` is a StripedCounter: producers increment and cancellers decrement through its
     * shared (probe-hashed) cells; the worker decrements expiries and stop's claims on its owned stripe 0.
     * Every path that ends a timeout decrements after winning its claim CAS, so each timeout is counted
     * down exactly once (the bug behind Netty #14959 cannot happen). maxPending is checked against
     * pending.sum() before the increment, so concurrent producers may overshoot it by at most their number.
     * newTimeout increments only after what can throw (the clock, the Timeout's allocation), and takes the
     * increment back if the offer throws (an OutOfMemoryError for a new queue chunk, which JCTools rolls
     * back): a newTimeout that throws leaves no count.
     */

    /**
     * The longest delay; longer ones are clamped to it (2^61 ns, 73 years). See {@link #newTimeout} for
     * the one case where the deadline is counted from the worker's take-in instead.
     */
    public static final long MAX_DELAY_NANOS = 1L << 61;
    private static final long MAX_TICK = Timeout.MAX_TICK;   // a Timeout's deadline tick is capped here: see farTick
    private static final long SWEEP_MIN = 1024;               // no sweep while fewer are cancelled, unless none is pending
    private static final long DRAIN_INTERVAL_NANOS = 16_000_000L;
    private static final int EXPIRY_BATCH = 1024;
    private static final int TRANSFER_BATCH = 100_000;
    private static final int RUNNING = 0;
    private static final int STOPPED = 1;
    private static final int DEAD = 2;
    private static final int AWAKE = 0;
    private static final int TIMED = 1;
    private static final int FOREVER = 2;

    private static final VarHandle STATE = Handles.field(MethodHandles.lookup(), WheelTimer.class, "state", int.class);
    private static final VarHandle SLEEPING =
            Handles.field(MethodHandles.lookup(), WheelTimer.class, "sleeping", int.class);
    private static final VarHandle WAKE_AT_TICK =
            Handles.field(MethodHandles.lookup(), WheelTimer.class, "wakeAtTick", long.class);

    private final MpscUnboundedAtomicArrayQueue<Timeout> queue = new MpscUnboundedAtomicArrayQueue<>(1024);
    final TimeoutWheel wheel = new TimeoutWheel();   // package-private for the tests (allocation-failure hook, linked())
    private final StripedCounter pending = new StripedCounter(1);
    private final LongSupplier clock;
    private final long origin;
    private final long tickNanos;
    private final long drainTicks;
    private final long maxPending;
    private final Executor executor;
    private final Thread worker;
    @SuppressWarnings("unused") private volatile int state;
    @SuppressWarnings("unused") private volatile int sleeping;
    @SuppressWarnings("unused") private long wakeAtTick;
    private long expired;                    // timeouts this worker expired (won the claim); worker only
    private Set<Timeout> unprocessed;        // written by the worker before it ends; read by stop() after join
    private Timeout stranded;                // taken from the queue, not into the wheel (an Error); worker only
    private boolean expiring;                // expireDue is walking the due list (a task is running); worker only

    /**
     * A timer with a worker thread (a daemon platform thread named {@code netkit-wheel-timer}), tasks run on
     * the worker, no bound on pending timeouts. Any thread.
     *
     * @param tick     the tick, at least 1 microsecond
     * @param unit     the tick's unit
     * @throws IllegalArgumentException if the tick is below 1 microsecond
     * @throws NullPointerException if unit is null
     */
    public WheelTimer(long tick, TimeUnit unit) {
        this(tick, unit, Thread.ofPlatform().daemon().name("netkit-wheel-timer").factory(), null, 0);
    }

    /**
     * A timer with a worker thread from {@code threadFactory}. The worker starts now. Any thread.
     *
     * @param tick          the tick, at least 1 microsecond
     * @param unit          the tick's unit
     * @param threadFactory makes the worker thread
     * @param executor      runs the tasks; null runs them on the worker (keep them short then). If its
     *                      {@code execute} throws (a rejection), the task is dropped and the exception goes
     *                      to the worker's uncaught-exception handler; the timeout stays expired
     * @param maxPending    the most pending timeouts, beyond which {@code newTimeout} throws
     *                      {@code RejectedExecutionException}; 0 for no bound
     * @throws IllegalArgumentException if the tick is below 1 microsecond or maxPending is negative
     * @throws NullPointerException if unit or threadFactory is null
     */
    public WheelTimer(long tick, TimeUnit unit, ThreadFactory threadFactory, Executor executor, long maxPending) {
        this(System::nanoTime, checkTick(Objects.requireNonNull(unit, "unit").toNanos(tick)), executor, maxPending,
                Objects.requireNonNull(threadFactory, "threadFactory"));
    }

    private WheelTimer(LongSupplier clock, long tickNanos, Executor executor, long maxPending, ThreadFactory tf) {
        if (maxPending < 0) {
            throw new IllegalArgumentException("maxPending must be >= 0 (0: no bound), was " + maxPending);
        }
        this.clock = clock;
        this.origin = clock.getAsLong();
        this.tickNanos = tickNanos;
        this.drainTicks = Math.max(1, DRAIN_INTERVAL_NANOS / tickNanos);
        this.maxPending = maxPending;
        this.executor = executor;
        if (tf == null) {
            this.worker = null;
        } else {
            this.worker = tf.newThread(this::workerLoop);
            if (worker == null) {
                throw new IllegalArgumentException("threadFactory returned null");
            }
            worker.start();
        }
    }

    private static long checkTick(long tickNanos) {
        if (tickNanos < 1_000) {
            throw new IllegalArgumentException("tick must be >= 1 microsecond, was " + tickNanos + " ns");
        }
        return tickNanos;
    }

    /**
     * A timer without a thread: one driver thread calls {@link #advance()}, which runs due tasks inline.
     * {@code newTimeout} and {@code cancel} still work from any thread. Any thread.
     *
     * @param clock      the time in nanoseconds (e.g. {@code System::nanoTime}, or a test's fake clock);
     *                   read by newTimeout's callers and by the driver
     * @param tickNanos  the tick, at least 1 ns
     * @param maxPending the bound on pending timeouts, 0 for none
     * @return the timer
     * @throws IllegalArgumentException if tickNanos is below 1 or maxPending negative
     * @throws NullPointerException if clock is null
     */
    public static WheelTimer manual(LongSupplier clock, long tickNanos, long maxPending) {
        if (tickNanos < 1) {
            throw new IllegalArgumentException("tickNanos must be >= 1, was " + tickNanos);
        }
        return new WheelTimer(Objects.requireNonNull(clock, "clock"), tickNanos, null, maxPending, null);
    }

    /**
     * Schedules {@code task} to run once after {@code delay}. Lock-free (an MPSC queue offer, a striped
     * count, and at most one unpark of the sleeping worker). Any thread, including a running task.
     *
     * <p>The deadline is counted in ticks from the timer's start, with room for 2^62 - 1 ticks. A deadline
     * beyond that (possible only with a 1 ns tick, in manual mode, once the timer has run for 2^61 ns: 73
     * years) is counted instead as {@code MAX_DELAY_NANOS} from when the worker takes the timeout in (reads its clock
     * after this call did): later than asked, never earlier.
     *
     * @param task  what to run; on the worker (or the manual driver), or handed to the executor
     * @param delay the delay; negative means 0; longer than {@link #MAX_DELAY_NANOS} is clamped
     * @param unit  the delay's unit
     * @return the timeout, to cancel it
     * @throws RejectedExecutionException if the timer is stopped, or {@code maxPending} timeouts are pending
     * @throws NullPointerException       if task or unit is null
     */
    public Timeout newTimeout(Runnable task, long delay, TimeUnit unit) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(unit, "unit");
        long delayNanos = Math.min(Math.max(0, unit.toNanos(delay)), MAX_DELAY_NANOS);
        if ((int) STATE.getVolatile(this) != RUNNING) {
            throw new RejectedExecutionException("timer is stopped");
        }
        if (maxPending > 0) {
            long p = pending.sum();
            if (p >= maxPending) {
                throw new RejectedExecutionException("pending timeouts " + p + " reached maxPending " + maxPending);
            }
        }
        long total = (clock.getAsLong() - origin) + delayNanos;
        long tick = total <= 0 ? 0 : Math.min(MAX_TICK, (total - 1) / tickNanos + 1);
        Timeout t = new Timeout(this, task, tick);   // what can throw (the clock, this allocation) comes first
        pending.increment();
        try {
            queue.offer(t);                          // may allocate a chunk; JCTools undoes a failed one
        } catch (Throwable e) {
            pending.add(-1);
            throw e;
        }
        if ((int) STATE.getVolatile(this) != RUNNING) {
            if (t.claim(Timeout.CANCELLED)) {
                pending.add(-1);
                throw new RejectedExecutionException("timer is stopped");
            }
            return t;                        // stop() took it back, or it already ran or was cancelled
        }
        int s = (int) SLEEPING.getVolatile(this);
        if (s != AWAKE && (s == FOREVER || tick < (long) WAKE_AT_TICK.getOpaque(this))
                && SLEEPING.compareAndSet(this, s, AWAKE)) {
            LockSupport.unpark(worker);
        }
        return t;
    }

    /**
     * Called by Timeout.cancel after its CAS won: the count only. The worker drops the cancelled timeout
     * where it meets it (see "Lazy cancellation").
     */
    void cancelled() {
        pending.add(-1);
    }

    /**
     * The number of pending timeouts: scheduled, not yet expired, cancelled or returned by stop. Exact at
     * rest, weakly consistent while other threads schedule or cancel. Any thread.
     *
     * @return the count
     */
    public long pendingTimeouts() {
        return pending.sum();
    }

    /** {@return whether {@link #stop()} has been called, or the worker died of an {@code Error}; any thread} */
    public boolean isStopped() {
        return (int) STATE.getVolatile(this) != RUNNING;
    }

    /** {@return the tick in nanoseconds; any thread} */
    public long tickNanos() {
        return tickNanos;
    }

    /**
     * Manual mode only: does the worker's work once on the calling thread: takes queued timeouts
     * into the wheel (dropping cancelled ones), then expires and runs (inline) every task due at the clock's current
     * time. One driver thread at a time; not from a task, and not concurrently with {@link #stop()}.
     *
     * @return the number of timeouts that expired in this call (not counting cancelled ones the wheel
     *         dropped)
     * @throws IllegalStateException if the timer has a worker thread, or if called from a task that this
     *         timer's {@code advance()} is running
     */
    public int advance() {
        if (worker != null) {
            throw new IllegalStateException("advance() is for timers built by WheelTimer.manual; this one has a worker");
        }
        if (expiring) {
            throw new IllegalStateException("advance() called from a task that this timer's advance() is running");
        }
        if ((int) STATE.getVolatile(this) != RUNNING) {
            return 0;
        }
        transfer();
        long nowTick = Math.floorDiv(clock.getAsLong() - origin, tickNanos);
        long before = expired;
        while (expireDue(nowTick) == EXPIRY_BATCH) {
            // a slot's cancelled timeouts also count against the batch: loop until the batch ends short
        }
        return (int) (expired - before);
    }

    /**
     * Stops the timer: later {@code newTimeout}s are rejected, the worker ends (after it finishes the batch
     * of due timeouts it may be expiring, at most 1,024 tasks), and every timeout that had not run is
     * cancelled and returned. A {@code newTimeout} racing
     * stop is either rejected, or returned here, or has run: never lost. Blocks until the worker ends
     * (interrupts are deferred). Any thread except the worker; in manual mode, not concurrently with
     * {@link #advance()}. A second call returns an empty set.
     *
     * <p>If the worker died of an {@code Error} (the worker thread's uncaught-exception handler saw it), the
     * timer was already stopped: {@link #isStopped()} is true and {@code newTimeout} rejects. The timeouts
     * that never ran were cancelled then, and the first {@code stop()} returns them all, including one the
     * worker was taking into its wheel when the Error struck.
     *
     * @return the timeouts that never ran, now cancelled
     * @throws IllegalStateException if called from the worker thread (from a task)
     */
    public Set<Timeout> stop() {
        if (worker != null && Thread.currentThread() == worker) {
            throw new IllegalStateException("stop() called from the timer's worker thread (a task); call it from another thread");
        }
        if (!STATE.compareAndSet(this, RUNNING, STOPPED) && !STATE.compareAndSet(this, DEAD, STOPPED)) {
            return Set.of();
        }
        if (worker == null) {
            return shutdown();
        }
        LockSupport.unpark(worker);
        boolean interrupted = false;
        while (worker.isAlive()) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return unprocessed;
    }

    // ------------------------------------------------------------------ worker

    private void workerLoop() {
        try {
            while ((int) STATE.getVolatile(this) == RUNNING) {
                transfer();
                long nowTick = Math.floorDiv(clock.getAsLong() - origin, tickNanos);
                if (expireDue(nowTick) == EXPIRY_BATCH || !queue.isEmpty()) {
                    continue;
                }
                int mode;
                long wakeTick = 0;
                if (wheel.isEmpty()) {
                    mode = FOREVER;
                } else {
                    mode = TIMED;
                    wakeTick = Math.min(wheel.nextTick(), nowTick + drainTicks);
                }
                WAKE_AT_TICK.setOpaque(this, wakeTick);
                SLEEPING.setVolatile(this, mode);
                if (!queue.isEmpty() || (int) STATE.getVolatile(this) != RUNNING) {
                    SLEEPING.setVolatile(this, AWAKE);
                    continue;
                }
                // A task run here may have left the interrupt status set (a restored InterruptedException);
                // park cannot block while it is set, so clear it or the idle worker spins. Interrupting the
                // worker means nothing to the timer: stop() wakes it with an unpark.
                Thread.interrupted();
                if (mode == FOREVER) {
                    LockSupport.park(this);
                } else {
                    long delay = origin + wakeTick * tickNanos - clock.getAsLong();
                    if (delay > 0) {
                        LockSupport.parkNanos(this, delay);
                    }
                }
                SLEEPING.setVolatile(this, AWAKE);
            }
        } finally {
            STATE.compareAndSet(this, RUNNING, DEAD); // died of an Error: producers are rejected from now on
            unprocessed = shutdown();
        }
    }

    /** Takes queued new timeouts into the wheel, then sweeps if it must. Worker (or manual driver) only. */
    private void transfer() {
        Timeout t = stranded;
        if (t != null) {
            stranded = null;
            takeIn(t);
        }
        for (int k = 0; k < TRANSFER_BATCH; k++) {
            t = queue.poll();
            if (t == null) {
                break;
            }
            takeIn(t);
        }
        maybeSweep();
    }

    /** Links a timeout taken from the queue into the wheel; drops it if it is no longer pending. */
    private void takeIn(Timeout t) {
        long w = t.word();
        if ((w & Timeout.STATE_MASK) != Timeout.PENDING) {
            return;                                      // cancelled before the take-in: never linked
        }
        long tick = w >>> Timeout.VALUE_SHIFT;
        boolean far = tick == MAX_TICK;
        if (far) {
            tick = farTick();                            // its deadline tick did not fit: never early
        }
        try {
            wheel.schedule(t, tick, !far);
        } catch (IllegalStateException full) {           // 2^31 timeouts beyond the span: the overflow is full
            if (t.claim(Timeout.CANCELLED)) {
                pending.add(-1);
            }
            report(full);
        } catch (Throwable e) {                          // an Error (OutOfMemoryError): the wheel is as it was
            stranded = t;                                // first in line for the next transfer, or for shutdown
            throw e;
        }
    }

    /**
     * Sweeps the wheel's cancelled nodes when they are more than a quarter of it, or all of it (nothing
     * pending: so that the worker can park without a timeout). See "Sweeps".
     */
    private void maybeSweep() {
        long linked = wheel.linked();
        if (linked == 0) {
            return;
        }
        long cancelled = linked - pending.sum();              // at most the cancelled nodes linked
        if (cancelled >= linked || (linked > SWEEP_MIN && cancelled > Math.max(SWEEP_MIN, linked >> 2))) {
            wheel.sweep();
        }
    }

    /**
     * Expires up to EXPIRY_BATCH due timeouts (cancelled ones met count too); returns how many it met. Walks
     * the wheel's due list itself and tells the wheel once per run how far it got (see TimeoutWheel's
     * "Taking due nodes"); each timeout is unlinked, and the walk's position moved past it, before it is
     * expired, so an Error out of expire() leaves the list starting at the next one. Not reentrant: the
     * walk's position is in this frame until dueTaken, so `expiring` makes a task's advance() throw.
     */
    private int expireDue(long nowTick) {
        int k = 0;
        expiring = true;
        try {
            while (k < EXPIRY_BATCH) {
                Timeout t = wheel.due(nowTick);
                if (t == null) {
                    return k;
                }
                int start = k;
                try {
                    do {
                        Timeout x = t;
                        t = x.next;
                        x.next = null;
                        k++;
                        expire(x);
                    } while (t != null && k < EXPIRY_BATCH);
                } finally {
                    wheel.dueTaken(t, k - start);
                }
            }
            return k;
        } finally {
            expiring = false;
        }
    }

    /**
     * The deadline tick of MAX_DELAY_NANOS from the clock's time now, exact (no overflow for a timer younger
     * than 2^62 ns): for a timeout whose own deadline tick did not fit its word. Its deadline was at most
     * MAX_DELAY_NANOS after its newTimeout read the clock, and that read happened before this one.
     */
    private long farTick() {
        long elapsed = clock.getAsLong() - origin;
        long r = Math.floorMod(elapsed, tickNanos);
        return Math.floorDiv(elapsed, tickNanos) + (r + MAX_DELAY_NANOS - 1) / tickNanos + 1;
    }

    private void expire(Timeout t) {
        if (!t.claim(Timeout.EXPIRED)) {
            return;                                               // cancelled: dropped here
        }
        pending.add(0, -1);
        expired++;
        Runnable task = t.task();
        try {
            if (executor == null) {
                task.run();
            } else {
                executor.execute(task);
            }
        } catch (Throwable e) {
            report(e);
        }
    }

    private static void report(Throwable e) {
        Thread me = Thread.currentThread();
        try {
            me.getUncaughtExceptionHandler().uncaughtException(me, e);
        } catch (Throwable ignored) {
            // the handler itself failed: nothing more to do without killing the worker
        }
    }

    /**
     * After STOPPED or DEAD: claims every timeout left (stranded, in the queue, in the wheel). Worker (or
     * stop() in manual mode).
     */
    private Set<Timeout> shutdown() {
        Set<Timeout> out = Collections.newSetFromMap(new IdentityHashMap<>());
        Timeout t = stranded;
        stranded = null;
        if (t != null) {
            takeBack(t, out);
        }
        while ((t = queue.poll()) != null) {
            takeBack(t, out);
        }
        wheel.clear(x -> takeBack(x, out));         // cancelled nodes among them: their claim fails
        return Collections.unmodifiableSet(out);
    }

    private void takeBack(Timeout t, Set<Timeout> out) {
        if (t.claim(Timeout.CANCELLED)) {
            pending.add(0, -1);
            out.add(t);
        }
    }
}
