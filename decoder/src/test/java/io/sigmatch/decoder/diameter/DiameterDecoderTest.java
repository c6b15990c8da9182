package io.sigmatch.decoder.diameter;

import static io.sigmatch.decoder.diameter.DiameterBytes.bytes;
import static io.sigmatch.decoder.diameter.DiameterSamples.IMEI14;
import static io.sigmatch.decoder.diameter.DiameterSamples.IMSI;
import static io.sigmatch.decoder.diameter.DiameterSamples.MSISDN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.sigmatch.decoder.StreamDecoder;
import org.junit.jupiter.api.Test;

class DiameterDecoderTest {
    static final int MME = 0x0A000001;
    static final int HSS = 0x0A000002;
    static final long SECOND = 1_000_000_000L;

    final Counters counters = new Counters();
    DiameterDecoder decoder = new DiameterDecoder(counters, new DiameterConfig(), 86);
    final RecordingSink sink = new RecordingSink();
    long frame;
    long time = 1_000 * SECOND;

    /** S6a Update-Location-Request (TS 29.272 7.2.3), every octet written out. */
    static final byte[] ULR = bytes(
        0x01,                                   // RFC 6733 §3: version 1
        0x00, 0x00, 0x94,                       // Message Length 148: header and padded AVPs
        0xC0,                                   // flags: R (request), P (proxiable)
        0x00, 0x01, 0x3C,                       // Command Code 316: Update-Location
        0x01, 0x00, 0x00, 0x23,                 // Application-ID 16777251: S6a/S6d
        0x00, 0x00, 0x00, 0x07,                 // Hop-by-Hop Identifier 7
        0x00, 0x00, 0x00, 0x08,                 // End-to-End Identifier 8
        // Session-Id (263), M, length 13: "mme;1"
        0x00, 0x00, 0x01, 0x07, 0x40, 0x00, 0x00, 0x0D,
        'm', 'm', 'e', ';', '1', 0x00, 0x00, 0x00,           // value and 3 padding octets
        // User-Name (1), M, length 23: IMSI 001010123456789
        0x00, 0x00, 0x00, 0x01, 0x40, 0x00, 0x00, 0x17,
        '0', '0', '1', '0', '1', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 0x00,
        // Terminal-Information (1401), V M, vendor 10415, length 56: grouped, 12 + 28 + 16
        0x00, 0x00, 0x05, 0x79, 0xC0, 0x00, 0x00, 0x38, 0x00, 0x00, 0x28, 0xAF,
        //   IMEI (1402), V M, vendor 10415, length 26: "35349006987331" (14 digits)
        0x00, 0x00, 0x05, 0x7A, 0xC0, 0x00, 0x00, 0x1A, 0x00, 0x00, 0x28, 0xAF,
        '3', '5', '3', '4', '9', '0', '0', '6', '9', '8', '7', '3', '3', '1', 0x00, 0x00,
        //   Software-Version (1403), V M, vendor 10415, length 14: "05"
        0x00, 0x00, 0x05, 0x7B, 0xC0, 0x00, 0x00, 0x0E, 0x00, 0x00, 0x28, 0xAF,
        '0', '5', 0x00, 0x00,
        // ULR-Flags (1405), V M, vendor 10415, length 16: 0x22 = Initial-Attach-Indicator (bit 5) + S6a (bit 1)
        0x00, 0x00, 0x05, 0x7D, 0xC0, 0x00, 0x00, 0x10, 0x00, 0x00, 0x28, 0xAF,
        0x00, 0x00, 0x00, 0x22,
        // Visited-PLMN-Id (1407), V M, vendor 10415, length 15: MCC 001 MNC 01 (TS 24.008 10.5.1.13), 1 pad
        0x00, 0x00, 0x05, 0x7F, 0xC0, 0x00, 0x00, 0x0F, 0x00, 0x00, 0x28, 0xAF,
        0x00, 0xF1, 0x10, 0x00);

