package io.sigmatch.decoder.diameter;

/**
 * The AVPs sigmatch reads, as (code, vendor) pairs: vendor 0 for IETF AVPs, {@link #VENDOR_3GPP}
 * for 3GPP ones. Every code was checked against Wireshark 4.0's diameter/dictionary.xml and
 * TGPP.xml and the defining specification named beside it.
 */
public final class DiameterAvpCode {
    public static final int VENDOR_3GPP = 10415;

    // RFC 6733
    public static final int USER_NAME = 1;
    public static final int SESSION_ID = 263;
    public static final int RESULT_CODE = 268;
    public static final int EXPERIMENTAL_RESULT = 297;
    public static final int EXPERIMENTAL_RESULT_CODE = 298;
    public static final int VENDOR_SPECIFIC_APPLICATION_ID = 260;
    // RFC 7155 (NASREQ): Called-Station-Id carries the APN on Gx / Gy (TS 29.212 4.5.x, TS 29.061 16.4.7)
    public static final int CALLED_STATION_ID = 30;
    // RFC 4006
    public static final int CC_REQUEST_TYPE = 416;
    public static final int SUBSCRIPTION_ID = 443;
    public static final int SUBSCRIPTION_ID_DATA = 444;
    public static final int SUBSCRIPTION_ID_TYPE = 450;
    public static final int USER_EQUIPMENT_INFO = 458;
    public static final int USER_EQUIPMENT_INFO_TYPE = 459;
    public static final int USER_EQUIPMENT_INFO_VALUE = 460;
    /** RFC 4006 §8.47 Subscription-Id-Type. */
    public static final int END_USER_E164 = 0;
    public static final int END_USER_IMSI = 1;
    /** RFC 4006 §8.50 User-Equipment-Info-Type. */
    public static final int UEI_IMEISV = 0;

    // 3GPP, vendor 10415: TS 29.061 16.4.7 (the RADIUS attribute numbers reused as AVP codes)
    public static final int TGPP_SGSN_MCC_MNC = 18;
    public static final int TGPP_IMEISV = 20;
    public static final int TGPP_USER_LOCATION_INFO = 22;
    // TS 29.212
    public static final int RAT_TYPE = 1032;
    // TS 32.299: Gy carries the location in Service-Information > PS-Information
    public static final int SERVICE_INFORMATION = 873;
    public static final int PS_INFORMATION = 874;
    // TS 29.272 S6a/S6d
    public static final int SUBSCRIPTION_DATA = 1400;
    public static final int TERMINAL_INFORMATION = 1401;
    public static final int IMEI = 1402;
    public static final int SOFTWARE_VERSION = 1403;
    public static final int ULR_FLAGS = 1405;
    public static final int VISITED_PLMN_ID = 1407;
    /** TS 29.272 7.3.7: ULR-Flags bit 5. */
    public static final int ULR_INITIAL_ATTACH = 1 << 5;
    // TS 29.229 Cx / TS 29.329 Sh
    public static final int PUBLIC_IDENTITY = 601;
    /** TS 29.229 6.3.9 Cx User-Data (named Cx-User-Data by Wireshark): the IMS subscription XML. */
    public static final int CX_USER_DATA = 606;
    /** TS 29.329 6.3.4 User-Data (Sh-User-Data in Wireshark): the Sh-Data XML. */
    public static final int SH_USER_DATA = 702;
    public static final int USER_IDENTITY = 700;
    public static final int MSISDN = 701;
    /** TS 29.338 6.3.3.x SM-RP-UI: the short message TPDU (TS 23.040). */
    public static final int SM_RP_UI = 3301;
    // TS 29.336 (used by SGd, TS 29.338 6.3.3.x)
    public static final int USER_IDENTIFIER = 3102;

    private DiameterAvpCode() {
    }
}
