package io.sigmatch.decoder.sip;

import static io.sigmatch.decoder.testing.Packets.ETHERTYPE_IPV4;
import static io.sigmatch.decoder.testing.Packets.PROTO_TCP;
import static io.sigmatch.decoder.testing.Packets.PROTO_UDP;
import static io.sigmatch.decoder.testing.Packets.ethernet;
import static io.sigmatch.decoder.testing.Packets.ipv4;
import static io.sigmatch.decoder.testing.Packets.udp;

import io.sigmatch.decoder.testing.ByteWriter;
import io.sigmatch.decoder.testing.Packets;
import io.sigmatch.decoder.testing.PcapWriter;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SIP messages and the captures the SIP tests write themselves, for what the public corpus lacks
 * (MANIFEST.md: no Diversion, History-Info or 3xx, one MESSAGE, no 3GPP SMS body, no NR/UTRAN/GERAN
 * access info): an IMS registration with P-Access-Network-Info and +sip.instance, a hotline INVITE with
 * P-Asserted-Identity, 181 and 302 with Diversion, a forwarded INVITE with History-Info, MO and MT
 * MESSAGE (one with an RP-DATA / SMS-SUBMIT body), compact and folded headers, and SIP over TCP split
 * across segments and two messages in one segment. Text with CRLF; Content-Length counted here.
 */
final class SipFrames {
    static final String DOMAIN = "ims.mnc000.mcc460.3gppnetwork.org";
    static final String UE = "10.45.0.2";
    static final String PCSCF = "10.4.128.21";
    static final String SCSCF = "10.4.128.22";
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final long MS = 1_000_000L;

    private SipFrames() {
    }

    /** A message from its lines (CRLF added) and a body; Content-Length is appended unless given. */
    static byte[] message(final String body, final String... lines) {
        final StringBuilder sb = new StringBuilder();
        boolean hasLength = false;
        for (final String l : lines) {
            sb.append(l).append("\r\n");
            final String lower = l.toLowerCase();
            hasLength |= lower.startsWith("content-length") || lower.startsWith("l:") || lower.startsWith("l :");
        }
        final byte[] b = body.getBytes(StandardCharsets.ISO_8859_1);
        if (!hasLength) {
            sb.append("Content-Length: ").append(b.length).append("\r\n");
        }
        sb.append("\r\n");
        return Packets.concat(sb.toString().getBytes(StandardCharsets.ISO_8859_1), b);
    }

    static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    // ---- messages ---------------------------------------------------------------------------

    /** TS 24.229 5.1.1.2: the UE's initial REGISTER with its cell and IMEI (RFC 7254 with svn). */
    static byte[] register(final int cseq, final String branch) {
        return message("",
            "REGISTER sip:" + DOMAIN + " SIP/2.0",
            "Via: SIP/2.0/UDP " + UE + ":5060;branch=" + branch,
            "Max-Forwards: 70",
            "From: <sip:460001234567890@" + DOMAIN + ">;tag=reg1",
            "To: <sip:460001234567890@" + DOMAIN + ">",
            "Call-ID: reg-1@" + UE,
            "CSeq: " + cseq + " REGISTER",
            "Contact: <sip:" + UE + ":5060>;+sip.instance=\"<urn:gsma:imei:35209900-176148-1;svn=12>\";expires=600000",
            "P-Access-Network-Info: 3GPP-E-UTRAN-FDD; utran-cell-id-3gpp=4600012AB0123456",
            "Authorization: Digest username=\"460001234567890@" + DOMAIN + "\",realm=\"" + DOMAIN + "\",nonce=\"\",uri=\"sip:" + DOMAIN + "\",response=\"\"",
            "Expires: 600000");
    }

    static byte[] response(final int code, final String reason, final String branch, final String callId,
        final int cseq, final String method, final String from, final String to, final String... extra) {
        final String[] lines = new String[6 + extra.length];
        lines[0] = "SIP/2.0 " + code + " " + reason;
        lines[1] = "Via: SIP/2.0/UDP " + UE + ":5060;branch=" + branch;
        lines[2] = "From: " + from;
        lines[3] = "To: " + to;
        lines[4] = "Call-ID: " + callId;
        lines[5] = "CSeq: " + cseq + " " + method;
        System.arraycopy(extra, 0, lines, 6, extra.length);
        return message("", lines);
    }

