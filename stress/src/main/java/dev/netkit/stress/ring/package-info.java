/**
 * jcstress tests for {@code dev.netkit.ring}: every racing pair the issue lists, at capacities of 8 to 64
 * bytes so that the wrap point and full rings are actually met.
 *
 * <p>SPSC ({@code SpscByteRing}, producer actor vs consumer actor): publication of a contiguous and of a
 * wrapping write (0 bytes or all of them, never stale ones), no torn int/long length prefix across the wrap,
 * no overwrite before discard, order across the wrap, readable + writable = capacity. Batches
 * ({@code claim}, {@code put*}, one {@code commit}): a commit of two messages, written through the claim's
 * views across the wrap and with putInt, against peek and discard (nothing or both, intact, in order, never
 * the uncommitted bytes after them); a claim and its writes against the consumer's discard (a claim covers
 * only discarded bytes).
 *
 * <p>MPSC ({@code MpscFrameRing}): disjoint claims (two producers), commit visibility of an int and a long,
 * an uncommitted frame is never delivered (nor anything behind it), an aborted frame is never delivered and
 * its space comes back, commit versus reclaim has exactly one winner, a full ring never overwrites unread
 * bytes, per-producer order (two producers, arbiter reads). No ring operation waits; the one "way out" of a
 * wait, a consumer polling behind a stalled producer, is covered by a Termination test.
 *
 * <p>Chunked MPSC ({@code MpscChunkedFrameQueue}, {@code Chunked*Test}, chunks of 64 bytes lent by
 * {@code ChunkLedger}, a provider that lends the lowest free slice first, gives each a lease word, and flags
 * a double or foreign release and, as a zeroed provider, a chunk given back dirty): two claims across a
 * chunk boundary; two producers installing the first chunk (one installed, a chunk borrowed in vain goes
 * back); a commit into a new chunk (the one parked in its slot a lap earlier) against the consumer parking
 * the previous one; a frame claimed into chunk k + slots, reusing the slot of chunk k, while the consumer
 * releases chunk k ({@code ChunkedSlotReuseTest}: the head must be published after the slot is emptied); a
 * late producer against reclaim, trim and the reuse of its chunk; a reclaimed record keeping its chunk
 * installed; trim of an empty queue against a producer's claim; the byte budget against two producers.
 *
 * <p>Every test has at most two actors (plus an arbiter). Outcomes not listed as acceptable are forbidden.
 */
package dev.netkit.stress.ring;
