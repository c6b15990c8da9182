package io.sigmatch.decoder.capture.live;

import static io.sigmatch.decoder.capture.live.TpacketLayout.*;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.capture.Frame;
import io.sigmatch.decoder.capture.FrameSink;
import io.sigmatch.decoder.capture.LinkType;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * One AF_PACKET socket with its TPACKET_V3 receive ring mapped into the process, owned by one
 * capture thread. Set-up makes the native calls (socket, setsockopt, mmap, bind); after that the
 * ring is read in place: block headers through an Agrona {@link UnsafeBuffer} (volatile status
 * reads and writes, the handshake with the kernel), packet bytes through a Netty {@link ByteBuf}
 * over the same memory, handed to the sink as a {@link Frame} without a copy. The only native
 * call while running is poll() when the next block is still the kernel's, and a statistics read
 * every {@link #STATS_INTERVAL_NS}.
 *
 * <p>VLAN tags: the kernel strips the outermost 802.1Q tag into tp_vlan_tci (VLAN offload); the
 * frame is then rebuilt with its tag in a scratch buffer (one copy, only for such frames) so the
 * Dissector sees the frame as it was on the wire, as libpcap does.
 */
final class PacketRing implements AutoCloseable {
    static final long STATS_INTERVAL_NS = 250_000_000L;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int MAC_ADDRESSES_LENGTH = 12;

    private final int fd;
    private final Pointer map;
    private final long mapLength;
    private final UnsafeBuffer ring;
    private final ByteBuf bytes;
    private final ByteBuf scratch;
    private final int blockSize;
    private final int blockCount;
    private final int linkType;
    private final int pollTimeoutMs;
    private final boolean skipOutgoing;
    private final Memory pollFd = new Memory(8);
    private final Memory stats = new Memory(STATS_V3_LENGTH);
    private final Memory statsLength = new Memory(4);
    private final Frame frame = new Frame();
    private int block;
    private long frameNumber;
    private long nextStatsNs;
    private boolean closed;

    private final AtomicCounter packets;
    private final AtomicCounter bytesCaptured;
    private final AtomicCounter filePackets;
    private final AtomicCounter fileBytes;
    private final AtomicCounter blocks;
    private final AtomicCounter polls;
    private final AtomicCounter vlanRestored;
    private final AtomicCounter kernelPackets;
    private final AtomicCounter kernelDrops;
    private final AtomicCounter kernelFreezes;
    private final AtomicCounter losingBlocks;
    private final AtomicCounter badBlock;
    private final AtomicCounter outgoingSkipped;

    private PacketRing(final int fd, final Pointer map, final long mapLength, final LiveCaptureConfig config,
        final int linkType, final boolean skipOutgoing, final Counters counters) {
        this.skipOutgoing = skipOutgoing;
        this.fd = fd;
        this.map = map;
        this.mapLength = mapLength;
        this.blockSize = config.blockSizeBytes();
        this.blockCount = config.blockCount();
        this.linkType = linkType;
        this.pollTimeoutMs = config.pollTimeoutMs();
        final long address = Pointer.nativeValue(map);
        this.ring = new UnsafeBuffer(address, (int) mapLength);
        // JNA makes the direct ByteBuffer over the mapping (JNI NewDirectByteBuffer), so Netty needs
        // no reflective access to wrap it; the ByteBuf never frees it (munmap in close does).
        this.bytes = Unpooled.wrappedBuffer(map.getByteBuffer(0, mapLength));
        this.scratch = Unpooled.directBuffer(blockSize, blockSize);
        pollFd.setInt(0, fd);
        pollFd.setShort(4, (short) (LinuxNative.POLLIN | LinuxNative.POLLERR));
        packets = counters.counter("capture.live.packets");
        bytesCaptured = counters.counter("capture.live.bytes");
        filePackets = counters.counter("capture.packets");
        fileBytes = counters.counter("capture.bytes");
        blocks = counters.counter("capture.live.blocks");
        polls = counters.counter("capture.live.polls");
        vlanRestored = counters.counter("capture.live.vlan_tag_restored");
        kernelPackets = counters.counter("capture.live.kernel.packets");
        kernelDrops = counters.counter("capture.live.kernel.drops");
        kernelFreezes = counters.counter("capture.live.kernel.freeze_queue");
        losingBlocks = counters.counter("capture.live.ring_full_blocks");
        badBlock = counters.counter("capture.live.error.bad_block");
        outgoingSkipped = counters.counter("capture.live.loopback_outgoing_skipped");
        frame.linkType = linkType;
        frame.interfaceId = 0;
    }

    /**
     * Opens the socket on ifIndex, maps its ring, attaches the filter, binds, joins promiscuous
     * mode and, when fanoutThreads > 1, the fanout group. Nothing is left open on failure.
     */
    static PacketRing open(final LiveCaptureConfig config, final int ifIndex, final int linkType,
        final boolean skipOutgoing, final boolean fanout, final Counters counters) throws LiveCaptureException {
        // Protocol 0: the socket receives nothing until bind() names the interface and ETH_P_ALL,
        // so no packet of another interface slips in while the ring is set up.
        final int fd = LinuxNative.socket(LinuxNative.AF_PACKET, LinuxNative.SOCK_RAW, 0);
        if (fd < 0) {
            final int errno = LinuxNative.errno();
            if (errno == LinuxNative.EPERM || errno == LinuxNative.EACCES) {
                throw new LiveCaptureException("live capture needs CAP_NET_RAW (run as root or grant the capability, "
                    + "see docs/capture.md): " + LinuxNative.describe(errno));
            }
            throw new LiveCaptureException("cannot open an AF_PACKET socket: " + LinuxNative.describe(errno));
        }
        Pointer map = null;
        final long mapLength = (long) config.blockSizeBytes() * config.blockCount();
        try {
            setInt(fd, LinuxNative.SOL_PACKET, LinuxNative.PACKET_VERSION, LinuxNative.TPACKET_V3, "PACKET_VERSION");
            final Memory req = new Memory(REQ3_LENGTH);
            req.setInt(0, config.blockSizeBytes());                                   // tp_block_size
            req.setInt(4, config.blockCount());                                       // tp_block_nr
            req.setInt(8, config.frameSizeBytes());                                   // tp_frame_size
            req.setInt(12, (int) (mapLength / config.frameSizeBytes()));              // tp_frame_nr
            req.setInt(16, config.blockTimeoutMs());                                  // tp_retire_blk_tov
            req.setInt(20, 0);                                                        // tp_sizeof_priv
            req.setInt(24, 0);                                                        // tp_feature_req_word
            check(LinuxNative.setsockopt(fd, LinuxNative.SOL_PACKET, LinuxNative.PACKET_RX_RING, req, REQ3_LENGTH),
                "PACKET_RX_RING of " + (mapLength >> 20) + " MiB");
            map = LinuxNative.mmap(null, mapLength, LinuxNative.PROT_READ | LinuxNative.PROT_WRITE,
                LinuxNative.MAP_SHARED, fd, 0);
            if (map == null || Pointer.nativeValue(map) == LinuxNative.MAP_FAILED) {
                map = null;
                throw new LiveCaptureException("cannot map the capture ring of " + (mapLength >> 20) + " MiB: "
                    + LinuxNative.describe(LinuxNative.errno()));
            }
            if (config.filter() != null) {
                final byte[] program = config.filter().toBytes();
                final Memory instructions = new Memory(program.length);
                instructions.write(0, program, 0, program.length);
                final Memory fprog = new Memory(SOCK_FPROG_LENGTH);
                fprog.clear();
                fprog.setShort(0, (short) config.filter().length());
                fprog.setPointer(8, instructions);
                check(LinuxNative.setsockopt(fd, LinuxNative.SOL_SOCKET, LinuxNative.SO_ATTACH_FILTER, fprog,
                    SOCK_FPROG_LENGTH), "SO_ATTACH_FILTER (the kernel refused the BPF program)");
            }
            final Memory sll = new Memory(SOCKADDR_LL_LENGTH);
            sll.clear();
            sll.setShort(0, (short) LinuxNative.AF_PACKET);                           // sll_family
            sll.setShort(2, LinuxNative.htons(LinuxNative.ETH_P_ALL));                // sll_protocol
            sll.setInt(4, ifIndex);                                                   // sll_ifindex
            check(LinuxNative.bind(fd, sll, SOCKADDR_LL_LENGTH), "bind to " + config.interfaceName());
            if (config.promiscuous()) {
                final Memory mreq = new Memory(PACKET_MREQ_LENGTH);
                mreq.clear();
                mreq.setInt(0, ifIndex);                                              // mr_ifindex
                mreq.setShort(4, (short) LinuxNative.PACKET_MR_PROMISC);              // mr_type
                check(LinuxNative.setsockopt(fd, LinuxNative.SOL_PACKET, LinuxNative.PACKET_ADD_MEMBERSHIP, mreq,
                    PACKET_MREQ_LENGTH), "promiscuous mode on " + config.interfaceName());
            }
            if (fanout) {
                // Hash by flow (symmetric: both directions meet), fragments defragmented first.
                final int arg = config.fanoutGroup()
                    | (LinuxNative.PACKET_FANOUT_HASH | LinuxNative.PACKET_FANOUT_FLAG_DEFRAG) << 16;
                setInt(fd, LinuxNative.SOL_PACKET, LinuxNative.PACKET_FANOUT, arg, "PACKET_FANOUT group "
                    + config.fanoutGroup());
            }
            return new PacketRing(fd, map, mapLength, config, linkType, skipOutgoing, counters);
        } catch (final LiveCaptureException | RuntimeException e) {
            if (map != null) {
                LinuxNative.munmap(map, mapLength);
            }
            LinuxNative.close(fd);
            throw e;
        }
    }

    private static void setInt(final int fd, final int level, final int name, final int value, final String what)
        throws LiveCaptureException {
        final Memory m = new Memory(4);
        m.setInt(0, value);
        check(LinuxNative.setsockopt(fd, level, name, m, 4), what);
    }

    private static void check(final int rc, final String what) throws LiveCaptureException {
        if (rc != 0) {
            final int errno = LinuxNative.errno();
            final String hint = errno == LinuxNative.EPERM || errno == LinuxNative.EACCES
                ? " (needs CAP_NET_RAW, see docs/capture.md)" : "";
            throw new LiveCaptureException(what + " failed: " + LinuxNative.describe(errno) + hint);
        }
    }

    /**
     * Delivers every packet of the next block if the kernel has handed it over, then gives the
     * block back; otherwise waits in poll() up to the poll timeout. Returns the packets delivered.
     */
    int readBlock(final FrameSink sink) {
        final long base = (long) block * blockSize;
        final int status = ring.getIntVolatile((int) base + BLOCK_STATUS_OFFSET);
        if ((status & TP_STATUS_USER) == 0) {
            polls.increment();
            LinuxNative.poll(pollFd, 1, pollTimeoutMs);
            maybeReadStatistics();
            return 0;
        }
        if ((status & TP_STATUS_LOSING) != 0) {
            losingBlocks.increment(); // the kernel dropped packets while this block was being filled
        }
        blocks.increment();
        final int count = ring.getInt((int) base + BLOCK_NUM_PACKETS_OFFSET);
        long offset = ring.getInt((int) base + BLOCK_FIRST_PACKET_OFFSET) & 0xFFFF_FFFFL;
        int delivered = 0;
        try {
            for (int i = 0; i < count; i++) {
                if (offset + 64 > blockSize) {
                    badBlock.increment();
                    break;
                }
                final int p = (int) (base + offset);
                final int snap = ring.getInt(p + PACKET_SNAPLEN_OFFSET);
                final int mac = ring.getShort(p + PACKET_MAC_OFFSET) & 0xFFFF;
                if (snap < 0 || offset + mac + snap > blockSize) {
                    badBlock.increment();
                    break;
                }
                if (skipOutgoing && (ring.getByte(p + PACKET_SLL_PKTTYPE_OFFSET) & 0xFF) == PACKET_OUTGOING) {
                    outgoingSkipped.increment();
                } else {
                    deliver(sink, p, mac, snap);
                    delivered++;
                }
                final int next = ring.getInt(p + PACKET_NEXT_OFFSET);
                if (next <= 0) {
                    break;
                }
                offset += next;
            }
        } finally {
            // Hand the block back whatever happened in the sink; volatile write = release.
            ring.putIntVolatile((int) base + BLOCK_STATUS_OFFSET, TP_STATUS_KERNEL);
            block = block + 1 == blockCount ? 0 : block + 1;
        }
        maybeReadStatistics();
        return delivered;
    }

    private void deliver(final FrameSink sink, final int p, final int mac, final int snap) {
        frame.number = ++frameNumber;
        frame.timeNs = (ring.getInt(p + PACKET_SEC_OFFSET) & 0xFFFF_FFFFL) * 1_000_000_000L
            + (ring.getInt(p + PACKET_NSEC_OFFSET) & 0xFFFF_FFFFL);
        frame.originalLength = ring.getInt(p + PACKET_LEN_OFFSET);
        final int packetStatus = ring.getInt(p + PACKET_STATUS_OFFSET);
        if ((packetStatus & TP_STATUS_VLAN_VALID) != 0 && linkType == LinkType.ETHERNET
            && snap >= MAC_ADDRESSES_LENGTH) {
            restoreVlanTag(p, mac, snap, packetStatus);
        } else {
            frame.buffer = bytes;
            frame.offset = p + mac;
            frame.capturedLength = snap;
        }
        packets.increment();
        filePackets.increment();
        bytesCaptured.getAndAdd(frame.capturedLength);
        fileBytes.getAndAdd(frame.capturedLength);
        sink.onFrame(frame);
    }

    private void restoreVlanTag(final int p, final int mac, final int snap, final int packetStatus) {
        final int tpid = (packetStatus & TP_STATUS_VLAN_TPID_VALID) != 0
            ? ring.getShort(p + PACKET_VLAN_TPID_OFFSET) & 0xFFFF : ETHERTYPE_VLAN;
        final int tci = ring.getInt(p + PACKET_VLAN_TCI_OFFSET) & 0xFFFF;
        final int length = Math.min(snap + 4, scratch.capacity());
        scratch.setBytes(0, bytes, p + mac, MAC_ADDRESSES_LENGTH);                 // destination, source MAC
        scratch.setShort(MAC_ADDRESSES_LENGTH, tpid);                              // TPID
        scratch.setShort(MAC_ADDRESSES_LENGTH + 2, tci);                           // PCP, DEI, VLAN id
        scratch.setBytes(MAC_ADDRESSES_LENGTH + 4, bytes, p + mac + MAC_ADDRESSES_LENGTH,
            length - MAC_ADDRESSES_LENGTH - 4);                                    // EtherType and payload
        frame.buffer = scratch;
        frame.offset = 0;
        frame.capturedLength = length;
        frame.originalLength += 4;
        vlanRestored.increment();
    }

    private void maybeReadStatistics() {
        final long now = System.nanoTime();
        if (now - nextStatsNs >= 0) {
            nextStatsNs = now + STATS_INTERVAL_NS;
            readStatistics();
        }
    }

    /** PACKET_STATISTICS: the kernel's counts since the last read (reading resets them), added up. */
    void readStatistics() {
        statsLength.setInt(0, STATS_V3_LENGTH);
        if (LinuxNative.getsockopt(fd, LinuxNative.SOL_PACKET, LinuxNative.PACKET_STATISTICS, stats, statsLength) == 0) {
            kernelPackets.getAndAdd(stats.getInt(0) & 0xFFFF_FFFFL);              // tp_packets
            kernelDrops.getAndAdd(stats.getInt(4) & 0xFFFF_FFFFL);                // tp_drops
            kernelFreezes.getAndAdd(stats.getInt(8) & 0xFFFF_FFFFL);              // tp_freeze_q_cnt
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        readStatistics();
        LinuxNative.munmap(map, mapLength);
        LinuxNative.close(fd);
        scratch.release();
    }
}
