package io.sigmatch.decoder.dissect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sigmatch.decoder.capture.LinkType;
import io.sigmatch.decoder.testing.ByteWriter;
import io.sigmatch.decoder.testing.Packets;
import io.sigmatch.decoder.testing.RecordingDecoder;
import org.junit.jupiter.api.Test;

/** The IPv6 header and extension-header chain (RFC 8200 3, 4; RFC 4302 for AH). */
class Ipv6Test {
    private static final byte[] UDP = Packets.udp(3868, 2123, new byte[] {1, 2});

    private final DissectorHarness h = new DissectorHarness();

    private static byte[] ipv6(final int nextHeader, final byte[] payload) {
        return new ByteWriter()
            .u32(0x6000_0000L) // version 6, traffic class 0, flow label 0
            .u16(payload.length) // payload length: everything after this 40-byte header
            .u8(nextHeader) // next header
            .u8(255) // hop limit
            .hex("20010db8 00000000 00000000 00000001") // source 2001:db8::1
            .hex("20010db8 00000000 00000000 000000ff") // destination 2001:db8::ff
            .bytes(payload).toByteArray();
    }

    @Test
    void addressesAndPayload() {
        h.frame(LinkType.RAW, ipv6(17, UDP));
        final RecordingDecoder.Payload p = h.decoder.payloads.get(0);
        assertEquals(6, p.ipVersion());
        assertEquals(0x20010DB800000000L, p.srcHi());
        assertEquals(1, p.srcLo());
        assertEquals(0x20010DB800000000L, p.dstHi());
        assertEquals(0xFF, p.dstLo());
        assertArrayEquals(new byte[] {1, 2}, p.bytes());
    }

    @Test
    void everyExtensionHeaderKind() {
        final byte[] chain = new ByteWriter()
            .u8(43).u8(0).hex("01 04 00 00 00 00") // hop-by-hop: next routing, 8 bytes, PadN
            .u8(51).u8(0).hex("00 00 00 00 00 00") // routing type 0, segments left 0: next AH
            .u8(60).u8(4).hex("0000 00000001 00000001") // AH: (4+2)*4 = 24 bytes: reserved, SPI, sequence
            .zeros(12) // AH: integrity check value (96 bits)
            .u8(17).u8(1).hex("01 0c").zeros(12) // destination options: (1+1)*8 = 16 bytes, PadN(12): next UDP
            .bytes(UDP).toByteArray();
        h.frame(LinkType.RAW, ipv6(0, chain));
        assertEquals(1, h.decoder.payloads.size());
        assertArrayEquals(new byte[] {1, 2}, h.decoder.payloads.get(0).bytes());
        assertEquals(0, h.errors());
    }

    @Test
    void chainLongerThanTheLimit() {
        final ByteWriter w = new ByteWriter();
        for (int i = 0; i < 9; i++) {
            w.u8(60).u8(0).hex("01 04 00 00 00 00"); // destination options pointing at another one
        }
        h.frame(LinkType.RAW, ipv6(60, w.bytes(UDP).toByteArray()));
        assertEquals(1, h.count("dissect.ipv6.error.too_many_extension_headers"));
        assertEquals(0, h.decoder.payloads.size());
    }

    @Test
    void extensionHeaderLongerThanThePayload() {
        h.frame(LinkType.RAW, ipv6(0, new ByteWriter()
            .u8(17).u8(5) // hop-by-hop claiming 48 bytes
            .zeros(14).toByteArray()));
        assertEquals(1, h.count("dissect.ipv6.error.truncated"));
    }

    @Test
    void extensionHeaderCutBeforeItsLengthField() {
        h.frame(LinkType.RAW, ipv6(0, new byte[] {17, 0, 1, 4})); // 4 of the 8 bytes
        assertEquals(1, h.count("dissect.ipv6.error.truncated"));
    }

    @Test
    void payloadLengthBeyondTheCapture() {
        final byte[] p = ipv6(17, UDP);
        h.frame(LinkType.RAW, java.util.Arrays.copyOf(p, p.length - 1));
        assertEquals(1, h.count("dissect.ipv6.error.truncated"));
    }

    @Test
    void headerCutShort() {
        h.frame(LinkType.IPV6, java.util.Arrays.copyOf(ipv6(17, UDP), 39));
        assertEquals(1, h.count("dissect.ipv6.error.truncated"));
    }

    @Test
    void zeroPayloadLength() {
        final byte[] p = ipv6(17, UDP);
        p[4] = 0; // payload length 0: a jumbogram or an offloaded capture
        p[5] = 0;
        h.frame(LinkType.RAW, p);
        assertEquals(1, h.count("dissect.ipv6.error.bad_payload_length"));
    }

    @Test
    void noNextHeader() {
        h.frame(LinkType.RAW, ipv6(59, new byte[8])); // bytes after "no next header" are ignored
        assertEquals(1, h.count("dissect.ipv6.no_next_header"));
        assertEquals(0, h.errors());
    }

    @Test
    void atomicFragmentIsAWholeDatagram() {
        // RFC 6946: offset 0 and M = 0 -- no reassembly, the payload follows directly.
        h.frame(LinkType.RAW, ipv6(44, Packets.ipv6Fragment(17, 0, false, 77, UDP)));
        assertEquals(1, h.decoder.payloads.size());
        assertEquals(0, h.count("dissect.frag.fragments"));
    }

    @Test
    void ipv4VersionBehindAnIpv6EtherType() {
        h.frame(LinkType.ETHERNET, Packets.ethernet(0x86DD, Packets.ipv4("1.1.1.1", "2.2.2.2", 17, new byte[40])));
        assertEquals(1, h.count("dissect.ip.error.bad_version"));
    }

    @Test
    void tcpAndSctpOverIpv6AreCounted() {
        h.frame(LinkType.RAW, ipv6(6, new byte[20]));
        h.frame(LinkType.RAW, ipv6(132, new byte[12]));
        h.frame(LinkType.RAW, ipv6(58, new byte[8])); // ICMPv6
        assertEquals(1, h.count("dissect.skipped.tcp"));
        assertEquals(1, h.count("dissect.skipped.sctp"));
        assertEquals(1, h.count("dissect.ip.other_protocol"));
    }
}
