package dev.netkit.reactor.protocols;

import dev.netkit.reactor.CloseReason;
import dev.netkit.reactor.Conn;
import dev.netkit.reactor.SendResult;
import dev.netkit.reactor.ServerConfig;
import dev.netkit.ring.ByteRing;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The IM relay: each client frame is addressed to another connection by id and delivered to it, on any
 * sub-reactor, through {@link Conn#send}; the wire format is {@link RelayFrames}. The sender hears of an
 * unknown or stale target by an {@link RelayFrames#ERROR} frame; a target whose inbox overflows is closed
 * by the server ({@link dev.netkit.reactor.SendResult#TARGET_FULL}); a malformed or truncated frame closes
 * its sender ({@link CloseReason#MALFORMED_FRAME}).
 *
 * <p>One instance per sub-reactor (its scratch buffer is that loop's).
 */
public final class RelayHandler extends FramedHandler {
    private final ByteBuffer frame;             // the outgoing [len][source][DATA][payload]
    private final ByteBuffer header = ByteBuffer.allocateDirect(RelayFrames.SERVER_HEADER);

    /**
     * A relay handler for a server configured with {@code cfg}.
     *
     * @param cfg the server's configuration: its {@code maxFrameBytes} is the largest client frame
     * @throws IllegalArgumentException if a largest frame would not fit the inbox or the outbound ring
     */
    public RelayHandler(ServerConfig cfg) {
        super(Objects.requireNonNull(cfg, "cfg").maxFrameBytes());
        int largestOut = RelayFrames.serverLength(maxFrameBytes - 8) + RelayFrames.LENGTH_BYTES;
        int limit = Math.min(cfg.maxInboxFrameBytes(), cfg.outboundRingBytes());
        if (largestOut > limit) {
            throw new IllegalArgumentException("maxFrameBytes must be in [8, " + (limit - 5)
                    + "] for the relay with these ring and inbox sizes, was " + maxFrameBytes);
        }
        this.frame = ByteBuffer.allocateDirect(largestOut + 1);
    }

    @Override
    public void onOpen(Conn conn) {
        serverFrame(conn, RelayFrames.HELLO, conn.id());
    }

    @Override
    int frameBytes(ByteRing in) {
        return RelayFrames.clientFrame(in, maxFrameBytes);
    }

    /** Relays one frame; false if the target is unknown and there is no room for the error frame now. */
    @Override
    boolean onFrame(Conn conn, ByteRing in, int bytes) {
        long target = RelayFrames.target(in);
        int payload = bytes - RelayFrames.CLIENT_HEADER;
        // copy the client frame [len][target][payload] to frame[1..], then overwrite the first 13 bytes
        // with the server header [len][source][DATA]: the payload lands at 13 without a second copy
        ByteBuffer f = frame;
        f.clear().position(1);
        copy(in, bytes, f);
        RelayFrames.putServerHeader(f, 0, conn.id(), RelayFrames.DATA, payload);
        f.flip().position(0);
        // a send to itself that overflows its own inbox closes it: the read loop stops there
        return conn.send(target, f) != SendResult.NO_TARGET || serverFrame(conn, RelayFrames.ERROR, target);
    }

    /** Writes a 13-byte server frame; false if the output has no room now. */
    private boolean serverFrame(Conn conn, byte type, long id) {
        ByteBuffer h = header;
        h.clear();
        RelayFrames.putServerHeader(h, 0, id, type, 0);
        return conn.write(h);
    }
}
