package io.sigmatch.decoder.gtpv2;

import static io.sigmatch.decoder.gtpv2.Gtpv2Bytes.P;
import static io.sigmatch.decoder.gtpv2.Gtpv2Bytes.bytes;
import static io.sigmatch.decoder.gtpv2.Gtpv2Bytes.concat;
import static io.sigmatch.decoder.gtpv2.Gtpv2Bytes.ie;
import static io.sigmatch.decoder.gtpv2.Gtpv2Bytes.message;
import static io.sigmatch.decoder.gtpv2.Gtpv2Bytes.priority;
import static io.sigmatch.decoder.testing.Packets.ETHERTYPE_IPV4;
import static io.sigmatch.decoder.testing.Packets.ETHERTYPE_IPV6;
import static io.sigmatch.decoder.testing.Packets.PROTO_UDP;
import static io.sigmatch.decoder.testing.Packets.ethernet;
import static io.sigmatch.decoder.testing.Packets.ipv4;
import static io.sigmatch.decoder.testing.Packets.ipv6;
import static io.sigmatch.decoder.testing.Packets.ipv6Extension;
import static io.sigmatch.decoder.testing.Packets.ipv6Fragment;
import static io.sigmatch.decoder.testing.Packets.slice;
import static io.sigmatch.decoder.testing.Packets.udp;

import io.sigmatch.decoder.testing.PcapWriter;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Captures the GTPv2 differential test writes itself, for what the public corpus lacks: VLAN and
 * QinQ tags, IPv6 (with an extension header and IPv6 F-TEIDs), IPv4 and IPv6 fragments, a
 * piggybacked message and message priority, every ULI form, IMEISV, MSISDN, RAT types, rejections,
 * and IEs that must not be read (other instances, IEs inside Bearer Contexts). Built from code, so
 * the same bytes every run; tshark and our decoder both read the written file.
 */
final class Gtpv2TestCaptures {
    static final int LINKTYPE_ETHERNET = 1;
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final long MS = 1_000_000L;

    private Gtpv2TestCaptures() {
    }

    /** name -> pcap bytes. */
    static Map<String, byte[]> all() {
        final Map<String, byte[]> out = new LinkedHashMap<>();
        out.put("vlan-qinq.pcap", vlan());
        out.put("ipv6.pcap", ipv6Session());
        out.put("ipv4-fragments.pcap", ipv4Fragments());
        out.put("ipv6-fragments.pcap", ipv6Fragments());
        out.put("piggyback-priority.pcap", piggyback());
        out.put("uli-forms.pcap", uliForms());
        return out;
    }

    // ---- messages -----------------------------------------------------------------------------

    /**
     * The hand-written Create Session Request with its ECGI spare nibble cleared: Wireshark shows
     * the spare bits inside the ECI, a difference listed once (uli-forms frame 5), not in every capture.
     */
    static byte[] createSessionRequest() {
        final byte[] msg = Gtpv2DecoderTest.CREATE_SESSION_REQUEST.clone();
        for (int i = 0; i + 3 < msg.length; i++) {
            if (msg[i] == 0x1A && msg[i + 1] == (byte) 0xBC && msg[i + 2] == (byte) 0xDE && msg[i + 3] == 0x01) {
                msg[i] = 0x0A;                                   // spare nibble 0, ECI 0xABCDE01
                return msg;
            }
        }
        throw new IllegalStateException("ECGI not found");
    }

    /** TS 29.274 7.2.2: Create Session Response accepting, SGW S11 TEID 0x202 on 10.0.0.2. */
    static byte[] createSessionResponse(final int sequence) {
        return Gtpv2CorrelationTest.createSessionResponse(sequence, 16, 0x101, 0x202);
    }

    /** 7.2.7: Modify Bearer Request with a ULI (TAI + ECGI) to the SGW's TEID. */
    static byte[] modifyBearerRequest(final int sequence, final long teid, final int tac, final long eci) {
        return message(0, 34, teid, sequence,
            ie(86, 0, bytes(0x18,                                       // ULI flags: ECGI, TAI
                0x64, 0xF0, 0x00, tac >> 8, tac,                        // TAI: 460/00, TAC
                0x64, 0xF0, 0x00, (int) (eci >> 24) & 0x0F, (int) (eci >> 16), (int) (eci >> 8), (int) eci)),  // ECGI
            ie(82, 0, bytes(6)));                                       // RAT Type EUTRAN
    }

