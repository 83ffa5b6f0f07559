package dev.netkit.stress.ring;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.netkit.ring.MpscFrameRing;
import dev.netkit.stress.fixtures.Bytes;
import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * The way out of a stalled producer terminates: a frame is claimed and never committed (its producer is
 * gone), and a second frame is committed behind it. A consumer polling the ring in a loop, as an event loop
 * would, gets the second frame once the 1 ms reclaim timeout has run out: it does not spin forever. The
 * signal does nothing: the consumer must get out on its own.
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the stalled frame was reclaimed, the next one delivered")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "the consumer waits forever behind a stalled producer")
@State
public class MpscStalledProducerTerminationTest {
    final MpscFrameRing ring = new MpscFrameRing(64, 2, TimeUnit.MILLISECONDS.toNanos(1), System::nanoTime);

    public MpscStalledProducerTerminationTest() {
        ring.tryClaim(8);                               // never committed
        ring.offer(Bytes.of(2, 8), 0, 8);
    }

    @Actor
    public void consumer() {
        while (ring.peek(2).count() == 0) {
            Thread.onSpinWait();
        }
    }

    @Signal
    public void signal() {
        // nothing: the consumer must get past the stalled frame by itself
    }
}
