package io.sigmatch.tools.generate;

/**
 * Diameter S6a (TS 29.272) messages written from RFC 6733 and TS 29.272 / 29.229:
 *
 * <pre>
 * header (RFC 6733 3): version 1 | message length (24 bits) | flags R 0x80 P 0x40 | command code (24 bits)
 *                      | Application-ID (S6a 16777251) | Hop-by-Hop | End-to-End
 * AVP (4.1):           code | flags V 0x80 M 0x40 | length (24 bits, header + data, no padding)
 *                      | [Vendor-ID 10415 when V] | data, padded to 32 bits
 * </pre>
 */
final class DiameterEncoder {
    static final int APP_S6A = 16777251;
    static final int VENDOR_3GPP = 10415;
    static final int CMD_UPDATE_LOCATION = 316;
    static final int CMD_PURGE_UE = 321;
    private static final int FLAG_REQUEST = 0x80;
    private static final int FLAG_PROXIABLE = 0x40;
    private static final int AVP_V = 0x80;
    private static final int AVP_M = 0x40;

    // RFC 6733 base AVPs
    private static final int USER_NAME = 1;
    private static final int SESSION_ID = 263;
    private static final int ORIGIN_HOST = 264;
    private static final int RESULT_CODE = 268;
    private static final int AUTH_SESSION_STATE = 277;
    private static final int DESTINATION_REALM = 283;
    private static final int ORIGIN_REALM = 296;
    // TS 29.272 7.3 / TS 29.212 / TS 29.329
    private static final int MSISDN = 701;
    private static final int RAT_TYPE = 1032;
    private static final int SUBSCRIPTION_DATA = 1400;
    private static final int TERMINAL_INFORMATION = 1401;
    private static final int IMEI = 1402;
    private static final int SOFTWARE_VERSION = 1403;
    private static final int ULR_FLAGS = 1405;
    private static final int ULA_FLAGS = 1406;
    private static final int VISITED_PLMN_ID = 1407;
    private static final int NETWORK_ACCESS_MODE = 1417;
    private static final int SUBSCRIBER_STATUS = 1424;
    private static final int PUA_FLAGS = 1442;
    private static final int PUR_FLAGS = 1635;

    /** TS 29.272 7.3.7: bit 1 S6a/S6d-Indicator, bit 5 Initial-Attach-Indicator. */
    static final int ULR_S6A_INDICATOR = 0x02;
    static final int ULR_INITIAL_ATTACH = 0x20;
    /** TS 29.212 5.3.31: RAT-Type EUTRAN. */
    private static final int RAT_EUTRAN = 1004;

    private final WireBuffer out = new WireBuffer(1024);

    byte[] array() {
        return out.array();
    }

    int length() {
        return out.length();
    }

    /** 7.2.3: Update-Location-Request from the MME on attach. */
    void updateLocationRequest(final long hopByHop, final long endToEnd, final String sessionId, final String originHost,
        final String originRealm, final String destinationRealm, final String imsi, final String imeiBody,
        final String softwareVersion, final String visitedPlmn, final int ulrFlags) {
        header(CMD_UPDATE_LOCATION, true, hopByHop, endToEnd);
        utf8(SESSION_ID, AVP_M, 0, sessionId);
        u32(AUTH_SESSION_STATE, AVP_M, 0, 1); // NO_STATE_MAINTAINED
        utf8(ORIGIN_HOST, AVP_M, 0, originHost);
        utf8(ORIGIN_REALM, AVP_M, 0, originRealm);
        utf8(DESTINATION_REALM, AVP_M, 0, destinationRealm);
        utf8(USER_NAME, AVP_M, 0, imsi);
        final int terminal = begin(TERMINAL_INFORMATION, AVP_V, VENDOR_3GPP);
        utf8(IMEI, AVP_V, VENDOR_3GPP, imeiBody);
        if (softwareVersion != null) {
            utf8(SOFTWARE_VERSION, AVP_V, VENDOR_3GPP, softwareVersion);
        }
        end(terminal);
        u32(RAT_TYPE, AVP_V | AVP_M, VENDOR_3GPP, RAT_EUTRAN);
        u32(ULR_FLAGS, AVP_V | AVP_M, VENDOR_3GPP, ulrFlags);
        final int plmn = avpHeader(VISITED_PLMN_ID, AVP_V | AVP_M, VENDOR_3GPP);
        out.plmn(visitedPlmn);
        endAvp(plmn);
        finish();
    }

