package dev.netkit.stress.ring;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.netkit.ring.SpscByteRing;
import dev.netkit.stress.fixtures.Bytes;
import java.nio.ByteBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

/**
 * No torn length prefix across the wrap: the ring (capacity 16, stale 0xEE bytes) sits at index 13. The
 * producer offers an int 0x01020304 (bytes at 13, 14, 15, 0) and then a long 0x05060708090A0B0C (bytes 1 to
 * 8). The consumer reads readable(), then getInt(0) if 4 bytes are readable and getLong(4) if 12 are. A
 * value is never torn: it is whole or not read. Outcome: (readable, int or -1, long or -1).
 */
@JCStressTest
@Outcome(id = "0, -1, -1", expect = ACCEPTABLE, desc = "nothing yet")
@Outcome(id = "4, 16909060, -1", expect = ACCEPTABLE, desc = "the int, whole across the wrap")
@Outcome(id = "12, 16909060, 361984551142689548", expect = ACCEPTABLE, desc = "int and long, whole")
@Outcome(expect = FORBIDDEN, desc = "a torn or stale prefix")
@State
public class SpscLengthPrefixWrapTest {
    final SpscByteRing ring = Bytes.positioned(16, 13);

    @Actor
    public void producer() {
        ring.offer(ByteBuffer.allocate(4).putInt(0, 0x01020304));
        ring.offer(ByteBuffer.allocate(8).putLong(0, 0x05060708090A0B0CL));
    }

    @Actor
    public void consumer(JJJ_Result r) {
        int n = ring.readable();
        r.r1 = n;
        r.r2 = n >= 4 ? ring.getInt(0) : -1;
        r.r3 = n >= 12 ? ring.getLong(4) : -1;
    }
}
