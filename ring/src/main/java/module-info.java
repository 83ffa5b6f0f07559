/**
 * Zero-copy byte rings for network servers: {@link dev.netkit.ring.ByteRing} (one thread, one channel
 * call per {@code readFrom}/{@code writeTo}, vectored when the bytes wrap, optionally elastic through a
 * {@link dev.netkit.ring.BufferProvider}),
 * the wait-free {@link dev.netkit.ring.SpscByteRing} and the claim/commit {@link dev.netkit.ring.MpscFrameRing}.
 */
module dev.netkit.ring {
    requires dev.netkit.padding;
    exports dev.netkit.ring;
}
