package dev.netkit.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netkit.testkit.Seeds;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded model-based test of {@link SpscByteRing}'s batch API (used from one thread): {@code claim} (and
 * writes through its views), {@code putInt}/{@code putLong}/{@code put(byte[])}/{@code put(ByteBuffer)} at
 * offsets into the free space, {@code commit}, mixed with {@code offer}/{@code write} and the consumer's
 * {@code peek}, {@code discard}, {@code read} and {@code getInt}, at capacities 8 to 1024, heap and direct.
 *
 * <p>The reference is a queue of published bytes ({@code ArrayDeque<Integer>}) and an array of the bytes
 * written but not yet committed, indexed by offset from the first free byte ({@code -1}: never written
 * since it became free, so its content is not specified). A commit of n moves the first n pending bytes
 * to the queue; an offer or write replaces the first bytes of the pending array and commits them. After
 * every step readable and writable must match; a claim must cover exactly {@code min(n, free)} bytes in
 * one or two views (two exactly when they wrap) and show the pending bytes; out-of-range offsets and
 * counts must throw and change nothing. A failure names the seed: replay it with {@code -Dnetkit.seed=N}.
 */
class SpscBatchModelTest {

    static Stream<Arguments> runs() {
        List<Arguments> out = new ArrayList<>();
        Seeds.seeds(1, 2, 3, 42, 4711).forEach(seed -> {
            for (boolean direct : new boolean[] {false, true}) {
                for (int cap = 8; cap <= 1024; cap <<= 2) {
                    out.add(Arguments.of(direct, cap, seed));
                }
            }
        });
        return out.stream();
    }