    static final String SDP = "v=0\r\no=- 1 1 IN IP4 " + UE + "\r\ns=-\r\nc=IN IP4 " + UE
        + "\r\nt=0 0\r\nm=audio 49152 RTP/AVP 104\r\na=rtpmap:104 AMR-WB/16000\r\n";

    /** A VoNR INVITE to the 10086 hotline: PAI with a sip and a tel URI, NR cell in P-Access-Network-Info. */
    static byte[] hotlineInvite() {
        return message(SDP,
            "INVITE tel:10086;phone-context=" + DOMAIN + " SIP/2.0",
            "Via: SIP/2.0/UDP " + UE + ":5060;branch=z9hG4bKinv1",
            "Max-Forwards: 70",
            "From: \"Alice\" <sip:+8613800000001@" + DOMAIN + ">;tag=a1",
            "To: <tel:10086;phone-context=" + DOMAIN + ">",
            "Call-ID: call-1@" + UE,
            "CSeq: 10 INVITE",
            "Contact: <sip:+8613800000001@" + UE + ":5060>;+sip.instance=\"<urn:gsma:imei:35209900-176148-1>\"",
            "P-Asserted-Identity: <sip:+8613800000001@" + DOMAIN + ";user=phone>, <tel:+8613800000001>",
            "P-Access-Network-Info: 3GPP-NR-FDD; nr-cell-id-3gpp=460000000A1123456789",
            "Content-Type: application/sdp");
    }

    /**
     * Compact forms (RFC 3261 7.3.3: i f t m l c v), a folded P-Asserted-Identity (7.3.1), a national
     * number with the trunk prefix, and a UTRAN cell.
     */
    static byte[] compactFoldedInvite() {
        return message(SDP,
            "INVITE tel:013900000002;phone-context=" + DOMAIN + " SIP/2.0",
            "v: SIP/2.0/UDP " + UE + ":5060;branch=z9hG4bKinv2",
            "f: <tel:+8613800000001>;tag=a2",
            "t: <tel:013900000002;phone-context=" + DOMAIN + ">",
            "i: call-2@" + UE,
            "CSeq: 20 INVITE",
            "m: <sip:+8613800000001@" + UE + ":5060>",
            "P-Asserted-Identity:",
            "  <tel:+8613800000001>",
            "P-Access-Network-Info: 3GPP-UTRAN-FDD; utran-cell-id-3gpp=46001ABCD0123456",
            "Subject: a subject",
            "\tfolded over two lines",
            "c: application/sdp",
            "l: " + SDP.length());
    }

    /** The TAS forwards: 181 with Diversion naming the subscriber (RFC 5806), then 302 to the target. */
    static byte[] forwardedResponse(final int code, final String reason) {
        return message("",
            "SIP/2.0 " + code + " " + reason,
            "Via: SIP/2.0/UDP " + SCSCF + ":5060;branch=z9hG4bKfwd1",
            "From: <tel:+8613800000003>;tag=c3",
            "To: <tel:+8613800000004>;tag=t4",
            "Call-ID: call-3@" + SCSCF,
            "CSeq: 30 INVITE",
            "Diversion: <tel:+8613800000004>;reason=unconditional;counter=1",
            code == 302 ? "Contact: <tel:+8613900000009>" : "Allow: INVITE, ACK");
    }

    static byte[] forwardedInvite(final String branch) {
        return message(SDP,
            "INVITE tel:+8613800000004 SIP/2.0",
            "Via: SIP/2.0/UDP " + SCSCF + ":5060;branch=" + branch,
            "Max-Forwards: 69",
            "From: <tel:+8613800000003>;tag=c3",
            "To: <tel:+8613800000004>",
            "Call-ID: call-3@" + SCSCF,
            "CSeq: 30 INVITE",
            "P-Asserted-Identity: <tel:+8613800000003>",
            "Content-Type: application/sdp");
    }

