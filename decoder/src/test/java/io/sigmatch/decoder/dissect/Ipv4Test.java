package io.sigmatch.decoder.dissect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sigmatch.decoder.capture.LinkType;
import io.sigmatch.decoder.testing.ByteWriter;
import io.sigmatch.decoder.testing.Packets;
import io.sigmatch.decoder.testing.RecordingDecoder;
import org.junit.jupiter.api.Test;

/** The IPv4 header (RFC 791 3.1) as the dissector reads it, and each way it can be wrong. */
class Ipv4Test {
    private final DissectorHarness h = new DissectorHarness();
    private static final byte[] UDP = Packets.udp(2123, 2123, new byte[] {7, 7, 7});

    /** A header with the given version/IHL byte, total length and options, followed by UDP. */
    private static byte[] header(final int versionIhl, final int totalLength, final byte[] options) {
        return new ByteWriter()
            .u8(versionIhl) // version and IHL (32-bit words)
            .u8(0) // DSCP / ECN
            .u16(totalLength) // total length, header included
            .u16(0xBEEF) // identification
            .u16(0x4000) // flags: DF; fragment offset 0
            .u8(64) // TTL
            .u8(17) // protocol: UDP
            .u16(0) // header checksum: not verified (offloading makes it wrong in many captures)
            .hex("0a 01 02 03") // source 10.1.2.3
            .hex("c0 a8 00 fe") // destination 192.168.0.254
            .bytes(options)
            .toByteArray();
    }

    @Test
    void addressesAndPayload() {
        h.frame(LinkType.RAW, Packets.concat(header(0x45, 20 + UDP.length, new byte[0]), UDP));
        final RecordingDecoder.Payload p = h.decoder.payloads.get(0);
        assertEquals(4, p.ipVersion());
        assertEquals(0, p.srcHi());
        assertEquals(0x0A010203L, p.srcLo());
        assertEquals(0, p.dstHi());
        assertEquals(0xC0A800FEL, p.dstLo());
        assertArrayEquals(new byte[] {7, 7, 7}, p.bytes());
        assertEquals(1, h.count("dissect.ipv4.packets"));
    }

    @Test
    void optionsAreSkippedByTheHeaderLength() {
        final byte[] options = new ByteWriter()
            .hex("07 07 04 00 00 00 00") // record route, 1 slot
            .u8(0) // end of options list
            .toByteArray();
        h.frame(LinkType.RAW, Packets.concat(header(0x47, 28 + UDP.length, options), UDP));
        assertArrayEquals(new byte[] {7, 7, 7}, h.decoder.payloads.get(0).bytes());
    }

    @Test
    void bytesAfterTheTotalLengthAreIgnored() {
        h.frame(LinkType.RAW, Packets.concat(header(0x45, 20 + UDP.length, new byte[0]), UDP, new byte[10]));
        assertEquals(1, h.decoder.payloads.size());
        assertEquals(0, h.errors());
    }

    @Test
    void totalLengthBeyondTheCapturedBytes() {
        // Snap length cut the packet, or the length lies: nothing past the capture is read.
        h.frame(LinkType.RAW, Packets.concat(header(0x45, 20 + UDP.length + 1, new byte[0]), UDP));
        assertEquals(0, h.decoder.payloads.size());
        assertEquals(1, h.count("dissect.ipv4.error.truncated"));
    }

    @Test
    void zeroTotalLengthFromSegmentationOffloadMeansTheCapturedLength() {
        // tshark 4.0 reads such a packet the same way ("maybe caused by TSO").
        h.frame(LinkType.RAW, Packets.concat(header(0x45, 0, new byte[0]), UDP));
        assertArrayEquals(new byte[] {7, 7, 7}, h.decoder.payloads.get(0).bytes());
        assertEquals(1, h.count("dissect.ipv4.zero_total_length"));
        assertEquals(0, h.errors());
    }

    @Test
    void totalLengthShorterThanTheHeader() {
        h.frame(LinkType.RAW, Packets.concat(header(0x46, 20, new byte[4]), UDP)); // IHL 24 > total 20
        assertEquals(1, h.count("dissect.ipv4.error.bad_total_length"));
    }

    @Test
    void headerLengthBelowFiveWords() {
        h.frame(LinkType.RAW, Packets.concat(header(0x44, 20 + UDP.length, new byte[0]), UDP));
        assertEquals(1, h.count("dissect.ipv4.error.bad_header_length"));
    }

    @Test
    void headerLengthBeyondTheCapture() {
        h.frame(LinkType.RAW, header(0x4F, 60, new byte[0])); // IHL 60 bytes, 20 captured
        assertEquals(1, h.count("dissect.ipv4.error.truncated"));
    }

    @Test
    void headerShorterThanTwentyBytes() {
        h.frame(LinkType.IPV4, java.util.Arrays.copyOf(header(0x45, 28, new byte[0]), 19));
        assertEquals(1, h.count("dissect.ipv4.error.truncated"));
    }

    @Test
    void ipv6VersionBehindAnIpv4EtherType() {
        h.frame(LinkType.ETHERNET, Packets.ethernet(0x0800, Packets.concat(header(0x65, 28, new byte[0]), new byte[8])));
        assertEquals(1, h.count("dissect.ip.error.bad_version"));
    }

    @Test
    void transportsOtherThanUdp() {
        h.frame(LinkType.RAW, Packets.ipv4("10.0.0.1", "10.0.0.2", Packets.PROTO_TCP, new byte[20]));
        h.frame(LinkType.RAW, Packets.ipv4("10.0.0.1", "10.0.0.2", Packets.PROTO_SCTP, new byte[12]));
        h.frame(LinkType.RAW, Packets.ipv4("10.0.0.1", "10.0.0.2", 1, new byte[8])); // ICMP
        h.frame(LinkType.RAW, Packets.ipv4("10.0.0.1", "10.0.0.2", 50, new byte[8])); // ESP
        h.frame(LinkType.RAW, Packets.ipv4("10.0.0.1", "10.0.0.2", 47, new byte[4])); // GRE, protocol type 0
        assertEquals(1, h.count("dissect.skipped.tcp"));
        assertEquals(1, h.count("dissect.skipped.sctp"));
        assertEquals(2, h.count("dissect.ip.other_protocol"));
        assertEquals(1, h.count("dissect.tunnel.gre.unsupported_protocol")); // opened (TunnelTest), nothing inside
        assertEquals(0, h.decoder.payloads.size());
    }
}
