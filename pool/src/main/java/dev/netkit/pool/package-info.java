/**
 * Object and buffer pools that stay fast on any thread: {@link dev.netkit.pool.ObjectPool} recycles
 * objects that extend {@link dev.netkit.pool.Pooled} (configured with
 * {@link dev.netkit.pool.ObjectPoolBuilder}, counted in {@link dev.netkit.pool.ObjectPool.Stats}), and
 * {@link dev.netkit.pool.BufferPool} recycles direct or heap {@link java.nio.ByteBuffer}s in power-of-two
 * size classes under a byte budget. For objects and buffers allocated at a high rate (messages, frames,
 * per-request state); not for resources that need validation, expiry or a global count.
 *
 * <h2>Thread-safety conventions</h2>
 * <ul>
 *   <li><b>Any thread</b> may call every public method of the pools, platform or virtual; nothing blocks
 *       or waits. Each method's Javadoc says "any thread". A release happens-before the acquire that
 *       returns the same object or buffer.</li>
 *   <li><b>The owner thread</b> of an object is the thread whose cache handed it out. Its own release is a
 *       plain array push and its acquire a plain pop: no CAS, no allocation. Another thread's release goes
 *       to the owner's bounded inbox, lock-free; the owner drains it when its stack runs dry.</li>
 *   <li><b>Virtual threads</b> share striped, padded slots by default (one CAS per acquire, two per
 *       release), so a million of them do not mean a million caches;
 *       {@link dev.netkit.pool.ObjectPoolBuilder#virtualThreadCaches()} gives each one a cache of its own
 *       instead, for a few long-lived virtual threads.</li>
 *   <li>An object is released at most once per acquire, by one thread, which must not touch it afterwards;
 *       a second release throws {@link java.lang.IllegalStateException}. Builders are not thread-safe:
 *       configure on one thread, then build.</li>
 * </ul>
 * Null arguments throw {@link java.lang.NullPointerException} naming the parameter; other bad values
 * throw {@link java.lang.IllegalArgumentException} naming the value and the bound.
 *
 * <h2>Example</h2>
 * <pre>{@code
 * import dev.netkit.pool.ObjectPool;
 * import dev.netkit.pool.Pooled;
 *
 * class Frames {
 *     static final class Frame extends Pooled {
 *         final byte[] data = new byte[1024];
 *         int length;
 *     }
 *
 *     final ObjectPool<Frame> pool = ObjectPool.builder(Frame::new).reset(f -> f.length = 0).build();
 *
 *     void handle() {
 *         Frame f = pool.acquire();       // any thread; creates one when the pool is empty
 *         f.length = 42;
 *         pool.release(f);                // any thread, once per acquire
 *     }
 * }
 * }</pre>
 */
package dev.netkit.pool;