    /** Gx Credit-Control-Request, INITIAL_REQUEST (TS 29.212 5.6.2), every octet written out. */
    static final byte[] CCR_I = bytes(
        0x01, 0x00, 0x00, 0xEC,                 // version 1, Message Length 236
        0xC0, 0x00, 0x01, 0x10,                 // R P, Command Code 272: Credit-Control
        0x01, 0x00, 0x00, 0x16,                 // Application-ID 16777238: Gx
        0x00, 0x00, 0x00, 0x21,                 // Hop-by-Hop 0x21
        0x00, 0x00, 0x00, 0x22,                 // End-to-End 0x22
        // Session-Id (263), length 12: "pgw;"
        0x00, 0x00, 0x01, 0x07, 0x40, 0x00, 0x00, 0x0C, 'p', 'g', 'w', ';',
        // CC-Request-Type (416), length 12: 1 INITIAL_REQUEST
        0x00, 0x00, 0x01, 0xA0, 0x40, 0x00, 0x00, 0x0C, 0x00, 0x00, 0x00, 0x01,
        // Subscription-Id (443), length 44
        0x00, 0x00, 0x01, 0xBB, 0x40, 0x00, 0x00, 0x2C,
        //   Subscription-Id-Type (450) = 1 END_USER_IMSI
        0x00, 0x00, 0x01, 0xC2, 0x40, 0x00, 0x00, 0x0C, 0x00, 0x00, 0x00, 0x01,
        //   Subscription-Id-Data (444), length 23: "001010123456789" + 1 pad
        0x00, 0x00, 0x01, 0xBC, 0x40, 0x00, 0x00, 0x17,
        '0', '0', '1', '0', '1', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 0x00,
        // Subscription-Id (443), length 41 + 3 pad
        0x00, 0x00, 0x01, 0xBB, 0x40, 0x00, 0x00, 0x29,
        //   Subscription-Id-Type (450) = 0 END_USER_E164
        0x00, 0x00, 0x01, 0xC2, 0x40, 0x00, 0x00, 0x0C, 0x00, 0x00, 0x00, 0x00,
        //   Subscription-Id-Data (444), length 21: "8613800000001" (the group's padding follows)
        0x00, 0x00, 0x01, 0xBC, 0x40, 0x00, 0x00, 0x15,
        '8', '6', '1', '3', '8', '0', '0', '0', '0', '0', '0', '0', '1', 0x00, 0x00, 0x00,
        // User-Equipment-Info (458), no flags, length 44
        0x00, 0x00, 0x01, 0xCA, 0x00, 0x00, 0x00, 0x2C,
        //   User-Equipment-Info-Type (459) = 0 IMEISV
        0x00, 0x00, 0x01, 0xCB, 0x00, 0x00, 0x00, 0x0C, 0x00, 0x00, 0x00, 0x00,
        //   User-Equipment-Info-Value (460), length 24: IMEISV "3534900698733105"
        0x00, 0x00, 0x01, 0xCC, 0x00, 0x00, 0x00, 0x18,
        '3', '5', '3', '4', '9', '0', '0', '6', '9', '8', '7', '3', '3', '1', '0', '5',
        // RAT-Type (1032), V, vendor 10415, length 16: 1004 EUTRAN
        0x00, 0x00, 0x04, 0x08, 0x80, 0x00, 0x00, 0x10, 0x00, 0x00, 0x28, 0xAF, 0x00, 0x00, 0x03, 0xEC,
        // 3GPP-User-Location-Info (22), V M, vendor 10415, length 25: TAI and ECGI + 3 pad
        0x00, 0x00, 0x00, 0x16, 0xC0, 0x00, 0x00, 0x19, 0x00, 0x00, 0x28, 0xAF,
        0x82,                                   // Geographic Location Type 130: TAI and ECGI
        0x64, 0xF0, 0x00, 0x12, 0x34,           // TAI: MCC 460 MNC 00, TAC 0x1234
        0x64, 0xF0, 0x00, 0x0A, 0xBC, 0xDE, 0x01,   // ECGI: 460/00, ECI 0xABCDE01 (28 bits)
        0x00, 0x00, 0x00,
        // Called-Station-Id (30), length 16: "internet"
        0x00, 0x00, 0x00, 0x1E, 0x40, 0x00, 0x00, 0x10, 'i', 'n', 't', 'e', 'r', 'n', 'e', 't');

