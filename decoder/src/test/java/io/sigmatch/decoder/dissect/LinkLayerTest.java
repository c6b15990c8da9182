package io.sigmatch.decoder.dissect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteOrder;

import io.sigmatch.decoder.capture.LinkType;
import io.sigmatch.decoder.testing.ByteWriter;
import io.sigmatch.decoder.testing.Packets;
import io.sigmatch.decoder.testing.RecordingDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each link-layer header the dissector reads, built field by field, and its malformed forms. */
class LinkLayerTest {
    /** The IPv4/UDP packet every link header here carries: 192.0.2.1:40000 -> 192.0.2.2:2123, 5 bytes. */
    private static final byte[] IP = Packets.ipv4("192.0.2.1", "192.0.2.2", Packets.PROTO_UDP,
        Packets.udp(40_000, 2123, new byte[] {1, 2, 3, 4, 5}));

    private final DissectorHarness h = new DissectorHarness();

    private void assertOnePayload() {
        assertEquals(1, h.decoder.payloads.size());
        final RecordingDecoder.Payload p = h.decoder.payloads.get(0);
        assertEquals(40_000, p.srcPort());
        assertEquals(2123, p.dstPort());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, p.bytes());
        assertEquals(0, h.errors());
    }

    @Test
    void ethernet() {
        h.frame(LinkType.ETHERNET, new ByteWriter()
            .hex("00 1b 21 0a 0b 0c") // destination MAC
            .hex("3c fd fe 01 02 03") // source MAC
            .u16(0x0800) // EtherType IPv4
            .bytes(IP).toByteArray());
        assertOnePayload();
    }

    @Test
    void ethernetWithFrameCheckSequenceAfterTheIpPacket() {
        // The IP total length bounds the packet: the 4 FCS bytes some captures keep are ignored.
        h.frame(LinkType.ETHERNET, new ByteWriter()
            .hex("00 1b 21 0a 0b 0c") // destination MAC
            .hex("3c fd fe 01 02 03") // source MAC
            .u16(0x0800) // EtherType IPv4
            .bytes(IP)
            .hex("de ad be ef") // FCS
            .toByteArray());
        assertOnePayload();
    }

    @Test
    void linuxCookedV1() {
        h.frame(LinkType.LINUX_SLL, new ByteWriter()
            .u16(4) // packet type: sent by us
            .u16(1) // ARPHRD_ETHER
            .u16(6) // address length
            .hex("3c fd fe 01 02 03 00 00") // address, padded to 8 bytes
            .u16(0x0800) // protocol: IPv4
            .bytes(IP).toByteArray());
        assertOnePayload();
    }

    @Test
    void linuxCookedV2() {
        h.frame(LinkType.LINUX_SLL2, new ByteWriter()
            .u16(0x0800) // protocol: IPv4
            .u16(0) // reserved
            .u32(2) // interface index
            .u16(1) // ARPHRD_ETHER
            .u8(0) // packet type: to us
            .u8(6) // address length
            .hex("3c fd fe 01 02 03 00 00") // address, padded to 8 bytes
            .bytes(IP).toByteArray());
        assertOnePayload();
    }

    @Test
    void linuxCookedNetlinkIsNotIp() {
        h.frame(LinkType.LINUX_SLL, new ByteWriter()
            .u16(4) // packet type
            .u16(824) // ARPHRD_NETLINK: the protocol field is a netlink family
            .u16(0) // address length
            .zeros(8) // address
            .u16(0x0800) // protocol 0x0800 here is NOT IPv4
            .bytes(IP).toByteArray());
        assertEquals(0, h.decoder.payloads.size());
        assertEquals(1, h.count("dissect.link.non_ip"));
    }

    @ParameterizedTest
    @ValueSource(ints = {LinkType.RAW, LinkType.RAW_DLT12, LinkType.RAW_DLT14, LinkType.IPV4})
    void rawIpv4(final int linkType) {
        h.frame(linkType, IP); // no link header: the packet starts with the IP version nibble
        assertOnePayload();
    }

    @ParameterizedTest
    @ValueSource(ints = {LinkType.RAW, LinkType.IPV6})
    void rawIpv6(final int linkType) {
        h.frame(linkType, Packets.ipv6("2001:db8::1", "2001:db8::2", Packets.PROTO_UDP,
            Packets.udp(40_000, 2123, new byte[] {1, 2, 3, 4, 5})));
        assertOnePayload();
        assertEquals(6, h.decoder.payloads.get(0).ipVersion());
    }

    @Test
    void bsdLoopbackInEitherByteOrder() {
        h.frame(LinkType.NULL, new ByteWriter(ByteOrder.LITTLE_ENDIAN).u32(2).bytes(IP).toByteArray()); // AF_INET, x86 host
        h.frame(LinkType.NULL, new ByteWriter(ByteOrder.BIG_ENDIAN).u32(2).bytes(IP).toByteArray()); // AF_INET, big-endian host
        h.frame(LinkType.LOOP, new ByteWriter(ByteOrder.BIG_ENDIAN).u32(2).bytes(IP).toByteArray()); // OpenBSD: always big-endian
        assertEquals(3, h.decoder.payloads.size());
        assertEquals(0, h.errors());
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 23, 24, 28, 30})
    void bsdLoopbackIpv6FamilyOfEverySystem(final int family) {
        h.frame(LinkType.NULL, new ByteWriter(ByteOrder.LITTLE_ENDIAN).u32(family) // AF_INET6 as that system numbers it
            .bytes(Packets.ipv6("::1", "::1", Packets.PROTO_UDP, Packets.udp(1, 2, new byte[3]))).toByteArray());
        assertEquals(1, h.decoder.payloads.size());
    }

    @Test
    void bsdLoopbackOtherFamilyIsNotIp() {
        h.frame(LinkType.NULL, new ByteWriter(ByteOrder.LITTLE_ENDIAN).u32(7).bytes(IP).toByteArray());
        assertEquals(1, h.count("dissect.link.non_ip"));
    }

    @Test
    void unknownLinkTypeIsCountedAndSkipped() {
        h.frame(141, IP); // LINKTYPE_MTP3, and this dispatch routes no MTP3 decoder
        h.frame(LinkType.ETHERNET, Packets.ethernet(Packets.ETHERTYPE_IPV4, IP));
        assertEquals(1, h.count("dissect.error.unknown_link_type"));
        assertEquals(1, h.decoder.payloads.size());
    }

    @Test
    void nonIpEtherTypeAndLlcFramesAreCounted() {
        h.frame(LinkType.ETHERNET, Packets.ethernet(0x0806, new byte[28])); // ARP
        h.frame(LinkType.ETHERNET, new ByteWriter()
            .hex("01 80 c2 00 00 00") // destination: STP multicast
            .hex("3c fd fe 01 02 03") // source
            .u16(38) // an 802.3 length, not an EtherType (<= 1500)
            .hex("42 42 03").zeros(35) // LLC + BPDU
            .toByteArray());
        assertEquals(2, h.count("dissect.link.non_ip"));
        assertEquals(0, h.decoder.payloads.size());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 13})
    void truncatedEthernetHeader(final int length) {
        h.frame(LinkType.ETHERNET, java.util.Arrays.copyOf(Packets.ethernet(0x0800, IP), length));
        assertEquals(1, h.count("dissect.link.error.truncated"));
    }

    @Test
    void truncatedCookedAndLoopbackHeaders() {
        h.frame(LinkType.LINUX_SLL, new byte[15]);
        h.frame(LinkType.LINUX_SLL2, new byte[19]);
        h.frame(LinkType.NULL, new byte[3]);
        h.frame(LinkType.RAW, new byte[0]);
        assertEquals(4, h.count("dissect.link.error.truncated"));
    }

    @Test
    void rawPacketWithNeitherVersion() {
        h.frame(LinkType.RAW, new byte[] {0x50, 0, 0, 0});
        assertEquals(1, h.count("dissect.ip.error.bad_version"));
    }
}
