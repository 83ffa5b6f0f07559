package dev.netkit.bench.reactor;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The reactor issue's peers: echo servers to load with the same load generator as the netkit reactor
 * ({@code java -jar reactor/target/netkit-reactor.jar load ...}), for alternated A/B runs
 * ({@code bench/reactor-ab.sh}).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.netkit.bench.reactor.PeerEchoServer KIND PORT [THREADS]
 *   KIND: netty-nio | netty-epoll | netty-iouring | virtual | platform | naive-nio
 * </pre>
 * Netty ({@code netty-nio}, {@code netty-epoll}, {@code netty-iouring}: its NIO, native epoll and native
 * io_uring transports, all built the same way): one boss thread, THREADS workers (default: available processors), {@code TCP_NODELAY}, the
 * pooled allocator, echo by {@code write} on read and {@code flush} on read-complete (Netty's own echo
 * example). {@code virtual}/{@code platform}: a blocking {@code ServerSocket}, one thread per connection
 * reading into a 4 KiB array and writing back what it read. {@code naive-nio}: one selector thread, one
 * 8 KiB heap buffer per connection for its whole life (the "naive NIO" row of the idle-memory table).
 * Prints the reactor CLI's listening line. {@code netty-iouring} needs a kernel with io_uring enabled: where
 * Netty finds it unavailable, the server prints the cause and exits with status 1.
 */
public final class PeerEchoServer {
    private PeerEchoServer() {
    }

    /**
     * Runs until killed.
     *
     * @param args KIND PORT [THREADS]
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: PeerEchoServer netty-nio|netty-epoll|netty-iouring|virtual|platform|naive-nio PORT [THREADS]");
            System.exit(2);
        }
        String kind = args[0];
        int port = Integer.parseInt(args[1]);
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        switch (kind) {
            case "netty-nio" -> netty(NioIoHandler.newFactory(), NioServerSocketChannel.class, port, threads);
            case "netty-epoll" -> netty(EpollIoHandler.newFactory(), EpollServerSocketChannel.class, port, threads);
            case "netty-iouring" -> {
                if (!IoUring.isAvailable()) {
                    System.err.println("netty-iouring: io_uring unavailable: " + IoUring.unavailabilityCause());
                    System.exit(1);
                }
                netty(IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class, port, threads);
            }
            case "virtual" -> blocking(true, port);
            case "platform" -> blocking(false, port);
            case "naive-nio" -> naiveNio(port);
            default -> throw new IllegalArgumentException("unknown kind " + kind);
        }
    }

    private static void listening(String kind, int port) {
        System.out.println("netkit reactor listening on port " + port + " (peer " + kind + ", pid "
                + ProcessHandle.current().pid() + ")");
        System.out.flush();
    }

    @ChannelHandler.Sharable
    static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static void netty(IoHandlerFactory factory, Class<? extends ServerChannel> channel, int port, int threads)
            throws InterruptedException {
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, factory);
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(threads, factory);
        Echo echo = new Echo();
        try {
            Channel ch = new ServerBootstrap().group(boss, workers).channel(channel)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(echo);
                        }
                    })
                    .bind(InetAddress.getLoopbackAddress(), port).sync().channel();
            listening(channel.getSimpleName(), port);
            ch.closeFuture().sync();
        } finally {
            boss.shutdownGracefully();
            workers.shutdownGracefully();
        }
    }

    private static void blocking(boolean virtual, int port) throws IOException {
        try (ServerSocket ss = new ServerSocket(port, 4096, InetAddress.getLoopbackAddress())) {
            listening(virtual ? "virtual threads" : "platform threads", port);
            Thread.Builder builder = virtual ? Thread.ofVirtual() : Thread.ofPlatform();
            while (true) {
                Socket s = ss.accept();
                s.setTcpNoDelay(true);
                builder.start(() -> serve(s));
            }
        }
    }

    private static void serve(Socket s) {
        byte[] buf = new byte[4096];
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
        } catch (IOException ignored) {
            // peer gone
        }
    }

    private static void naiveNio(int port) throws IOException {
        try (java.nio.channels.Selector sel = java.nio.channels.Selector.open();
             java.nio.channels.ServerSocketChannel ss = java.nio.channels.ServerSocketChannel.open()) {
            ss.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4096);
            ss.configureBlocking(false);
            ss.register(sel, java.nio.channels.SelectionKey.OP_ACCEPT);
            listening("naive NIO", port);
            while (true) {
                sel.select(key -> {
                    try {
                        if (key.isAcceptable()) {
                            java.nio.channels.SocketChannel c;
                            while ((c = ss.accept()) != null) {
                                c.configureBlocking(false);
                                c.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                                c.register(sel, java.nio.channels.SelectionKey.OP_READ, java.nio.ByteBuffer.allocate(8192));
                            }
                            return;
                        }
                        java.nio.channels.SocketChannel c = (java.nio.channels.SocketChannel) key.channel();
                        java.nio.ByteBuffer b = (java.nio.ByteBuffer) key.attachment();
                        if (key.isReadable() && c.read(b) < 0) {
                            c.close();
                            return;
                        }
                        b.flip();
                        c.write(b);
                        b.compact();
                        key.interestOps(b.position() > 0 ? java.nio.channels.SelectionKey.OP_WRITE
                                : java.nio.channels.SelectionKey.OP_READ);
                    } catch (IOException e) {
                        try {
                            key.channel().close();
                        } catch (IOException ignored) {
                            // closing
                        }
                    }
                });
            }
        }
    }
}