    /** The forwarded leg to the target: Diversion and History-Info (RFC 7044) name the diverting user. */
    static byte[] divertedInvite() {
        return message(SDP,
            "INVITE tel:+8613900000009 SIP/2.0",
            "Via: SIP/2.0/UDP " + SCSCF + ":5060;branch=z9hG4bKdiv1",
            "From: <tel:+8613800000003>;tag=c3",
            "To: <tel:+8613900000009>",
            "Call-ID: call-4@" + SCSCF,
            "CSeq: 1 INVITE",
            "P-Asserted-Identity: <tel:+8613800000003>",
            "Diversion: <tel:+8613800000004>;reason=no-answer;counter=1",
            "History-Info: <sip:+8613800000004@" + DOMAIN + ";user=phone>;index=1,"
                + " <tel:+8613900000009;cause=408>;index=1.1",
            "Content-Type: application/sdp");
    }

    /**
     * TS 24.341 MO SMS: RP-DATA (MS to network) carrying an SMS-SUBMIT to +8613900000005 (TS 24.011 7.3.1,
     * TS 23.040 9.2.2.2), sent by the UE with P-Preferred-Identity and its cell.
     */
    static byte[] smsMo() {
        final byte[] tpdu = new ByteWriter()
            .u8(0x01)               // TP-MTI 01 SMS-SUBMIT, no VP
            .u8(0x07)               // TP-MR
            .u8(13)                 // TP-DA: 13 digits
            .u8(0x91)               // international, ISDN
            .hex("68 31 09 00 00 50 F0")  // 8613900000050 in TBCD, filler
            .u8(0x00)               // TP-PID
            .u8(0x00)               // TP-DCS GSM 7-bit
            .u8(0x02)               // TP-UDL 2 septets
            .hex("C8 34")           // "Hi"
            .toByteArray();
        final byte[] rp = new ByteWriter()
            .u8(0x00)               // RP-MTI 000 RP-DATA MS to network
            .u8(0x2A)               // RP-MR
            .u8(0x00)               // RP-OA: empty
            .u8(0x07).u8(0x91).hex("68 31 08 10 05 F0") // RP-DA: the SMSC +8613800150 0
            .u8(tpdu.length)        // RP-User-Data length
            .bytes(tpdu).toByteArray();
        final byte[] head = message("",
            "MESSAGE sip:+8613800150500@" + DOMAIN + " SIP/2.0",
            "Via: SIP/2.0/UDP " + UE + ":5060;branch=z9hG4bKsms1",
            "Max-Forwards: 70",
            "From: <sip:+8613800000001@" + DOMAIN + ">;tag=s1",
            "To: <sip:+8613800150500@" + DOMAIN + ">",
            "Call-ID: sms-1@" + UE,
            "CSeq: 1 MESSAGE",
            "P-Preferred-Identity: <sip:+8613800000001@" + DOMAIN + ">",
            "P-Access-Network-Info: 3GPP-E-UTRAN-TDD; utran-cell-id-3gpp=460000001A2B3C4D",
            "Content-Type: application/vnd.3gpp.sms",
            "Content-Length: " + rp.length);
        return Packets.concat(Arrays.copyOf(head, head.length - 0), rp);
    }

    /** MT page-mode MESSAGE delivered by the P-CSCF: the sender's asserted identity, two Vias. */
    static byte[] smsMt() {
        return message("Your code is 4711",
            "MESSAGE tel:+8613800000001 SIP/2.0",
            "Via: SIP/2.0/UDP " + PCSCF + ":5060;branch=z9hG4bKmt1",
            "Via: SIP/2.0/UDP " + SCSCF + ":5060;branch=z9hG4bKmt0",
            "From: <tel:+8610658123>;tag=m1",
            "To: <tel:+8613800000001>",
            "Call-ID: sms-2@" + SCSCF,
            "CSeq: 1 MESSAGE",
            "P-Asserted-Identity: <tel:+8610658123>",
            "Content-Type: text/plain");
    }

    /** REGISTER over TCP from a GERAN access, with the IMSI-derived public identity. */
    static byte[] tcpRegister() {
        return message("",
            "REGISTER sip:" + DOMAIN + " SIP/2.0",
            "Via: SIP/2.0/TCP " + UE + ":5060;branch=z9hG4bKtcp1",
            "From: <sip:460001234567891@" + DOMAIN + ">;tag=r2",
            "To: <sip:460001234567891@" + DOMAIN + ">",
            "Call-ID: reg-2@" + UE,
            "CSeq: 1 REGISTER",
            "Contact: <sip:" + UE + ":5060;transport=tcp>;+sip.instance=\"<urn:gsma:imei:86728703-952237-0>\"",
            "P-Access-Network-Info: 3GPP-GERAN; cgi-3gpp=46000ABCD1234",
            "Expires: 600000");
    }

