package io.sigmatch.decoder.diameter;

import static io.sigmatch.decoder.diameter.DiameterBytes.P;
import static io.sigmatch.decoder.diameter.DiameterBytes.R;
import static io.sigmatch.decoder.diameter.DiameterBytes.avp;
import static io.sigmatch.decoder.diameter.DiameterBytes.avp3gpp;
import static io.sigmatch.decoder.diameter.DiameterBytes.bytes;
import static io.sigmatch.decoder.diameter.DiameterBytes.concat;
import static io.sigmatch.decoder.diameter.DiameterBytes.experimentalResult;
import static io.sigmatch.decoder.diameter.DiameterBytes.grouped;
import static io.sigmatch.decoder.diameter.DiameterBytes.grouped3gpp;
import static io.sigmatch.decoder.diameter.DiameterBytes.message;
import static io.sigmatch.decoder.diameter.DiameterBytes.originHost;
import static io.sigmatch.decoder.diameter.DiameterBytes.plmn;
import static io.sigmatch.decoder.diameter.DiameterBytes.resultCode;
import static io.sigmatch.decoder.diameter.DiameterBytes.sessionId;
import static io.sigmatch.decoder.diameter.DiameterBytes.subscriptionId;
import static io.sigmatch.decoder.diameter.DiameterBytes.tbcd;
import static io.sigmatch.decoder.diameter.DiameterBytes.u32;
import static io.sigmatch.decoder.diameter.DiameterBytes.userName;
import static io.sigmatch.decoder.diameter.DiameterBytes.utf8;

/**
 * One sample of every command sigmatch reads, built from TS 29.272 (S6a), TS 29.212 / RFC 4006
 * (Gx/Gy), TS 29.338 (SGd), TS 29.329 (Sh) and TS 29.229 (Cx) message formats with the AVPs the
 * decoder reads plus some it must skip. Shared by the unit tests, the captures the differential test
 * writes and the allocation test.
 */
final class DiameterSamples {
    static final int S6A = 16777251;
    static final int GX = 16777238;
    static final int GY = 4;
    static final int SGD = 16777313;
    static final int SH = 16777217;
    static final int CX = 16777216;

    static final String IMSI = "001010123456789";
    static final String ROAMER_IMSI = "460001234567890";
    static final String MSISDN = "8613800000001";
    static final String IMEI14 = "35349006987331";

    private DiameterSamples() {
    }

    static byte[] vsai(final int application) {
        // Vendor-Specific-Application-Id (260): Vendor-Id 10415, Auth-Application-Id: skipped by the decoder
        return grouped(260, avp(266, u32(10415)), avp(258, u32(application)));
    }

    static byte[] terminalInformation(final String imei, final String sv) {
        // TS 29.272 7.3.3: IMEI (1402) and Software-Version (1403), UTF8String
        return grouped3gpp(1401, avp3gpp(1402, utf8(imei)), avp3gpp(1403, utf8(sv)));
    }

    /** S6a ULR (TS 29.272 7.2.3): ULR-Flags with Initial-Attach-Indicator (bit 5) and S6a indicator (bit 1). */
    static byte[] ulr(final int hbh, final String session, final String imsi, final String mcc, final String mnc,
        final int ulrFlags) {
        return message(R | P, 316, S6A, hbh, hbh,
            sessionId(session),
            vsai(S6A),
            avp(277, u32(1)),                                  // Auth-Session-State: NO_STATE_MAINTAINED
            originHost("mme.example.org"),
            avp(296, utf8("example.org")),                      // Origin-Realm
            userName(imsi),                                      // User-Name = IMSI
            terminalInformation(IMEI14, "05"),                  // IMEI + SV
            avp(1032, 0x80, 10415, u32(1004)),                  // RAT-Type EUTRAN (V only, no M: TS 29.212)
            avp3gpp(1405, u32(ulrFlags)),                       // ULR-Flags
            avp3gpp(1407, plmn(mcc, mnc)));                     // Visited-PLMN-Id
    }

