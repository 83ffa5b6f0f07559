package dev.netkit.connmatrix;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Targeted tests of the documented contract of {@link ConnMatrix}: id layout, limits, errors, growth, wrap. */
class ConnMatrixTest {

    private static long id(int gen, int shard, int slot) {
        return ((long) gen << 32) | ((long) shard << ConnMatrix.SLOT_BITS) | slot;
    }

    private static int genOf(long id) {
        return (int) (id >>> 32);
    }

    private static int slotOf(long id) {
        return (int) id & ConnMatrix.SLOT_MASK;
    }

    // ------------------------------------------------------------------ id layout

    @Test
    void idLayoutIsGenerationShardSlot() {
        ConnMatrix<String> m = new ConnMatrix<>(ConnMatrix.MAX_SHARDS, 8);
        assertEquals(24, ConnMatrix.SLOT_BITS);
        assertEquals((1 << 24) - 1, ConnMatrix.SLOT_MASK);
        // the first add into a fresh shard takes slot 0 with generation 1 (0 = never used, odd = live)
        long a = m.add(0, "a");
        long b = m.add(0, "b");
        long z = m.add(255, "z");
        long z2 = m.add(255, "z2");
        assertEquals(id(1, 0, 0), a);
        assertEquals(0x0000_0001_0000_0000L, a, "generation lives in the high 32 bits");
        assertEquals(id(1, 0, 1), b);
        assertEquals(0x0000_0001_FF00_0000L, z, "shard 255 in bits 24..31");
        assertEquals(0x0000_0001_FF00_0001L, z2);
        assertEquals(0, ConnMatrix.shardOf(a));
        assertEquals(255, ConnMatrix.shardOf(z));
        assertEquals(255, ConnMatrix.shardOf(z2 | 0x8000_0000_0000_0000L), "shardOf ignores the generation, sign included");
        assertEquals(17, ConnMatrix.shardOf(id(7, 17, ConnMatrix.SLOT_MASK)));
        assertSame("z", m.get(z));
        assertSame("z2", m.get(z2));
    }

    @Test
    void idsAreNeverZeroAndAlwaysCarryAnOddGeneration() {
        // genBits 2: the generation wraps fastest, so if 0 could ever be issued it would be here
        ConnMatrix<Object> m = new ConnMatrix<>(1, 4, 0, 2);
        Set<Long> seen = new HashSet<>();
        for (int round = 0; round < 100; round++) {
            long[] ids = new long[4];
            for (int i = 0; i < 4; i++) {
                ids[i] = m.add(0, new Object());
                assertNotEquals(0L, ids[i]);
                assertEquals(1, genOf(ids[i]) & 1, "live generations are odd");
                seen.add(ids[i]);
            }
            for (long id : ids) {
                assertTrue(m.remove(id));
            }
        }
        // 4 slots x 2 live generations (1 and 3) with genBits 2
        assertEquals(8, seen.size());
        ConnMatrix<Object> d = new ConnMatrix<>(1, 2);
        assertEquals(id(1, 0, 0), d.add(0, new Object()));
        assertNull(d.get(0L));
        assertFalse(d.remove(0L));
    }

    @Test
    void removeThenAddReusesTheSlotWithGenerationPlusTwo() {
        ConnMatrix<String> m = new ConnMatrix<>(2, 100);
        long a = m.add(1, "a");
        long b = m.add(1, "b");
        assertTrue(m.remove(b));
        long c = m.add(1, "c");
        assertEquals(slotOf(b), slotOf(c), "the slot just freed is reused first");
        assertEquals(genOf(b) + 2, genOf(c), "generation + 2: one step to free, one back to live");
        assertEquals(1, ConnMatrix.shardOf(c));
        assertNull(m.get(b), "the stale id no longer answers");
        assertSame("c", m.get(c));
        assertSame("a", m.get(a));
        // several frees at once come back lowest slot first
        long d = m.add(1, "d");
        assertTrue(m.remove(d));
        assertTrue(m.remove(a));
        assertTrue(m.remove(c));
        assertEquals(slotOf(a), slotOf(m.add(1, "a2")));
        assertEquals(slotOf(c), slotOf(m.add(1, "c2")));
        assertEquals(slotOf(d), slotOf(m.add(1, "d2")));
        assertEquals(3, slotOf(m.add(1, "e")), "then fresh slots");
    }

