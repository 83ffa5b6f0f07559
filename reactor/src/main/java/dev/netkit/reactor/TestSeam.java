package dev.netkit.reactor;

import java.io.IOException;

/**
 * Where tests inject faults into a server (package-private: not part of the API). The server holds
 * {@link #NONE}, whose methods do nothing, unless a test started it with its own subclass
 * ({@code Server.start(config, handlers, seam)}).
 */
class TestSeam {
    /** The production seam: every method does nothing. */
    static final TestSeam NONE = new TestSeam();

    /** At the top of each loop iteration, outside any connection's handling (a throw kills the loop). */
    void beforeIteration(int loop) {
    }

    /** Before a selector rebuild opens its new selector (a throw: the open failed, as on EMFILE). */
    void beforeSelectorOpen() throws IOException {
    }

    /** Before the acceptor accepts (a throw: the accept failed, as on EMFILE). */
    void beforeAccept() throws IOException {
    }

    /** The acceptor backs off for {@code millis} after an accept failure. */
    void onBackoff(long millis) {
    }
}
