/**
 * For netkit's modules only: the padding constants, hashes and VarHandle lookup that netkit's own lock-free
 * classes share. The package is exported only to netkit's library modules ({@code exports ... to} in
 * {@code dev.netkit.padding}'s module descriptor); it is not a supported API and may change in any release.
 *
 * <p>Main classes: {@link dev.netkit.padding.internal.Layout} (the padding distances: 128 bytes, as longs,
 * ints and references; the rule behind them is in {@link dev.netkit.padding}'s package documentation),
 * {@link dev.netkit.padding.internal.Hashing} (the hash that spreads threads over stripes) and
 * {@link dev.netkit.padding.internal.Handles} (a field's VarHandle without a try/catch in every static
 * initializer).
 *
 * <p><b>Thread safety.</b> Stateless: constants and pure static methods, callable from any thread.
 *
 * <p>Example: a padded per-shard {@code int[]}, two fields per shard, and a field handle.
 * <pre>{@code
 * import dev.netkit.padding.internal.Handles;
 * import dev.netkit.padding.internal.Hashing;
 * import dev.netkit.padding.internal.Layout;
 * import java.lang.invoke.MethodHandles;
 * import java.lang.invoke.VarHandle;
 *
 * class Shards {
 *     static final int STRIDE = 2 + Layout.PAD_INTS;            // 2 fields, then 128 bytes of pad
 *     static final VarHandle STATE = Handles.field(MethodHandles.lookup(), Shards.class, "state", int.class);
 *     final int[] perShard = new int[(4 + 2) * STRIDE];         // shard s at (s + 1) * STRIDE
 *     volatile int state;
 *
 *     int shardOf(long threadId) {
 *         return Hashing.mix(threadId) & 3;
 *     }
 * }
 * }</pre>
 */
package dev.netkit.padding.internal;
