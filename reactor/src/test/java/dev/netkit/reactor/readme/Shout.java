package dev.netkit.reactor.readme;

import dev.netkit.reactor.CloseReason;
import dev.netkit.reactor.Conn;
import dev.netkit.reactor.Handler;
import dev.netkit.ring.ByteRing;
import java.nio.ByteBuffer;
import java.time.Duration;

/** A line protocol: each line comes back in upper case; "bye" closes; 30 s of silence closes. */
public final class Shout implements Handler {
    static final int MAX_LINE = 1024;
    private final ByteBuffer line = ByteBuffer.allocate(MAX_LINE);  // one handler per loop: no locking

    @Override
    public void onOpen(Conn conn) {
        conn.setMaxIdle(Duration.ofSeconds(30));
    }

    @Override
    public void onData(Conn conn) {
        ByteRing in = conn.in();
        for (int i = 0; i < Math.min(in.readable(), MAX_LINE); i++) {
            if (in.getByte(i) == '\n') {
                line.clear();
                for (int k = 0; k <= i; k++) {
                    line.put((byte) Character.toUpperCase(in.getByte(k)));
                }
                if (!conn.write(line.flip())) {
                    return;             // output full: the line waits; onData runs again once it drains
                }
                in.discard(i + 1);
                if (i == 3 && line.get(0) == 'B' && line.get(1) == 'Y' && line.get(2) == 'E') {
                    conn.close();       // after "BYE\n" is written
                    return;
                }
                i = -1;                 // the next line starts at 0
            }
        }
        if (in.readable() >= MAX_LINE) {
            conn.abort(CloseReason.MALFORMED_FRAME);    // no newline within MAX_LINE bytes
        }
    }
}
