package dev.netkit.reactor;

import dev.netkit.ring.MpscChunkedFrameQueue;
import dev.netkit.ring.MpscFrameRing;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of a {@link Server}: built with {@link #builder()}, immutable afterwards, so any thread may
 * read it.
 *
 * <p>Memory per connection follows from three sizes: the inbound ring ({@link Builder#inboundRingBytes}),
 * the outbound ring ({@link Builder#outboundRingBytes}), both elastic (borrowed from the server's
 * {@code BufferPool} only while they hold bytes), and the inbox ({@link Builder#inboxBytes}: the budget of
 * an {@code MpscChunkedFrameQueue} made at the first {@link Conn#send} to the connection, whose chunks of
 * {@link Builder#inboxChunkBytes} come from a pool of their own while frames wait and go back as soon as
 * the connection's loop has emptied it; an idle connection holds no inbox memory).
 */
public final class ServerConfig {
    final InetSocketAddress bind;
    final int subReactors;
    final int inboundRingBytes;
    final int outboundRingBytes;
    final int highWaterBytes;
    final int lowWaterBytes;
    final int maxFrameBytes;
    final int inboxBytes;
    final int inboxChunkBytes;
    final int maxConnections;
    final long idleTimeoutNanos;
    final boolean halfClose;
    final int taskBudget;
    final int selectorRebuildThreshold;
    final long poolBudgetBytes;
    final long inboxReclaimNanos;

    private ServerConfig(Builder b) {
        this.bind = b.bind;
        this.subReactors = b.subReactors;
        this.inboundRingBytes = b.inboundRingBytes;
        this.outboundRingBytes = b.outboundRingBytes;
        this.highWaterBytes = b.highWaterBytes < 0 ? b.outboundRingBytes / 2 : b.highWaterBytes;
        this.lowWaterBytes = b.lowWaterBytes < 0 ? b.outboundRingBytes / 8 : b.lowWaterBytes;
        this.maxFrameBytes = b.maxFrameBytes;
        this.inboxBytes = b.inboxBytes;
        this.inboxChunkBytes = b.inboxChunkBytes > 0 ? b.inboxChunkBytes
                : Math.max(MpscChunkedFrameQueue.MIN_CHUNK_BYTES, Math.min(8 << 10, b.inboxBytes / 2));
        this.maxConnections = b.maxConnections;
        this.idleTimeoutNanos = b.idleTimeoutNanos;
        this.halfClose = b.halfClose;
        this.taskBudget = b.taskBudget;
        this.selectorRebuildThreshold = b.selectorRebuildThreshold;
        this.poolBudgetBytes = b.poolBudgetBytes;
        this.inboxReclaimNanos = b.inboxReclaimNanos;
        if (lowWaterBytes > highWaterBytes || highWaterBytes > outboundRingBytes) {
            throw new IllegalArgumentException("water marks must satisfy 0 <= low (" + lowWaterBytes + ") <= high ("
                    + highWaterBytes + ") <= outboundRingBytes (" + outboundRingBytes + ")");
        }
        if (inboxChunkBytes > inboxBytes / 2) {
            throw new IllegalArgumentException("inboxChunkBytes (" + inboxChunkBytes + ") must be at most half of inboxBytes ("
                    + inboxBytes + "): an inbox holds at least two chunks");
        }
        int frameLimit = inboundRingBytes - 4;
        if (maxFrameBytes < 8 || maxFrameBytes > frameLimit) {
            throw new IllegalArgumentException("maxFrameBytes must be in [8, " + frameLimit + "] for these ring sizes, was "
                    + maxFrameBytes);
        }
    }

    /** {@return a builder with the defaults; any thread} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the address the server binds (port 0: an ephemeral port); any thread} */
    public InetSocketAddress bind() {
        return bind;
    }

    /** {@return the number of sub-reactors; any thread} */
    public int subReactors() {
        return subReactors;
    }

    /** {@return the outbound high water mark in bytes; any thread} */
    public int highWaterBytes() {
        return highWaterBytes;
    }

    /** {@return the outbound low water mark in bytes; any thread} */
    public int lowWaterBytes() {
        return lowWaterBytes;
    }

    /**
     * {@return the largest frame the built-in handlers accept from a client, counting the bytes after its
     *         4-byte length field (each handler checks it fits its own output); any thread}
     */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** {@return the inbound ring's capacity in bytes; any thread} */
    public int inboundRingBytes() {
        return inboundRingBytes;
    }

    /** {@return the outbound ring's capacity in bytes, the cap on one connection's pending output; any thread} */
    public int outboundRingBytes() {
        return outboundRingBytes;
    }

    /** {@return the inbox budget in bytes (the most a connection's inbox holds at once); any thread} */
    public int inboxBytes() {
        return inboxBytes;
    }

    /** {@return the size of the chunks an inbox borrows from the pool; any thread} */
    public int inboxChunkBytes() {
        return inboxChunkBytes;
    }

    /**
     * {@return the longest frame one {@link Conn#send} can carry: one inbox chunk less its 8-byte record
     *         header (a frame never straddles two chunks), and no more than the outbound ring (the target's
     *         loop moves each frame whole into it); any thread}
     */
    public int maxInboxFrameBytes() {
        return Math.min(inboxChunkBytes - MpscChunkedFrameQueue.HEADER_LENGTH, outboundRingBytes);
    }

    /** {@return the most connections held at once; any thread} */
    public int maxConnections() {
        return maxConnections;
    }

    /** {@return the idle timeout in nanoseconds, 0 when off; any thread} */
    public long idleTimeoutNanos() {
        return idleTimeoutNanos;
    }

    /** {@return whether an end of stream only shuts the input (the rest is still written); any thread} */
    public boolean halfClose() {
        return halfClose;
    }

    @Override
    public String toString() {
        return "ServerConfig[bind=" + bind + ", subReactors=" + subReactors + ", rings in/out="
                + inboundRingBytes + "/" + outboundRingBytes + ", water low/high=" + lowWaterBytes + "/" + highWaterBytes
                + ", maxFrame=" + maxFrameBytes + ", inbox=" + inboxBytes + " in chunks of " + inboxChunkBytes + " (reclaim after "
                + (inboxReclaimNanos == Long.MAX_VALUE ? "never" : Duration.ofNanos(inboxReclaimNanos)) + ")"
                + ", maxConnections=" + maxConnections
                + ", idleTimeout=" + Duration.ofNanos(idleTimeoutNanos) + ", halfClose=" + halfClose + "]";
    }

    /** Collects settings; one thread, then {@link #build()}. */
    public static final class Builder {
        private InetSocketAddress bind = new InetSocketAddress("127.0.0.1", 0);
        private int subReactors = Runtime.getRuntime().availableProcessors();
        private int inboundRingBytes = 16 << 10;
        private int outboundRingBytes = 64 << 10;
        private int highWaterBytes = -1;
        private int lowWaterBytes = -1;
        private int maxFrameBytes = 4096;
        private int inboxBytes = 16 << 10;
        private int inboxChunkBytes = -1;
        private int maxConnections = 1 << 16;
        private long idleTimeoutNanos;
        private boolean halfClose;
        private int taskBudget = 1024;
        private int selectorRebuildThreshold = 512;
        private long poolBudgetBytes = 256L << 20;
        private long inboxReclaimNanos = MpscFrameRing.DEFAULT_RECLAIM_TIMEOUT_NANOS;

        private Builder() {
        }

        private static int pow2(String name, int v, int min, int max) {
            if (Integer.bitCount(v) != 1 || v < min || v > max) {
                throw new IllegalArgumentException(name + " must be a power of two in [" + min + ", " + max + "], was " + v);
            }
            return v;
        }

        private static int range(String name, int v, int min, int max) {
            if (v < min || v > max) {
                throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], was " + v);
            }
            return v;
        }

        private static Duration nonNegative(String name, Duration d) {
            Objects.requireNonNull(d, "timeout");
            if (d.isNegative()) {
                throw new IllegalArgumentException(name + " must be >= 0, was " + d);
            }
            return d;
        }

        /**
         * Sets the address to listen on.
         *
         * @param address where to listen; port 0 picks an ephemeral port
         * @return this builder
         */
        public Builder bind(InetSocketAddress address) {
            this.bind = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * Sets the number of sub-reactors (event-loop threads).
         *
         * @param n sub-reactor threads, 1 to 256 (one {@code ConnMatrix} shard each)
         * @return this builder
         * @throws IllegalArgumentException if n is out of range
         */
        public Builder subReactors(int n) {
            this.subReactors = range("subReactors", n, 1, 256);
            return this;
        }

        /**
         * Sets each connection's inbound ring capacity.
         *
         * @param bytes inbound ring capacity: a power of two, 256 to 4 MiB
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder inboundRingBytes(int bytes) {
            this.inboundRingBytes = pow2("inboundRingBytes", bytes, 256, 4 << 20);
            return this;
        }

        /**
         * The outbound ring capacity, which is also the hard cap on bytes waiting to be written to one
         * connection (sent frames that do not fit wait in the inbox; a full inbox closes the slow
         * connection).
         *
         * @param bytes a power of two, 256 to 4 MiB
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder outboundRingBytes(int bytes) {
            this.outboundRingBytes = pow2("outboundRingBytes", bytes, 256, 4 << 20);
            return this;
        }

        /**
         * Water marks on a connection's pending outbound bytes: at or past {@code high} the server stops
         * reading from it, and reads again once the bytes fall to {@code low}. Defaults: capacity / 2 and
         * capacity / 8.
         *
         * @param low  the low mark, 0 or more
         * @param high the high mark, at least {@code low}, at most the outbound ring capacity
         * @return this builder (checked by {@link #build()})
         */
        public Builder waterMarks(int low, int high) {
            this.lowWaterBytes = range("lowWaterBytes", low, 0, Integer.MAX_VALUE);
            this.highWaterBytes = range("highWaterBytes", high, 0, Integer.MAX_VALUE);
            return this;
        }

        /**
         * Sets the largest client frame the built-in protocols accept.
         *
         * @param bytes the largest frame the built-in handlers accept (the bytes after the length field), 8
         *              or more; checked by {@link #build()} against the inbound ring, and by each handler
         *              against its own output
         * @return this builder
         */
        public Builder maxFrameBytes(int bytes) {
            this.maxFrameBytes = bytes;
            return this;
        }

        /**
         * Sets each connection's inbox budget.
         *
         * @param bytes the inbox budget per connection (default 16 KiB): the most bytes of frames sent to it
         *              that wait at once (record headers and chunk-end padding included) before a send finds
         *              it full; a power of two, 64 to 4 MiB. A send carries at most half of it less 8 bytes
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder inboxBytes(int bytes) {
            this.inboxBytes = pow2("inboxBytes", bytes, 64, 4 << 20);
            return this;
        }

        /**
         * Sets the size of an inbox's chunks.
         *
         * @param bytes the size of the chunks an inbox borrows from the server's inbox pool while frames wait:
         *              a power of two, 32 to inboxBytes / 2 (checked at build); default half the inbox budget,
         *              at most 8 KiB. A send carries at most one chunk less 8 bytes. Smaller chunks cost less
         *              per connection with frames waiting
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder inboxChunkBytes(int bytes) {
            this.inboxChunkBytes = pow2("inboxChunkBytes", bytes, MpscChunkedFrameQueue.MIN_CHUNK_BYTES, 4 << 20);
            return this;
        }

        /**
         * Sets the most connections the server holds at once.
         *
         * @param n the most connections held at once (default 65,536); a connection accepted past it is closed
         *          at once. It also sizes the buffer pool's identity table (2 buffers per connection) and the
         *          matrix shards
         * @return this builder
         * @throws IllegalArgumentException if n is below 1
         */
        public Builder maxConnections(int n) {
            this.maxConnections = range("maxConnections", n, 1, Integer.MAX_VALUE);
            return this;
        }

        /**
         * Sets the idle timeout.
         *
         * @param timeout close a connection with no inbound or outbound traffic for this long; zero: never
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeoutNanos = nonNegative("idleTimeout", timeout).toNanos();
            return this;
        }

        /**
         * Sets what a peer's end of stream does.
         *
         * @param on when true, a peer's end of stream (FIN) only shuts the input: pending output is still
         *           written, then the connection closes; when false (default) it closes at once
         * @return this builder
         */
        public Builder halfClose(boolean on) {
            this.halfClose = on;
            return this;
        }

        /**
         * Sets how much cross-thread work one loop iteration takes on.
         *
         * @param n the most cross-thread tasks (registrations, close requests) one loop iteration runs,
         *          and, counted apart, the most inbox wake-ups from other threads, 1 to 1,048,576, so that
         *          neither starves I/O or the other
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder taskBudget(int n) {
            this.taskBudget = range("taskBudget", n, 1, 1 << 20);
            return this;
        }

        /**
         * Sets when a sub-reactor rebuilds its selector.
         *
         * @param n rebuild a sub-reactor's selector after this many consecutive premature empty selects
         *          (the epoll spin bug), 3 or more
         * @return this builder
         * @throws IllegalArgumentException if below 3
         */
        public Builder selectorRebuildThreshold(int n) {
            this.selectorRebuildThreshold = range("selectorRebuildThreshold", n, 3, Integer.MAX_VALUE);
            return this;
        }

        /**
         * Sets the byte budget of the server's buffer pools.
         *
         * @param bytes the byte budget of each of the server's two buffer pools, the rings' and the inbox
         *              chunks' (buffers beyond it are handed out but not kept); default 256 MiB
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder poolBudgetBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("poolBudgetBytes must be >= 0, was " + bytes);
            }
            this.poolBudgetBytes = bytes;
            return this;
        }

        /**
         * How long a frame that a sending thread claimed in a target's inbox but did not commit (that
         * thread stalled: a long GC pause, a debugger) may block the inbox before the target's loop reclaims
         * it and delivers the frames behind it; the reclaimed frame is dropped ({@link SendResult#DROPPED},
         * counted in {@link ServerStats#sendsDropped()}), its target stays open. Default: one second. Zero reclaims
         * a frame that a healthy sender is still copying in whenever the target drains at that moment, so
         * it drops frames under normal load: for tests only.
         *
         * @param timeout zero or more; a timeout too long to count in nanoseconds (about 292 years) means
         *                never (the inbox then commits with a release store rather than a CAS)
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder inboxReclaimTimeout(Duration timeout) {
            long nanos;
            try {
                nanos = nonNegative("inboxReclaimTimeout", timeout).toNanos();
            } catch (ArithmeticException e) {
                nanos = Long.MAX_VALUE;
            }
            this.inboxReclaimNanos = nanos;
            return this;
        }

        /**
         * {@return the configuration}
         * @throws IllegalArgumentException if the settings do not fit together (named in the message)
         */
        public ServerConfig build() {
            return new ServerConfig(this);
        }
    }
}