    PacketInfo packet(final int src, final int dst) {
        final PacketInfo p = new PacketInfo();
        p.frame = ++frame;
        p.timeNs = time += 1_000_000;
        p.srcLo = src;
        p.dstLo = dst;
        p.srcPort = src == MME ? 40000 : 3868;
        p.dstPort = dst == MME ? 40000 : 3868;
        p.transport = PacketInfo.TRANSPORT_SCTP;
        return p;
    }

    void decode(final byte[] msg, final int src, final int dst) {
        decoder.decode(packet(src, dst), Unpooled.wrappedBuffer(msg), 0, msg.length, sink);
    }

    SignalingMessage last() {
        return sink.messages.get(sink.messages.size() - 1);
    }

    @Test
    void updateLocationRequestByteByByte() {
        assertEquals(148, ULR.length);
        decode(ULR, MME, HSS);
        final SignalingMessage m = sink.onlyMessage();
        assertEquals(Protocol.DIAMETER, m.protocol());
        assertEquals("ULR", m.messageName());
        assertEquals(316, m.messageType());
        assertTrue(m.isRequest());
        assertEquals(IMSI, Digits.toString(m.imsi()));
        assertEquals(IMEI14, Digits.toString(m.imei()));
        assertEquals(IMEI14 + "05", Digits.toString(m.imeisv()));
        assertEquals(Plmn.of(1, 1, 2), m.servingPlmn());
        assertEquals(EventKind.POWER_ON, m.event(), "Initial-Attach-Indicator set");
        assertFalse(m.has(SignalingMessage.OUTCOME), "a request has no outcome");
        assertEquals(1, counters.get(DiameterDecoder.MESSAGES));
        assertEquals(0, counters.sum(DiameterDecoder.ERROR));
    }

    @Test
    void creditControlInitialByteByByte() {
        assertEquals(236, CCR_I.length);
        decode(CCR_I, MME, HSS);
        final SignalingMessage m = sink.onlyMessage();
        assertEquals("CCR-I", m.messageName());
        assertEquals(IMSI, Digits.toString(m.imsi()));
        assertEquals(MSISDN, Digits.toString(m.msisdn()));
        assertEquals(IMEI14, Digits.toString(m.imei()));
        assertEquals("3534900698733105", Digits.toString(m.imeisv()));
        assertEquals(Rat.EUTRAN, m.rat());
        assertEquals(Plmn.of(460, 0, 2), m.cellPlmn());
        assertEquals(0x1234, m.tac());
        assertEquals(0xABCDE01, m.eci());
        assertEquals("internet", m.apnString());
        assertEquals(EventKind.DATA_SESSION_START, m.event());
        assertEquals(0, counters.sum(DiameterDecoder.ERROR));
    }

    @Test
    void updateLocationPairsWithItsAnswerAndLearnsTheMsisdn() {
        decode(DiameterSamples.ulr(100, "mme;ulr;1", IMSI, "001", "01", 0x22), MME, HSS);
        assertTrue(sink.procedures.isEmpty(), "the request waits for its answer");
        decode(DiameterSamples.ula(100, "mme;ulr;1", MSISDN), HSS, MME);
        final SignalingMessage ula = last();
        assertEquals("ULA", ula.messageName());
        assertEquals(Outcome.ACCEPTED, ula.outcome());
        assertEquals(MSISDN, Digits.toString(ula.msisdn()), "Subscription-Data > MSISDN, TBCD");
        final SignalingMessage p = sink.lastProcedure();
        assertEquals(316, p.messageType());
        assertEquals(EventKind.POWER_ON, p.event());
        assertEquals(Outcome.ACCEPTED, p.outcome());
        assertEquals(IMSI, Digits.toString(p.imsi()));
        assertEquals(MSISDN, Digits.toString(p.msisdn()));
        assertEquals(ula.frame(), p.frame(), "completed at the answer");
        assertEquals(1, counters.get(DiameterDecoder.CORRELATE + DiameterDecoder.PAIRED));
    }

