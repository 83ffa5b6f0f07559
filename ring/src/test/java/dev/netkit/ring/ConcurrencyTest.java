package dev.netkit.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netkit.testkit.Seeds;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Real threads, no timing assertions: a producer and a consumer stream bytes through {@link SpscByteRing},
 * and three producers stream frames through {@link MpscFrameRing} (with and without reclaim at first sight),
 * while the consumer checks every byte, each producer's order, and that nothing is lost or duplicated.
 * Seeds are printed on failure; {@code -Dnetkit.seed=N} replays the chunk sizes (not the thread schedule).
 */
class ConcurrencyTest {

    static byte streamByte(long i) {
        return (byte) (i * 0x9E3779B1L >>> 24);
    }

    @Test
    void spscStreamsEveryByteInOrder() throws Exception {
        long seed = Seeds.seed();
        for (int cap : new int[] {16, 256, 4096}) {
            SpscByteRing ring = cap == 256 ? SpscByteRing.heap(cap) : SpscByteRing.direct(cap);
            long total = 1_000_000;
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread producer = new Thread(() -> {
                SplittableRandom rnd = new SplittableRandom(seed);
                byte[] chunk = new byte[cap + 8];
                long sent = 0;
                while (sent < total && failure.get() == null) {
                    int n = (int) Math.min(total - sent, rnd.nextInt(1, cap + 8));
                    for (int i = 0; i < n; i++) {
                        chunk[i] = streamByte(sent + i);
                    }
                    if (rnd.nextBoolean()) {
                        sent += ring.write(chunk, 0, n);
                    } else if (n <= cap && ring.offer(ByteBuffer.wrap(chunk, 0, n))) {
                        sent += n;
                    }
                    Thread.onSpinWait();
                }
            });
            producer.start();
            SplittableRandom rnd = new SplittableRandom(seed + 1);
            long got = 0;
            byte[] out = new byte[cap];
            try {
                while (got < total) {
                    switch (rnd.nextInt(3)) {
                        case 0 -> {
                            Segments s = ring.peek(rnd.nextInt(1, cap + 1));
                            int k = 0;
                            for (int i = 0; i < s.count(); i++) {
                                ByteBuffer b = s.get(i);
                                for (int j = b.position(); j < b.limit(); j++) {
                                    assertEquals(streamByte(got + k), b.get(j), "byte " + (got + k));
                                    k++;
                                }
                            }
                            ring.discard(k);
                            got += k;
                        }
                        case 1 -> {
                            if (ring.readable() >= 8) {
                                long v = ring.getLong(0);
                                for (int i = 0; i < 8; i++) {
                                    assertEquals(streamByte(got + i), (byte) (v >>> (56 - 8 * i)), "getLong");
                                }
                            }
                        }
                        default -> {
                            int n = ring.read(out, 0, rnd.nextInt(1, cap + 1));
                            for (int i = 0; i < n; i++) {
                                assertEquals(streamByte(got + i), out[i], "read byte " + (got + i));
                            }
                            got += n;
                        }
                    }
                    assertTrue(ring.readable() <= cap && ring.writable() >= 0);
                }
            } catch (AssertionError e) {
                failure.set(e);
                producer.join();
                throw new AssertionError("capacity=" + cap + " seed=" + seed + ": " + e, e);
            }
            producer.join();
            assertEquals(total, got);
        }
    }

    void mpsc(long reclaimTimeout) throws Exception {
        long seed = Seeds.seed();
        int producers = 3;
        int perProducer = 50_000;
        MpscFrameRing ring = new MpscFrameRing(512, 16, reclaimTimeout, System::nanoTime);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong lateCommits = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            Thread t = new Thread(() -> {
                SplittableRandom rnd = new SplittableRandom(seed * 31 + id);
                MpscFrameRing.Claim claim = ring.newClaim();
                int seq = 0;
                while (seq < perProducer && !stop.get()) {
                    int len = rnd.nextInt(12, 64);
                    int mode = rnd.nextInt(4);
                    if (mode == 0) {
                        ByteBuffer src = ByteBuffer.allocate(len).putInt(id).putLong(seq);
                        for (int i = 12; i < len; i++) {
                            src.put((byte) (seq + i));
                        }
                        if (ring.offer(src.flip())) {
                            seq++;
                        }
                    } else if (ring.tryClaim(len, claim)) {
                        ByteBuffer b = claim.buffer();
                        b.putInt(id).putLong(mode == 1 ? -1 : seq);
                        for (int i = 12; i < len; i++) {
                            b.put((byte) (seq + i));
                        }
                        if (mode == 1) {
                            if (!claim.abort()) {
                                lateCommits.incrementAndGet();  // reclaimed before the abort
                            }
                        } else if (claim.commit()) {
                            seq++;
                        } else {
                            lateCommits.incrementAndGet();      // reclaimed: send the same seq again
                        }
                    }
                    Thread.onSpinWait();
                }
            });
            threads.add(t);
            t.start();
        }
        int[] next = new int[producers];
        long frames = 0;
        try {
            while (frames < (long) producers * perProducer) {
                Segments s = ring.peek(16);
                for (int i = 0; i < s.count(); i++) {
                    ByteBuffer b = s.get(i);
                    int p = b.position();
                    int id = b.getInt(p);
                    long seq = b.getLong(p + 4);
                    assertEquals(next[id], seq, "producer " + id + " order (aborted frames are -1)");
                    for (int j = 12; j < b.remaining(); j++) {
                        assertEquals((byte) (seq + j), b.get(p + j), "payload byte " + j);
                    }
                    next[id]++;
                    frames++;
                }
                ring.discard();
            }
        } catch (AssertionError e) {
            stop.set(true);
            throw new AssertionError("reclaimTimeout=" + reclaimTimeout + " seed=" + seed + ": " + e, e);
        } finally {
            for (Thread t : threads) {
                t.join();
            }
        }
        for (int p = 0; p < producers; p++) {
            assertEquals(perProducer, next[p]);
        }
        assertEquals(0, ring.peek(16).count());
        // offer() also answers false when its frame was reclaimed, indistinguishable here from "full"
        assertTrue(ring.reclaimedFrames() >= lateCommits.get(), "a failed commit or abort implies a reclaim");
        if (reclaimTimeout == 0) {
            assertTrue(ring.reclaimedFrames() > 0, "reclaim at first sight happened");
        }
        assertEquals(0, ring.holes(), "every reclaimed frame's producer came back and freed it");
    }

    @Test
    void mpscKeepsEachProducersOrder() throws Exception {
        mpsc(Long.MAX_VALUE);
    }

    @Test
    void mpscWithReclaimAtFirstSightLosesNothingThatCommitted() throws Exception {
        mpsc(0);
    }
}
