import dev.netkit.timingwheel.TimingWheel;
import java.util.SplittableRandom;
public class Poll {
    static Object last; static int count;
    public static void main(String[] a) {
        long MS = 1_000_000L; int N = 1_000_000;
        Object[] ps = new Object[4096]; for (int i = 0; i < ps.length; i++) ps[i] = new Object();
        TimingWheel.ExpiryHandler<Object> h = (x, p) -> { last = p; count++; };
        for (int r = 0; r < 12; r++) {
            long start = System.nanoTime();
            TimingWheel<Object> w = new TimingWheel<>(start, MS, 6, 5, N);
            SplittableRandom rnd = new SplittableRandom(3);
            for (int i = 0; i < N; i++) w.schedule(start + rnd.nextLong(0, 1_000L * MS), ps[i & 4095]);
            long t0 = System.nanoTime();
            w.poll(start + 2_000L * MS, h, Integer.MAX_VALUE);
            System.out.printf("%.2f ns/timer%n", (System.nanoTime() - t0) / (double) N);
        }
    }
}