    @ParameterizedTest(name = "direct={0} capacity={1} seed={2}")
    @MethodSource("runs")
    void matchesReferenceModel(boolean direct, int capacity, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        SpscByteRing ring = direct ? SpscByteRing.direct(capacity) : SpscByteRing.heap(capacity);
        ArrayDeque<Integer> model = new ArrayDeque<>();     // published bytes, -1 = unspecified
        int[] pending = new int[capacity];                  // by offset from the first free byte
        Arrays.fill(pending, -1);
        long written = 0;                                   // the ring's tail: bytes ever published
        int steps = 4000;
        int step = 0;
        String op = "";
        try {
            for (step = 0; step < steps; step++) {
                int free = capacity - model.size();
                switch (rnd.nextInt(12)) {
                    case 0, 1 -> {
                        op = "claim";
                        int want = rnd.nextInt(0, capacity + 4);
                        Segments s = ring.claim(want);
                        int n = Math.min(want, free);
                        assertEquals(n, s.remaining(), "claimed");
                        int index = (int) (written & (capacity - 1));
                        assertEquals(n == 0 ? 0 : index + n > capacity ? 2 : 1, s.count(), "claim segments");
                        int off = 0;
                        for (int i = 0; i < s.count(); i++) {
                            ByteBuffer b = s.get(i);
                            assertEquals(i == 0 ? index : 0, b.position(), "segment start");
                            assertTrue(b.hasRemaining(), "empty segment");
                            for (int j = b.position(); j < b.limit(); j++, off++) {
                                if (pending[off] >= 0) {
                                    assertEquals((byte) pending[off], b.get(j), "claimed byte " + off);
                                }
                            }
                        }
                        assertEquals(n, off, "claim total");
                        if (n > 0 && rnd.nextBoolean()) {               // write some of it through the views
                            int k = rnd.nextInt(0, n + 1);
                            off = 0;
                            for (int i = 0; i < s.count() && off < k; i++) {
                                ByteBuffer b = s.get(i);
                                while (b.hasRemaining() && off < k) {
                                    byte v = (byte) rnd.nextInt();
                                    b.put(v);
                                    pending[off++] = v & 0xFF;
                                }
                            }
                        }
                    }
                    case 2 -> {
                        op = "putInt";
                        int offset = rnd.nextInt(-1, capacity + 1);
                        int v = rnd.nextInt();
                        if (offset >= 0 && offset + 4 <= free) {
                            ring.putInt(offset, v);
                            setPending(pending, offset, ByteBuffer.allocate(4).putInt(v).array());
                        } else {
                            assertThrows(IllegalArgumentException.class, () -> ring.putInt(offset, v));
                        }
                    }
                    case 3 -> {
                        op = "putLong";
                        int offset = rnd.nextInt(-1, capacity + 1);
                        long v = rnd.nextLong();
                        if (offset >= 0 && offset + 8 <= free) {
                            ring.putLong(offset, v);
                            setPending(pending, offset, ByteBuffer.allocate(8).putLong(v).array());
                        } else {
                            assertThrows(IllegalArgumentException.class, () -> ring.putLong(offset, v));
                        }
                    }
                    case 4 -> {
                        op = "put(byte[])";
                        int offset = rnd.nextInt(-1, capacity + 1);
                        int len = rnd.nextInt(0, capacity / 2 + 2);
                        byte[] data = ByteRingModelTest.randomBytes(rnd, len + 2);
                        if (offset >= 0 && offset + len <= free) {
                            ring.put(offset, data, 2, len);
                            setPending(pending, offset, Arrays.copyOfRange(data, 2, 2 + len));
                        } else {
                            assertThrows(IllegalArgumentException.class, () -> ring.put(offset, data, 2, len));
                        }
                    }
                    case 5 -> {
                        op = "put(ByteBuffer)";
                        int offset = rnd.nextInt(-1, capacity + 1);
                        int len = rnd.nextInt(0, capacity / 2 + 2);
                        byte[] data = ByteRingModelTest.randomBytes(rnd, len);
                        ByteBuffer src = rnd.nextBoolean() ? ByteBuffer.wrap(data) : ByteRingModelTest.direct(data);
                        if (offset >= 0 && offset + len <= free) {
                            ring.put(offset, src);
                            assertEquals(len, src.position(), "src position");
                            setPending(pending, offset, data);
                        } else {
                            assertThrows(IllegalArgumentException.class, () -> ring.put(offset, src));
                            assertEquals(0, src.position(), "src untouched");
                        }
                    }
                    case 6, 7 -> {
                        op = "commit";
                        int n = rnd.nextInt(10) == 0 ? free + 1 + rnd.nextInt(3) : rnd.nextInt(0, free + 1);
                        if (n <= free) {
                            ring.commit(n);
                            written += n;
                            publish(model, pending, n);
                        } else {
                            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                                    () -> ring.commit(n));
                            assertTrue(e.getMessage().contains(String.valueOf(n)), e.getMessage());
                        }
                    }
                    case 8 -> {
                        op = rnd.nextBoolean() ? "offer" : "write";
                        int len = rnd.nextInt(0, capacity + 1);
                        byte[] data = ByteRingModelTest.randomBytes(rnd, len);
                        int n = op.equals("offer") ? (ring.offer(data, 0, len) ? len : 0) : ring.write(data, 0, len);
                        assertEquals(op.equals("offer") ? (len <= free ? len : 0) : Math.min(len, free), n, op);
                        setPending(pending, 0, Arrays.copyOf(data, n));
                        written += n;
                        publish(model, pending, n);
                    }
                    case 9 -> {
                        op = "peek+getInt";
                        int want = rnd.nextInt(0, capacity + 4);
                        Segments s = ring.peek(want);
                        int n = Math.min(want, model.size());
                        assertEquals(n, s.remaining(), "peeked");
                        Iterator<Integer> it = model.iterator();
                        int k = 0;
                        for (int i = 0; i < s.count(); i++) {
                            ByteBuffer b = s.get(i);
                            for (int j = b.position(); j < b.limit(); j++, k++) {
                                int m = it.next();
                                if (m >= 0) {
                                    assertEquals((byte) m, b.get(j), "peeked byte " + k);
                                }
                            }
                        }
                        assertEquals(n, k, "peek total");
                        if (model.size() >= 4) {
                            int offset = rnd.nextInt(0, model.size() - 3);
                            Integer[] m = model.toArray(new Integer[0]);
                            int v = ring.getInt(offset);
                            for (int i = 0; i < 4; i++) {
                                if (m[offset + i] >= 0) {
                                    assertEquals((byte) (int) m[offset + i], (byte) (v >>> (24 - 8 * i)),
                                            "getInt byte " + i);
                                }
                            }
                        }
                    }
                    case 10 -> {
                        op = "discard";
                        int n = rnd.nextInt(0, model.size() + 1);
                        ring.discard(n);
                        for (int i = 0; i < n; i++) {
                            model.poll();
                        }
                    }
                    default -> {
                        op = "read";
                        int len = rnd.nextInt(0, capacity + 4);
                        byte[] dst = new byte[len];
                        int n = ring.read(dst, 0, len);
                        assertEquals(Math.min(len, model.size()), n, "read");
                        for (int i = 0; i < n; i++) {
                            int m = model.poll();
                            if (m >= 0) {
                                assertEquals((byte) m, dst[i], "read byte " + i);
                            }
                        }
                    }
                }
                assertEquals(model.size(), ring.readable(), "readable");
                assertEquals(capacity - model.size(), ring.writable(), "writable");
            }
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError((direct ? "direct" : "heap") + " capacity=" + capacity + " seed=" + seed
                    + " step=" + step + " op=" + op + " (replay with -Dnetkit.seed=" + seed + "): " + e, e);
        }
    }

    static void setPending(int[] pending, int offset, byte[] data) {
        for (int i = 0; i < data.length; i++) {
            pending[offset + i] = data[i] & 0xFF;
        }
    }

    /** Moves the first n pending bytes to the published queue. */
    static void publish(ArrayDeque<Integer> model, int[] pending, int n) {
        for (int i = 0; i < n; i++) {
            model.add(pending[i]);
        }
        System.arraycopy(pending, n, pending, 0, pending.length - n);
        Arrays.fill(pending, pending.length - n, pending.length, -1);
    }

    /** The batch pattern: many messages written at offsets, one commit; the consumer sees them whole. */
    @Test
    void batchOfMessagesIsPublishedOnce() {
        SpscByteRing ring = SpscByteRing.direct(256);
        ring.write(new byte[200], 0, 200);                  // move the tail near the end, so the batch wraps
        ring.discard(200);
        byte[] msg = new byte[16];
        Segments free = ring.claim(4 * 16);
        assertEquals(64, free.remaining());
        assertEquals(2, free.count());
        for (int i = 0; i < 4; i++) {
            Arrays.fill(msg, (byte) (i + 1));
            ring.put(i * 16, msg, 0, 16);
            ring.putInt(i * 16, 100 + i);
        }
        assertEquals(0, ring.readable(), "nothing published before the commit");
        ring.commit(64);
        assertEquals(64, ring.readable());
        for (int i = 0; i < 4; i++) {
            assertEquals(100 + i, ring.getInt(i * 16));
            assertEquals(0x0101010101010101L * (i + 1), ring.getLong(i * 16 + 8));
        }
        ring.discard(64);
        assertEquals(256, ring.writable());
    }

    @Test
    void argumentsOutOfRangeThrow() {
        SpscByteRing ring = SpscByteRing.heap(16);
        ring.write(new byte[10], 0, 10);                    // 6 free
        assertThrows(IllegalArgumentException.class, () -> ring.claim(-1));
        assertThrows(IllegalArgumentException.class, () -> ring.commit(-1));
        assertThrows(IllegalArgumentException.class, () -> ring.commit(7));
        assertThrows(IllegalArgumentException.class, () -> ring.putInt(3, 1));
        assertThrows(IllegalArgumentException.class, () -> ring.putInt(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> ring.putLong(0, 1));
        assertThrows(IllegalArgumentException.class, () -> ring.put(Integer.MAX_VALUE, new byte[1], 0, 1));
        assertThrows(IllegalArgumentException.class, () -> ring.put(0, new byte[8], 0, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> ring.put(0, new byte[4], 2, 4));
        ring.putInt(2, 7);
        ring.commit(6);
        assertEquals(16, ring.readable());
        assertEquals(7, ring.getInt(12));
    }
}