    /** S6a ULA: Result-Code success and Subscription-Data (1400) carrying the MSISDN (701, TBCD). */
    static byte[] ula(final int hbh, final String session, final String msisdn) {
        return message(P, 316, S6A, hbh, hbh,
            sessionId(session),
            resultCode(2001),
            avp(277, u32(1)),
            originHost("hss.example.org"),
            avp3gpp(1406, u32(1)),                               // ULA-Flags: skipped
            grouped3gpp(1400,
                avp3gpp(1424, u32(0)),                           // Subscriber-Status: skipped
                avp3gpp(701, tbcd(msisdn)),                      // MSISDN
                grouped3gpp(1429,                                // APN-Configuration-Profile (not read)
                    avp3gpp(1423, u32(1)),
                    grouped3gpp(1430, avp3gpp(1423, u32(1)), avp(493, utf8("internet"))))));
    }

    /** S6a PUR (7.2.13): User-Name only. */
    static byte[] pur(final int hbh, final String session, final String imsi) {
        return message(R | P, 321, S6A, hbh, hbh, sessionId(session), vsai(S6A), originHost("mme.example.org"),
            userName(imsi), avp3gpp(1635, u32(0)));             // PUR-Flags: skipped
    }

    static byte[] answer(final int code, final int application, final int hbh, final String session,
        final byte[] result) {
        return message(P, code, application, hbh, hbh, sessionId(session), result, originHost("hss.example.org"));
    }

    /** S6a CLR (7.2.7): the HSS cancels the location at the old MME. */
    static byte[] clr(final int hbh, final String session, final String imsi) {
        return message(R | P, 317, S6A, hbh, hbh, sessionId(session), vsai(S6A), originHost("hss.example.org"),
            userName(imsi), avp3gpp(1420, u32(0)));             // Cancellation-Type MME_UPDATE_PROCEDURE
    }

    /** S6a AIR (7.2.5): User-Name, Visited-PLMN-Id, Requested-EUTRAN-Authentication-Info. */
    static byte[] air(final int hbh, final String session, final String imsi) {
        return message(R | P, 318, S6A, hbh, hbh, sessionId(session), vsai(S6A), userName(imsi),
            avp3gpp(1407, plmn("001", "01")),
            grouped3gpp(1408, avp3gpp(1410, u32(1)), avp3gpp(1412, u32(0))));
    }

    /** S6a NOR (7.2.17): a new handset reported in Terminal-Information. */
    static byte[] nor(final int hbh, final String session, final String imsi, final String imei, final String sv) {
        return message(R | P, 323, S6A, hbh, hbh, sessionId(session), vsai(S6A), userName(imsi),
            terminalInformation(imei, sv), avp3gpp(1443, u32(1)));  // NOR-Flags: skipped
    }

    /** S6a IDR (7.2.9): Subscription-Data with a new MSISDN. */
    static byte[] idr(final int hbh, final String session, final String imsi, final String msisdn) {
        return message(R | P, 319, S6A, hbh, hbh, sessionId(session), vsai(S6A), userName(imsi),
            grouped3gpp(1400, avp3gpp(701, tbcd(msisdn))));
    }

    /** Gx CCR (TS 29.212 5.6.2): Subscription-Ids, UE info, ULI, SGSN PLMN, RAT, APN. */
    static byte[] ccr(final int hbh, final String session, final int ccType, final byte[] uli) {
        return message(R | P, 272, GX, hbh, hbh,
            sessionId(session),
            avp(258, u32(GX)),                                   // Auth-Application-Id
            originHost("pgw.example.org"),
            avp(416, u32(ccType)),                               // CC-Request-Type
            avp(415, u32(ccType - 1)),                           // CC-Request-Number
            subscriptionId(1, IMSI),                             // END_USER_IMSI
            subscriptionId(0, MSISDN),                           // END_USER_E164
            groupedWithFlags(458, 0, 0, concat(avp(459, 0, 0, u32(0)),    // User-Equipment-Info: IMEISV (flags 0, as RFC 4006)
                avp(460, 0, 0, utf8(IMEI14 + "05")))),
            avp3gpp(18, utf8("00101")),                         // 3GPP-SGSN-MCC-MNC
            avp(1032, 0x80, 10415, u32(1004)),                  // RAT-Type EUTRAN
            avp3gpp(22, uli),                                    // 3GPP-User-Location-Info
            avp(30, utf8("internet")));                         // Called-Station-Id = APN
    }

