package dev.netkit.reactor.load;

import dev.netkit.reactor.RelayFrames;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A load generator for the echo and relay servers (and any echo server): T client threads, each an NIO
 * event loop over its share of the connections.
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
 * <p><b>Thread safety.</b> {@link #run(LoadConfig, PrintStream)} may be called from any thread; it blocks
 * until the run ends.
 */
public final class LoadGenerator {
    private LoadGenerator() {
    }

    /**
     * Runs the load and returns the measured result.
     *
     * @param cfg what to do
     * @param log where progress lines go (may be null)
     * @return the result of the measured period
     * @throws IOException if connections cannot be opened at all
     * @throws InterruptedException if interrupted
     */
    public static LoadResult run(LoadConfig cfg, PrintStream log) throws IOException, InterruptedException {
        boolean relay = cfg.protocol().equals("relay");
        int n = relay ? Math.max(2, cfg.connections() & ~1) : cfg.connections();
        List<Conn> conns = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            SocketChannel ch = connect(cfg, i);
            Conn c = new Conn(i, ch, cfg);
            if (relay) {
                c.serverId = readHello(ch);
            }
            ch.configureBlocking(false);
            conns.add(c);
        }
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
                if (shardOf(a.serverId) != shardOf(b.serverId)) {
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
        List<ClientLoop> loops = new ArrayList<>();
        for (int t = 0; t < cfg.threads(); t++) {
            if (!perThread.get(t).isEmpty()) {
                loops.add(new ClientLoop(t, cfg, perThread.get(t), relay, (double) cfg.rate() / cfg.threads()));
            }
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
        long[] baseCompletions = completions(conns);
        long cpu0 = cfg.serverPid() > 0 ? ProcStats.cpuNanos(cfg.serverPid()) : -1;
        long t0 = System.nanoTime();
        long end = t0 + cfg.duration().toNanos();
        Histogram total = new Histogram(3);
        Histogram sec = new Histogram(3);
        long[] last = base;
        int second = 0;
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
                log.printf("[%3ds] %,10d msg/s  p50 %s  p99 %s  max %s  errors %d  mismatches %d  stalls %d%n", second,
                        now[0] - last[0], LoadResult.micros(sec.getValueAtPercentile(50)),
                        LoadResult.micros(sec.getValueAtPercentile(99)), LoadResult.micros(sec.getMaxValue()),
                        now[1] - base[1], now[2] - base[2], now[3] - base[3]);
            }
            last = now;
        }
        long elapsed = System.nanoTime() - t0;
        long cpu1 = cfg.serverPid() > 0 ? ProcStats.cpuNanos(cfg.serverPid()) : -1;
        long rss = cfg.serverPid() > 0 ? ProcStats.rssBytes(cfg.serverPid()) : -1;
        long[] fin = counters(loops);
        long[] finCompletions = completions(conns);
        for (ClientLoop l : loops) {
            l.stop = true;
            l.selector.wakeup();
        }
        for (ClientLoop l : loops) {
            l.thread.join();
            total.add(l.recorder.getIntervalHistogram());
        }
        for (Conn c : conns) {
            try {
                c.ch.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        long[] per = new long[n];
        for (int i = 0; i < n; i++) {
            per[i] = finCompletions[i] - baseCompletions[i];
        }
        if (relay) {
            per = Arrays.stream(per).filter(v -> v >= 0).toArray();
        }
        Arrays.sort(per);
        long median = per[per.length / 2];
        long busiest = per[per.length - 1];
        double fairness = median == 0 ? (busiest == 0 ? 1 : Double.POSITIVE_INFINITY) : (double) busiest / median;
        long msgs = fin[0] - base[0];
        double secs = elapsed / 1e9;
        return new LoadResult(cfg.protocol(), cfg.openLoop() ? "open" : "closed", n, cfg.messageBytes(), cfg.inFlight(),
                cfg.rate(), secs, msgs, msgs / secs, msgs * (double) cfg.messageBytes() / secs / 1e6,
                total.getValueAtPercentile(50), total.getValueAtPercentile(90), total.getValueAtPercentile(99),
                total.getValueAtPercentile(99.9), total.getMaxValue(), fin[1] - base[1], fin[2] - base[2],
                fin[3] - base[3], fairness, relay ? crossPairs / (double) (n / 2) : Double.NaN,
                cpu0 >= 0 && cpu1 >= 0 && msgs > 0 ? (cpu1 - cpu0) / 1e3 / msgs : Double.NaN, rss);
    }

    static long shardOf(long id) {
        return (id >>> 24) & 0xFF;          // ConnMatrix id layout: generation:32 | shard:8 | slot:24
    }

    /** Pairs connections: alternately two of the same shard and two of different shards, where possible. */
    private static List<Conn[]> pair(List<Conn> conns) {
        List<List<Conn>> byShard = new ArrayList<>();
        for (Conn c : conns) {
            int s = (int) shardOf(c.serverId);
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

    static long readHello(SocketChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(RelayFrames.SERVER_HEADER);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException("closed before the hello frame");
            }
        }
        if (b.get(12) != RelayFrames.HELLO) {
            throw new IOException("expected a hello frame, got type " + b.get(12));
        }
        return b.getLong(4);
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        long d;
        while ((d = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(d, 50_000_000L));
        }
    }

    private static long[] counters(List<ClientLoop> loops) {
        long[] c = new long[4];
        for (ClientLoop l : loops) {
            c[0] += l.completed;
            c[1] += l.errors;
            c[2] += l.mismatches;
            c[3] += l.stalls;
        }
        return c;
    }

    private static long[] completions(List<Conn> conns) {
        long[] c = new long[conns.size()];
        for (Conn x : conns) {
            c[x.index] = x.completions;
        }
        return c;
    }

    /** One connection's client state; owned by one ClientLoop (the counters are read racily for reports). */
    private static final class Conn {
        final int index;
        final SocketChannel ch;
        final ByteBuffer out;
        final ByteBuffer in;
        SelectionKey key;
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

        Conn(int index, SocketChannel ch, LoadConfig cfg) {
            this.index = index;
            this.ch = ch;
            int frame = cfg.messageBytes() + RelayFrames.SERVER_HEADER;
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
        final boolean relay;
        final Message msg;
        final double ratePerThread;
        final Consumer<SelectionKey> onKey = this::onKey;
        final List<Conn> dirty = new ArrayList<>();
        volatile boolean stop;
        volatile long completed;
        volatile long errors;
        volatile long mismatches;
        volatile long stalls;
        long now;

        ClientLoop(int index, LoadConfig cfg, List<Conn> conns, boolean relay, double ratePerThread) throws IOException {
            this.cfg = cfg;
            this.conns = conns;
            this.relay = relay;
            this.msg = new Message(cfg.messageBytes());
            this.ratePerThread = ratePerThread;
            this.selector = Selector.open();
            for (Conn c : conns) {
                c.key = c.ch.register(selector, SelectionKey.OP_READ, c);
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
            if (!cfg.openLoop()) {
                for (Conn c : conns) {
                    for (int q = 0; q < cfg.inFlight(); q++) {
                        send(c, now);
                    }
                }
                flushAll();
            }
            int m = conns.size();
            while (!stop) {
                now = System.nanoTime();
                if (cfg.openLoop()) {
                    while (nextDue - now <= 0) {
                        Conn c = conns.get((int) (k % m));
                        if (c.owedCount > 0 || !send(c, nextDue)) {
                            c.owe(nextDue);
                        }
                        k++;
                        nextDue = t0 + (long) (k * interval);
                    }
                }
                flushAll();
                long timeoutMs = cfg.openLoop() ? (nextDue - System.nanoTime()) / 1_000_000 : 100;
                if (timeoutMs <= 0) {
                    selector.selectNow(onKey);
                } else {
                    selector.select(onKey, Math.min(timeoutMs, 100));
                }
                now = System.nanoTime();
                flushAll();
                if (now - nextStallCheck >= 0) {
                    nextStallCheck = now + 100_000_000L;
                    checkStalls();
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

        /** Writes one message of {@code c} (to its partner in relay mode) into its buffer; false if full. */
        private boolean send(Conn c, long intended) {
            int need = cfg.messageBytes() + (relay ? RelayFrames.CLIENT_HEADER : 0);
            if (c.out.remaining() < need) {
                return false;
            }
            if (relay) {
                c.out.putInt(8 + cfg.messageBytes()).putLong(c.partner.serverId);
            }
            msg.write(c.out, c.sendSeq++, intended);
            if (c.inFlight++ == 0) {
                c.lastProgress = now;
            }
            markDirty(c);
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
                    if (relay) {
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

        private void parseRelay(Conn c) {
            ByteBuffer in = c.in;
            while (in.remaining() >= RelayFrames.SERVER_HEADER) {
                int at = in.position();
                int len = in.getInt(at);
                if (in.remaining() < 4 + len) {
                    return;
                }
                byte type = in.get(at + 12);
                if (type == RelayFrames.DATA && len == 9 + cfg.messageBytes() && c.partner != null
                        && in.getLong(at + 4) == c.partner.serverId) {
                    received(c, c.partner, in, at + RelayFrames.SERVER_HEADER);
                } else if (type == RelayFrames.DATA) {
                    mismatches++;
                } else {
                    errors++;
                }
                in.position(at + 4 + len);
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
    }
}