    /** A Create Session Request whose F-TEIDs carry IPv6 addresses (V6 flag), 2001:db8::1 and ::3. */
    static byte[] createSessionRequestIpv6(final int sequence) {
        return message(0, 32, 0, sequence,
            ie(1, 0, bytes(0x64, 0x00, 0x00, 0x21, 0x43, 0x65, 0x87, 0xF9)),        // IMSI 460000123456789
            ie(76, 0, bytes(0x68, 0x31, 0x08, 0x00, 0x00, 0x00, 0xF2)),            // MSISDN 8613800000002
            ie(75, 0, bytes(0x53, 0x43, 0x09, 0x60, 0x89, 0x37, 0x13, 0x24)),      // MEI IMEISV 3534900698733142
            ie(86, 0, bytes(0x18, 0x64, 0xF0, 0x00, 0x00, 0x2A, 0x64, 0xF0, 0x00, 0x00, 0x12, 0x34, 0x56)),  // TAI 42, ECI 0x123456
            ie(83, 0, bytes(0x64, 0xF0, 0x00)),                                    // Serving Network 460/00
            ie(82, 0, bytes(6)),                                                   // RAT EUTRAN
            ie(87, 0, concat(bytes(0x4A, 0, 0, 0x01, 0x11), v6(1))),              // Sender F-TEID: V6, S11 MME, TEID 0x111
            ie(87, 1, concat(bytes(0x47, 0, 0, 0, 0), v6(3))),                    // PGW S5/S8: V6, TEID 0
            ie(71, 0, bytes(8, 'i', 'n', 't', 'e', 'r', 'n', 'e', 't')),          // APN "internet"
            ie(93, 0, ie(73, 0, bytes(5))));                                        // Bearer Context: EBI 5
    }

    /** The SGW answers with its IPv6 S11 F-TEID 0x222 on 2001:db8::2. */
    static byte[] createSessionResponseIpv6(final int sequence) {
        return message(0, 33, 0x111, sequence,
            ie(2, 0, bytes(16, 0)),                                                // Cause: Request accepted
            ie(87, 0, concat(bytes(0x4B, 0, 0, 0x02, 0x22), v6(2))),              // Sender F-TEID: V6, S11/S4 SGW
            ie(93, 0, ie(73, 0, bytes(5)), ie(2, 0, bytes(16, 0))));
    }

    private static byte[] v6(final int last) {
        return bytes(0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last);
    }

    /**
     * A message larger than one Ethernet MTU: the hand-written Create Session Request with a Private
     * Extension (8.67: enterprise id 10415, then 2000 octets of vendor data) appended.
     */
    static byte[] bigCreateSessionRequest(final int sequence) {
        final byte[] vendor = new byte[2000];
        for (int i = 0; i < vendor.length; i++) {
            vendor[i] = (byte) (i * 7);
        }
        final byte[] extension = ie(255, 0, bytes(0x28, 0xAF), vendor);
        final byte[] msg = concat(createSessionRequest(), extension);
        final int length = msg.length - 4;                       // Message Length: all after the first 4 octets
        msg[2] = (byte) (length >> 8);
        msg[3] = (byte) length;
        msg[8] = (byte) (sequence >> 16);                        // sequence number
        msg[9] = (byte) (sequence >> 8);
        msg[10] = (byte) sequence;
        return msg;
    }

    // ---- captures -----------------------------------------------------------------------------

