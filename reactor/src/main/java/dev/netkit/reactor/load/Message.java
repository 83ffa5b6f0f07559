package dev.netkit.reactor.load;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The load generator's message: {@code [long seq][long intendedSendNanos][filler][int crc32c]}, where the
 * filler is a function of the sequence number and the CRC-32C covers everything before it. A receiver
 * checks the sequence (in order, none missing) and the checksum. Not thread-safe: one instance per client
 * thread.
 */
public final class Message {
    /** The smallest message: sequence, send time, checksum. */
    public static final int MIN_BYTES = 20;
    private final CRC32C crc = new CRC32C();
    private final int size;

    /**
     * A message shape of {@code size} bytes.
     *
     * @param size bytes per message, at least {@link #MIN_BYTES}
     */
    public Message(int size) {
        if (size < MIN_BYTES) {
            throw new IllegalArgumentException("message size must be >= " + MIN_BYTES + ", was " + size);
        }
        this.size = size;
    }

    /**
     * Writes one message at {@code dst}'s position and advances it.
     *
     * @param dst       a buffer with at least {@code size} bytes remaining
     * @param seq       the sequence number
     * @param sendNanos the intended send time
     */
    public void write(ByteBuffer dst, long seq, long sendNanos) {
        int p = dst.position();
        dst.putLong(seq).putLong(sendNanos);
        byte f = (byte) (seq * 31 + 7);
        for (int i = 16; i < size - 4; i++) {
            dst.put(f++);
        }
        crc.reset();
        crc.update(dst.slice(p, size - 4));
        dst.putInt((int) crc.getValue());
    }

    /**
     * Checks the message at {@code src[at, at + size)} (positions untouched).
     *
     * @param src the buffer
     * @param at  the message's first byte
     * @return whether the checksum matches
     */
    public boolean verify(ByteBuffer src, int at) {
        crc.reset();
        crc.update(src.slice(at, size - 4));
        return (int) crc.getValue() == src.getInt(at + size - 4);
    }

    /** {@return bytes per message} */
    public int size() {
        return size;
    }
}
