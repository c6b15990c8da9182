package io.sigmatch.decoder.gtpv2;

import static io.sigmatch.decoder.gtpv2.Gtpv2Bytes.NO_TEID;
import static io.sigmatch.decoder.gtpv2.Gtpv2Bytes.P;
import static io.sigmatch.decoder.gtpv2.Gtpv2Bytes.bytes;
import static io.sigmatch.decoder.gtpv2.Gtpv2Bytes.concat;
import static io.sigmatch.decoder.gtpv2.Gtpv2Bytes.ie;
import static io.sigmatch.decoder.gtpv2.Gtpv2Bytes.message;
import static io.sigmatch.decoder.gtpv2.Gtpv2Bytes.priority;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.EventKind;
import io.sigmatch.decoder.Outcome;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.Plmn;
import io.sigmatch.decoder.Protocol;
import io.sigmatch.decoder.Rat;
import io.sigmatch.decoder.SignalingMessage;
import org.junit.jupiter.api.Test;

class Gtpv2DecoderTest {
    static final int MME = 0x0A000001;      // 10.0.0.1
    static final int SGW = 0x0A000002;      // 10.0.0.2
    static final int PGW = 0x0A000003;      // 10.0.0.3
    static final long SECOND = 1_000_000_000L;

    final Counters counters = new Counters();
    final Gtpv2Decoder decoder = new Gtpv2Decoder(counters, new Gtpv2Config());
    final RecordingSink sink = new RecordingSink();
    long frame;

    /** A Create Session Request from the MME to the SGW on S11, every octet written out. */
    static final byte[] CREATE_SESSION_REQUEST = bytes(
        0x48,                                           // TS 29.274 5.1: version 2, P=0, T=1, MP=0
        0x20,                                           // message type 32: Create Session Request
        0x00, 0x90,                                     // message length 144: octets after the first four
        0x00, 0x00, 0x00, 0x00,                         // TEID 0: the SGW has no TEID for this UE yet
        0x00, 0x00, 0x2A,                               // sequence number 42
        0x00,                                           // spare
        // IMSI (8.3), instance 0: 001010123456789 in TBCD, filler F in the last high nibble
        0x01, 0x00, 0x08, 0x00,
        0x00, 0x01, 0x01, 0x21, 0x43, 0x65, 0x87, 0xF9,
        // MSISDN (8.11), instance 0: 8613800000001, international form, TBCD
        0x4C, 0x00, 0x07, 0x00,
        0x68, 0x31, 0x08, 0x00, 0x00, 0x00, 0xF1,
        // MEI (8.10), instance 0: IMEI 353490069873319 (15 digits, filler F)
        0x4B, 0x00, 0x08, 0x00,
        0x53, 0x43, 0x09, 0x60, 0x89, 0x37, 0x13, 0xF9,
        // ULI (8.21), instance 0, 13 octets
        0x56, 0x00, 0x0D, 0x00,
        0x18,                                           // flags: ECGI and TAI present
        0x64, 0xF0, 0x00,                               // TAI PLMN: MCC 460, MNC 00 (MNC digit 3 = F)
        0x12, 0x34,                                     // TAC 0x1234
        0x64, 0xF0, 0x00,                               // ECGI PLMN 460/00
        0x1A, 0xBC, 0xDE, 0x01,                         // 8.21.5: spare nibble (1, ignored) + ECI 0xABCDE01
        // Serving Network (8.18), instance 0: 460/00
        0x53, 0x00, 0x03, 0x00,
        0x64, 0xF0, 0x00,
        // RAT Type (8.17), instance 0: 6 = EUTRAN
        0x52, 0x00, 0x01, 0x00,
        0x06,
        // F-TEID (8.22), instance 0 = Sender F-TEID for Control Plane: V4, type 10 (S11 MME GTP-C)
        0x57, 0x00, 0x09, 0x00,
        0x8A,
        0x00, 0x00, 0x01, 0x01,                         // TEID 0x101
        0x0A, 0x00, 0x00, 0x01,                         // 10.0.0.1
        // F-TEID, instance 1 = PGW S5/S8 Address for Control Plane: V4, type 7, TEID 0 (not yet known)
        0x57, 0x00, 0x09, 0x01,
        0x87,
        0x00, 0x00, 0x00, 0x00,
        0x0A, 0x00, 0x00, 0x03,
        // APN (8.6), instance 0: ims.mnc000.mcc460.gprs as length-prefixed labels (TS 23.003 9.1)
        0x47, 0x00, 0x17, 0x00,
        0x03, 'i', 'm', 's',
        0x06, 'm', 'n', 'c', '0', '0', '0',
        0x06, 'm', 'c', 'c', '4', '6', '0',
        0x04, 'g', 'p', 'r', 's',
        // Bearer Context (8.28, grouped), instance 0, 15 octets
        0x5D, 0x00, 0x0F, 0x00,
        0x49, 0x00, 0x01, 0x00, 0x05,                   //   EBI 5
        0x56, 0x00, 0x06, 0x00,                         //   a ULI inside the bearer context: not the subscriber's
        0x08, 0x64, 0xF0, 0x00, 0x99, 0x99);            //   TAI, TAC 0x9999 (must not be read)