    static byte[] groupedWithFlags(final int code, final int flags, final int vendor, final byte[] members) {
        return avp(code, flags, vendor, members);
    }

    /** Gx CCR-T / Gy CCR-U without identities: they resolve through the Session-Id. */
    static byte[] ccrBare(final int hbh, final int application, final String session, final int ccType) {
        return message(R | P, 272, application, hbh, hbh, sessionId(session), avp(258, u32(application)),
            originHost("pgw.example.org"), avp(416, u32(ccType)), avp(415, u32(ccType)));
    }

    static byte[] cca(final int hbh, final int application, final String session, final int ccType,
        final long result) {
        return message(P, 272, application, hbh, hbh, sessionId(session), avp(258, u32(application)),
            resultCode(result), originHost("pcrf.example.org"), avp(416, u32(ccType)), avp(415, u32(ccType - 1)));
    }

    /** Gy CCR-I (TS 32.299 6.4.2): location in Service-Information > PS-Information. */
    static byte[] gyCcr(final int hbh, final String session, final byte[] uli) {
        return message(R | P, 272, GY, hbh, hbh, sessionId(session), avp(258, u32(GY)),
            originHost("pgw.example.org"), avp(416, u32(1)), avp(415, u32(0)),
            subscriptionId(0, "+" + MSISDN),
            grouped3gpp(873, grouped3gpp(874,
                avp3gpp(2, u32(1234)),                           // 3GPP-Charging-Id: skipped
                avp(30, utf8("ims")),                            // Called-Station-Id
                avp3gpp(22, uli))));
    }

    static final byte[] ULI_TAI_ECGI = bytes(130,
        0x64, 0xF0, 0x00, 0x12, 0x34,                           // TAI: 460/00, TAC 0x1234
        0x64, 0xF0, 0x00, 0x0A, 0xBC, 0xDE, 0x01);              // ECGI: 460/00, ECI 0xABCDE01

    /** SGd MO-Forward-Short-Message-Request (TS 29.338 6.3.2.3): User-Identifier with the MSISDN. */
    static byte[] ofr(final int hbh, final String session, final String msisdn) {
        return message(R | P, 8388645, SGD, hbh, hbh, sessionId(session), vsai(SGD),
            avp3gpp(3300, tbcd("8613900000000")),                // SC-Address (skipped)
            grouped3gpp(3102, avp3gpp(701, tbcd(msisdn))),       // User-Identifier > MSISDN
            avp3gpp(3301, bytes(0x01, 0x00, 0x05, 0x91, 0x68, 0x31, 0xF0, 0x00, 0x00, 0x01, 0x41)));  // SM-RP-UI
    }

    /** An SGd OFR whose SMS-SUBMIT (TS 23.040 9.2.2.2) goes to a national number (type of number 2). */
    static byte[] ofrNational(final int hbh, final String session) {
        return message(R | P, 8388645, SGD, hbh, hbh, sessionId(session), vsai(SGD),
            grouped3gpp(3102, avp3gpp(701, tbcd(MSISDN))),
            avp3gpp(3301, bytes(0x11,                           // SMS-SUBMIT, VPF relative
                0x07,                                            // TP-MR
                0x05, 0xA1, 0x01, 0x10, 0xF8,                    // TP-DA: 5 digits, national, "10018"
                0x00, 0x00, 0xA7,                                // PID, DCS, VP
                0x01, 0x41)));                                   // UDL 1, "A"
    }

