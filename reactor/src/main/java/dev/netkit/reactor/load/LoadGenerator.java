package dev.netkit.reactor.load;

import dev.netkit.connmatrix.ConnMatrix;
import dev.netkit.padding.internal.Handles;
import dev.netkit.reactor.protocols.Protocol;
import dev.netkit.reactor.protocols.PubSubFrames;
import dev.netkit.reactor.protocols.RelayFrames;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A load generator for the echo, relay and pub/sub servers (and any echo server): T client threads, each
 * an NIO event loop over its share of the connections.
 *
 * <ul>
 *   <li><b>Closed loop</b> ({@code rate == 0}): each connection keeps Q messages in flight and sends the
 *       next one when an answer arrives: peak throughput.</li>
 *   <li><b>Open loop</b> ({@code rate > 0}): messages are due at fixed times ({@code k / rate}, spread
 *       round-robin over the connections) whether or not the server keeps up; a message that cannot be
 *       written when due waits in a per-connection queue with its intended time, and latency counts from
 *       that intended time, so a stalled server shows up in the percentiles (coordinated omission
 *       corrected).</li>
 * </ul>
 * Every message carries a sequence number and a CRC-32C ({@link Message}): answers out of order, missing
 * or corrupt count as mismatches. A connection with messages in flight and no answer for
 * {@code stallMillis} counts as stalled (once per episode). In relay mode connections are paired (half of
 * the pairs on the same sub-reactor when the server has several, the other half across, using the ids
 * from the hello frames) and a message counts when the partner receives it.
 *
 * <p><b>Pub/sub</b> ({@link PubSubFrames}): the connections are split evenly over {@code topics} topics;
 * every connection subscribes to its topic, and the first {@code publishers} of each topic also publish
 * to it. Setup sends every SUB and waits for every SUBSCRIBED (which carries the connection's id) before
 * anything is published, so every subscriber must get every message. A delivery (one message arriving at
 * one subscriber) is what is counted and timed: throughput is deliveries per second (publishes per second
 * are reported too) and each delivery's latency, from the publish's intended send time, goes to the
 * histogram. Closed loop: each publisher keeps Q publishes in flight, a publish completing when every
 * subscriber of its topic has it (a countdown per message in flight, shared by the client threads). Open
 * loop: {@code rate} publishes per second over all publishers. Each subscriber keeps, per publisher of its
 * topic (found by the publisher's connection id in a small table built at setup), the next sequence it
 * expects: a duplicate, a message out of order, a bad checksum or an unknown publisher is a mismatch. After
 * the measured period publishing stops, in-flight messages get up to two seconds to arrive, and the end
 * check requires that every subscriber got each message of each publisher of its topic exactly once over
 * the whole run: what is missing is reported as lost and counted as mismatches.
 *
 * <p><b>Thread safety.</b> {@link #run(LoadConfig, PrintStream)} may be called from any thread; it blocks
 * until the run ends.
 */
public final class LoadGenerator {
    /** Pub/sub: how long the end of a run waits for the messages still in flight. */
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final VarHandle DONE = Handles.field(MethodHandles.lookup(), Conn.class, "done", long.class);
    private static final VarHandle PENDING = MethodHandles.arrayElementVarHandle(int[].class);

    private LoadGenerator() {
    }

    /**
     * Runs the load and returns the measured result.
     *
     * @param cfg what to do
     * @param log where progress lines go (may be null)
     * @return the result of the measured period
     * @throws IOException if connections cannot be opened at all, or (pubsub) a subscription is not
     *                     acknowledged
     * @throws InterruptedException if interrupted
     */
    public static LoadResult run(LoadConfig cfg, PrintStream log) throws IOException, InterruptedException {
        Objects.requireNonNull(cfg, "cfg");
        boolean relay = cfg.protocol() == Protocol.RELAY;
        boolean pubsub = cfg.protocol() == Protocol.PUBSUB;
        int n = relay ? Math.max(2, cfg.connections() & ~1) : cfg.connections();
        List<Conn> conns = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                SocketChannel ch = connect(cfg, i);
                Conn c = new Conn(i, ch, cfg);
                conns.add(c);
                if (relay) {
                    c.serverId = readHello(ch);
                }
            }
            List<Topic> topics = pubsub ? subscribe(cfg, conns) : List.of();
            for (Conn c : conns) {
                c.ch.configureBlocking(false);
            }
            return measure(cfg, log, conns, topics);
        } finally {
            for (Conn c : conns) {
                try {
                    c.ch.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }

    private static LoadResult measure(LoadConfig cfg, PrintStream log, List<Conn> conns, List<Topic> topics)
            throws IOException, InterruptedException {
        boolean relay = cfg.protocol() == Protocol.RELAY;
        boolean pubsub = cfg.protocol() == Protocol.PUBSUB;
        int n = conns.size();
        int crossPairs = 0;
        List<List<Conn>> perThread = new ArrayList<>();
        for (int t = 0; t < cfg.threads(); t++) {
            perThread.add(new ArrayList<>());
        }
        if (relay) {
            List<Conn[]> pairs = pair(conns);
            for (int k = 0; k < pairs.size(); k++) {
                Conn a = pairs.get(k)[0], b = pairs.get(k)[1];
                a.partner = b;
                b.partner = a;
                if (ConnMatrix.shardOf(a.serverId) != ConnMatrix.shardOf(b.serverId)) {
                    crossPairs++;
                }
                perThread.get(k % cfg.threads()).add(a);
                perThread.get(k % cfg.threads()).add(b);
            }
        } else {
            for (Conn c : conns) {
                perThread.get(c.index % cfg.threads()).add(c);
            }
        }
        int totalPublishers = 0;
        for (Topic t : topics) {
            totalPublishers += t.publishers.length;
        }
        List<ClientLoop> loops = new ArrayList<>();
        for (int t = 0; t < cfg.threads(); t++) {
            List<Conn> mine = perThread.get(t);
            if (!mine.isEmpty()) {
                double share = pubsub ? mine.stream().filter(c -> c.publisher).count() / (double) totalPublishers
                        : 1.0 / cfg.threads();
                loops.add(new ClientLoop(t, cfg, mine, cfg.rate() * share));
            }
        }
        GcPauses gc = cfg.serverPid() > 0 ? GcPauses.open(cfg.serverPid()) : null;
        if (gc != null && !gc.available() && cfg.progress() && log != null) {
            log.println("server GC pauses: n/a: " + gc.reason());
        }
        long start = System.nanoTime();
        for (ClientLoop l : loops) {
            l.thread.start();
        }
        // warmup, then the measured period, one progress line per second
        long warmupEnd = start + cfg.warmup().toNanos();
        sleepUntil(warmupEnd);
        for (ClientLoop l : loops) {
            l.recorder.getIntervalHistogram();          // discard the warmup's latencies
        }
        long[] base = counters(loops);
        long[] baseCompletions = completions(conns, pubsub);
        long cpu0 = cfg.serverPid() > 0 ? ProcStats.cpuNanos(cfg.serverPid()) : -1;
        GcPauses.Window gcWindow = gc != null && gc.available()
                ? gc.window().startPolling(Duration.ofMillis(GcPauses.DEFAULT_POLL_MILLIS)) : null;
        GcPauses.Summary gcPauses;
        long t0 = System.nanoTime();
        long end = t0 + cfg.duration().toNanos();
        Histogram total = new Histogram(3);
        Histogram sec = new Histogram(3);
        long[] last = base;
        int second = 0;
        try {
            while (System.nanoTime() < end) {
                sleepUntil(Math.min(end, t0 + TimeUnit.SECONDS.toNanos(++second)));
                sec.reset();
                for (ClientLoop l : loops) {
                    l.spare = l.recorder.getIntervalHistogram(l.spare);
                    total.add(l.spare);
                    sec.add(l.spare);
                }
                long[] now = counters(loops);
                if (cfg.progress() && log != null) {
                    String rate = pubsub ? String.format("%,10d deliveries/s  %,8d publishes/s", now[0] - last[0],
                            now[4] - last[4]) : String.format("%,10d msg/s", now[0] - last[0]);
                    log.printf("[%3ds] %s  p50 %s  p99 %s  max %s  errors %d  mismatches %d  stalls %d%s%n", second,
                            rate, LoadResult.micros(sec.getValueAtPercentile(50)),
                            LoadResult.micros(sec.getValueAtPercentile(99)), LoadResult.micros(sec.getMaxValue()),
                            now[1] - base[1], now[2] - base[2], now[3] - base[3],
                            pubsub ? "  skipped " + (now[5] - base[5]) : "");
                }
                last = now;
            }
        } finally {
            gcPauses = gcWindow != null ? gcWindow.finish() : null;     // the window ends with the period
        }
        long elapsed = System.nanoTime() - t0;
        long cpu1 = cfg.serverPid() > 0 ? ProcStats.cpuNanos(cfg.serverPid()) : -1;
        long rss = cfg.serverPid() > 0 ? ProcStats.rssBytes(cfg.serverPid()) : -1;
        long[] fin = counters(loops);
        long[] finCompletions = completions(conns, pubsub);
        if (pubsub) {
            for (ClientLoop l : loops) {
                l.spare = l.recorder.getIntervalHistogram(l.spare);
                total.add(l.spare);                     // the drain's latencies are left out
            }
            drain(loops, topics);
        }
        for (ClientLoop l : loops) {
            l.stop = true;
            l.selector.wakeup();
        }
        for (ClientLoop l : loops) {
            l.thread.join();
            if (!pubsub) {
                total.add(l.recorder.getIntervalHistogram());
            }
        }
        long[] after = pubsub ? counters(loops) : fin;     // pubsub: errors, mismatches, stalls until the drain's end
        long lost = 0;
        long endMismatches = 0;
        if (pubsub) {
            for (Topic t : topics) {                        // the end check: the loops have stopped (joined)
                for (Conn s : t.members) {
                    for (int p = 0; p < t.publishers.length; p++) {
                        long d = t.publishers[p].sendSeq - s.got[p];
                        lost += Math.max(0, d);
                        endMismatches += Math.abs(d);
                    }
                }
            }
        }
        long[] per = new long[n];
        int k = 0;
        for (Conn c : conns) {
            if (!pubsub || c.publisher) {
                per[k++] = finCompletions[c.index] - baseCompletions[c.index];
            }
        }
        per = Arrays.copyOf(per, Math.max(1, k));
        Arrays.sort(per);
        long median = per[per.length / 2];
        long busiest = per[per.length - 1];
        double fairness = median == 0 ? (busiest == 0 ? 1 : Double.POSITIVE_INFINITY) : (double) busiest / median;
        long msgs = fin[0] - base[0];
        long publishes = fin[4] - base[4];
        double secs = elapsed / 1e9;
        double cross = relay ? crossPairs / (double) (n / 2) : pubsub ? crossFraction(topics) : Double.NaN;
        return new LoadResult(cfg.protocol(), cfg.openLoop() ? "open" : "closed", n, cfg.messageBytes(), cfg.inFlight(),
                cfg.rate(), secs, msgs, msgs / secs, msgs * (double) cfg.messageBytes() / secs / 1e6,
                total.getValueAtPercentile(50), total.getValueAtPercentile(90), total.getValueAtPercentile(99),
                total.getValueAtPercentile(99.9), total.getMaxValue(), after[1] - base[1],
                after[2] - base[2] + endMismatches, after[3] - base[3], fairness, cross,
                cpu0 >= 0 && cpu1 >= 0 && msgs > 0 ? (cpu1 - cpu0) / 1e3 / msgs : Double.NaN, rss,
                pubsub ? topics.size() : 0, pubsub ? cfg.publishers() : 0, pubsub ? publishes : 0,
                pubsub ? publishes / secs : Double.NaN, pubsub ? msgs / secs : Double.NaN,
                pubsub ? n / (double) topics.size() : Double.NaN, lost, gcPauses != null ? gcPauses.count() : -1,
                gcPauses != null ? gcPauses.maxMillis() : -1, gcPauses != null ? gcPauses.totalMillis() : -1);
    }

    /** Pub/sub: stops publishing, then waits (bounded) until every subscriber has every message sent. */
    private static void drain(List<ClientLoop> loops, List<Topic> topics) throws InterruptedException {
        for (ClientLoop l : loops) {
            l.publishing = false;
            l.selector.wakeup();
        }
        long deadline = System.nanoTime() + DRAIN_NANOS;
        for (ClientLoop l : loops) {
            while (!l.quiesced && l.thread.isAlive() && System.nanoTime() - deadline < 0) {
                Thread.sleep(1);
            }
        }
        while (System.nanoTime() - deadline < 0) {
            long expected = 0;
            for (Topic t : topics) {
                for (Conn p : t.publishers) {
                    expected += p.sent * t.members.size();
                }
            }
            long taken = 0;
            for (ClientLoop l : loops) {
                taken += l.taken;
            }
            if (taken >= expected) {
                return;
            }
            Thread.sleep(2);
        }
    }

    /** Pub/sub: the fraction of (publisher, subscriber) pairs of a topic on different sub-reactors. */
    private static double crossFraction(List<Topic> topics) {
        long pairs = 0;
        long cross = 0;
        for (Topic t : topics) {
            for (Conn p : t.publishers) {
                for (Conn s : t.members) {
                    pairs++;
                    if (ConnMatrix.shardOf(p.serverId) != ConnMatrix.shardOf(s.serverId)) {
                        cross++;
                    }
                }
            }
        }
        return pairs == 0 ? Double.NaN : cross / (double) pairs;
    }

    /**
     * Pub/sub setup: splits the connections over the topics (contiguous blocks, sizes differing by at most
     * one), makes the first ones of each topic publishers, sends every SUB, then waits for every SUBSCRIBED
     * (blocking channels) and takes the connection ids from them.
     */
    private static List<Topic> subscribe(LoadConfig cfg, List<Conn> conns) throws IOException {
        int n = conns.size();
        int count = cfg.topics();
        List<Topic> topics = new ArrayList<>(count);
        int from = 0;
        for (int t = 0; t < count; t++) {
            int size = n / count + (t < n % count ? 1 : 0);
            Topic topic = new Topic(("t" + t).getBytes(StandardCharsets.US_ASCII), conns.subList(from, from + size),
                    cfg.publishers());
            from += size;
            for (int i = 0; i < size; i++) {
                Conn c = topic.members.get(i);
                c.topic = topic;
                c.next = new long[cfg.publishers()];
                c.got = new long[cfg.publishers()];
                c.watchSince = Long.MIN_VALUE;
                if (i < cfg.publishers()) {
                    c.publisher = true;
                    topic.publishers[i] = c;
                    if (!cfg.openLoop()) {
                        int w = Integer.highestOneBit(Math.max(1, 2 * cfg.inFlight() - 1));
                        c.pending = new int[w];
                        c.pendingMask = w - 1;
                    }
                }
            }
            topics.add(topic);
        }
        ByteBuffer b = ByteBuffer.allocate(PubSubFrames.SERVER_HEADER + PubSubFrames.MAX_TOPIC_BYTES);
        for (Conn c : conns) {
            b.clear();
            PubSubFrames.putClientFrame(b, PubSubFrames.SUB, c.topic.name, null).flip();
            while (b.hasRemaining()) {
                c.ch.write(b);
            }
        }
        for (Conn c : conns) {
            byte[] name = c.topic.name;
            b.clear().limit(PubSubFrames.LENGTH_BYTES);
            readFully(c, b);
            int bytes = PubSubFrames.serverFrameBytes(b, 0);
            if (bytes != PubSubFrames.SERVER_HEADER + name.length) {
                throw new IOException("connection " + c.index + ": expected a SUBSCRIBED frame of "
                        + (PubSubFrames.SERVER_HEADER + name.length) + " bytes, got a length field of "
                        + b.getInt(0) + " (is the server speaking pubsub?)");
            }
            b.limit(bytes);
            readFully(c, b);
            if (PubSubFrames.type(b, 0) != PubSubFrames.SUBSCRIBED || !sameTopic(b, 0, name)) {
                throw new IOException("connection " + c.index + ": expected SUBSCRIBED to its topic, got type "
                        + PubSubFrames.type(b, 0));
            }
            c.serverId = PubSubFrames.id(b, 0);
        }
        for (Topic t : topics) {
            t.index();
        }
        return topics;
    }

    private static void readFully(Conn c, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (c.ch.read(b) < 0) {
                throw new IOException("connection " + c.index + ": closed by the server during setup");
            }
        }
    }

    /** {@return whether the server frame at {@code at} names {@code topic}} */
    static boolean sameTopic(ByteBuffer b, int at, byte[] topic) {
        if (PubSubFrames.topicBytes(b, at) != topic.length) {
            return false;
        }
        int p = at + PubSubFrames.SERVER_HEADER;
        for (int i = 0; i < topic.length; i++) {
            if (b.get(p + i) != topic[i]) {
                return false;
            }
        }
        return true;
    }

    /** Pairs connections: alternately two of the same shard and two of different shards, where possible. */
    private static List<Conn[]> pair(List<Conn> conns) {
        List<List<Conn>> byShard = new ArrayList<>();
        for (Conn c : conns) {
            int s = ConnMatrix.shardOf(c.serverId);
            while (byShard.size() <= s) {
                byShard.add(new ArrayList<>());
            }
            byShard.get(s).add(c);
        }
        List<Conn[]> pairs = new ArrayList<>();
        Comparator<List<Conn>> bySize = Comparator.comparingInt(List::size);
        boolean same = true;
        while (true) {
            byShard.sort(bySize.reversed());
            if (byShard.isEmpty() || byShard.get(0).isEmpty()) {
                break;
            }
            List<Conn> a = byShard.get(0);
            List<Conn> b = byShard.size() > 1 && !byShard.get(1).isEmpty() ? byShard.get(1) : null;
            if ((same || b == null) && a.size() >= 2) {
                pairs.add(new Conn[] {a.remove(a.size() - 1), a.remove(a.size() - 1)});
            } else if (b != null) {
                pairs.add(new Conn[] {a.remove(a.size() - 1), b.remove(b.size() - 1)});
            } else {
                break;                      // one connection left over: it stays idle
            }
            same = !same;
        }
        return pairs;
    }

    private static SocketChannel connect(LoadConfig cfg, int i) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            if (cfg.sourceAddresses() > 0 && cfg.server().getAddress().isLoopbackAddress()) {
                ch.bind(new InetSocketAddress("127.0.0." + (2 + i % cfg.sourceAddresses()), 0));
            }
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.connect(cfg.server());
            return ch;
        } catch (IOException e) {
            ch.close();
            throw new IOException("connection " + i + " to " + cfg.server() + ": " + e.getMessage(), e);
        }
    }

    /** Relay: reads the hello frame on a blocking channel and returns the connection's id. */
    static long readHello(SocketChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(RelayFrames.SERVER_HEADER);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException("closed before the hello frame");
            }
        }
        if (RelayFrames.type(b, 0) != RelayFrames.HELLO) {
            throw new IOException("expected a hello frame, got type " + RelayFrames.type(b, 0));
        }
        return RelayFrames.id(b, 0);
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        long d;
        while ((d = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(d, 50_000_000L));
        }
    }

    /** {@return completed (deliveries for pubsub), errors, mismatches, stalls, publishes, skipped (pubsub)} */
    private static long[] counters(List<ClientLoop> loops) {
        long[] c = new long[6];
        for (ClientLoop l : loops) {
            c[0] += l.completed;
            c[1] += l.errors;
            c[2] += l.mismatches;
            c[3] += l.stalls;
            c[4] += l.published;
            c[5] += l.skipped;
        }
        return c;
    }

    /** {@return per connection: messages answered or delivered (echo, relay), or published (pubsub)} */
    private static long[] completions(List<Conn> conns, boolean pubsub) {
        long[] c = new long[conns.size()];
        for (Conn x : conns) {
            c[x.index] = pubsub ? x.sent : x.completions;
        }
        return c;
    }

    /** Pub/sub: one topic, its connections (all subscribers) and its publishers (the first ones). */
    private static final class Topic {
        final byte[] name;
        final List<Conn> members;
        final Conn[] publishers;
        IdIndex byId;               // publisher's connection id -> its index in publishers

        Topic(byte[] name, List<Conn> members, int publishers) {
            this.name = name;
            this.members = members;
            this.publishers = new Conn[publishers];
        }

        void index() {
            long[] ids = new long[publishers.length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = publishers[i].serverId;
            }
            byId = new IdIndex(ids);
        }
    }

    /** A fixed open-addressing map from connection ids to small indices; no allocation on lookup. */
    static final class IdIndex {
        private final long[] keys;
        private final int[] values;
        private final int mask;

        /** @param ids distinct ids; each maps to its index in the array */
        IdIndex(long[] ids) {
            int cap = Integer.highestOneBit(Math.max(2, ids.length * 2 - 1)) << 1;
            keys = new long[cap];
            values = new int[cap];
            mask = cap - 1;
            Arrays.fill(values, -1);
            for (int i = 0; i < ids.length; i++) {
                int h = slot(ids[i]);
                while (values[h] >= 0) {
                    h = (h + 1) & mask;
                }
                keys[h] = ids[i];
                values[h] = i;
            }
        }

        private int slot(long id) {
            return Long.hashCode(id * 0x9E3779B97F4A7C15L) & mask;
        }

        /**
         * @param id an id
         * @return its index, or -1 if it is not one of the ids
         */
        int get(long id) {
            int h = slot(id);
            int v;
            while ((v = values[h]) >= 0) {
                if (keys[h] == id) {
                    return v;
                }
                h = (h + 1) & mask;
            }
            return -1;
        }
    }

    /** One connection's client state; owned by one ClientLoop (the counters are read racily for reports). */
    private static final class Conn {
        final int index;
        final SocketChannel ch;
        final ByteBuffer out;
        final ByteBuffer in;
        SelectionKey key;
        ClientLoop loop;
        long serverId;
        Conn partner;
        long sendSeq;
        long expectSeq;             // next sequence expected on this connection's inbound stream
        int inFlight;
        volatile long completions;  // messages of this connection answered (echo) or delivered (relay)
        long lastProgress;
        boolean stalled;
        boolean dirty;
        long[] owed = new long[16]; // open loop: intended times of messages not written yet
        int owedHead;
        int owedCount;
        // pub/sub
        Topic topic;
        boolean publisher;
        volatile long sent;         // publisher: messages published (= sendSeq), read by the other threads
        volatile long done;         // closed-loop publisher: publishes every subscriber has had (DONE)
        int[] pending;              // closed-loop publisher: per message in flight, subscribers still to get it
        int pendingMask;
        long[] next;                // subscriber: per publisher of its topic, the next sequence expected
        long[] got;                 // subscriber: per publisher, messages taken (in place in the sequence)
        long watchSince;            // subscriber: when the stall check first saw messages owed to it

        Conn(int index, SocketChannel ch, LoadConfig cfg) {
            this.index = index;
            this.ch = ch;
            int frame = cfg.messageBytes() + Math.max(RelayFrames.SERVER_HEADER, PubSubFrames.SERVER_HEADER + 16);
            int cap = Math.max(4096, Integer.highestOneBit(Math.max(1, 2 * cfg.inFlight() * frame)) * 2);
            this.out = ByteBuffer.allocate(cfg.openLoop() ? Math.max(cap, 64 * frame) : cap);
            this.in = ByteBuffer.allocate(Math.max(cap, 64 * frame));
        }

        void owe(long t) {
            if (owedCount == owed.length) {
                long[] n = new long[owed.length * 2];
                for (int i = 0; i < owedCount; i++) {
                    n[i] = owed[(owedHead + i) & (owed.length - 1)];
                }
                owed = n;
                owedHead = 0;
            }
            owed[(owedHead + owedCount++) & (owed.length - 1)] = t;
        }
    }

    /** One client thread: an NIO loop over its connections. */
    private static final class ClientLoop implements Runnable {
        final Thread thread;
        final Selector selector;
        final Recorder recorder = new Recorder(3);
        Histogram spare;            // the main thread's recycled interval histogram for this recorder
        final LoadConfig cfg;
        final List<Conn> conns;
        final List<Conn> publishers = new ArrayList<>();   // pub/sub: this loop's publishers
        final boolean relay;
        final boolean pubsub;
        final Message msg;
        final ByteBuffer payload;   // pub/sub: the message being published
        final double ratePerThread;
        final Consumer<SelectionKey> onKey = this::onKey;
        final List<Conn> dirty = new ArrayList<>();
        final AtomicBoolean poked = new AtomicBoolean();   // pub/sub: a wakeup for a completed publish is pending
        volatile boolean stop;
        volatile boolean publishing = true;     // pub/sub: false once the main thread drains
        volatile boolean quiesced;              // pub/sub: this loop has seen publishing == false
        boolean sending = true;                 // publishing, as of this iteration
        volatile long completed;
        volatile long published;
        volatile long taken;                    // pub/sub: deliveries taken in place in their sequence
        volatile long skipped;                  // pub/sub: messages skipped in a subscriber's sequence (progress lines)
        volatile long errors;
        volatile long mismatches;
        volatile long stalls;
        long now;

        ClientLoop(int index, LoadConfig cfg, List<Conn> conns, double ratePerThread) throws IOException {
            this.cfg = cfg;
            this.conns = conns;
            this.relay = cfg.protocol() == Protocol.RELAY;
            this.pubsub = cfg.protocol() == Protocol.PUBSUB;
            this.msg = new Message(cfg.messageBytes());
            this.payload = ByteBuffer.allocate(cfg.messageBytes());
            this.ratePerThread = ratePerThread;
            this.selector = Selector.open();
            for (Conn c : conns) {
                c.key = c.ch.register(selector, SelectionKey.OP_READ, c);
                c.loop = this;
                if (c.publisher) {
                    publishers.add(c);
                }
            }
            this.thread = new Thread(this, "netkit-load-" + index);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            try {
                loop();
            } catch (IOException e) {
                errors++;
            } finally {
                quiesced = true;
                try {
                    selector.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }

        private void loop() throws IOException {
            now = System.nanoTime();
            long t0 = now;
            long k = 0;
            double interval = ratePerThread > 0 ? 1e9 / ratePerThread : 0;
            long nextDue = t0;
            long nextStallCheck = now;
            List<Conn> sources = pubsub ? publishers : conns;     // who sends
            int m = sources.size();
            boolean paced = cfg.openLoop() && interval > 0 && m > 0;
            for (Conn c : conns) {
                c.lastProgress = now;
            }
            if (!cfg.openLoop()) {
                for (Conn c : sources) {
                    for (int q = 0; q < cfg.inFlight(); q++) {
                        send(c, now);
                    }
                }
                flushAll();
            }
            while (!stop) {
                now = System.nanoTime();
                if (sending && !publishing) {
                    sending = false;                // pub/sub drain: publish no more, forget what is owed
                    for (Conn c : sources) {
                        c.owedCount = 0;
                    }
                    quiesced = true;
                }
                if (paced && sending) {
                    while (nextDue - now <= 0) {
                        Conn c = sources.get((int) (k % m));
                        if (c.owedCount > 0 || !send(c, nextDue)) {
                            c.owe(nextDue);
                        }
                        k++;
                        nextDue = t0 + (long) (k * interval);
                    }
                }
                if (pubsub && !cfg.openLoop() && sending) {
                    poked.set(false);               // then read the completions: see complete()
                    for (int i = 0; i < publishers.size(); i++) {
                        topUp(publishers.get(i));
                    }
                }
                flushAll();
                long timeoutMs = paced && sending ? (nextDue - System.nanoTime()) / 1_000_000 : 100;
                if (timeoutMs <= 0) {
                    selector.selectNow(onKey);
                } else {
                    selector.select(onKey, Math.min(timeoutMs, 100));
                }
                now = System.nanoTime();
                flushAll();
                if (now - nextStallCheck >= 0) {
                    nextStallCheck = now + 100_000_000L;
                    if (pubsub) {
                        checkSubscriberStalls();
                    } else {
                        checkStalls();
                    }
                }
            }
        }

        private void checkStalls() {
            long limit = TimeUnit.MILLISECONDS.toNanos(cfg.stallMillis());
            for (Conn c : conns) {
                if (c.inFlight > 0 && now - c.lastProgress > limit) {
                    if (!c.stalled) {
                        c.stalled = true;
                        stalls++;
                    }
                }
            }
        }

        /** Pub/sub: a subscriber stalls when messages published to it have not arrived for the stall time. */
        private void checkSubscriberStalls() {
            long limit = TimeUnit.MILLISECONDS.toNanos(cfg.stallMillis());
            for (Conn c : conns) {
                Conn[] pubs = c.topic.publishers;
                boolean owed = false;
                for (int i = 0; i < pubs.length && !owed; i++) {
                    owed = pubs[i].sent > c.next[i];
                }
                if (!owed) {
                    c.watchSince = Long.MIN_VALUE;
                    c.stalled = false;
                    continue;
                }
                if (c.watchSince == Long.MIN_VALUE) {
                    c.watchSince = now;
                }
                long since = now - c.watchSince < now - c.lastProgress ? c.watchSince : c.lastProgress;
                if (now - since > limit && !c.stalled) {
                    c.stalled = true;
                    stalls++;
                }
            }
        }

        /** Closed-loop pub/sub: publishes while the publisher has fewer than Q in flight. */
        private void topUp(Conn p) {
            while (p.sendSeq - (long) DONE.getVolatile(p) < cfg.inFlight() && publish(p, now)) {
                // published one
            }
        }

        /** Writes one message of {@code c} (to its partner in relay mode, to its topic in pub/sub) into its buffer; false if full. */
        private boolean send(Conn c, long intended) {
            if (pubsub) {
                return publish(c, intended);
            }
            int need = cfg.messageBytes() + (relay ? RelayFrames.CLIENT_HEADER : 0);
            if (c.out.remaining() < need) {
                return false;
            }
            if (relay) {
                RelayFrames.putClientHeader(c.out, c.partner.serverId, cfg.messageBytes());
            }
            msg.write(c.out, c.sendSeq++, intended);
            if (c.inFlight++ == 0) {
                c.lastProgress = now;
            }
            markDirty(c);
            return true;
        }

        /** Pub/sub: writes one PUB of publisher {@code p} into its buffer; false if full or no longer publishing. */
        private boolean publish(Conn p, long intended) {
            if (!sending || p.out.remaining() < PubSubFrames.CLIENT_HEADER + p.topic.name.length + cfg.messageBytes()) {
                return false;
            }
            long seq = p.sendSeq;
            if (p.pending != null) {
                PENDING.setVolatile(p.pending, (int) seq & p.pendingMask, p.topic.members.size());
            }
            payload.clear();
            msg.write(payload, seq, intended);
            payload.flip();
            PubSubFrames.putClientFrame(p.out, PubSubFrames.PUB, p.topic.name, payload);
            p.sendSeq = seq + 1;
            p.sent = seq + 1;
            published++;
            markDirty(p);
            return true;
        }

        private void markDirty(Conn c) {
            if (!c.dirty) {
                c.dirty = true;
                dirty.add(c);
            }
        }

        private void flushAll() {
            for (int i = 0; i < dirty.size(); i++) {
                Conn c = dirty.get(i);
                c.dirty = false;
                try {
                    flush(c);
                } catch (IOException e) {
                    errors++;
                    c.key.cancel();
                }
            }
            dirty.clear();
        }

        private void flush(Conn c) throws IOException {
            while (true) {
                while (c.owedCount > 0 && send(c, c.owed[c.owedHead])) {
                    c.owedHead = (c.owedHead + 1) & (c.owed.length - 1);
                    c.owedCount--;
                }
                c.dirty = false;
                c.out.flip();
                if (c.out.hasRemaining()) {
                    c.ch.write(c.out);
                }
                boolean pending = c.out.hasRemaining();
                c.out.compact();
                if (pending || c.owedCount == 0) {
                    if (c.key.isValid()) {
                        c.key.interestOps(pending ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
                    }
                    return;
                }
            }
        }

        private void onKey(SelectionKey key) {
            Conn c = (Conn) key.attachment();
            now = System.nanoTime();            // select's action runs after the wait: time each key's answers
            try {
                if (key.isValid() && key.isWritable()) {
                    flush(c);
                }
                if (key.isValid() && key.isReadable()) {
                    int r = c.ch.read(c.in);
                    if (r < 0) {
                        errors++;
                        key.cancel();
                        return;
                    }
                    c.in.flip();
                    if (pubsub) {
                        parsePubSub(c);
                    } else if (relay) {
                        parseRelay(c);
                    } else {
                        parseEcho(c);
                    }
                    c.in.compact();
                }
            } catch (IOException e) {
                errors++;
                key.cancel();
            }
        }

        private void parseEcho(Conn c) {
            ByteBuffer in = c.in;
            int size = cfg.messageBytes();
            while (in.remaining() >= size) {
                int at = in.position();
                received(c, c, in, at);
                in.position(at + size);
            }
        }

        /**
         * The server frame at {@code c.in}'s position (relay and pub/sub both start with a 4-byte length
         * field), if whole.
         *
         * @return its total bytes; 0 if more bytes are needed, or if its length is one the buffer can never
         *         hold or shorter than a header (the stream is lost: counted as an error, the key cancelled)
         */
        private int wholeFrame(Conn c, int header) {
            ByteBuffer in = c.in;
            if (in.remaining() < header) {
                return 0;
            }
            int bytes = RelayFrames.LENGTH_BYTES + in.getInt(in.position());
            if (bytes < header || bytes > in.capacity()) {
                errors++;
                c.key.cancel();
                in.position(in.limit());
                return 0;
            }
            return in.remaining() < bytes ? 0 : bytes;
        }

        private void parseRelay(Conn c) {
            ByteBuffer in = c.in;
            int bytes;
            while ((bytes = wholeFrame(c, RelayFrames.SERVER_HEADER)) > 0) {
                int at = in.position();
                byte type = RelayFrames.type(in, at);
                if (type == RelayFrames.DATA && RelayFrames.payloadBytes(in, at) == cfg.messageBytes()
                        && c.partner != null && RelayFrames.id(in, at) == c.partner.serverId) {
                    received(c, c.partner, in, at + RelayFrames.SERVER_HEADER);
                } else if (type == RelayFrames.DATA) {
                    mismatches++;
                } else {
                    errors++;
                }
                in.position(at + bytes);
            }
        }

        /** A message of {@code sender} arrived on {@code receiver} at {@code at}. */
        private void received(Conn receiver, Conn sender, ByteBuffer in, int at) {
            long seq = in.getLong(at);
            long sent = in.getLong(at + 8);
            if (!msg.verify(in, at) || seq != receiver.expectSeq) {
                mismatches++;
                receiver.expectSeq = seq + 1;
            } else {
                receiver.expectSeq++;
            }
            long latency = now - sent;
            recorder.recordValue(Math.max(0, latency));
            sender.inFlight--;
            sender.completions++;
            sender.lastProgress = now;
            sender.stalled = false;
            completed++;
            if (!cfg.openLoop()) {
                send(sender, now);
            }
        }

        private void parsePubSub(Conn c) {
            ByteBuffer in = c.in;
            Topic topic = c.topic;
            int bytes;
            while ((bytes = wholeFrame(c, PubSubFrames.SERVER_HEADER)) > 0) {
                int at = in.position();
                if (PubSubFrames.type(in, at) == PubSubFrames.MSG) {
                    int p = topic.byId.get(PubSubFrames.id(in, at));
                    if (p >= 0 && sameTopic(in, at, topic.name) && PubSubFrames.payloadBytes(in, at) == cfg.messageBytes()) {
                        delivered(c, p, in, PubSubFrames.payloadOffset(in, at));
                    } else {
                        mismatches++;               // an unknown publisher, another topic, a wrong size
                    }
                } else {
                    errors++;                       // no SUB or UNSUB is outstanding
                }
                in.position(at + bytes);
            }
        }

        /**
         * Pub/sub: a message of the topic's publisher {@code p} arrived at subscriber {@code s}. In sequence
         * (or after a gap, which the end check counts as lost): taken, timed, and counted down for the
         * closed loop; a bad checksum: a mismatch taken in place of the expected message; a duplicate or a
         * message out of order: a mismatch, otherwise ignored.
         */
        private void delivered(Conn s, int p, ByteBuffer in, int at) {
            Conn pub = s.topic.publishers[p];
            long seq = in.getLong(at);
            long intended = in.getLong(at + 8);
            long expect = s.next[p];
            long sent = pub.sent;
            if (!msg.verify(in, at)) {
                mismatches++;
                if (expect < sent) {
                    countDown(pub, expect, expect);
                    s.next[p] = expect + 1;
                    s.got[p]++;
                    taken++;
                }
            } else if (seq >= expect && seq < sent) {
                if (seq > expect) {
                    skipped += seq - expect;        // lost to this subscriber, or late: the end check counts them
                }
                countDown(pub, expect, seq);        // messages skipped over are taken as lost to this subscriber
                s.next[p] = seq + 1;
                s.got[p]++;
                taken++;
                recorder.recordValue(Math.max(0, now - intended));
                completed++;
            } else {
                mismatches++;
            }
            s.lastProgress = now;
            s.stalled = false;
        }

        /**
         * Closed-loop pub/sub: subscriber-side countdown of the messages {@code [from, to]} of {@code pub};
         * the last subscriber to count a message down completes the publish and, if the publisher is on
         * another loop, wakes that loop (once per iteration of it: it clears {@code poked} before reading
         * the completions, so a completion it has not seen always finds {@code poked} clear and wakes it).
         * Each subscriber counts a publisher's messages in sequence, so publishes complete in sequence, and
         * a slot is reused only once its message has completed.
         */
        private void countDown(Conn pub, long from, long to) {
            int[] pending = pub.pending;
            if (pending == null) {
                return;
            }
            for (long q = from; q <= to; q++) {
                if ((int) PENDING.getAndAdd(pending, (int) q & pub.pendingMask, -1) == 1) {
                    DONE.getAndAdd(pub, 1L);
                    ClientLoop owner = pub.loop;
                    if (owner != this && !owner.poked.get() && owner.poked.compareAndSet(false, true)) {
                        owner.selector.wakeup();
                    }
                }
            }
        }
    }
}
