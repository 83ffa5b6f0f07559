package dev.netkit.bench.timingwheel;

import dev.netkit.timingwheel.TimingWheel;
import dev.netkit.timingwheel.WheelTimer;
import io.netty.util.HashedWheelTimer;
import io.netty.util.TimerTask;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.agrona.DeadlineTimerWheel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Expiry throughput with {@value #N} timers all due. Single-shot time per batch of {@value #N}, reported
 * per timer (ns/op; lower is better).
 *
 * <table>
 *   <caption>Benchmarks</caption>
 *   <tr><th>method</th><th>what is measured</th></tr>
 *   <tr><td>{@code pollTimingWheel}</td><td>{@link TimingWheel#poll} expiring {@value #N} timers whose
 *       deadlines are spread over one second (set up before the measurement), handler counts</td></tr>
 *   <tr><td>{@code pollAgrona}</td><td>the same with Agrona's {@link DeadlineTimerWheel} (1 ms ticks,
 *       1,024 per wheel; {@code poll} is called until it has expired everything, since each call handles
 *       one tick)</td></tr>
 *   <tr><td>{@code expireWheelTimer}</td><td>{@link WheelTimer}, 1 ms tick: {@value #N} timeouts
 *       scheduled for one deadline 1 s ahead before the measurement (they are in the worker's wheel when they come
 *       due); measured from the first task's run to the last's: the worker's expiry and task runs</td></tr>
 *   <tr><td>{@code expireNetty}</td><td>the same with Netty's {@link HashedWheelTimer}, 1 ms tick, 512
 *       buckets</td></tr>
 * </table>
 *
 * <p>Run: {@code bench/run ExpiryBench -prof gc} (about 2 minutes).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ExpiryBench {

    static final int N = 1_000_000;
    static final long MS = 1_000_000L;
    static final long DELAY_MS = 1_000;

    /** Owner-thread wheels loaded with N due timers before each measured call. */
    @State(Scope.Thread)
    public static class Loaded {
        TimingWheel<Object> wheel;
        DeadlineTimerWheel agrona;
        final Object payload = new Object();
        long start;
        int count;
        final TimingWheel.ExpiryHandler<Object> handler = (h, p) -> count++;
        final DeadlineTimerWheel.TimerHandler agronaHandler = (u, now, id) -> {
            count++;
            return true;
        };

        @Setup(Level.Invocation)
        public void load() {
            start = System.nanoTime();
            wheel = new TimingWheel<>(start, MS, 6, 5, N);
            agrona = new DeadlineTimerWheel(TimeUnit.MILLISECONDS, start / MS, 1, 1024, 1024);
            SplittableRandom rnd = new SplittableRandom(3);
            for (int i = 0; i < N; i++) {
                long d = start + rnd.nextLong(0, 1_000L * MS);
                wheel.schedule(d, payload);
                agrona.scheduleTimer(d / MS);
            }
            count = 0;
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int pollTimingWheel(Loaded s) {
        s.wheel.poll(s.start + 2_000L * MS, s.handler, Integer.MAX_VALUE);
        return s.count;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int pollAgrona(Loaded s) {
        long now = (s.start + 2_000L * MS) / MS;
        while (s.agrona.timerCount() > 0) {
            s.agrona.poll(now, s.agronaHandler, Integer.MAX_VALUE);
        }
        return s.count;
    }

    /**
     * One WheelTimer and one Netty timer per trial. Before each measured call, {@value #N} timeouts with one
     * deadline, {@value #DELAY_MS} ms after the setup starts, are scheduled on the timer the benchmark uses (the other stays idle),
     * and the setup waits until the first has run: the measured call then only waits until all have run,
     * so it times the worker expiring and running {@value #N} due timeouts (the reader checks every 0.1 ms,
     * so as not to contend with the worker's counter).
     */
    @State(Scope.Benchmark)
    public static class Timers {
        WheelTimer ours;
        HashedWheelTimer netty;
        final AtomicInteger ran = new AtomicInteger();
        final Runnable task = ran::incrementAndGet;
        final TimerTask nettyTask = t -> ran.incrementAndGet();

        @Setup
        public void setup() {
            ours = new WheelTimer(1, TimeUnit.MILLISECONDS);
            netty = new HashedWheelTimer(1, TimeUnit.MILLISECONDS, 512);
        }

        @Setup(Level.Invocation)
        public void load(BenchmarkParams params) {
            ran.set(0);
            boolean isNetty = params.getBenchmark().endsWith("Netty");
            long due = System.nanoTime() + DELAY_MS * MS;    // one deadline for all: they come due together
            for (int i = 0; i < N; i++) {
                long delay = due - System.nanoTime();
                if (isNetty) {
                    netty.newTimeout(nettyTask, delay, TimeUnit.NANOSECONDS);
                } else {
                    ours.newTimeout(task, delay, TimeUnit.NANOSECONDS);
                }
            }
            while (ran.get() == 0) {
                LockSupport.parkNanos(100_000);
            }
        }

        @TearDown
        public void tearDown() {
            ours.stop();
            netty.stop();
        }
    }

    static int awaitAll(AtomicInteger ran) {
        int n;
        while ((n = ran.get()) < N) {
            LockSupport.parkNanos(100_000);
        }
        return n;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int expireWheelTimer(Timers s) {
        return awaitAll(s.ran);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int expireNetty(Timers s) {
        return awaitAll(s.ran);
    }
}
