package io.sigmatch.decoder.s1ap;

/**
 * S1AP elementary procedures (TS 36.413 §9.3.6 procedure codes, §8 which node initiates each) and the
 * names of their messages, spelled as the ASN.1 (and Wireshark) spells them.
 */
public final class S1apProcedure {
    public static final int HANDOVER_PREPARATION = 0;
    public static final int HANDOVER_RESOURCE_ALLOCATION = 1;
    public static final int HANDOVER_NOTIFICATION = 2;
    public static final int PATH_SWITCH_REQUEST = 3;
    public static final int INITIAL_CONTEXT_SETUP = 9;
    public static final int DOWNLINK_NAS_TRANSPORT = 11;
    public static final int INITIAL_UE_MESSAGE = 12;
    public static final int UPLINK_NAS_TRANSPORT = 13;
    public static final int UE_CONTEXT_RELEASE_REQUEST = 18;
    public static final int UE_CONTEXT_RELEASE = 23;
    public static final int LOCATION_REPORT = 33;

    /** Which node sends the initiating message (§8): the outcomes go the other way. */
    public static final int BY_ENB = 1;
    public static final int BY_MME = 2;
    /** Either node (Reset, Error Indication, private messages) or unknown: no direction. */
    public static final int EITHER = 0;

    private static final int CODES = 256;
    private static final String[][] NAMES = new String[3][CODES];
    private static final int[] INITIATOR = new int[CODES];

    static {
        // code, initiator, initiating, successful, unsuccessful
        final Object[][] t = {
            {0, BY_ENB, "HandoverRequired", "HandoverCommand", "HandoverPreparationFailure"},
            {1, BY_MME, "HandoverRequest", "HandoverRequestAcknowledge", "HandoverFailure"},
            {2, BY_ENB, "HandoverNotify", null, null},
            {3, BY_ENB, "PathSwitchRequest", "PathSwitchRequestAcknowledge", "PathSwitchRequestFailure"},
            {4, BY_ENB, "HandoverCancel", "HandoverCancelAcknowledge", null},
            {5, BY_MME, "E-RABSetupRequest", "E-RABSetupResponse", null},
            {6, BY_MME, "E-RABModifyRequest", "E-RABModifyResponse", null},
            {7, BY_MME, "E-RABReleaseCommand", "E-RABReleaseResponse", null},
            {8, BY_ENB, "E-RABReleaseIndication", null, null},
            {9, BY_MME, "InitialContextSetupRequest", "InitialContextSetupResponse", "InitialContextSetupFailure"},
            {10, BY_MME, "Paging", null, null},
            {11, BY_MME, "DownlinkNASTransport", null, null},
            {12, BY_ENB, "InitialUEMessage", null, null},
            {13, BY_ENB, "UplinkNASTransport", null, null},
            {14, EITHER, "Reset", "ResetAcknowledge", null},
            {15, EITHER, "ErrorIndication", null, null},
            {16, BY_ENB, "NASNonDeliveryIndication", null, null},
            {17, BY_ENB, "S1SetupRequest", "S1SetupResponse", "S1SetupFailure"},
            {18, BY_ENB, "UEContextReleaseRequest", null, null},
            {19, BY_MME, "DownlinkS1cdma2000tunnelling", null, null},
            {20, BY_ENB, "UplinkS1cdma2000tunnelling", null, null},
            {21, BY_MME, "UEContextModificationRequest", "UEContextModificationResponse", "UEContextModificationFailure"},
            {22, BY_ENB, "UECapabilityInfoIndication", null, null},
            {23, BY_MME, "UEContextReleaseCommand", "UEContextReleaseComplete", null},
            {24, BY_ENB, "ENBStatusTransfer", null, null},
            {25, BY_MME, "MMEStatusTransfer", null, null},
            {26, BY_MME, "DeactivateTrace", null, null},
            {27, BY_MME, "TraceStart", null, null},
            {28, BY_ENB, "TraceFailureIndication", null, null},
            {29, BY_ENB, "ENBConfigurationUpdate", "ENBConfigurationUpdateAcknowledge", "ENBConfigurationUpdateFailure"},
            {30, BY_MME, "MMEConfigurationUpdate", "MMEConfigurationUpdateAcknowledge", "MMEConfigurationUpdateFailure"},
            {31, BY_MME, "LocationReportingControl", null, null},
            {32, BY_ENB, "LocationReportingFailureIndication", null, null},
            {33, BY_ENB, "LocationReport", null, null},
            {34, BY_MME, "OverloadStart", null, null},
            {35, BY_MME, "OverloadStop", null, null},
            {36, BY_MME, "WriteReplaceWarningRequest", "WriteReplaceWarningResponse", null},
            {37, BY_ENB, "ENBDirectInformationTransfer", null, null},
            {38, BY_MME, "MMEDirectInformationTransfer", null, null},
            {40, BY_ENB, "ENBConfigurationTransfer", null, null},
            {41, BY_MME, "MMEConfigurationTransfer", null, null},
            {42, BY_ENB, "CellTrafficTrace", null, null},
            {43, BY_MME, "KillRequest", "KillResponse", null},
            {44, BY_MME, "DownlinkUEAssociatedLPPaTransport", null, null},
            {45, BY_ENB, "UplinkUEAssociatedLPPaTransport", null, null},
            {48, BY_MME, "UERadioCapabilityMatchRequest", "UERadioCapabilityMatchResponse", null},
            {49, BY_MME, "PWSRestartIndication", null, null},
            {50, BY_ENB, "E-RABModificationIndication", "E-RABModificationConfirm", null},
            {51, BY_ENB, "PWSFailureIndication", null, null},
            {52, BY_ENB, "RerouteNASRequest", null, null},
            {53, BY_ENB, "UEContextModificationIndication", "UEContextModificationConfirm", null},
        };
        for (int code = 0; code < CODES; code++) {
            NAMES[AperPdu.INITIATING][code] = "S1AP initiatingMessage " + code;
            NAMES[AperPdu.SUCCESSFUL][code] = "S1AP successfulOutcome " + code;
            NAMES[AperPdu.UNSUCCESSFUL][code] = "S1AP unsuccessfulOutcome " + code;
        }
        for (final Object[] e : t) {
            final int code = (Integer) e[0];
            INITIATOR[code] = (Integer) e[1];
            for (int type = 0; type < 3; type++) {
                if (e[2 + type] != null) {
                    NAMES[type][code] = (String) e[2 + type];
                }
            }
        }
    }

    private S1apProcedure() {
    }

    /** The message's name; for a code not listed, "S1AP &lt;choice&gt; &lt;code&gt;". */
    public static String name(final int pduType, final int code) {
        return NAMES[pduType][code & 0xFF];
    }

    /** True when the message is sent by the eNB (uplink), false when by the MME or unknown. */
    public static boolean fromEnb(final int pduType, final int code) {
        final int by = INITIATOR[code & 0xFF];
        return pduType == AperPdu.INITIATING ? by == BY_ENB : by == BY_MME;
    }

    /** True when the message's direction is known (not Reset, Error Indication or an unlisted code). */
    public static boolean directed(final int code) {
        return INITIATOR[code & 0xFF] != EITHER;
    }
}