    /**
     * The documented order: the owner's own removes (removeByOwner) come back exactly newest first; other
     * threads' removes come back in batches (every slot marked in the freed bitmaps, taken when the owner's
     * stack is empty), lowest slot first within each batch, after the slots the owner already holds.
     */
    @Test
    void remoteFreesComeBackInBatchesLowestSlotFirstWithinEach() {
        ConnMatrix<String> m = new ConnMatrix<>(1, 100);
        long a = m.add(0, "a");
        long b = m.add(0, "b");
        long c = m.add(0, "c");
        long d = m.add(0, "d");
        assertTrue(m.remove(b));
        assertTrue(m.remove(a));
        assertEquals(slotOf(a), slotOf(m.add(0, "a2")), "a is the lowest of the batch {b, a}");
        assertTrue(m.remove(d));
        assertTrue(m.removeByOwner(c));
        assertEquals(slotOf(c), slotOf(m.add(0, "c2")), "the owner's own free slot first");
        assertEquals(slotOf(b), slotOf(m.add(0, "b2")), "b was already taken back with its batch");
        assertEquals(slotOf(d), slotOf(m.add(0, "d2")), "then the next batch: d");
        assertEquals(4, slotOf(m.add(0, "e")), "then fresh slots");
    }

    @Test
    void ownerRemovesComeBackExactlyNewestFirst() {
        ConnMatrix<String> m = new ConnMatrix<>(1, 100);
        long a = m.add(0, "a");
        long b = m.add(0, "b");
        long c = m.add(0, "c");
        assertTrue(m.removeByOwner(a));
        assertTrue(m.removeByOwner(c));
        assertTrue(m.removeByOwner(b));
        assertFalse(m.removeByOwner(b), "one winner");
        assertFalse(m.remove(b), "one winner across both removes");
        assertEquals(0, m.size());
        assertEquals(slotOf(b), slotOf(m.add(0, "b2")));
        assertEquals(slotOf(c), slotOf(m.add(0, "c2")));
        assertEquals(slotOf(a), slotOf(m.add(0, "a2")));
        assertEquals(3, slotOf(m.add(0, "d")), "then fresh slots");
        assertEquals(4, m.size());
    }

    // ------------------------------------------------------------------ full shard

    @Test
    void fullShardThrowsNamingShardAndBoundAndRecoversAfterRemove() {
        ConnMatrix<Integer> m = new ConnMatrix<>(3, 5);
        long[] ids = new long[5];
        for (int i = 0; i < 5; i++) {
            ids[i] = m.add(2, i);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.add(2, 99));
        assertTrue(e.getMessage().contains("shard 2"), e.getMessage());
        assertTrue(e.getMessage().contains("5"), e.getMessage());
        assertEquals(5, m.size(2), "a failed add changes no count");
        assertEquals(5, m.size());
        // other shards are independent
        long other = m.add(0, 7);
        assertSame(7, m.get(other));
        // still full on a second try; nothing was half-done by the first
        assertThrows(IllegalStateException.class, () -> m.add(2, 99));
        assertTrue(m.remove(ids[3]));
        long again = m.add(2, 42);
        assertEquals(slotOf(ids[3]), slotOf(again));
        assertEquals(42, m.get(again));
        assertNull(m.get(ids[3]));
        assertThrows(IllegalStateException.class, () -> m.add(2, 100));
        for (int i = 0; i < 5; i++) {
            if (i != 3) {
                assertEquals(i, m.get(ids[i]));
            }
        }
    }

