package io.sigmatch.decoder.gtpv1;

/**
 * GTPv1-C information elements (TS 29.060 7.7, Table 37). Two encodings share one type octet:
 *
 * <pre>
 *   type 1..127   TV:  +------+----------------------+   the value length is fixed by the type
 *                      | Type | Value (fixed n)      |   (Table 37), so an unknown TV type cannot
 *                      +------+----------------------+   be skipped: the walk must stop there
 *
 *   type 128..255 TLV: +------+-----------+----------+   Length counts the value only
 *                      | Type | Length(2) | Value    |
 *                      +------+-----------+----------+
 * </pre>
 *
 * Exception: the Extension Header Type List (141, 7.7.40) has a one-octet length. Checked against
 * Wireshark's packet-gtp.c.
 */
public final class Gtpv1Ie {
    public static final int FIRST_TLV = 128;
    public static final int TLV_HEADER_LENGTH = 3;

    // TV
    public static final int CAUSE = 1;
    public static final int IMSI = 2;
    public static final int RAI = 3;
    public static final int TLLI = 4;
    public static final int P_TMSI = 5;
    public static final int REORDERING_REQUIRED = 8;
    public static final int AUTHENTICATION_TRIPLET = 9;
    public static final int MAP_CAUSE = 11;
    public static final int P_TMSI_SIGNATURE = 12;
    public static final int MS_VALIDATED = 13;
    public static final int RECOVERY = 14;
    public static final int SELECTION_MODE = 15;
    public static final int TEID_DATA_I = 16;
    public static final int TEID_CONTROL_PLANE = 17;
    public static final int TEID_DATA_II = 18;
    public static final int TEARDOWN_IND = 19;
    public static final int NSAPI = 20;
    public static final int RANAP_CAUSE = 21;
    public static final int RAB_CONTEXT = 22;
    public static final int RADIO_PRIORITY_SMS = 23;
    public static final int RADIO_PRIORITY = 24;
    public static final int PACKET_FLOW_ID = 25;
    public static final int CHARGING_CHARACTERISTICS = 26;
    public static final int TRACE_REFERENCE = 27;
    public static final int TRACE_TYPE = 28;
    public static final int MS_NOT_REACHABLE_REASON = 29;
    public static final int CHARGING_ID = 127;

    // TLV
    public static final int END_USER_ADDRESS = 128;
    public static final int MM_CONTEXT = 129;
    public static final int PDP_CONTEXT = 130;
    public static final int APN = 131;
    public static final int PCO = 132;
    public static final int GSN_ADDRESS = 133;
    public static final int MSISDN = 134;
    public static final int QOS_PROFILE = 135;
    public static final int EXTENSION_HEADER_TYPE_LIST = 141;
    public static final int COMMON_FLAGS = 148;
    public static final int RAT_TYPE = 151;
    public static final int ULI = 152;
    public static final int MS_TIME_ZONE = 153;
    public static final int IMEISV = 154;
    public static final int PRIVATE_EXTENSION = 255;

    /** RAI (7.7.3): MCC+MNC (3), LAC (2), RAC (1). */
    public static final int RAI_LENGTH = 6;
    public static final int PLMN_LENGTH = 3;
    public static final int AREA_CODE_OFFSET = 3;
    public static final int RAC_OFFSET = 5;

    /** ULI (7.7.51): Geographic Location Type (1), then MCC+MNC (3), LAC (2), CI / SAC / RAC (2). */
    public static final int ULI_LENGTH = 8;
    public static final int ULI_CGI = 0;
    public static final int ULI_SAI = 1;
    public static final int ULI_RAI = 2;

    /** Value lengths of the TV types of Table 37; 0 for a type that is not a TV IE. */
    private static final int[] TV_LENGTH = new int[FIRST_TLV];

    static {
        tv(CAUSE, 1);
        tv(IMSI, 8);
        tv(RAI, RAI_LENGTH);
        tv(TLLI, 4);
        tv(P_TMSI, 4);
        tv(REORDERING_REQUIRED, 1);
        tv(AUTHENTICATION_TRIPLET, 28);
        tv(MAP_CAUSE, 1);
        tv(P_TMSI_SIGNATURE, 3);
        tv(MS_VALIDATED, 1);
        tv(RECOVERY, 1);
        tv(SELECTION_MODE, 1);
        tv(TEID_DATA_I, 4);
        tv(TEID_CONTROL_PLANE, 4);
        tv(TEID_DATA_II, 5);
        tv(TEARDOWN_IND, 1);
        tv(NSAPI, 1);
        tv(RANAP_CAUSE, 1);
        tv(RAB_CONTEXT, 9);
        tv(RADIO_PRIORITY_SMS, 1);
        tv(RADIO_PRIORITY, 1);
        tv(PACKET_FLOW_ID, 2);
        tv(CHARGING_CHARACTERISTICS, 2);
        tv(TRACE_REFERENCE, 2);
        tv(TRACE_TYPE, 2);
        tv(MS_NOT_REACHABLE_REASON, 1);
        tv(CHARGING_ID, 4);
    }

    private Gtpv1Ie() {
    }

    private static void tv(final int type, final int length) {
        TV_LENGTH[type] = length;
    }

    /** The fixed value length of a TV type, 0 when the type is not one (unknown or TLV). */
    public static int tvLength(final int type) {
        return type >= 0 && type < FIRST_TLV ? TV_LENGTH[type] : 0;
    }
}
