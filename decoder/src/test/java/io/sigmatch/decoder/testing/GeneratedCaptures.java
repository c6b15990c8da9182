package io.sigmatch.decoder.testing;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Captures the tests build themselves, deterministically, for what the public corpus lacks: every
 * pcap variant, pcapng with several interfaces, resolutions and skipped blocks, every link type,
 * VLAN stacks, and IP fragments in order, reordered and duplicated. The differential tests feed
 * each to the reader and the dissector and to tshark.
 */
public final class GeneratedCaptures {
    /** A named capture file image. */
    public record Capture(String name, byte[] bytes) {
    }

    /** 2023-11-14T22:13:20Z plus a fraction that shows truncation in µs files. */
    public static final long T0 = 1_700_000_000_123_456_789L;
    private static final int LINKTYPE_NULL = 0;
    private static final int LINKTYPE_ETHERNET = 1;
    private static final int LINKTYPE_RAW_12 = 12;
    private static final int LINKTYPE_RAW_14 = 14;
    private static final int LINKTYPE_RAW = 101;
    private static final int LINKTYPE_LOOP = 108;
    private static final int LINKTYPE_SLL = 113;
    private static final int LINKTYPE_IPV4 = 228;
    private static final int LINKTYPE_IPV6 = 229;
    private static final int LINKTYPE_SLL2 = 276;

    private GeneratedCaptures() {
    }