    @Test
    void createSessionRequestCarriesEveryField() {
        assertEquals(4 + 0x90, CREATE_SESSION_REQUEST.length, "the hand-written length matches");
        decode(MME, SGW, 0, CREATE_SESSION_REQUEST);

        final SignalingMessage m = sink.onlyMessage();
        assertEquals(Protocol.GTPV2, m.protocol());
        assertEquals(32, m.messageType());
        assertEquals("Create Session Request", m.messageName());
        assertTrue(m.isRequest());
        assertEquals(EventKind.DATA_SESSION_START, m.event());
        assertFalse(m.has(SignalingMessage.OUTCOME), "a request carries no outcome");
        assertEquals("001010123456789", Digits.toString(m.imsi()));
        assertEquals("8613800000001", Digits.toString(m.msisdn()));
        assertEquals("35349006987331", Digits.toString(m.imei()), "IMEI without its check digit");
        assertFalse(m.has(SignalingMessage.IMEISV), "15 digits are an IMEI, not an IMEISV");
        assertEquals(Plmn.of(460, 0, 2), m.cellPlmn());
        assertEquals(0x1234, m.tac(), "the message-level TAI, not the bearer context's");
        assertEquals(0xABCDE01L, m.eci());
        assertFalse(m.has(SignalingMessage.LAC));
        assertEquals(Plmn.of(460, 0, 2), m.servingPlmn());
        assertEquals(Rat.EUTRAN, m.rat());
        assertEquals("ims.mnc000.mcc460.gprs", m.apnString());
        assertEquals(0, m.resolved());
        assertEquals(1, counters.get(Gtpv2Decoder.MESSAGES));
        assertEquals(0, counters.sum(Gtpv2Decoder.ERROR));
    }

    @Test
    void headerWithoutTeidAndPairingOfEcho() {
        // TS 29.274 7.1.1: Echo Request has no TEID field (T=0); Recovery IE
        decode(MME, SGW, 0, message(0, 1, NO_TEID, 0x010203, ie(3, 0, bytes(0x11))));
        decode(SGW, MME, SECOND, message(0, 2, NO_TEID, 0x010203, ie(3, 0, bytes(0x22))));
        assertEquals("Echo Request", sink.messages.get(0).messageName());
        assertEquals("Echo Response", sink.messages.get(1).messageName());
        assertFalse(sink.messages.get(1).isRequest());
        assertEquals(1, sink.procedures.size());
        assertEquals("Echo Request", sink.lastProcedure().messageName());
        assertEquals(2, sink.lastProcedure().frame(), "a procedure completes at its answer's frame");
        assertEquals(Outcome.UNKNOWN, sink.lastProcedure().outcome(), "an Echo Response has no Cause");
        assertEquals(1, counters.get(Gtpv2Decoder.CORRELATE + Gtpv2Decoder.PAIRED));
    }

    @Test
    void piggybackedMessagesAreBothDelivered() {
        // 5.5: a Create Session Response (P=1) with a Create Bearer Request piggybacked behind it
        final byte[] first = message(P, 33, 0x101, 42,
            ie(2, 0, bytes(0x10, 0x00)),                 // Cause 16 Request accepted
            ie(87, 0, bytes(0x8B, 0, 0, 0x02, 0x02, 10, 0, 0, 2)));  // Sender F-TEID, S11/S4 SGW GTP-C
        final byte[] second = message(0, 95, 0x101, 0x800001,
            ie(73, 0, bytes(0x05)),                      // LBI 5
            ie(93, 0, ie(73, 0, bytes(0x00))));          // Bearer Context with EBI 0
        decode(SGW, MME, 0, concat(first, second));
        assertEquals(2, sink.messages.size());
        assertEquals("Create Session Response", sink.messages.get(0).messageName());
        assertEquals(Outcome.ACCEPTED, sink.messages.get(0).outcome());
        assertEquals("Create Bearer Request", sink.messages.get(1).messageName());
        assertEquals(sink.messages.get(0).frame(), sink.messages.get(1).frame(), "same datagram, same frame");
        assertEquals(0, counters.sum(Gtpv2Decoder.ERROR));
    }

