package dev.netkit.ring;

import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ScatteringByteChannel;
import java.util.ArrayDeque;
import java.util.SplittableRandom;

/**
 * A byte channel for model tests: reads supply random bytes (which it also appends to {@code supplied}),
 * up to a random limit; writes accept up to a random limit and append what they took to {@code sink}.
 * Counts channel calls (vectored or plain) and the number of buffers each was given.
 */
final class FakeChannel implements ScatteringByteChannel, GatheringByteChannel {
    final SplittableRandom rnd;
    final ArrayDeque<Byte> supplied = new ArrayDeque<>();
    final ArrayDeque<Byte> sink = new ArrayDeque<>();
    int vectoredReads;
    int vectoredWrites;
    int lastLength;
    boolean eof;

    FakeChannel(SplittableRandom rnd) {
        this.rnd = rnd;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) {
        vectoredReads++;
        lastLength = length;
        if (eof) {
            return -1;
        }
        long room = 0;
        for (int i = offset; i < offset + length; i++) {
            room += dsts[i].remaining();
        }
        int n = (int) Math.min(room, rnd.nextInt(0, (int) Math.min(room, 1 << 16) + 1));
        int left = n;
        for (int i = offset; i < offset + length && left > 0; i++) {
            while (dsts[i].hasRemaining() && left > 0) {
                byte b = (byte) rnd.nextInt();
                dsts[i].put(b);
                supplied.add(b);
                left--;
            }
        }
        return n;
    }

    @Override
    public long read(ByteBuffer[] dsts) {
        return read(dsts, 0, dsts.length);
    }

    @Override
    public int read(ByteBuffer dst) {
        return (int) read(new ByteBuffer[] {dst}, 0, 1);      // a plain read: one call, one buffer
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
        vectoredWrites++;
        lastLength = length;
        long avail = 0;
        for (int i = offset; i < offset + length; i++) {
            avail += srcs[i].remaining();
        }
        int n = (int) Math.min(avail, rnd.nextInt(0, (int) Math.min(avail, 1 << 16) + 1));
        int left = n;
        for (int i = offset; i < offset + length && left > 0; i++) {
            while (srcs[i].hasRemaining() && left > 0) {
                sink.add(srcs[i].get());
                left--;
            }
        }
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs) {
        return write(srcs, 0, srcs.length);
    }

    @Override
    public int write(ByteBuffer src) {
        return (int) write(new ByteBuffer[] {src}, 0, 1);     // a plain write: one call, one buffer
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void close() {
    }
}