    private static byte[] vlan() {
        final PcapWriter w = new PcapWriter(ByteOrder.LITTLE_ENDIAN, false, 65_535, LINKTYPE_ETHERNET);
        // 802.1Q VLAN 100: MME -> SGW, the hand-written Create Session Request
        w.packet(T0, ethernet(ETHERTYPE_IPV4, ipv4("10.0.0.1", "10.0.0.2", PROTO_UDP,
            udp(2123, 2123, createSessionRequest())), 0x8100, 100));
        // QinQ: 802.1ad service tag 20 outside, 802.1Q customer tag 100 inside
        w.packet(T0 + MS, ethernet(ETHERTYPE_IPV4, ipv4("10.0.0.2", "10.0.0.1", PROTO_UDP,
            udp(2123, 2123, createSessionResponse(42))), 0x88A8, 20, 0x8100, 100));
        w.packet(T0 + 2 * MS, ethernet(ETHERTYPE_IPV4, ipv4("10.0.0.1", "10.0.0.2", PROTO_UDP,
            udp(2123, 2123, modifyBearerRequest(43, 0x202, 0x4321, 0x0ABCDEF))), 0x9100, 7, 0x8100, 100));
        w.packet(T0 + 3 * MS, ethernet(ETHERTYPE_IPV4, ipv4("10.0.0.2", "10.0.0.1", PROTO_UDP,
            udp(2123, 2123, Gtpv2CorrelationTest.answer(35, 43, 0x101, 16))), 0x8100, 100));
        return w.toByteArray();
    }

    private static byte[] ipv6Session() {
        final PcapWriter w = new PcapWriter(ByteOrder.BIG_ENDIAN, true, 65_535, LINKTYPE_ETHERNET);
        w.packet(T0, ethernet(ETHERTYPE_IPV6, ipv6("2001:db8::1", "2001:db8::2", PROTO_UDP,
            udp(2123, 2123, createSessionRequestIpv6(7)))));
        w.packet(T0 + MS + 1, ethernet(ETHERTYPE_IPV6, ipv6("2001:db8::2", "2001:db8::1", PROTO_UDP,
            udp(2123, 2123, createSessionResponseIpv6(7)))));
        // a destination-options extension header (60) before UDP
        w.packet(T0 + 2 * MS + 2, ethernet(ETHERTYPE_IPV6, ipv6("2001:db8::1", "2001:db8::2", 60,
            concat(ipv6Extension(PROTO_UDP, new byte[6]),
                udp(2123, 2123, modifyBearerRequest(8, 0x222, 0x0101, 0x0FFFFFFF))))));
        w.packet(T0 + 3 * MS + 3, ethernet(ETHERTYPE_IPV6, ipv6("2001:db8::2", "2001:db8::1", PROTO_UDP,
            udp(2123, 2123, Gtpv2CorrelationTest.answer(35, 8, 0x111, 16)))));
        // Delete Session Request / Response
        w.packet(T0 + 4 * MS, ethernet(ETHERTYPE_IPV6, ipv6("2001:db8::1", "2001:db8::2", PROTO_UDP,
            udp(2123, 2123, message(0, 36, 0x222, 9, ie(73, 0, bytes(5)))))));
        w.packet(T0 + 5 * MS, ethernet(ETHERTYPE_IPV6, ipv6("2001:db8::2", "2001:db8::1", PROTO_UDP,
            udp(2123, 2123, Gtpv2CorrelationTest.answer(37, 9, 0x111, 16)))));
        return w.toByteArray();
    }

    private static byte[] ipv4Fragments() {
        final PcapWriter w = new PcapWriter(ByteOrder.LITTLE_ENDIAN, false, 65_535, LINKTYPE_ETHERNET);
        final byte[] datagram = udp(2123, 2123, bigCreateSessionRequest(77));
        // three fragments (offsets multiples of 8), the last one first
        final int a = 800;
        final int b = 1600;
        w.packet(T0, ethernet(ETHERTYPE_IPV4, ipv4("10.0.0.1", "10.0.0.2", PROTO_UDP, 0x4242, false, b,
            slice(datagram, b, datagram.length))));
        w.packet(T0 + MS, ethernet(ETHERTYPE_IPV4, ipv4("10.0.0.1", "10.0.0.2", PROTO_UDP, 0x4242, true, 0,
            slice(datagram, 0, a))));
        w.packet(T0 + 2 * MS, ethernet(ETHERTYPE_IPV4, ipv4("10.0.0.1", "10.0.0.2", PROTO_UDP, 0x4242, true, a,
            slice(datagram, a, b))));
        w.packet(T0 + 3 * MS, ethernet(ETHERTYPE_IPV4, ipv4("10.0.0.2", "10.0.0.1", PROTO_UDP,
            udp(2123, 2123, createSessionResponse(77)))));
        return w.toByteArray();
    }

