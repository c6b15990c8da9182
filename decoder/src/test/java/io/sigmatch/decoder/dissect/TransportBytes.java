package io.sigmatch.decoder.dissect;

import io.sigmatch.decoder.testing.ByteWriter;
import io.sigmatch.decoder.testing.Packets;

/** TCP segments, SCTP packets and chunks, and the Diameter/SIP messages the transport tests carry. */
final class TransportBytes {
    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int PSH = 0x08;
    static final int ACK = 0x10;

    private TransportBytes() {
    }

    /** A TCP segment with a 20-byte header (no options). */
    static byte[] tcp(final int srcPort, final int dstPort, final long seq, final long ack, final int flags,
        final byte[] payload) {
        return new ByteWriter()
            .u16(srcPort) // source port
            .u16(dstPort) // destination port
            .u32(seq & 0xFFFFFFFFL) // sequence number
            .u32(ack & 0xFFFFFFFFL) // acknowledgment number
            .u8(5 << 4) // data offset 5 words, reserved 0
            .u8(flags) // CWR ECE URG ACK PSH RST SYN FIN
            .u16(65_535) // window
            .u16(0) // checksum (not verified, as in Wireshark's default)
            .u16(0) // urgent pointer
            .bytes(payload).toByteArray();
    }

    /** TCP over IPv4 over Ethernet, the frame tshark reads. */
    static byte[] tcpFrame(final String src, final String dst, final byte[] segment) {
        return Packets.ethernet(Packets.ETHERTYPE_IPV4, Packets.ipv4(src, dst, Packets.PROTO_TCP, segment));
    }

    /** An SCTP packet: common header then the chunks (each already padded). */
    static byte[] sctp(final int srcPort, final int dstPort, final long verificationTag, final byte[]... chunks) {
        final ByteWriter w = new ByteWriter()
            .u16(srcPort) // source port
            .u16(dstPort) // destination port
            .u32(verificationTag) // verification tag (the receiver's)
            .u32(0); // CRC32c checksum (not verified)
        for (final byte[] c : chunks) {
            w.bytes(c);
        }
        return w.toByteArray();
    }

    static byte[] sctpFrame(final String src, final String dst, final byte[] packet) {
        return Packets.ethernet(Packets.ETHERTYPE_IPV4, Packets.ipv4(src, dst, Packets.PROTO_SCTP, packet));
    }

    /** A DATA chunk (RFC 9260 3.3.1) padded to 4 bytes; flags: U 4, B 2, E 1. */
    static byte[] data(final int flags, final long tsn, final int stream, final int ssn, final long ppid,
        final byte[] userData) {
        final ByteWriter w = new ByteWriter()
            .u8(0) // type DATA
            .u8(flags) // reserved, I, U, B, E
            .u16(16 + userData.length) // length without padding
            .u32(tsn) // TSN
            .u16(stream) // stream identifier
            .u16(ssn) // stream sequence number
            .u32(ppid) // payload protocol identifier
            .bytes(userData);
        return w.zeros((4 - userData.length % 4) % 4).toByteArray(); // padding, not in the length
    }

    /** An I-DATA chunk (RFC 8260 2.1): the B fragment carries the PPID, the others their FSN. */
    static byte[] idata(final int flags, final long tsn, final int stream, final long mid, final long ppidOrFsn,
        final byte[] userData) {
        final ByteWriter w = new ByteWriter()
            .u8(64) // type I-DATA
            .u8(flags) // reserved, I, U, B, E
            .u16(20 + userData.length) // length without padding
            .u32(tsn) // TSN
            .u16(stream) // stream identifier
            .u16(0) // reserved
            .u32(mid) // message identifier
            .u32(ppidOrFsn) // PPID (B set) or fragment sequence number
            .bytes(userData);
        return w.zeros((4 - userData.length % 4) % 4).toByteArray();
    }

    /** Any other chunk: type, flags and a value of n zero bytes, padded. */
    static byte[] chunk(final int type, final int valueLength) {
        return new ByteWriter()
            .u8(type) // chunk type
            .u8(0) // flags
            .u16(4 + valueLength) // length
            .zeros((valueLength + 3) & ~3).toByteArray(); // value and padding
    }

    /**
     * A Diameter message (RFC 6733 3) of totalLength bytes (a multiple of 4, at least 20): version 1,
     * the command code, and AVP-free filler whose bytes identify it.
     */
    static byte[] diameter(final int commandCode, final boolean request, final int totalLength, final int seed) {
        final ByteWriter w = new ByteWriter()
            .u8(1) // version
            .u8(totalLength >>> 16).u16(totalLength & 0xFFFF) // message length (24 bits), header included
            .u8(request ? 0x80 : 0) // flags: R
            .u8(commandCode >>> 16).u16(commandCode & 0xFFFF) // command code (24 bits)
            .u32(0) // application id: Diameter common messages
            .u32(0x1000 + seed) // hop-by-hop id
            .u32(0x2000 + seed); // end-to-end id
        // The body: Origin-Host AVPs (RFC 6733 6.3, code 264, flag M) of ASCII letters, as many as fill it.
        int remaining = totalLength - 20;
        int n = 0;
        while (remaining > 0) {
            int avp = remaining <= 64 ? remaining : 12 + 4 * ((seed + n) % 12);
            if (remaining - avp < 12 && remaining - avp != 0) {
                avp = remaining;
            }
            w.u32(264) // AVP code: Origin-Host
                .u8(0x40) // flags: M
                .u8(0).u16(avp); // AVP length (24 bits), header included
            for (int i = 8; i < avp; i++) {
                w.u8('a' + (seed + n + i) % 26); // data, a multiple of 4 long: no padding
            }
            remaining -= avp;
            n++;
        }
        return w.toByteArray();
    }

    /** A SIP request with a body of bodyLength bytes and its Content-Length (RFC 3261 7, 20.14). */
    static byte[] sip(final String method, final int bodyLength) {
        final String body = "v=0\r\n" + "x".repeat(Math.max(0, bodyLength - 5));
        final String b = body.substring(0, bodyLength);
        final String text = method + " sip:bob@example.com SIP/2.0\r\n"
            + "Via: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK-" + method.length() + "\r\n"
            + "Call-ID: abc@10.0.0.1\r\n"
            + "CSeq: 1 " + method + "\r\n"
            + "Content-Length: " + bodyLength + "\r\n"
            + "\r\n" + b;
        return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
