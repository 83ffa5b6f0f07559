package dev.netkit.padding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;
import org.openjdk.jol.vm.VM;

/**
 * The layout claims of the padding module, checked with JOL on the JVM that runs the build (field offsets
 * come from the VM itself, so this is a fact about this JVM and its flags, e.g. compact object headers).
 *
 * <p>Terms. A <em>window</em> is the 128 bytes before a hot field's first byte, or the 128 bytes after its
 * last byte. 128 bytes = two 64-byte cache lines, because the adjacent-line prefetcher pulls lines in
 * 128-byte-aligned pairs. A <em>sector</em> is such a 128-byte-aligned pair: the real sharing unit. The
 * window checks are the conservative form of the sector checks, and both are asserted.
 */
class PaddingLayoutTest {

    private static final int REGION = 128;
    private static final Pattern PAD_NAME = Pattern.compile("p\\d{3}");
    // By name: the ladder's classes live in PaddedLong.java, and naming them here would be an auxiliary-class access.
    private static final String LHS = "dev.netkit.padding.PaddedLongLhsPad";
    private static final String VALUE_HOST = "dev.netkit.padding.PaddedLongValue";
    private static final String RHS = "dev.netkit.padding.PaddedLongRhsPad";

    // ------------------------------------------------------------------ PaddedAtomicLong, PaddedSequence

