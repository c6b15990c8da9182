package io.sigmatch.decoder.gtpv1;

import static io.sigmatch.decoder.testing.Packets.ETHERTYPE_IPV4;
import static io.sigmatch.decoder.testing.Packets.ETHERTYPE_IPV6;
import static io.sigmatch.decoder.testing.Packets.PROTO_UDP;
import static io.sigmatch.decoder.testing.Packets.concat;
import static io.sigmatch.decoder.testing.Packets.ethernet;
import static io.sigmatch.decoder.testing.Packets.ipv4;
import static io.sigmatch.decoder.testing.Packets.ipv6;
import static io.sigmatch.decoder.testing.Packets.udp;

import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.testing.ByteWriter;
import io.sigmatch.decoder.testing.PcapWriter;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds spec-valid GTPv1-C messages (TS 29.060 7.3, IEs in ascending type order as 7.7.0
 * requires) and the captures the differential test writes: whole PDP context lifecycles (Create,
 * Update by the same and by a new SGSN, Delete) of 2G and 3G subscribers with every IE the decoder
 * reads, a rejection, Echo, IPv6 GSN addresses and an extension header. Built from code, so the same
 * bytes every run; tshark and our decoder both read the written file.
 */
final class Gtpv1Frames {
    static final int LINKTYPE_ETHERNET = 1;
    static final long T0 = 1_700_000_000_000_000_000L;
    static final long MS = 1_000_000L;

    static final String SGSN = "10.1.0.1";
    static final String SGSN2 = "10.1.0.3";
    static final String GGSN = "10.2.0.1";

    /** One subscriber of the made captures: the identities every procedure of theirs must name. */
    record Subscriber(String imsi, String msisdn, String imeisv, long sgsnTeidC, long ggsnTeidC) {
    }

    static final Subscriber GERAN_SUB = new Subscriber("460001234567890", "8613800138000", "3534900698733142",
        0x1000_0001L, 0x2000_0001L);
    static final Subscriber UTRAN_SUB = new Subscriber("460029876543210", "8613912345678", "0044011330752304",
        0x1000_0002L, 0x2000_0002L);
    static final Subscriber REJECTED_SUB = new Subscriber("31026011111111", "12025550100", "3526210000000107",
        0x1000_0003L, 0);

    private Gtpv1Frames() {
    }

    // ---- encoding ---------------------------------------------------------------------------