    @Test
    void messagePriorityIsReadAndDoesNotShiftTheBody() {
        final byte[] msg = message(priority(9), 33, 0x15666, 67890, ie(1, 0, bytes(0x33, 0x87, 0x93, 0x34, 0x49, 0x51, 0x83, 0xF6)));
        final Gtpv2Message header = new Gtpv2Message();
        assertEquals(Gtpv2Message.OK, header.wrap(Unpooled.wrappedBuffer(msg), 0, msg.length));
        assertEquals(9, header.priority(), "5.4: bits 8-5 of octet 12");
        assertEquals(0x15666, header.teid());
        assertEquals(67890, header.sequence());
        decode(SGW, MME, 0, msg);
        assertEquals("337839439415386", Digits.toString(sink.onlyMessage().imsi()));
    }

    @Test
    void uliWithCgiSaiAndRaiGivesTheGeranUtranFields() {
        final byte[] uli = bytes(
            0x07,                                        // flags: RAI, SAI, CGI
            0x13, 0x00, 0x62,                            // CGI PLMN: MCC 310, MNC 260 (3 digits)
            0x01, 0x02,                                  // CGI LAC 0x0102
            0x03, 0x04,                                  // CI 0x0304
            0x13, 0x00, 0x62, 0x01, 0x02,                // SAI PLMN, LAC
            0x05, 0x06,                                  // SAC 0x0506
            0x13, 0x00, 0x62, 0x01, 0x02,                // RAI PLMN, LAC
            0x00, 0x07);                                 // RAC 7
        decode(MME, SGW, 0, message(0, 34, 0x202, 1, ie(86, 0, uli), ie(82, 0, bytes(1))));
        final SignalingMessage m = sink.onlyMessage();
        assertEquals(Plmn.of(310, 260, 3), m.cellPlmn());
        assertEquals(0x0102, m.lac());
        assertEquals(0x0304, m.ci());
        assertEquals(0x0506, m.sac());
        assertFalse(m.has(SignalingMessage.TAC));
        assertFalse(m.has(SignalingMessage.ECI));
        assertEquals(Rat.UTRAN, m.rat());
        assertEquals(EventKind.LOCATION_UPDATE, m.event(), "Modify Bearer with a ULI");
    }

    @Test
    void uliWithLaiOnly() {
        // 8.21.6: LAI: PLMN 262/01 and LAC 0xFFFE
        decode(MME, SGW, 0, message(0, 38, 0x202, 1, ie(86, 0, bytes(0x20, 0x62, 0xF2, 0x10, 0xFF, 0xFE))));
        final SignalingMessage m = sink.onlyMessage();
        assertEquals(Plmn.of(262, 1, 2), m.cellPlmn());
        assertEquals(0xFFFE, m.lac());
        assertEquals("Change Notification Request", m.messageName());
        assertEquals(EventKind.LOCATION_UPDATE, m.event());
    }

