package dev.netkit.stress.padding;

import dev.netkit.padding.PaddedAtomicLong;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@link PaddedAtomicLong#setRelease(long)} paired with {@link PaddedAtomicLong#getAcquire()} publishes
 * the writer's earlier plain writes: a reader that sees the flag set also sees the payload written before
 * it. Seeing the flag with a stale payload is forbidden.
 *
 * <p>Outcome: (flag read with getAcquire, payload read plainly after it).
 */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "reader ran before the writer")
@Outcome(id = "0, 42", expect = ACCEPTABLE, desc = "flag not yet seen; the payload read after it raced ahead")
@Outcome(id = "1, 42", expect = ACCEPTABLE, desc = "flag seen, payload published with it")
@Outcome(id = "1, 0", expect = FORBIDDEN, desc = "flag seen but payload stale: release/acquire broken")
@Outcome(expect = FORBIDDEN, desc = "values never written")
@State
public class PaddedAtomicLongReleaseAcquireTest {
    final PaddedAtomicLong flag = new PaddedAtomicLong();
    long payload;

    @Actor
    public void writer() {
        payload = 42;
        flag.setRelease(1);
    }

    @Actor
    public void reader(JJ_Result r) {
        r.r1 = flag.getAcquire();
        r.r2 = payload;
    }
}
