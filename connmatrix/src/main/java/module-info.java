/**
 * The generational connection matrix: {@link dev.netkit.connmatrix.ConnMatrix} maps a {@code long} id to a
 * connection with wait-free O(1) lookup from any thread; removed and stale ids return null.
 */
module dev.netkit.connmatrix {
    requires dev.netkit.padding;
    exports dev.netkit.connmatrix;
}