    @Test
    void uliWithMacroAndExtendedMacroEnodebIds() {
        final UserLocationInfo uli = new UserLocationInfo();
        // 8.21.7: TAI + macro eNodeB ID 0xABCDE (20 bits; top nibble of the first octet spare)
        final byte[] macro = bytes(0x48, 0x64, 0xF0, 0x00, 0x00, 0x01, 0x64, 0xF0, 0x00, 0xFA, 0xBC, 0xDE);
        assertTrue(uli.wrap(Unpooled.wrappedBuffer(macro), 0, macro.length));
        assertEquals(0xABCDE, uli.macroEnbId());
        // 8.21.8: SMeNB = 0: long macro eNodeB ID, 21 bits
        final byte[] longId = bytes(0x80, 0x64, 0xF0, 0x00, 0x1F, 0xFF, 0xFF);
        assertTrue(uli.wrap(Unpooled.wrappedBuffer(longId), 0, longId.length));
        assertFalse(uli.extMacroEnbShort());
        assertEquals(0x1FFFFF, uli.extMacroEnbId());
        // SMeNB = 1: short macro eNodeB ID, 18 bits
        final byte[] shortId = bytes(0x80, 0x64, 0xF0, 0x00, 0xBF, 0xFF, 0xFF);
        assertTrue(uli.wrap(Unpooled.wrappedBuffer(shortId), 0, shortId.length));
        assertTrue(uli.extMacroEnbShort());
        assertEquals(0x3FFFF, uli.extMacroEnbId());

        decode(MME, SGW, 0, message(0, 34, 0x202, 1, ie(86, 0, macro)));
        SignalingMessage m = sink.onlyMessage();
        assertEquals(1, m.tac());
        assertEquals(Plmn.of(460, 0, 2), m.cellPlmn());
        assertFalse(m.has(SignalingMessage.ECI), "an eNodeB ID is no cell identity");
        sink.clear();
        // a macro eNodeB ID alone still says which network: 262/01
        decode(MME, SGW, 0, message(0, 34, 0x202, 2, ie(86, 0, bytes(0x40, 0x62, 0xF2, 0x10, 0x0A, 0xBC, 0xDE))));
        m = sink.onlyMessage();
        assertEquals(Plmn.of(262, 1, 2), m.cellPlmn());
        assertFalse(m.has(SignalingMessage.TAC));
    }

    @Test
    void imeisvGivesBothImeiAndImeisv() {
        // 8.10: IMEISV 3520980727163206, 16 digits, no filler
        decode(MME, SGW, 0, message(0, 34, 0x202, 1, ie(75, 0, bytes(0x53, 0x02, 0x89, 0x70, 0x72, 0x61, 0x23, 0x60))));
        final SignalingMessage m = sink.onlyMessage();
        assertEquals("35209807271632", Digits.toString(m.imei()));
        assertEquals("3520980727163206", Digits.toString(m.imeisv()));
    }

    @Test
    void causeRangesDecideTheOutcome() {
        assertOutcome(16, Outcome.ACCEPTED);     // Request accepted
        assertOutcome(17, Outcome.ACCEPTED);     // Request accepted partially
        assertOutcome(63, Outcome.ACCEPTED);     // last of the acceptance range
        assertOutcome(64, Outcome.REJECTED);     // Context Not Found
        assertOutcome(94, Outcome.REJECTED);     // Request rejected
        assertOutcome(239, Outcome.REJECTED);    // last of the rejection range
        assertOutcome(240, null);                // spare, for initial messages
        assertOutcome(2, null);                  // Local Detach: a request's cause
        assertOutcome(0, null);                  // reserved
    }

    private void assertOutcome(final int cause, final Outcome expected) {
        sink.clear();
        decode(SGW, MME, 0, message(0, 37, 0x101, cause, ie(2, 0, bytes(cause, 0x00))));
        final SignalingMessage m = sink.onlyMessage();
        if (expected == null) {
            assertFalse(m.has(SignalingMessage.OUTCOME), "cause " + cause);
        } else {
            assertEquals(expected, m.outcome(), "cause " + cause);
        }
    }

    @Test
    void aRequestsCauseIsNoOutcome() {
        // 7.2.9.1: a Delete Session Request may carry a cause (2 = Local Detach)
        decode(MME, SGW, 0, message(0, 36, 0x202, 1, ie(2, 0, bytes(0x02, 0x00))));
        assertFalse(sink.onlyMessage().has(SignalingMessage.OUTCOME));
    }

    @Test
    void onlyInstanceZeroIsTheSubscribersIe() {
        decode(MME, SGW, 0, message(0, 34, 0x202, 1,
            ie(1, 1, bytes(0x00, 0x01, 0x01, 0x21, 0x43, 0x65, 0x87, 0xF9)),   // IMSI, instance 1: not read
            ie(86, 2, bytes(0x08, 0x64, 0xF0, 0x00, 0x00, 0x07)),               // ULI, instance 2: not read
            ie(1, 0, bytes(0x21, 0x43, 0x65, 0x87, 0x09, 0x21, 0x43, 0xF5)),   // IMSI, instance 0: 123456789012345
            ie(1, 0, bytes(0x99, 0x99, 0x99, 0xF9))));                         // a second instance 0: ignored
        final SignalingMessage m = sink.onlyMessage();
        assertEquals("123456789012345", Digits.toString(m.imsi()));
        assertFalse(m.has(SignalingMessage.TAC));
        assertEquals(EventKind.NONE, m.event(), "Modify Bearer without a ULI of instance 0");
    }