    private static byte[] ipv6Fragments() {
        final PcapWriter w = new PcapWriter(ByteOrder.LITTLE_ENDIAN, true, 65_535, LINKTYPE_ETHERNET);
        final byte[] datagram = udp(2123, 2123, bigCreateSessionRequest(78));
        final int a = 1448;
        w.packet(T0, ethernet(ETHERTYPE_IPV6, ipv6("2001:db8::1", "2001:db8::2", 44,
            ipv6Fragment(PROTO_UDP, 0, true, 0x12345678L, slice(datagram, 0, a)))));
        w.packet(T0 + MS, ethernet(ETHERTYPE_IPV6, ipv6("2001:db8::1", "2001:db8::2", 44,
            ipv6Fragment(PROTO_UDP, a, false, 0x12345678L, slice(datagram, a, datagram.length)))));
        return w.toByteArray();
    }

    private static byte[] piggyback() {
        final PcapWriter w = new PcapWriter(ByteOrder.LITTLE_ENDIAN, false, 65_535, LINKTYPE_ETHERNET);
        w.packet(T0, ethernet(ETHERTYPE_IPV4, ipv4("10.0.0.1", "10.0.0.2", PROTO_UDP,
            udp(2123, 2123, createSessionRequest()))));
        // 5.5: the Create Session Response (P=1) carries the SGW's Create Bearer Request (IMS dedicated bearer)
        w.packet(T0 + MS, ethernet(ETHERTYPE_IPV4, ipv4("10.0.0.2", "10.0.0.1", PROTO_UDP,
            udp(2123, 2123, concat(
                message(P, 33, 0x101, 42,
                    ie(2, 0, bytes(16, 0)),                                        // Cause: Request accepted
                    ie(87, 0, bytes(0x8B, 0, 0, 0x02, 0x02, 10, 0, 0, 2))),       // Sender F-TEID, SGW
                message(0, 95, 0x101, 0x000100,
                    ie(73, 0, bytes(5)),                                           // LBI 5
                    ie(93, 0, ie(73, 0, bytes(0)), ie(80, 0, new byte[22]))))))));  // Bearer Context: EBI 0, QoS
        // 5.4: a high-priority (MP=1, priority 3) Create Bearer Response with a ULI
        w.packet(T0 + 2 * MS, ethernet(ETHERTYPE_IPV4, ipv4("10.0.0.1", "10.0.0.2", PROTO_UDP,
            udp(2123, 2123, message(priority(3), 96, 0x202, 0x000100,
                ie(2, 0, bytes(16, 0)),
                ie(86, 0, bytes(0x10, 0x64, 0xF0, 0x00, 0x01, 0x02, 0x03, 0x04)))))));  // ULI: ECGI only
        // Echo Request / Response without TEID
        w.packet(T0 + 3 * MS, ethernet(ETHERTYPE_IPV4, ipv4("10.0.0.1", "10.0.0.2", PROTO_UDP,
            udp(2123, 2123, message(0, 1, Gtpv2Bytes.NO_TEID, 5, ie(3, 0, bytes(1)))))));
        w.packet(T0 + 4 * MS, ethernet(ETHERTYPE_IPV4, ipv4("10.0.0.2", "10.0.0.1", PROTO_UDP,
            udp(2123, 2123, message(0, 2, Gtpv2Bytes.NO_TEID, 5, ie(3, 0, bytes(2)))))));
        return w.toByteArray();
    }