    static byte[] bytes(final int... values) {
        final byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /**
     * A GTPv1-C message: flags 0x32 (version 1, PT 1, S) or with E for an extension header chain,
     * type, Length = everything after the first 8 octets, TEID, sequence, N-PDU 0, next type.
     */
    static byte[] message(final int type, final long teid, final int sequence, final byte[]... ies) {
        return messageWithExtensions(type, teid, sequence, new byte[0], 0, ies);
    }

    static byte[] messageWithExtensions(final int type, final long teid, final int sequence, final byte[] extensions,
        final int firstExtensionType, final byte[]... ies) {
        final byte[] body = concat(ies);
        return new ByteWriter()
            .u8(extensions.length > 0 ? 0x36 : 0x32)         // version 1, PT 1, E if extensions, S
            .u8(type)                                         // message type
            .u16(4 + extensions.length + body.length)         // length after the mandatory 8 octets
            .u32(teid)                                        // TEID of the receiver
            .u16(sequence)                                    // sequence number
            .u8(0)                                            // N-PDU number (PN clear: not meaningful)
            .u8(firstExtensionType)                           // next extension header type
            .bytes(extensions)
            .bytes(body).toByteArray();
    }

    /** A TV IE: type and its fixed-length value. */
    static byte[] tv(final int type, final byte[] value) {
        return concat(bytes(type), value);
    }

    /** A TLV IE: type, 2-octet length, value. */
    static byte[] tlv(final int type, final byte[] value) {
        return concat(bytes(type, value.length >> 8, value.length), value);
    }

    /** TBCD (TS 29.060 7.7.2): two digits per octet, low nibble first, F filler for an odd count. */
    static byte[] tbcd(final String digits) {
        final byte[] out = new byte[(digits.length() + 1) / 2];
        for (int i = 0; i < digits.length(); i++) {
            final int d = digits.charAt(i) - '0';
            out[i / 2] |= (byte) ((i & 1) == 0 ? d : d << 4);
        }
        if ((digits.length() & 1) == 1) {
            out[out.length - 1] |= (byte) 0xF0;
        }
        return out;
    }

    /** TS 24.008 10.5.1.3: MCC digit 2|1, MNC digit 3 (F for two digits)|MCC digit 3, MNC digit 2|1. */
    static byte[] plmn(final String mcc, final String mnc) {
        final int mnc3 = mnc.length() == 3 ? mnc.charAt(2) - '0' : 0xF;
        return bytes((mcc.charAt(1) - '0') << 4 | (mcc.charAt(0) - '0'),
            mnc3 << 4 | (mcc.charAt(2) - '0'),
            (mnc.charAt(1) - '0') << 4 | (mnc.charAt(0) - '0'));
    }

    /** 7.7.2: always 8 octets of TBCD; a shorter IMSI is filled with F. */
    static byte[] imsi(final String digits) {
        final byte[] value = java.util.Arrays.copyOf(tbcd(digits), 8);
        for (int i = (digits.length() + 1) / 2; i < value.length; i++) {
            value[i] = (byte) 0xFF;
        }
        return tv(Gtpv1Ie.IMSI, value);
    }

    static byte[] rai(final String mcc, final String mnc, final int lac, final int rac) {
        return tv(Gtpv1Ie.RAI, concat(plmn(mcc, mnc), bytes(lac >> 8, lac, rac)));  // 7.7.3
    }

    static byte[] cause(final int value) {
        return tv(Gtpv1Ie.CAUSE, bytes(value));                                   // 7.7.1
    }

    static byte[] recovery(final int restartCounter) {
        return tv(Gtpv1Ie.RECOVERY, bytes(restartCounter));                       // 7.7.11
    }

    static byte[] selectionMode(final int mode) {
        return tv(Gtpv1Ie.SELECTION_MODE, bytes(0xFC | mode));                    // 7.7.12: spare bits 1
    }

    static byte[] teidData(final long teid) {
        return tv(Gtpv1Ie.TEID_DATA_I, u32(teid));                                // 7.7.13
    }

    static byte[] teidControl(final long teid) {
        return tv(Gtpv1Ie.TEID_CONTROL_PLANE, u32(teid));                         // 7.7.14
    }

    static byte[] teardown() {
        return tv(Gtpv1Ie.TEARDOWN_IND, bytes(0xFF));                             // 7.7.16: spare 1s, bit 1 = 1
    }

    static byte[] nsapi(final int nsapi) {
        return tv(Gtpv1Ie.NSAPI, bytes(nsapi & 0x0F));                            // 7.7.17: spare 0000, NSAPI
    }

    static byte[] chargingId(final long id) {
        return tv(Gtpv1Ie.CHARGING_ID, u32(id));                                  // 7.7.26
    }

    /** 7.7.27: PDP type organisation IETF (spare 1111 | 0001), PDP type IPv4 (0x21), the address. */
    static byte[] endUserAddressIpv4(final int... address) {
        return tlv(Gtpv1Ie.END_USER_ADDRESS, concat(bytes(0xF1, 0x21), bytes(address)));
    }

    /** 7.7.30 / TS 23.003 9.1: labels, each a length octet and its characters. */
    static byte[] apn(final String dotted) {
        final ByteWriter w = new ByteWriter();
        for (final String label : dotted.split("\\.")) {
            w.u8(label.length());
            w.bytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        return tlv(Gtpv1Ie.APN, w.toByteArray());
    }

    static byte[] gsnAddress(final int... address) {
        return tlv(Gtpv1Ie.GSN_ADDRESS, bytes(address));                         // 7.7.32: 4 or 16 octets
    }

    /** 7.7.33: extension 1, nature of address international (001), E.164 plan (0001) = 0x91, TBCD. */
    static byte[] msisdn(final String international) {
        return tlv(Gtpv1Ie.MSISDN, concat(bytes(0x91), tbcd(international)));
    }

    /** 7.7.34: allocation/retention priority 1, then a Release 99 QoS profile (TS 24.008 10.5.6.5). */
    static byte[] qos() {
        return tlv(Gtpv1Ie.QOS_PROFILE, bytes(0x01, 0x23, 0x81, 0x1F, 0x91, 0x96, 0x87, 0x87, 0x44, 0x02, 0x00, 0x00));
    }

    static byte[] ratType(final int rat) {
        return tlv(Gtpv1Ie.RAT_TYPE, bytes(rat));                                 // 7.7.50: 1 UTRAN, 2 GERAN
    }

    /** 7.7.51: type 0 CGI (code = CI), 1 SAI (code = SAC), 2 RAI (code = RAC, second octet 0xFF). */
    static byte[] uli(final int type, final String mcc, final String mnc, final int lac, final int code) {
        final byte[] tail = type == Gtpv1Ie.ULI_RAI ? bytes(code, 0xFF) : bytes(code >> 8, code);
        return tlv(Gtpv1Ie.ULI, concat(bytes(type), plmn(mcc, mnc), bytes(lac >> 8, lac), tail));
    }

    static byte[] msTimeZone() {
        return tlv(Gtpv1Ie.MS_TIME_ZONE, bytes(0x21, 0x00));                      // 7.7.52: GMT+3, no DST
    }

    static byte[] imeisv(final String digits) {
        return tlv(Gtpv1Ie.IMEISV, tbcd(digits));                                 // 7.7.53: 8 octets TBCD
    }

    static byte[] u32(final long v) {
        return bytes((int) (v >>> 24), (int) (v >>> 16), (int) (v >>> 8), (int) v);
    }

    // ---- messages ---------------------------------------------------------------------------

    /** 7.3.1: Create PDP Context Request from the SGSN, with every IE the decoder reads. */
    static byte[] createPdpContextRequest(final int sequence, final Subscriber s, final byte[] rai, final byte[] uli,
        final int rat, final String apn, final int... sgsnAddress) {
        return message(Gtpv1MessageType.CREATE_PDP_CONTEXT_REQUEST, 0, sequence,
            imsi(s.imsi()),
            rai,
            recovery(7),
            selectionMode(0),
            teidData(s.sgsnTeidC() + 0x100),
            teidControl(s.sgsnTeidC()),
            nsapi(5),
            endUserAddressIpv4(),
            apn(apn),
            gsnAddress(sgsnAddress),                      // SGSN Address for signalling
            gsnAddress(sgsnAddress),                      // SGSN Address for user traffic
            msisdn(s.msisdn()),
            qos(),
            ratType(rat),
            uli,
            msTimeZone(),
            imeisv(s.imeisv()));
    }

    /** 7.3.2: Create PDP Context Response from the GGSN to the SGSN's TEID-C. */
    static byte[] createPdpContextResponse(final int sequence, final Subscriber s, final int cause,
        final int... ggsnAddress) {
        if (cause >= Gtpv1Cause.FIRST_REJECTION) {
            return message(Gtpv1MessageType.CREATE_PDP_CONTEXT_RESPONSE, s.sgsnTeidC(), sequence, cause(cause));
        }
        return message(Gtpv1MessageType.CREATE_PDP_CONTEXT_RESPONSE, s.sgsnTeidC(), sequence,
            cause(cause),
            tv(Gtpv1Ie.REORDERING_REQUIRED, bytes(0xFE)),
            recovery(3),
            teidData(s.ggsnTeidC() + 0x100),
            teidControl(s.ggsnTeidC()),
            chargingId(0x0A0B0C0DL),
            endUserAddressIpv4(10, 45, 0, 9),
            gsnAddress(ggsnAddress),                      // GGSN Address for Control Plane
            gsnAddress(ggsnAddress),                      // GGSN Address for user traffic
            qos());
    }

    /** 7.3.3: Update PDP Context Request from an SGSN to the GGSN's TEID-C (routeing area update). */
    static byte[] updatePdpContextRequest(final int sequence, final Subscriber s, final long sgsnTeidC,
        final byte[] rai, final byte[] uli, final int rat, final int... sgsnAddress) {
        return message(Gtpv1MessageType.UPDATE_PDP_CONTEXT_REQUEST, s.ggsnTeidC(), sequence,
            rai,
            recovery(7),
            teidData(sgsnTeidC + 0x100),
            teidControl(sgsnTeidC),
            nsapi(5),
            gsnAddress(sgsnAddress),
            gsnAddress(sgsnAddress),
            qos(),
            ratType(rat),
            uli);
    }

    /** 7.3.4: Update PDP Context Response from the GGSN. */
    static byte[] updatePdpContextResponse(final int sequence, final long sgsnTeidC, final Subscriber s, final int cause,
        final int... ggsnAddress) {
        return message(Gtpv1MessageType.UPDATE_PDP_CONTEXT_RESPONSE, sgsnTeidC, sequence,
            cause(cause),
            teidData(s.ggsnTeidC() + 0x100),
            teidControl(s.ggsnTeidC()),
            chargingId(0x0A0B0C0DL),
            gsnAddress(ggsnAddress),
            gsnAddress(ggsnAddress),
            qos());
    }

    /** 7.3.5: Delete PDP Context Request, Teardown Ind set: every PDP context of the address goes. */
    static byte[] deletePdpContextRequest(final int sequence, final long teid) {
        return message(Gtpv1MessageType.DELETE_PDP_CONTEXT_REQUEST, teid, sequence, teardown(), nsapi(5));
    }

    /** 7.3.6: Delete PDP Context Response. */
    static byte[] deletePdpContextResponse(final int sequence, final long teid, final int cause) {
        return message(Gtpv1MessageType.DELETE_PDP_CONTEXT_RESPONSE, teid, sequence, cause(cause));
    }

    static byte[] echoRequest(final int sequence) {
        return message(Gtpv1MessageType.ECHO_REQUEST, 0, sequence);
    }

    static byte[] echoResponse(final int sequence) {
        return message(Gtpv1MessageType.ECHO_RESPONSE, 0, sequence, recovery(7));
    }

    /** The 2G subscriber's Create PDP Context Request (CGI), the message of most unit tests. */
    static byte[] geranCreate(final int sequence) {
        return createPdpContextRequest(sequence, GERAN_SUB, rai("460", "00", 0x1234, 0x56),
            uli(Gtpv1Ie.ULI_CGI, "460", "00", 0x1234, 0xABCD), 2, "cmnet.mnc000.mcc460.gprs", 10, 1, 0, 1);
    }

    // ---- captures -----------------------------------------------------------------------------

    /** name -> pcap bytes. */
    static Map<String, byte[]> captures() {
        final Map<String, byte[]> out = new LinkedHashMap<>();
        out.put("pdp-lifecycle.pcap", lifecycle());
        out.put("ipv6-extension.pcap", ipv6Extension());
        return out;
    }

    /** The subscriber each made capture's procedures belong to, by IMSI, in completion order. */
    static Map<String, List<String>> procedureImsis() {
        final Map<String, List<String>> out = new LinkedHashMap<>();
        final String g = GERAN_SUB.imsi();
        final String u = UTRAN_SUB.imsi();
        out.put("pdp-lifecycle.pcap", List.of("-", g, u, g, u, "-", u, g, REJECTED_SUB.imsi()));
        out.put("ipv6-extension.pcap", List.of(u, u));
        return out;
    }

    private static byte[] lifecycle() {
        final PcapWriter w = new PcapWriter(ByteOrder.LITTLE_ENDIAN, false, 65_535, LINKTYPE_ETHERNET);
        final int[] sgsn = {10, 1, 0, 1};
        final int[] sgsn2 = {10, 1, 0, 3};
        final int[] ggsn = {10, 2, 0, 1};
        final Subscriber g = GERAN_SUB;
        final Subscriber u = UTRAN_SUB;
        int n = 0;
        // 1-2 Echo
        w.packet(T0 + n++ * MS, udp4(SGSN, GGSN, echoRequest(1)));
        w.packet(T0 + n++ * MS, udp4(GGSN, SGSN, echoResponse(1)));
        // 3-4 2G attach: PDP context on GERAN, CGI
        w.packet(T0 + n++ * MS, udp4(SGSN, GGSN, geranCreate(2)));
        w.packet(T0 + n++ * MS, udp4(GGSN, SGSN, createPdpContextResponse(2, g, Gtpv1Cause.REQUEST_ACCEPTED, ggsn)));
        // 5-6 3G subscriber, ULI of type RAI, 3-digit MNC PLMN in the RAI
        w.packet(T0 + n++ * MS, udp4(SGSN, GGSN, createPdpContextRequest(3, u, rai("310", "260", 0x0101, 0x02),
            uli(Gtpv1Ie.ULI_RAI, "310", "260", 0x0101, 0x02), 1, "internet", sgsn)));
        w.packet(T0 + n++ * MS, udp4(GGSN, SGSN, createPdpContextResponse(3, u, 129, ggsn)));
        // 7-8 the 2G subscriber moves to 3G in the same SGSN: Update with RAI and ULI SAI
        w.packet(T0 + n++ * MS, udp4(SGSN, GGSN, updatePdpContextRequest(4, g, g.sgsnTeidC(),
            rai("460", "00", 0x2222, 0x07), uli(Gtpv1Ie.ULI_SAI, "460", "00", 0x2222, 0x3333), 1, sgsn)));
        w.packet(T0 + n++ * MS, udp4(GGSN, SGSN, updatePdpContextResponse(4, g.sgsnTeidC(), g, 128, ggsn)));
        // 9-10 the 3G subscriber moves to another SGSN: inter-SGSN update with its new TEID-C
        final long newTeid = 0x3000_0002L;
        w.packet(T0 + n++ * MS, udp4(SGSN2, GGSN, updatePdpContextRequest(5, u, newTeid,
            rai("310", "260", 0x0202, 0x09), uli(Gtpv1Ie.ULI_CGI, "310", "260", 0x0202, 0x4444), 1, sgsn2)));
        w.packet(T0 + n++ * MS, udp4(GGSN, SGSN2, updatePdpContextResponse(5, newTeid, u, 128, ggsn)));
        // 11-12 Echo from the GGSN side
        w.packet(T0 + n++ * MS, udp4(GGSN, SGSN, echoRequest(900)));
        w.packet(T0 + n++ * MS, udp4(SGSN, GGSN, echoResponse(900)));
        // 13-14 the new SGSN deletes the 3G subscriber's context: the GGSN answers to its new TEID-C
        w.packet(T0 + n++ * MS, udp4(SGSN2, GGSN, deletePdpContextRequest(6, u.ggsnTeidC())));
        w.packet(T0 + n++ * MS, udp4(GGSN, SGSN2, deletePdpContextResponse(6, newTeid, 128)));
        // 15-16 the 2G subscriber detaches
        w.packet(T0 + n++ * MS, udp4(SGSN, GGSN, deletePdpContextRequest(7, g.ggsnTeidC())));
        w.packet(T0 + n++ * MS, udp4(GGSN, SGSN, deletePdpContextResponse(7, g.sgsnTeidC(), 128)));
        // 17-18 a roamer whose Create is rejected (199 No resources available)
        w.packet(T0 + n++ * MS, udp4(SGSN, GGSN, createPdpContextRequest(8, REJECTED_SUB, rai("310", "260", 1, 1),
            uli(Gtpv1Ie.ULI_CGI, "310", "260", 1, 2), 1, "wap.example", sgsn)));
        w.packet(T0 + n++ * MS, udp4(GGSN, SGSN, createPdpContextResponse(8, REJECTED_SUB, 199, ggsn)));
        return w.toByteArray();
    }

    private static byte[] ipv6Extension() {
        final PcapWriter w = new PcapWriter(ByteOrder.BIG_ENDIAN, true, 65_535, LINKTYPE_ETHERNET);
        final int[] sgsn = {0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x11};
        final int[] ggsn = {0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x22};
        final Subscriber u = UTRAN_SUB;
        final byte[] create = createPdpContextRequest(0x4242, u, rai("460", "02", 0x0303, 0x04),
            uli(Gtpv1Ie.ULI_SAI, "460", "02", 0x0303, 0x0505), 1, "ims", sgsn);
        // 6.1.1: the same request with an MS Info Change Reporting Support Indication extension header
        // (type 0x02: length 1 unit, two spare octets, next type 0)
        final byte[] body = java.util.Arrays.copyOfRange(create, 12, create.length);
        final byte[] withExtension = messageWithExtensions(Gtpv1MessageType.CREATE_PDP_CONTEXT_REQUEST, 0, 0x4242,
            bytes(0x01, 0xFF, 0xFF, 0x00), 0x02, body);
        w.packet(T0, ethernet(ETHERTYPE_IPV6, ipv6("2001:db8::11", "2001:db8::22", PROTO_UDP,
            udp(2123, 2123, withExtension))));
        w.packet(T0 + MS, ethernet(ETHERTYPE_IPV6, ipv6("2001:db8::22", "2001:db8::11", PROTO_UDP,
            udp(2123, 2123, createPdpContextResponse(0x4242, u, 128, ggsn)))));
        // the GGSN's IPv6 TEID-C names the subscriber of the Delete, which carries no IMSI
        w.packet(T0 + 2 * MS, ethernet(ETHERTYPE_IPV6, ipv6("2001:db8::11", "2001:db8::22", PROTO_UDP,
            udp(2123, 2123, deletePdpContextRequest(0x4243, u.ggsnTeidC())))));
        w.packet(T0 + 3 * MS, ethernet(ETHERTYPE_IPV6, ipv6("2001:db8::22", "2001:db8::11", PROTO_UDP,
            udp(2123, 2123, deletePdpContextResponse(0x4243, u.sgsnTeidC(), 128)))));
        return w.toByteArray();
    }

    private static byte[] udp4(final String src, final String dst, final byte[] gtp) {
        return ethernet(ETHERTYPE_IPV4, ipv4(src, dst, PROTO_UDP, udp(2123, 2123, gtp)));
    }

    /** A packet as the dissector would describe it, for unit tests that call the decoder directly. */
    static PacketInfo packet(final long frame, final long timeNs, final int src, final int dst) {
        final PacketInfo p = new PacketInfo();
        p.frame = frame;
        p.timeNs = timeNs;
        p.ipVersion = 4;
        p.srcLo = src & 0xFFFFFFFFL;
        p.dstLo = dst & 0xFFFFFFFFL;
        p.transport = PacketInfo.TRANSPORT_UDP;
        p.srcPort = 2123;
        p.dstPort = 2123;
        return p;
    }

    static final int SGSN_IP = 0x0A010001;
    static final int GGSN_IP = 0x0A020001;
}
