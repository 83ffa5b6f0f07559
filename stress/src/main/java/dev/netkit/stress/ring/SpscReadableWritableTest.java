package dev.netkit.stress.ring;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.netkit.ring.SpscByteRing;
import dev.netkit.stress.fixtures.Bytes;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * readable + writable = capacity: the ring (capacity 8) holds 2 bytes. The producer offers 3 more, then
 * reads writable(): 3 or 5, depending on whether it sees the consumer's discard. The consumer discards the 2,
 * then reads readable(): 0 or 3. Neither ever sees a count outside its exact range; at rest the arbiter sees
 * readable() + writable() == 8 with 3 readable. Outcome: (producer's writable, consumer's readable, sum at
 * rest, readable at rest).
 */
@JCStressTest
@Outcome(id = {"3, 0, 8, 3", "3, 3, 8, 3", "5, 0, 8, 3", "5, 3, 8, 3"}, expect = ACCEPTABLE,
        desc = "each side sees the other's move or not; exact at rest")
@Outcome(expect = FORBIDDEN, desc = "a count that no interleaving produces, or a sum other than the capacity")
@State
public class SpscReadableWritableTest {
    final SpscByteRing ring;

    public SpscReadableWritableTest() {
        ring = Bytes.positioned(8, 6);
        ring.write(new byte[2], 0, 2);
    }

    @Actor
    public void producer(IIII_Result r) {
        ring.offer(new byte[3], 0, 3);
        r.r1 = ring.writable();
    }

    @Actor
    public void consumer(IIII_Result r) {
        ring.discard(2);
        r.r2 = ring.readable();
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r3 = ring.readable() + ring.writable();
        r.r4 = ring.readable();
    }
}
