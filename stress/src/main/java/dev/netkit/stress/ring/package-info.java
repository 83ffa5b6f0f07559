/**
 * jcstress tests for {@code dev.netkit.ring}: every racing pair the issue lists, at capacities of 8 to 64
 * bytes so that the wrap point and full rings are actually met.
 *
 * <p>SPSC ({@code SpscByteRing}, producer actor vs consumer actor): publication of a contiguous and of a
 * wrapping write (0 bytes or all of them, never stale ones), no torn int/long length prefix across the wrap,
 * no overwrite before discard, order across the wrap, readable + writable = capacity.
 *
 * <p>MPSC ({@code MpscFrameRing}): disjoint claims (two producers), commit visibility of an int and a long,
 * an uncommitted frame is never delivered (nor anything behind it), an aborted frame is never delivered and
 * its space comes back, commit versus reclaim has exactly one winner, a full ring never overwrites unread
 * bytes, per-producer order (two producers, arbiter reads). No ring operation waits; the one "way out" of a
 * wait, a consumer polling behind a stalled producer, is covered by a Termination test.
 *
 * <p>Every test has at most two actors (plus an arbiter). Outcomes not listed as acceptable are forbidden.
 */
package dev.netkit.stress.ring;
