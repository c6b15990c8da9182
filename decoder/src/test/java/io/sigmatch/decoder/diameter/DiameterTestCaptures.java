package io.sigmatch.decoder.diameter;

import static io.sigmatch.decoder.diameter.DiameterBytes.bytes;
import static io.sigmatch.decoder.diameter.DiameterBytes.concat;
import static io.sigmatch.decoder.diameter.DiameterBytes.resultCode;
import static io.sigmatch.decoder.diameter.DiameterSamples.CX;
import static io.sigmatch.decoder.diameter.DiameterSamples.GX;
import static io.sigmatch.decoder.diameter.DiameterSamples.GY;
import static io.sigmatch.decoder.diameter.DiameterSamples.IMSI;
import static io.sigmatch.decoder.diameter.DiameterSamples.MSISDN;
import static io.sigmatch.decoder.diameter.DiameterSamples.ROAMER_IMSI;
import static io.sigmatch.decoder.diameter.DiameterSamples.S6A;
import static io.sigmatch.decoder.diameter.DiameterSamples.SGD;
import static io.sigmatch.decoder.diameter.DiameterSamples.SH;
import static io.sigmatch.decoder.testing.Packets.ETHERTYPE_IPV4;
import static io.sigmatch.decoder.testing.Packets.ETHERTYPE_IPV6;
import static io.sigmatch.decoder.testing.Packets.PROTO_SCTP;
import static io.sigmatch.decoder.testing.Packets.PROTO_TCP;
import static io.sigmatch.decoder.testing.Packets.ethernet;
import static io.sigmatch.decoder.testing.Packets.ipv4;
import static io.sigmatch.decoder.testing.Packets.ipv6;

import io.sigmatch.decoder.testing.ByteWriter;
import io.sigmatch.decoder.testing.PcapWriter;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Captures the Diameter differential test writes itself, for what the public corpus lacks (no
 * CLR, NOR, IDR, SGd or Sh capture exists, MANIFEST.md): every command family over SCTP (PPID 46,
 * several DATA chunks bundled in one packet) and over TCP (two messages in one segment, IPv6),
 * Experimental-Result answers, and a Credit-Control Request per 3GPP-User-Location-Info type.
 * Built from code, so the same bytes every run; tshark and our decoder both read the file.
 */
final class DiameterTestCaptures {
    static final int LINKTYPE_ETHERNET = 1;
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final long MS = 1_000_000L;

    private DiameterTestCaptures() {
    }

    static Map<String, byte[]> all() {
        final Map<String, byte[]> out = new LinkedHashMap<>();
        out.put("s6a-sctp.pcap", s6aOverSctp());
        out.put("gx-gy-tcp.pcap", gxGyOverTcp());
        out.put("sgd-sh-cx-sctp.pcap", sgdShCxOverSctp());
        out.put("uli-types.pcap", uliTypes());
        return out;
    }

    /** RFC 4960 3.3.1 DATA chunk: flags B|E (an unfragmented user message), TSN, stream, PPID 46. */
    static byte[] dataChunk(final int tsn, final int stream, final byte[] userData) {
        final int length = 16 + userData.length;
        final ByteWriter w = new ByteWriter()
            .u8(0)                 // chunk type 0: DATA
            .u8(0x03)              // flags: B (beginning) and E (ending) fragment
            .u16(length)           // chunk length, without padding
            .u32(tsn)              // TSN
            .u16(stream)           // stream identifier
            .u16(tsn & 0xFFFF)     // stream sequence number
            .u32(46)               // payload protocol identifier 46: Diameter
            .bytes(userData);
        return w.zeros((4 - (length & 3)) & 3).toByteArray();
    }

    /** RFC 4960 3.1 common header then the chunks (checksum 0: tshark does not verify it by default). */
    static byte[] sctp(final int srcPort, final int dstPort, final byte[]... chunks) {
        return new ByteWriter()
            .u16(srcPort)          // source port
            .u16(dstPort)          // destination port
            .u32(0x01020304)       // verification tag
            .u32(0)                // checksum
            .bytes(concat(chunks)).toByteArray();
    }

    /** RFC 793 header, 20 octets, PSH|ACK. */
    static byte[] tcp(final int srcPort, final int dstPort, final long seq, final long ack, final byte[] payload) {
        return new ByteWriter()
            .u16(srcPort)          // source port
            .u16(dstPort)          // destination port
            .u32(seq)              // sequence number
            .u32(ack)              // acknowledgement number
            .u8(0x50)              // data offset 5 words
            .u8(0x18)              // flags PSH, ACK
            .u16(65535)            // window
            .u16(0)                // checksum (not verified by tshark by default)
            .u16(0)                // urgent pointer
            .bytes(payload).toByteArray();
    }

    private static final class SctpFlow {
        final PcapWriter w = new PcapWriter(ByteOrder.LITTLE_ENDIAN, true, 65_535, LINKTYPE_ETHERNET);
        long t = T0;
        int tsn = 1;

