package io.sigmatch.tools.generate;

/**
 * SIP (RFC 3261) requests and responses as the IMS carries them (TS 24.229): INVITE with the
 * caller's P-Asserted-Identity as a tel URI (RFC 3325, RFC 3966), MESSAGE for SMS (RFC 3428), and a
 * 302 with Diversion (RFC 5806) when the called subscriber's forwarding sends the call elsewhere.
 * Text, CRLF line ends, Content-Length counted in octets.
 */
final class SipEncoder {
    static final String DOMAIN = "ims.mnc000.mcc460.3gppnetwork.org";
    private final WireBuffer out = new WireBuffer(2048);
    private final StringBuilder text = new StringBuilder(1024);

    byte[] array() {
        return out.array();
    }

    int length() {
        return out.length();
    }

    /** Dialog and transaction identifiers of one exchange. */
    record Dialog(String callId, String branch, String fromTag, String toTag, int cseq) {
    }

    /** A tel URI: international numbers with +, short codes (10086) with the home phone-context (RFC 3966 5.1.5). */
    static String tel(final String number, final boolean international) {
        return international ? "tel:+" + number : "tel:" + number + ";phone-context=" + DOMAIN;
    }

    void invite(final Dialog d, final String fromHost, final int fromPort, final String callerMsisdn,
        final String calledUri, final String accessNetworkInfo) {
        start("INVITE " + calledUri + " SIP/2.0");
        via(fromHost, fromPort, d.branch());
        line("Max-Forwards: 70");
        line("From: <tel:+" + callerMsisdn + ">;tag=" + d.fromTag());
        line("To: <" + calledUri + ">");
        line("Call-ID: " + d.callId());
        line("CSeq: " + d.cseq() + " INVITE");
        line("Contact: <sip:+" + callerMsisdn + "@" + fromHost + ":" + fromPort + ">");
        line("P-Asserted-Identity: <tel:+" + callerMsisdn + ">");
        if (accessNetworkInfo != null) {
            line("P-Access-Network-Info: " + accessNetworkInfo);
        }
        line("Allow: INVITE, ACK, CANCEL, BYE, UPDATE, PRACK, MESSAGE");
        final String sdp = "v=0\r\no=- 1 1 IN IP4 " + fromHost + "\r\ns=-\r\nc=IN IP4 " + fromHost
            + "\r\nt=0 0\r\nm=audio 49152 RTP/AVP 104\r\na=rtpmap:104 AMR-WB/16000\r\n";
        body("application/sdp", sdp);
    }

    /**
     * A page-mode MESSAGE on the UE's link (Gm). Sent by the UE (accessNetworkInfo non-null), it names
     * its sender in P-Preferred-Identity and its cell in P-Access-Network-Info, which only the UE
     * inserts (TS 24.229 5.1.2A.1, 7.2A.4; RFC 3325 9.2); sent to the UE by the P-CSCF, it carries the
     * sender's asserted identity (P-Asserted-Identity) and the P-CSCF's Via above the S-CSCF's.
     */
    void message(final Dialog d, final String fromHost, final int fromPort, final String fromMsisdn,
        final String toMsisdn, final String content, final String accessNetworkInfo) {
        start("MESSAGE tel:+" + toMsisdn + " SIP/2.0");
        via(fromHost, fromPort, d.branch());
        line("Max-Forwards: 70");
        line("From: <tel:+" + fromMsisdn + ">;tag=" + d.fromTag());
        line("To: <tel:+" + toMsisdn + ">");
        line("Call-ID: " + d.callId());
        line("CSeq: " + d.cseq() + " MESSAGE");
        if (accessNetworkInfo != null) {
            line("P-Preferred-Identity: <tel:+" + fromMsisdn + ">");
            line("P-Access-Network-Info: " + accessNetworkInfo);
        } else {
            line("P-Asserted-Identity: <tel:+" + fromMsisdn + ">");
        }
        body("text/plain", content);
    }

    void ack(final Dialog d, final String fromHost, final int fromPort, final String callerMsisdn,
        final String calledUri) {
        start("ACK " + calledUri + " SIP/2.0");
        via(fromHost, fromPort, d.branch() + "a");
        line("Max-Forwards: 70");
        line("From: <tel:+" + callerMsisdn + ">;tag=" + d.fromTag());
        line("To: <" + calledUri + ">;tag=" + d.toTag());
        line("Call-ID: " + d.callId());
        line("CSeq: " + d.cseq() + " ACK");
        body(null, "");
    }

    void bye(final Dialog d, final String fromHost, final int fromPort, final String callerMsisdn,
        final String calledUri) {
        start("BYE " + calledUri + " SIP/2.0");
        via(fromHost, fromPort, d.branch() + "b");
        line("Max-Forwards: 70");
        line("From: <tel:+" + callerMsisdn + ">;tag=" + d.fromTag());
        line("To: <" + calledUri + ">;tag=" + d.toTag());
        line("Call-ID: " + d.callId());
        line("CSeq: " + (d.cseq() + 1) + " BYE");
        body(null, "");
    }

    /**
     * A response to the request of dialog d, sent back along its Via. For a 302 the Contact names the
     * forwarding target and Diversion the subscriber whose forwarding applied (RFC 5806 3).
     */
    void response(final int code, final String reason, final Dialog d, final String viaHost, final int viaPort,
        final String method, final String fromUri, final String toUri, final boolean withToTag,
        final String contactUri, final String diversionUri) {
        start("SIP/2.0 " + code + " " + reason);
        via(viaHost, viaPort, "BYE".equals(method) ? d.branch() + "b" : d.branch());
        line("From: <" + fromUri + ">;tag=" + d.fromTag());
        line("To: <" + toUri + ">" + (withToTag ? ";tag=" + d.toTag() : ""));
        line("Call-ID: " + d.callId());
        line("CSeq: " + ("BYE".equals(method) ? d.cseq() + 1 : d.cseq()) + " " + method);
        if (contactUri != null) {
            line("Contact: <" + contactUri + ">");
        }
        if (diversionUri != null) {
            line("Diversion: <" + diversionUri + ">;reason=unavailable;counter=1");
        }
        body(null, "");
    }

    private void start(final String first) {
        text.setLength(0);
        line(first);
    }

    private void via(final String host, final int port, final String branch) {
        line("Via: SIP/2.0/UDP " + host + ":" + port + ";branch=" + branch);
    }

    private void line(final String l) {
        text.append(l).append("\r\n");
    }

    private void body(final String type, final String content) {
        if (type != null) {
            line("Content-Type: " + type);
        }
        line("Content-Length: " + content.length());
        text.append("\r\n").append(content);
        out.clear();
        out.ascii(text.toString());
    }
}
