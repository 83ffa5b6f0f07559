/**
 * Pools: {@link dev.netkit.pool.ObjectPool} recycles objects with a CAS-free owner fast path, lock-free
 * cross-thread return and striped shared slots for virtual threads; {@link dev.netkit.pool.BufferPool}
 * recycles direct or heap {@link java.nio.ByteBuffer}s in power-of-two size classes under a byte budget.
 */
module dev.netkit.pool {
    requires dev.netkit.padding;
    requires org.jctools.core;
    exports dev.netkit.pool;
}