    /** 7.2.4: Update-Location-Answer with the subscription data (its MSISDN, TS 29.329 6.3.2: TBCD). */
    void updateLocationAnswer(final long hopByHop, final long endToEnd, final String sessionId, final String originHost,
        final String originRealm, final String msisdn) {
        header(CMD_UPDATE_LOCATION, false, hopByHop, endToEnd);
        utf8(SESSION_ID, AVP_M, 0, sessionId);
        u32(RESULT_CODE, AVP_M, 0, 2001); // DIAMETER_SUCCESS
        u32(AUTH_SESSION_STATE, AVP_M, 0, 1);
        utf8(ORIGIN_HOST, AVP_M, 0, originHost);
        utf8(ORIGIN_REALM, AVP_M, 0, originRealm);
        u32(ULA_FLAGS, AVP_V | AVP_M, VENDOR_3GPP, 1); // Separation Indication
        final int data = begin(SUBSCRIPTION_DATA, AVP_V | AVP_M, VENDOR_3GPP);
        final int m = avpHeader(MSISDN, AVP_V | AVP_M, VENDOR_3GPP);
        out.tbcd(msisdn);
        endAvp(m);
        u32(SUBSCRIBER_STATUS, AVP_V | AVP_M, VENDOR_3GPP, 0); // SERVICE_GRANTED
        u32(NETWORK_ACCESS_MODE, AVP_V | AVP_M, VENDOR_3GPP, 2); // ONLY_PACKET
        end(data);
        finish();
    }

    /** 7.2.13: Purge-UE-Request when the MME drops the UE's context after a detach. */
    void purgeUeRequest(final long hopByHop, final long endToEnd, final String sessionId, final String originHost,
        final String originRealm, final String destinationRealm, final String imsi) {
        header(CMD_PURGE_UE, true, hopByHop, endToEnd);
        utf8(SESSION_ID, AVP_M, 0, sessionId);
        u32(AUTH_SESSION_STATE, AVP_M, 0, 1);
        utf8(ORIGIN_HOST, AVP_M, 0, originHost);
        utf8(ORIGIN_REALM, AVP_M, 0, originRealm);
        utf8(DESTINATION_REALM, AVP_M, 0, destinationRealm);
        utf8(USER_NAME, AVP_M, 0, imsi);
        u32(PUR_FLAGS, AVP_V, VENDOR_3GPP, 1); // UE Purged in MME
        finish();
    }

    /** 7.2.14. */
    void purgeUeAnswer(final long hopByHop, final long endToEnd, final String sessionId, final String originHost,
        final String originRealm) {
        header(CMD_PURGE_UE, false, hopByHop, endToEnd);
        utf8(SESSION_ID, AVP_M, 0, sessionId);
        u32(RESULT_CODE, AVP_M, 0, 2001);
        u32(AUTH_SESSION_STATE, AVP_M, 0, 1);
        utf8(ORIGIN_HOST, AVP_M, 0, originHost);
        utf8(ORIGIN_REALM, AVP_M, 0, originRealm);
        u32(PUA_FLAGS, AVP_V | AVP_M, VENDOR_3GPP, 1); // Freeze M-TMSI
        finish();
    }

    private void header(final int command, final boolean request, final long hopByHop, final long endToEnd) {
        out.clear();
        out.u8(1).u24(0).u8((request ? FLAG_REQUEST : 0) | FLAG_PROXIABLE).u24(command).u32(APP_S6A).u32(hopByHop)
            .u32(endToEnd);
    }

    private void finish() {
        final int n = out.length();
        out.set8(1, n >>> 16);
        out.set16(2, n & 0xFFFF);
    }

    private int avpHeader(final int code, final int flags, final int vendor) {
        final int at = out.length();
        out.u32(code).u8(flags).u24(0);
        if ((flags & AVP_V) != 0) {
            out.u32(vendor);
        }
        return at;
    }

    /** Sets the AVP's length (without padding) and pads to 32 bits. */
    private void endAvp(final int at) {
        final int length = out.length() - at;
        out.set8(at + 5, length >>> 16);
        out.set16(at + 6, length & 0xFFFF);
        out.zeros(((length + 3) & ~3) - length);
    }

    private int begin(final int code, final int flags, final int vendor) {
        return avpHeader(code, flags, vendor);
    }

    private void end(final int at) {
        endAvp(at);
    }

    private void utf8(final int code, final int flags, final int vendor, final String value) {
        final int at = avpHeader(code, flags, vendor);
        out.ascii(value);
        endAvp(at);
    }

    private void u32(final int code, final int flags, final int vendor, final long value) {
        final int at = avpHeader(code, flags, vendor);
        out.u32(value);
        endAvp(at);
    }
}
