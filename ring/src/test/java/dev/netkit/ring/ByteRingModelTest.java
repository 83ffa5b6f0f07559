package dev.netkit.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netkit.testkit.Seeds;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ScatteringByteChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded model-based test of {@link ByteRing} (heap, direct, elastic) and {@link SpscByteRing} (used from one
 * thread) against an {@code ArrayDeque<Byte>}: random write (ByteBuffer and byte[]), offer, peek, discard,
 * read, getInt/getLong, readFrom and writeTo, at capacities 16 to 4096. After every step the readable bytes,
 * free bytes and (for elastic rings) whether a buffer is held must match the model; every peek and
 * getInt/getLong is compared byte for byte. Failures name the ring, capacity, seed and step;
 * {@code -Dnetkit.seed=N} replays a seed.
 *
 * <p>{@link #wrapAtEveryOffset} places the read position at every offset of a 16- and a 64-byte ring and
 * writes every length from there, so each split of a wrapping write, peek, read and int/long read is met.
 */
class ByteRingModelTest {

    /** The operations the model test drives, on either ring. */
    interface Ring {
        int capacity();

        int readable();

        int writable();

        int write(ByteBuffer src);

        int write(byte[] a, int off, int len);

        /** All-or-nothing write where the ring has one (SPSC), else -1 meaning "not supported". */
        int offer(byte[] a, int off, int len);

        Segments peek(int n);

        void discard(int n);

        int read(byte[] a, int off, int len);

        int getInt(int offset);

        long getLong(int offset);

        long readFrom(ScatteringByteChannel ch) throws IOException;

        long writeTo(GatheringByteChannel ch) throws IOException;

        /** Null when the ring is not elastic, else whether it holds a buffer. */
        Boolean hasBuffer();
    }

    static Ring of(ByteRing r) {
        return new Ring() {
            public int capacity() { return r.capacity(); }
            public int readable() { return r.readable(); }
            public int writable() { return r.writable(); }
            public int write(ByteBuffer src) { return r.write(src); }
            public int write(byte[] a, int off, int len) { return r.write(a, off, len); }
            public int offer(byte[] a, int off, int len) { return -1; }
            public Segments peek(int n) { return r.peek(n); }
            public void discard(int n) { r.discard(n); }
            public int read(byte[] a, int off, int len) { return r.read(a, off, len); }
            public int getInt(int offset) { return r.getInt(offset); }
            public long getLong(int offset) { return r.getLong(offset); }
            public long readFrom(ScatteringByteChannel ch) throws IOException { return r.readFrom(ch); }
            public long writeTo(GatheringByteChannel ch) throws IOException { return r.writeTo(ch); }
            public Boolean hasBuffer() { return r.isElastic() ? r.hasBuffer() : null; }
            public String toString() { return r.toString(); }
        };
    }

    static Ring of(SpscByteRing r) {
        return new Ring() {
            public int capacity() { return r.capacity(); }
            public int readable() { return r.readable(); }
            public int writable() { return r.writable(); }
            public int write(ByteBuffer src) { return r.write(src); }
            public int write(byte[] a, int off, int len) { return r.write(a, off, len); }
            public int offer(byte[] a, int off, int len) { return r.offer(a, off, len) ? len : 0; }
            public Segments peek(int n) { return r.peek(n); }
            public void discard(int n) { r.discard(n); }
            public int read(byte[] a, int off, int len) { return r.read(a, off, len); }
            public int getInt(int offset) { return r.getInt(offset); }
            public long getLong(int offset) { return r.getLong(offset); }
            public long readFrom(ScatteringByteChannel ch) throws IOException { return r.readFrom(ch); }
            public long writeTo(GatheringByteChannel ch) throws IOException { return r.writeTo(ch); }
            public Boolean hasBuffer() { return null; }
            public String toString() { return r.toString(); }
        };
    }

    /** A provider that counts loans and sometimes hands out a larger, dirty buffer, or the same one again. */
    static final class CountingProvider implements BufferProvider {
        final SplittableRandom rnd;
        int out;
        ByteBuffer last;

        CountingProvider(SplittableRandom rnd) {
            this.rnd = rnd;
        }

        @Override
        public ByteBuffer acquire(int minCapacity) {
            out++;
            if (last != null && last.capacity() >= minCapacity && rnd.nextBoolean()) {
                ByteBuffer b = last;            // a LIFO pool hands back the same buffer
                last = null;
                return b.clear();
            }
            int cap = minCapacity * (rnd.nextBoolean() ? 1 : 2);
            ByteBuffer b = rnd.nextBoolean() ? ByteBuffer.allocateDirect(cap) : ByteBuffer.allocate(cap);
            for (int i = 0; i < cap; i++) {
                b.put(i, (byte) 0x5A);           // dirty: the ring must not rely on zeroed memory
            }
            return b;
        }

        @Override
        public void release(ByteBuffer buffer) {
            out--;
            last = buffer;
        }
    }

    record Factory(String name, IntFunction<Ring> make) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Factory> factories(SplittableRandom rnd, CountingProvider[] provider) {
        return List.of(
                new Factory("ByteRing.heap", c -> of(ByteRing.heap(c))),
                new Factory("ByteRing.direct", c -> of(ByteRing.direct(c))),
                new Factory("ByteRing.elastic", c -> {
                    provider[0] = new CountingProvider(rnd);
                    return of(ByteRing.elastic(c, provider[0]));
                }),
                new Factory("SpscByteRing.heap", c -> of(SpscByteRing.heap(c))),
                new Factory("SpscByteRing.direct", c -> of(SpscByteRing.direct(c))));
    }

    static Stream<Arguments> runs() {
        List<Arguments> out = new ArrayList<>();
        Seeds.seeds(1, 2, 3, 42).forEach(seed -> {
            for (int kind = 0; kind < 5; kind++) {
                for (int cap = 16; cap <= 4096; cap <<= 1) {
                    out.add(Arguments.of(kind, cap, seed));
                }
            }
        });
        return out.stream();
    }

    @ParameterizedTest(name = "kind={0} capacity={1} seed={2}")
    @MethodSource("runs")
    void matchesReferenceModel(int kind, int capacity, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        CountingProvider[] provider = new CountingProvider[1];
        Factory f = factories(rnd, provider).get(kind);
        Ring ring = f.make().apply(capacity);
        ArrayDeque<Byte> model = new ArrayDeque<>();
        FakeChannel ch = new FakeChannel(rnd);
        long consumedCount = 0;                 // the ring's read counter (an elastic ring restarts it at 0)
        int steps = 3000;
        int step = 0;
        String op = "";
        try {
            for (step = 0; step < steps; step++) {
                int free = capacity - model.size();
                switch (rnd.nextInt(10)) {
                    case 0 -> {
                        op = "write(ByteBuffer)";
                        int len = rnd.nextInt(0, capacity + 8);
                        byte[] data = randomBytes(rnd, len);
                        ByteBuffer src = rnd.nextBoolean() ? ByteBuffer.wrap(data) : direct(data);
                        int n = ring.write(src);
                        assertEquals(Math.min(len, free), n, "written");
                        assertEquals(n, src.position(), "src position");
                        add(model, data, n);
                    }
                    case 1 -> {
                        op = "write(byte[])";
                        int len = rnd.nextInt(0, capacity + 8);
                        byte[] data = randomBytes(rnd, len + 3);
                        int n = ring.write(data, 3, len);
                        assertEquals(Math.min(len, free), n, "written");
                        for (int i = 0; i < n; i++) {
                            model.add(data[3 + i]);
                        }
                    }
                    case 2 -> {
                        op = "offer";
                        int len = rnd.nextInt(0, capacity / 2 + 1);
                        byte[] data = randomBytes(rnd, len);
                        int n = ring.offer(data, 0, len);
                        if (n >= 0) {
                            assertEquals(len <= free ? len : 0, n, "offered");
                            add(model, data, n);
                        }
                    }
                    case 3 -> {
                        op = "peek";
                        int want = rnd.nextInt(0, capacity + 8);
                        Segments s = ring.peek(want);
                        checkPeek(s, model, Math.min(want, model.size()));
                    }
                    case 4 -> {
                        op = "discard";
                        int n = rnd.nextInt(0, model.size() + 1);
                        ring.discard(n);
                        consumedCount += n;
                        for (int i = 0; i < n; i++) {
                            model.poll();
                        }
                    }
                    case 5 -> {
                        op = "read";
                        int len = rnd.nextInt(0, capacity + 8);
                        byte[] dst = new byte[len + 2];
                        int n = ring.read(dst, 2, len);
                        assertEquals(Math.min(len, model.size()), n, "read");
                        consumedCount += n;
                        for (int i = 0; i < n; i++) {
                            assertEquals((byte) model.poll(), dst[2 + i], "read byte " + i);
                        }
                    }
                    case 6 -> {
                        op = "getInt/getLong";
                        if (model.size() >= 8) {
                            int off = rnd.nextInt(0, model.size() - 7);
                            byte[] ref = toArray(model);
                            assertEquals(ByteBuffer.wrap(ref).getInt(off), ring.getInt(off), "getInt at " + off);
                            assertEquals(ByteBuffer.wrap(ref).getLong(off), ring.getLong(off), "getLong at " + off);
                        } else {
                            int off = model.size() - 3;
                            assertThrows(IllegalArgumentException.class, () -> ring.getLong(Math.max(0, off)));
                        }
                    }
                    case 7 -> {
                        op = "readFrom";
                        int before = ch.vectoredReads;
                        ch.supplied.clear();
                        long n = ring.readFrom(ch);
                        if (free == 0) {
                            assertEquals(0, n);
                            assertEquals(before, ch.vectoredReads, "no call on a full ring");
                        } else {
                            assertEquals(before + 1, ch.vectoredReads, "one vectored read");
                            int index = (int) ((consumedCount + model.size()) & (capacity - 1));
                            assertEquals(index + free > capacity ? 2 : 1, ch.lastLength, "free segments");
                            assertEquals(ch.supplied.size(), n);
                            model.addAll(ch.supplied);
                        }
                    }
                    case 8 -> {
                        op = "writeTo";
                        int before = ch.vectoredWrites;
                        ch.sink.clear();
                        long n = ring.writeTo(ch);
                        if (model.isEmpty()) {
                            assertEquals(0, n);
                            assertEquals(before, ch.vectoredWrites, "no call on an empty ring");
                        } else {
                            assertEquals(before + 1, ch.vectoredWrites, "one gathering write");
                            assertEquals(ch.sink.size(), n);
                            consumedCount += n;
                            for (Byte b : ch.sink) {
                                assertEquals(model.poll(), b);
                            }
                        }
                    }
                    default -> {
                        op = "bad discard";
                        int n = model.size() + 1 + rnd.nextInt(3);
                        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                                () -> ring.discard(n));
                        assertTrue(e.getMessage().contains(String.valueOf(n)), e.getMessage());
                    }
                }
                assertEquals(model.size(), ring.readable(), "readable");
                assertEquals(capacity - model.size(), ring.writable(), "writable");
                if (ring.hasBuffer() != null && model.isEmpty()) {
                    consumedCount = 0;
                }
                if (ring.hasBuffer() != null) {
                    assertEquals(!model.isEmpty(), ring.hasBuffer(), "elastic ring holds a buffer iff not empty");
                    assertEquals(model.isEmpty() ? 0 : 1, provider[0].out, "buffers on loan");
                }
            }
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(f + " capacity=" + capacity + " seed=" + seed + " step=" + step + " op=" + op
                    + " (replay with -Dnetkit.seed=" + seed + "): " + e, e);
        }
    }

    static void add(ArrayDeque<Byte> model, byte[] data, int n) {
        for (int i = 0; i < n; i++) {
            model.add(data[i]);
        }
    }

    static byte[] randomBytes(SplittableRandom rnd, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) rnd.nextInt();
        }
        return b;
    }

    static ByteBuffer direct(byte[] data) {
        ByteBuffer b = ByteBuffer.allocateDirect(data.length);
        b.put(data).flip();
        return b;
    }

    static byte[] toArray(ArrayDeque<Byte> model) {
        byte[] a = new byte[model.size()];
        int i = 0;
        for (Byte b : model) {
            a[i++] = b;
        }
        return a;
    }

    static void checkPeek(Segments s, ArrayDeque<Byte> model, int expected) {
        assertEquals(expected, s.remaining(), "peek remaining");
        int total = 0;
        Iterator<Byte> it = model.iterator();
        for (int i = 0; i < s.count(); i++) {
            ByteBuffer b = s.get(i);
            assertTrue(b.hasRemaining(), "empty segment " + i);
            for (int j = b.position(); j < b.limit(); j++) {
                assertEquals((byte) it.next(), b.get(j), "peek byte " + total);
                total++;
            }
        }
        assertEquals(expected, total, "peek total");
        assertTrue(s.count() <= 2, "at most two segments");
        assertEquals(expected == 0 ? 0 : s.count(), s.count());
    }

    static Stream<Arguments> wrapRings() {
        return Stream.of(16, 64).flatMap(cap -> Stream.<Supplier<Ring>>of(
                        () -> of(ByteRing.heap(cap)), () -> of(ByteRing.direct(cap)),
                        () -> of(SpscByteRing.heap(cap)), () -> of(SpscByteRing.direct(cap)))
                .map(s -> Arguments.of(cap, s)));
    }

    @ParameterizedTest(name = "capacity={0}")
    @MethodSource("wrapRings")
    void wrapAtEveryOffset(int cap, Supplier<Ring> make) {
        for (int offset = 0; offset < cap; offset++) {
            for (int len = 1; len <= cap; len++) {
                Ring ring = make.get();
                byte[] skip = new byte[offset];
                assertEquals(offset, ring.write(skip, 0, offset));
                ring.discard(offset);
                byte[] data = new byte[len];
                for (int i = 0; i < len; i++) {
                    data[i] = (byte) (offset * 31 + i * 7 + 1);
                }
                String at = "offset=" + offset + " len=" + len + " " + ring;
                assertEquals(len, ring.write(ByteBuffer.wrap(data)), at);
                Segments s = ring.peek(len);
                assertEquals(offset + len > cap ? 2 : 1, s.count(), at);
                ArrayDeque<Byte> model = new ArrayDeque<>();
                add(model, data, len);
                checkPeek(s, model, len);
                for (int o = 0; o + 4 <= len; o++) {
                    assertEquals(ByteBuffer.wrap(data).getInt(o), ring.getInt(o), at + " getInt " + o);
                }
                for (int o = 0; o + 8 <= len; o++) {
                    assertEquals(ByteBuffer.wrap(data).getLong(o), ring.getLong(o), at + " getLong " + o);
                }
                byte[] out = new byte[len];
                assertEquals(len, ring.read(out, 0, len), at);
                assertEquals(ByteBuffer.wrap(data), ByteBuffer.wrap(out), at);
                assertEquals(0, ring.readable(), at);
                assertFalse(ring.peek(1).count() > 0, at);
            }
        }
    }

    @Test
    void badInputNamesValueAndBound() {
        for (int bad : new int[] {0, -1, 3, 24, 100, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteRing.heap(bad));
            assertTrue(e.getMessage().contains(String.valueOf(bad)) && e.getMessage().contains("power of two"),
                    e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> SpscByteRing.direct(bad));
        }
        ByteRing r = ByteRing.heap(16);
        r.write(new byte[5], 0, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.discard(6));
        assertTrue(e.getMessage().contains("6") && e.getMessage().contains("5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.discard(-1));
        assertThrows(IllegalArgumentException.class, () -> r.peek(-1));
        assertThrows(IllegalArgumentException.class, () -> r.getInt(2));
        e = assertThrows(IllegalArgumentException.class, () -> r.write(new byte[4], 0, -3));
        assertTrue(e.getMessage().contains("-3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.read(new byte[4], 0, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> r.write(new byte[4], 2, 3));
        SpscByteRing s = SpscByteRing.heap(16);
        s.write(new byte[5], 0, 5);
        assertThrows(IllegalArgumentException.class, () -> s.offer(new byte[4], 0, -1));
        e = assertThrows(IllegalArgumentException.class, () -> s.discard(6));
        assertTrue(e.getMessage().contains("6") && e.getMessage().contains("5"), e.getMessage());
        // an all-or-nothing offer longer than the ring can never succeed: a retry loop would spin forever
        e = assertThrows(IllegalArgumentException.class, () -> s.offer(new byte[17], 0, 17));
        assertTrue(e.getMessage().contains("17") && e.getMessage().contains("16"), e.getMessage());
        ByteBuffer big = ByteBuffer.allocate(17);
        e = assertThrows(IllegalArgumentException.class, () -> s.offer(big));
        assertTrue(e.getMessage().contains("17") && e.getMessage().contains("16"), e.getMessage());
        assertEquals(0, big.position());
        assertTrue(s.offer(new byte[11], 0, 11) && !s.offer(ByteBuffer.allocate(16)), "fits later: false, no throw");
    }
}
