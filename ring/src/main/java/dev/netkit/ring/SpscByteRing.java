package dev.netkit.ring;

import dev.netkit.padding.internal.Handles;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ScatteringByteChannel;
import java.util.Objects;

/**
 * A wait-free byte ring between one producer thread and one consumer thread, with the peek/discard
 * contract of {@link ByteRing}: the producer copies bytes in ({@link #offer(ByteBuffer)} all or nothing,
 * {@link #write(ByteBuffer)} as many as fit) or reads them straight from a channel
 * ({@link #readFrom(ScatteringByteChannel)}, one {@code readv}, or {@code read} when the free space does
 * not wrap); the consumer sees them as views ({@link #peek(int)}), frees them ({@link #discard(int)}),
 * copies them out ({@link #read(byte[], int, int)}) or writes them to a channel
 * ({@link #writeTo(GatheringByteChannel)}, one {@code writev}, or {@code write}). Every operation finishes in a bounded number of steps, whatever the other thread does; none waits.
 *
 * <p><b>Threads.</b> Methods are marked <em>producer</em> (one thread at a time), <em>consumer</em> (one
 * thread at a time) or <em>any thread</em>. The producer and the consumer may be the same thread. A role
 * may move to another thread only through a happens-before edge.
 *
 * <p><b>Publication.</b> Bytes the producer wrote before a call returned are visible to the consumer as
 * soon as it sees them readable; the producer never overwrites bytes before the consumer has discarded
 * them. {@link #getInt(int)}/{@link #getLong(int)} read big-endian values across the wrap point.
 *
 * <p><b>Batches.</b> Each {@code offer}/{@code write} publishes once. To publish many messages at once the
 * producer writes them into the free space without publishing, then commits them all with one release
 * store: {@link #claim(int)} returns views over up to {@code n} free bytes (one, or two when they wrap) to
 * write in place; {@link #putInt(int, int)}, {@link #putLong(int, long)}, {@link #put(int, byte[], int, int)}
 * and {@link #put(int, ByteBuffer)} write at an offset from the first free byte, across the wrap point; and
 * {@link #commit(int)} makes the first {@code n} free bytes readable, in one step. Until the commit the
 * consumer sees none of them. The consumer's batch side is {@link #peek(int)} of many messages and one
 * {@link #discard(int)} (or one {@link #read(byte[], int, int)}): head moves once per call.
 * <pre>{@code
 * Segments free = ring.claim(64 * 64);                       // producer: up to 64 messages of 64 B
 * int k = free.remaining() / 64;
 * for (int i = 0; i < k; i++) { ring.put(i * 64, msg, 0, 64); }   // or putInt/putLong, or the views
 * ring.commit(k * 64);                                       // one publish for the k messages
 * }</pre>
 *
 * <p>The ring's memory is a direct buffer ({@link #direct(int)}) or a heap buffer ({@link #heap(int)}).
 * Views returned by {@link #peek(int)} are valid until the consumer's next mutating call; views returned by
 * {@link #claim(int)} until the producer's next mutating call (not counting the {@code put} methods).
 */
public final class SpscByteRing extends SpscPad2 {
    /*
     * Implementation notes.
     *
     * tail (producer) and head (consumer) are long byte counters that only grow; readable = tail - head is
     * in [0, capacity]; byte counter c lives at index c & mask. Each sits with its owner's cache of the
     * other index on its own padded region (the ladder at the end of this file): the producer writes tail and
     * headCache, the consumer writes head and tailCache; neither ever writes the other's line.
     *
     * Producer: copies bytes into [tail, tail + n) with plain bulk puts, then TAIL.setRelease(tail + n).
     * Consumer: TAIL.getAcquire() -> reads the bytes: the release/acquire pair on tail publishes them.
     * Consumer: reads (or a channel reads) bytes, then HEAD.setRelease(head + n). Producer: HEAD.getAcquire()
     * -> overwrites those bytes: the pair on head orders the consumer's reads before the producer's
     * overwrites (no overwrite before discard).
     *
     * Caches: the producer computes free space from headCache and re-reads head (getAcquire) only when the
     * cache says there is less room than it wants; the consumer does the same with tailCache. A stale cache
     * only underestimates (head and tail never move backwards), so it is safe. Each side's own index is read
     * plainly: it is the only writer.
     *
     * Batches (claim, putInt/putLong/put at an offset, commit): the producer writes plainly into free bytes
     * [tail, head + capacity) -- checked against headCache, re-reading head (acquire) only when the cache
     * says there is too little room, so the pair on head orders the consumer's reads of those bytes before
     * these writes, as for offer -- and does not move tail. commit(n) is the only publication: one
     * TAIL.setRelease(tail + n) after all of the batch's writes, paired with the consumer's TAIL.getAcquire;
     * so the consumer sees no byte of a batch before its commit, and all of the first n after it. Bytes
     * written past the committed n stay unpublished (free space the next claim may rewrite). None of these
     * writes a consumer field; claim's views are the producer's own Segments over producerIo (the buffers
     * readFrom uses, so readFrom, like claim and commit, ends a claim's views).
     *
     * Views: the producer (readFrom, claim) and the consumer (peek, writeTo) each own two duplicates of the
     * backing buffer and a ByteBuffer[2]; the absolute bulk get/put used for copies touch no position.
     */
    private static final VarHandle TAIL = Handles.field(MethodHandles.lookup(), SpscProducerFields.class, "tail", long.class);
    private static final VarHandle HEAD = Handles.field(MethodHandles.lookup(), SpscConsumerFields.class, "head", long.class);

