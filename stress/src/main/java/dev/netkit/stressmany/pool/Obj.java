package dev.netkit.stressmany.pool;

import dev.netkit.pool.Pooled;

/** The pooled object of these tests: no payload, only the pool's state word and home. */
public final class Obj extends Pooled {
}
