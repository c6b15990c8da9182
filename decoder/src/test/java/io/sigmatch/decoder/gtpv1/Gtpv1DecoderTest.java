package io.sigmatch.decoder.gtpv1;

import static io.sigmatch.decoder.gtpv1.Gtpv1Frames.GERAN_SUB;
import static io.sigmatch.decoder.gtpv1.Gtpv1Frames.GGSN_IP;
import static io.sigmatch.decoder.gtpv1.Gtpv1Frames.SGSN_IP;
import static io.sigmatch.decoder.gtpv1.Gtpv1Frames.bytes;
import static io.sigmatch.decoder.gtpv1.Gtpv1Frames.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.DecoderConfig;
import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.EventKind;
import io.sigmatch.decoder.Outcome;
import io.sigmatch.decoder.Plmn;
import io.sigmatch.decoder.Protocol;
import io.sigmatch.decoder.Rat;
import io.sigmatch.decoder.SignalingDecoder;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.gtpv2.Gtpv2Config;
import io.sigmatch.decoder.gtpv2.Gtpv2Decoder;
import io.sigmatch.decoder.testing.Hex;
import org.junit.jupiter.api.Test;

class Gtpv1DecoderTest {
    static final int SGSN2_IP = 0x0A010003;

    /**
     * TS 29.060 7.3.1 Create PDP Context Request, written out octet by octet: a 2G subscriber on
     * GERAN, CGI in the ULI, IMEISV, MSISDN, APN.
     */
    static final byte[] CREATE_PDP_CONTEXT_REQUEST = Hex.parse(String.join("",
        "32", "10", "008c", "00000000",                 // v1 PT S, Create PDP Context Request, length 140, TEID 0
        "0002", "00", "00",                             // sequence 2, N-PDU, no extension header
        "02", "64001032547698f0",                       // IMSI 460001234567890 (TBCD, F filler)
        "03", "64f000", "1234", "56",                   // RAI: 460/00, LAC 0x1234, RAC 0x56
        "0e", "07",                                     // Recovery 7
        "0f", "fc",                                     // Selection mode 0 (spare bits 1)
        "10", "10000101",                               // TEID Data I
        "11", "10000001",                               // TEID Control Plane 0x10000001
        "14", "05",                                     // NSAPI 5
        "80", "0002", "f121",                           // End User Address: IETF, IPv4, dynamic
        "83", "0019", "05636d6e6574", "066d6e63303030", "066d6363343630", "0467707273",  // APN cmnet.mnc000.mcc460.gprs
        "85", "0004", "0a010001",                       // GSN Address (signalling) 10.1.0.1
        "85", "0004", "0a010001",                       // GSN Address (user traffic)
        "86", "0008", "91", "68310810830 0f0".replace(" ", ""),  // MSISDN: international E.164, 8613800138000
        "87", "000c", "0123811f9196878744020000",       // QoS profile (ARP 1 + R99 QoS)
        "97", "0001", "02",                             // RAT Type GERAN
        "98", "0008", "00", "64f000", "1234", "abcd",  // ULI: CGI 460/00, LAC 0x1234, CI 0xABCD
        "99", "0002", "2100",                           // MS Time Zone GMT+3, no DST
        "9a", "0008", "5343096089371324"));             // IMEI(SV) 3534900698733142

    final Counters counters = new Counters();
    final Gtpv1Decoder decoder = new Gtpv1Decoder(counters, new Gtpv1Config());
    final RecordingSink sink = new RecordingSink();

    @Test
    void handWrittenRequestIsTheBuildersOwn() {
        // the octet-by-octet request and the builder agree, so the other tests' messages are checked too
        final byte[] built = Gtpv1Frames.geranCreate(2);
        assertEquals(Hex.of(built, 0, built.length), Hex.of(CREATE_PDP_CONTEXT_REQUEST, 0, CREATE_PDP_CONTEXT_REQUEST.length));
    }