    @ParameterizedTest(name = "{0}")
    @ValueSource(classes = {PaddedAtomicLong.class, PaddedSequence.class})
    void valueIsAloneBetweenTwoPads(Class<?> type) {
        ClassLayout layout = ClassLayout.parseClass(type);
        System.out.println(VM.current().details());
        System.out.println(layout.toPrintable());

        List<FieldLayout> fields = new ArrayList<>(layout.fields());
        FieldLayout value = fields.stream().filter(f -> f.name().equals("value")).findFirst()
                .orElseThrow(() -> new AssertionError("no field `value` in " + type));
        long vStart = value.offset();
        long vEnd = vStart + value.size();
        long size = layout.instanceSize();
        String where = type.getSimpleName() + ": value at [" + vStart + ", " + vEnd + "), instance size " + size;

        assertEquals(VALUE_HOST, value.hostClass(), where);
        assertEquals(8, value.size(), where);
        assertEquals(0, vStart % 8, "value is 8-aligned, so a plain/opaque access never tears; " + where);

        // (d) Nothing but the pads and the value: the public classes add no instance field.
        for (FieldLayout f : fields) {
            assertTrue(f == value || isPad(f), () -> "unexpected field " + describe(f) + "; " + where);
        }
        assertEquals(0, instanceFieldsDeclaredBy(type), type + " declares no instance field");
        assertEquals(REGION, fields.stream().filter(f -> f.hostClass().equals(LHS)).mapToLong(FieldLayout::size).sum());
        assertEquals(REGION, fields.stream().filter(f -> f.hostClass().equals(RHS)).mapToLong(FieldLayout::size).sum());
        assertEquals(2 * REGION + 1, fields.size(), where);

        // (a) Every field with a byte in either window is a pad. Given (d) this cannot fail today; it is the
        // property that matters, and it stays meaningful if (d) is ever relaxed.
        for (FieldLayout f : fields) {
            if (f != value && (overlaps(f, vStart - REGION, vStart) || overlaps(f, vEnd, vEnd + REGION))) {
                assertTrue(isPad(f), () -> describe(f) + " lies within 128 bytes of value; " + where);
            }
        }

        // (b) The window before the value lies inside this object (the header is in it, but no field of the
        // previous heap object can be), and so does the window after it (the next object starts at or after
        // the instance size, which includes the alignment gap).
        assertTrue(vStart >= REGION, "value.offset >= 128; " + where);
        assertTrue(size - vEnd >= REGION, "instanceSize - value end >= 128; " + where);

        // (c) The pads stayed where the hierarchy put them. The exact expectation, derived from HotSpot's
        // field layout (superclass fields first; a subclass field may fill a hole in the superclass layout):
        //  - the left pad is the object's first 128 bytes of fields, contiguous, starting at the first field
        //    offset H (12 with compressed class pointers, 8 with compact headers, 16 with neither);
        //  - value sits at the next 8-aligned offset V = alignUp(H + 128, 8), leaving a hole of
        //    g = V - (H + 128) bytes, 0 <= g <= 7;
        //  - the right pad's bytes are the only fields that may fill that hole (a subclass field can, a
        //    superclass field cannot), so at most g of them lie before value and at least 128 - g after it.
        //    g = 4 with compressed class pointers (H=12: 140..143 filled, value at 144), 0 otherwise.
        // The "128 - 8 bytes" allowance is the bound g <= 7 rounded up; here the exact g is asserted.
        long firstField = fields.stream().mapToLong(FieldLayout::offset).min().orElseThrow();
        long lhsMin = fields.stream().filter(f -> f.hostClass().equals(LHS)).mapToLong(FieldLayout::offset).min()
                .orElseThrow();
        long lhsMax = fields.stream().filter(f -> f.hostClass().equals(LHS)).mapToLong(f -> f.offset() + f.size())
                .max().orElseThrow();
        assertEquals(firstField, lhsMin, "the left pad comes first; " + where);
        assertEquals(lhsMin + REGION, lhsMax, "the left pad is contiguous; " + where);
        long hole = vStart - lhsMax;
        assertEquals(alignUp(lhsMax, 8), vStart, "value follows the left pad at the next 8-aligned offset; " + where);
        assertTrue(hole >= 0 && hole < 8, where);
        long rhsBefore = fields.stream().filter(f -> f.hostClass().equals(RHS) && f.offset() < vStart)
                .mapToLong(FieldLayout::size).sum();
        long rhsAfter = fields.stream().filter(f -> f.hostClass().equals(RHS) && f.offset() >= vEnd)
                .mapToLong(FieldLayout::size).sum();
        for (FieldLayout f : fields) {
            if (f.hostClass().equals(LHS)) {
                assertTrue(f.offset() + f.size() <= vStart, () -> describe(f) + " must lie before value; " + where);
            }
            if (f.hostClass().equals(RHS) && f.offset() < vStart) {
                assertTrue(f.offset() >= lhsMax, () -> describe(f) + " may only fill the hole; " + where);
            }
        }
        assertTrue(rhsBefore <= hole, "right-pad bytes before value fit in the hole; " + where);
        assertEquals(REGION, rhsBefore + rhsAfter, where);
        assertTrue(rhsAfter >= REGION - hole, where);
        assertEquals(hole, rhsBefore, "HotSpot fills the hole with right-pad bytes; " + where);
        long rhsAfterEnd = fields.stream().filter(f -> f.hostClass().equals(RHS) && f.offset() >= vEnd)
                .mapToLong(f -> f.offset() + f.size()).max().orElseThrow();
        assertEquals(vEnd + rhsAfter, rhsAfterEnd, "the right pad after value is contiguous; " + where);
        assertEquals(alignUp(rhsAfterEnd, VM.current().objectAlignment()), size, where);

        // Sector check: for every possible object address modulo 128 (objects are objectAlignment-aligned),
        // the 128-byte-aligned sector holding value lies inside this object's field area (not the header,
        // whose mark word is written by locking and hashing) and holds no field but pads and value.
        int align = VM.current().objectAlignment();
        for (long addr = 0; addr < REGION; addr += align) {
            long sector = Math.floorDiv(addr + vStart, REGION) * REGION - addr; // sector start, object-relative
            long sEnd = sector + REGION;
            String at = where + ", object address = " + addr + " mod 128, sector [" + sector + ", " + sEnd + ")";
            assertTrue(sector >= firstField, "sector clear of the header; " + at);
            assertTrue(sEnd <= size, "sector inside this object; " + at);
            for (FieldLayout f : fields) {
                if (f != value && overlaps(f, sector, sEnd)) {
                    assertTrue(isPad(f), () -> describe(f) + " shares value's sector; " + at);
                }
            }
        }
    }

