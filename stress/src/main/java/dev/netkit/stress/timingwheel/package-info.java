/**
 * jcstress tests for {@code dev.netkit.timingwheel}: the races that {@code WheelTimer}'s and
 * {@code IdleTimeouts}' contracts promise to survive. Cancel against expiry (the timeout still in the queue,
 * and already in the wheel), two cancels, publication of a task's fields, cancel against a cascade, a
 * cancellation against the timeout that follows in its place, activity against idle expiry, stop against newTimeout, and two Termination
 * tests of the worker's park and wake-up.
 *
 * <p>Most tests drive the timer in manual mode ({@code WheelTimer.manual} with a fake clock held in a plain
 * field of the test state): the actor that calls {@code advance()} plays the worker, deterministically, so
 * that each sample is cheap and the race is exactly the one named. The Termination tests use a real worker
 * thread (one timer shared by all samples, so each sample meets a parked worker).
 *
 * <p>Every test has at most two actors (plus an arbiter). Outcomes not listed as acceptable are forbidden.
 */
package dev.netkit.stress.timingwheel;
