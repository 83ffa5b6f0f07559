package dev.netkit.reactor.load;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PerfData parser: against this JVM's own file, and against synthetic regions in both byte orders. */
class HsPerfDataTest {

    @Test
    void readsThisJvmsOwnFile() throws IOException {
        HsPerfData d = HsPerfData.open(ProcessHandle.current().pid());
        assertEquals("2.0", d.version());
        assertEquals(ByteOrder.nativeOrder(), d.byteOrder());
        assertTrue(d.file().toString().contains("hsperfdata_"), d.file()::toString);
        // a string the JVM copies from a system property: the strings are read right
        assertEquals(System.getProperty("java.version"), d.string("java.property.java.version"));
        HsPerfData.Counter freq = d.counter("sun.os.hrt.frequency");
        assertNotNull(freq);
        assertTrue(freq.get() > 0);
        assertEquals(6, d.units("sun.os.hrt.frequency"));               // U_Hertz
        assertEquals(1, d.variability("sun.os.hrt.frequency"));         // V_Constant
        assertNotNull(d.string("sun.gc.collector.0.name"));
        assertEquals(4, d.units("sun.gc.collector.0.invocations"));     // U_Events
        assertEquals(2, d.variability("sun.gc.collector.0.invocations")); // V_Monotonic
        assertEquals(3, d.units("sun.gc.collector.0.lastEntryTime"));   // U_Ticks
        assertEquals(3, d.variability("sun.gc.collector.0.lastEntryTime")); // V_Variable
        assertNull(d.counter("sun.gc.collector.0.name"), "a string is no long counter");
        assertNull(d.string("sun.gc.collector.0.invocations"), "a long is no string");
        assertNull(d.counter("no.such.counter"));
    }

    @Test
    void parsesBothByteOrders() throws IOException {
        for (ByteOrder order : new ByteOrder[]{ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            Region r = new Region(order);
            r.string("sun.gc.collector.0.name", "Test young collection pauses");
            r.counter("sun.gc.collector.0.invocations", 4, 2, 7);
            r.counter("sun.os.hrt.frequency", 6, 1, 1_000_000_000L);
            HsPerfData d = r.parse();
            assertEquals(order, d.byteOrder(), order::toString);
            assertEquals("Test young collection pauses", d.string("sun.gc.collector.0.name"));
            HsPerfData.Counter inv = d.counter("sun.gc.collector.0.invocations");
            assertEquals(7, inv.get());
            r.set("sun.gc.collector.0.invocations", 8);              // updated in place, read live
            assertEquals(8, inv.get());
            assertEquals(1_000_000_000L, d.counter("sun.os.hrt.frequency").get());
        }
    }

    @Test
    void refusesWhatIsNotPerfData() {
        Region bad = new Region(ByteOrder.LITTLE_ENDIAN);
        bad.buf.putInt(0, 0x12345678);
        IOException e = assertThrows(IOException.class, bad::parse);
        assertTrue(e.getMessage().contains("bad magic"), e::getMessage);

        Region closed = new Region(ByteOrder.LITTLE_ENDIAN);
        closed.buf.put(7, (byte) 0);
        e = assertThrows(IOException.class, closed::parse);
        assertTrue(e.getMessage().contains("accessible"), e::getMessage);

        Region v1 = new Region(ByteOrder.LITTLE_ENDIAN);
        v1.buf.put(5, (byte) 1);
        e = assertThrows(IOException.class, v1::parse);
        assertTrue(e.getMessage().contains("version"), e::getMessage);
    }

    /**
     * A synthetic PerfData region laid out as HotSpot's {@code PerfData::create_entry} does: a 20-byte entry
     * header, the NUL-terminated name, padding to the data's size, the data, the whole rounded up to 8.
     */
    static final class Region {
        final ByteBuffer buf = ByteBuffer.allocateDirect(8192);
        final Map<String, Integer> offsets = new LinkedHashMap<>();
        private int top = 32;
        private int count;

        Region(ByteOrder order) {
            buf.order(ByteOrder.BIG_ENDIAN).putInt(0, HsPerfData.MAGIC);
            buf.order(order);
            buf.put(4, (byte) (order == ByteOrder.BIG_ENDIAN ? 0 : 1));
            buf.put(5, (byte) 2);
            buf.put(6, (byte) 0);
            buf.put(7, (byte) 1);
            buf.putInt(24, 32);
            header();
        }

        private void header() {
            buf.putInt(8, top);
            buf.putInt(28, count);
        }

        private int entry(String name, char type, int units, int variability, int vectorLength, int dsize) {
            byte[] n = (name + "\0").getBytes(StandardCharsets.US_ASCII);
            int size = 20 + n.length;
            size += (size % dsize) == 0 ? 0 : dsize - size % dsize;
            int dataStart = size;
            size += dsize * Math.max(1, vectorLength);
            size = (size + 7) & ~7;
            int at = top;
            buf.putInt(at, size);
            buf.putInt(at + 4, 20);
            buf.putInt(at + 8, vectorLength);
            buf.put(at + 12, (byte) type);
            buf.put(at + 13, (byte) 0);
            buf.put(at + 14, (byte) units);
            buf.put(at + 15, (byte) variability);
            buf.putInt(at + 16, dataStart);
            buf.put(at + 20, n);
            top += size;
            count++;
            header();
            offsets.put(name, at + dataStart);
            return at + dataStart;
        }

        void counter(String name, int units, int variability, long value) {
            buf.putLong(entry(name, 'J', units, variability, 0, 8), value);
        }

        void string(String name, String value) {
            byte[] v = (value + "\0").getBytes(StandardCharsets.US_ASCII);
            buf.put(entry(name, 'B', 5, 1, v.length, 1), v);
        }

        void set(String name, long value) {
            buf.putLong(offsets.get(name), value);
        }

        HsPerfData parse() throws IOException {
            return HsPerfData.parse(1, Path.of("synthetic"), buf);
        }
    }
}