    @Test
    void updateLocationWithoutInitialAttachIsALocationUpdateOrARoamingRegistration() {
        decode(DiameterSamples.ulr(1, "s;1", IMSI, "001", "01", 0x02), MME, HSS);
        assertEquals(EventKind.LOCATION_UPDATE, last().event());
        // visited 460/00 is not the IMSI's 001/01: an inbound roamer
        decode(DiameterSamples.ulr(2, "s;2", IMSI, "460", "00", 0x02), MME, HSS);
        assertEquals(EventKind.ROAMING_REGISTRATION, last().event());
        // an initial attach while roaming is a power-on; the roaming is in the serving PLMN
        decode(DiameterSamples.ulr(3, "s;3", IMSI, "460", "00", 0x22), MME, HSS);
        assertEquals(EventKind.POWER_ON, last().event());
        assertEquals(Plmn.of(460, 0, 2), last().servingPlmn());
    }

    @Test
    void configuredHomePlmnsDecideRoaming() {
        decoder = new DiameterDecoder(counters, new DiameterConfig().homePlmns("46000,46001"), 86);
        decode(DiameterSamples.ulr(1, "s;1", "460011234567890", "460", "00", 0x02), MME, HSS);
        assertEquals(EventKind.LOCATION_UPDATE, last().event(), "46000 is home although the IMSI is 46001");
        decode(DiameterSamples.ulr(2, "s;2", "460011234567890", "001", "01", 0x02), MME, HSS);
        assertEquals(EventKind.ROAMING_REGISTRATION, last().event());
        assertThrows(IllegalArgumentException.class, () -> new DiameterConfig().homePlmns("4600"));
    }

    @Test
    void purgeIsPowerOffAndCancelLocationIsNoted() {
        decode(DiameterSamples.pur(5, "s;pur", IMSI), MME, HSS);
        assertEquals("PUR", last().messageName());
        assertEquals(EventKind.POWER_OFF, last().event());
        decode(DiameterSamples.answer(321, DiameterSamples.S6A, 5, "s;pur", DiameterBytes.resultCode(2001)), HSS, MME);
        assertEquals("PUA", last().messageName());
        assertEquals(EventKind.POWER_OFF, sink.lastProcedure().event());
        assertEquals(IMSI, Digits.toString(sink.lastProcedure().imsi()));

        decode(DiameterSamples.clr(6, "s;clr", IMSI), HSS, MME);
        assertEquals("CLR", last().messageName());
        assertEquals(EventKind.NONE, last().event());
        assertEquals(IMSI, Digits.toString(last().imsi()));
        decode(DiameterSamples.answer(317, DiameterSamples.S6A, 6, "s;clr", DiameterBytes.resultCode(2001)), MME, HSS);
        assertEquals("CLA", last().messageName());
        assertEquals(Outcome.ACCEPTED, sink.lastProcedure().outcome());
    }

