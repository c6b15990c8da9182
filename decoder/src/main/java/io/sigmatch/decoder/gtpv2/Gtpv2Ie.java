package io.sigmatch.decoder.gtpv2;

/**
 * The header every GTPv2-C information element starts with (TS 29.274 8.2.1), and the IE type
 * code points sigmatch reads (Table 8.1-1, checked against Wireshark's packet-gtpv2.c):
 *
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +---------------+-------------------------------+-------+-------+
 *   |     Type      |            Length = n         |  CR   | Inst  |
 *   +---------------+-------------------------------+-------+-------+
 *   |                 IE specific data (n octets) ...               |
 * </pre>
 *
 * Length counts only the IE specific data. The instance tells apart two IEs of the same type in
 * one message (8.2.1: the Sender F-TEID for Control Plane is instance 0 and the PGW S5/S8 F-TEID
 * instance 1 in Create Session). A grouped IE's data is itself a list of IEs (8.2.1, e.g. Bearer
 * Context). Type 254 (8.2.1A) puts a 16-bit extended type in the first two data octets; such IEs
 * are skipped by their length like any unknown IE.
 */
public final class Gtpv2Ie {
    public static final int TYPE_OFFSET = 0;
    public static final int LENGTH_OFFSET = 1;
    public static final int INSTANCE_OFFSET = 3;
    public static final int INSTANCE_MASK = 0x0F;
    public static final int HEADER_LENGTH = 4;

    public static final int IMSI = 1;
    public static final int CAUSE = 2;
    public static final int RECOVERY = 3;
    public static final int APN = 71;
    public static final int AMBR = 72;
    public static final int EBI = 73;
    public static final int IP_ADDRESS = 74;
    public static final int MEI = 75;
    public static final int MSISDN = 76;
    public static final int INDICATION = 77;
    public static final int PCO = 78;
    public static final int PAA = 79;
    public static final int BEARER_QOS = 80;
    public static final int RAT_TYPE = 82;
    public static final int SERVING_NETWORK = 83;
    public static final int ULI = 86;
    public static final int F_TEID = 87;
    public static final int BEARER_CONTEXT = 93;
    public static final int PDN_CONNECTION = 109;
    public static final int OVERLOAD_CONTROL_INFORMATION = 180;
    public static final int LOAD_CONTROL_INFORMATION = 181;
    public static final int REMOTE_UE_CONTEXT = 191;
    public static final int SCEF_PDN_CONNECTION = 195;
    public static final int V2X_CONTEXT = 208;
    public static final int PC5_QOS_PARAMETERS = 209;
    public static final int PGW_CHANGE_INFO = 214;
    public static final int TYPE_EXTENSION = 254;
    public static final int PRIVATE_EXTENSION = 255;

    private Gtpv2Ie() {
    }

    /** Table 8.1-1: IEs whose data is a list of IEs. */
    public static boolean isGrouped(final int type) {
        switch (type) {
            case BEARER_CONTEXT:
            case PDN_CONNECTION:
            case OVERLOAD_CONTROL_INFORMATION:
            case LOAD_CONTROL_INFORMATION:
            case REMOTE_UE_CONTEXT:
            case SCEF_PDN_CONNECTION:
            case V2X_CONTEXT:
            case PC5_QOS_PARAMETERS:
            case PGW_CHANGE_INFO:
                return true;
            default:
                return false;
        }
    }
}
