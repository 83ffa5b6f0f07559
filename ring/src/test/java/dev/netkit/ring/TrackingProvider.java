package dev.netkit.ring;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * A thread-safe, checking {@link BufferProvider} for the {@link MpscChunkedFrameQueue} tests: a LIFO pool over
 * {@link ByteBuffer#allocateDirect(int)} that counts acquires and releases, tracks by identity which buffers are
 * out on loan, and records (it does not throw: the queue swallows what its provider throws on release) a
 * double release or the release of a buffer it never handed out. A released buffer is filled with
 * {@link #GARBAGE} (or, every other time, with words that read as committed frame headers) before it goes back
 * to the pool, and the next acquire hands it out again as it is, so a chunk
 * given back too early shows up as torn frames, and a chunk the queue did not zero shows up as garbage headers.
 * Faults can be injected: acquires that throw, acquires that answer an unusable buffer, releases that throw.
 *
 * <p>{@linkplain #zeroed() Zeroed} mode ({@code new TrackingProvider(true)}): the pool promises zero buffers
 * ({@link BufferProvider#zeroed()} true), so the queue skips zeroing what it borrows and must zero what it wrote
 * before giving a chunk back. The pool checks that every buffer it takes back reads zero in every byte (a
 * non-zero one is recorded as an error, then zeroed so that the pool still hands out only zero buffers), and
 * checks again on acquire.
 */
final class TrackingProvider implements BufferProvider {
    static final byte GARBAGE = (byte) 0xA5;
    private static final byte[] GARBAGE_BYTES = new byte[4096];
    /** Every 8-byte word a committed header of an 8-byte frame (native order, as the queue reads headers). */
    private static final byte[] FAKE_HEADERS = new byte[4096];

    static {
        java.util.Arrays.fill(GARBAGE_BYTES, GARBAGE);
        ByteBuffer f = ByteBuffer.wrap(FAKE_HEADERS).order(ByteOrder.nativeOrder());
        while (f.hasRemaining()) {
            f.putLong(8L << 32 | RecordHeaders.COMMITTED);
        }
    }

    private final Object lock = new Object();
    private final IdentityHashMap<ByteBuffer, Boolean> out = new IdentityHashMap<>();
    private final IdentityHashMap<ByteBuffer, Boolean> known = new IdentityHashMap<>();
    /** Buffers this provider allocated itself: only these go back to the pool. */
    private final IdentityHashMap<ByteBuffer, Boolean> pooled = new IdentityHashMap<>();
    private final ConcurrentLinkedDeque<ByteBuffer> free = new ConcurrentLinkedDeque<>();
    final AtomicLong acquires = new AtomicLong();
    final AtomicLong releases = new AtomicLong();
    /** Releases that threw on purpose: those buffers stay counted as out (the queue dropped them). */
    final AtomicLong failedReleases = new AtomicLong();
    final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();

    /** The next that many acquires throw. */
    final AtomicInteger failAcquires = new AtomicInteger();
    /** The next that many releases throw (the buffer is not taken back). */
    final AtomicInteger failReleases = new AtomicInteger();
    /** When set, acquire answers what this returns (tracked as out on loan, so its release is accepted). */
    volatile IntFunction<ByteBuffer> badAcquire;
    /** Each release first spins this many times (widens a caller's window around its provider call). */
    volatile int releaseSpins;
    /** Hand out buffers in little-endian order now and then (the queue must set its own order). */
    volatile boolean mixOrders;
    private final AtomicLong orderFlip = new AtomicLong();
    private final boolean zeroed;

    TrackingProvider() {
        this(false);
    }

    /** @param zeroed whether this pool promises (and checks) zero buffers; see the class comment */
    TrackingProvider(boolean zeroed) {
        this.zeroed = zeroed;
    }

    @Override
    public boolean zeroed() {
        return zeroed;
    }

    /** @return the index of the first non-zero byte of {@code b}, or -1 */
    static int firstNonZero(ByteBuffer b) {
        int cap = b.capacity();
        int i = 0;
        for (; i + 8 <= cap; i += 8) {
            if (b.getLong(i) != 0) {
                break;
            }
        }
        for (; i < cap; i++) {
            if (b.get(i) != 0) {
                return i;
            }
        }
        return -1;
    }

    /** What an acquire made to fail throws. */
    static final class InjectedFault extends RuntimeException {
        InjectedFault(String message) {
            super(message);
        }
    }

    @Override
    public ByteBuffer acquire(int minCapacity) {
        if (minCapacity <= 0) {
            errors.add("acquire(" + minCapacity + ")");
        }
        if (failAcquires.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new InjectedFault("injected: acquire fails");
        }
        IntFunction<ByteBuffer> bad = badAcquire;
        ByteBuffer b;
        if (bad != null) {
            b = bad.apply(minCapacity);
        } else {
            b = free.pollFirst();
            if (b != null && b.capacity() < minCapacity) {
                free.addLast(b);
                b = null;
            }
            if (b == null) {
                b = ByteBuffer.allocateDirect(minCapacity);
                synchronized (lock) {
                    pooled.put(b, Boolean.TRUE);
                }
            }
            if (zeroed) {
                int nz = firstNonZero(b);
                if (nz >= 0) {
                    errors.add("zeroed pool about to hand out a buffer with byte " + nz + " = " + b.get(nz));
                }
            }
            b.clear();
            b.order(mixOrders && (orderFlip.incrementAndGet() & 1) == 0
                    ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        }
        if (b != null) {
            acquires.incrementAndGet();
            synchronized (lock) {
                known.put(b, Boolean.TRUE);
                if (out.put(b, Boolean.TRUE) != null) {
                    errors.add("handed out twice: " + b);
                }
            }
        }
        return b;
    }

    @Override
    public void release(ByteBuffer b) {
        for (int i = releaseSpins; i > 0; i--) {
            Thread.onSpinWait();
        }
        if (b == null) {
            errors.add("release(null)");
            return;
        }
        if (failReleases.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            failedReleases.incrementAndGet();
            synchronized (lock) {
                out.remove(b);          // the queue dropped it: we will not see it again
            }
            throw new OutOfMemoryError("injected: release fails");
        }
        boolean mine;
        synchronized (lock) {
            if (out.remove(b) == null) {
                errors.add((known.containsKey(b) ? "double release of " : "release of a foreign buffer ") + b);
                return;
            }
            mine = pooled.containsKey(b);
        }
        releases.incrementAndGet();
        if (mine && zeroed) {
            int nz = firstNonZero(b);
            if (nz >= 0) {
                errors.add("a buffer came back to the zeroed pool with byte " + nz + " = " + b.get(nz) + " (capacity "
                        + b.capacity() + ")");
                for (int i = 0; i < b.capacity(); i++) {
                    b.put(i, (byte) 0);
                }
            }
            free.addFirst(b);
        } else if (mine) {
            // alternately 0xA5 and fake committed headers: a chunk installed without being zeroed then shows
            // phantom frames, and one still in use after its release shows torn ones
            byte[] fill = (releases.get() & 1) == 0 ? GARBAGE_BYTES : FAKE_HEADERS;
            for (int i = 0; i < b.capacity(); i += fill.length) {
                b.put(i, fill, 0, Math.min(fill.length, b.capacity() - i));
            }
            free.addFirst(b);
        }
    }

    /** @return whether the provider handed out {@code b} and has not had it back */
    boolean isOut(ByteBuffer b) {
        synchronized (lock) {
            return out.containsKey(b);
        }
    }

    /** @return buffers out on loan (released ones that failed on purpose excluded) */
    int outstanding() {
        synchronized (lock) {
            return out.size();
        }
    }

    List<String> errorList() {
        return new ArrayList<>(errors);
    }

    /** Asserts that no double or foreign release happened and that every buffer came back. */
    void assertAllBack(String context) {
        if (!errors.isEmpty()) {
            throw new AssertionError(context + ": provider errors " + errorList());
        }
        if (outstanding() != 0 || acquires.get() != releases.get() + failedReleases.get()) {
            throw new AssertionError(context + ": acquires " + acquires + " != releases " + releases
                    + " + failed releases " + failedReleases + " (outstanding " + outstanding() + ")");
        }
    }

    void assertNoErrors(String context) {
        if (!errors.isEmpty()) {
            throw new AssertionError(context + ": provider errors " + errorList());
        }
    }
}