    private final int capacity;
    private final int mask;
    private final ByteBuffer buffer;
    private final ByteBuffer[] producerIo;
    private final ByteBuffer[] consumerIo;
    private final Segments segments;
    private final Segments claimed;

    private SpscByteRing(int capacity, boolean direct) {
        this.capacity = Rings.checkCapacity(capacity, 1);
        this.mask = capacity - 1;
        this.buffer = (direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity))
                .order(ByteOrder.BIG_ENDIAN);
        this.producerIo = new ByteBuffer[] {buffer.duplicate(), buffer.duplicate()};
        this.consumerIo = new ByteBuffer[] {buffer.duplicate(), buffer.duplicate()};
        this.segments = new Segments(consumerIo);
        this.claimed = new Segments(producerIo);
    }

    /**
     * Creates a ring over direct memory (what channel I/O wants).
     *
     * @param capacity a power of two in [1, 2^30]
     * @return the ring; publish it safely to the two threads
     * @throws IllegalArgumentException if capacity is not a power of two in that range
     */
    public static SpscByteRing direct(int capacity) {
        return new SpscByteRing(capacity, true);
    }

    /**
     * Creates a ring over heap memory.
     *
     * @param capacity a power of two in [1, 2^30]
     * @return the ring; publish it safely to the two threads
     * @throws IllegalArgumentException if capacity is not a power of two in that range
     */
    public static SpscByteRing heap(int capacity) {
        return new SpscByteRing(capacity, false);
    }

    /** {@return the capacity in bytes; any thread} */
    public int capacity() {
        return capacity;
    }

    // ------------------------------------------------------------------ producer

    /** Free bytes, from the cache, refreshing it only if fewer than {@code wanted} look free. */
    private int free(long t, int wanted) {
        int free = capacity - (int) (t - headCache);
        if (free < wanted) {
            headCache = (long) HEAD.getAcquire(this);
            free = capacity - (int) (t - headCache);
        }
        return free;
    }

    private void put(long t, ByteBuffer src, int n) {
        int p = src.position();
        Rings.put(buffer, (int) (t & mask), capacity, src, p, n);
        src.position(p + n);
    }

    private void put(long t, byte[] src, int off, int n) {
        Rings.put(buffer, (int) (t & mask), capacity, src, off, n);
    }

    /**
     * Copies all of {@code src}'s remaining bytes if they fit, else none; producer.
     *
     * @param src the bytes, at most {@link #capacity()}; its position advances past them on success
     * @return true if they went in, false if they do not fit now
     * @throws IllegalArgumentException if more bytes remain than the capacity (they could never fit)
     */
    public boolean offer(ByteBuffer src) {
        Objects.requireNonNull(src, "src");
        int n = src.remaining();
        checkOfferLength(n);
        long t = tail;
        if (free(t, n) < n) {
            return false;
        }
        put(t, src, n);
        TAIL.setRelease(this, t + n);
        return true;
    }

    /**
     * Copies {@code src[off, off + len)} if it fits, else nothing; producer.
     *
     * @param src the array
     * @param off the first byte
     * @param len how many bytes, at most {@link #capacity()}
     * @return true if they went in, false if they do not fit now
     * @throws IllegalArgumentException if the length is negative or more than the capacity (it could never fit)
     * @throws IndexOutOfBoundsException if the range is outside the array
     */
    public boolean offer(byte[] src, int off, int len) {
        Rings.checkRange(src, "src", off, len);
        checkOfferLength(len);
        long t = tail;
        if (free(t, len) < len) {
            return false;
        }
        put(t, src, off, len);
        TAIL.setRelease(this, t + len);
        return true;
    }

    private void checkOfferLength(int n) {
        if (n > capacity) {
            throw new IllegalArgumentException("offer of " + n + " bytes exceeds the capacity " + capacity
                    + ": it could never fit (write() takes what fits)");
        }
    }

    /**
     * Copies as many of {@code src}'s remaining bytes as fit; producer.
     *
     * @param src the bytes; its position advances by the count
     * @return how many bytes went in
     */
    public int write(ByteBuffer src) {
        Objects.requireNonNull(src, "src");
        long t = tail;
        int n = Math.min(src.remaining(), free(t, src.remaining()));
        if (n == 0) {
            return 0;
        }
        put(t, src, n);
        TAIL.setRelease(this, t + n);
        return n;
    }

    /**
     * Copies as many bytes of {@code src[off, off + len)} as fit; producer.
     *
     * @param src the array
     * @param off the first byte
     * @param len how many bytes to offer
     * @return how many bytes went in
     * @throws IllegalArgumentException if the length is negative
     * @throws IndexOutOfBoundsException if the range is outside the array
     */
    public int write(byte[] src, int off, int len) {
        Rings.checkRange(src, "src", off, len);
        long t = tail;
        int n = Math.min(len, free(t, len));
        if (n == 0) {
            return 0;
        }
        put(t, src, off, n);
        TAIL.setRelease(this, t + n);
        return n;
    }

    /**
     * Reads from {@code channel} into the free space with one call (a scattering read when it wraps, a
     * plain read when it is contiguous); producer. When the ring is full the channel is not called and 0 is
     * returned.
     *
     * @param channel the source
     * @return what the channel's read returned: the byte count, 0, or -1 at end of stream
     * @throws IOException from the channel
     */
    public long readFrom(ScatteringByteChannel channel) throws IOException {
        Objects.requireNonNull(channel, "channel");
        long t = tail;
        int free = free(t, capacity);
        if (free == 0) {
            return 0;
        }
        int count = Rings.setViews(producerIo, (int) (t & mask), free, capacity);
        long n = count == 1 ? channel.read(producerIo[0]) : channel.read(producerIo, 0, count);
        if (n > 0) {
            TAIL.setRelease(this, t + n);
        }
        return n;
    }

    // ------------------------------------------------------------------ producer batches

    /**
     * Returns up to {@code n} free bytes as one or two writable views (two when they wrap), without copying,
     * allocating or publishing anything; producer. Write the batch into the views (relative or absolute
     * puts; their positions are the producer's to move), or with the {@code put} methods at offsets from the
     * first free byte, then publish the first {@code k} bytes with one {@link #commit(int)}. The views are
     * valid until the producer's next {@code claim}, {@code commit}, {@code offer}, {@code write} or
     * {@code readFrom}. A claim reserves nothing: the free bytes are the producer's anyway, and a claim not
     * committed is simply forgotten.
     *
     * @param n the most bytes wanted; not negative
     * @return the producer's reused view of {@code min(n, writable)} free bytes, starting at the first
     * @throws IllegalArgumentException if n is negative
     */
    public Segments claim(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, was " + n);
        }
        long t = tail;
        return claimed.fill((int) (t & mask), Math.min(n, free(t, n)), capacity);
    }

    /**
     * Writes a big-endian int into the free space, {@code offset} bytes after the first free byte, across the
     * wrap point if needed; producer. Nothing is published until {@link #commit(int)}.
     *
     * @param offset from the first free byte; {@code offset + 4} bytes must be free
     * @param value the int
     * @throws IllegalArgumentException if fewer bytes are free
     */
    public void putInt(int offset, int value) {
        int index = checkFree(offset, 4);
        if (index + 4 <= capacity) {
            buffer.putInt(index, value);
        } else {
            for (int i = 0; i < 4; i++) {
                buffer.put((index + i) & mask, (byte) (value >>> (24 - 8 * i)));
            }
        }
    }

    /**
     * Writes a big-endian long into the free space, {@code offset} bytes after the first free byte, across the
     * wrap point if needed; producer. Nothing is published until {@link #commit(int)}.
     *
     * @param offset from the first free byte; {@code offset + 8} bytes must be free
     * @param value the long
     * @throws IllegalArgumentException if fewer bytes are free
     */
    public void putLong(int offset, long value) {
        int index = checkFree(offset, 8);
        if (index + 8 <= capacity) {
            buffer.putLong(index, value);
        } else {
            for (int i = 0; i < 8; i++) {
                buffer.put((index + i) & mask, (byte) (value >>> (56 - 8 * i)));
            }
        }
    }

    /**
     * Copies {@code src[off, off + len)} into the free space, {@code offset} bytes after the first free byte,
     * across the wrap point if needed; producer. Nothing is published until {@link #commit(int)}.
     *
     * @param offset from the first free byte; {@code offset + len} bytes must be free
     * @param src the array
     * @param off the first byte
     * @param len how many bytes
     * @throws IllegalArgumentException if the length is negative or fewer bytes are free
     * @throws IndexOutOfBoundsException if the range is outside the array
     */
    public void put(int offset, byte[] src, int off, int len) {
        Rings.checkRange(src, "src", off, len);
        checkFree(offset, len);
        put(tail + offset, src, off, len);
    }

    /**
     * Copies all of {@code src}'s remaining bytes into the free space, {@code offset} bytes after the first
     * free byte, across the wrap point if needed; producer. Its position advances past them. Nothing is
     * published until {@link #commit(int)}.
     *
     * @param offset from the first free byte; {@code offset + src.remaining()} bytes must be free
     * @param src the bytes
     * @throws IllegalArgumentException if fewer bytes are free (src is then left as it was)
     */
    public void put(int offset, ByteBuffer src) {
        Objects.requireNonNull(src, "src");
        int n = src.remaining();
        checkFree(offset, n);
        put(tail + offset, src, n);
    }

    /** The ring index of free byte {@code offset}, after checking that {@code [offset, offset + size)} is free. */
    private int checkFree(int offset, int size) {
        long t = tail;
        long end = (long) offset + size;
        int free = offset < 0 || end > capacity ? 0 : free(t, (int) end);
        if (offset < 0 || end > free) {
            throw new IllegalArgumentException("offset " + offset + " + " + size + " bytes outside writable = "
                    + free);
        }
        return (int) ((t + offset) & mask);
    }

    /**
     * Publishes the first {@code n} free bytes, as the producer wrote them (through {@link #claim(int)}'s views
     * or the {@code put} methods), with one release store: the consumer sees none of them before and all of
     * them after; producer. Bytes past {@code n} stay free and unpublished.
     *
     * @param n how many; in [0, writable]
     * @throws IllegalArgumentException if n is negative or more than is free
     */
    public void commit(int n) {
        long t = tail;
        int free = n < 0 ? 0 : free(t, n);
        if (n < 0 || n > free) {
            throw new IllegalArgumentException("commit " + n + " outside [0, writable = " + free + "]");
        }
        if (n != 0) {
            TAIL.setRelease(this, t + n);       // no store for nothing: the consumer may be reading tail's line
        }
    }

    /**
     * Free bytes: exact from the producer (it re-reads head); from another thread a snapshot in
     * [0, capacity] that may be out of date by the time it returns. Any thread.
     *
     * @return the number of bytes the producer could write now
     */
    public int writable() {
        long h = (long) HEAD.getAcquire(this);
        long t = (long) TAIL.getAcquire(this);
        return capacity - clamp(t - h);
    }

    // ------------------------------------------------------------------ consumer

    /** Readable bytes, from the cache, refreshing it only if fewer than {@code wanted} look readable. */
    private int available(long h, int wanted) {
        int avail = (int) (tailCache - h);
        if (avail < wanted) {
            tailCache = (long) TAIL.getAcquire(this);
            avail = (int) (tailCache - h);
        }
        return avail;
    }

    /**
     * Readable bytes: exact from the consumer (it re-reads tail); from another thread a snapshot in
     * [0, capacity] that may be out of date by the time it returns. Any thread.
     *
     * @return the number of bytes the consumer could read now
     */
    public int readable() {
        long t = (long) TAIL.getAcquire(this);
        long h = (long) HEAD.getAcquire(this);
        return clamp(t - h);
    }

    private int clamp(long n) {
        return (int) Math.max(0, Math.min(capacity, n));
    }

    /**
     * Returns up to {@code n} readable bytes as one or two views, without copying or allocating; consumer.
     * The view is valid until the consumer's next mutating call ({@code peek}, {@code discard},
     * {@code read}, {@code writeTo}).
     *
     * @param n the most bytes wanted; not negative
     * @return the consumer's reused view of {@code min(n, readable)} bytes
     * @throws IllegalArgumentException if n is negative
     */
    public Segments peek(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, was " + n);
        }
        long h = head;
        return segments.fill((int) (h & mask), Math.min(n, available(h, n)), capacity);
    }

    /**
     * Frees the first {@code n} readable bytes for the producer; consumer.
     *
     * @param n how many; in [0, readable]
     * @throws IllegalArgumentException if n is negative or more than is readable
     */
    public void discard(int n) {
        long h = head;
        int avail = available(h, n);
        if (n < 0 || n > avail) {
            throw new IllegalArgumentException("discard " + n + " outside [0, readable = " + avail + "]");
        }
        if (n != 0) {
            HEAD.setRelease(this, h + n);       // no store for nothing: the producer may be reading head's line
        }
    }

    /**
     * Copies up to {@code len} readable bytes into {@code dst} and discards them; consumer.
     *
     * @param dst the array
     * @param off where the first byte goes
     * @param len the most bytes wanted
     * @return how many bytes were read
     * @throws IllegalArgumentException if the length is negative
     * @throws IndexOutOfBoundsException if the range is outside the array
     */
    public int read(byte[] dst, int off, int len) {
        Rings.checkRange(dst, "dst", off, len);
        long h = head;
        int n = Math.min(len, available(h, len));
        if (n == 0) {
            return 0;
        }
        Rings.get(buffer, (int) (h & mask), capacity, dst, off, n);
        HEAD.setRelease(this, h + n);
        return n;
    }

    /**
     * Reads a big-endian int {@code offset} bytes after the first readable byte, across the wrap point if
     * needed; consumer. Nothing is discarded.
     *
     * @param offset from the first readable byte; {@code offset + 4} bytes must be readable
     * @return the int
     * @throws IllegalArgumentException if fewer bytes are readable
     */
    public int getInt(int offset) {
        int index = checkOffset(offset, 4);
        return index + 4 <= capacity ? buffer.getInt(index) : Rings.getIntWrapped(buffer, index, mask);
    }

    /**
     * Reads a big-endian long {@code offset} bytes after the first readable byte, across the wrap point if
     * needed; consumer. Nothing is discarded.
     *
     * @param offset from the first readable byte; {@code offset + 8} bytes must be readable
     * @return the long
     * @throws IllegalArgumentException if fewer bytes are readable
     */
    public long getLong(int offset) {
        int index = checkOffset(offset, 8);
        return index + 8 <= capacity ? buffer.getLong(index) : Rings.getLongWrapped(buffer, index, mask);
    }

    private int checkOffset(int offset, int size) {
        long h = head;
        int avail = offset < 0 ? 0 : available(h, offset + size);
        if (offset < 0 || (long) offset + size > avail) {
            throw new IllegalArgumentException("offset " + offset + " + " + size + " bytes outside readable = "
                    + avail);
        }
        return (int) ((h + offset) & mask);
    }

    /**
     * Writes all readable bytes to {@code channel} with one call (a gathering write when they wrap, a plain
     * write when they are contiguous) and discards what went out; consumer. When nothing is readable the
     * channel is not called.
     *
     * @param channel the destination
     * @return the number of bytes written
     * @throws IOException from the channel
     */
    public long writeTo(GatheringByteChannel channel) throws IOException {
        Objects.requireNonNull(channel, "channel");
        long h = head;
        int n = available(h, capacity);
        if (n == 0) {
            return 0;
        }
        Segments s = segments.fill((int) (h & mask), n, capacity);
        long written = s.count == 1 ? channel.write(consumerIo[0]) : channel.write(consumerIo, 0, s.count);
        s.count = 0;
        if (written > 0) {
            HEAD.setRelease(this, h + written);
        }
        return written;
    }

    @Override
    public String toString() {
        return "SpscByteRing[capacity=" + capacity + ", readable=" + readable() + "]";
    }
}

