/**
 * jcstress tests of {@code dev.netkit.timingwheel} with three actors, on manual-mode timers
 * ({@code WheelTimer.manual} with a fake clock): three threads cancelling one pending timeout, and two
 * cancellers racing the driver's expiry of a due timeout already in the wheel. They need at least four
 * CPUs; see {@code dev.netkit.stressmany}.
 */
package dev.netkit.stressmany.timingwheel;
