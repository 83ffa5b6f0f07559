/**
 * jcstress tests of {@code dev.netkit.reactor}'s {@code WakeupGate} with three actors: three producers
 * racing to wake one sleeping loop (one wake action, one winner), and two producers publishing work and
 * calling {@code wakeIfSleeping} while a third actor plays the loop going to sleep (no lost wakeup). They
 * need at least four CPUs; see {@code dev.netkit.stressmany}.
 */
package dev.netkit.stressmany.reactor;