    /** SGd MT-Forward-Short-Message-Request (6.3.2.5): User-Name = IMSI. */
    static byte[] tfr(final int hbh, final String session, final String imsi) {
        return message(R | P, 8388646, SGD, hbh, hbh, sessionId(session), vsai(SGD), userName(imsi),
            avp3gpp(3300, tbcd("8613900000000")),
            avp3gpp(3301, bytes(0x04,                            // SMS-DELIVER (TS 23.040 9.2.2.1), MMS
                0x0B, 0x91, 0x68, 0x31, 0x08, 0x00, 0x00, 0xF2,  // TP-OA: 11 digits, international, 86138000002
                0x00, 0x00,                                      // PID, DCS
                0x62, 0x21, 0x70, 0x51, 0x41, 0x00, 0x00,        // SCTS
                0x01, 0x41)));                                   // UDL 1, "A"
    }

    /** Sh UDR (TS 29.329 6.1.1): User-Identity with the MSISDN. */
    static byte[] udr(final int hbh, final String session, final String msisdn) {
        return message(R | P, 306, SH, hbh, hbh, sessionId(session), vsai(SH),
            grouped3gpp(700, avp3gpp(701, tbcd(msisdn))), avp3gpp(703, u32(14)));   // Data-Reference: skipped
    }

    /** Sh PNR (6.1.4): User-Identity with a tel: Public-Identity and User-Data (skipped). */
    static byte[] pnr(final int hbh, final String session, final String publicIdentity) {
        return message(R | P, 309, SH, hbh, hbh, sessionId(session), vsai(SH),
            grouped3gpp(700, avp3gpp(601, utf8(publicIdentity))), avp3gpp(702, utf8("<Sh-Data/>")));
    }

    /** Cx UAR/SAR/LIR/MAR (TS 29.229 6.1.x): User-Name = IMPI, Public-Identity = IMPU. */
    static byte[] cx(final int code, final int hbh, final String session, final String impi, final String impu) {
        return message(R | P, code, CX, hbh, hbh, sessionId(session), vsai(CX),
            impi == null ? new byte[0] : userName(impi), avp3gpp(601, utf8(impu)),
            avp3gpp(602, utf8("sip:scscf.ims.example.org")));    // Server-Name: skipped
    }

    /** Sh UDA (6.1.2) with User-Data: Sh-Data > PublicIdentifiers (TS 29.328 Annex D). */
    static byte[] udaWithUserData(final int hbh, final String session) {
        return message(P, 306, SH, hbh, hbh, sessionId(session), resultCode(2001), originHost("hss.example.org"),
            avp3gpp(702, utf8("<?xml version=\"1.0\"?><Sh-Data><PublicIdentifiers>"
                + "<IMSPublicIdentity>sip:alice@ims.example.org</IMSPublicIdentity>"
                + "<MSISDN>8613800000005</MSISDN></PublicIdentifiers></Sh-Data>")));
    }

    /** Cx SAA (6.1.4) with User-Data: IMSSubscription > ServiceProfile > PublicIdentity (TS 29.228 E). */
    static byte[] saaWithUserData(final int hbh, final String session) {
        return message(P, 301, CX, hbh, hbh, sessionId(session), resultCode(2001), originHost("hss.example.org"),
            avp3gpp(606, utf8("<?xml version=\"1.0\"?><IMSSubscription><PrivateID>" + IMSI
                + "@ims.mnc001.mcc001.3gppnetwork.org</PrivateID><ServiceProfile><PublicIdentity><Identity>sip:" + IMSI
                + "@ims.mnc001.mcc001.3gppnetwork.org</Identity></PublicIdentity><PublicIdentity>"
                + "<Identity>tel:+8613800000006</Identity></PublicIdentity></ServiceProfile></IMSSubscription>")));
    }

    static byte[] dwr(final int hbh) {
        return message(R, 280, 0, hbh, hbh, originHost("mme.example.org"), avp(296, utf8("example.org")));
    }

    static byte[] dwa(final int hbh) {
        return message(0, 280, 0, hbh, hbh, resultCode(2001), originHost("hss.example.org"));
    }

    static byte[] experimental(final int code, final int application, final int hbh, final String session,
        final long result) {
        return answer(code, application, hbh, session, experimentalResult(result));
    }
}
