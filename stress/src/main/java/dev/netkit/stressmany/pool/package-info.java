/**
 * jcstress tests of {@code dev.netkit.pool} with three actors: three threads releasing the same object at
 * once, on the adopt path (a homeless object pushed onto the releasing thread's own cache) and on the
 * shared-slots path ({@code sharedOnly()}). They need at least four CPUs; see {@code dev.netkit.stressmany}.
 */
package dev.netkit.stressmany.pool;
