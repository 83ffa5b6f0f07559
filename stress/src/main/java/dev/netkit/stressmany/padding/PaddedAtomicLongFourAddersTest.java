package dev.netkit.stressmany.padding;

import dev.netkit.padding.PaddedAtomicLong;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@link PaddedAtomicLong#getAndAdd(long)} from four threads at once is atomic: the four additions
 * (1, 2, 4 and 8) happen in some order, each thread's previous value is the sum of the additions ordered
 * before it, and the final value is 15.
 *
 * <p>With distinct powers of two, a previous value names exactly the set of additions before it, so the
 * arbiter checks the previous values form one serial order: sorted, they start at 0 and each is the one
 * before plus that one's addition.
 *
 * <p>Outcome: (1 if the previous values form a serial order, final value).
 */
@JCStressTest
@Outcome(id = "1, 15", expect = ACCEPTABLE, desc = "the four additions in some serial order")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "previous values no serial order explains: not atomic")
@Outcome(expect = FORBIDDEN, desc = "an addition was lost")
@State
public class PaddedAtomicLongFourAddersTest {
    private static final long[] DELTAS = {1, 2, 4, 8};

    final PaddedAtomicLong value = new PaddedAtomicLong();
    final long[] previous = new long[4];

    @Actor
    public void adder1() {
        previous[0] = value.getAndAdd(DELTAS[0]);
    }

    @Actor
    public void adder2() {
        previous[1] = value.getAndAdd(DELTAS[1]);
    }

    @Actor
    public void adder3() {
        previous[2] = value.getAndAdd(DELTAS[2]);
    }

    @Actor
    public void adder4() {
        previous[3] = value.getAndAdd(DELTAS[3]);
    }

    @Arbiter
    public void arbiter(JJ_Result r) {
        boolean[] used = new boolean[4];
        long expect = 0;
        boolean serial = true;
        for (int step = 0; step < 4 && serial; step++) {
            int next = -1;
            for (int i = 0; i < 4; i++) {
                if (!used[i] && previous[i] == expect) {
                    next = i;
                    break;
                }
            }
            if (next < 0) {
                serial = false;
            } else {
                used[next] = true;
                expect += DELTAS[next];
            }
        }
        r.r1 = serial ? 1 : 0;
        r.r2 = value.get();
    }
}