    @Test
    void shardOfOneSlot() {
        ConnMatrix<String> m = new ConnMatrix<>(1, 1);
        long a = m.add(0, "a");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.add(0, "b"));
        assertTrue(e.getMessage().contains("shard 0") && e.getMessage().contains("1"), e.getMessage());
        assertTrue(m.remove(a));
        long b = m.add(0, "b");
        assertEquals(id(3, 0, 0), b);
    }

    // ------------------------------------------------------------------ argument errors

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 257, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void shardCountOutOfRangeIsRejectedNamingValueAndBound(int shards) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ConnMatrix<>(shards));
        assertTrue(e.getMessage().contains(Integer.toString(shards)), e.getMessage());
        assertTrue(e.getMessage().contains("256"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ConnMatrix<>(shards, 16));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, (1 << 24) + 1, Integer.MAX_VALUE})
    void maxSlotsOutOfRangeIsRejectedNamingValueAndBound(int max) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ConnMatrix<>(1, max));
        assertTrue(e.getMessage().contains(Integer.toString(max)), e.getMessage());
        assertTrue(e.getMessage().contains(Integer.toString(1 << 24)), e.getMessage());
    }

    @Test
    void boundsThemselvesAreAccepted() {
        assertEquals(1, new ConnMatrix<>(1, 1).shards());
        ConnMatrix<Object> big = new ConnMatrix<>(ConnMatrix.MAX_SHARDS, 4096);
        assertEquals(256, big.shards());
        assertEquals(4096, big.maxSlotsPerShard());
        ConnMatrix<Object> wide = new ConnMatrix<>(1, ConnMatrix.MAX_SLOTS_PER_SHARD);
        assertEquals(1 << 24, wide.maxSlotsPerShard());
        long id = wide.add(0, "x");
        assertSame("x", wide.get(id));
    }

    @Test
    void testConstructorRejectsBadPageShiftAndGenBits() {
        assertThrows(IllegalArgumentException.class, () -> new ConnMatrix<>(1, 16, -1, 32));
        assertThrows(IllegalArgumentException.class, () -> new ConnMatrix<>(1, 16, 25, 32));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ConnMatrix<>(1, 16, 2, 1));
        assertTrue(e.getMessage().contains("1") && e.getMessage().contains("32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ConnMatrix<>(1, 16, 2, 33));
    }

    @Test
    void addWithShardOutOfRangeThrowsNamingValueAndBound() {
        ConnMatrix<String> m = new ConnMatrix<>(4, 16);
        for (int shard : new int[] {-1, 4, 255, 256, Integer.MIN_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.add(shard, "x"));
            assertTrue(e.getMessage().contains(Integer.toString(shard)) && e.getMessage().contains("4"),
                    e.getMessage());
            IllegalArgumentException s = assertThrows(IllegalArgumentException.class, () -> m.size(shard));
            assertTrue(s.getMessage().contains(Integer.toString(shard)), s.getMessage());
        }
        assertEquals(0, m.size(), "rejected adds leave no trace");
    }

    @Test
    void nullConnectionAndNullActionThrowNpe() {
        ConnMatrix<String> m = new ConnMatrix<>(1, 16);
        assertThrows(NullPointerException.class, () -> m.add(0, null));
        assertEquals(0, m.size(), "a rejected null leaves no trace");
        assertEquals(id(1, 0, 0), m.add(0, "first"), "and takes no slot");
        assertThrows(NullPointerException.class, () -> m.forEach(null));
        assertThrows(NullPointerException.class, () -> m.forEachConnection(null));
        // each names its parameter, as Objects.requireNonNull(x, "x") does
        assertEquals("conn", assertThrows(NullPointerException.class, () -> m.add(0, null)).getMessage());
        assertEquals("action", assertThrows(NullPointerException.class, () -> m.forEach(null)).getMessage());
        assertEquals("action", assertThrows(NullPointerException.class, () -> m.forEachConnection(null)).getMessage());
    }

    // ------------------------------------------------------------------ malformed and foreign ids

    @Test
    void malformedIdsAreAnswersNotExceptions() {
        ConnMatrix<String> m = new ConnMatrix<>(2, 10, 2, 32);
        long live = m.add(1, "live");
        assertSame("live", m.get(live));
        long[] bad = {
            id(1, 2, 0),                         // shard == shards
            id(1, 255, 0),                       // shard far out of range
            id(1, 1, 10),                        // slot == maxSlotsPerShard
            id(1, 1, ConnMatrix.SLOT_MASK),      // slot far out of range
            live ^ (1L << 32),                   // same slot, even generation (a free-slot generation)
            id(2, 1, 0),                         // even generation
            id(0, 1, 0),                         // generation 0: never used
            id(3, 1, 0),                         // a future generation of the live slot
            id(1, 1, 4),                         // a slot in a page that does not exist yet
            id(1, 0, 0),                         // a shard that has no page at all
            0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE
        };
        for (long id : bad) {
            assertNull(m.get(id), Long.toHexString(id));
            assertFalse(m.remove(id), Long.toHexString(id));
            assertFalse(m.remove(id, "live"), Long.toHexString(id));
        }
        assertSame("live", m.get(live), "no bad id disturbed the live entry");
        assertEquals(1, m.size());
    }

    @Test
    void removeWithExpectedComparesByIdentity() {
        ConnMatrix<String> m = new ConnMatrix<>(1, 16);
        String conn = new String("conn");
        String equalButOther = new String("conn");
        long id = m.add(0, conn);
        assertFalse(m.remove(id, equalButOther), "equal is not identical");
        assertFalse(m.remove(id, null));
        assertSame(conn, m.get(id));
        assertTrue(m.remove(id, conn));
        assertFalse(m.remove(id, conn), "exactly one winner");
        assertFalse(m.remove(id));
        assertNull(m.get(id));
        assertEquals(0, m.size());
        // a stale id with the object now living in the slot's next generation does not remove it
        long id2 = m.add(0, conn);
        assertEquals(slotOf(id), slotOf(id2));
        assertFalse(m.remove(id, conn), "stale id, same object");
        assertSame(conn, m.get(id2));
    }

    // ------------------------------------------------------------------ growth

    @Test
    void growthAcrossManyPagesKeepsEveryEarlierEntryReachable() {
        int max = 1_000;
        ConnMatrix<Integer> m = new ConnMatrix<>(2, max, 2, 32);   // 250 pages of 4 slots per shard
        long[] ids = new long[max];
        for (int i = 0; i < max; i++) {
            ids[i] = m.add(1, i);
            assertEquals(i, slotOf(ids[i]), "fresh slots in order");
            // everything added so far stays reachable after each growth step
            if ((i & 3) == 0 || i < 16) {
                for (int j = 0; j <= i; j++) {
                    assertEquals(j, m.get(ids[j]), "entry " + j + " after adding " + i);
                }
            }
        }
        assertThrows(IllegalStateException.class, () -> m.add(1, -1));
        assertEquals(max, m.size(1));
        int[] count = {0};
        m.forEach((id, c) -> assertEquals(id, ids[count[0]++]));
        assertEquals(max, count[0]);
    }

    @Test
    void growthWithDefaultPagesAndAPartialLastPage() {
        int max = 3 * 4096 + 5;
        ConnMatrix<Integer> m = new ConnMatrix<>(1, max);
        long[] ids = new long[max];
        for (int i = 0; i < max; i++) {
            ids[i] = m.add(0, i);
        }
        assertThrows(IllegalStateException.class, () -> m.add(0, -1));
        for (int i = 0; i < max; i++) {
            assertEquals(i, m.get(ids[i]));
        }
        assertNull(m.get(id(1, 0, max)));
        Iterator<Integer> it = m.iterator();
        for (int i = 0; i < max; i++) {
            assertEquals(i, it.next());
        }
        assertFalse(it.hasNext());
    }

    // ------------------------------------------------------------------ generation wrap

    /**
     * With {@code genBits} bits a slot's live generations are 1, 3, ..., 2^genBits - 1, so an id repeats
     * after exactly 2^(genBits-1) reuses of its slot, and not before. The production width is 32 bits: an
     * id repeats after 2^31 reuses of one slot, too many to run here; the same arithmetic is checked at
     * small widths (genBits 2, 3, 4, 8 and 16), where the period is reachable.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 8, 16})
    void generationWrapsAfterExactlyTwoToTheGenBitsMinusOneReuses(int genBits) {
        ConnMatrix<Integer> m = new ConnMatrix<>(1, 1, 0, genBits);
        int period = 1 << (genBits - 1);
        Set<Long> seen = new HashSet<>();
        long first = 0;
        for (int k = 0; k < period; k++) {
            long id = m.add(0, k);
            if (k == 0) {
                first = id;
            }
            assertEquals(2 * k + 1, genOf(id), "generation of reuse " + k);
            assertTrue(seen.add(id), "no repeat before the period");
            assertEquals(k, m.get(id));
            if (k > 0) {
                assertNull(m.get(first), "the first id is stale until the wrap");
            }
            assertTrue(m.remove(id));
            assertNull(m.get(id));
        }
        long wrapped = m.add(0, -7);
        assertEquals(first, wrapped, "after 2^(genBits-1) reuses the id repeats");
        assertEquals(-7, m.get(first), "and a holder of the very first id now reaches the new entry");
    }

    @Test
    void generationWrapWithGenBits3OnOneSlot() {
        ConnMatrix<String> m = new ConnMatrix<>(1, 4, 2, 3);
        long keep = m.add(0, "neighbour");                 // slot 0 stays live throughout
        List<Long> ids = new ArrayList<>();
        for (int k = 0; k < 9; k++) {
            long id = m.add(0, "v" + k);
            ids.add(id);
            assertEquals(1, slotOf(id));
            assertEquals((2 * k + 1) & 7, genOf(id));
            // every earlier id of this slot is stale unless it is 4 reuses back (aliasing)
            for (int j = 0; j < k; j++) {
                Object expected = (k - j) % 4 == 0 ? "v" + k : null;
                assertEquals(expected, m.get(ids.get(j)), "id " + j + " while " + k + " is live");
            }
            assertTrue(m.remove(id));
        }
        assertEquals("neighbour", m.get(keep));
        assertEquals(1, m.size());
    }

    // ------------------------------------------------------------------ iteration

    @Test
    void iteratorContract() {
        ConnMatrix<String> m = new ConnMatrix<>(3, 16, 2, 32);
        assertFalse(m.iterator().hasNext());
        assertThrows(NoSuchElementException.class, () -> m.iterator().next());
        long a = m.add(2, "a");
        m.add(0, "b");
        long c = m.add(2, "c");
        m.remove(a);
        List<String> out = new ArrayList<>();
        Iterator<String> it = m.iterator();
        while (it.hasNext()) {
            out.add(it.next());
        }
        assertEquals(List.of("b", "c"), out, "shard by shard, slot by slot, removed entries skipped");
        assertThrows(NoSuchElementException.class, it::next);
        Iterator<String> it2 = m.iterator();
        it2.next();
        assertThrows(UnsupportedOperationException.class, it2::remove);
        List<Long> ids = new ArrayList<>();
        m.forEach((id, conn) -> ids.add(id));
        assertEquals(List.of(id(1, 0, 0), c), ids);
    }

    @Test
    void sizeCountsPerShard() {
        ConnMatrix<Integer> m = new ConnMatrix<>(4, 64);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(m.add(i % 4, i));
        }
        assertAll(() -> assertEquals(40, m.size()),
                () -> assertEquals(10, m.size(0)), () -> assertEquals(10, m.size(3)));
        for (int i = 0; i < 40; i += 4) {
            assertTrue(m.remove(ids.get(i)));          // shard 0 only
            assertFalse(m.remove(ids.get(i)));
        }
        assertAll(() -> assertEquals(30, m.size()),
                () -> assertEquals(0, m.size(0)), () -> assertEquals(10, m.size(1)));
    }
}
