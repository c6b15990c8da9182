package io.sigmatch.decoder.dissect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sigmatch.decoder.capture.LinkType;
import io.sigmatch.decoder.testing.ByteWriter;
import io.sigmatch.decoder.testing.Packets;
import org.junit.jupiter.api.Test;

/** IEEE 802.1Q tags and their stacks (802.1ad QinQ, the 0x9100 pre-standard outer tag). */
class VlanTest {
    private static final byte[] IP = Packets.ipv4("192.0.2.1", "192.0.2.2", Packets.PROTO_UDP,
        Packets.udp(40_000, 2123, new byte[] {9}));

    @Test
    void singleTag() {
        final DissectorHarness h = new DissectorHarness();
        h.frame(LinkType.ETHERNET, new ByteWriter()
            .hex("00 1b 21 0a 0b 0c") // destination MAC
            .hex("3c fd fe 01 02 03") // source MAC
            .u16(0x8100) // TPID: 802.1Q
            .u16(0x2000 | 100) // PCP 1, DEI 0, VLAN 100
            .u16(0x0800) // EtherType IPv4
            .bytes(IP).toByteArray());
        assertEquals(1, h.decoder.payloads.size());
        assertEquals(1, h.count("dissect.vlan.tagged"));
    }

    @Test
    void qinqWithEveryOuterTpid() {
        final DissectorHarness h = new DissectorHarness();
        for (final int outer : new int[] {0x88A8, 0x9100, 0x8100}) {
            h.frame(LinkType.ETHERNET, new ByteWriter()
                .hex("00 1b 21 0a 0b 0c") // destination MAC
                .hex("3c fd fe 01 02 03") // source MAC
                .u16(outer) // outer TPID (service tag)
                .u16(200) // outer VLAN 200
                .u16(0x8100) // inner TPID (customer tag)
                .u16(100) // inner VLAN 100
                .u16(0x0800) // EtherType IPv4
                .bytes(IP).toByteArray());
        }
        assertEquals(3, h.decoder.payloads.size());
        assertEquals(0, h.errors());
    }

    @Test
    void stackUpToTheLimitIsRead() {
        final DissectorHarness h = new DissectorHarness(new DissectorConfig().maxVlanDepth(3));
        h.frame(LinkType.ETHERNET, Packets.ethernet(0x0800, IP, 0x88A8, 1, 0x8100, 2, 0x8100, 3));
        assertEquals(1, h.decoder.payloads.size());
    }

    @Test
    void stackDeeperThanTheLimitIsDropped() {
        final DissectorHarness h = new DissectorHarness(new DissectorConfig().maxVlanDepth(3));
        h.frame(LinkType.ETHERNET, Packets.ethernet(0x0800, IP, 0x88A8, 1, 0x8100, 2, 0x8100, 3, 0x8100, 4));
        assertEquals(0, h.decoder.payloads.size());
        assertEquals(1, h.count("dissect.vlan.error.too_deep"));
    }

    @Test
    void endlessTagsStopAtTheLimit() {
        // A frame made of nothing but 0x8100 tags must cost at most maxVlanDepth steps.
        final ByteWriter w = new ByteWriter().zeros(12);
        for (int i = 0; i < 300; i++) {
            w.u16(0x8100); // every "EtherType" is another tag
        }
        final DissectorHarness h = new DissectorHarness();
        h.frame(LinkType.ETHERNET, w.toByteArray());
        assertEquals(1, h.count("dissect.vlan.error.too_deep"));
    }

    @Test
    void tagCutShort() {
        final DissectorHarness h = new DissectorHarness();
        h.frame(LinkType.ETHERNET, new ByteWriter()
            .zeros(12) // MACs
            .u16(0x8100) // TPID
            .u16(5) // TCI, then the frame ends before the inner EtherType
            .toByteArray());
        assertEquals(1, h.count("dissect.vlan.error.truncated"));
    }

    @Test
    void vlanInsideLinuxCookedCapture() {
        final DissectorHarness h = new DissectorHarness();
        h.frame(LinkType.LINUX_SLL, Packets.sll(0x8100, new ByteWriter()
            .u16(42) // VLAN 42
            .u16(0x0800) // EtherType IPv4
            .bytes(IP).toByteArray()));
        assertEquals(1, h.decoder.payloads.size());
    }
}
