package dev.netkit.bench.charts;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Renders the PNG charts of {@code bench/charts} from the result files in {@code bench/results} that the
 * module READMEs' tables cite: one chart per library module (each structure beside its peers and floors,
 * from JMH JSON and the footprint programs' text tables) and two for the reactor (echo throughput and CPU
 * per message against connections, from {@code bench/reactor-ab.sh}'s CSVs; idle RSS per connection by
 * server kind, from {@code bench/reactor-idle.sh}'s summaries). Each PNG names its source files under the
 * plot, and {@code bench/charts/SOURCES.md} lists them too.
 *
 * <p>Usage, from the repository root: {@code java -cp bench/target/benchmarks.jar
 * dev.netkit.bench.charts.Charts [--check] [RESULTS_DIR [CHARTS_DIR]]} (defaults {@code bench/results} and
 * {@code bench/charts}). With {@code --check} it reads every value every chart needs and draws nothing: it
 * exits 1, naming the file and the benchmark, when a cited result is missing, so CI can run it after
 * {@code bench/results} changes.
 */
public final class Charts {
    private static final int PANEL_WIDTH = 620;
    private static final int PANEL_HEIGHT = 440;
    private static final Color NETKIT = new Color(0x1F, 0x77, 0xB4);
    private static final Color PEER = new Color(0xB0, 0xB0, 0xB0);
    private static final Color NETKIT_LIGHT = new Color(0x6B, 0xAE, 0xD6);
    private static final Color PEER_EPOLL = new Color(0xD6, 0x27, 0x28);
    private static final Color PEER_IO_URING = new Color(0xFF, 0x7F, 0x0E);

    private Charts() {
    }

    /** A value read from the results: one bar or one point. */
    interface Source {
        /** The value, read from {@code results}. */
        Results.Value read(Results results);

        /** The results file (relative to the results directory) the value comes from. */
        String file();
    }

    /** A JMH value: see {@link Results#jmh}. */
    record Jmh(String file, String method, Map<String, String> params, String metric) implements Source {
        @Override
        public Results.Value read(Results results) {
            return results.jmh(file, method, params, metric);
        }
    }

    /**
     * A benchmark's mean over every round of a {@code bench/interleave} directory, with JMH's error over all
     * those iterations: see {@link Results#rounds}.
     */
    record Rounds(String file, String method, String metric) implements Source {
        @Override
        public Results.Value read(Results results) {
            return results.rounds(file, method, metric);
        }
    }

    /** A number from a text table: see {@link Results#textColumn}. */
    record Text(String file, String label, int index) implements Source {
        @Override
        public Results.Value read(Results results) {
            return new Results.Value(results.textColumn(file, label, index), 0);
        }
    }

    /** One category of a bar panel: its label, whether it is netkit's own, one source per series (or null). */
    record Bar(String label, boolean netkit, List<Source> sources) {
    }

    /** One bar panel: values are divided by {@code divisor}; a log panel draws no error bars. */
    record Panel(String title, String yTitle, boolean log, double divisor, List<String> series, List<Bar> bars) {
    }

