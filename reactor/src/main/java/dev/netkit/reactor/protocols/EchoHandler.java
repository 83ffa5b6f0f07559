package dev.netkit.reactor.protocols;

import dev.netkit.reactor.Conn;
import dev.netkit.reactor.Handler;
import dev.netkit.ring.ByteRing;

/**
 * Echo: every byte comes back, in order. What the output cannot take stays in the inbound ring (reads
 * pause) until the output drains. One instance per sub-reactor; stateless.
 */
public final class EchoHandler implements Handler {
    /** An echo handler. */
    public EchoHandler() {
    }

    @Override
    public void onData(Conn conn) {
        ByteRing in = conn.in();
        int n = Math.min(in.readable(), conn.writableBytes());
        if (n > 0) {
            conn.write(in.peek(n));     // zero-copy views of the inbound ring, copied once into the outbound ring
            in.discard(n);
        }
    }
}
