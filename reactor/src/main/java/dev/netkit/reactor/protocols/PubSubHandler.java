package dev.netkit.reactor.protocols;

import dev.netkit.reactor.CloseReason;
import dev.netkit.reactor.Conn;
import dev.netkit.reactor.Handler;
import dev.netkit.reactor.ServerConfig;
import dev.netkit.ring.ByteRing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Topic pub/sub, written on the public handler API only: {@code SUB topic}, {@code UNSUB topic} and
 * {@code PUB topic payload} (wire format: {@link PubSubFrames}); a PUB is fanned out to every subscriber
 * of the topic, on any sub-reactor, through {@link Conn#send}, so each subscriber gets each message once,
 * in order per publisher. A connection's subscriptions end when it closes.
 *
 * <p>The topics are shared by the server's handlers ({@link #factory(ServerConfig)} makes one
 * {@link Topics} per server): a topic's subscribers are a copy-on-write array of connection ids, so a
 * publish reads it with one volatile load and sends without a lock or an allocation, and a subscribe or
 * unsubscribe (rare next to publishes) copies it with a CAS. A topic lives from its first SUB for the
 * server's life (an example's simplification: a public server would remove empty topics and cap their
 * number, since any client can create them, and would key them with a collision-resistant hash). A subscriber that does not read fast enough overflows its inbox and is closed by the
 * server ({@link dev.netkit.reactor.SendResult#TARGET_FULL}); the publisher goes on.
 *
 * <p>One instance per sub-reactor: the lookup key and the frame buffer are that loop's.
 */
public final class PubSubHandler extends FramedHandler {
    private final Topics topics;
    private final ByteBuffer frame;                 // the outgoing MSG, or an acknowledgement
    private final Key probe = new Key(new byte[PubSubFrames.MAX_TOPIC_BYTES], 0);

    /**
     * A handler for one sub-reactor, on the server's shared topics.
     *
     * @param cfg    the server's configuration: its {@code maxFrameBytes} is the largest client frame
     * @param topics the server's topics, shared by all its handlers
     * @throws IllegalArgumentException if a largest message would not fit the inbox or the outbound ring
     */
    public PubSubHandler(ServerConfig cfg, Topics topics) {
        super(Objects.requireNonNull(cfg, "cfg").maxFrameBytes());
        this.topics = Objects.requireNonNull(topics, "topics");
        int largestOut = PubSubFrames.LENGTH_BYTES + maxFrameBytes + 8;     // MSG adds the 8-byte id
        int limit = Math.min(cfg.maxInboxFrameBytes(), cfg.outboundRingBytes());
        if (largestOut > limit) {
            throw new IllegalArgumentException("maxFrameBytes must be in [8, " + (limit - 12)
                    + "] for pub/sub with these ring and inbox sizes, was " + maxFrameBytes);
        }
        this.frame = ByteBuffer.allocateDirect(largestOut);
    }

    /**
     * The pub/sub protocol for a server.
     *
     * @param cfg the server's configuration
     * @return a factory of handlers sharing one new {@link Topics}: pass it to {@code Server.start}
     */
    public static Supplier<Handler> factory(ServerConfig cfg) {
        Objects.requireNonNull(cfg, "cfg");
        Topics topics = new Topics();
        return () -> new PubSubHandler(cfg, topics);
    }

    @Override
    int frameBytes(ByteRing in) {
        return PubSubFrames.clientFrame(in, maxFrameBytes);
    }

    /** One SUB, UNSUB or PUB; false if there is no room for the acknowledgement now. */
    @Override
    boolean onFrame(Conn conn, ByteRing in, int bytes) {
        byte op = in.getByte(PubSubFrames.OP_OFFSET);
        int topicBytes = in.getByte(PubSubFrames.CLIENT_TOPIC_LENGTH_OFFSET) & 0xFF;
        for (int i = 0; i < topicBytes; i++) {
            probe.bytes[i] = in.getByte(PubSubFrames.CLIENT_HEADER + i);
        }
        probe.set(topicBytes);
        return op == PubSubFrames.PUB ? publish(conn, bytes, topicBytes) : subscription(conn, op);
    }

    @Override
    public void onClose(Conn conn, CloseReason reason, Throwable cause) {
        if (conn.attachment() instanceof Subscriptions subs) {
            for (Topic t : subs.topics) {
                t.remove(conn.id());
            }
        }
    }

    /** SUB or UNSUB of {@link #probe}'s topic; acknowledged. Idempotent, so a retry after a refused ack is safe. */
    private boolean subscription(Conn conn, byte op) {
        Subscriptions subs = (Subscriptions) conn.attachment();
        if (subs == null) {
            subs = new Subscriptions();
            conn.attach(subs);
        }
        if (op == PubSubFrames.SUB) {
            Topic t = topics.getOrCreate(probe);
            if (!subs.topics.contains(t)) {
                subs.topics.add(t);
                t.add(conn.id());
            }
        } else {
            Topic t = topics.map.get(probe);
            if (t != null && subs.topics.remove(t)) {
                t.remove(conn.id());
            }
        }
        ByteBuffer f = frame;
        f.clear();
        PubSubFrames.putServerHeader(f, 0, op == PubSubFrames.SUB ? PubSubFrames.SUBSCRIBED : PubSubFrames.UNSUBSCRIBED,
                conn.id(), probe.length, 0);
        f.position(PubSubFrames.SERVER_HEADER).put(probe.bytes, 0, probe.length).flip();
        return conn.write(f);
    }

    /** PUB: the message is built once and sent to every subscriber of the topic. */
    private boolean publish(Conn conn, int bytes, int topicBytes) {
        Topic t = topics.map.get(probe);
        if (t == null) {
            return true;                // nobody ever subscribed
        }
        long[] subscribers = t.subscribers.get();
        if (subscribers.length == 0) {
            return true;
        }
        // copy [len][op][tlen][topic][payload] to frame[8..], then write [len][MSG][publisher][tlen] over
        // frame[0..14): the topic and payload land at 14 without a second copy
        int payload = bytes - PubSubFrames.CLIENT_HEADER - topicBytes;
        ByteBuffer f = frame;
        f.clear().position(8);
        copy(conn.in(), bytes, f);
        PubSubFrames.putServerHeader(f, 0, PubSubFrames.MSG, conn.id(), topicBytes, payload);
        int end = f.position();
        for (long id : subscribers) {
            f.limit(end).position(0);
            conn.send(id, f);           // NO_TARGET: it closed and is about to unsubscribe; TARGET_FULL: closed
        }
        return true;
    }

    /** The topics of one server: shared by its handlers, any thread. */
    public static final class Topics {
        private final ConcurrentHashMap<Key, Topic> map = new ConcurrentHashMap<>();

        /** An empty set of topics. */
        public Topics() {
        }

        Topic getOrCreate(Key probe) {
            Topic t = map.get(probe);
            if (t == null) {
                Key key = new Key(Arrays.copyOf(probe.bytes, probe.length), probe.length);
                t = map.computeIfAbsent(key, k -> new Topic());
            }
            return t;
        }

        /** {@return the number of topics; any thread} */
        public int size() {
            return map.size();
        }

        /**
         * A topic's subscriber count.
         *
         * @param topic a topic name (UTF-8)
         * @return its subscribers now; any thread
         */
        public int subscribers(String topic) {
            Objects.requireNonNull(topic, "topic");
            byte[] b = topic.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            Topic t = map.get(new Key(b, b.length));
            return t == null ? 0 : t.subscribers.get().length;
        }
    }

    /** One topic's subscribers: a copy-on-write array of connection ids. */
    static final class Topic {
        final AtomicReference<long[]> subscribers = new AtomicReference<>(new long[0]);

        void add(long id) {
            long[] cur;
            long[] next;
            do {
                cur = subscribers.get();
                next = Arrays.copyOf(cur, cur.length + 1);
                next[cur.length] = id;
            } while (!subscribers.compareAndSet(cur, next));
        }

        void remove(long id) {
            long[] cur;
            long[] next;
            do {
                cur = subscribers.get();
                int i = 0;
                while (i < cur.length && cur[i] != id) {
                    i++;
                }
                if (i == cur.length) {
                    return;
                }
                next = new long[cur.length - 1];
                System.arraycopy(cur, 0, next, 0, i);
                System.arraycopy(cur, i + 1, next, i, cur.length - i - 1);
            } while (!subscribers.compareAndSet(cur, next));
        }
    }

    /** A topic name as a map key; the handler's probe is reused for lookups (never inserted). */
    static final class Key {
        final byte[] bytes;
        int length;
        int hash;

        Key(byte[] bytes, int length) {
            this.bytes = bytes;
            set(length);
        }

        void set(int n) {
            length = n;
            int h = 1;
            for (int i = 0; i < n; i++) {
                h = 31 * h + bytes[i];
            }
            hash = h;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(bytes, 0, length, k.bytes, 0, k.length);
        }
    }

    /** A connection's topics (its attachment). */
    private static final class Subscriptions {
        final List<Topic> topics = new ArrayList<>(2);
    }
}
