package dev.netkit.reactor;

import java.util.concurrent.atomic.AtomicReference;

/** Handlers the engine tests share. */
final class TestHandlers {
    private TestHandlers() {
    }

    /**
     * A handler that keeps the last connection it opened in {@code opened} and discards what it reads.
     *
     * @param opened where the connection goes
     * @return the handler (stateless apart from {@code opened}: one may serve every loop)
     */
    static Handler recording(AtomicReference<Conn> opened) {
        return new Handler() {
            @Override
            public void onOpen(Conn c) {
                opened.set(c);
            }

            @Override
            public void onData(Conn c) {
                c.in().discard(c.in().readable());
            }
        };
    }
}
