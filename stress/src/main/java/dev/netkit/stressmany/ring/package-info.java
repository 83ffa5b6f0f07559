/**
 * jcstress tests of {@code dev.netkit.ring} with three actors: three producers claiming disjoint frames of
 * different lengths that fill an {@code MpscFrameRing} exactly, and three producers racing for a ring with
 * room for only two of their frames. They need at least four CPUs; see {@code dev.netkit.stressmany}.
 */
package dev.netkit.stressmany.ring;
