package dev.netkit.bench.connmatrix;

import dev.netkit.connmatrix.ConnMatrix;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.agrona.collections.Long2ObjectHashMap;
import org.jctools.maps.NonBlockingHashMapLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Finding a connection by id, and replacing one: {@link ConnMatrix} beside a plain {@code Object[]}
 * (the floor no map can beat), {@link ConcurrentHashMap ConcurrentHashMap&lt;Long, Object&gt;}, JCTools'
 * {@link NonBlockingHashMapLong} and Agrona's {@link Long2ObjectHashMap} (behind a
 * {@link ReentrantReadWriteLock} where threads share it), all holding {@value #ENTRIES} live entries.
 *
 * <p><b>Random ids.</b> Every structure is walked in the same pseudo-random order, fixed by a seed and
 * generated in setup, so that neither the random number generator nor a predictable access pattern is
 * measured: a sequence of {@value #SEQUENCE} entry indexes in [0, {@value #ENTRIES}) is translated once
 * into each structure's keys, and each benchmark thread walks it with its own cursor (threads start
 * evenly spaced along it). A measured call reads the next key from that sequence (a sequential,
 * prefetched load) and looks it up at a random place in a structure of several megabytes: more than a
 * core's private caches hold, though a large last-level cache may hold the smaller structures.
 *
 * <p><b>Keys.</b> A {@code ConnMatrix} issues its own ids ({@code add} returns them). The maps are keyed
 * as a user of a map would key them: by a counter, so the {@value #ENTRIES} keys of a fresh structure are
 * 0, 1, 2, …, and churn keeps issuing new, ever larger keys (a closed connection's id is never reused,
 * which is what makes a recycled fd harmless). The {@code Object[]} floor uses the array index as the id,
 * with no generation: the cost of finding a reference, without any of the safety.
 *
 * <table>
 *   <caption>Lookup: {@code get*}, read-only, one structure shared by all threads</caption>
 *   <tr><th>method</th><th>one call</th></tr>
 *   <tr><td>{@code getArray}</td><td>{@code array[index]}: the floor</td></tr>
 *   <tr><td>{@code getArrayPlusGen}</td><td>{@code gens[index] == gen ? array[index] : null}, the id
 *       carrying the index and a generation: the structural floor of any generational design without
 *       {@code Unsafe}, where a reference and an int cannot share an array, so a lookup reads two random
 *       lines (an {@code Object[]} and a parallel {@code int[]} at the same index) as a user would write
 *       it, with plain loads and no page tables. Not a peer: it has no add, no remove, no
 *       publication</td></tr>
 *   <tr><td>{@code getArrayPlusGenPaged}</td><td>the same, the two arrays cut into pages of 4,096 slots
 *       behind a page table each, as a matrix that grows without copying keeps them: the structural floor
 *       of a growable generational design (not a peer)</td></tr>
 *   <tr><td>{@code getConnMatrix}</td><td>{@link ConnMatrix#get(long)}; entries spread over
 *       {@value #GET_SHARDS} shards, as a server with {@value #GET_SHARDS} event loops holds them</td></tr>
 *   <tr><td>{@code getConcurrentHashMap}</td><td>{@code ConcurrentHashMap<Long, Object>.get(key)}: the key
 *       is boxed per call (a {@code Long}, unless escape analysis removes it: {@code -prof gc} shows
 *       which)</td></tr>
 *   <tr><td>{@code getNonBlockingHashMapLong}</td><td>{@code NonBlockingHashMapLong.get(long)}</td></tr>
 *   <tr><td>{@code getAgronaReadLock}</td><td>read lock, {@code Long2ObjectHashMap.get(long)}, unlock:
 *       what a user does to share Agrona's single-threaded map between event loops</td></tr>
 * </table>
 *
 * <table>
 *   <caption>Churn: {@code churn*}, one close and one accept per call, {@value #ENTRIES} entries live
 *   throughout</caption>
 *   <tr><th>method</th><th>one call removes the entry at a random position of the thread's own ring of
 *       {@value #ENTRIES}/T current ids, then adds a new entry and stores its id at that position</th></tr>
 *   <tr><td>{@code churnHarness}</td><td>none of it: only what every churn call does around the
 *       structure (the next random position, the load and store of the ring entry there), so that it
 *       can be told apart from the structures' costs. Not a peer</td></tr>
 *   <tr><td>{@code churnArray}</td><td>the floor: clear {@code array[index]}, push the index on the
 *       thread's free-index stack, pop an index, set {@code array[index]}. Each thread owns
 *       {@value #ENTRIES}/T indexes of one shared array. (The JIT may fold the push into the pop and the
 *       clear into the set: that is still the floor.)</td></tr>
 *   <tr><td>{@code churnArrayPlusGen}</td><td>the floor of a generational design with a single-winner
 *       remove: the same, plus a parallel {@code int[]} of generations: CAS the slot's generation from
 *       odd to even (the remove's winner), clear the slot, push; pop, store the next odd generation and
 *       the connection. Each thread owns {@value #ENTRIES}/T indexes of the shared arrays. Not a peer:
 *       the free stack is a private array, so only the owner can remove</td></tr>
 *   <tr><td>{@code churnArrayPlusGenPaged}</td><td>the same, the two arrays cut into pages of 4,096 slots
 *       behind a page table each, as a matrix that grows without copying keeps them: the floor of a
 *       growable generational design with a single-winner remove (not a peer)</td></tr>
 *   <tr><td>{@code churnConnMatrix}</td><td>{@link ConnMatrix#remove(long)}, then
 *       {@link ConnMatrix#add(int, Object)} to the thread's own shard: the matrix has one shard per
 *       benchmark thread, as a server has one per event loop</td></tr>
 *   <tr><td>{@code churnConnMatrixOwner}</td><td>the same with {@link ConnMatrix#removeByOwner(long)},
 *       the owner's remove (one CAS; {@code remove} adds the marks of the freed bitmaps and a count, and
 *       the next {@code add} takes the slot back from them)</td></tr>
 *   <tr><td>{@code churnConcurrentHashMap}</td><td>{@code remove(oldKey)}, {@code put(newKey, conn)}: boxed
 *       keys, and a node per put</td></tr>
 *   <tr><td>{@code churnNonBlockingHashMapLong}</td><td>{@code remove(oldKey)},
 *       {@code put(newKey, conn)}. A removed key stays in the table as a dead key until a resize copies
 *       the table, so ever-growing keys fill it with dead keys: this is where it degrades</td></tr>
 *   <tr><td>{@code churnAgronaPerThread}</td><td>{@code Long2ObjectHashMap} {@code remove}, {@code put},
 *       no lock: each thread its own map of {@value #ENTRIES}/T entries, as a server with a map per event
 *       loop (whose entries other loops cannot look up)</td></tr>
 *   <tr><td>{@code churnAgronaWriteLock}</td><td>one shared {@code Long2ObjectHashMap}: write lock,
 *       {@code remove}, unlock; write lock, {@code put}, unlock (a close and an accept are separate
 *       events, so each takes the lock)</td></tr>
 * </table>
 *
 * <p><b>Threads.</b> JMH's {@code -t}; the class defaults to one thread. Run {@code get*} with
 * {@code -t 1} and {@code -t 2} (and 4, 8, 16 where there are that many free cores) to see which lookups
 * hold up when threads share the structure: only {@code getAgronaReadLock} writes shared memory (the
 * lock's state). The churn sizes (T shards, {@value #ENTRIES}/T entries per thread, rounded down) come
 * from {@link ThreadParams} at setup; at most {@link ConnMatrix#MAX_SHARDS} threads.
 *
 * <p><b>Run</b> (from the repository root):
 * <pre>{@code
 * bench/run ConnMatrixBench -prof gc -t 1
 * bench/run ConnMatrixBench -prof gc -t 2
 * bench/run 'ConnMatrixBench.get' -prof gc -t 16   # lookups only, on a 16-core machine
 * }</pre>
 *
 * <p><b>Churn harness.</b> The ring of current ids ({@value #ENTRIES}/T longs per thread, 8 MB at one
 * thread) is read and written at a random position per call, the same in every {@code churn*} method
 * and measured alone by {@code churnHarness}; it adds to the floor as much as to any peer, so ratios to
 * {@code churnArray} understate the structures' own differences by that much. The removed entry is random, as
 * connection lifetimes are; the new one goes wherever the structure puts it.
 *
 * <p><b>Allocation.</b> Connection objects are allocated in setup and reused: churn re-adds one of the
 * thread's {@value #CONNS} connections under the new id. So {@code getArray}, {@code getArrayPlusGen}, {@code getConnMatrix},
 * {@code churnArray}, {@code churnArrayPlusGen}, {@code churnArrayPlusGenPaged}, {@code churnConnMatrix} and {@code churnConnMatrixOwner} allocate nothing ({@code gc.alloc.rate.norm} ≈ 0 B/op);
 * nor does {@code getNonBlockingHashMapLong}, nor {@code getAgronaReadLock} on one thread.
 * {@code ConcurrentHashMap} allocates boxed keys (and a node per put), the churning maps allocate when
 * they resize, and the shared {@code ReentrantReadWriteLock} allocates per-thread hold counters (and
 * queue nodes when contended) once a second thread takes it. Every structure starts from its default
 * constructor, grown by inserts, as a user would create it. Each {@code @Benchmark} method gets
 * fresh structures (JMH creates {@code Scope.Benchmark} states per method), filled in
 * {@code @Setup(Level.Trial)}, outside the measurement.
 *
 * <p><b>NonBlockingHashMapLong churn does not settle.</b> Its removed keys stay in the table as dead keys,
 * so ever-increasing keys keep filling the table; it resizes, grows by doubling, and after some millions
 * of calls one call in a while (or every call, for a stretch) takes orders of magnitude longer. Whether
 * that falls in the measured iterations depends on the machine's speed: read the per-iteration figures,
 * or run {@code churnNonBlockingHashMapLong} alone with more iterations ({@code -wi 0 -i 30}). Its
 * memory grows with the calls made (about a gigabyte after some 40 million on a 1,000,000-entry map),
 * which the fixed heap below holds for a run of this length.
 *
 * <p><b>Entries.</b> {@code -Dnetkit.entries=N} in the forks' options replaces the {@value #ENTRIES} live
 * entries (see {@link #LIVE}); 4,096 puts every structure in cache, which separates a structure's
 * instructions from its memory misses on a machine whose forks disagree at full size.
 *
 * <p><b>Heap.</b> Forks run with {@code -Xms4g -Xmx4g}, the same GC conditions for every structure; a
 * {@code -jvmArgsAppend} on the command line replaces that.
 *
 * <p><b>Checks.</b> A churn call throws {@link IllegalStateException} if its remove finds nothing to
 * remove: a broken benchmark fails instead of measuring a no-op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class ConnMatrixBench {

    /** Live entries in every structure. */
    public static final int ENTRIES = 1_000_000;

    /**
     * Live entries in this run: {@value #ENTRIES}, or the value of {@code -Dnetkit.entries} in the fork's
     * options (for example {@code -jvmArgsAppend "-Xms4g -Xmx4g -Dnetkit.entries=4096"}, which puts every
     * structure in cache, where this machine's forks agree within a nanosecond).
     */
    static final int LIVE = live();

    /** Length of the pre-generated random sequences (a power of two, walked with a mask). */
    public static final int SEQUENCE = 1 << 20;

    /** Shards of the matrix that {@code getConnMatrix} reads. */
    public static final int GET_SHARDS = 4;

    /**
     * Connections per churning thread (a power of two): entry {@code j} of a thread's ring holds its
     * connection {@code j & (CONNS - 1)}, so that finding the connection to re-add costs no cache miss.
     */
    public static final int CONNS = 1024;

    static final int SEQUENCE_MASK = SEQUENCE - 1;
    private static final VarHandle GEN = MethodHandles.arrayElementVarHandle(int[].class);
    static final int CONN_MASK = CONNS - 1;
    static final long SEED = 0x6E65746B69744CL;

    private static int live() {
        int n = Integer.getInteger("netkit.entries", ENTRIES);
        if (n < 1) {
            throw new IllegalArgumentException("netkit.entries must be at least 1, was " + n);
        }
        return n;
    }

    /** Creates the benchmark; JMH calls it. */
    public ConnMatrixBench() {
    }

    /**
     * A connection: what the structures hold. Allocated in setup and reused, so that no measured call
     * allocates one.
     */
    static final class Conn {
        final long serial;

        Conn(long serial) {
            this.serial = serial;
        }
    }

    /**
     * {@value #SEQUENCE} pseudo-random entry indexes in [0, bound), the same for a given seed.
     *
     * @param bound the exclusive upper bound
     * @param seed the seed
     * @return the indexes
     */
    static int[] randomIndexes(int bound, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] indexes = new int[SEQUENCE];
        for (int i = 0; i < SEQUENCE; i++) {
            indexes[i] = random.nextInt(bound);
        }
        return indexes;
    }

    // ---------------------------------------------------------------------------------------------------
    // Lookup
    // ---------------------------------------------------------------------------------------------------

    /**
     * One thread's place in a structure's key sequence. Threads start evenly spaced along the sequence,
     * so that two threads do not look up the same keys at the same time.
     */
    @State(Scope.Thread)
    public static class Cursor {
        int position;

        /** Creates the state; JMH calls it. */
        public Cursor() {
        }

        /**
         * Places this thread on the sequence.
         *
         * @param thread this thread's index and the thread count
         */
        @Setup(Level.Trial)
        public void setup(ThreadParams thread) {
            position = (int) ((long) SEQUENCE * thread.getThreadIndex() / thread.getThreadCount());
        }

        /** @return the next position in the sequence, wrapping at its end */
        int next() {
            int p = position;
            position = (p + 1) & SEQUENCE_MASK;
            return p;
        }
    }

    /** Base of the lookup states: the sequence of keys to look up, in the structure's own terms. */
    abstract static class Lookup {
        /** {@value #SEQUENCE} keys, each naming a live entry, in random order. */
        long[] keys;

        /**
         * Translates the shared random entry indexes into this structure's keys.
         *
         * @param keyOfEntry the key of each entry, by entry index
         */
        final void keys(long[] keyOfEntry) {
            int[] indexes = randomIndexes(LIVE, SEED);
            keys = new long[SEQUENCE];
            for (int i = 0; i < SEQUENCE; i++) {
                keys[i] = keyOfEntry[indexes[i]];
            }
        }

        /** @return the keys of a map filled by a counter: 0, 1, 2, … */
        static long[] counterKeys() {
            long[] k = new long[LIVE];
            for (int i = 0; i < LIVE; i++) {
                k[i] = i;
            }
            return k;
        }
    }

    /** The floor: an {@code Object[]} of {@value #ENTRIES} connections, keyed by index. */
    @State(Scope.Benchmark)
    public static class ArrayLookup extends Lookup {
        Object[] conns;

        /** Creates the state; JMH calls it. */
        public ArrayLookup() {
        }

        /** Fills the array. */
        @Setup(Level.Trial)
        public void setup() {
            conns = new Object[LIVE];
            for (int i = 0; i < LIVE; i++) {
                conns[i] = new Conn(i);
            }
            keys(counterKeys());
        }
    }

    /**
     * The structural floor of a generational lookup: an {@code Object[]} of {@value #ENTRIES} connections
     * and a parallel {@code int[]} of their generations (all 1), ids {@code gen << 32 | index}.
     */
    @State(Scope.Benchmark)
    public static class ArrayGenLookup extends Lookup {
        Object[] conns;
        int[] gens;

        /** Creates the state; JMH calls it. */
        public ArrayGenLookup() {
        }

        /** Fills the arrays. */
        @Setup(Level.Trial)
        public void setup() {
            conns = new Object[LIVE];
            gens = new int[LIVE];
            long[] ids = new long[LIVE];
            for (int i = 0; i < LIVE; i++) {
                conns[i] = new Conn(i);
                gens[i] = 1;
                ids[i] = (1L << 32) | i;
            }
            keys(ids);
        }
    }

    /**
     * The structural floor of a growable generational lookup: the same two arrays cut into pages of
     * {@value #FLOOR_PAGE} slots behind a page table each (as {@link ConnMatrix} grows without copying), ids
     * {@code gen << 32 | index}; plain loads, no shards, no id checks beyond Java's own.
     */
    @State(Scope.Benchmark)
    public static class PagedGenLookup extends Lookup {
        Object[][] connPages;
        int[][] genPages;

        /** Creates the state; JMH calls it. */
        public PagedGenLookup() {
        }

        /** Fills the pages. */
        @Setup(Level.Trial)
        public void setup() {
            int pages = (LIVE + FLOOR_PAGE - 1) / FLOOR_PAGE;
            connPages = new Object[pages][FLOOR_PAGE];
            genPages = new int[pages][FLOOR_PAGE];
            long[] ids = new long[LIVE];
            for (int i = 0; i < LIVE; i++) {
                connPages[i / FLOOR_PAGE][i % FLOOR_PAGE] = new Conn(i);
                genPages[i / FLOOR_PAGE][i % FLOOR_PAGE] = 1;
                ids[i] = (1L << 32) | i;
            }
            keys(ids);
        }
    }

    /** Slots per page of {@link PagedGenLookup} and {@link PagedGenChurn}: {@link ConnMatrix}'s default page. */
    static final int FLOOR_PAGE = 4096;
    static final int FLOOR_PAGE_SHIFT = 12;

    /** A {@link ConnMatrix} of {@value #GET_SHARDS} shards holding {@value #ENTRIES} connections. */
    @State(Scope.Benchmark)
    public static class MatrixLookup extends Lookup {
        ConnMatrix<Conn> matrix;

        /** Creates the state; JMH calls it. */
        public MatrixLookup() {
        }

        /**
         * Fills the matrix, round-robin over its shards. One thread adds to all shards here, in setup;
         * the readers see the entries through JMH's start of the measurement (and {@code get}'s acquire
         * loads).
         */
        @Setup(Level.Trial)
        public void setup() {
            matrix = new ConnMatrix<>(GET_SHARDS);
            long[] ids = new long[LIVE];
            for (int i = 0; i < LIVE; i++) {
                ids[i] = matrix.add(i % GET_SHARDS, new Conn(i));
            }
            keys(ids);
        }
    }

    /** A {@code ConcurrentHashMap<Long, Conn>} holding {@value #ENTRIES} connections, keys 0, 1, 2, … */
    @State(Scope.Benchmark)
    public static class ChmLookup extends Lookup {
        ConcurrentHashMap<Long, Conn> map;

        /** Creates the state; JMH calls it. */
        public ChmLookup() {
        }

        /** Fills the map. */
        @Setup(Level.Trial)
        public void setup() {
            map = new ConcurrentHashMap<>();
            for (int i = 0; i < LIVE; i++) {
                map.put((long) i, new Conn(i));
            }
            keys(counterKeys());
        }
    }

    /** A {@code NonBlockingHashMapLong<Conn>} holding {@value #ENTRIES} connections, keys 0, 1, 2, … */
    @State(Scope.Benchmark)
    public static class NbhmlLookup extends Lookup {
        NonBlockingHashMapLong<Conn> map;

        /** Creates the state; JMH calls it. */
        public NbhmlLookup() {
        }

        /** Fills the map. */
        @Setup(Level.Trial)
        public void setup() {
            map = new NonBlockingHashMapLong<>();
            for (int i = 0; i < LIVE; i++) {
                map.put(i, new Conn(i));
            }
            keys(counterKeys());
        }
    }

    /**
     * A {@code Long2ObjectHashMap<Conn>} holding {@value #ENTRIES} connections, keys 0, 1, 2, …, and the
     * read lock that every lookup takes.
     */
    @State(Scope.Benchmark)
    public static class AgronaLookup extends Lookup {
        Long2ObjectHashMap<Conn> map;
        Lock readLock;

        /** Creates the state; JMH calls it. */
        public AgronaLookup() {
        }

        /** Fills the map. */
        @Setup(Level.Trial)
        public void setup() {
            map = new Long2ObjectHashMap<>();
            for (int i = 0; i < LIVE; i++) {
                map.put(i, new Conn(i));
            }
            readLock = new ReentrantReadWriteLock().readLock();
            keys(counterKeys());
        }
    }

    /**
     * The floor: {@code array[index]}.
     *
     * @param s the array and its key sequence
     * @param c this thread's cursor
     * @return the connection
     */
    @Benchmark
    public Object getArray(ArrayLookup s, Cursor c) {
        return s.conns[(int) s.keys[c.next()]];
    }

    /**
     * The structural floor of a generational lookup: the generation and the reference at one random
     * index of two parallel arrays.
     *
     * @param s the arrays and their id sequence
     * @param c this thread's cursor
     * @return the connection, or null for a stale id
     */
    @Benchmark
    public Object getArrayPlusGen(ArrayGenLookup s, Cursor c) {
        long id = s.keys[c.next()];
        int i = (int) id;
        return s.gens[i] == (int) (id >>> 32) ? s.conns[i] : null;
    }

    /**
     * The structural floor of a growable generational lookup: a page table load for each array, then the
     * generation and the reference at one random slot.
     *
     * @param s the pages and their id sequence
     * @param c this thread's cursor
     * @return the connection, or null for a stale id
     */
    @Benchmark
    public Object getArrayPlusGenPaged(PagedGenLookup s, Cursor c) {
        long id = s.keys[c.next()];
        int i = (int) id;
        int page = i >>> FLOOR_PAGE_SHIFT;
        int slot = i & (FLOOR_PAGE - 1);
        return s.genPages[page][slot] == (int) (id >>> 32) ? s.connPages[page][slot] : null;
    }

    /**
     * {@link ConnMatrix#get(long)}.
     *
     * @param s the matrix and its key sequence
     * @param c this thread's cursor
     * @return the connection
     */
    @Benchmark
    public Object getConnMatrix(MatrixLookup s, Cursor c) {
        return s.matrix.get(s.keys[c.next()]);
    }

    /**
     * {@code ConcurrentHashMap.get(Object)}, the key boxed here as a caller holding a {@code long} id
     * boxes it.
     *
     * @param s the map and its key sequence
     * @param c this thread's cursor
     * @return the connection
     */
    @Benchmark
    public Object getConcurrentHashMap(ChmLookup s, Cursor c) {
        return s.map.get(s.keys[c.next()]);
    }

    /**
     * {@code NonBlockingHashMapLong.get(long)}.
     *
     * @param s the map and its key sequence
     * @param c this thread's cursor
     * @return the connection
     */
    @Benchmark
    public Object getNonBlockingHashMapLong(NbhmlLookup s, Cursor c) {
        return s.map.get(s.keys[c.next()]);
    }

    /**
     * {@code Long2ObjectHashMap.get(long)} under the read lock of a {@link ReentrantReadWriteLock}.
     *
     * @param s the map, its lock and its key sequence
     * @param c this thread's cursor
     * @return the connection
     */
    @Benchmark
    public Object getAgronaReadLock(AgronaLookup s, Cursor c) {
        long key = s.keys[c.next()];
        Lock lock = s.readLock;
        lock.lock();
        try {
            return s.map.get(key);
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Churn
    // ---------------------------------------------------------------------------------------------------

    /**
     * Base of the per-thread churn states: the thread's ring of current keys and their connections, a
     * random sequence of ring positions, and, for the maps, the thread's key counter.
     *
     * <p>Thread {@code t} of {@code T} holds {@code n = ENTRIES / T} entries. Map keys come from a counter
     * per thread that issues {@code t, t + T, t + 2T, …}, so the threads' keys never collide and together
     * start as 0, 1, 2, … A {@code Scope.Thread} state's trial setup runs on its benchmark thread, which
     * makes that thread the owner of what it adds there.
     */
    abstract static class Churner {
        /** The current key of each entry this thread holds. */
        long[] ids;
        /** This thread's connections: entry {@code j} holds {@code conns[j & CONN_MASK]}. */
        Conn[] conns;
        /** {@value #SEQUENCE} random positions in [0, ids.length). */
        int[] positions;
        int cursor;
        /** The next map key this thread issues. */
        long nextKey;
        /** The thread count: the step of {@link #nextKey}. */
        int stride;
        /** This thread's index in [0, T). */
        int index;

        /**
         * Sizes this thread's share and issues its first keys: {@code ids[j] = index + j * T}.
         *
         * @param thread this thread's index and the thread count
         */
        final void init(ThreadParams thread) {
            index = thread.getThreadIndex();
            stride = thread.getThreadCount();
            int n = LIVE / stride;
            ids = new long[n];
            conns = new Conn[CONNS];
            for (int j = 0; j < CONNS; j++) {
                conns[j] = new Conn(index + (long) j * stride);
            }
            for (int j = 0; j < n; j++) {
                ids[j] = index + (long) j * stride;
            }
            nextKey = index + (long) n * stride;
            positions = randomIndexes(n, SEED + 1 + index);
        }

        /**
         * @param position a position in the ring
         * @return the connection that the entry at that position holds
         */
        final Conn conn(int position) {
            return conns[position & CONN_MASK];
        }

        /** @return the next random position in this thread's ring */
        final int nextPosition() {
            int c = cursor;
            cursor = (c + 1) & SEQUENCE_MASK;
            return positions[c];
        }

        /** @return a new key, never issued before by any thread */
        final long newKey() {
            long k = nextKey;
            nextKey = k + stride;
            return k;
        }

        /**
         * Reports a remove that found nothing.
         *
         * @param what the benchmark
         * @param key the key that was not there
         * @return the exception to throw
         */
        final IllegalStateException notFound(String what, long key) {
            return new IllegalStateException(what + ": thread " + index + " removed key " + key
                    + ", which was not there: the benchmark is broken");
        }
    }

    /** A ring of ids and nothing else: what {@code churnHarness} walks. */
    @State(Scope.Thread)
    public static class HarnessChurner extends Churner {
        /** Creates the state; JMH calls it. */
        public HarnessChurner() {
        }

        /**
         * Sizes the ring.
         *
         * @param thread this thread's index and the thread count
         */
        @Setup(Level.Trial)
        public void setup(ThreadParams thread) {
            init(thread);
        }
    }

    /** The floor's shared array of {@value #ENTRIES} slots. */
    @State(Scope.Benchmark)
    public static class ArrayChurn {
        Object[] slots;

        /** Creates the state; JMH calls it. */
        public ArrayChurn() {
        }

        /** Allocates the array; each thread fills its own part. */
        @Setup(Level.Trial)
        public void setup() {
            slots = new Object[LIVE];
        }
    }

    /**
     * One thread's part of the floor: the indexes {@code [t * n, (t + 1) * n)} of the shared array, and a
     * free-index stack.
     */
    @State(Scope.Thread)
    public static class ArrayChurner extends Churner {
        int[] free;
        int top;

        /** Creates the state; JMH calls it. */
        public ArrayChurner() {
        }

        /**
         * Fills this thread's part of the array; ids are array indexes.
         *
         * @param thread this thread's index and the thread count
         * @param shared the array
         */
        @Setup(Level.Trial)
        public void setup(ThreadParams thread, ArrayChurn shared) {
            init(thread);
            int base = index * ids.length;
            for (int j = 0; j < ids.length; j++) {
                ids[j] = base + j;
                shared.slots[base + j] = conn(j);
            }
            free = new int[ids.length];
            top = 0;
        }
    }

    /** The generational floor's shared arrays: {@value #ENTRIES} slots and their generations. */
    @State(Scope.Benchmark)
    public static class ArrayGenChurn {
        Object[] slots;
        int[] gens;

        /** Creates the state; JMH calls it. */
        public ArrayGenChurn() {
        }

        /** Allocates the arrays; each thread fills its own part. */
        @Setup(Level.Trial)
        public void setup() {
            slots = new Object[LIVE];
            gens = new int[LIVE];
        }
    }

    /**
     * One thread's part of the generational floor: the indexes {@code [t * n, (t + 1) * n)} of the shared
     * arrays, generation 1 each, ids {@code gen << 32 | index}, and a free-index stack.
     */
    @State(Scope.Thread)
    public static class ArrayGenChurner extends Churner {
        int[] free;
        int top;

        /** Creates the state; JMH calls it. */
        public ArrayGenChurner() {
        }

        /**
         * Fills this thread's part of the arrays.
         *
         * @param thread this thread's index and the thread count
         * @param shared the arrays
         */
        @Setup(Level.Trial)
        public void setup(ThreadParams thread, ArrayGenChurn shared) {
            init(thread);
            int base = index * ids.length;
            for (int j = 0; j < ids.length; j++) {
                shared.slots[base + j] = conn(j);
                shared.gens[base + j] = 1;
                ids[j] = (1L << 32) | (base + j);
            }
            free = new int[ids.length];
            top = 0;
        }
    }

    /**
     * The paged generational floor's shared arrays: the same {@value #ENTRIES} slots and generations cut
     * into pages of {@value #FLOOR_PAGE} behind a page table each, as a matrix that grows without copying
     * keeps them.
     */
    @State(Scope.Benchmark)
    public static class PagedGenChurn {
        Object[][] slotPages;
        int[][] genPages;

        /** Creates the state; JMH calls it. */
        public PagedGenChurn() {
        }

        /** Allocates the pages; each thread fills its own part. */
        @Setup(Level.Trial)
        public void setup() {
            int pages = (LIVE + FLOOR_PAGE - 1) / FLOOR_PAGE;
            slotPages = new Object[pages][FLOOR_PAGE];
            genPages = new int[pages][FLOOR_PAGE];
        }
    }

    /** One thread's part of the paged generational floor, as {@link ArrayGenChurner}'s of the flat one. */
    @State(Scope.Thread)
    public static class PagedGenChurner extends Churner {
        int[] free;
        int top;

        /** Creates the state; JMH calls it. */
        public PagedGenChurner() {
        }

        /**
         * Fills this thread's part of the pages.
         *
         * @param thread this thread's index and the thread count
         * @param shared the pages
         */
        @Setup(Level.Trial)
        public void setup(ThreadParams thread, PagedGenChurn shared) {
            init(thread);
            int base = index * ids.length;
            for (int j = 0; j < ids.length; j++) {
                int i = base + j;
                shared.slotPages[i / FLOOR_PAGE][i % FLOOR_PAGE] = conn(j);
                shared.genPages[i / FLOOR_PAGE][i % FLOOR_PAGE] = 1;
                ids[j] = (1L << 32) | i;
            }
            free = new int[ids.length];
            top = 0;
        }
    }

    /** A {@link ConnMatrix} with one shard per benchmark thread. */
    @State(Scope.Benchmark)
    public static class MatrixChurn {
        ConnMatrix<Conn> matrix;

        /** Creates the state; JMH calls it. */
        public MatrixChurn() {
        }

        /**
         * Creates the matrix, one shard per thread; each thread fills its own shard.
         *
         * @param params the run's parameters; {@link BenchmarkParams#getThreads()} is the shard count
         */
        @Setup(Level.Trial)
        public void setup(BenchmarkParams params) {
            matrix = new ConnMatrix<>(params.getThreads());
        }
    }

    /** One thread's shard of the matrix: shard {@code t}, owned by benchmark thread {@code t}. */
    @State(Scope.Thread)
    public static class MatrixChurner extends Churner {
        int shard;

        /** Creates the state; JMH calls it. */
        public MatrixChurner() {
        }

        /**
         * Adds this thread's entries to its own shard, on this thread (the shard's owner).
         *
         * @param thread this thread's index and the thread count
         * @param shared the matrix
         */
        @Setup(Level.Trial)
        public void setup(ThreadParams thread, MatrixChurn shared) {
            init(thread);
            shard = index;
            for (int j = 0; j < ids.length; j++) {
                ids[j] = shared.matrix.add(shard, conn(j));
            }
        }
    }

    /** A shared {@code ConcurrentHashMap<Long, Conn>}. */
    @State(Scope.Benchmark)
    public static class ChmChurn {
        ConcurrentHashMap<Long, Conn> map;

        /** Creates the state; JMH calls it. */
        public ChmChurn() {
        }

        /** Creates the map; each thread fills in its keys. */
        @Setup(Level.Trial)
        public void setup() {
            map = new ConcurrentHashMap<>();
        }
    }

    /** One thread's keys in the shared {@code ConcurrentHashMap}. */
    @State(Scope.Thread)
    public static class ChmChurner extends Churner {
        /** Creates the state; JMH calls it. */
        public ChmChurner() {
        }

        /**
         * Puts this thread's first keys.
         *
         * @param thread this thread's index and the thread count
         * @param shared the map
         */
        @Setup(Level.Trial)
        public void setup(ThreadParams thread, ChmChurn shared) {
            init(thread);
            for (int j = 0; j < ids.length; j++) {
                shared.map.put(ids[j], conn(j));
            }
        }
    }

    /** A shared {@code NonBlockingHashMapLong<Conn>}. */
    @State(Scope.Benchmark)
    public static class NbhmlChurn {
        NonBlockingHashMapLong<Conn> map;

        /** Creates the state; JMH calls it. */
        public NbhmlChurn() {
        }

        /** Creates the map; each thread fills in its keys. */
        @Setup(Level.Trial)
        public void setup() {
            map = new NonBlockingHashMapLong<>();
        }
    }

    /** One thread's keys in the shared {@code NonBlockingHashMapLong}. */
    @State(Scope.Thread)
    public static class NbhmlChurner extends Churner {
        /** Creates the state; JMH calls it. */
        public NbhmlChurner() {
        }

        /**
         * Puts this thread's first keys.
         *
         * @param thread this thread's index and the thread count
         * @param shared the map
         */
        @Setup(Level.Trial)
        public void setup(ThreadParams thread, NbhmlChurn shared) {
            init(thread);
            for (int j = 0; j < ids.length; j++) {
                shared.map.put(ids[j], conn(j));
            }
        }
    }

    /** A thread's own {@code Long2ObjectHashMap<Conn>}: no sharing, no lock. */
    @State(Scope.Thread)
    public static class AgronaOwnChurner extends Churner {
        Long2ObjectHashMap<Conn> map;

        /** Creates the state; JMH calls it. */
        public AgronaOwnChurner() {
        }

        /**
         * Creates and fills this thread's map.
         *
         * @param thread this thread's index and the thread count
         */
        @Setup(Level.Trial)
        public void setup(ThreadParams thread) {
            init(thread);
            map = new Long2ObjectHashMap<>();
            for (int j = 0; j < ids.length; j++) {
                map.put(ids[j], conn(j));
            }
        }
    }

    /** A shared {@code Long2ObjectHashMap<Conn>} and the write lock that every update takes. */
    @State(Scope.Benchmark)
    public static class AgronaLockedChurn {
        Long2ObjectHashMap<Conn> map;
        Lock writeLock;

        /** Creates the state; JMH calls it. */
        public AgronaLockedChurn() {
        }

        /** Creates the map and its lock; each thread fills in its keys. */
        @Setup(Level.Trial)
        public void setup() {
            map = new Long2ObjectHashMap<>();
            writeLock = new ReentrantReadWriteLock().writeLock();
        }
    }

    /** One thread's keys in the shared, locked {@code Long2ObjectHashMap}. */
    @State(Scope.Thread)
    public static class AgronaLockedChurner extends Churner {
        /** Creates the state; JMH calls it. */
        public AgronaLockedChurner() {
        }

        /**
         * Puts this thread's first keys, under the write lock (threads set up concurrently).
         *
         * @param thread this thread's index and the thread count
         * @param shared the map and its lock
         */
        @Setup(Level.Trial)
        public void setup(ThreadParams thread, AgronaLockedChurn shared) {
            init(thread);
            shared.writeLock.lock();
            try {
                for (int j = 0; j < ids.length; j++) {
                    shared.map.put(ids[j], conn(j));
                }
            } finally {
                shared.writeLock.unlock();
            }
        }
    }

    /**
     * The harness alone: the next random position, and the load and store of the ring entry there.
     *
     * @param t this thread's ring
     * @return the entry's new value
     */
    @Benchmark
    public long churnHarness(HarnessChurner t) {
        int p = t.nextPosition();
        long id = t.ids[p] + t.stride;
        t.ids[p] = id;
        return id;
    }

    /**
     * The floor: clear a slot and push its index; pop an index and set its slot.
     *
     * @param s the shared array
     * @param t this thread's part of it
     * @return the new entry's index
     */
    @Benchmark
    public int churnArray(ArrayChurn s, ArrayChurner t) {
        int p = t.nextPosition();
        Object[] slots = s.slots;
        int old = (int) t.ids[p];
        slots[old] = null;
        t.free[t.top++] = old;
        int index = t.free[--t.top];
        slots[index] = t.conn(p);
        t.ids[p] = index;
        return index;
    }

    /**
     * The generational floor: CAS the old slot's generation odd to even, clear the slot, push its index;
     * pop an index, store its next odd generation and the connection.
     *
     * @param s the shared arrays
     * @param t this thread's part of them
     * @return the new entry's id
     */
    @Benchmark
    public long churnArrayPlusGen(ArrayGenChurn s, ArrayGenChurner t) {
        int p = t.nextPosition();
        long old = t.ids[p];
        int oldIndex = (int) old;
        int[] gens = s.gens;
        int oldGen = (int) (old >>> 32);
        if (!GEN.compareAndSet(gens, oldIndex, oldGen, oldGen + 1)) {
            throw t.notFound("churnArrayPlusGen", old);
        }
        Object[] slots = s.slots;
        slots[oldIndex] = null;
        t.free[t.top++] = oldIndex;
        int index = t.free[--t.top];
        int gen = gens[index] + 1;
        slots[index] = t.conn(p);
        GEN.setRelease(gens, index, gen);
        long id = ((long) gen << 32) | index;
        t.ids[p] = id;
        return id;
    }

    /**
     * The paged generational floor: {@link #churnArrayPlusGen}'s work on the paged arrays (a page table
     * load before each slot's page).
     *
     * @param s the shared pages
     * @param t this thread's part of them
     * @return the new entry's id
     */
    @Benchmark
    public long churnArrayPlusGenPaged(PagedGenChurn s, PagedGenChurner t) {
        int p = t.nextPosition();
        long old = t.ids[p];
        int oldIndex = (int) old;
        int[] oldGens = s.genPages[oldIndex >>> FLOOR_PAGE_SHIFT];
        int oldOffset = oldIndex & (FLOOR_PAGE - 1);
        int oldGen = (int) (old >>> 32);
        if (!GEN.compareAndSet(oldGens, oldOffset, oldGen, oldGen + 1)) {
            throw t.notFound("churnArrayPlusGenPaged", old);
        }
        s.slotPages[oldIndex >>> FLOOR_PAGE_SHIFT][oldOffset] = null;
        t.free[t.top++] = oldIndex;
        int index = t.free[--t.top];
        int[] gens = s.genPages[index >>> FLOOR_PAGE_SHIFT];
        int offset = index & (FLOOR_PAGE - 1);
        int gen = gens[offset] + 1;
        s.slotPages[index >>> FLOOR_PAGE_SHIFT][offset] = t.conn(p);
        GEN.setRelease(gens, offset, gen);
        long id = ((long) gen << 32) | index;
        t.ids[p] = id;
        return id;
    }

    /**
     * {@link ConnMatrix#remove(long)}, then {@link ConnMatrix#add(int, Object)} to this thread's shard.
     *
     * @param s the shared matrix
     * @param t this thread's shard and ids
     * @return the new entry's id
     */
    @Benchmark
    public long churnConnMatrix(MatrixChurn s, MatrixChurner t) {
        int p = t.nextPosition();
        long old = t.ids[p];
        if (!s.matrix.remove(old)) {
            throw t.notFound("churnConnMatrix", old);
        }
        long id = s.matrix.add(t.shard, t.conn(p));
        t.ids[p] = id;
        return id;
    }

    /**
     * {@link ConnMatrix#removeByOwner(long)}, then {@link ConnMatrix#add(int, Object)}: the event loop
     * closing and accepting on its own shard, the reactor's path.
     *
     * @param s the shared matrix
     * @param t this thread's shard and ids
     * @return the new entry's id
     */
    @Benchmark
    public long churnConnMatrixOwner(MatrixChurn s, MatrixChurner t) {
        int p = t.nextPosition();
        long old = t.ids[p];
        if (!s.matrix.removeByOwner(old)) {
            throw t.notFound("churnConnMatrixOwner", old);
        }
        long id = s.matrix.add(t.shard, t.conn(p));
        t.ids[p] = id;
        return id;
    }

    /**
     * {@code ConcurrentHashMap} {@code remove(oldKey)}, {@code put(newKey, conn)}.
     *
     * @param s the shared map
     * @param t this thread's keys
     * @return the new key
     */
    @Benchmark
    public long churnConcurrentHashMap(ChmChurn s, ChmChurner t) {
        int p = t.nextPosition();
        long old = t.ids[p];
        if (s.map.remove(old) == null) {
            throw t.notFound("churnConcurrentHashMap", old);
        }
        long key = t.newKey();
        s.map.put(key, t.conn(p));
        t.ids[p] = key;
        return key;
    }

    /**
     * {@code NonBlockingHashMapLong} {@code remove(oldKey)}, {@code put(newKey, conn)}.
     *
     * @param s the shared map
     * @param t this thread's keys
     * @return the new key
     */
    @Benchmark
    public long churnNonBlockingHashMapLong(NbhmlChurn s, NbhmlChurner t) {
        int p = t.nextPosition();
        long old = t.ids[p];
        if (s.map.remove(old) == null) {
            throw t.notFound("churnNonBlockingHashMapLong", old);
        }
        long key = t.newKey();
        s.map.put(key, t.conn(p));
        t.ids[p] = key;
        return key;
    }

    /**
     * {@code Long2ObjectHashMap} {@code remove(oldKey)}, {@code put(newKey, conn)} on this thread's own
     * map, no lock.
     *
     * @param t this thread's map and keys
     * @return the new key
     */
    @Benchmark
    public long churnAgronaPerThread(AgronaOwnChurner t) {
        int p = t.nextPosition();
        long old = t.ids[p];
        if (t.map.remove(old) == null) {
            throw t.notFound("churnAgronaPerThread", old);
        }
        long key = t.newKey();
        t.map.put(key, t.conn(p));
        t.ids[p] = key;
        return key;
    }

    /**
     * {@code Long2ObjectHashMap} {@code remove(oldKey)} and {@code put(newKey, conn)} on the shared map,
     * each under the write lock.
     *
     * @param s the shared map and its lock
     * @param t this thread's keys
     * @return the new key
     */
    @Benchmark
    public long churnAgronaWriteLock(AgronaLockedChurn s, AgronaLockedChurner t) {
        int p = t.nextPosition();
        long old = t.ids[p];
        Lock lock = s.writeLock;
        Conn removed;
        lock.lock();
        try {
            removed = s.map.remove(old);
        } finally {
            lock.unlock();
        }
        if (removed == null) {
            throw t.notFound("churnAgronaWriteLock", old);
        }
        long key = t.newKey();
        lock.lock();
        try {
            s.map.put(key, t.conn(p));
        } finally {
            lock.unlock();
        }
        t.ids[p] = key;
        return key;
    }
}