    /**
     * Draws the charts, or with {@code --check} only reads their values; exits 1 if a value is missing.
     *
     * @param args {@code [--check] [RESULTS_DIR [CHARTS_DIR]]}
     * @throws IOException if a chart or {@code SOURCES.md} cannot be written
     */
    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        boolean check = rest.remove("--check");
        Path resultsDir = Path.of(rest.isEmpty() ? "bench/results" : rest.get(0));
        Path chartsDir = Path.of(rest.size() < 2 ? "bench/charts" : rest.get(1));
        Results results = new Results(resultsDir);
        Map<String, List<Panel>> moduleCharts = moduleCharts();
        List<String> problems = problems(results);
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println("charts: " + p));
            System.exit(1);
        }
        if (check) {
            System.out.println("charts: every value of " + (moduleCharts.size() + reactorReaders().size())
                    + " charts found in " + resultsDir);
            return;
        }
        Files.createDirectories(chartsDir);
        StringBuilder sources = new StringBuilder("# Sources of the charts\n\nWritten by `Charts` (see README.md); "
                + "every file is under `bench/results/`.\n\n");
        for (Map.Entry<String, List<Panel>> chart : moduleCharts.entrySet()) {
            List<BufferedImage> images = new ArrayList<>();
            Set<String> files = new LinkedHashSet<>();
            for (Panel panel : chart.getValue()) {
                images.add(BitmapEncoder.getBufferedImage(barChart(panel, results)));
                panel.bars().forEach(b -> b.sources().forEach(s -> {
                    if (s != null) {
                        files.add(s.file());
                    }
                }));
            }
            write(chartsDir, chart.getKey(), chart.getKey() + ": netkit beside its peers and floors", images,
                    files, sources,
                    "Bars: JMH scores (footprints: the program's figure); whiskers on linear panels: JMH's 99.9% "
                            + "error; netkit in blue, peers and floors in grey.");
        }
        List<String> echoDirs = echoRunDirs();
        write(chartsDir, "reactor-echo", "reactor: echo against Netty's native transports",
                echoCharts(results, echoDirs), files(echoDirs), sources,
                "2026-12-04: median of each side's 3 alternated runs per pair (bench/reactor-ab.sh ... N 3 -d 10 "
                        + "-w 3), 2 cores, JDK 25; each netkit line is the netkit side of the pairs against that "
                        + "transport.");
        List<String> idleDirs = new ArrayList<>(IDLE_10K);
        idleDirs.addAll(IDLE_18K);
        idleDirs.addAll(IDLE_ENGINE);
        write(chartsDir, "reactor-idle-rss", "reactor: memory of idle connections", List.of(idleChart(results)),
                files(idleDirs), sources,
                "Median RSS growth per idle connection over the runs that held that kind (bench/reactor-idle.sh), "
                        + "2 cores.");
        Files.writeString(chartsDir.resolve("SOURCES.md"), sources.toString());
        System.out.println("charts: wrote " + (moduleCharts.size() + 2) + " PNGs and SOURCES.md to " + chartsDir);
    }

    /**
     * Reads every value every chart draws; returns one line per value that is missing or unreadable (chart,
     * file, benchmark), empty when all are there.
     */
    static List<String> problems(Results results) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<Panel>> chart : moduleCharts().entrySet()) {
            for (Panel panel : chart.getValue()) {
                for (Bar bar : panel.bars()) {
                    for (Source source : bar.sources()) {
                        if (source != null) {
                            try {
                                source.read(results);
                            } catch (RuntimeException e) {
                                problems.add(chart.getKey() + ": " + e.getMessage());
                            }
                        }
                    }
                }
            }
        }
        for (Map.Entry<String, Function<Results, ?>> reactor : reactorReaders().entrySet()) {
            try {
                reactor.getValue().apply(results);
            } catch (RuntimeException e) {
                problems.add(reactor.getKey() + ": " + e.getMessage());
            }
        }
        return problems;
    }

    // ---------------------------------------------------------------------------------------------------
    // The module charts: what each README's tables show, from the files they cite.

    private static Map<String, List<Panel>> moduleCharts() {
        Map<String, List<Panel>> charts = new LinkedHashMap<>();
        String fs = "FalseSharingBench-20261127T145614Z.json";
        charts.put("padding", List.of(new Panel("2 threads incrementing (higher is better)", "ops/µs", false, 1,
                List.of("ops/µs"), List.of(
                        bar("adjacent AtomicLongArray slots", false, jmh(fs, "adjacentAtomicLongArray")),
                        bar("adjacent volatile fields", false, jmh(fs, "adjacentFields")),
                        bar("slots 128 B apart (ceiling)", false, jmh(fs, "spacedAtomicLongArray")),
                        bar("PaddedAtomicLong", true, jmh(fs, "paddedAtomicLong")),
                        bar("LongAdder", false, jmh(fs, "longAdder")),
                        bar("StripedCounter, owned stripes", true, jmh(fs, "stripedCounterOwned")),
                        bar("StripedCounter, shared cells", true, jmh(fs, "stripedCounterShared")),
                        bar("one shared AtomicLong", false, jmh(fs, "sharedAtomicLong"))))));

        String spsc = "SpscRingBench-20261206T014609Z.json";
        String copy = "ByteRingCopyBench-20261206T014715Z.json";
        String mpsc = "MpscRingBench-20261206T014749Z.json";
        String batch = "SpscBatchBench._spscBatch_agronaClaim_lineFloor-20261206T014110Z.json";
        List<String> sizes = List.of("64 B", "1 KiB");
        charts.put("ring", List.of(
                new Panel("SPSC, 1 producer + 1 consumer (log scale)", "M messages/s received", true, 1e6, sizes,
                        List.of(sized("SpscByteRing", true, spsc, "spscByteRing"),
                                sized("Agrona OneToOneRingBuffer", false, spsc, "agronaOneToOne"),
                                sized("JCTools SpscArrayQueue (refs)", false, spsc, "jctoolsSpscArrayQueue"),
                                sized("ArrayBlockingQueue (refs)", false, spsc, "arrayBlockingQueue"))),
                new Panel("SpscByteRing batch API, 64 B messages", "M messages/s received", false, 1e6,
                        List.of("1 per commit", "16 per commit", "64 per commit"),
                        List.of(batched("SpscByteRing claim/put/commit", true, batch, "spscBatch"),
                                batched("SpscByteRing, through the views", true, batch, "spscBatchViews"),
                                batched("Agrona tryClaim/commit", false, batch, "agronaClaim"),
                                batched("floor: the transport alone", false, batch, "lineFloor"))),
                new Panel("MPSC, 2 producers + 1 consumer (log scale)", "M messages/s received", true, 1e6, sizes,
                        List.of(sized("MpscChunkedFrameQueue", true, mpsc, "mpscChunkedQueue"),
                                sized("MpscChunkedFrameQueue, reclaim off", true, mpsc, "mpscChunkedQueueNoReclaim"),
                                sized("MpscFrameRing", true, mpsc, "mpscFrameRing"),
                                sized("MpscFrameRing, reclaim off", true, mpsc, "mpscFrameRingNoReclaim"),
                                sized("Agrona ManyToOneRingBuffer", false, mpsc, "agronaManyToOne"),
                                sized("JCTools MpscArrayQueue (refs)", false, mpsc, "jctoolsMpscArrayQueue"))),
                new Panel("ByteRing, 4 KiB write + peek + discard (lower is better)", "ns/op", false, 1,
                        List.of("ns/op"),
                        List.of(bar("ByteRing.direct", true, jmh(copy, "byteRing")),
                                bar("ByteRing.elastic", true, jmh(copy, "byteRingElastic")),
                                bar("copy ceiling: put(ByteBuffer)", false, jmh(copy, "copyCeiling"))))));

        String timer = "TimerBench-20261206T043924Z.json";
        String expiry = "ExpiryBench-20261206T044747Z.json";
        String footprint = "TimerFootprint-20261206T045023Z.txt";
        String compact = "TimerFootprint-compact-headers-20261206T045038Z.txt";
        charts.put("timingwheel", List.of(
                new Panel("schedule + cancel, 100,000 pending (lower is better)", "ns/op", false, 1, List.of("ns/op"),
                        List.of(bar("TimingWheel", true, jmh(timer, "scheduleCancelTimingWheel")),
                                bar("Agrona + id map", false, jmh(timer, "scheduleCancelAgronaMapped")),
                                bar("Agrona, bare", false, jmh(timer, "scheduleCancelAgrona")),
                                bar("floor: linked, exact tick", false, jmh(timer, "scheduleCancelLinkFloorExact")),
                                bar("floor: array buckets, exact tick", false,
                                        jmh(timer, "scheduleCancelBucketFloorExact")),
                                bar("WheelTimer, caller side", true, jmh(timer, "scheduleCancelWheelTimerCallerSide")),
                                bar("Netty HashedWheelTimer, caller side", false,
                                        jmh(timer, "scheduleCancelNettyCallerSide")),
                                bar("ScheduledThreadPoolExecutor", false, jmh(timer, "scheduleCancelStpe")),
                                bar("WheelTimer, end to end", true, jmh(timer, "endToEndWheelTimer")),
                                bar("Netty, end to end", false, jmh(timer, "endToEndNetty")),
                                bar("floor: caller's least work", false, jmh(timer, "callerFloor")))),
                new Panel("touch: move a deadline (lower is better)", "ns/op", false, 1, List.of("ns/op"),
                        List.of(bar("TimingWheel.touch", true, jmh(timer, "touchTimingWheel")),
                                bar("Agrona cancel + schedule + id map", false, jmh(timer, "touchAgronaMapped")),
                                bar("Agrona cancel + schedule, bare", false, jmh(timer, "touchAgronaCancelSchedule")))),
                new Panel("expiry, 1,000,000 timers due (lower is better)", "ns per timer", false, 1,
                        List.of("ns/timer"),
                        List.of(bar("WheelTimer", true, jmh(expiry, "expireWheelTimer")),
                                bar("Netty HashedWheelTimer", false, jmh(expiry, "expireNetty")),
                                bar("WheelTimer, manual mode", true, jmh(expiry, "expireWheelTimerManual")),
                                bar("floor: claim CAS + task", false, jmh(expiry, "claimFloor")),
                                bar("floor: linked, on a worker", false, jmh(expiry, "workerExpireFloor")),
                                bar("TimingWheel.poll", true, jmh(expiry, "pollTimingWheel")),
                                bar("Agrona poll + id map", false, jmh(expiry, "pollAgronaMapped")),
                                bar("Agrona poll, bare", false, jmh(expiry, "pollAgrona")),
                                bar("floor: contiguous drain", false, jmh(expiry, "drainFloor")),
                                bar("floor: drain by next index", false, jmh(expiry, "chaseFloor")))),
                new Panel("bytes per pending timer, 1,000,000 timers (log scale)", "B per timer", true, 1,
                        List.of("default headers", "compact headers"),
                        List.of(footprint("TimingWheel", true, footprint, compact,
                                        "TimingWheel (grown from default capacity)"),
                                footprint("TimingWheel, capacity hint", true, footprint, compact,
                                        "TimingWheel (capacity hint = timers)"),
                                footprint("Agrona DeadlineTimerWheel", false, footprint, compact,
                                        "Agrona DeadlineTimerWheel (1 ms, 1024 ticks)"),
                                footprint("Agrona after a burst", false, footprint, compact,
                                        "Agrona DeadlineTimerWheel after a burst"),
                                footprint("WheelTimer", true, footprint, compact, "WheelTimer (1 ms tick)"),
                                footprint("Netty HashedWheelTimer", false, footprint, compact,
                                        "Netty HashedWheelTimer (1 ms tick, 512 buckets)"),
                                footprint("ScheduledThreadPoolExecutor", false, footprint, compact,
                                        "ScheduledThreadPoolExecutor (remove on cancel)")))));

        String pool = "ObjectPoolBench_BufferPoolBench-20261206T014930Z.json";
        String cross = "ObjectPoolCrossThreadBench-interleaved-20261206T011027Z";
        charts.put("pool", List.of(
                new Panel("acquire + release, same thread (log scale, lower is better)", "ns/op", true, 1,
                        List.of("platform thread", "virtual thread"),
                        List.of(pair("ThreadLocal<ArrayDeque> (floor)", false, pool, "ptThreadLocalArrayDeque",
                                        "vtThreadLocalArrayDeque"),
                                pair("ObjectPool", true, pool, "ptNetkit", "vtNetkit"),
                                pair("ObjectPool, virtualThreadCaches", true, pool, null, "vtNetkitVirtualCaches"),
                                pair("floor: three CASes (shared slots)", false, pool, null, "vtSharedCasFloor"),
                                pair("ObjectPool, FastThreadLocalThread batches", true, pool, "ftlNetkit", null),
                                pair("Netty Recycler, FastThreadLocalThread batches", false, pool, "ftlNettyRecycler", null),
                                pair("Netty Recycler, plain thread", false, pool, "ptNettyRecycler", "vtNettyRecycler"),
                                pair("new", false, pool, "ptNew", "vtNew"),
                                pair("commons-pool2", false, pool, "ptCommonsPool2", null))),
                new Panel("cross-thread pairs: acquire on A, release on B (12 paired rounds)", "M pairs/s", false,
                        1e6, List.of("pairs/s"),
                        List.of(bar("ObjectPool", true, new Rounds(cross, "netkit", "pairs")),
                                bar("Netty Recycler (FastThreadLocalThreads)", false,
                                        new Rounds(cross, "nettyRecycler", "pairs")))),
                new Panel("16 KiB direct buffer, acquire + release (log scale)", "ns/op", true, 1, List.of("ns/op"),
                        List.of(bar("BufferPool", true, jmh(pool, "netkitBufferPool")),
                                bar("Netty PooledByteBufAllocator", false, jmh(pool, "nettyPooledDirect")),
                                bar("ByteBuffer.allocateDirect", false, jmh(pool, "allocateDirect"))))));

        String cm = "ConnMatrixBench-20261206T042644Z.json";
        String cm2 = "ConnMatrixBench.get-20261206T043533Z.json";
        String cmFoot = "ConnMatrixFootprint-20261206T043913Z.txt";
        charts.put("connmatrix", List.of(
                new Panel("get, random live id (log scale, lower is better)", "ns/op", true, 1,
                        List.of("1 thread", "2 threads"),
                        List.of(threads("Object[] (floor)", false, cm, cm2, "getArray"),
                                threads("Object[] + int[] gen (floor)", false, cm, cm2, "getArrayPlusGen"),
                                threads("ConnMatrix", true, cm, cm2, "getConnMatrix"),
                                threads("NonBlockingHashMapLong", false, cm, cm2, "getNonBlockingHashMapLong"),
                                threads("Agrona map + RW lock", false, cm, cm2, "getAgronaReadLock"),
                                threads("ConcurrentHashMap", false, cm, cm2, "getConcurrentHashMap"))),
                new Panel("churn: remove one, add one, 1 thread (log scale)", "ns/op", true, 1, List.of("ns/op"),
                        List.of(bar("harness alone", false, jmh(cm, "churnHarness")),
                                bar("Object[] + free stack (floor)", false, jmh(cm, "churnArray")),
                                bar("Object[] + gen CAS (floor)", false, jmh(cm, "churnArrayPlusGen")),
                                bar("ConnMatrix, removeByOwner + add", true, jmh(cm, "churnConnMatrixOwner")),
                                bar("ConnMatrix, remove + add", true, jmh(cm, "churnConnMatrix")),
                                bar("Agrona map per thread", false, jmh(cm, "churnAgronaPerThread")),
                                bar("Agrona map + write lock", false, jmh(cm, "churnAgronaWriteLock")),
                                bar("ConcurrentHashMap", false, jmh(cm, "churnConcurrentHashMap")),
                                bar("JCTools NBHML", false, jmh(cm, "churnNonBlockingHashMapLong")))),
                new Panel("memory per live entry, 1,000,000 entries", "bytes per entry", false, 1,
                        List.of("B/entry"),
                        List.of(bar("Object[] (floor)", false, new Text(cmFoot, "Object[] (the floor)", 2)),
                                bar("ConnMatrix, 1 shard", true, new Text(cmFoot, "ConnMatrix, 1 shard", 2)),
                                bar("ConnMatrix, 16 shards", true,
                                        new Text(cmFoot, "ConnMatrix, 16 shards (round-robin)", 2)),
                                bar("NonBlockingHashMapLong", false, new Text(cmFoot, "NonBlockingHashMapLong", 2)),
                                bar("NBHML after churn", false,
                                        new Text(cmFoot, "NonBlockingHashMapLong, after 1,000,000 churn ops", 2)),
                                bar("Agrona Long2ObjectHashMap", false,
                                        new Text(cmFoot, "Long2ObjectHashMap (Agrona)", 2)),
                                bar("ConcurrentHashMap", false,
                                        new Text(cmFoot, "ConcurrentHashMap<Long, Object>", 2))))));
        return charts;
    }

    private static Jmh jmh(String file, String method) {
        return new Jmh(file, method, Map.of(), null);
    }

    private static Bar bar(String label, boolean netkit, Source source) {
        return new Bar(label, netkit, List.of(source));
    }

    private static Bar sized(String label, boolean netkit, String file, String method) {
        return new Bar(label, netkit, List.of(new Jmh(file, method, Map.of("size", "64"), "received"),
                new Jmh(file, method, Map.of("size", "1024"), "received")));
    }

    private static Bar batched(String label, boolean netkit, String file, String method) {
        List<Source> sources = new ArrayList<>();
        for (String batch : List.of("1", "16", "64")) {
            sources.add(new Jmh(file, method, Map.of("batch", batch), "received"));
        }
        return new Bar(label, netkit, sources);
    }

    private static Bar pair(String label, boolean netkit, String file, String platform, String virtual) {
        return new Bar(label, netkit, Arrays.asList(platform == null ? null : jmh(file, platform),
                virtual == null ? null : jmh(file, virtual)));
    }

    private static Bar threads(String label, boolean netkit, String oneThread, String twoThreads, String method) {
        return new Bar(label, netkit, List.of(jmh(oneThread, method), jmh(twoThreads, method)));
    }

    private static Bar footprint(String label, boolean netkit, String file, String compactFile, String row) {
        return new Bar(label, netkit, List.of(new Text(file, row, 0), new Text(compactFile, row, 0)));
    }

    private static CategoryChart barChart(Panel panel, Results results) {
        CategoryChart chart = new CategoryChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT)
                .title(panel.title()).yAxisTitle(panel.yTitle()).build();
        style(chart.getStyler());
        chart.getStyler().setXAxisLabelRotation(40);
        chart.getStyler().setYAxisLogarithmic(panel.log());
        chart.getStyler().setYAxisDecimalPattern("#,##0.##");
        chart.getStyler().setErrorBarsColor(Color.DARK_GRAY);
        List<String> labels = panel.bars().stream().map(Bar::label).toList();
        if (panel.log()) {
            // a bar chart's axis starts at 0 unless told otherwise, and a log axis cannot
            double min = panel.bars().stream().flatMap(b -> b.sources().stream()).filter(s -> s != null)
                    .mapToDouble(s -> s.read(results).score() / panel.divisor()).min().orElseThrow();
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
        }
        boolean single = panel.series().size() == 1;
        if (single) {
            // one series in two colours: netkit's bars and the others, overlapped so each keeps its slot
            chart.getStyler().setOverlapped(true);
            chart.getStyler().setLegendVisible(false);
            addSeries(chart, panel, results, labels, 0, true, "netkit").setFillColor(NETKIT);
            addSeries(chart, panel, results, labels, 0, false, "peers and floors").setFillColor(PEER);
        } else {
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
            chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
            for (int s = 0; s < panel.series().size(); s++) {
                addSeries(chart, panel, results, labels, s, null, panel.series().get(s));
            }
        }
        return chart;
    }

    private static org.knowm.xchart.CategorySeries addSeries(CategoryChart chart, Panel panel, Results results,
            List<String> labels, int series, Boolean netkitOnly, String name) {
        List<Double> values = new ArrayList<>();
        List<Double> errors = new ArrayList<>();
        for (Bar bar : panel.bars()) {
            Source source = bar.sources().get(series);
            if (source == null || (netkitOnly != null && bar.netkit() != netkitOnly)) {
                // XChart's error bars need a number: an empty slot of a linear panel is a bar of height 0
                values.add(panel.log() ? null : 0.0);
                errors.add(0.0);
            } else {
                Results.Value v = source.read(results);
                values.add(v.score() / panel.divisor());
                errors.add(v.error() / panel.divisor());
            }
        }
        return panel.log() ? chart.addSeries(name, labels, values)
                : chart.addSeries(name, labels, values, errors);
    }

    // ---------------------------------------------------------------------------------------------------
    // The reactor charts, from the runs the reactor README's tables cite.

    /** bench/reactor-ab.sh runs of 2026-12-04: netkit against Netty epoll and io_uring at 1,000 and 10,000. */
    private static List<String> echoRunDirs() {
        return List.of("reactor-ab-20261204T174907Z", "reactor-ab-20261204T175029Z",
                "reactor-ab-20261204T175152Z", "reactor-ab-20261204T175318Z");
    }

    private static final List<String> IDLE_10K = List.of("reactor-idle-20261127T211635Z",
            "reactor-idle-20261127T212019Z", "reactor-idle-20261127T212100Z");
    private static final List<String> IDLE_18K = List.of("reactor-idle-20261127T211759Z",
            "reactor-idle-20261127T212140Z", "reactor-idle-20261127T212223Z");
    private static final List<String> IDLE_ENGINE = List.of("reactor-idle-20261204T184404Z",
            "reactor-idle-20261204T184418Z", "reactor-idle-20261204T184432Z");

    private static Map<String, Function<Results, ?>> reactorReaders() {
        Map<String, Function<Results, ?>> readers = new LinkedHashMap<>();
        readers.put("reactor-echo", r -> echoSeries(r, echoRunDirs()));
        readers.put("reactor-idle-rss", r -> {
            idleMedians(r, IDLE_10K, "");
            idleMedians(r, IDLE_18K, "");
            return idleMedians(r, IDLE_ENGINE, "");
        });
        return readers;
    }

    /** One line of the echo chart: connections to the median of a column, per side of a pair. */
    record EchoLine(String name, TreeMap<Integer, Double> msgsPerSecond, TreeMap<Integer, Double> cpuPerMessage) {
    }

    static Map<String, EchoLine> echoSeries(Results results, List<String> runDirs) {
        Map<String, EchoLine> lines = new LinkedHashMap<>();
        for (String dir : runDirs) {
            String peer = null;
            List<String> kinds = new ArrayList<>();
            try (var files = Files.list(results.dir().resolve(dir))) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".csv")).sorted()
                        .forEach(n -> kinds.add(n.substring(0, n.length() - 4)));
            } catch (IOException e) {
                throw new IllegalArgumentException(dir + ": cannot list (" + e + ")");
            }
            for (String kind : kinds) {
                if (!kind.equals("netkit")) {
                    peer = kind;
                }
            }
            if (peer == null || !kinds.contains("netkit")) {
                throw new IllegalArgumentException(dir + ": expected netkit.csv and one peer's CSV, found " + kinds);
            }
            for (String kind : kinds) {
                List<Map<String, String>> rows = results.csv(dir + "/" + kind + ".csv");
                int connections = Integer.parseInt(rows.get(0).get("connections"));
                String name = kind.equals("netkit") ? "netkit (paired with " + transport(peer) + ")" : transport(kind);
                EchoLine line = lines.computeIfAbsent(name, n -> new EchoLine(n, new TreeMap<>(), new TreeMap<>()));
                line.msgsPerSecond().put(connections, median(rows, "msgsPerSecond") / 1000);
                line.cpuPerMessage().put(connections, median(rows, "serverCpuMicrosPerMsg"));
            }
        }
        return lines;
    }

    private static String transport(String kind) {
        return switch (kind) {
            case "netty-epoll" -> "Netty epoll";
            case "netty-iouring" -> "Netty io_uring";
            case "netty-nio" -> "Netty NIO";
            default -> kind;
        };
    }

    static double median(List<Map<String, String>> rows, String column) {
        return median(rows.stream().mapToDouble(r -> Double.parseDouble(r.get(column))));
    }

    /** The median of some values (the mean of the middle two for an even count). */
    static double median(java.util.stream.DoubleStream values) {
        double[] v = values.sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static List<BufferedImage> echoCharts(Results results, List<String> runDirs) {
        Map<String, EchoLine> lines = echoSeries(results, runDirs);
        XYChart rate = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT)
                .title("echo throughput, 64 B messages, 1 in flight").xAxisTitle("connections")
                .yAxisTitle("thousand messages/s").build();
        XYChart cpu = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT)
                .title("server CPU per message (lower is better)").xAxisTitle("connections")
                .yAxisTitle("µs per message").build();
        for (XYChart chart : List.of(rate, cpu)) {
            style(chart.getStyler());
            chart.getStyler().setXAxisLogarithmic(true);
            chart.getStyler().setXAxisDecimalPattern("#,##0");
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        }
        for (EchoLine line : lines.values()) {
            List<Integer> x = new ArrayList<>(line.msgsPerSecond().keySet());
            var a = rate.addSeries(line.name(), x, new ArrayList<>(line.msgsPerSecond().values()));
            var b = cpu.addSeries(line.name(), x, new ArrayList<>(line.cpuPerMessage().values()));
            boolean netkit = line.name().startsWith("netkit");
            Color color = line.name().contains("io_uring") ? (netkit ? NETKIT_LIGHT : PEER_IO_URING)
                    : (netkit ? NETKIT : PEER_EPOLL);
            for (var series : List.of(a, b)) {
                series.setMarker(netkit ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
                series.setLineColor(color);
                series.setMarkerColor(color);
            }
        }
        return List.of(BitmapEncoder.getBufferedImage(rate), BitmapEncoder.getBufferedImage(cpu));
    }

    /** Kind to connections to the median KB per idle connection, over the runs that held the kind. */
    static Map<String, Map<Integer, Double>> idleMedians(Results results, List<String> runDirs, String suffix) {
        Map<String, Map<Integer, List<Double>>> all = new LinkedHashMap<>();
        for (String dir : runDirs) {
            int connections = idleConnections(results, dir);
            results.idleKbPerConnection(dir).forEach((kind, kb) -> all.computeIfAbsent(kind + suffix,
                    k -> new TreeMap<>()).computeIfAbsent(connections, c -> new ArrayList<>()).add(kb));
        }
        Map<String, Map<Integer, Double>> medians = new LinkedHashMap<>();
        all.forEach((kind, byCount) -> {
            Map<Integer, Double> m = new TreeMap<>();
            byCount.forEach((count, values) -> m.put(count,
                    median(values.stream().mapToDouble(Double::doubleValue))));
            medians.put(kind, m);
        });
        return medians;
    }

    private static int idleConnections(Results results, String dir) {
        String first = results.firstLine(dir + "/README.txt");
        return Integer.parseInt(first.replaceFirst("^reactor-idle: (\\d+) idle connections.*$", "$1"));
    }

    private static BufferedImage idleChart(Results results) {
        Map<String, Map<Integer, Double>> medians = idleMedians(results, List.of(IDLE_10K, IDLE_18K).stream()
                .flatMap(List::stream).toList(), " (2026-11-27)");
        medians.putAll(idleMedians(results, IDLE_ENGINE, " (engine, 2026-12-04)"));
        CategoryChart chart = new CategoryChartBuilder().width(2 * PANEL_WIDTH - 200).height(PANEL_HEIGHT)
                .title("RSS per idle connection by server kind (lower is better)").yAxisTitle("KB per connection")
                .build();
        style(chart.getStyler());
        chart.getStyler().setXAxisLabelRotation(25);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setDecimalPattern("#0.00");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        List<String> kinds = new ArrayList<>(medians.keySet());
        for (int connections : List.of(10_000, 18_000)) {
            List<Double> values = new ArrayList<>();
            for (String kind : kinds) {
                values.add(medians.get(kind).get(connections));
            }
            chart.addSeries(String.format("%,d idle connections", connections), kinds, values);
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    // ---------------------------------------------------------------------------------------------------
    // Layout and output.

    private static void style(Styler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        styler.setToolTipsEnabled(false);
        if (styler instanceof org.knowm.xchart.style.AxesChartStyler axes) {
            axes.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            axes.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            axes.setPlotGridVerticalLinesVisible(false);
        }
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
    }

    /** Words into lines no wider than {@code width}; a word {@code "\\n"} starts a new line. */
    private static List<String> wrap(List<String> words, FontMetrics metrics, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : words) {
            if (word.equals("\n")) {
                lines.add(line.toString());
                line.setLength(0);
                continue;
            }
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (!line.isEmpty() && metrics.stringWidth(candidate) > width) {
                lines.add(line.toString());
                line.setLength(0);
                line.append("    ").append(word);
            } else {
                line.setLength(0);
                line.append(candidate);
            }
        }
        if (!line.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    private static List<String> files(List<String> dirs) {
        return dirs.stream().map(d -> d + "/").toList();
    }

    private static void write(Path chartsDir, String name, String heading, List<BufferedImage> panels,
            Iterable<String> files, StringBuilder sources, String note) throws IOException {
        int columns = Math.min(2, panels.size());
        int rows = (panels.size() + columns - 1) / columns;
        int cellWidth = panels.stream().mapToInt(BufferedImage::getWidth).max().orElseThrow();
        int cellHeight = panels.stream().mapToInt(BufferedImage::getHeight).max().orElseThrow();
        int width = columns * cellWidth;
        Font headingFont = new Font(Font.SANS_SERIF, Font.BOLD, 16);
        Font captionFont = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D measure = scratch.createGraphics();
        FontMetrics metrics = measure.getFontMetrics(captionFont);
        List<String> words = new ArrayList<>(Arrays.asList(note.split(" ")));
        words.add("\n");
        words.add("Source (bench/results/):");
        files.forEach(words::add);
        List<String> caption = wrap(words, metrics, width - 16);
        measure.dispose();
        int headingHeight = 28;
        int lineHeight = 15;
        BufferedImage image = new BufferedImage(width, headingHeight + rows * cellHeight + caption.size() * lineHeight
                + 8, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        for (int i = 0; i < panels.size(); i++) {
            g.drawImage(panels.get(i), (i % columns) * cellWidth, headingHeight + (i / columns) * cellHeight, null);
        }
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.setFont(headingFont);
        g.drawString(heading, 8, 20);
        g.setColor(Color.DARK_GRAY);
        g.setFont(captionFont);
        for (int i = 0; i < caption.size(); i++) {
            g.drawString(caption.get(i), 8, headingHeight + rows * cellHeight + (i + 1) * lineHeight);
        }
        g.dispose();
        ImageIO.write(image, "png", chartsDir.resolve(name + ".png").toFile());
        sources.append("- `").append(name).append(".png`: ");
        List<String> names = new ArrayList<>();
        files.forEach(f -> names.add("`" + f + "`"));
        sources.append(String.join(", ", names)).append(". ").append(note).append('\n');
    }
}