    @Test
    void liveInstanceLayoutMatchesClassLayout() {
        PaddedAtomicLong v = new PaddedAtomicLong(0x0123_4567_89AB_CDEFL);
        ClassLayout live = ClassLayout.parseInstance(v);
        System.out.println(live.toPrintable(v));
        assertEquals(ClassLayout.parseClass(PaddedAtomicLong.class).instanceSize(), live.instanceSize());
        assertEquals(live.instanceSize(), VM.current().sizeOf(v));
        assertEquals(live.instanceSize(), VM.current().sizeOf(new PaddedSequence()));
    }

    /** A subclass that declares a field after the right pad, which PaddedAtomicLong and PaddedSequence never do. */
    @SuppressWarnings("unused")
    static final class FieldAfterRightPad extends PaddedLong {
        int after;

        @Override
        public long longValue() {
            return value;
        }
    }

    /**
     * The "128 vs 136" rule of the package documentation, measured: a field declared after a 128-byte pad lands
     * only {@code 128 - g} bytes (rounded up to its alignment) after the hot field, where {@code g} (0 to 7) is
     * the number of pad bytes HotSpot moved into the alignment gap before the hot field. With compressed class
     * pointers g = 4 and the field is 124 bytes away; with compact headers g = 0. So a pad that some field
     * follows must be 136 bytes (ring's middle pads), and a pad that ends the object may be 128 (this module's
     * right pad: the object size is a multiple of 8, which gives the g bytes back as unwritten space).
     */
    @Test
    void aFieldAfterA128BytePadLosesTheBytesMovedIntoTheGap() {
        ClassLayout layout = ClassLayout.parseClass(FieldAfterRightPad.class);
        System.out.println(layout.toPrintable());
        FieldLayout value = layout.fields().stream().filter(f -> f.name().equals("value")).findFirst().orElseThrow();
        FieldLayout after = layout.fields().stream().filter(f -> f.name().equals("after")).findFirst().orElseThrow();
        long lhsEnd = layout.fields().stream().filter(f -> f.hostClass().equals(LHS))
                .mapToLong(f -> f.offset() + f.size()).max().orElseThrow();
        long hole = value.offset() - lhsEnd;
        long vEnd = value.offset() + value.size();
        long distance = after.offset() - vEnd;
        String where = "value at " + value.offset() + ", hole " + hole + ", after at " + after.offset();
        assertTrue(hole >= 0 && hole < 8, where);
        assertEquals(alignUp(REGION - hole, 4), distance, "the moved pad bytes are missing after value; " + where);
        assertTrue(distance >= REGION - 7, where);
        assertTrue(distance + 8 >= REGION, "8 more pad bytes (a 136-byte pad) would cover the loss; " + where);
        // The same hierarchy with no field after the pad (PaddedAtomicLong): the object's end restores 128.
        ClassLayout closed = ClassLayout.parseClass(PaddedAtomicLong.class);
        assertTrue(closed.instanceSize() - vEnd >= REGION, "closed: " + closed.instanceSize() + "; " + where);
    }

    private static boolean isPad(FieldLayout f) {
        return PAD_NAME.matcher(f.name()).matches() && (f.hostClass().equals(LHS) || f.hostClass().equals(RHS))
                && f.size() == 1;
    }

    private static boolean overlaps(FieldLayout f, long from, long to) {
        return f.offset() < to && f.offset() + f.size() > from;
    }

    private static String describe(FieldLayout f) {
        return f.hostClass() + "." + f.name() + " at [" + f.offset() + ", " + (f.offset() + f.size()) + ")";
    }

    private static long instanceFieldsDeclaredBy(Class<?> type) {
        return Arrays.stream(type.getDeclaredFields()).filter(f -> !Modifier.isStatic(f.getModifiers())).count();
    }

    private static long alignUp(long x, long a) {
        return (x + a - 1) / a * a;
    }

    // ------------------------------------------------------------------ StripedCounter