    @Test
    void unknownAndExtendedTypeIesAreSkipped() {
        decode(MME, SGW, 0, message(0, 34, 0x202, 1,
            ie(250, 0, bytes(1, 2, 3, 4, 5)),                  // an unassigned type
            ie(254, 0, bytes(0x01, 0x00, 0xAA)),               // 8.2.1A: extended type 256 in the first two octets
            ie(255, 0, bytes(0x00, 0x0A, 0x01)),               // Private Extension
            ie(82, 0, bytes(10))));                            // RAT Type 10 = NR
        assertEquals(Rat.NR, sink.onlyMessage().rat());
        assertEquals(0, counters.sum(Gtpv2Decoder.ERROR));
    }

    @Test
    void anUnknownRatCodeIsLeftOut() {
        decode(MME, SGW, 0, message(0, 34, 0x202, 1, ie(82, 0, bytes(99))));
        assertFalse(sink.onlyMessage().has(SignalingMessage.RAT));
        assertEquals(EventKind.LOCATION_UPDATE, sink.onlyMessage().event(), "a RAT Type in Modify Bearer is a RAT change");
    }

    @Test
    void deleteBearerWithLinkedBearerEndsTheSession() {
        decode(SGW, MME, 0, message(0, 99, 0x101, 7, ie(73, 0, bytes(0x05))));      // LBI 5
        assertEquals(EventKind.DATA_SESSION_END, sink.onlyMessage().event());
        sink.clear();
        decode(SGW, MME, 0, message(0, 99, 0x101, 8, ie(73, 1, bytes(0x06))));      // EBI 6 (instance 1): one bearer
        assertEquals(EventKind.NONE, sink.onlyMessage().event());
    }

    @Test
    void unknownMessageTypesKeepWiresharksName() {
        decode(MME, SGW, 0, message(0, 250, 0x202, 1));
        assertEquals("Unknown", sink.onlyMessage().messageName());
        assertEquals(1, sink.procedures.size(), "nothing answers it: completes at once");
        assertEquals(Outcome.UNKNOWN, sink.lastProcedure().outcome());
    }

    @Test
    void limitsAreValidatedAtConstruction() {
        assertThrows(IllegalArgumentException.class, () -> new Gtpv2Decoder(counters, new Gtpv2Config().teidTableEntries(0)));
        assertThrows(IllegalArgumentException.class, () -> new Gtpv2Decoder(counters, new Gtpv2Config().pendingRequests(-1)));
        assertThrows(IllegalArgumentException.class, () -> new Gtpv2Decoder(counters, new Gtpv2Config().answerTimeoutNs(0)));
        assertThrows(IllegalArgumentException.class, () -> new Gtpv2Decoder(counters, new Gtpv2Config().teidIdleExpiryNs(-5)));
        assertThrows(IllegalArgumentException.class, () -> new Gtpv2Decoder(counters, new Gtpv2Config().maxIeDepth(0)));
        assertThrows(IllegalArgumentException.class, () -> new Gtpv2Decoder(counters, new Gtpv2Config().maxPiggybacked(17)));
        final Gtpv2Config defaults = new Gtpv2Config().conclude();
        assertEquals(Gtpv2Config.TEID_TABLE_ENTRIES_DEFAULT, defaults.teidTableEntries());
        assertEquals(20 * SECOND, defaults.answerTimeoutNs());
    }

    // ---- helpers ------------------------------------------------------------------------------

    void decode(final int src, final int dst, final long timeNs, final byte[] datagram) {
        decode(decoder, sink, packet(++frame, timeNs, src, dst), datagram);
    }

    static void decode(final Gtpv2Decoder decoder, final RecordingSink sink, final PacketInfo packet,
        final byte[] datagram) {
        // the datagram sits inside a larger buffer, as after a real link, IP and UDP header
        final ByteBuf buf = Unpooled.buffer(datagram.length + 64);
        buf.writeZero(42);
        buf.writeBytes(datagram);
        buf.writeBytes(new byte[] {(byte) 0xEE, (byte) 0xEE});
        decoder.decode(packet, buf, 42, datagram.length, sink);
    }

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
}