/*
 * The field layout of SpscByteRing, padded by class hierarchy (the layout rule: see dev.netkit.padding's
 * package documentation; RingLayoutTest checks the result with JOL, in both header modes):
 *
 *   header | SpscPad0 | tail, headCache (producer) | SpscPad1 | head, tailCache (consumer) | SpscPad2 | final fields
 *
 * SpscPad0 is 128 bytes: nothing moves in front of it. SpscPad1 and SpscPad2 are 136: HotSpot fills the
 * alignment gap before a long (up to 7 bytes; 4 after the default 12-byte header, none after a compact
 * 8-byte one) with the first fields of the class below, so 128-byte pads would leave only 124 bytes
 * between the groups (measured: EVIDENCE.md, "Padding: why 136 bytes").
 */

/** 128 bytes between the object header and the producer's fields. */
abstract class SpscPad0 {
    byte a000, a001, a002, a003, a004, a005, a006, a007, a008, a009, a010, a011, a012, a013, a014, a015;
    byte a016, a017, a018, a019, a020, a021, a022, a023, a024, a025, a026, a027, a028, a029, a030, a031;
    byte a032, a033, a034, a035, a036, a037, a038, a039, a040, a041, a042, a043, a044, a045, a046, a047;
    byte a048, a049, a050, a051, a052, a053, a054, a055, a056, a057, a058, a059, a060, a061, a062, a063;
    byte a064, a065, a066, a067, a068, a069, a070, a071, a072, a073, a074, a075, a076, a077, a078, a079;
    byte a080, a081, a082, a083, a084, a085, a086, a087, a088, a089, a090, a091, a092, a093, a094, a095;
    byte a096, a097, a098, a099, a100, a101, a102, a103, a104, a105, a106, a107, a108, a109, a110, a111;
    byte a112, a113, a114, a115, a116, a117, a118, a119, a120, a121, a122, a123, a124, a125, a126, a127;
}