    /** decoder/target/generated-captures, created on demand. */
    public static java.nio.file.Path outputDirectory() {
        try {
            return java.nio.file.Files.createDirectories(Fixtures.repo().resolve("decoder/target/generated-captures"));
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Captures for the reader: formats, byte orders, resolutions, sections, skipped blocks. */
    public static List<Capture> forReader() {
        final List<Capture> out = new ArrayList<>();
        for (final ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            for (final boolean nanos : new boolean[] {false, true}) {
                final PcapWriter w = new PcapWriter(order, nanos, 65_535, LINKTYPE_ETHERNET);
                for (int i = 0; i < 5; i++) {
                    w.packet(T0 + i * 1_234_567_891L, udp4Ethernet(40_000 + i, 100 + i));
                }
                out.add(new Capture("pcap-" + (order == ByteOrder.BIG_ENDIAN ? "be" : "le") + "-"
                    + (nanos ? "nsec" : "usec") + ".pcap", w.toByteArray()));
            }
        }
        out.add(new Capture("pcapng-interfaces-and-blocks.pcapng", pcapngInterfacesAndBlocks()));
        return out;
    }

    /** Captures for the dissector: link types, VLANs, IPv4/IPv6 headers and fragments. */
    public static List<Capture> forDissector() {
        final List<Capture> out = new ArrayList<>();
        out.add(new Capture("link-types.pcapng", linkTypes()));
        out.add(new Capture("vlan-stacks.pcap", vlanStacks()));
        out.add(new Capture("ipv4-options-and-padding.pcap", ipv4OptionsAndPadding()));
        out.add(new Capture("ipv6-extension-headers.pcap", ipv6ExtensionHeaders()));
        out.add(new Capture("ipv4-fragments-in-order.pcap", ipv4Fragments(Order.IN_ORDER)));
        out.add(new Capture("ipv4-fragments-reordered.pcap", ipv4Fragments(Order.REORDERED)));
        out.add(new Capture("ipv4-fragments-duplicated.pcap", ipv4Fragments(Order.DUPLICATED)));
        out.add(new Capture("ipv6-fragments-reordered.pcap", ipv6Fragments(Order.REORDERED)));
        out.add(new Capture("ipv6-fragments-duplicated.pcap", ipv6Fragments(Order.DUPLICATED)));
        return out;
    }

    // ---- reader ------------------------------------------------------------------------------------

    private static byte[] pcapngInterfacesAndBlocks() {
        final byte[] eth = udp4Ethernet(41_000, 60);
        final byte[] raw = Packets.ipv4("10.0.0.1", "10.0.0.2", Packets.PROTO_UDP, Packets.udp(41_001, 9, Packets.payload(30, 1)));
        final byte[] sll = Packets.sll(Packets.ETHERTYPE_IPV4, raw);
        final byte[] sll2 = Packets.sll2(Packets.ETHERTYPE_IPV4, raw);
        final long us = T0 / 1000;
        final PcapngWriter w = new PcapngWriter(ByteOrder.LITTLE_ENDIAN);
        w.interfaceDescription(LINKTYPE_ETHERNET, 0, null, null); // 0: Ethernet, default 10^-6 s
        w.interfaceDescription(LINKTYPE_RAW, 0, 9, null); // 1: raw IP, 10^-9 s
        w.interfaceDescription(LINKTYPE_SLL, 0, 0x80 | 20, -3600L); // 2: SLL, 2^-20 s, clock one hour ahead
        w.interfaceDescription(LINKTYPE_SLL2, 128, 3, null); // 3: SLL2, 10^-3 s, snap length 128
        w.enhancedPacket(0, us, eth);
        w.enhancedPacket(1, T0 + 1, raw);
        w.block(PcapngWriter.NRB, new ByteWriter(ByteOrder.LITTLE_ENDIAN)
            .u16(1).u16(9).hex("0a000001").hex("68 6f 73 74 00").pad4() // IPv4 record "host"
            .u16(0).u16(0).toByteArray()); // end of records
        w.enhancedPacket(2, ((T0 / 1_000_000_000L + 3600) << 20) | (1L << 19), sll); // x.5 s in 2^-20 units
        w.block(PcapngWriter.ISB, new ByteWriter(ByteOrder.LITTLE_ENDIAN).u32(0).u32(0).u32(0).toByteArray());
        w.enhancedPacket(3, T0 / 1_000_000L + 7, sll2);
        w.block(0x0000_0123, Packets.payload(10, 0)); // an unknown block type
        w.block(PcapngWriter.CUSTOM, new ByteWriter(ByteOrder.LITTLE_ENDIAN).u32(12_345).hex("01020304").toByteArray()); // custom, some PEN
        w.block(PcapngWriter.DSB, new ByteWriter(ByteOrder.LITTLE_ENDIAN).u32(0x544C_534BL).u32(0).toByteArray());
        w.obsoletePacket(1, T0 + 2_000_000_000L, raw);
        w.enhancedPacket(0, us + 5_000_000L, eth);
        w.simplePacket(eth, eth.length); // no timestamp
        // A second section in the other byte order: interfaces start again at 0.
        w.section(ByteOrder.BIG_ENDIAN);
        w.interfaceDescription(LINKTYPE_IPV4, 0, 6, null); // 0: raw IPv4
        w.interfaceDescription(LINKTYPE_IPV6, 0, 0x80 | 10, 0L); // 1: raw IPv6, 2^-10 s
        w.enhancedPacket(0, us + 10_000_000L, raw);
        w.enhancedPacket(1, ((T0 / 1_000_000_000L + 20) << 10) | 1023, ipv6Udp(41_002, 40));
        return w.toByteArray();
    }

    // ---- dissector ---------------------------------------------------------------------------------

    private static byte[] linkTypes() {
        final byte[] v4 = Packets.ipv4("192.0.2.1", "192.0.2.2", Packets.PROTO_UDP, Packets.udp(42_000, 2123, Packets.payload(20, 1)));
        final byte[] v6 = ipv6Udp(42_001, 24);
        final PcapngWriter w = new PcapngWriter(ByteOrder.LITTLE_ENDIAN);
        final int[] types = {LINKTYPE_ETHERNET, LINKTYPE_SLL, LINKTYPE_SLL2, LINKTYPE_RAW, LINKTYPE_RAW_12,
            LINKTYPE_RAW_14, LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_NULL, LINKTYPE_LOOP};
        for (final int t : types) {
            w.interfaceDescription(t, 0, null, null);
        }
        long ts = T0 / 1000;
        w.enhancedPacket(0, ts++, Packets.ethernet(Packets.ETHERTYPE_IPV4, v4));
        w.enhancedPacket(0, ts++, Packets.ethernet(Packets.ETHERTYPE_IPV6, v6));
        w.enhancedPacket(1, ts++, Packets.sll(Packets.ETHERTYPE_IPV4, v4));
        w.enhancedPacket(1, ts++, Packets.sll(Packets.ETHERTYPE_IPV6, v6));
        w.enhancedPacket(2, ts++, Packets.sll2(Packets.ETHERTYPE_IPV4, v4));
        w.enhancedPacket(2, ts++, Packets.sll2(Packets.ETHERTYPE_IPV6, v6));
        w.enhancedPacket(3, ts++, v4);
        w.enhancedPacket(3, ts++, v6);
        w.enhancedPacket(4, ts++, v4);
        w.enhancedPacket(5, ts++, v6);
        w.enhancedPacket(6, ts++, v4);
        w.enhancedPacket(7, ts++, v6);
        // BSD loopback: AF_INET = 2 in the capturing host's order (little-endian here), AF_INET6 as
        // Darwin (30), FreeBSD (28) and NetBSD/OpenBSD (24) number it.
        w.enhancedPacket(8, ts++, Packets.concat(new ByteWriter(ByteOrder.LITTLE_ENDIAN).u32(2).toByteArray(), v4));
        w.enhancedPacket(8, ts++, Packets.concat(new ByteWriter(ByteOrder.BIG_ENDIAN).u32(2).toByteArray(), v4));
        w.enhancedPacket(8, ts++, Packets.concat(new ByteWriter(ByteOrder.LITTLE_ENDIAN).u32(30).toByteArray(), v6));
        w.enhancedPacket(8, ts++, Packets.concat(new ByteWriter(ByteOrder.LITTLE_ENDIAN).u32(28).toByteArray(), v6));
        w.enhancedPacket(8, ts++, Packets.concat(new ByteWriter(ByteOrder.LITTLE_ENDIAN).u32(24).toByteArray(), v6));
        // OpenBSD loopback: the family is always big-endian.
        w.enhancedPacket(9, ts++, Packets.concat(new ByteWriter(ByteOrder.BIG_ENDIAN).u32(2).toByteArray(), v4));
        w.enhancedPacket(9, ts++, Packets.concat(new ByteWriter(ByteOrder.BIG_ENDIAN).u32(24).toByteArray(), v6));
        return w.toByteArray();
    }

    private static byte[] vlanStacks() {
        final byte[] v4 = Packets.ipv4("192.0.2.1", "192.0.2.2", Packets.PROTO_UDP, Packets.udp(43_000, 2123, Packets.payload(20, 1)));
        final PcapWriter w = new PcapWriter(ByteOrder.LITTLE_ENDIAN, true, 65_535, LINKTYPE_ETHERNET);
        long t = T0;
        w.packet(t++, Packets.ethernet(Packets.ETHERTYPE_IPV4, v4, 0x8100, 100)); // 802.1Q
        w.packet(t++, Packets.ethernet(Packets.ETHERTYPE_IPV4, v4, 0x88A8, 200, 0x8100, 100)); // 802.1ad QinQ
        w.packet(t++, Packets.ethernet(Packets.ETHERTYPE_IPV4, v4, 0x9100, 300, 0x8100, 100)); // legacy QinQ
        w.packet(t++, Packets.ethernet(Packets.ETHERTYPE_IPV4, v4, 0x88A8, 1, 0x8100, 2, 0x8100, 3)); // three tags
        w.packet(t++, Packets.ethernet(Packets.ETHERTYPE_IPV6, ipv6Udp(43_001, 16), 0x8100, 4095));
        return w.toByteArray();
    }

    private static byte[] ipv4OptionsAndPadding() {
        final PcapWriter w = new PcapWriter(ByteOrder.BIG_ENDIAN, false, 65_535, LINKTYPE_ETHERNET);
        final byte[] udp = Packets.udp(44_000, 2123, Packets.payload(4, 9));
        final byte[] header = new ByteWriter()
            .u8(0x47) // version 4, IHL 7: 8 bytes of options
            .u8(0) // DSCP/ECN
            .u16(28 + udp.length) // total length
            .u16(7) // identification
            .u16(0x4000) // DF, offset 0
            .u8(64) // TTL
            .u8(17) // UDP
            .u16(0) // checksum (not verified)
            .hex("c0000201") // source
            .hex("c0000202") // destination
            .hex("01 01 01 00") // options: NOP NOP NOP EOL
            .hex("00 00 00 00") // padding
            .toByteArray();
        // 14 + 28 + 12 = 54 bytes: the Ethernet frame is padded to 60 bytes after the IP packet.
        w.packet(T0, Packets.concat(Packets.ethernet(Packets.ETHERTYPE_IPV4, Packets.concat(header, udp)), new byte[6]));
        // A small UDP datagram without options, also padded.
        final byte[] small = Packets.ipv4("192.0.2.1", "192.0.2.2", Packets.PROTO_UDP, Packets.udp(44_001, 53, new byte[2]));
        w.packet(T0 + 1000, Packets.concat(Packets.ethernet(Packets.ETHERTYPE_IPV4, small), new byte[16]));
        // Total length 0, as captured on a host with segmentation offload: the captured bytes count.
        final byte[] offloaded = Packets.ipv4("192.0.2.1", "192.0.2.2", Packets.PROTO_UDP,
            Packets.udp(44_002, 2123, Packets.payload(40, 4)));
        offloaded[2] = 0;
        offloaded[3] = 0;
        w.packet(T0 + 2000, Packets.ethernet(Packets.ETHERTYPE_IPV4, offloaded));
        return w.toByteArray();
    }

    private static byte[] ipv6ExtensionHeaders() {
        final PcapWriter w = new PcapWriter(ByteOrder.BIG_ENDIAN, true, 65_535, LINKTYPE_ETHERNET);
        final byte[] udp = Packets.udp(45_000, 2123, Packets.payload(30, 5));
        // Hop-by-hop -> routing (type 0 left empty) -> destination options -> UDP
        final byte[] chain = Packets.concat(
            Packets.ipv6Extension(43, new byte[] {1, 4, 0, 0, 0, 0}), // HBH: PadN(4), next = routing
            Packets.ipv6Extension(60, new byte[] {0, 0, 0, 0, 0, 0}), // routing type 0, no segments left, no addresses
            Packets.ipv6Extension(17, new byte[] {1, 4, 0, 0, 0, 0}), // destination options, next = UDP
            udp);
        w.packet(T0, Packets.ethernet(Packets.ETHERTYPE_IPV6, Packets.ipv6("2001:db8::1", "2001:db8::2", 0, chain)));
        // An atomic fragment (offset 0, M = 0; RFC 6946) carries a whole datagram.
        final byte[] atomic = Packets.ipv6Fragment(17, 0, false, 0x01020304L, Packets.udp(45_001, 2123, Packets.payload(10, 7)));
        w.packet(T0 + 1, Packets.ethernet(Packets.ETHERTYPE_IPV6, Packets.ipv6("2001:db8::1", "2001:db8::2", 44, atomic)));
        return w.toByteArray();
    }

    enum Order { IN_ORDER, REORDERED, DUPLICATED }

    /**
     * Two UDP datagrams (4000 and 3000 bytes) fragmented at 1480 bytes, their fragments
     * interleaved, plus an unfragmented datagram between them.
     */
    private static byte[] ipv4Fragments(final Order order) {
        final byte[] a = Packets.udp(46_000, 3868, Packets.payload(3992, 11));
        final byte[] b = Packets.udp(46_001, 3868, Packets.payload(2992, 22));
        final List<byte[]> fa = fragments4("192.0.2.10", "192.0.2.20", 0x1111, a);
        final List<byte[]> fb = fragments4("192.0.2.10", "192.0.2.20", 0x2222, b);
        final byte[] whole = Packets.ipv4("192.0.2.10", "192.0.2.20", Packets.PROTO_UDP, Packets.udp(46_002, 3868, Packets.payload(100, 3)));
        final List<byte[]> seq = new ArrayList<>();
        switch (order) {
            case IN_ORDER -> {
                seq.add(fa.get(0));
                seq.add(fb.get(0));
                seq.add(fa.get(1));
                seq.add(whole);
                seq.add(fb.get(1));
                seq.add(fa.get(2));
                seq.add(fb.get(2));
            }
            case REORDERED -> {
                seq.add(fa.get(2)); // last fragment first
                seq.add(fb.get(1));
                seq.add(fa.get(0));
                seq.add(whole);
                seq.add(fb.get(2));
                seq.add(fb.get(0));
                seq.add(fa.get(1));
            }
            case DUPLICATED -> {
                seq.add(fa.get(0));
                seq.add(fa.get(0)); // immediate duplicate
                seq.add(fa.get(1));
                seq.add(fa.get(2)); // completes a
                seq.add(fa.get(1)); // late duplicate of a completed datagram
                seq.add(whole);
                seq.add(fb.get(2));
                seq.add(fb.get(0));
                seq.add(fb.get(2)); // duplicate of the last fragment
                seq.add(fb.get(1)); // completes b
            }
        }
        final PcapWriter w = new PcapWriter(ByteOrder.LITTLE_ENDIAN, false, 65_535, LINKTYPE_ETHERNET);
        long t = T0;
        for (final byte[] ip : seq) {
            w.packet(t, Packets.ethernet(Packets.ETHERTYPE_IPV4, ip));
            t += 250_000;
        }
        return w.toByteArray();
    }

    /** IPv6: hop-by-hop before the fragment header, destination options inside the fragmentable part. */
    private static byte[] ipv6Fragments(final Order order) {
        final byte[] fragmentable = Packets.concat(
            Packets.ipv6Extension(17, new byte[] {1, 4, 0, 0, 0, 0}), // destination options, next = UDP
            Packets.udp(47_000, 2123, Packets.payload(3500, 33)));
        final List<byte[]> f = new ArrayList<>();
        for (int off = 0; off < fragmentable.length; off += 1232) {
            final int end = Math.min(fragmentable.length, off + 1232);
            final byte[] frag = Packets.ipv6Fragment(60, off, end < fragmentable.length, 0xCAFEF00DL,
                Packets.slice(fragmentable, off, end));
            final byte[] hbh = Packets.ipv6Extension(44, new byte[] {1, 4, 0, 0, 0, 0}); // HBH, next = fragment
            f.add(Packets.ipv6("2001:db8::10", "2001:db8::20", 0, Packets.concat(hbh, frag)));
        }
        final List<byte[]> seq = new ArrayList<>(f);
        if (order == Order.REORDERED) {
            Collections.reverse(seq);
        } else if (order == Order.DUPLICATED) {
            seq.add(1, f.get(0));
            seq.add(f.get(1)); // after completion
        }
        final PcapWriter w = new PcapWriter(ByteOrder.BIG_ENDIAN, false, 65_535, LINKTYPE_ETHERNET);
        long t = T0;
        for (final byte[] ip : seq) {
            w.packet(t, Packets.ethernet(Packets.ETHERTYPE_IPV6, ip, 0x8100, 10));
            t += 100_000;
        }
        return w.toByteArray();
    }

    // ---- building blocks ---------------------------------------------------------------------------

    public static List<byte[]> fragments4(final String src, final String dst, final int id, final byte[] udpDatagram) {
        final List<byte[]> out = new ArrayList<>();
        for (int off = 0; off < udpDatagram.length; off += 1480) {
            final int end = Math.min(udpDatagram.length, off + 1480);
            out.add(Packets.ipv4(src, dst, Packets.PROTO_UDP, id, end < udpDatagram.length, off,
                Packets.slice(udpDatagram, off, end)));
        }
        return out;
    }

    private static byte[] udp4Ethernet(final int srcPort, final int payloadLength) {
        return Packets.ethernet(Packets.ETHERTYPE_IPV4, Packets.ipv4("198.51.100.1", "198.51.100.2", Packets.PROTO_UDP,
            Packets.udp(srcPort, 2123, Packets.payload(payloadLength, srcPort))));
    }

    private static byte[] ipv6Udp(final int srcPort, final int payloadLength) {
        return Packets.ipv6("2001:db8::1", "2001:db8::2", Packets.PROTO_UDP,
            Packets.udp(srcPort, 2123, Packets.payload(payloadLength, srcPort)));
    }
}