    // ---- captures ---------------------------------------------------------------------------

    static Map<String, byte[]> all() {
        final Map<String, byte[]> out = new LinkedHashMap<>();
        out.put("ims-udp.pcap", imsOverUdp());
        out.put("ims-tcp.pcap", imsOverTcp());
        return out;
    }

    private static final class Flow {
        final PcapWriter w = new PcapWriter(ByteOrder.LITTLE_ENDIAN, true, 65_535, 1);
        long t = T0;

        void udp(final String src, final int srcPort, final String dst, final int dstPort, final byte[] sip) {
            w.packet(t += MS, ethernet(ETHERTYPE_IPV4, ipv4(src, dst, PROTO_UDP, Packets.udp(srcPort, dstPort, sip))));
        }
    }

    private static byte[] imsOverUdp() {
        final Flow f = new Flow();
        final String aor = "<sip:460001234567890@" + DOMAIN + ">";
        f.udp(UE, 5060, PCSCF, 5060, register(1, "z9hG4bKreg1"));
        f.udp(PCSCF, 5060, UE, 5060, response(401, "Unauthorized", "z9hG4bKreg1", "reg-1@" + UE, 1, "REGISTER",
            aor + ";tag=reg1", aor + ";tag=p1", "WWW-Authenticate: Digest realm=\"" + DOMAIN + "\",nonce=\"abc\""));
        f.udp(UE, 5060, PCSCF, 5060, register(2, "z9hG4bKreg2"));
        f.udp(PCSCF, 5060, UE, 5060, response(200, "OK", "z9hG4bKreg2", "reg-1@" + UE, 2, "REGISTER",
            aor + ";tag=reg1", aor + ";tag=p1",
            "Contact: <sip:" + UE + ":5060>;+sip.instance=\"<urn:gsma:imei:35209900-176148-1;svn=12>\";expires=600000",
            "P-Associated-URI: <sip:+8613800000001@" + DOMAIN + ">, <tel:+8613800000001>"));
        f.udp(UE, 5060, PCSCF, 5060, hotlineInvite());
        f.udp(UE, 5060, PCSCF, 5060, hotlineInvite()); // a retransmission (17.1.1.2): not a second attempt
        final String alice = "\"Alice\" <sip:+8613800000001@" + DOMAIN + ">;tag=a1";
        final String hotline = "<tel:10086;phone-context=" + DOMAIN + ">";
        f.udp(PCSCF, 5060, UE, 5060, response(100, "Trying", "z9hG4bKinv1", "call-1@" + UE, 10, "INVITE", alice, hotline));
        f.udp(PCSCF, 5060, UE, 5060, response(200, "OK", "z9hG4bKinv1", "call-1@" + UE, 10, "INVITE", alice,
            hotline + ";tag=h1", "P-Asserted-Identity: <tel:+8610086>"));
        f.udp(UE, 5060, PCSCF, 5060, compactFoldedInvite());
        f.udp(PCSCF, 5060, UE, 5060, response(486, "Busy Here", "z9hG4bKinv2", "call-2@" + UE, 20, "INVITE",
            "<tel:+8613800000001>;tag=a2", "<tel:013900000002;phone-context=" + DOMAIN + ">;tag=b2"));
        // call forwarding, as the S-CSCF and the TAS exchange it
        f.udp(SCSCF, 5060, "10.4.128.30", 5060, forwardedInvite("z9hG4bKfwd1"));
        f.udp("10.4.128.30", 5060, SCSCF, 5060, forwardedResponse(181, "Call Is Being Forwarded"));
        f.udp("10.4.128.30", 5060, SCSCF, 5060, forwardedResponse(302, "Moved Temporarily"));
        f.udp(SCSCF, 5060, "10.4.128.31", 5060, divertedInvite());
        f.udp(UE, 5060, PCSCF, 5060, smsMo());
        f.udp(PCSCF, 5060, UE, 5060, response(202, "Accepted", "z9hG4bKsms1", "sms-1@" + UE, 1, "MESSAGE",
            "<sip:+8613800000001@" + DOMAIN + ">;tag=s1", "<sip:+8613800150500@" + DOMAIN + ">;tag=x1"));
        f.udp(PCSCF, 5060, UE, 5060, smsMt());
        // an I-CSCF to S-CSCF hop on odd ports: found by content
        f.udp(PCSCF, 4060, SCSCF, 6060, message("", "OPTIONS sip:" + SCSCF + ":6060 SIP/2.0",
            "Via: SIP/2.0/UDP " + PCSCF + ":4060;branch=z9hG4bKopt1", "From: <sip:icscf@" + DOMAIN + ">;tag=o1",
            "To: <sip:scscf@" + DOMAIN + ">", "Call-ID: opt-1@" + PCSCF, "CSeq: 1 OPTIONS"));
        // a CRLF keep-alive (RFC 5626 4.4.1)
        f.udp(UE, 5060, PCSCF, 5060, bytes("\r\n\r\n"));
        return f.w.toByteArray();
    }