        void send(final boolean fromClient, final byte[]... messages) {
            final List<byte[]> chunks = new ArrayList<>();
            for (final byte[] m : messages) {
                chunks.add(dataChunk(tsn++, 0, m));
            }
            final byte[] s = fromClient ? sctp(36412, 3868, chunks.toArray(new byte[0][]))
                : sctp(3868, 36412, chunks.toArray(new byte[0][]));
            w.packet(t += MS, ethernet(ETHERTYPE_IPV4, fromClient ? ipv4("10.1.0.1", "10.1.0.2", PROTO_SCTP, s)
                : ipv4("10.1.0.2", "10.1.0.1", PROTO_SCTP, s)));
        }
    }

    private static byte[] s6aOverSctp() {
        final SctpFlow f = new SctpFlow();
        f.send(true, DiameterSamples.air(1, "mme;s6a;1", IMSI));
        f.send(false, DiameterSamples.answer(318, S6A, 1, "mme;s6a;1", resultCode(2001)));
        f.send(true, DiameterSamples.ulr(2, "mme;s6a;2", IMSI, "001", "01", 0x22));
        f.send(false, DiameterSamples.ula(2, "mme;s6a;2", MSISDN));
        // an inbound roamer: visited 001/01, IMSI of 460/00
        f.send(true, DiameterSamples.ulr(3, "mme;s6a;3", ROAMER_IMSI, "001", "01", 0x02));
        f.send(false, DiameterSamples.experimental(316, S6A, 3, "mme;s6a;3", 5420));  // DIAMETER_ERROR_UNKNOWN_EPS_SUBSCRIPTION
        // NOR and IDR bundled in one SCTP packet, from both sides
        f.send(true, DiameterSamples.nor(4, "mme;s6a;4", IMSI, "86650704004053", "01"),
            DiameterSamples.pur(5, "mme;s6a;5", IMSI));
        f.send(false, DiameterSamples.answer(323, S6A, 4, "mme;s6a;4", resultCode(2001)),
            DiameterSamples.answer(321, S6A, 5, "mme;s6a;5", resultCode(2001)));
        f.send(false, DiameterSamples.clr(0x100, "hss;s6a;6", IMSI));
        f.send(true, DiameterSamples.answer(317, S6A, 0x100, "hss;s6a;6", resultCode(2001)));
        f.send(false, DiameterSamples.idr(0x101, "hss;s6a;7", IMSI, "8613900000009"));
        f.send(true, DiameterSamples.answer(319, S6A, 0x101, "hss;s6a;7", resultCode(2001)));
        f.send(true, DiameterSamples.dwr(9));
        f.send(false, DiameterSamples.dwa(9));
        return f.w.toByteArray();
    }

    private static byte[] gxGyOverTcp() {
        final PcapWriter w = new PcapWriter(ByteOrder.LITTLE_ENDIAN, true, 65_535, LINKTYPE_ETHERNET);
        long t = T0;
        long cseq = 1000;
        long sseq = 5000;
        final byte[][][] exchange = {
            {DiameterSamples.ccr(0x21, "pgw;gx;1", 1, DiameterSamples.ULI_TAI_ECGI)},
            {DiameterSamples.cca(0x21, GX, "pgw;gx;1", 1, 2001)},
            // CCR-U and a Gy CCR-I in one segment; the CCR-U carries nothing but its Session-Id
            {DiameterSamples.ccrBare(0x22, GX, "pgw;gx;1", 2), DiameterSamples.gyCcr(0x23, "pgw;gy;1",
                DiameterSamples.ULI_TAI_ECGI)},
            {DiameterSamples.cca(0x22, GX, "pgw;gx;1", 2, 2001), DiameterSamples.cca(0x23, GY, "pgw;gy;1", 1, 4012)},
            {DiameterSamples.ccrBare(0x24, GX, "pgw;gx;1", 3)},
            {DiameterSamples.cca(0x24, GX, "pgw;gx;1", 3, 2001)},
        };
        for (int i = 0; i < exchange.length; i++) {
            final boolean fromClient = (i & 1) == 0;
            final byte[] payload = concat(exchange[i]);
            final byte[] seg = fromClient ? tcp(41000, 3868, cseq, sseq, payload) : tcp(3868, 41000, sseq, cseq, payload);
            if (fromClient) {
                cseq += payload.length;
            } else {
                sseq += payload.length;
            }
            // IPv6 between PGW and PCRF
            w.packet(t += MS, ethernet(ETHERTYPE_IPV6, fromClient ? ipv6("2001:db8::1", "2001:db8::2", PROTO_TCP, seg)
                : ipv6("2001:db8::2", "2001:db8::1", PROTO_TCP, seg)));
        }
        return w.toByteArray();
    }

