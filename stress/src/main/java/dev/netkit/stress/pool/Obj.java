package dev.netkit.stress.pool;

import dev.netkit.pool.Pooled;

/** The pooled object of the pool tests: two plain payload fields, never cleared by the pool. */
public final class Obj extends Pooled {
    int x;
    int y;
}
