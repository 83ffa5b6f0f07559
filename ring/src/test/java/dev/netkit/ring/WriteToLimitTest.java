package dev.netkit.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.netkit.testkit.Seeds;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/**
 * {@link ByteRing#writeTo(java.nio.channels.GatheringByteChannel, int)} against a deque of bytes: random
 * writes and bounded writes (max 0 to past readable, the channel taking a random part) at capacities 16 to
 * 4096; the bytes out are the model's first ones, never more than {@code max}, one channel call exactly
 * when there is something to write, two buffers exactly when the written region wraps. Seeded; the seed
 * is in every failure message ({@code -Dnetkit.seed=} replays it).
 */
class WriteToLimitTest {
    @TestFactory
    Stream<DynamicTest> boundedWritesTakeTheFirstBytesAndNoMore() {
        return Seeds.seeds(1, 2, 3).boxed().map(seed -> DynamicTest.dynamicTest("seed " + seed, () -> run(seed)));
    }

    private static void run(long seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int capacity = 16; capacity <= 4096; capacity <<= 2) {
            ByteRing ring = ByteRing.heap(capacity);
            FakeChannel ch = new FakeChannel(rnd.split());
            ArrayDeque<Byte> model = new ArrayDeque<>();
            long consumed = 0;
            for (int step = 0; step < 2000; step++) {
                String at = "seed " + seed + ", capacity " + capacity + ", step " + step;
                if (rnd.nextBoolean()) {
                    int n = rnd.nextInt(0, ring.writable() + 1);
                    byte[] b = new byte[n];
                    rnd.nextBytes(b);
                    ring.write(ByteBuffer.wrap(b));
                    for (byte x : b) {
                        model.add(x);
                    }
                    continue;
                }
                int max = rnd.nextInt(0, capacity + 2);
                int before = ch.vectoredWrites;
                ch.sink.clear();
                long n = ring.writeTo(ch, max);
                int want = Math.min(max, model.size());
                if (want == 0) {
                    assertEquals(0, n, at);
                    assertEquals(before, ch.vectoredWrites, at + ": no call with nothing to write");
                    continue;
                }
                assertEquals(before + 1, ch.vectoredWrites, at + ": one call");
                int index = (int) (consumed & (capacity - 1));
                assertEquals(index + want > capacity ? 2 : 1, ch.lastLength, at + ": buffers");
                assertEquals(ch.sink.size(), n, at);
                for (Byte b : ch.sink) {
                    assertEquals(model.poll(), b, at);
                }
                consumed += n;
                assertEquals(model.size(), ring.readable(), at);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> ByteRing.heap(16).writeTo(new FakeChannel(rnd), -1));
    }
}