/** Written by the producer only: tail (read by the consumer) and its cache of head. */
abstract class SpscProducerFields extends SpscPad0 {
    long tail;
    long headCache;
}

/** 136 bytes between the producer's and the consumer's fields. */
abstract class SpscPad1 extends SpscProducerFields {
    byte b000, b001, b002, b003, b004, b005, b006, b007, b008, b009, b010, b011, b012, b013, b014, b015;
    byte b016, b017, b018, b019, b020, b021, b022, b023, b024, b025, b026, b027, b028, b029, b030, b031;
    byte b032, b033, b034, b035, b036, b037, b038, b039, b040, b041, b042, b043, b044, b045, b046, b047;
    byte b048, b049, b050, b051, b052, b053, b054, b055, b056, b057, b058, b059, b060, b061, b062, b063;
    byte b064, b065, b066, b067, b068, b069, b070, b071, b072, b073, b074, b075, b076, b077, b078, b079;
    byte b080, b081, b082, b083, b084, b085, b086, b087, b088, b089, b090, b091, b092, b093, b094, b095;
    byte b096, b097, b098, b099, b100, b101, b102, b103, b104, b105, b106, b107, b108, b109, b110, b111;
    byte b112, b113, b114, b115, b116, b117, b118, b119, b120, b121, b122, b123, b124, b125, b126, b127;
    byte b128, b129, b130, b131, b132, b133, b134, b135;
}