    @Test
    void authenticationNotifyAndInsertSubscriberData() {
        decode(DiameterSamples.air(7, "s;air", IMSI), MME, HSS);
        assertEquals("AIR", last().messageName());
        assertEquals(EventKind.NONE, last().event());
        assertEquals(Plmn.of(1, 1, 2), last().servingPlmn());
        // an AIA refused with an Experimental-Result: 5001 DIAMETER_ERROR_USER_UNKNOWN (TS 29.272 7.4.3)
        decode(DiameterSamples.experimental(318, DiameterSamples.S6A, 7, "s;air", 5001), HSS, MME);
        assertEquals(Outcome.REJECTED, last().outcome());
        assertEquals(Outcome.REJECTED, sink.lastProcedure().outcome());

        decode(DiameterSamples.nor(8, "s;nor", IMSI, "86650704004053", "01"), MME, HSS);
        assertEquals("NOR", last().messageName());
        assertEquals(EventKind.HANDSET_REPORTED, last().event(), "an IMEI and no other event");
        assertEquals("8665070400405301", Digits.toString(last().imeisv()));

        decode(DiameterSamples.idr(9, "s;idr", IMSI, "8613900000009"), HSS, MME);
        assertEquals("IDR", last().messageName());
        assertEquals("8613900000009", Digits.toString(last().msisdn()));
    }

    @Test
    void creditControlSessionResolvesLaterMessagesAndEnds() {
        decode(DiameterSamples.ccr(0x31, "pgw;gx;1", 1, DiameterSamples.ULI_TAI_ECGI), MME, HSS);
        decode(DiameterSamples.cca(0x31, DiameterSamples.GX, "pgw;gx;1", 1, 2001), HSS, MME);
        assertEquals("CCA-I", last().messageName());
        assertEquals(EventKind.DATA_SESSION_START, sink.lastProcedure().event());
        assertEquals(1, decoder.sessionTableSize());

        // CCR-U without identities or location: resolved through the Session-Id, no event
        decode(DiameterSamples.ccrBare(0x32, DiameterSamples.GX, "pgw;gx;1", 2), MME, HSS);
        assertEquals("CCR-U", last().messageName());
        assertFalse(last().has(SignalingMessage.IMSI), "the message itself carries no IMSI");
        decode(DiameterSamples.cca(0x32, DiameterSamples.GX, "pgw;gx;1", 2, 2001), HSS, MME);
        SignalingMessage p = sink.lastProcedure();
        assertEquals(IMSI, Digits.toString(p.imsi()));
        assertEquals(MSISDN, Digits.toString(p.msisdn()));
        assertTrue((p.resolved() & SignalingMessage.IMSI) != 0, "IMSI marked resolved");
        assertEquals(EventKind.NONE, p.event());

        decode(DiameterSamples.ccrBare(0x33, DiameterSamples.GX, "pgw;gx;1", 3), MME, HSS);
        decode(DiameterSamples.cca(0x33, DiameterSamples.GX, "pgw;gx;1", 3, 2001), HSS, MME);
        p = sink.lastProcedure();
        assertEquals(EventKind.DATA_SESSION_END, p.event());
        assertEquals(IMSI, Digits.toString(p.imsi()));
        assertEquals(0, decoder.sessionTableSize(), "an accepted CCA-T ends the session");
    }

    @Test
    void gyLocationInsidePsInformation() {
        decode(DiameterSamples.gyCcr(0x41, "pgw;gy;1", DiameterSamples.ULI_TAI_ECGI), MME, HSS);
        final SignalingMessage m = last();
        assertEquals(MSISDN, Digits.toString(m.msisdn()), "'+' before an E.164 Subscription-Id-Data");
        assertEquals(0xABCDE01, m.eci());
        assertEquals("ims", m.apnString());
        assertEquals(EventKind.DATA_SESSION_START, m.event());
    }

    @Test
    void shortMessagesOverSgd() {
        decode(DiameterSamples.ofr(0x51, "mme;sgd;1", MSISDN), MME, HSS);
        assertEquals("OFR", last().messageName());
        assertEquals(EventKind.SMS_MO, last().event());
        assertEquals(MSISDN, Digits.toString(last().msisdn()), "User-Identifier > MSISDN");
        assertEquals("86130", Digits.toString(last().called()), "SMS-SUBMIT TP-DA, international");
        decode(DiameterSamples.tfr(0x52, "smsc;sgd;2", IMSI), HSS, MME);
        assertEquals("TFR", last().messageName());
        assertEquals(EventKind.SMS_MT, last().event());
        assertEquals(IMSI, Digits.toString(last().imsi()));
        assertEquals("86138000002", Digits.toString(last().calling()), "SMS-DELIVER TP-OA");
        decode(DiameterSamples.ofrNational(0x53, "mme;sgd;3"), MME, HSS);
        assertEquals("8610018", Digits.toString(last().called()), "a national TP-DA takes the country code");
    }

