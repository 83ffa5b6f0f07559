package dev.netkit.connmatrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.vm.VM;

/**
 * Memory per live entry, measured with JOL ({@link GraphLayout}: the sum of the shallow sizes of every
 * object reachable from the matrix, on the JVM running the test).
 *
 * <p>The design: a slot costs a reference, an int generation and an int free-list link, in two arrays per
 * page (4,096 slots): an {@code Object[4096]} of references and an {@code int[8192]} that interleaves
 * each slot's generation and link (generation at 2i, link at 2i + 1). Pages are added on demand; each
 * shard has two page tables (connPages, slotPages) allocated at full length in the constructor: 4,096
 * entries each at the default 16,777,216 slots per shard. No object is allocated per entry. So with N
 * entries in one shard:
 * <pre>
 *   growth(N) = ceil(N / 4096) * (size(Object[4096]) + size(int[8192]))
 *   fixed     = 2 * size(Object[4096]) + a few small objects (counters, owner state)
 * </pre>
 * With compressed references that is 12 bytes per slot plus 32 bytes of array headers per page. The test
 * asserts the measured growth equals that within 1%, so an extra per-entry object (16 bytes or more) or an
 * extra per-slot array (4 bytes) would fail it, and prints bytes per entry. {@link #layoutIsTwoArraysPerPage}
 * pins the layout itself: exactly one {@code Object[4096]} and one {@code int[8192]} per page. All entries share one
 * connection object, so the connections themselves are not counted (and JOL walks ~250 arrays, not a
 * million objects).
 */
class ConnMatrixMemoryTest {

    static final int N = 1_000_000;
    static final int PAGE = 1 << ConnMatrix.DEFAULT_PAGE_SHIFT;

    @Test
    void bytesPerLiveEntryMatchTheDesign() {
        long refArrayPage = VM.current().sizeOf(new Object[PAGE]);
        long intArrayPage = VM.current().sizeOf(new int[2 * PAGE]);
        long pageBytes = refArrayPage + intArrayPage;
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
                        + "  design: %d pages x %,d B (%.3f B/slot) = %,d B; page tables 2 x %,d B%n"
                        + "%s",
                VM.current().details().lines().filter(l -> l.contains("reference") || l.contains("header")
                        || l.contains("Objects are")).findFirst().orElse("").trim(),
                N, total, perEntry, growth, growthPerEntry, fixed,
                pages, pageBytes, designPerSlot, expectedGrowth, tableBytes, layout.toFootprint());

        // growth is exactly the pages, within 1%: no per-entry object, no extra per-slot array
        assertTrue(Math.abs(growth - expectedGrowth) <= expectedGrowth / 100,
                "growth " + growth + " B, design " + expectedGrowth + " B");
        // the fixed part is the two page tables plus small change, whatever the occupancy
        assertTrue(fixed >= 2 * tableBytes && fixed <= 2 * tableBytes + 4096,
                "empty matrix " + fixed + " B, design 2 x " + tableBytes + " B + < 4 KiB");
        // the object population: the matrix, its arrays, its counters, and the one shared connection
        assertTrue(layout.totalCount() < 2 * pages + 64, "objects reachable: " + layout.totalCount());
        // sanity bound in bytes per entry: 3 slot fields at their widths, plus page and table overhead
        double slotFieldBytes = VM.current().arrayIndexScale("object") + 4 + 4;
        assertTrue(perEntry < slotFieldBytes * 1.02 + (double) (2 * tableBytes + 4096) / N,
                "bytes per entry " + perEntry);
    }

    /**
     * The interleaved layout, by JOL's class histogram: a full page is exactly one {@code Object[4096]}
     * (the references) and one {@code int[8192]} (generation and link interleaved), and there are no
     * other int arrays of a page's size (no separate generation or link array).
     */
    @Test
    void layoutIsTwoArraysPerPage() {
        int pages = 5;
        Object shared = new Object();
        ConnMatrix<Object> m = new ConnMatrix<>(1);
        for (int i = 0; i < pages * PAGE; i++) {
            m.add(0, shared);
        }
        GraphLayout layout = GraphLayout.parseInstance(m);
        long refPages = count(layout, Object[].class, VM.current().sizeOf(new Object[PAGE]));
        long slotPages = count(layout, int[].class, VM.current().sizeOf(new int[2 * PAGE]));
        long otherIntPages = count(layout, int[].class, VM.current().sizeOf(new int[PAGE]));
        System.out.printf("[ConnMatrixMemoryTest] %d full pages: %d Object[%d], %d int[%d], %d int[%d]%n",
                pages, refPages, PAGE, slotPages, 2 * PAGE, otherIntPages, PAGE);
        assertEquals(pages, refPages, "Object[" + PAGE + "]: one per page");
        assertEquals(pages, slotPages, "int[" + 2 * PAGE + "]: one per page");
        assertEquals(0, otherIntPages, "int[" + PAGE + "]: none (no separate generation or link arrays)");
        // the page tables, 4,096 references each at the default capacity: one for each kind of page
        long tableSize = VM.current().sizeOf(new Object[PAGE]);
        assertEquals(1, count(layout, Object[][].class, tableSize), "Object[][" + PAGE + "]: the conns table");
        assertEquals(1, count(layout, int[][].class, tableSize), "int[][" + PAGE + "]: the slots table");
    }

    /** Objects of class {@code k} and of {@code size} bytes reachable in {@code layout}. */
    private static long count(GraphLayout layout, Class<?> k, long size) {
        return layout.addresses().stream().map(layout::record)
                .filter(r -> r.klass() == k && r.size() == size).count();
    }
}
