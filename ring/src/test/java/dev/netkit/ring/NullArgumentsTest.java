package dev.netkit.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ScatteringByteChannel;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every public method that takes an object answers null with a {@link NullPointerException} whose message
 * names the parameter (as {@code Objects.requireNonNull(x, "x")} does), before it changes anything.
 */
class NullArgumentsTest {
    static void npe(String name, Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call);
        assertEquals(name, e.getMessage());
    }

    @Test
    void byteRing() {
        for (ByteRing r : new ByteRing[] {ByteRing.heap(16), ByteRing.direct(16), ByteRing.elastic(16, BufferProvider.heap())}) {
            npe("src", () -> r.write((ByteBuffer) null));
            npe("src", () -> r.write((byte[]) null, 0, 0));
            npe("dst", () -> r.read(null, 0, 0));
            npe("channel", () -> r.readFrom(null));
            npe("channel", () -> r.writeTo(null));
            npe("channel", () -> r.writeTo(null, 1));
            assertEquals(0, r.readable());
        }
        npe("provider", () -> ByteRing.elastic(16, null));
    }

    @Test
    void spscByteRing() {
        SpscByteRing r = SpscByteRing.heap(16);
        npe("src", () -> r.offer((ByteBuffer) null));
        npe("src", () -> r.offer((byte[]) null, 0, 0));
        npe("src", () -> r.write((ByteBuffer) null));
        npe("src", () -> r.write((byte[]) null, 0, 0));
        npe("src", () -> r.put(0, (ByteBuffer) null));
        npe("src", () -> r.put(0, (byte[]) null, 0, 0));
        npe("dst", () -> r.read(null, 0, 0));
        npe("channel", () -> r.readFrom((ScatteringByteChannel) null));
        npe("channel", () -> r.writeTo((GatheringByteChannel) null));
        assertEquals(0, r.readable());
    }

    @Test
    void mpscFrameRing() {
        MpscFrameRing r = new MpscFrameRing(64);
        npe("nanoClock", () -> new MpscFrameRing(64, 1, 0, (LongSupplier) null));
        npe("claim", () -> r.tryClaim(8, null));
        npe("src", () -> r.offer((ByteBuffer) null));
        npe("src", () -> r.tryOffer((ByteBuffer) null));
        npe("src", () -> r.offer((byte[]) null, 0, 1));
        npe("srcs", () -> r.tryOffer((ByteBuffer[]) null, 0));
        npe("srcs[1]", () -> r.tryOffer(new ByteBuffer[] {ByteBuffer.allocate(1), null}, 2));
        assertEquals(true, r.isEmpty());
    }

    @Test
    void mpscChunkedFrameQueue() {
        MpscChunkedFrameQueue q = new MpscChunkedFrameQueue(64, 128, BufferProvider.direct());
        npe("provider", () -> new MpscChunkedFrameQueue(64, 128, null));
        npe("nanoClock", () -> new MpscChunkedFrameQueue(64, 128, 1, 0, null, BufferProvider.direct()));
        npe("claim", () -> q.tryClaim(8, null));
        npe("src", () -> q.offer((ByteBuffer) null));
        npe("src", () -> q.tryOffer((ByteBuffer) null));
        npe("src", () -> q.offer((byte[]) null, 0, 1));
        npe("srcs", () -> q.tryOffer((ByteBuffer[]) null, 0));
        npe("srcs[0]", () -> q.tryOffer(new ByteBuffer[] {null}, 1));
        npe("dst", () -> q.drainTo(null, 1));
        MpscChunkedFrameQueue.Claim c = q.newClaim();
        assertEquals(MpscChunkedFrameQueue.CLAIM_OK, q.tryClaim(8, c));
        npe("src", () -> c.put(0, (ByteBuffer) null));
        npe("src", () -> c.put(0, (byte[]) null, 0, 0));
        c.abort();
        assertEquals(true, q.isEmpty() || q.peek(1).count() == 0);
    }

    @Test
    void bufferProvider() {
        npe("acquire", () -> BufferProvider.of(null, b -> { }));
        npe("release", () -> BufferProvider.of(ByteBuffer::allocate, null));
        npe("acquire", () -> BufferProvider.ofZeroed(null, b -> { }));
        npe("release", () -> BufferProvider.ofZeroed(ByteBuffer::allocate, null));
        npe("buffer", () -> BufferProvider.heap().release(null));
        npe("buffer", () -> BufferProvider.direct().release(null));
    }
}
