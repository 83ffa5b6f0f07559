/**
 * Timers for event loops and servers with many connections.
 *
 * <p>Main classes: {@link dev.netkit.timingwheel.TimingWheel}, a hierarchical timing wheel owned by one
 * thread (O(1) schedule, cancel and touch, generation-checked {@code long} handles, 16 bytes per pending
 * timer, {@link dev.netkit.timingwheel.TimingWheel#nextDelayNanos(long)} for the select timeout);
 * {@link dev.netkit.timingwheel.WheelTimer}, a thread-safe timer service whose worker owns a wheel (the role
 * of Netty's {@code HashedWheelTimer}), handing out {@link dev.netkit.timingwheel.Timeout}s; and
 * {@link dev.netkit.timingwheel.IdleTimeouts}, idle timeouts by lazy re-arm (traffic records a time, the
 * timer checks it on expiry).
 *
 * <p><b>Thread safety.</b> {@code TimingWheel} and {@code IdleTimeouts} have no synchronization inside: one
 * owner thread (an event loop) calls them, except {@code IdleTimeouts.Entry.recordActivity}, which any
 * thread may call. {@code WheelTimer.newTimeout} and {@code Timeout.cancel} may be called from any thread
 * (lock-free: an MPSC queue offer and one CAS); exactly one of "the task runs", "{@code cancel()} returns
 * true" and "{@code stop()} returns it" happens. Time always comes from the caller (or the timer's clock) in
 * {@link System#nanoTime()} units, and a timer never fires before its deadline.
 *
 * <p>Example: an event loop that waits for I/O and for its next timer. {@code nextDelayNanos} is
 * {@code Long.MAX_VALUE} when nothing is pending and 0 when something is due; {@code Selector.select(0)}
 * waits forever, so neither may be divided into milliseconds as they are.
 * <pre>{@code
 * import dev.netkit.timingwheel.TimingWheel;
 * import java.nio.channels.Selector;
 *
 * try (Selector selector = Selector.open()) {
 *     TimingWheel<String> timers = new TimingWheel<>(System.nanoTime(), 1_000_000);   // 1 ms tick
 *     timers.schedule(System.nanoTime() + 5_000_000, "five ms");
 *     while (!timers.isEmpty()) {
 *         long delay = timers.nextDelayNanos(System.nanoTime());
 *         if (delay == 0) {
 *             selector.selectNow();                        // a timer is due
 *         } else if (delay == Long.MAX_VALUE) {
 *             selector.select();                           // no timer: wait for I/O alone
 *         } else {
 *             selector.select(Math.ceilDiv(delay, 1_000_000));   // at least 1 ms, never 0
 *         }
 *         timers.poll(System.nanoTime(), (handle, name) -> System.out.println(name + " expired"), 1024);
 *     }
 * }
 * }</pre>
 */
package dev.netkit.timingwheel;
