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
import org.openjdk.jcstress.infra.results.IIIII_Result;

/**
 * Disjoint claims among three producers: each puts one frame of its own length, every payload byte its id,
 * into a 64-byte ring that the three records fill exactly: producer 1 claims 5 bytes and producer 2 claims
 * 11 bytes (both write through the claim's view and commit), producer 3 offers 16 bytes from an array. The
 * records are 16, 24 and 24 bytes (header plus payload rounded up to 8), so each claim's tail CAS moves
 * the tail by a different step and a wrong record length or a lost CAS retry shows up. The arbiter drains
 * the ring with peek/discard, two frames per peek, and checks that each of the three frames arrives once,
 * with its own length and only its own bytes.
 *
 * <p>Bugs it catches: two producers claiming overlapping space (a tail CAS that is not atomic, or a retry
 * that reuses a stale tail): bytes of two ids in one frame, or a frame lost; a wrong record length (the
 * next header lands inside a payload): a frame with the wrong length or a garbage frame; a claim that fails
 * although the ring has room; a frame delivered twice or the ring not empty after all three are discarded.
 *
 * <p>Outcome: (producers whose claim/commit or offer returned true, frames delivered, bitmask of ids
 * delivered intact (bit id - 1), 1 if no frame was malformed or delivered twice, 1 if the ring is empty
 * after the drain).
 */
@JCStressTest
@Outcome(id = "3, 3, 7, 1, 1", expect = ACCEPTABLE, desc = "three disjoint frames, each whole and once")
@Outcome(expect = FORBIDDEN, desc = "overlapping claims, a lost, duplicated or malformed frame, or a failed claim")
@State
public class MpscThreeProducersDisjointClaimsTest {
    /** Payload length of producer id (index 0 unused). */
    static final int[] LENGTH = {0, 5, 11, 16};
    static final byte[] THREES = Bytes.of(3, LENGTH[3]);

    final MpscFrameRing ring = new MpscFrameRing(64, 8, Long.MAX_VALUE, System::nanoTime);
    final MpscFrameRing.Claim c1 = ring.newClaim();
    final MpscFrameRing.Claim c2 = ring.newClaim();
    int ok1;
    int ok2;
    int ok3;

    static int claimAndCommit(MpscFrameRing ring, MpscFrameRing.Claim c, int id) {
        if (!ring.tryClaim(LENGTH[id], c)) {
            return 0;
        }
        ByteBuffer b = c.buffer();
        while (b.hasRemaining()) {
            b.put((byte) id);
        }
        return c.commit() ? 1 : 0;
    }

    @Actor
    public void producer1() {
        ok1 = claimAndCommit(ring, c1, 1);
    }

    @Actor
    public void producer2() {
        ok2 = claimAndCommit(ring, c2, 2);
    }

    @Actor
    public void producer3() {
        ok3 = ring.offer(THREES, 0, THREES.length) ? 1 : 0;
    }

    @Arbiter
    public void arbiter(IIIII_Result r) {
        int frames = 0;
        int mask = 0;
        int clean = 1;
        for (int round = 0; round < 4; round++) {
            Segments s = ring.peek(2);
            if (s.count() == 0) {
                break;
            }
            for (int i = 0; i < s.count(); i++) {
                frames++;
                ByteBuffer b = s.get(i);
                int id = Bytes.uniform(b);
                if (id < 1 || id > 3 || b.remaining() != LENGTH[id] || (mask & (1 << (id - 1))) != 0) {
                    clean = 0;
                } else {
                    mask |= 1 << (id - 1);
                }
            }
            ring.discard();
        }
        r.r1 = ok1 + ok2 + ok3;
        r.r2 = frames;
        r.r3 = mask;
        r.r4 = clean;
        r.r5 = ring.isEmpty() && ring.peek(2).count() == 0 ? 1 : 0;
    }
}
