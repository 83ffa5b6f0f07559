package dev.netkit.bench.connmatrix;

import dev.netkit.connmatrix.ConnMatrix;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import org.agrona.collections.Long2ObjectHashMap;
import org.jctools.maps.NonBlockingHashMapLong;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.vm.VM;

/**
 * Bytes per live entry of {@link ConnMatrix} and of the structures it is measured against, holding
 * 1,000,000 entries (or the count given as the first argument), measured with JOL's
 * {@link GraphLayout#totalSize()}: the sum of the shallow sizes of every object reachable from the
 * structure, as the running JVM lays them out (compressed references or not, object alignment, header
 * size: the output prints JOL's view of the VM).
 *
 * <p>The connection objects are left out: every entry of every structure refers to one shared
 * {@code Object}, whose size is subtracted once. What remains is what the structure itself costs: its
 * arrays, nodes, boxed keys ({@code ConcurrentHashMap<Long, Object>} holds a {@code Long} per entry),
 * page tables and counters. Map keys are 0, 1, 2, … as a counter issues them; each structure starts
 * from its default constructor and grows by inserts.
 *
 * <p>{@code NonBlockingHashMapLong} is measured twice: fresh, and after as many remove + put pairs as it
 * has entries, each removing a random live key and putting a new, ever larger one (connections closing
 * and opening under never-reused ids). Its removed keys stay in the table as dead keys until a resize,
 * which the second figure shows. The matrix is measured with one shard and with 16, since each shard
 * has fixed page tables and a partly filled last page, and after as many remove + add pairs as it has
 * entries (alternately the owner's {@code removeByOwner} and {@code remove}, the form other threads use,
 * here called on the owner's thread), to show what its free stack keeps.
 *
 * <p>Run (from the repository root, after building {@code bench/target/benchmarks.jar}; under a minute,
 * and the heap it needs is mostly JOL's walk of the {@code ConcurrentHashMap}'s two million objects):
 * <pre>{@code
 * java -Xmx3g -cp bench/target/benchmarks.jar dev.netkit.bench.connmatrix.ConnMatrixFootprint [entries]
 * }</pre>
 * JOL reads field offsets through {@code sun.misc.Unsafe}; on JDK 24 and later the JVM prints a warning
 * about that, which {@code --sun-misc-unsafe-memory-access=allow} silences. This class uses no
 * {@code Unsafe} itself.
 */
public final class ConnMatrixFootprint {

    private static final int DEFAULT_ENTRIES = 1_000_000;
    private static final long SEED = 0x6E65746B69744DL;

    private ConnMatrixFootprint() {
    }

