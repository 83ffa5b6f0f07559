package dev.netkit.connmatrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.vm.VM;

/**
 * Memory per live entry, measured with JOL ({@link GraphLayout}: the sum of the shallow sizes of every
 * object reachable from the matrix, on the JVM running the test).
 *
 * <p>The design: a slot costs a reference and an int generation, in two parallel arrays of one page (4,096
 * slots) each, and a bit in the page's freed bitmap (a {@code long[65]}: a group word and 64 leaf words);
 * pages are added on demand; each shard has three page tables (connPages, genPages, freedPages) allocated at
 * full length in the constructor: 4,096 entries each at the default 16,777,216 slots per shard. No object is
 * allocated per entry, and a matrix that has never freed a slot holds no free-stack page. So with N entries
 * in one shard:
 * <pre>
 *   growth(N) = ceil(N / 4096) * (size(Object[4096]) + size(int[4096]) + size(long[65]))
 *   fixed     = 3 * size(Object[4096]) + a few small objects (counters, owner state, freed summary)
 * </pre>
 * With compressed references that is 8.13 bytes per slot plus 48 bytes of array headers per page. The test
 * asserts the measured growth equals that within 1%, so an extra per-entry object (16 bytes or more) or an
 * extra per-slot array (4 bytes) would fail it, and prints bytes per entry. All entries share one
 * connection object, so the connections themselves are not counted (and JOL walks ~500 arrays, not a
 * million objects). A second test churns the matrix (owner and remote removes, each followed by an add) and
 * bounds what the owner's free stack adds.
 */
class ConnMatrixMemoryTest {

    static final int N = 1_000_000;
    static final int PAGE = 1 << ConnMatrix.DEFAULT_PAGE_SHIFT;

    @Test
    void bytesPerLiveEntryMatchTheDesign() {
        long refArrayPage = VM.current().sizeOf(new Object[PAGE]);
        long intArrayPage = VM.current().sizeOf(new int[PAGE]);
        long freedBitmap = VM.current().sizeOf(new long[1 + PAGE / 64]);
        long pageBytes = refArrayPage + intArrayPage + freedBitmap;
        int tableLength = ConnMatrix.MAX_SLOTS_PER_SHARD / PAGE;
        long tableBytes = VM.current().sizeOf(new Object[tableLength]);

        ConnMatrix<Object> empty = new ConnMatrix<>(1);
        long fixed = GraphLayout.parseInstance(empty).totalSize();

        Object shared = new Object();
        ConnMatrix<Object> m = new ConnMatrix<>(1);
        for (int i = 0; i < N; i++) {
            m.add(0, shared);
        }
        assertEquals(N, m.size());
        GraphLayout layout = GraphLayout.parseInstance(m);
        long total = layout.totalSize() - VM.current().sizeOf(shared);
        long growth = total - fixed;

        long pages = (N + PAGE - 1) / PAGE;
        long expectedGrowth = pages * pageBytes;
        double perEntry = (double) total / N;
        double growthPerEntry = (double) growth / N;
        double designPerSlot = (double) pageBytes / PAGE;
        System.out.printf(
                "[ConnMatrixMemoryTest] JOL GraphLayout, %s%n"
                        + "  %,d live entries in one shard (default config): total %,d B = %.3f B/entry"
                        + " (growth %,d B = %.3f B/entry over an empty matrix of %,d B)%n"
                        + "  design: %d pages x %,d B (%.3f B/slot) = %,d B; page tables 3 x %,d B%n"
                        + "%s",
                VM.current().details().lines().filter(l -> l.contains("reference") || l.contains("header")
                        || l.contains("Objects are")).findFirst().orElse("").trim(),
                N, total, perEntry, growth, growthPerEntry, fixed,
                pages, pageBytes, designPerSlot, expectedGrowth, tableBytes, layout.toFootprint());

        // growth is exactly the pages, within 1%: no per-entry object, no extra per-slot array
        assertTrue(Math.abs(growth - expectedGrowth) <= expectedGrowth / 100,
                "growth " + growth + " B, design " + expectedGrowth + " B");
        // the fixed part is the three page tables plus small change, whatever the occupancy
        assertTrue(fixed >= 3 * tableBytes && fixed <= 3 * tableBytes + 4096,
                "empty matrix " + fixed + " B, design 3 x " + tableBytes + " B + < 4 KiB");
        // at most 12 B per live entry at 1,000,000 entries in one shard, tables and rounding included
        assertTrue(perEntry <= 12.0, "bytes per entry " + perEntry);
        // the object population: the matrix, its arrays, its counters, and the one shared connection
        assertTrue(layout.totalCount() < 3 * pages + 64, "objects reachable: " + layout.totalCount());
        // sanity bound in bytes per entry: 2 slot fields at their widths and a bit, plus page and table overhead
        double slotFieldBytes = VM.current().arrayIndexScale("object") + 4 + 0.125;
        assertTrue(perEntry < slotFieldBytes * 1.02 + (double) (3 * tableBytes + 4096) / N,
                "bytes per entry " + perEntry);
    }

    /**
     * After churn (a quarter of the entries removed by their owner and a quarter by another thread's
     * {@code remove}, in random order, each followed by an add): the free stack's pages stay what the most
     * free slots at once needed (here at most one page of 1,024 slots, since every remove is followed by an
     * add), so the matrix stays within the fresh figure plus a page of stack and its table. A stack that grew
     * per remove, or a slot link per entry, would fail it.
     */
    @Test
    void churnAddsAtMostTheFreeStacksPages() throws Exception {
        Object shared = new Object();
        ConnMatrix<Object> m = new ConnMatrix<>(1);
        long[] ids = new long[N];
        for (int i = 0; i < N; i++) {
            ids[i] = m.add(0, shared);
        }
        long fresh = GraphLayout.parseInstance(m).totalSize();
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            for (int i = 0; i < CHURN_STEPS; i++) {
                int p = random.nextInt(N);
                long id = ids[p];
                boolean won = i % 2 == 0 ? m.removeByOwner(id) : other.submit(() -> m.remove(id)).get();
                assertTrue(won, "seed " + seed + ": remove at step " + i);
                ids[p] = m.add(0, shared);
            }
        } finally {
            other.shutdown();
        }
        assertEquals(N, m.size());
        long churned = GraphLayout.parseInstance(m).totalSize();
        long stackPage = VM.current().sizeOf(new int[ConnMatrix.STACK_PAGE]);
        System.out.printf("[ConnMatrixMemoryTest] after %,d churn steps (seed %d): %,d B, fresh %,d B (+%,d B)%n",
                CHURN_STEPS, seed, churned, fresh, churned - fresh);
        assertTrue(churned - fresh <= stackPage + VM.current().sizeOf(new int[4][]),
                "seed " + seed + ": churn added " + (churned - fresh) + " B, more than one stack page");
    }

    static final int CHURN_STEPS = 8192;
}