    @ParameterizedTest(name = "stripes={0}")
    @ValueSource(ints = {1, 2, 3, 8, 33})
    void stripedCellsAreAtLeast128BytesApart(int stripes) {
        StripedCounter c = new StripedCounter(stripes);
        long[] cells = c.cellsForTest();
        ClassLayout arrayLayout = ClassLayout.parseInstance(cells);
        if (stripes == 1) {
            System.out.println(arrayLayout.toPrintable(cells));
        }
        long base = VM.current().arrayBaseOffset("long");
        long scale = VM.current().arrayIndexScale("long");
        long arraySize = VM.current().sizeOf(cells);
        assertEquals(8, scale);
        assertEquals(arraySize, arrayLayout.instanceSize());
        assertTrue(arrayLayout.headerSize() <= base, "header " + arrayLayout.headerSize() + ", base " + base);

        long[] off = new long[stripes];
        for (int s = 0; s < stripes; s++) {
            off[s] = base + scale * c.index(s);
            assertEquals(0, off[s] % 8, "cell " + s + " is 8-aligned");
        }
        String where = "stripes=" + stripes + " base=" + base + " length=" + cells.length + " size=" + arraySize
                + " cell offsets=" + Arrays.toString(off);

        // First cell: >= 128 bytes from the array's start (header included), and in fact 128 bytes of
        // never-written elements in front of it, so the header (length, mark word) is outside its window.
        assertTrue(off[0] >= REGION, where);
        assertTrue(off[0] - base >= REGION, where);
        // Last cell: >= 128 bytes of this array after its last byte.
        long lastEnd = off[stripes - 1] + 8;
        assertTrue(base + scale * cells.length - lastEnd >= REGION, where);
        assertTrue(arraySize - lastEnd >= REGION, where);

        // Between two consecutive cells lie at least 128 bytes of never-written elements: no cell is
        // within 128 bytes of another, the same rule as for the padded objects' value field.
        for (int s = 1; s < stripes; s++) {
            assertTrue(off[s] - (off[s - 1] + 8) >= REGION, where + " at stripe " + s);
        }
        for (int a = 0; a < stripes; a++) {
            for (int b = a + 1; b < stripes; b++) {
                assertTrue(off[a] + REGION <= off[b] || off[b] + REGION <= off[a], where + " cells " + a + ", " + b);
            }
        }

        // Sector check: for every possible array address modulo 128, no two live cells share a 128-byte-
        // aligned sector, and no live cell shares one with the array header.
        int align = VM.current().objectAlignment();
        for (long addr = 0; addr < REGION; addr += align) {
            long headerLastSector = Math.floorDiv(addr + base - 1, REGION);
            long previous = Long.MIN_VALUE;
            for (int s = 0; s < stripes; s++) {
                long sector = Math.floorDiv(addr + off[s], REGION);
                assertEquals(sector, Math.floorDiv(addr + off[s] + 7, REGION), "a cell never straddles; " + where);
                assertTrue(sector > headerLastSector, where + " addr=" + addr + " stripe " + s);
                assertTrue(sector > previous, where + " addr=" + addr + " stripe " + s);
                previous = sector;
            }
        }
    }

    /** The same layout rule for the shared cells, reached through reflection on the private field. */
    @Test
    void sharedCellsUseTheSameStride() throws ReflectiveOperationException {
        StripedCounter c = new StripedCounter(1);
        c.increment();
        Field f = StripedCounter.class.getDeclaredField("shared");
        f.setAccessible(true);
        long[] shared = (long[]) f.get(c);
        int n = shared.length / StripedCounter.STRIDE - 2;
        assertTrue(n >= 1 && Integer.bitCount(n) == 1 && n <= 64, "shared cells: " + n);
        assertEquals((n + 2) * StripedCounter.STRIDE, shared.length);
        assertTrue((StripedCounter.STRIDE - 1) * 8 >= REGION, "128 bytes between cells");
        long nonZero = Arrays.stream(shared).filter(x -> x != 0).count();
        assertEquals(1, nonZero, "one cell was counted into");
        int live = -1;
        for (int i = 0; i < shared.length; i++) {
            if (shared[i] != 0) {
                live = i;
            }
        }
        assertTrue(live >= StripedCounter.STRIDE && live % StripedCounter.STRIDE == 0
                && live < shared.length - StripedCounter.STRIDE, "live shared index " + live);
    }
}
