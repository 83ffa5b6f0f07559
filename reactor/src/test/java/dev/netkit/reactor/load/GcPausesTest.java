package dev.netkit.reactor.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GC pauses from the performance-data file: this JVM's own, a child JVM's (the load generator's case), the
 * unavailable cases, and the window's arithmetic on a synthetic file. No timed assertions.
 */
@Timeout(120) // a hang guard, not a timing assertion
class GcPausesTest {
    /** Garbage the collections have to look at; kept reachable between allocations so it is not elided. */
    static volatile Object sink;

    private static void churn() {
        List<byte[]> keep = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            keep.add(new byte[1024]);
        }
        sink = keep;
    }

    private static long mxCollections() {
        long n = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, b.getCollectionCount());
        }
        return n;
    }

    @Test
    void countsThisJvmsOwnPauses() {
        GcPauses gc = GcPauses.open(ProcessHandle.current().pid());
        assertTrue(gc.available(), gc::reason);
        assertNull(gc.reason());
        assertFalse(gc.collectors().isEmpty());
        assertFalse(gc.pauseCollectors().isEmpty(), gc.collectors()::toString);
        for (String name : gc.pauseCollectors()) {
            assertTrue(GcPauses.isPause(name), name);
        }
        long mxBefore = mxCollections();
        GcPauses.Window w = gc.window();
        for (int i = 0; i < 3; i++) {
            churn();
            System.gc();                    // a stop-the-world collection with any pause-counting collector
            w.poll();
        }
        GcPauses.Summary s = w.finish();
        long mxAfter = mxCollections();
        assertTrue(s.count() >= 3, s::toString);
        assertTrue(s.maxNanos() > 0, s::toString);
        assertTrue(s.totalNanos() >= s.maxNanos(), s::toString);
        assertTrue(s.polls() >= 5, s::toString);
        // the management beans count every collection (and ZGC's cycles besides its pauses): at least as many
        assertTrue(mxAfter - mxBefore >= s.count(), () -> s + " vs " + (mxAfter - mxBefore) + " by the MXBeans");
        assertEquals(s, w.finish(), "finish is idempotent");
    }

    @Test
    void pollsAnotherJvmOnADaemonThread() throws Exception {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process child = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                Child.class.getName()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8)); OutputStream in = child.getOutputStream()) {
            assertEquals("ready", out.readLine());
            GcPauses gc = GcPauses.open(child.pid());
            assertTrue(gc.available(), gc::reason);
            assertEquals(child.pid(), gc.data().pid());
            assertTrue(gc.data().string("sun.rt.javaCommand").contains(Child.class.getName()),
                    () -> gc.data().string("sun.rt.javaCommand"));
            GcPauses.Window w = gc.window().startPolling(Duration.ofMillis(GcPauses.DEFAULT_POLL_MILLIS));
            for (int i = 0; i < 3; i++) {
                in.write("gc\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
                assertEquals("done", out.readLine());
            }
            GcPauses.Summary s = w.finish();
            assertTrue(s.count() >= 3, s::toString);
            assertTrue(s.maxNanos() > 0, s::toString);
            assertTrue(s.totalNanos() >= s.maxNanos(), s::toString);
        } finally {
            child.destroy();
            child.waitFor();
        }
    }

    @Test
    void aJvmWithoutPerfDataIsUnavailableWithAReason() throws Exception {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process child = new ProcessBuilder(java, "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"),
                Child.class.getName()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertEquals("ready", out.readLine());
            GcPauses gc = GcPauses.open(child.pid());
            assertFalse(gc.available());
            assertTrue(gc.reason().contains("UsePerfData"), gc::reason);
            assertThrows(IllegalStateException.class, gc::window);
        } finally {
            child.destroy();
            child.waitFor();
        }
    }

    @Test
    void anAbsentPidIsUnavailableWithAReasonNotAnException() {
        ProcessHandle gone;
        try {
            Process p = new ProcessBuilder("true").start();
            p.waitFor();
            gone = p.toHandle();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
        GcPauses gc = GcPauses.open(gone.pid());
        assertFalse(gc.available());
        assertNotNull(gc.reason());
        assertTrue(gc.collectors().isEmpty());
        for (long pid : new long[]{0, -1, Long.MAX_VALUE}) {
            GcPauses g = GcPauses.open(pid);
            assertFalse(g.available(), () -> "pid " + pid);
            assertNotNull(g.reason(), () -> "pid " + pid);
        }
    }

    @Test
    void aProcessThatIsNoJvmIsUnavailable() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            GcPauses gc = GcPauses.open(sleep.pid());
            assertFalse(gc.available());
            assertTrue(gc.reason().contains("hsperfdata"), gc::reason);
        } finally {
            sleep.destroy();
            sleep.waitFor();
        }
    }

    @Test
    void concurrentCycleCountersAreNoPauses() throws IOException {
        HsPerfDataTest.Region r = new HsPerfDataTest.Region(ByteOrder.LITTLE_ENDIAN);
        r.counter("sun.os.hrt.frequency", 6, 1, 1_000_000_000L);
        collector(r, 0, "Shenandoah partial");
        collector(r, 1, "Shenandoah full");
        GcPauses gc = GcPauses.of(r.parse());
        assertFalse(gc.available());
        assertTrue(gc.reason().contains("no pause counters"), gc::reason);
        assertEquals(List.of("0: Shenandoah partial", "1: Shenandoah full"), gc.collectors());
        assertFalse(GcPauses.isPause("Shenandoah concurrent phases"));
        assertTrue(GcPauses.isPause("G1 concurrent cycle pauses"));
        assertTrue(GcPauses.isPause("stop-the-world"));
    }

    /**
     * The window's arithmetic, step by step on a synthetic file (1 tick = 1 us): collectors 0 and 2 with a gap
     * between (as ZGC numbers them) and a non-pause collector 3 left out.
     */
    @Test
    void windowTakesEachPauseSeenAloneAndBoundsTheOthers() throws IOException {
        HsPerfDataTest.Region r = new HsPerfDataTest.Region(ByteOrder.LITTLE_ENDIAN);
        r.counter("sun.os.hrt.frequency", 6, 1, 1_000_000L);
        collector(r, 0, "Test minor collection pauses");
        collector(r, 2, "Test major collection pauses");
        collector(r, 3, "Test concurrent cycles");
        state(r, 0, 5, 500, 1000, 1100);                 // five pauses before the window, the last ended
        GcPauses gc = GcPauses.of(r.parse());
        assertTrue(gc.available(), gc::reason);
        assertEquals(3, gc.collectors().size());
        assertEquals(List.of("Test minor collection pauses", "Test major collection pauses"), gc.pauseCollectors());
        GcPauses.Window w = gc.window();

        state(r, 0, 6, 500, 2000, 1100);                 // a pause begins (entry after exit): not counted yet
        w.poll();
        state(r, 0, 6, 800, 2000, 2300);                 // it ends: 300 us, seen alone
        w.poll();
        state(r, 0, 8, 950, 4000, 4050);                 // two end between polls: 100 then 50; only 50 is seen
        w.poll();
        state(r, 0, 10, 1950, 7000, 6000);               // 1000 ends, and another is running at the poll
        w.poll();
        state(r, 2, 1, 40, 100, 140);                    // the other collector: one pause of 40 us
        state(r, 3, 9, 99_999, 0, 99_999);               // not a pause collector: ignored

        GcPauses.Summary s = w.finish();
        assertEquals(4 + 1, s.count(), s::toString);     // 6..9 on collector 0 (10 still running), 1 on 2
        assertEquals((1950 - 500 + 40) * 1000L, s.totalNanos(), s::toString);
        assertEquals(1000 * 1000L, s.maxNanos(), s::toString);  // the unseen 1000 us, bounded by its average
        assertEquals(2, s.unresolved(), s::toString);    // the 100 us one and the 1000 us one
        assertEquals(6, s.polls(), s::toString);
    }

    @Test
    void aPauseRunningWhenTheWindowOpensCountsWhenItEnds() throws IOException {
        HsPerfDataTest.Region r = new HsPerfDataTest.Region(ByteOrder.BIG_ENDIAN);
        r.counter("sun.os.hrt.frequency", 6, 1, 1_000_000_000L);
        collector(r, 1, "Test full collection pauses");
        state(r, 1, 3, 9_000, 50_000, 40_000);           // the third is running
        GcPauses.Window w = GcPauses.of(r.parse()).window();
        state(r, 1, 3, 29_000, 50_000, 70_000);          // it ends: 20,000 ns
        GcPauses.Summary s = w.finish();
        assertEquals(1, s.count(), s::toString);
        assertEquals(20_000, s.maxNanos(), s::toString);
        assertEquals(20_000, s.totalNanos(), s::toString);
        assertEquals(0, s.unresolved(), s::toString);
    }

    @Test
    void noPausesInTheWindowIsZeroNotUnavailable() throws IOException {
        HsPerfDataTest.Region r = new HsPerfDataTest.Region(ByteOrder.LITTLE_ENDIAN);
        r.counter("sun.os.hrt.frequency", 6, 1, 1_000_000_000L);
        collector(r, 0, "Test young collection pauses");
        state(r, 0, 2, 500, 1000, 1200);
        GcPauses.Summary s = GcPauses.of(r.parse()).window().finish();
        assertEquals(new GcPauses.Summary(0, 0, 0, 0, 2), s);
    }

    private static void collector(HsPerfDataTest.Region r, int n, String name) {
        String ns = "sun.gc.collector." + n + ".";
        r.string(ns + "name", name);
        r.counter(ns + "invocations", 4, 2, 0);
        r.counter(ns + "time", 3, 2, 0);
        r.counter(ns + "lastEntryTime", 3, 3, 0);
        r.counter(ns + "lastExitTime", 3, 3, 0);
    }

    private static void state(HsPerfDataTest.Region r, int n, long invocations, long time, long entry, long exit) {
        String ns = "sun.gc.collector." + n + ".";
        r.set(ns + "invocations", invocations);
        r.set(ns + "time", time);
        r.set(ns + "lastEntryTime", entry);
        r.set(ns + "lastExitTime", exit);
    }

    /** A child JVM: says "ready", then runs a full collection per "gc" line on stdin, answering "done". */
    public static final class Child {
        private Child() {
        }

        /**
         * @param args unused
         * @throws IOException if stdin fails
         */
        public static void main(String[] args) throws IOException {
            System.out.println("ready");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if ("gc".equals(line)) {
                    churn();
                    System.gc();
                    System.out.println("done");
                }
            }
        }
    }
}
