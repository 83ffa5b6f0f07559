/**
 * The generational connection matrix: {@link dev.netkit.connmatrix.ConnMatrix} maps a {@code long} id to a
 * connection with a wait-free O(1) lookup from any thread, and ids that carry a generation, so that a removed
 * id, or an old id whose slot now holds a newer connection, answers null instead of the wrong connection.
 *
 * <p><b>Thread safety.</b> One shard per event loop: {@code add} belongs to the shard's owner thread (no CAS);
 * {@code get} is wait-free from any thread and never throws, even for a garbage id from the network;
 * {@code remove} is lock-free from any thread with exactly one winner per id ({@code removeByOwner} is the
 * owner's cheaper form); {@code size}, {@code forEach} and {@code iterator} are weakly consistent from any
 * thread. A non-null {@code get} publishes the connection safely. Per-shard state is padded by the array-stride
 * rule of {@link dev.netkit.padding} (34 {@code int}s per shard: 2 fields and 128 bytes of pad).
 *
 * <p>Example:
 * <pre>{@code
 * import dev.netkit.connmatrix.ConnMatrix;
 *
 * ConnMatrix<String> conns = new ConnMatrix<>(4);        // one shard per event loop
 * long id = conns.add(0, "conn-a");                     // loop 0's thread only
 * String found = conns.get(id);                         // any thread: "conn-a"
 * int loop = ConnMatrix.shardOf(id);                    // route work to the owner: 0
 * conns.forEach((entryId, conn) -> System.out.println(entryId + " -> " + conn));
 * boolean removed = conns.remove(id);                   // any thread: true, once
 * String stale = conns.get(id);                         // null: the id is dead for good
 * }</pre>
 */
package dev.netkit.connmatrix;