    @Test
    void shAndCxPublicIdentities() {
        decode(DiameterSamples.udr(0x61, "as;sh;1", MSISDN), MME, HSS);
        assertEquals("UDR", last().messageName());
        assertEquals(MSISDN, Digits.toString(last().msisdn()));
        // a national tel: number takes the configured country code, trunk prefix 0 dropped
        decode(DiameterSamples.pnr(0x62, "hss;sh;2", "tel:013800000002;phone-context=ims.example.org"), HSS, MME);
        assertEquals("PNR", last().messageName());
        assertEquals("8613800000002", Digits.toString(last().msisdn()));

        decode(DiameterSamples.cx(300, 0x71, "icscf;cx;1", IMSI + "@ims.mnc001.mcc001.3gppnetwork.org",
            "sip:+8613800000001@ims.mnc001.mcc001.3gppnetwork.org"), MME, HSS);
        assertEquals("UAR", last().messageName());
        assertEquals(IMSI, Digits.toString(last().imsi()), "IMPI derived from the IMSI (TS 23.003 13.3)");
        assertEquals(MSISDN, Digits.toString(last().msisdn()));
        decode(DiameterSamples.cx(301, 0x72, "scscf;cx;2", null, "tel:+86-138-0000-0003"), MME, HSS);
        assertEquals("SAR", last().messageName());
        assertEquals("8613800000003", Digits.toString(last().msisdn()), "visual separators dropped");
        decode(DiameterSamples.cx(302, 0x73, "icscf;cx;3", null, "sip:13800000004@ims.example.org;user=phone"),
            MME, HSS);
        assertEquals("LIR", last().messageName());
        assertEquals("8613800000004", Digits.toString(last().msisdn()));
        decode(DiameterSamples.cx(303, 0x74, "scscf;cx;4", "user@ims.example.org",
            "sip:001010123456789@ims.mnc001.mcc001.3gppnetwork.org"), MME, HSS);
        assertEquals("MAR", last().messageName());
        assertFalse(last().has(SignalingMessage.MSISDN), "an IMSI-derived sip: IMPU is not a number");
        assertFalse(last().has(SignalingMessage.IMSI), "an IMPI that is not IMSI-derived");
    }

    @Test
    void userDataXmlOnShAndCx() {
        decode(DiameterSamples.udaWithUserData(0x61, "as;sh;1"), HSS, MME);
        assertEquals("UDA", last().messageName());
        assertEquals("8613800000005", Digits.toString(last().msisdn()), "Sh-Data MSISDN after a sip: name");
        decode(DiameterSamples.saaWithUserData(0x72, "scscf;cx;2"), HSS, MME);
        assertEquals("SAA", last().messageName());
        assertEquals("8613800000006", Digits.toString(last().msisdn()),
            "the first PublicIdentity that is a number (the IMSI-derived sip: one is not)");
    }

    @Test
    void watchdogPairsWithoutEvent() {
        decode(DiameterSamples.dwr(0x99), MME, HSS);
        decode(DiameterSamples.dwa(0x99), HSS, MME);
        assertEquals("DWA", last().messageName());
        assertEquals(EventKind.NONE, sink.lastProcedure().event());
        assertEquals(1, counters.get(DiameterDecoder.CORRELATE + DiameterDecoder.PAIRED));
    }

