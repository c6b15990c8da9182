package io.sigmatch.decoder.testing;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Builds link, IP and UDP headers for test frames. Each field is commented once here; tests that
 * check one layer field by field build that layer with {@link ByteWriter} themselves.
 */
public final class Packets {
    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    public static final int PROTO_SCTP = 132;

    private Packets() {
    }

    /** Ethernet II with fixed locally administered MACs, optionally VLAN-tagged (outermost tag first). */
    public static byte[] ethernet(final int etherType, final byte[] payload, final int... tpidVidPairs) {
        final ByteWriter w = new ByteWriter();
        w.hex("02 00 00 00 00 02"); // destination MAC
        w.hex("02 00 00 00 00 01"); // source MAC
        for (int i = 0; i + 1 < tpidVidPairs.length; i += 2) {
            w.u16(tpidVidPairs[i]); // TPID (0x8100 / 0x88a8 / 0x9100)
            w.u16(tpidVidPairs[i + 1] & 0x0FFF); // PCP 0, DEI 0, VLAN id
        }
        w.u16(etherType); // EtherType of the payload
        return w.bytes(payload).toByteArray();
    }

    /** Linux cooked v1 header (LINKTYPE_LINUX_SLL) before payload. */
    public static byte[] sll(final int protocol, final byte[] payload) {
        return new ByteWriter()
            .u16(0) // packet type: to us
            .u16(1) // ARPHRD_ETHER
            .u16(6) // link-layer address length
            .hex("02 00 00 00 00 01 00 00") // address, padded to 8
            .u16(protocol) // protocol (EtherType)
            .bytes(payload).toByteArray();
    }

    /** Linux cooked v2 header (LINKTYPE_LINUX_SLL2) before payload. */
    public static byte[] sll2(final int protocol, final byte[] payload) {
        return new ByteWriter()
            .u16(protocol) // protocol (EtherType)
            .u16(0) // reserved
            .u32(3) // interface index
            .u16(1) // ARPHRD_ETHER
            .u8(4) // packet type: outgoing
            .u8(6) // link-layer address length
            .hex("02 00 00 00 00 01 00 00") // address, padded to 8
            .bytes(payload).toByteArray();
    }

    /** An unfragmented IPv4 packet. */
    public static byte[] ipv4(final String src, final String dst, final int protocol, final byte[] payload) {
        return ipv4(src, dst, protocol, 0x1234, false, 0, payload);
    }

    /** An IPv4 packet or fragment: fragmentOffsetBytes must be a multiple of 8. */
    public static byte[] ipv4(final String src, final String dst, final int protocol, final int id,
        final boolean more, final int fragmentOffsetBytes, final byte[] payload) {
        final ByteWriter w = new ByteWriter();
        w.u8(0x45); // version 4, IHL 5 words
        w.u8(0); // DSCP/ECN
        w.u16(20 + payload.length); // total length
        w.u16(id); // identification
        w.u16((more ? 0x2000 : 0) | (fragmentOffsetBytes >>> 3)); // flags (MF) and fragment offset in 8-byte units
        w.u8(64); // TTL
        w.u8(protocol); // protocol
        final byte[] header = w.u16(0) // checksum, filled below
            .bytes(address(src, 4)) // source address
            .bytes(address(dst, 4)) // destination address
            .toByteArray();
        final int sum = checksum(header);
        header[10] = (byte) (sum >>> 8);
        header[11] = (byte) sum;
        return concat(header, payload);
    }

    /** An IPv6 header before payload (payload may begin with extension headers). */
    public static byte[] ipv6(final String src, final String dst, final int nextHeader, final byte[] payload) {
        return new ByteWriter()
            .u32(0x6000_0000L) // version 6, traffic class 0, flow label 0
            .u16(payload.length) // payload length
            .u8(nextHeader) // next header
            .u8(64) // hop limit
            .bytes(address(src, 16)) // source address
            .bytes(address(dst, 16)) // destination address
            .bytes(payload).toByteArray();
    }

    /** An IPv6 fragment header (RFC 8200 4.5) and the fragment's data. */
    public static byte[] ipv6Fragment(final int nextHeader, final int fragmentOffsetBytes, final boolean more,
        final long id, final byte[] data) {
        return new ByteWriter()
            .u8(nextHeader) // next header of the fragmentable part
            .u8(0) // reserved
            .u16(fragmentOffsetBytes | (more ? 1 : 0)) // offset (8-byte units, already shifted), res, M
            .u32(id) // identification
            .bytes(data).toByteArray();
    }

    /** A generic IPv6 extension header (hop-by-hop, routing, destination options) padded to 8n bytes. */
    public static byte[] ipv6Extension(final int nextHeader, final byte[] rest) {
        final int total = (2 + rest.length + 7) & ~7;
        final ByteWriter w = new ByteWriter()
            .u8(nextHeader) // next header
            .u8(total / 8 - 1) // header extension length: 8-octet units not counting the first
            .bytes(rest);
        return w.zeros(total - 2 - rest.length).toByteArray(); // PadN-free zero padding (Pad1 options)
    }

    public static byte[] udp(final int srcPort, final int dstPort, final byte[] payload) {
        return new ByteWriter()
            .u16(srcPort) // source port
            .u16(dstPort) // destination port
            .u16(8 + payload.length) // length: header and data
            .u16(0) // checksum: none (allowed for IPv4, ignored by the dissector)
            .bytes(payload).toByteArray();
    }

    /** A payload of n bytes whose content identifies it: byte i = seed + i. */
    public static byte[] payload(final int n, final int seed) {
        final byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + i);
        }
        return b;
    }

    public static byte[] slice(final byte[] b, final int from, final int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }

    public static byte[] concat(final byte[]... parts) {
        int n = 0;
        for (final byte[] p : parts) {
            n += p.length;
        }
        final byte[] out = new byte[n];
        int at = 0;
        for (final byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static byte[] address(final String literal, final int length) {
        try {
            final byte[] a = InetAddress.getByName(literal).getAddress();
            if (a.length != length) {
                throw new IllegalArgumentException("not an IPv" + (length == 4 ? 4 : 6) + " literal: " + literal);
            }
            return a;
        } catch (final UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    private static int checksum(final byte[] header) {
        long sum = 0;
        for (int i = 0; i < header.length; i += 2) {
            sum += ((header[i] & 0xFF) << 8) | (header[i + 1] & 0xFF);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }
}