    private static byte[] sgdShCxOverSctp() {
        final SctpFlow f = new SctpFlow();
        f.send(true, DiameterSamples.ofr(0x51, "mme;sgd;1", MSISDN));
        f.send(false, DiameterSamples.answer(8388645, SGD, 0x51, "mme;sgd;1", resultCode(2001)));
        f.send(true, DiameterSamples.ofrNational(0x53, "mme;sgd;3"));
        f.send(false, DiameterSamples.tfr(0x52, "smsc;sgd;2", IMSI));
        f.send(true, DiameterSamples.experimental(8388646, SGD, 0x52, "smsc;sgd;2", 5555));
        f.send(true, DiameterSamples.udr(0x61, "as;sh;1", MSISDN));
        f.send(false, DiameterSamples.udaWithUserData(0x61, "as;sh;1"));
        f.send(false, DiameterSamples.pnr(0x62, "hss;sh;2", "tel:013800000002;phone-context=ims.example.org"));
        f.send(true, DiameterSamples.cx(300, 0x71, "icscf;cx;1", IMSI + "@ims.mnc001.mcc001.3gppnetwork.org",
            "sip:+8613800000001@ims.mnc001.mcc001.3gppnetwork.org"));
        f.send(false, DiameterSamples.experimental(300, CX, 0x71, "icscf;cx;1", 2001));  // DIAMETER_FIRST_REGISTRATION
        f.send(true, DiameterSamples.cx(301, 0x72, "scscf;cx;2", null, "tel:+86-138-0000-0003"));
        f.send(false, DiameterSamples.saaWithUserData(0x72, "scscf;cx;2"));
        f.send(true, DiameterSamples.cx(302, 0x73, "icscf;cx;3", null, "sip:13800000004@ims.example.org;user=phone"));
        f.send(true, DiameterSamples.cx(303, 0x74, "scscf;cx;4", "user@ims.example.org",
            "sip:001010123456789@ims.mnc001.mcc001.3gppnetwork.org"));
        return f.w.toByteArray();
    }

    /** TS 29.061 16.4.7.2: one CCR-U per Geographic Location Type sigmatch reads. */
    static final byte[][] ULI_FORMS = {
        bytes(0, 0x64, 0xF0, 0x00, 0x11, 0x22, 0x33, 0x44),                                   // CGI: 460/00 LAC 0x1122 CI 0x3344
        bytes(1, 0x64, 0xF0, 0x00, 0x11, 0x22, 0x55, 0x66),                                   // SAI: LAC 0x1122 SAC 0x5566
        bytes(2, 0x64, 0xF0, 0x00, 0x11, 0x22, 0x07, 0xFF),                                   // RAI: LAC 0x1122 RAC 7
        bytes(128, 0x13, 0x00, 0x14, 0x00, 0x2A),                                             // TAI: 310/410 (3-digit MNC), TAC 42
        bytes(129, 0x64, 0xF0, 0x10, 0x01, 0x23, 0x45, 0x67),                                 // ECGI: 460/01 ECI 0x1234567
        DiameterSamples.ULI_TAI_ECGI,                                                          // TAI and ECGI
        bytes(131, 0x64, 0xF0, 0x00, 0x0A, 0xBC, 0xDE),                                        // eNodeB ID: macro 0xABCDE
        bytes(132, 0x64, 0xF0, 0x00, 0x00, 0x07, 0x64, 0xF0, 0x00, 0x0A, 0xBC, 0xDE),        // TAI and eNodeB ID
        bytes(133, 0x64, 0xF0, 0x00, 0x1F, 0xFF, 0xFF),                                        // extended eNodeB ID (long, 21 bits)
        bytes(134, 0x64, 0xF0, 0x00, 0x00, 0x08, 0x64, 0xF0, 0x00, 0x83, 0xFF, 0xFF),        // TAI and ext. eNodeB (SMeNB)
        bytes(135, 0x64, 0xF0, 0x00, 0x0F, 0x12, 0x34, 0x56, 0x78),                           // NCGI: NCI 0xF12345678 (36 bits)
        bytes(136, 0x64, 0xF0, 0x00, 0x01, 0x02, 0x03),                                        // 5GS TAI: TAC 0x010203
        bytes(137, 0x64, 0xF0, 0x00, 0x00, 0x00, 0x09, 0x64, 0xF0, 0x00, 0x01, 0x23, 0x45, 0x67, 0x89),  // 5GS TAI + NCGI
        bytes(130, 0x64, 0xF0, 0x00, 0x12),                                                    // TAI and ECGI cut short: bad_uli
    };

    private static byte[] uliTypes() {
        final SctpFlow f = new SctpFlow();
        for (int i = 0; i < ULI_FORMS.length; i++) {
            f.send(true, DiameterSamples.ccr(0x300 + i, "pgw;uli;" + i, 2, ULI_FORMS[i]));
        }
        return f.w.toByteArray();
    }
}