    private static byte[] uliForms() {
        final PcapWriter w = new PcapWriter(ByteOrder.LITTLE_ENDIAN, false, 65_535, LINKTYPE_ETHERNET);
        final byte[][] ulis = {
            bytes(0x01, 0x62, 0xF2, 0x10, 0x12, 0x34, 0x56, 0x78),                 // CGI: 262/01, LAC 0x1234, CI 0x5678
            bytes(0x02, 0x13, 0x00, 0x62, 0x00, 0x01, 0x00, 0x02),                 // SAI: 310/260, LAC 1, SAC 2
            bytes(0x04, 0x64, 0xF0, 0x00, 0xAB, 0xCD, 0x00, 0x0E),                 // RAI: 460/00, LAC 0xABCD, RAC 14
            bytes(0x08, 0x64, 0xF0, 0x00, 0xFF, 0xFF),                             // TAI: TAC 0xFFFF
            bytes(0x10, 0x64, 0xF0, 0x00, 0xFF, 0xFF, 0xFF, 0xFF),                 // ECGI: spare nibble set, ECI 0xFFFFFFF
            bytes(0x20, 0x64, 0xF0, 0x00, 0x43, 0x21),                             // LAI: LAC 0x4321
            bytes(0x07, 0x13, 0x00, 0x62, 0x00, 0x0A, 0x00, 0x0B,                  // CGI + SAI + RAI (UTRAN)
                0x13, 0x00, 0x62, 0x00, 0x0A, 0x00, 0x0C,
                0x13, 0x00, 0x62, 0x00, 0x0A, 0x00, 0x0D),
            bytes(0x28, 0x64, 0xF0, 0x00, 0x00, 0x10, 0x64, 0xF0, 0x00, 0x00, 0x20),  // TAI + LAI (CSFB)
            bytes(0x48, 0x64, 0xF0, 0x00, 0x00, 0x11, 0x64, 0xF0, 0x00, 0x0A, 0xBC, 0xDE),  // TAI + macro eNodeB ID
        };
        final int[] rats = {2, 1, 1, 6, 8, 2, 5, 6, 9};
        for (int i = 0; i < ulis.length; i++) {
            w.packet(T0 + i * MS, ethernet(ETHERTYPE_IPV4, ipv4("10.0.0.1", "10.0.0.2", PROTO_UDP,
                udp(2123, 2123, message(0, 34, 0x202, 0x100 + i, ie(86, 0, ulis[i]), ie(82, 0, bytes(rats[i])))))));
        }
        int n = ulis.length;
        // fields that must come from instance 0 at message level only
        w.packet(T0 + n++ * MS, ethernet(ETHERTYPE_IPV4, ipv4("10.0.0.1", "10.0.0.2", PROTO_UDP,
            udp(2123, 2123, message(0, 32, 0, 0x200,
                ie(1, 1, bytes(0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0xF9)),  // IMSI instance 1: not the subscriber's
                ie(1, 0, bytes(0x13, 0x00, 0x62, 0x10, 0x32, 0x54, 0x76, 0xF8)),  // IMSI 310026012345678
                ie(93, 0, ie(73, 0, bytes(5)),
                    ie(86, 0, bytes(0x08, 0x13, 0x00, 0x62, 0x77, 0x77))),        // a ULI inside a Bearer Context
                ie(86, 1, bytes(0x08, 0x13, 0x00, 0x62, 0x66, 0x66)),             // ULI instance 1
                ie(75, 0, bytes(0x53, 0x02, 0x89, 0x70, 0x72, 0x61, 0x23, 0x60)), // MEI: IMEISV 3520980727163206
                ie(71, 0, bytes(3, 'i', 'm', 's', 6, 'm', 'n', 'c', '2', '6', '0', 6, 'm', 'c', 'c', '3', '1', '0',
                    4, 'g', 'p', 'r', 's')),
                ie(83, 0, bytes(0x13, 0x00, 0x62)),                                 // Serving Network 310/260
                ie(82, 0, bytes(10)))))));                                          // RAT NR
        // answers: accepted partially, rejected, and a cause no answer may carry
        final int[] causes = {17, 64, 94, 240};
        for (final int cause : causes) {
            w.packet(T0 + n++ * MS, ethernet(ETHERTYPE_IPV4, ipv4("10.0.0.2", "10.0.0.1", PROTO_UDP,
                udp(2123, 2123, message(0, 33, 0x101, 0x300 + cause, ie(2, 0, bytes(cause, 0)))))));
        }
        return w.toByteArray();
    }
}
