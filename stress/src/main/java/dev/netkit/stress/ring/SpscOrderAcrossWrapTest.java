package dev.netkit.stress.ring;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.netkit.ring.SpscByteRing;
import dev.netkit.stress.fixtures.Bytes;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Order across the wrap: the ring (capacity 8, stale bytes) sits at index 5; the producer writes 01 02 (at
 * 5, 6) then 03 04 (at 7, 0); the consumer reads up to 4 bytes with one read. It gets a prefix of
 * 01 02 03 04, in order. Outcome: (bytes read, their big-endian value).
 */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "nothing yet")
@Outcome(id = "2, 258", expect = ACCEPTABLE, desc = "01 02")
@Outcome(id = "4, 16909060", expect = ACCEPTABLE, desc = "01 02 03 04")
@Outcome(expect = FORBIDDEN, desc = "out of order, stale or partial")
@State
public class SpscOrderAcrossWrapTest {
    final SpscByteRing ring = Bytes.positioned(8, 5);

    @Actor
    public void producer() {
        ring.write(new byte[] {1, 2}, 0, 2);
        ring.write(new byte[] {3, 4}, 0, 2);
    }

    @Actor
    public void consumer(II_Result r) {
        byte[] out = new byte[4];
        int n = ring.read(out, 0, 4);
        int v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (out[i] & 0xFF);
        }
        r.r1 = n;
        r.r2 = v;
    }
}
