package dev.netkit.reactor;

import dev.netkit.reactor.protocols.Protocol;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;

/**
 * The tests' {@link TestSeam}: faults to inject, set while the server runs (volatile), plus a handler
 * wrapper whose {@link #beforeData} runs before the protocol's onData (a handler that throws).
 */
final class Seam extends TestSeam {
    volatile IntConsumer iterationHook;
    volatile int acceptFailures;
    volatile LongConsumer backoffObserver;
    final AtomicInteger selectorFailures = new AtomicInteger();
    volatile Consumer<Conn> beforeData;

    @Override
    void beforeIteration(int loop) {
        IntConsumer h = iterationHook;
        if (h != null) {
            h.accept(loop);
        }
    }

    @Override
    void beforeSelectorOpen() throws IOException {
        if (selectorFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IOException("Too many open files (injected)");
        }
    }

    @Override
    void beforeAccept() throws IOException {
        int f = acceptFailures;
        if (f > 0) {
            acceptFailures = f - 1;     // only the acceptor writes it while it is positive
            throw new IOException("Too many open files (injected)");
        }
    }

    @Override
    void onBackoff(long millis) {
        LongConsumer o = backoffObserver;
        if (o != null) {
            o.accept(millis);
        }
    }

    /** Starts {@code p} on {@code cfg} with this seam, its handlers wrapped so that {@link #beforeData} runs first. */
    Server start(ServerConfig cfg, Protocol p) throws IOException {
        java.util.function.Supplier<Handler> inner = p.handlers(cfg);
        return Server.start(cfg, () -> new Wrapped(inner.get(), this), this);
    }

    /** {@code Server.start(cfg, Protocol.ECHO.handlers(cfg))}: no seam. */
    static Server echo(ServerConfig cfg) throws IOException {
        return Server.start(cfg, Protocol.ECHO.handlers(cfg));
    }

    /** {@code Server.start(cfg, Protocol.RELAY.handlers(cfg))}: no seam. */
    static Server relay(ServerConfig cfg) throws IOException {
        return Server.start(cfg, Protocol.RELAY.handlers(cfg));
    }

    /** A protocol's handler with the seam's beforeData in front of its onData. */
    private static final class Wrapped extends ForwardingHandler {
        private final Seam seam;

        Wrapped(Handler h, Seam seam) {
            super(h);
            this.seam = seam;
        }

        @Override
        public void onData(Conn c) {
            Consumer<Conn> f = seam.beforeData;
            if (f != null) {
                f.accept(c);
            }
            inner.onData(c);
        }
    }
}
