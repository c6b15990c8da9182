package io.sigmatch.decoder.capture.live;

import java.net.InetSocketAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.capture.Frame;
import io.sigmatch.decoder.capture.LinkType;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * A VXLAN tunnel endpoint on a UDP socket (Netty's native epoll transport): a switch or a cloud
 * traffic mirror sends mirrored frames to this port, and each datagram's inner Ethernet frame
 * (after the 8-byte RFC 7348 header) goes to a {@link LiveCapture.Worker} — the Dissector — on the
 * one event-loop thread that owns it. No raw socket, so no capability is needed (a port above
 * 1023). The kernel has removed the outer IP and UDP headers; capture time is the receive time.
 *
 * <p>Counters: {@code capture.vxlan_socket.datagrams}, {@code .bytes},
 * {@code .error.truncated}, {@code .error.bad_flags}; also {@code capture.packets}/{@code .bytes}.
 */
public final class VxlanSocketReceiver implements AutoCloseable {
    /** A jumbo mirrored frame (9000) plus VXLAN's 8 bytes fits one receive buffer. */
    public static final int MAX_DATAGRAM_BYTES = 9216;
    private static final int VXLAN_HEADER_LENGTH = 8;
    private static final int FLAG_VNI_VALID = 0x08;

    private final EventLoopGroup group;
    private final Channel channel;
    private final Handler handler;

    private VxlanSocketReceiver(final EventLoopGroup group, final Channel channel, final Handler handler) {
        this.group = group;
        this.channel = channel;
        this.handler = handler;
    }

    /**
     * Binds the UDP socket and creates the worker on its event-loop thread. Throws
     * LiveCaptureException when epoll is not available or the port cannot be bound.
     */
    public static VxlanSocketReceiver open(final InetSocketAddress bind, final Supplier<LiveCapture.Worker> worker,
        final Counters counters) throws LiveCaptureException {
        if (!Epoll.isAvailable()) {
            throw new LiveCaptureException("VXLAN socket needs Netty's native epoll (Linux x86-64): "
                + Epoll.unavailabilityCause());
        }
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            final LiveCapture.Worker w = group.submit(worker::get).get();
            final Handler handler = new Handler(w, counters);
            final Channel channel = new Bootstrap().group(group).channel(EpollDatagramChannel.class)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM_BYTES))
                .option(ChannelOption.SO_RCVBUF, 8 << 20)
                .handler(handler)
                .bind(bind).sync().channel();
            return new VxlanSocketReceiver(group, channel, handler);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new LiveCaptureException("interrupted while binding " + bind);
        } catch (final ExecutionException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            final Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new LiveCaptureException("cannot receive VXLAN on " + bind + ": " + cause.getMessage());
        }
    }

    /** The address actually bound (port 0 picks one). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Closes the socket, then finishes the worker on its own thread. */
    @Override
    public void close() throws InterruptedException {
        channel.close().sync();
        try {
            group.submit(handler.worker::finish).get();
        } catch (final ExecutionException e) {
            // the worker failed to flush: counted by nobody, nothing more to do at shutdown
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private static final class Handler extends SimpleChannelInboundHandler<DatagramPacket> {
        final LiveCapture.Worker worker;
        private final Frame frame = new Frame();
        private final long epochBaseNs;
        private final long nanoBase;
        private long number;
        private final AtomicCounter datagrams;
        private final AtomicCounter bytes;
        private final AtomicCounter packets;
        private final AtomicCounter packetBytes;
        private final AtomicCounter truncated;
        private final AtomicCounter badFlags;

        Handler(final LiveCapture.Worker worker, final Counters counters) {
            this.worker = worker;
            epochBaseNs = System.currentTimeMillis() * 1_000_000L;
            nanoBase = System.nanoTime();
            datagrams = counters.counter("capture.vxlan_socket.datagrams");
            bytes = counters.counter("capture.vxlan_socket.bytes");
            packets = counters.counter("capture.packets");
            packetBytes = counters.counter("capture.bytes");
            truncated = counters.counter("capture.vxlan_socket.error.truncated");
            badFlags = counters.counter("capture.vxlan_socket.error.bad_flags");
            frame.linkType = LinkType.ETHERNET;
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final DatagramPacket packet) {
            final ByteBuf b = packet.content();
            datagrams.increment();
            final int length = b.readableBytes();
            bytes.getAndAdd(length);
            if (length < VXLAN_HEADER_LENGTH) {
                truncated.increment();
                return;
            }
            final int start = b.readerIndex();
            if ((b.getUnsignedByte(start) & FLAG_VNI_VALID) == 0) {
                badFlags.increment(); // RFC 7348 5: I must be set
                return;
            }
            frame.number = ++number;
            frame.timeNs = epochBaseNs + (System.nanoTime() - nanoBase);
            frame.buffer = b;
            frame.offset = start + VXLAN_HEADER_LENGTH;
            frame.capturedLength = length - VXLAN_HEADER_LENGTH;
            frame.originalLength = frame.capturedLength;
            packets.increment();
            packetBytes.getAndAdd(frame.capturedLength);
            worker.onFrame(frame);
        }

        @Override
        public void channelReadComplete(final ChannelHandlerContext ctx) {
            worker.endOfBatch();
        }
    }
}
