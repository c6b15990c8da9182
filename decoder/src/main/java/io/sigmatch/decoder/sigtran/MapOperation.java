package io.sigmatch.decoder.sigtran;

/**
 * MAP and CAP operation codes sigmatch reads (TS 29.002 §17.5 local operation codes, TS 29.078
 * §6 for CAP) and the message names `sigmatch decode` prints: the operation for an Invoke, with
 * "-result" / "-error" for the ReturnResult / ReturnError answering it.
 */
public final class MapOperation {
    public static final int UPDATE_LOCATION = 2;
    public static final int CANCEL_LOCATION = 3;
    public static final int INSERT_SUBSCRIBER_DATA = 7;
    public static final int REGISTER_SS = 10;
    public static final int ERASE_SS = 11;
    public static final int ACTIVATE_SS = 12;
    public static final int DEACTIVATE_SS = 13;
    public static final int SEND_ROUTING_INFO = 22;
    public static final int UPDATE_GPRS_LOCATION = 23;
    public static final int CHECK_IMEI = 43;
    public static final int MT_FORWARD_SM = 44;
    public static final int SEND_ROUTING_INFO_FOR_SM = 45;
    /** MAP v3 mo-forwardSM; in v1/v2 forwardSM, for both directions (TS 29.002 §12.9 / GSM 09.02). */
    public static final int MO_FORWARD_SM = 46;
    public static final int SEND_AUTHENTICATION_INFO = 56;
    public static final int PURGE_MS = 67;
    public static final int PROVIDE_SUBSCRIBER_INFO = 70;
    public static final int ANY_TIME_INTERROGATION = 71;
    public static final int NOTE_MM_EVENT = 89;
    public static final int PROCESS_USSD = 59;
    public static final int USSD_REQUEST = 60;

    /** CAP InitialDP (TS 29.078 §6.1.1 opcode 0). */
    public static final int CAP_INITIAL_DP = 0;

    /** TS 29.002 §17.7.5 SS-Code: the call forwarding codes. */
    public static final int SS_ALL_FORWARDING = 0x20;
    public static final int SS_CFU = 0x21;
    public static final int SS_ALL_COND_FORWARDING = 0x28;
    public static final int SS_CFB = 0x29;
    public static final int SS_CFNRY = 0x2A;
    public static final int SS_CFNRC = 0x2B;

    static final int OPCODES = 128;
    private static final String[] MAP_INVOKE = new String[OPCODES];
    private static final String[] MAP_RESULT = new String[OPCODES];
    private static final String[] MAP_ERROR = new String[OPCODES];
    private static final String[] CAP_INVOKE = new String[OPCODES];
    private static final String[] CAP_RESULT = new String[OPCODES];
    private static final String[] CAP_ERROR = new String[OPCODES];

    static {
        for (int i = 0; i < OPCODES; i++) {
            MAP_INVOKE[i] = "map-op-" + i;
            CAP_INVOKE[i] = "cap-op-" + i;
        }
        mapName(UPDATE_LOCATION, "updateLocation");
        mapName(CANCEL_LOCATION, "cancelLocation");
        mapName(INSERT_SUBSCRIBER_DATA, "insertSubscriberData");
        mapName(REGISTER_SS, "registerSS");
        mapName(ERASE_SS, "eraseSS");
        mapName(ACTIVATE_SS, "activateSS");
        mapName(DEACTIVATE_SS, "deactivateSS");
        mapName(SEND_ROUTING_INFO, "sendRoutingInfo");
        mapName(UPDATE_GPRS_LOCATION, "updateGprsLocation");
        mapName(CHECK_IMEI, "checkIMEI");
        mapName(MT_FORWARD_SM, "mt-forwardSM");
        mapName(SEND_ROUTING_INFO_FOR_SM, "sendRoutingInfoForSM");
        mapName(MO_FORWARD_SM, "mo-forwardSM");
        mapName(SEND_AUTHENTICATION_INFO, "sendAuthenticationInfo");
        mapName(PURGE_MS, "purgeMS");
        mapName(PROVIDE_SUBSCRIBER_INFO, "provideSubscriberInfo");
        mapName(ANY_TIME_INTERROGATION, "anyTimeInterrogation");
        mapName(NOTE_MM_EVENT, "noteMM-Event");
        mapName(59, "processUnstructuredSS-Request");
        mapName(60, "unstructuredSS-Request");
        mapName(8, "deleteSubscriberData");
        mapName(4, "provideRoamingNumber");
        mapName(57, "restoreData");
        mapName(58, "sendIMSI");
        mapName(24, "sendRoutingInfoForGprs");
        mapName(47, "reportSM-DeliveryStatus");
        mapName(66, "readyForSM");
        mapName(64, "alertServiceCentre");
        capName(0, "initialDP");
        capName(16, "assistRequestInstructions");
        capName(17, "establishTemporaryConnection");
        capName(20, "connect");
        capName(22, "releaseCall");
        capName(23, "requestReportBCSMEvent");
        capName(24, "eventReportBCSM");
        capName(31, "continue");
        capName(35, "applyCharging");
        capName(36, "applyChargingReport");
        capName(46, "sendChargingInformation");
        capName(55, "activityTest");
        capName(60, "initialDPSMS");
        for (int i = 0; i < OPCODES; i++) {
            MAP_RESULT[i] = MAP_INVOKE[i] + "-result";
            MAP_ERROR[i] = MAP_INVOKE[i] + "-error";
            CAP_RESULT[i] = CAP_INVOKE[i] + "-result";
            CAP_ERROR[i] = CAP_INVOKE[i] + "-error";
        }
    }

    private MapOperation() {
    }

    private static void mapName(final int op, final String name) {
        MAP_INVOKE[op] = name;
    }

    private static void capName(final int op, final String name) {
        CAP_INVOKE[op] = name;
    }

    /** The name of a component: kind 0 invoke, 1 result, 2 error; null for an opcode out of range. */
    static String name(final boolean cap, final int kind, final int opcode) {
        if (opcode < 0 || opcode >= OPCODES) {
            return null;
        }
        if (cap) {
            return kind == 0 ? CAP_INVOKE[opcode] : kind == 1 ? CAP_RESULT[opcode] : CAP_ERROR[opcode];
        }
        return kind == 0 ? MAP_INVOKE[opcode] : kind == 1 ? MAP_RESULT[opcode] : MAP_ERROR[opcode];
    }

    static boolean isForwarding(final int ssCode) {
        return ssCode == SS_ALL_FORWARDING || ssCode == SS_CFU || ssCode == SS_ALL_COND_FORWARDING
            || ssCode == SS_CFB || ssCode == SS_CFNRY || ssCode == SS_CFNRC;
    }
}
