/**
 * Cache-line-padded atomics and striped counters. {@link dev.netkit.padding.PaddedAtomicLong} and
 * {@link dev.netkit.padding.PaddedSequence} keep a hot {@code long} alone in 128 bytes;
 * {@link dev.netkit.padding.StripedCounter} spreads counting over padded cells. No dependencies.
 * {@code dev.netkit.padding.internal} holds the padding constants, hashes and VarHandle lookup shared by
 * netkit's own modules; it is exported to them alone. (The "module not found" lint is suppressed because those
 * modules are built after this one: naming them here is what {@code exports ... to} means.)
 */
@SuppressWarnings("module")
module dev.netkit.padding {
    exports dev.netkit.padding;
    exports dev.netkit.padding.internal to
            dev.netkit.ring, dev.netkit.connmatrix, dev.netkit.timingwheel, dev.netkit.pool, dev.netkit.reactor;
}
