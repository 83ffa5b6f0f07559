/**
 * jcstress tests of {@code dev.netkit.padding} with four actors: {@code PaddedAtomicLong.getAndAdd} from
 * four threads at once, and four {@code StripedCounter} stripe owners counting side by side. They need at
 * least four CPUs; see {@code dev.netkit.stressmany}.
 */
package dev.netkit.stressmany.padding;
