package dev.netkit.stress.ring;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.netkit.ring.MpscFrameRing;
import dev.netkit.stress.fixtures.Bytes;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * Per-producer order: producer P offers frames 1 then 2, producer Q frames 3 then 4, into a 64-byte ring
 * that holds all four; the arbiter peeks them all. Any interleaving is fine as long as 1 precedes 2 and 3
 * precedes 4. Outcome: the delivered frame ids as digits.
 */
@JCStressTest
@Outcome(id = {"1234", "1324", "1342", "3124", "3142", "3412"}, expect = ACCEPTABLE,
        desc = "an interleaving that keeps each producer's order")
@Outcome(expect = FORBIDDEN, desc = "a producer's frames reordered, lost or duplicated")
@State
public class MpscPerProducerOrderTest {
    final MpscFrameRing ring = new MpscFrameRing(64, 4, Long.MAX_VALUE, System::nanoTime);

    @Actor
    public void producerP() {
        ring.offer(Bytes.of(1, 1), 0, 1);
        ring.offer(Bytes.of(2, 1), 0, 1);
    }

    @Actor
    public void producerQ() {
        ring.offer(Bytes.of(3, 1), 0, 1);
        ring.offer(Bytes.of(4, 1), 0, 1);
    }

    @Arbiter
    public void arbiter(I_Result r) {
        r.r1 = Bytes.ids(ring.peek(4));
    }
}
