package dev.netkit.stress.ring;

import dev.netkit.ring.Segments;
import dev.netkit.ring.SpscByteRing;
import java.nio.ByteBuffer;

/** Helpers shared by the ring tests. */
final class Bytes {
    private Bytes() {
    }

    static byte[] of(int value, int n) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    /** Fills an SPSC ring with 0xEE garbage, drains it, and moves its position to {@code index}. */
    static SpscByteRing positioned(int capacity, int index) {
        SpscByteRing r = SpscByteRing.heap(capacity);
        r.write(of(0xEE, capacity), 0, capacity);
        r.discard(capacity);
        r.write(of(0xEE, index), 0, index);
        r.discard(index);
        return r;
    }

    /** The bytes of a view, big-endian, as an int (the first 4 at most). */
    static int asInt(Segments s) {
        int v = 0;
        for (int i = 0; i < s.count(); i++) {
            ByteBuffer b = s.get(i);
            for (int j = b.position(); j < b.limit(); j++) {
                v = (v << 8) | (b.get(j) & 0xFF);
            }
        }
        return v;
    }

    /** 1 if every byte of the view's buffers equals {@code value}, else 0. */
    static int all(Segments s, int value) {
        for (int i = 0; i < s.count(); i++) {
            ByteBuffer b = s.get(i);
            for (int j = b.position(); j < b.limit(); j++) {
                if (b.get(j) != (byte) value) {
                    return 0;
                }
            }
        }
        return 1;
    }

    /** The common byte of a frame payload, or -1 if its bytes differ. */
    static int uniform(ByteBuffer b) {
        int first = b.get(b.position()) & 0xFF;
        for (int j = b.position(); j < b.limit(); j++) {
            if ((b.get(j) & 0xFF) != first) {
                return -1;
            }
        }
        return first;
    }

    /** Frame ids of a view as decimal digits, each frame's uniform byte (or 9 if not uniform). */
    static int ids(Segments s) {
        int code = 0;
        for (int i = 0; i < s.count(); i++) {
            int u = uniform(s.get(i));
            code = code * 10 + (u < 0 || u > 8 ? 9 : u);
        }
        return code;
    }
}
