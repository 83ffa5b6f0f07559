/**
 * Cache-line-padded atomics and striped counters: a hot {@code long} alone in its own 128 bytes, and counters
 * with one padded cell per writer, so that threads writing different variables never write the same cache line
 * (false sharing).
 *
 * <p>Main classes: {@link dev.netkit.padding.PaddedAtomicLong} (an {@code AtomicLong}, padded; any thread),
 * {@link dev.netkit.padding.PaddedSequence} (one writer publishes a position with a release store, any thread
 * reads it) and {@link dev.netkit.padding.StripedCounter} (owned single-writer stripes, plus shared cells for
 * any thread).
 *
 * <p><b>Thread safety.</b> Each class says which thread may call which method. {@code PaddedAtomicLong} may be
 * used from any thread; {@code PaddedSequence}'s writing methods and {@code StripedCounter}'s per-stripe
 * methods belong to one writer thread each; every reading method may be called from any thread. Every method
 * names its memory-ordering effect in {@link java.lang.invoke.VarHandle} terms (plain, opaque,
 * release/acquire, volatile). Nothing here blocks or takes a lock, and no hot path allocates.
 *
 * <h2>The padding rule</h2>
 *
 * <p>This is the one statement of how netkit pads; every padded class in netkit's modules follows it, and the
 * constants of {@code dev.netkit.padding.internal.Layout} are its numbers.
 *
 * <ol>
 *   <li><b>Why 128 bytes.</b> Two independently written fields are kept at least 128 bytes apart: two 64-byte
 *       cache lines, because the adjacent-line prefetcher of x86 cores pulls lines in 128-byte-aligned pairs,
 *       so two fields in one pair still contend.</li>
 *   <li><b>How HotSpot lays out fields</b> (JDK 15 and later, JDK-8237767):
 *     <ul>
 *       <li>a superclass's fields are laid out before its subclass's fields;</li>
 *       <li>within one class the JVM orders fields freely (largest first), not in declaration order, so pad
 *           fields declared around a hot field in one class protect nothing;</li>
 *       <li>a subclass's small fields may fill an alignment gap at the end of a superclass's block: when a
 *           block of 1-byte pads ends at an offset that is not a multiple of 8, the next class's {@code long}
 *           starts at the next multiple of 8, and up to 7 bytes of a <em>later</em> subclass's fields are
 *           moved back into that gap.</li>
 *     </ul></li>
 *   <li><b>So pad by class hierarchy.</b> Each pad and each group of hot fields is its own class, each
 *       extending the one before: {@code header | pad | hot | pad | ...}. Pads are {@code byte} fields, so they
 *       themselves leave no gap that a writable field could be moved into.</li>
 *   <li><b>Size a pad for the gap: 128 or 136.</b> Because of the gap rule, a pad that follows a hot group can
 *       lose up to 7 of its bytes to the gap before that group. Whether that matters depends on what comes
 *       after the pad:
 *     <ul>
 *       <li>a pad that <em>starts</em> the object's fields needs 128 bytes: nothing can move in front of it;</li>
 *       <li>a pad that <em>ends</em> the object (no subclass declares a field after it) needs 128 bytes: the
 *           object's size is a multiple of 8, so the lost bytes come back as the object's unwritten end
 *           alignment;</li>
 *       <li>a pad that is <em>followed by fields</em> (another hot group, or the final class's own fields)
 *           needs 128 + 8 = 136 bytes: a field right after it can land only 128 - g bytes from the hot group,
 *           where g (up to 7) is what the gap took.</li>
 *     </ul>
 *       {@code PaddedAtomicLong} and {@code PaddedSequence} are the first two cases (left pad 128, right pad
 *       128, and the final classes declare no field); the ring module's pads between the producer's and the
 *       consumer's fields, and before the ring's final fields, are the third (136). Measured with JOL by
 *       {@code PaddingLayoutTest} on the build's JVM: with compressed class pointers (12-byte header) the value
 *       sits at offset 144 and the gap g is 4 bytes (a field declared after the right pad would sit 124 bytes
 *       after the value); with compact object headers (8-byte header) the value sits at 136, g is 0, and the
 *       same field would sit 128 bytes after it.</li>
 *   <li><b>Arrays use a stride.</b> Array elements are never reordered, so a padded array needs no ladder
 *       and no extra 8 bytes: live elements sit one stride apart with the padding distance of never-written
 *       elements between them, and one stride of padding before the first and after the last, which also keeps
 *       the array header out of the first cell's lines. {@code StripedCounter} uses a stride of 17
 *       {@code long}s (1 cell + 16 pad longs = 128 bytes); the connection matrix uses 34 {@code int}s per shard
 *       (2 fields + 32 pad ints).</li>
 * </ol>
 *
 * <p>Example:
 * <pre>{@code
 * import dev.netkit.padding.PaddedAtomicLong;
 * import dev.netkit.padding.PaddedSequence;
 * import dev.netkit.padding.StripedCounter;
 *
 * PaddedAtomicLong requests = new PaddedAtomicLong();   // any thread
 * requests.incrementAndGet();
 * PaddedSequence tail = new PaddedSequence();           // one writer thread
 * long published = tail.advance();                      // plain read + release store
 * StripedCounter bytesIn = new StripedCounter(4);       // one stripe per event loop
 * bytesIn.add(0, 1500);                                 // loop 0's thread only: no CAS
 * bytesIn.increment();                                  // any thread: a shared cell
 * long total = bytesIn.sum();                           // 1501, at rest
 * }</pre>
 */
package dev.netkit.padding;
