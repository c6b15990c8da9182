package io.sigmatch.decoder.ngap;

import io.sigmatch.decoder.s1ap.AperPdu;

/**
 * NGAP elementary procedures (TS 38.413 §9.4.6 procedure codes, §8 which node initiates each) and
 * the names of their messages as the ASN.1 (and Wireshark) spells them.
 */
public final class NgapProcedure {
    public static final int DOWNLINK_NAS_TRANSPORT = 4;
    public static final int HANDOVER_NOTIFICATION = 11;
    public static final int INITIAL_CONTEXT_SETUP = 14;
    public static final int INITIAL_UE_MESSAGE = 15;
    public static final int LOCATION_REPORT = 18;
    public static final int PATH_SWITCH_REQUEST = 25;
    public static final int UE_CONTEXT_RELEASE = 41;
    public static final int UPLINK_NAS_TRANSPORT = 46;

    public static final int BY_RAN = 1;
    public static final int BY_AMF = 2;
    public static final int EITHER = 0;

    private static final int CODES = 256;
    private static final String[][] NAMES = new String[3][CODES];
    private static final int[] INITIATOR = new int[CODES];

    static {
        final Object[][] t = {
            {0, BY_AMF, "AMFConfigurationUpdate", "AMFConfigurationUpdateAcknowledge", "AMFConfigurationUpdateFailure"},
            {1, BY_AMF, "AMFStatusIndication", null, null},
            {2, BY_RAN, "CellTrafficTrace", null, null},
            {3, BY_AMF, "DeactivateTrace", null, null},
            {4, BY_AMF, "DownlinkNASTransport", null, null},
            {5, BY_AMF, "DownlinkNonUEAssociatedNRPPaTransport", null, null},
            {6, BY_AMF, "DownlinkRANConfigurationTransfer", null, null},
            {7, BY_AMF, "DownlinkRANStatusTransfer", null, null},
            {8, BY_AMF, "DownlinkUEAssociatedNRPPaTransport", null, null},
            {9, EITHER, "ErrorIndication", null, null},
            {10, BY_RAN, "HandoverCancel", "HandoverCancelAcknowledge", null},
            {11, BY_RAN, "HandoverNotify", null, null},
            {12, BY_RAN, "HandoverRequired", "HandoverCommand", "HandoverPreparationFailure"},
            {13, BY_AMF, "HandoverRequest", "HandoverRequestAcknowledge", "HandoverFailure"},
            {14, BY_AMF, "InitialContextSetupRequest", "InitialContextSetupResponse", "InitialContextSetupFailure"},
            {15, BY_RAN, "InitialUEMessage", null, null},
            {16, BY_AMF, "LocationReportingControl", null, null},
            {17, BY_RAN, "LocationReportingFailureIndication", null, null},
            {18, BY_RAN, "LocationReport", null, null},
            {19, BY_RAN, "NASNonDeliveryIndication", null, null},
            {20, EITHER, "NGReset", "NGResetAcknowledge", null},
            {21, BY_RAN, "NGSetupRequest", "NGSetupResponse", "NGSetupFailure"},
            {22, BY_AMF, "OverloadStart", null, null},
            {23, BY_AMF, "OverloadStop", null, null},
            {24, BY_AMF, "Paging", null, null},
            {25, BY_RAN, "PathSwitchRequest", "PathSwitchRequestAcknowledge", "PathSwitchRequestFailure"},
            {26, BY_AMF, "PDUSessionResourceModifyRequest", "PDUSessionResourceModifyResponse", null},
            {27, BY_RAN, "PDUSessionResourceModifyIndication", "PDUSessionResourceModifyConfirm", null},
            {28, BY_AMF, "PDUSessionResourceReleaseCommand", "PDUSessionResourceReleaseResponse", null},
            {29, BY_AMF, "PDUSessionResourceSetupRequest", "PDUSessionResourceSetupResponse", null},
            {30, BY_RAN, "PDUSessionResourceNotify", null, null},
            {31, EITHER, "PrivateMessage", null, null},
            {32, BY_AMF, "PWSCancelRequest", "PWSCancelResponse", null},
            {33, BY_RAN, "PWSFailureIndication", null, null},
            {34, BY_RAN, "PWSRestartIndication", null, null},
            {35, BY_RAN, "RANConfigurationUpdate", "RANConfigurationUpdateAcknowledge", "RANConfigurationUpdateFailure"},
            {36, BY_RAN, "RerouteNASRequest", null, null},
            {37, BY_RAN, "RRCInactiveTransitionReport", null, null},
            {38, BY_RAN, "TraceFailureIndication", null, null},
            {39, BY_AMF, "TraceStart", null, null},
            {40, BY_AMF, "UEContextModificationRequest", "UEContextModificationResponse", "UEContextModificationFailure"},
            {41, BY_AMF, "UEContextReleaseCommand", "UEContextReleaseComplete", null},
            {42, BY_RAN, "UEContextReleaseRequest", null, null},
            {43, BY_AMF, "UERadioCapabilityCheckRequest", "UERadioCapabilityCheckResponse", null},
            {44, BY_RAN, "UERadioCapabilityInfoIndication", null, null},
            {45, BY_AMF, "UETNLABindingReleaseRequest", null, null},
            {46, BY_RAN, "UplinkNASTransport", null, null},
            {47, BY_RAN, "UplinkNonUEAssociatedNRPPaTransport", null, null},
            {48, BY_RAN, "UplinkRANConfigurationTransfer", null, null},
            {49, BY_RAN, "UplinkRANStatusTransfer", null, null},
            {50, BY_RAN, "UplinkUEAssociatedNRPPaTransport", null, null},
            {51, BY_AMF, "WriteReplaceWarningRequest", "WriteReplaceWarningResponse", null},
        };
        for (int code = 0; code < CODES; code++) {
            NAMES[AperPdu.INITIATING][code] = "NGAP initiatingMessage " + code;
            NAMES[AperPdu.SUCCESSFUL][code] = "NGAP successfulOutcome " + code;
            NAMES[AperPdu.UNSUCCESSFUL][code] = "NGAP unsuccessfulOutcome " + code;
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

    private NgapProcedure() {
    }

    public static String name(final int pduType, final int code) {
        return NAMES[pduType][code & 0xFF];
    }

    /** True when the message is sent by the NG-RAN node (uplink). */
    public static boolean fromRan(final int pduType, final int code) {
        final int by = INITIATOR[code & 0xFF];
        return pduType == AperPdu.INITIATING ? by == BY_RAN : by == BY_AMF;
    }

    public static boolean directed(final int code) {
        return INITIATOR[code & 0xFF] != EITHER;
    }
}