    @Test
    void unansweredRequestTimesOutByCaptureTime() {
        decode(DiameterSamples.pur(0x5, "s;t", IMSI), MME, HSS);
        decoder.advanceTime(time + 29 * SECOND, sink);
        assertTrue(sink.procedures.isEmpty());
        decoder.advanceTime(time + 31 * SECOND, sink);
        assertEquals(Outcome.UNKNOWN, sink.lastProcedure().outcome());
        assertEquals(EventKind.POWER_OFF, sink.lastProcedure().event());
        assertEquals(1, counters.get(DiameterDecoder.CORRELATE + DiameterDecoder.TIMED_OUT));
    }

    @Test
    void retransmissionKeepsTheFirstCopy() {
        decode(DiameterSamples.pur(0x6, "s;r", IMSI), MME, HSS);
        final byte[] again = DiameterSamples.pur(0x6, "s;r", IMSI);
        again[4] |= DiameterBytes.T;
        decode(again, MME, HSS);
        assertEquals(1, counters.get(DiameterDecoder.CORRELATE + DiameterDecoder.RETRANSMISSION));
        assertEquals(1, decoder.pendingRequests());
    }

    @Test
    void answerFromTheWrongPeerDoesNotPair() {
        decode(DiameterSamples.pur(0x7, "s;w", IMSI), MME, HSS);
        decode(DiameterSamples.answer(321, DiameterSamples.S6A, 0x7, "s;w", DiameterBytes.resultCode(2001)), 0x0A000009,
            MME);
        assertEquals(1, counters.get(DiameterDecoder.CORRELATE + DiameterDecoder.ANSWER_WITHOUT_REQUEST));
        assertEquals(1, decoder.pendingRequests());
    }

    @Test
    void framesAStream() {
        final byte[] two = DiameterBytes.concat(ULR, CCR_I);
        final io.netty.buffer.ByteBuf b = Unpooled.wrappedBuffer(two);
        assertEquals(StreamDecoder.NEED_MORE, decoder.messageLength(b, 0, 3));
        assertEquals(StreamDecoder.NEED_MORE, decoder.messageLength(b, 0, 100));
        assertEquals(148, decoder.messageLength(b, 0, two.length));
        assertEquals(236, decoder.messageLength(b, 148, two.length - 148));
        assertEquals(StreamDecoder.NOT_A_MESSAGE, decoder.messageLength(b, 1, two.length - 1));
        // resynchronise from inside the first message: the next plausible header is the CCR
        assertEquals(148 - 7, decoder.findMessageStart(b, 7, two.length - 7));
        assertEquals(0, decoder.findMessageStart(b, 0, two.length));
        assertEquals(-1, decoder.findMessageStart(b, 160, two.length - 160));
        // both messages in one payload are decoded in turn
        decoder.decode(packet(MME, HSS), b, 0, two.length, sink);
        assertEquals(2, sink.messages.size());
    }

    @Test
    void limitsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new DiameterConfig().maxMessageBytes(10).conclude());
        assertThrows(IllegalArgumentException.class, () -> new DiameterConfig().maxAvpDepth(0).conclude());
        assertThrows(IllegalArgumentException.class, () -> new DiameterConfig().answerTimeoutNs(0).conclude());
        assertThrows(IllegalArgumentException.class, () -> new DiameterDecoder(counters, new DiameterConfig(), 0));
    }

    @Test
    void eightAtATimeDigitsAgreeWithDigitsFromAscii() {
        final long seed = System.nanoTime();
        final java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        final byte[] chars = "0123456789/:aA +\u0000\u00ff".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 200_000; i++) {
            final byte[] b = new byte[random.nextInt(0, 20)];
            final boolean digitsOnly = random.nextInt(4) != 0;
            for (int k = 0; k < b.length; k++) {
                b[k] = digitsOnly ? (byte) ('0' + random.nextInt(10)) : chars[random.nextInt(chars.length)];
            }
            final io.netty.buffer.ByteBuf buf = Unpooled.wrappedBuffer(b);
            assertEquals(Digits.fromAscii(buf, 0, b.length), DiameterDecoder.asciiDigits(buf, 0, b.length),
                "seed " + seed + " input " + new String(b, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
    }
}
