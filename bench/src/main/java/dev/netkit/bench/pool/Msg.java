package dev.netkit.bench.pool;

import dev.netkit.pool.Pooled;
import io.netty.util.Recycler;

/** The pooled object of the benchmarks: about 1 KiB (a 1,024-byte payload); {@code new} allocates ~1,064 B. */
final class Msg extends Pooled {
    final byte[] data = new byte[1024];
    int seq;

    /** The same object for Netty's Recycler, which needs its handle inside the object. */
    static final class NettyMsg {
        final byte[] data = new byte[1024];
        final Recycler.Handle<NettyMsg> handle;
        int seq;

        NettyMsg(Recycler.Handle<NettyMsg> handle) {
            this.handle = handle;
        }

        void recycle() {
            handle.recycle(this);
        }
    }

    static final Recycler<NettyMsg> RECYCLER = new Recycler<>() {
        @Override
        protected NettyMsg newObject(Handle<NettyMsg> handle) {
            return new NettyMsg(handle);
        }
    };

    /** A plain object of the same size, for {@code new} and commons-pool2. */
    static final class Plain {
        final byte[] data = new byte[1024];
        int seq;
    }
}