    @Test
    void createPdpContextRequestFields() {
        decode(1, SGSN_IP, GGSN_IP, CREATE_PDP_CONTEXT_REQUEST);
        final SignalingMessage m = sink.onlyMessage();
        assertEquals(Protocol.GTPV1, m.protocol());
        assertEquals("Create PDP context request", m.messageName());
        assertTrue(m.isRequest());
        assertEquals(EventKind.DATA_SESSION_START, m.event());
        assertEquals("460001234567890", Digits.toString(m.imsi()));
        assertEquals("8613800138000", Digits.toString(m.msisdn()));
        assertEquals("35349006987331", Digits.toString(m.imei()));
        assertEquals("3534900698733142", Digits.toString(m.imeisv()));
        assertEquals(Plmn.of(460, 0, 2), m.cellPlmn());
        assertEquals(Plmn.of(460, 0, 2), m.servingPlmn(), "the RAI's PLMN is the SGSN's network");
        assertEquals(0x1234, m.lac());
        assertEquals(0xABCD, m.ci());
        assertEquals(Rat.GERAN, m.rat());
        assertEquals("cmnet.mnc000.mcc460.gprs", m.apnString());
        assertFalse(m.has(SignalingMessage.OUTCOME), "a request has no outcome");
        assertEquals(0, counters.sum(Gtpv1Decoder.ERROR));
        assertEquals(1, decoder.pendingRequests());
        assertEquals(1, decoder.teidTableSize(), "the SGSN's TEID-C is learned at once");
    }

    @Test
    void wholeLifecycleResolvesThroughTheTeidTable() {
        final Gtpv1Frames.Subscriber g = GERAN_SUB;
        decode(1, SGSN_IP, GGSN_IP, CREATE_PDP_CONTEXT_REQUEST);
        decode(2, GGSN_IP, SGSN_IP, Gtpv1Frames.createPdpContextResponse(2, g, 128, 10, 2, 0, 1));
        SignalingMessage p = sink.lastProcedure();
        assertEquals(Outcome.ACCEPTED, p.outcome());
        assertEquals(EventKind.DATA_SESSION_START, p.event());
        assertEquals(2, p.frame(), "completed at the response");
        assertEquals(2, decoder.teidTableSize(), "SGSN's and GGSN's TEID-C");

        // routeing area update in the same SGSN: only the GGSN's TEID in the header names the subscriber
        decode(3, SGSN_IP, GGSN_IP, Gtpv1Frames.updatePdpContextRequest(3, g, g.sgsnTeidC(),
            Gtpv1Frames.rai("460", "00", 0x2222, 7), Gtpv1Frames.uli(Gtpv1Ie.ULI_SAI, "460", "00", 0x2222, 0x3333), 1,
            10, 1, 0, 1));
        final SignalingMessage update = sink.messages.get(sink.messages.size() - 1);
        assertFalse(update.has(SignalingMessage.IMSI), "the message itself carries no IMSI");
        assertEquals(EventKind.LOCATION_UPDATE, update.event());
        assertEquals(0x3333, update.sac());
        decode(4, GGSN_IP, SGSN_IP, Gtpv1Frames.updatePdpContextResponse(3, g.sgsnTeidC(), g, 128, 10, 2, 0, 1));
        p = sink.lastProcedure();
        assertEquals(EventKind.LOCATION_UPDATE, p.event());
        assertEquals(g.imsi(), Digits.toString(p.imsi()));
        assertEquals(g.msisdn(), Digits.toString(p.msisdn()));
        assertEquals(g.imeisv(), Digits.toString(p.imeisv()));
        assertTrue((p.resolved() & SignalingMessage.IMSI) != 0, "resolved, not on the wire");
        assertEquals(Rat.UTRAN, p.rat());
        assertEquals(0x2222, p.lac());
        assertEquals(2, decoder.teidTableSize(), "known TEIDs are not learned twice");

        // inter-SGSN update: a new SGSN announces its TEID-C; the Delete it later receives resolves by it
        decode(5, SGSN2_IP, GGSN_IP, Gtpv1Frames.updatePdpContextRequest(4, g, 0x30000001L,
            Gtpv1Frames.rai("460", "00", 0x4444, 1), Gtpv1Frames.uli(Gtpv1Ie.ULI_CGI, "460", "00", 0x4444, 9), 1,
            10, 1, 0, 3));
        decode(6, GGSN_IP, SGSN2_IP, Gtpv1Frames.updatePdpContextResponse(4, 0x30000001L, g, 128, 10, 2, 0, 1));
        assertEquals(3, decoder.teidTableSize(), "the new SGSN's TEID-C");
        // a GGSN-initiated Delete to the new SGSN: header TEID is the new SGSN's
        decode(7, GGSN_IP, SGSN2_IP, Gtpv1Frames.deletePdpContextRequest(9, 0x30000001L));
        decode(8, SGSN2_IP, GGSN_IP, Gtpv1Frames.deletePdpContextResponse(9, g.ggsnTeidC(), 128));
        p = sink.lastProcedure();
        assertEquals(EventKind.DATA_SESSION_END, p.event());
        assertEquals(Outcome.ACCEPTED, p.outcome());
        assertEquals(g.imsi(), Digits.toString(p.imsi()));
        assertEquals(1, decoder.teidTableSize(), "both TEIDs the Delete was addressed to are released");
        assertEquals(0, decoder.pendingRequests());
        assertEquals(4, counters.get(Gtpv1Decoder.CORRELATE + Gtpv1Decoder.PAIRED));
    }

