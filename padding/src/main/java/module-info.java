/**
 * Cache-line-padded atomics and striped counters. {@link dev.netkit.padding.PaddedAtomicLong} and
 * {@link dev.netkit.padding.PaddedSequence} keep a hot {@code long} alone in 128 bytes;
 * {@link dev.netkit.padding.StripedCounter} spreads counting over padded cells. No dependencies.
 */
module dev.netkit.padding {
    exports dev.netkit.padding;
}