    /** RFC 793 header, 20 octets, PSH|ACK. */
    static byte[] tcp(final int srcPort, final int dstPort, final long seq, final long ack, final int flags,
        final byte[] payload) {
        return new ByteWriter()
            .u16(srcPort)          // source port
            .u16(dstPort)          // destination port
            .u32(seq)              // sequence number
            .u32(ack)              // acknowledgement number
            .u8(0x50)              // data offset 5 words
            .u8(flags)             // flags
            .u16(65535)            // window
            .u16(0)                // checksum (not verified by tshark by default)
            .u16(0)                // urgent pointer
            .bytes(payload).toByteArray();
    }

    private static byte[] imsOverTcp() {
        final Flow f = new Flow();
        final long[] seq = {1000, 9000};
        final Object[] send = new Object[1];
        final java.util.function.BiConsumer<Boolean, byte[]> segment = (fromUe, payload) -> {
            final int dir = fromUe ? 0 : 1;
            final byte[] seg = fromUe ? tcp(40000, 5060, seq[0], seq[1], 0x18, payload)
                : tcp(5060, 40000, seq[1], seq[0], 0x18, payload);
            seq[dir] += payload.length;
            f.w.packet(f.t += MS, ethernet(ETHERTYPE_IPV4, fromUe ? ipv4(UE, PCSCF, PROTO_TCP, seg)
                : ipv4(PCSCF, UE, PROTO_TCP, seg)));
        };
        // the three-way handshake, so both sides know the stream starts here
        f.w.packet(f.t += MS, ethernet(ETHERTYPE_IPV4, ipv4(UE, PCSCF, PROTO_TCP, tcp(40000, 5060, seq[0] - 1, 0, 0x02,
            new byte[0]))));
        f.w.packet(f.t += MS, ethernet(ETHERTYPE_IPV4, ipv4(PCSCF, UE, PROTO_TCP, tcp(5060, 40000, seq[1] - 1, seq[0], 0x12,
            new byte[0]))));
        final byte[] reg = tcpRegister();
        // the REGISTER split across two segments, the cut inside a header line
        segment.accept(true, Arrays.copyOfRange(reg, 0, 150));
        segment.accept(true, Arrays.copyOfRange(reg, 150, reg.length));
        final String aor = "<sip:460001234567891@" + DOMAIN + ">";
        // 100 Trying and 200 OK in one segment
        segment.accept(false, Packets.concat(
            response(100, "Trying", "z9hG4bKtcp1", "reg-2@" + UE, 1, "REGISTER", aor + ";tag=r2", aor),
            response(200, "OK", "z9hG4bKtcp1", "reg-2@" + UE, 1, "REGISTER", aor + ";tag=r2", aor + ";tag=p2")));
        // a keep-alive between messages (RFC 5626 4.4.1), then an INVITE whose body arrives in a later
        // segment (Wireshark 4.0 does not reassemble a message that follows a keep-alive in one segment;
        // SipDecoderTest frames that case)
        segment.accept(true, bytes("\r\n\r\n"));
        final byte[] invite = hotlineInvite();
        final int cut = invite.length - SDP.length() + 10;
        segment.accept(true, Arrays.copyOfRange(invite, 0, cut));
        segment.accept(true, Arrays.copyOfRange(invite, cut, invite.length));
        return f.w.toByteArray();
    }
}