    /**
     * Builds each structure, measures it, and prints a table.
     *
     * @param args optionally the number of live entries (default 1,000,000)
     */
    public static void main(String[] args) {
        int entries = args.length > 0 ? Integer.parseInt(args[0].replace("_", "").replace(",", ""))
                : DEFAULT_ENTRIES;
        if (entries < 1 || entries > 16 * ConnMatrix.MAX_SLOTS_PER_SHARD) {
            throw new IllegalArgumentException("entries must be in [1, " + 16L * ConnMatrix.MAX_SLOTS_PER_SHARD
                    + "], was " + entries);
        }
        long start = System.nanoTime();
        Object conn = new Object();
        long connBytes = GraphLayout.parseInstance(conn).totalSize();

        System.out.printf(Locale.ROOT, "# ConnMatrixFootprint: bytes per live entry, %,d live entries%n", entries);
        System.out.printf(Locale.ROOT, "# date: %s | java: %s %s (%s) | nproc %d | %s %s%n",
                Instant.now().truncatedTo(ChronoUnit.SECONDS),
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                System.getProperty("java.vm.vendor"), Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"));
        System.out.printf(Locale.ROOT, "# max heap: %,d MiB%n", Runtime.getRuntime().maxMemory() >> 20);
        System.out.println("# method: JOL GraphLayout.parseInstance(structure).totalSize(), i.e. the shallow sizes of");
        System.out.println("#   every object reachable from the structure, minus the one connection object that all");
        System.out.printf(Locale.ROOT, "#   entries share (%d bytes, counted once); bytes/entry = that / live entries%n", connBytes);
        for (String line : VM.current().details().split("\\R")) {
            if (!line.isBlank()) {
                System.out.println(line.startsWith("#") ? "# JOL " + line.substring(1).trim() : "# JOL " + line);
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%-48s %12s %14s %11s %7s%n",
                "structure", "live", "total bytes", "bytes/entry", "time s");

        measure("Object[] (the floor)", entries, connBytes, n -> {
            Object[] array = new Object[n];
            java.util.Arrays.fill(array, conn);
            return array;
        });
        measure("ConnMatrix, 1 shard", entries, connBytes, n -> matrix(1, n, conn));
        measure("ConnMatrix, 16 shards (round-robin)", entries, connBytes, n -> matrix(16, n, conn));
        measure(String.format(Locale.ROOT, "ConnMatrix, 1 shard, after %,d churn ops", entries),
                entries, connBytes, n -> {
                    ConnMatrix<Object> matrix = new ConnMatrix<>(1);
                    long[] live = new long[n];
                    for (int i = 0; i < n; i++) {
                        live[i] = matrix.add(0, conn);
                    }
                    SplittableRandom random = new SplittableRandom(SEED);
                    for (int i = 0; i < n; i++) {
                        int p = random.nextInt(n);
                        boolean removed = (i & 1) == 0 ? matrix.removeByOwner(live[p]) : matrix.remove(live[p]);
                        if (!removed) {
                            throw new IllegalStateException("id " + Long.toHexString(live[p]) + " was not live");
                        }
                        live[p] = matrix.add(0, conn);
                    }
                    if (matrix.size() != n) {
                        throw new IllegalStateException("size must be " + n + ", was " + matrix.size());
                    }
                    return matrix;
                });
        measure("ConcurrentHashMap<Long, Object>", entries, connBytes, n -> {
            ConcurrentHashMap<Long, Object> map = new ConcurrentHashMap<>();
            for (int i = 0; i < n; i++) {
                map.put((long) i, conn);
            }
            return map;
        });
        measure("NonBlockingHashMapLong", entries, connBytes, n -> {
            NonBlockingHashMapLong<Object> map = new NonBlockingHashMapLong<>();
            for (int i = 0; i < n; i++) {
                map.put(i, conn);
            }
            return map;
        });
        measure(String.format(Locale.ROOT, "NonBlockingHashMapLong, after %,d churn ops", entries),
                entries, connBytes, n -> {
                    NonBlockingHashMapLong<Object> map = new NonBlockingHashMapLong<>();
                    long[] live = new long[n];
                    for (int i = 0; i < n; i++) {
                        map.put(i, conn);
                        live[i] = i;
                    }
                    SplittableRandom random = new SplittableRandom(SEED);
                    long next = n;
                    for (int i = 0; i < n; i++) {
                        int p = random.nextInt(n);
                        if (map.remove(live[p]) == null) {
                            throw new IllegalStateException("key " + live[p] + " was not in the map");
                        }
                        map.put(next, conn);
                        live[p] = next++;
                    }
                    if (map.size() != n) {
                        throw new IllegalStateException("size must be " + n + ", was " + map.size());
                    }
                    return map;
                });
        measure("Long2ObjectHashMap (Agrona)", entries, connBytes, n -> {
            Long2ObjectHashMap<Object> map = new Long2ObjectHashMap<>();
            for (int i = 0; i < n; i++) {
                map.put(i, conn);
            }
            return map;
        });

        System.out.printf(Locale.ROOT, "%n# done in %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    private static ConnMatrix<Object> matrix(int shards, int n, Object conn) {
        ConnMatrix<Object> matrix = new ConnMatrix<>(shards);
        for (int i = 0; i < n; i++) {
            matrix.add(i % shards, conn);
        }
        if (matrix.size() != n) {
            throw new IllegalStateException("size must be " + n + ", was " + matrix.size());
        }
        return matrix;
    }

    private static void measure(String name, int entries, long connBytes, IntFunction<Object> build) {
        long start = System.nanoTime();
        Object structure = build.apply(entries);
        long total = GraphLayout.parseInstance(structure).totalSize() - connBytes;
        System.out.printf(Locale.ROOT, "%-48s %,12d %,14d %11.2f %7.1f%n",
                name, entries, total, (double) total / entries, (System.nanoTime() - start) / 1e9);
    }
}