/** Written by the consumer only: head (read by the producer) and its cache of tail. */
abstract class SpscConsumerFields extends SpscPad1 {
    long head;
    long tailCache;
}

/** 136 bytes between the consumer's fields and the final fields (and whatever follows the object). */
abstract class SpscPad2 extends SpscConsumerFields {
    byte c000, c001, c002, c003, c004, c005, c006, c007, c008, c009, c010, c011, c012, c013, c014, c015;
    byte c016, c017, c018, c019, c020, c021, c022, c023, c024, c025, c026, c027, c028, c029, c030, c031;
    byte c032, c033, c034, c035, c036, c037, c038, c039, c040, c041, c042, c043, c044, c045, c046, c047;
    byte c048, c049, c050, c051, c052, c053, c054, c055, c056, c057, c058, c059, c060, c061, c062, c063;
    byte c064, c065, c066, c067, c068, c069, c070, c071, c072, c073, c074, c075, c076, c077, c078, c079;
    byte c080, c081, c082, c083, c084, c085, c086, c087, c088, c089, c090, c091, c092, c093, c094, c095;
    byte c096, c097, c098, c099, c100, c101, c102, c103, c104, c105, c106, c107, c108, c109, c110, c111;
    byte c112, c113, c114, c115, c116, c117, c118, c119, c120, c121, c122, c123, c124, c125, c126, c127;
    byte c128, c129, c130, c131, c132, c133, c134, c135;
}
