package io.sigmatch.tools.generate;

/**
 * Ethernet II, 802.1Q / 802.1ad (QinQ) tags, IPv4 with fragmentation, UDP and SCTP framing for the
 * generator, written from the texts (IEEE 802.3 / 802.1Q, RFC 791, RFC 768, RFC 9260) so that it
 * shares nothing with the decoder's dissector.
 *
 * <pre>
 * Ethernet: dst MAC(6) src MAC(6) [0x88A8 TCI(2)] [0x8100 TCI(2)] EtherType 0x0800(2)
 * IPv4:     0x45 | DSCP/ECN | total length | identification | flags(MF=0x2000)+fragment offset/8 | TTL 64
 *           | protocol | header checksum | source | destination
 * UDP:      source port | destination port | length | checksum (over the IPv4 pseudo-header)
 * </pre>
 */
final class LinkFraming {
    static final int PROTO_UDP = 17;
    static final int PROTO_SCTP = 132;
    private static final int ETHERNET_HEADER = 14;
    private static final int IPV4_HEADER = 20;

    /** One network element's interface: its MAC, address and the tags its link to the probe carries. */
    record Endpoint(String name, long mac, int ipv4, int outerVlan, int innerVlan, int mtu) {
    }

    /** Receives the frames of one datagram (more than one when it was fragmented). */
    interface FrameSink {
        void frame(byte[] frame, int length, int fragmentIndex);
    }

    private final WireBuffer transport = new WireBuffer(2048);
    private final WireBuffer frame = new WireBuffer(2048);
    private int identification;

    /** A UDP datagram from src to dst; fragmented when larger than the sender's link MTU (RFC 791 2.3). */
    void udp(final Endpoint src, final Endpoint dst, final int srcPort, final int dstPort, final byte[] payload,
        final int payloadLength, final FrameSink sink) {
        transport.clear();
        final int udpLength = 8 + payloadLength;
        transport.u16(srcPort).u16(dstPort).u16(udpLength).u16(0).bytes(payload, 0, payloadLength);
        int sum = pseudoHeaderSum(src.ipv4(), dst.ipv4(), PROTO_UDP, udpLength) + onesSum(transport.array(), 0, udpLength);
        int checksum = ~fold(sum) & 0xFFFF;
        if (checksum == 0) {
            checksum = 0xFFFF; // RFC 768: a computed zero is sent as all ones
        }
        transport.set16(6, checksum);
        ipv4(src, dst, PROTO_UDP, transport.array(), transport.length(), sink);
    }

    /**
     * One SCTP packet (RFC 9260 3) carrying one DATA chunk (type 0, flags B|E, unordered 0):
     * common header src port | dst port | verification tag | CRC32c; DATA: type | flags | length | TSN
     * | stream id | stream seq | PPID | user data, padded to 4.
     */
    void sctpData(final Endpoint src, final Endpoint dst, final int srcPort, final int dstPort, final long vtag,
        final long tsn, final int stream, final int streamSeq, final int ppid, final byte[] data, final int dataLength,
        final FrameSink sink) {
        transport.clear();
        transport.u16(srcPort).u16(dstPort).u32(vtag).u32(0);
        final int chunkLength = 16 + dataLength;
        transport.u8(0).u8(0x03).u16(chunkLength).u32(tsn).u16(stream).u16(streamSeq).u32(ppid)
            .bytes(data, 0, dataLength).zeros(((chunkLength + 3) & ~3) - chunkLength);
        transport.set32(8, Crc32c.reverseBytes(Crc32c.of(transport.array(), 0, transport.length())));
        ipv4(src, dst, PROTO_SCTP, transport.array(), transport.length(), sink);
    }

    /** An SCTP packet with a SACK chunk (type 3) acknowledging cumulative TSN, for the peer's side. */
    void sctpSack(final Endpoint src, final Endpoint dst, final int srcPort, final int dstPort, final long vtag,
        final long cumulativeTsn, final FrameSink sink) {
        transport.clear();
        transport.u16(srcPort).u16(dstPort).u32(vtag).u32(0);
        transport.u8(3).u8(0).u16(16).u32(cumulativeTsn).u32(65536).u16(0).u16(0);
        transport.set32(8, Crc32c.reverseBytes(Crc32c.of(transport.array(), 0, transport.length())));
        ipv4(src, dst, PROTO_SCTP, transport.array(), transport.length(), sink);
    }

    private void ipv4(final Endpoint src, final Endpoint dst, final int protocol, final byte[] data, final int length,
        final FrameSink sink) {
        final int id = identification = (identification + 1) & 0xFFFF;
        // RFC 791: every fragment but the last carries a multiple of 8 octets
        final int maxData = ((src.mtu() - IPV4_HEADER) / 8) * 8;
        int offset = 0;
        int index = 0;
        do {
            final int chunk = Math.min(maxData, length - offset);
            final boolean more = offset + chunk < length;
            frame.clear();
            frame.u16((int) (dst.mac() >>> 32)).u32(dst.mac() & 0xFFFFFFFFL);
            frame.u16((int) (src.mac() >>> 32)).u32(src.mac() & 0xFFFFFFFFL);
            if (src.outerVlan() > 0) {
                frame.u16(0x88A8).u16(src.outerVlan());
            }
            if (src.innerVlan() > 0) {
                frame.u16(0x8100).u16(src.innerVlan());
            }
            frame.u16(0x0800);
            final int ip = frame.length();
            frame.u8(0x45).u8(0x68) // DSCP AF31 (26): a common marking for signaling
                .u16(IPV4_HEADER + chunk).u16(id).u16((more ? 0x2000 : 0) | (offset / 8)).u8(64).u8(protocol).u16(0)
                .u32(src.ipv4() & 0xFFFFFFFFL).u32(dst.ipv4() & 0xFFFFFFFFL);
            frame.set16(ip + 10, ~fold(onesSum(frame.array(), ip, IPV4_HEADER)) & 0xFFFF);
            frame.bytes(data, offset, chunk);
            sink.frame(frame.array(), frame.length(), index++);
            offset += chunk;
        } while (offset < length);
    }

    private static int pseudoHeaderSum(final int src, final int dst, final int protocol, final int length) {
        return (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + protocol + length;
    }

    private static int onesSum(final byte[] b, final int from, final int length) {
        int sum = 0;
        int i = from;
        final int end = from + length;
        for (; i + 1 < end; i += 2) {
            sum += (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
        }
        if (i < end) {
            sum += (b[i] & 0xFF) << 8;
        }
        return sum;
    }

    private static int fold(int sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return sum;
    }

    /** CRC32c (Castagnoli, RFC 9260 Appendix A), the SCTP checksum. */
    static final class Crc32c {
        private static final int[] TABLE = new int[256];

        static {
            for (int n = 0; n < 256; n++) {
                int c = n;
                for (int k = 0; k < 8; k++) {
                    c = (c & 1) != 0 ? (c >>> 1) ^ 0x82F63B78 : c >>> 1;
                }
                TABLE[n] = c;
            }
        }

        private Crc32c() {
        }

        static int of(final byte[] b, final int from, final int length) {
            int crc = 0xFFFFFFFF;
            for (int i = from; i < from + length; i++) {
                crc = TABLE[(crc ^ b[i]) & 0xFF] ^ (crc >>> 8);
            }
            return ~crc;
        }

        /** RFC 9260 Appendix A: the CRC is placed least significant byte first. */
        static long reverseBytes(final int crc) {
            return Integer.reverseBytes(crc) & 0xFFFFFFFFL;
        }
    }
}
