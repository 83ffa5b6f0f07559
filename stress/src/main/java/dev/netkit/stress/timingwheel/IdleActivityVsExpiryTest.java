package dev.netkit.stress.timingwheel;

import dev.netkit.timingwheel.IdleTimeouts;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Touch against expiry, in its lazy form: traffic on one thread records activity (one opaque store) while
 * the owner's poll expires the connection's idle timer. Either the expiry saw the activity and re-armed
 * the timer (the entry stays watched, not reported), or it did not and reported the entry idle with the
 * idle time it measured (at least the idle duration). Never both, never neither (lost), never a report of
 * an idle time below the duration.
 *
 * <p>Outcome: (reported idle, watched at rest, 1 if a reported idle time was at least the duration,
 * re-arms).
 */
@JCStressTest
@Outcome(id = "0, 1, 0, 1", expect = ACCEPTABLE, desc = "expiry saw the activity and re-armed")
@Outcome(id = "1, 0, 1, 0", expect = ACCEPTABLE, desc = "expiry ran before the activity: reported idle")
@Outcome(id = "1, 0, 0, .*", expect = FORBIDDEN, desc = "reported with an idle time below the duration")
@Outcome(expect = FORBIDDEN, desc = "both, or neither: lost")
@State
public class IdleActivityVsExpiryTest {
    static final long MS = 1_000_000L;

    static final class Conn extends IdleTimeouts.Entry {
    }

    int reported;
    long idleSeen;
    final IdleTimeouts<Conn> idle = new IdleTimeouts<>(0, MS, 10 * MS, (c, d) -> {
        reported++;
        idleSeen = d;
    });
    final Conn conn = new Conn();

    public IdleActivityVsExpiryTest() {
        idle.add(conn, 0);
    }

    @Actor
    public void traffic() {
        conn.recordActivity(5 * MS);
    }

    @Actor
    public void owner() {
        idle.poll(10 * MS, 10);
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r1 = reported;
        r.r2 = conn.isWatched() ? 1 : 0;
        r.r3 = reported == 1 && idleSeen >= 10 * MS ? 1 : 0;
        r.r4 = (int) idle.rearms();
    }
}
