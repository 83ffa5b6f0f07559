/**
 * Zero-copy byte rings for network servers: {@link dev.netkit.ring.ByteRing} (one thread, one
 * {@code readv}/{@code writev} per call, optionally elastic through a {@link dev.netkit.ring.BufferProvider}),
 * the wait-free {@link dev.netkit.ring.SpscByteRing} and the claim/commit {@link dev.netkit.ring.MpscFrameRing}.
 */
module dev.netkit.ring {
    requires dev.netkit.padding;
    exports dev.netkit.ring;
}