    @Test
    void rejectedCreateReleasesWhatItsRequestTaught() {
        decode(1, SGSN_IP, GGSN_IP, CREATE_PDP_CONTEXT_REQUEST);
        assertEquals(1, decoder.teidTableSize());
        decode(2, GGSN_IP, SGSN_IP, Gtpv1Frames.createPdpContextResponse(2, GERAN_SUB, 199));  // No resources available
        final SignalingMessage p = sink.lastProcedure();
        assertEquals(Outcome.REJECTED, p.outcome());
        assertEquals(EventKind.DATA_SESSION_START, p.event());
        assertEquals(0, decoder.teidTableSize());
    }

    @Test
    void unansweredRequestTimesOutAsUnknown() {
        decode(1, SGSN_IP, GGSN_IP, CREATE_PDP_CONTEXT_REQUEST);
        // a retransmission keeps the first copy
        decode(2, SGSN_IP, GGSN_IP, CREATE_PDP_CONTEXT_REQUEST);
        assertEquals(1, counters.get(Gtpv1Decoder.CORRELATE + Gtpv1Decoder.RETRANSMISSION));
        decoder.advanceTime(1_000_000L + Gtpv1Config.ANSWER_TIMEOUT_NS_DEFAULT, sink);
        final SignalingMessage p = sink.lastProcedure();
        assertEquals(Outcome.UNKNOWN, p.outcome());
        assertEquals(1, p.frame(), "at the request's own frame");
        assertEquals(1, counters.get(Gtpv1Decoder.CORRELATE + Gtpv1Decoder.TIMED_OUT));
    }

    @Test
    void responseWithoutRequestAndIndicationsCompleteOnTheirOwn() {
        decode(1, GGSN_IP, SGSN_IP, Gtpv1Frames.deletePdpContextResponse(5, 0x777, 192));  // Non-existent
        assertEquals(Outcome.REJECTED, sink.lastProcedure().outcome());
        // 7.3.7 Error Indication on the control port: TEID Data I and GSN Address, no answer expected
        decode(2, GGSN_IP, SGSN_IP, Gtpv1Frames.message(26, 0, 0, Gtpv1Frames.teidData(5),
            Gtpv1Frames.gsnAddress(10, 2, 0, 1)));
        assertEquals("Error indication", sink.lastProcedure().messageName());
        assertEquals(1, counters.get(Gtpv1Decoder.CORRELATE + Gtpv1Decoder.UNANSWERED));
        assertEquals(1, counters.get(Gtpv1Decoder.CORRELATE + Gtpv1Decoder.ANSWER_WITHOUT_REQUEST));
    }

