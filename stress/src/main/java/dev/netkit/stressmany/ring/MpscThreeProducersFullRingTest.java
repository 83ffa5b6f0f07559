package dev.netkit.stressmany.ring;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.netkit.ring.MpscFrameRing;
import dev.netkit.ring.Segments;
import dev.netkit.stress.fixtures.Bytes;
import java.nio.ByteBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Three producers race for an empty 32-byte ring with room for two of their frames (8-byte payloads:
 * 16-byte records), and nobody consumes: exactly two succeed, the third is told the ring is full, and the
 * frames delivered are exactly the two that succeeded, each with its own bytes. Producers 1 and 2 offer
 * from an array; producer 3 claims, fills the claim's view and commits. The ring reclaims after one second
 * (not {@code Long.MAX_VALUE}), so commits take the CAS path; the arbiter only peeks once every producer
 * has returned, so nothing is ever reclaimed.
 *
 * <p>Bugs it catches: a claim that checks the bound against a stale tail or head and passes a third
 * record (three successes: it overwrote one or wrapped onto unread bytes); a claim that gives up when its
 * tail CAS loses to another producer instead of retrying (one success although the ring had room); a
 * successful offer whose frame is not delivered, or a failed one whose frame is; a torn frame.
 *
 * <p>Outcome: (bitmask of producers that succeeded (bit id - 1), bitmask of ids delivered intact, frames
 * delivered, 1 if every delivered frame held one producer's 8 bytes).
 */
@JCStressTest
@Outcome(id = {"3, 3, 2, 1", "5, 5, 2, 1", "6, 6, 2, 1"}, expect = ACCEPTABLE,
        desc = "two succeeded, the third was told full; exactly those two delivered")
@Outcome(id = "7, .*", expect = FORBIDDEN, desc = "three frames in a ring with room for two: an overwrite")
@Outcome(id = {"1, .*", "2, .*", "4, .*", "0, .*"}, expect = FORBIDDEN,
        desc = "a claim failed although the ring had room")
@Outcome(expect = FORBIDDEN, desc = "the delivered frames are not the succeeded ones, or one was torn")
@State
public class MpscThreeProducersFullRingTest {
    static final byte[] ONES = Bytes.of(1, 8);
    static final byte[] TWOS = Bytes.of(2, 8);

    final MpscFrameRing ring = new MpscFrameRing(32, 2, MpscFrameRing.DEFAULT_RECLAIM_TIMEOUT_NANOS,
            System::nanoTime);
    final MpscFrameRing.Claim c3 = ring.newClaim();
    int ok1;
    int ok2;
    int ok3;

    @Actor
    public void producer1() {
        ok1 = ring.offer(ONES, 0, 8) ? 1 : 0;
    }

    @Actor
    public void producer2() {
        ok2 = ring.offer(TWOS, 0, 8) ? 1 : 0;
    }

    @Actor
    public void producer3() {
        if (ring.tryClaim(8, c3)) {
            ByteBuffer b = c3.buffer();
            while (b.hasRemaining()) {
                b.put((byte) 3);
            }
            ok3 = c3.commit() ? 1 : 0;
        }
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        Segments s = ring.peek(2);
        int mask = 0;
        int clean = 1;
        for (int i = 0; i < s.count(); i++) {
            ByteBuffer b = s.get(i);
            int id = Bytes.uniform(b);
            if (id < 1 || id > 3 || b.remaining() != 8 || (mask & (1 << (id - 1))) != 0) {
                clean = 0;
            } else {
                mask |= 1 << (id - 1);
            }
        }
        r.r1 = ok1 | ok2 << 1 | ok3 << 2;
        r.r2 = mask;
        r.r3 = s.count();
        r.r4 = clean;
    }
}