    @Test
    void updateWithoutLocationIsNoLocationUpdate() {
        // a GGSN-initiated Update (QoS change) carries neither RAI, ULI nor RAT Type
        decode(1, GGSN_IP, SGSN_IP, Gtpv1Frames.message(18, 0x10000001L, 1, Gtpv1Frames.nsapi(5), Gtpv1Frames.qos()));
        assertEquals(EventKind.NONE, sink.onlyMessage().event());
    }

    @Test
    void extensionHeadersArePassedOver() {
        // E flag, first extension type 0x02 (MS Info Change Reporting Support Indication), one 4-octet header
        final byte[] body = java.util.Arrays.copyOfRange(CREATE_PDP_CONTEXT_REQUEST, 12, CREATE_PDP_CONTEXT_REQUEST.length);
        decode(1, SGSN_IP, GGSN_IP, Gtpv1Frames.messageWithExtensions(16, 0, 2, bytes(0x01, 0xFF, 0xFF, 0x00), 0x02, body));
        assertEquals("460001234567890", Digits.toString(sink.onlyMessage().imsi()));
        assertEquals(1, decoder.header().extensionCount());
    }

    @Test
    void demuxRoutesByVersion() {
        final Gtpv2Decoder v2 = new Gtpv2Decoder(counters, new Gtpv2Config());
        final GtpControlDemux demux = new GtpControlDemux(decoder, v2);
        demux.decode(packet(1, 0, SGSN_IP, GGSN_IP), Unpooled.wrappedBuffer(CREATE_PDP_CONTEXT_REQUEST), 0,
            CREATE_PDP_CONTEXT_REQUEST.length, sink);
        // TS 29.274 7.1.1 Echo Request: version 2, no TEID, sequence 1, Recovery
        final byte[] echo2 = bytes(0x40, 0x01, 0x00, 0x09, 0x00, 0x00, 0x01, 0x00, 0x03, 0x00, 0x01, 0x00, 0x05);
        demux.decode(packet(2, 0, SGSN_IP, GGSN_IP), Unpooled.wrappedBuffer(echo2), 0, echo2.length, sink);
        assertEquals(Protocol.GTPV1, sink.messages.get(0).protocol());
        assertEquals(Protocol.GTPV2, sink.messages.get(1).protocol());
        assertEquals(0, counters.get(Gtpv2Decoder.SKIPPED_GTPV1), "GTPv1 no longer reaches the GTPv2 decoder");
        demux.flush(sink);
        assertEquals(0, decoder.pendingRequests() + v2.pendingRequests());
    }

    @Test
    void signalingDecoderDecodesGtpv1OnTheGtpPort() throws Exception {
        final RecordingSink out = new RecordingSink();
        final SignalingDecoder signaling = new SignalingDecoder(counters, new DecoderConfig(), out);
        final java.nio.file.Path file = java.nio.file.Files.createTempFile("gtpv1", ".pcap");
        try {
            java.nio.file.Files.write(file, Gtpv1Frames.captures().get("pdp-lifecycle.pcap"));
            signaling.decodeFile(file);
            signaling.finish();
        } finally {
            java.nio.file.Files.delete(file);
        }
        assertEquals(18, out.messages.size());
        assertTrue(out.messages.stream().allMatch(m -> m.protocol() == Protocol.GTPV1));
        assertEquals(9, out.procedures.size());
    }

    private void decode(final long frame, final int src, final int dst, final byte[] datagram) {
        decoder.decode(packet(frame, frame * 1_000_000L, src, dst), Unpooled.wrappedBuffer(datagram), 0, datagram.length, sink);
    }
}
