package io.sigmatch.decoder.gtpv2;

/**
 * GTPv2-C message types (TS 29.274 Table 6.1-1) with their names spelled exactly as Wireshark
 * spells them, so `sigmatch decode` and tshark print the same {@code msg}; which message answers
 * which (6.1, 7.6: a triggered message answers an initial one with the same sequence number);
 * and which initial messages expect no answer at all.
 *
 * <p>Names are constants from a table filled once; looking one up allocates nothing.
 */
public final class Gtpv2MessageType {
    public static final int RESERVED_0 = 0;
    public static final int ECHO_REQUEST = 1;
    public static final int ECHO_RESPONSE = 2;
    public static final int VERSION_NOT_SUPPORTED_INDICATION = 3;
    public static final int NODE_ALIVE_REQUEST = 4;
    public static final int NODE_ALIVE_RESPONSE = 5;
    public static final int REDIRECTION_REQUEST = 6;
    public static final int REDIRECTION_RESPONSE = 7;
    public static final int SRVCC_PS_TO_CS_REQUEST = 25;
    public static final int SRVCC_PS_TO_CS_RESPONSE = 26;
    public static final int SRVCC_PS_TO_CS_COMPLETE_NOTIFICATION = 27;
    public static final int SRVCC_PS_TO_CS_COMPLETE_ACKNOWLEDGE = 28;
    public static final int SRVCC_PS_TO_CS_CANCEL_NOTIFICATION = 29;
    public static final int SRVCC_PS_TO_CS_CANCEL_ACKNOWLEDGE = 30;
    public static final int SRVCC_CS_TO_PS_REQUEST = 31;
    public static final int CREATE_SESSION_REQUEST = 32;
    public static final int CREATE_SESSION_RESPONSE = 33;
    public static final int MODIFY_BEARER_REQUEST = 34;
    public static final int MODIFY_BEARER_RESPONSE = 35;
    public static final int DELETE_SESSION_REQUEST = 36;
    public static final int DELETE_SESSION_RESPONSE = 37;
    public static final int CHANGE_NOTIFICATION_REQUEST = 38;
    public static final int CHANGE_NOTIFICATION_RESPONSE = 39;
    public static final int REMOTE_UE_REPORT_NOTIFICATION = 40;
    public static final int REMOTE_UE_REPORT_ACKNOWLEDGE = 41;
    public static final int MODIFY_BEARER_COMMAND = 64;
    public static final int MODIFY_BEARER_FAILURE_INDICATION = 65;
    public static final int DELETE_BEARER_COMMAND = 66;
    public static final int DELETE_BEARER_FAILURE_INDICATION = 67;
    public static final int BEARER_RESOURCE_COMMAND = 68;
    public static final int BEARER_RESOURCE_FAILURE_INDICATION = 69;
    public static final int DOWNLINK_DATA_NOTIFICATION_FAILURE_INDICATION = 70;
    public static final int TRACE_SESSION_ACTIVATION = 71;
    public static final int TRACE_SESSION_DEACTIVATION = 72;
    public static final int STOP_PAGING_INDICATION = 73;
    public static final int CREATE_BEARER_REQUEST = 95;
    public static final int CREATE_BEARER_RESPONSE = 96;
    public static final int UPDATE_BEARER_REQUEST = 97;
    public static final int UPDATE_BEARER_RESPONSE = 98;
    public static final int DELETE_BEARER_REQUEST = 99;
    public static final int DELETE_BEARER_RESPONSE = 100;
    public static final int DELETE_PDN_CONNECTION_SET_REQUEST = 101;
    public static final int DELETE_PDN_CONNECTION_SET_RESPONSE = 102;
    public static final int PGW_DOWNLINK_TRIGGERING_NOTIFICATION = 103;
    public static final int PGW_DOWNLINK_TRIGGERING_ACKNOWLEDGE = 104;
    public static final int IDENTIFICATION_REQUEST = 128;
    public static final int IDENTIFICATION_RESPONSE = 129;
    public static final int CONTEXT_REQUEST = 130;
    public static final int CONTEXT_RESPONSE = 131;
    public static final int CONTEXT_ACKNOWLEDGE = 132;
    public static final int FORWARD_RELOCATION_REQUEST = 133;
    public static final int FORWARD_RELOCATION_RESPONSE = 134;
    public static final int FORWARD_RELOCATION_COMPLETE_NOTIFICATION = 135;
    public static final int FORWARD_RELOCATION_COMPLETE_ACKNOWLEDGE = 136;
    public static final int FORWARD_ACCESS_CONTEXT_NOTIFICATION = 137;
    public static final int FORWARD_ACCESS_CONTEXT_ACKNOWLEDGE = 138;
    public static final int RELOCATION_CANCEL_REQUEST = 139;
    public static final int RELOCATION_CANCEL_RESPONSE = 140;
    public static final int CONFIGURATION_TRANSFER_TUNNEL = 141;
    public static final int DETACH_NOTIFICATION = 149;
    public static final int DETACH_ACKNOWLEDGE = 150;
    public static final int CS_PAGING_INDICATION = 151;
    public static final int RAN_INFORMATION_RELAY = 152;
    public static final int ALERT_MME_NOTIFICATION = 153;
    public static final int ALERT_MME_ACKNOWLEDGE = 154;
    public static final int UE_ACTIVITY_NOTIFICATION = 155;
    public static final int UE_ACTIVITY_ACKNOWLEDGE = 156;
    public static final int ISR_STATUS_INDICATION = 157;
    public static final int UE_REGISTRATION_QUERY_REQUEST = 158;
    public static final int UE_REGISTRATION_QUERY_RESPONSE = 159;
    public static final int CREATE_FORWARDING_TUNNEL_REQUEST = 160;
    public static final int CREATE_FORWARDING_TUNNEL_RESPONSE = 161;
    public static final int SUSPEND_NOTIFICATION = 162;
    public static final int SUSPEND_ACKNOWLEDGE = 163;
    public static final int RESUME_NOTIFICATION = 164;
    public static final int RESUME_ACKNOWLEDGE = 165;
    public static final int CREATE_INDIRECT_DATA_FORWARDING_TUNNEL_REQUEST = 166;
    public static final int CREATE_INDIRECT_DATA_FORWARDING_TUNNEL_RESPONSE = 167;
    public static final int DELETE_INDIRECT_DATA_FORWARDING_TUNNEL_REQUEST = 168;
    public static final int DELETE_INDIRECT_DATA_FORWARDING_TUNNEL_RESPONSE = 169;
    public static final int RELEASE_ACCESS_BEARERS_REQUEST = 170;
    public static final int RELEASE_ACCESS_BEARERS_RESPONSE = 171;
    public static final int DOWNLINK_DATA_NOTIFICATION = 176;
    public static final int DOWNLINK_DATA_NOTIFICATION_ACKNOWLEDGEMENT = 177;
    public static final int RESERVED_178 = 178;
    public static final int PGW_RESTART_NOTIFICATION = 179;
    public static final int PGW_RESTART_NOTIFICATION_ACKNOWLEDGE = 180;
    public static final int UPDATE_PDN_CONNECTION_SET_REQUEST = 200;
    public static final int UPDATE_PDN_CONNECTION_SET_RESPONSE = 201;
    public static final int MODIFY_ACCESS_BEARERS_REQUEST = 211;
    public static final int MODIFY_ACCESS_BEARERS_RESPONSE = 212;
    public static final int MBMS_SESSION_START_REQUEST = 231;
    public static final int MBMS_SESSION_START_RESPONSE = 232;
    public static final int MBMS_SESSION_UPDATE_REQUEST = 233;
    public static final int MBMS_SESSION_UPDATE_RESPONSE = 234;
    public static final int MBMS_SESSION_STOP_REQUEST = 235;
    public static final int MBMS_SESSION_STOP_RESPONSE = 236;
    public static final int SRVCC_CS_TO_PS_RESPONSE = 240;
    public static final int SRVCC_CS_TO_PS_COMPLETE_NOTIFICATION = 241;
    public static final int SRVCC_CS_TO_PS_COMPLETE_ACKNOWLEDGE = 242;
    public static final int SRVCC_CS_TO_PS_CANCEL_NOTIFICATION = 243;
    public static final int SRVCC_CS_TO_PS_CANCEL_ACKNOWLEDGE = 244;

    /** What Wireshark prints for a type it has no name for. */
    public static final String UNKNOWN_NAME = "Unknown";

    private static final String[] NAMES = new String[256];
    private static final int[] ANSWER = new int[256];
    private static final int[] REQUEST = new int[256];
    private static final boolean[] UNANSWERED = new boolean[256];

    static {
        NAMES[RESERVED_0] = "Reserved";
        NAMES[ECHO_REQUEST] = "Echo Request";
        NAMES[ECHO_RESPONSE] = "Echo Response";
        NAMES[VERSION_NOT_SUPPORTED_INDICATION] = "Version Not Supported Indication";
        NAMES[NODE_ALIVE_REQUEST] = "Node Alive Request";
        NAMES[NODE_ALIVE_RESPONSE] = "Node Alive Response";
        NAMES[REDIRECTION_REQUEST] = "Redirection Request";
        NAMES[REDIRECTION_RESPONSE] = "Redirection Response";
        NAMES[SRVCC_PS_TO_CS_REQUEST] = "SRVCC PS to CS Request";
        NAMES[SRVCC_PS_TO_CS_RESPONSE] = "SRVCC PS to CS Response";
        NAMES[SRVCC_PS_TO_CS_COMPLETE_NOTIFICATION] = "SRVCC PS to CS Complete Notification";
        NAMES[SRVCC_PS_TO_CS_COMPLETE_ACKNOWLEDGE] = "SRVCC PS to CS Complete Acknowledge";
        NAMES[SRVCC_PS_TO_CS_CANCEL_NOTIFICATION] = "SRVCC PS to CS Cancel Notification";
        NAMES[SRVCC_PS_TO_CS_CANCEL_ACKNOWLEDGE] = "SRVCC PS to CS Cancel Acknowledge";
        NAMES[SRVCC_CS_TO_PS_REQUEST] = "SRVCC CS to PS Request";
        NAMES[CREATE_SESSION_REQUEST] = "Create Session Request";
        NAMES[CREATE_SESSION_RESPONSE] = "Create Session Response";
        NAMES[MODIFY_BEARER_REQUEST] = "Modify Bearer Request";
        NAMES[MODIFY_BEARER_RESPONSE] = "Modify Bearer Response";
        NAMES[DELETE_SESSION_REQUEST] = "Delete Session Request";
        NAMES[DELETE_SESSION_RESPONSE] = "Delete Session Response";
        NAMES[CHANGE_NOTIFICATION_REQUEST] = "Change Notification Request";
        NAMES[CHANGE_NOTIFICATION_RESPONSE] = "Change Notification Response";
        NAMES[REMOTE_UE_REPORT_NOTIFICATION] = "Remote UE Report Notification";
        NAMES[REMOTE_UE_REPORT_ACKNOWLEDGE] = "Remote UE Report Acknowledge";
        NAMES[MODIFY_BEARER_COMMAND] = "Modify Bearer Command";
        NAMES[MODIFY_BEARER_FAILURE_INDICATION] = "Modify Bearer Failure Indication";
        NAMES[DELETE_BEARER_COMMAND] = "Delete Bearer Command";
        NAMES[DELETE_BEARER_FAILURE_INDICATION] = "Delete Bearer Failure Indication";
        NAMES[BEARER_RESOURCE_COMMAND] = "Bearer Resource Command";
        NAMES[BEARER_RESOURCE_FAILURE_INDICATION] = "Bearer Resource Failure Indication";
        NAMES[DOWNLINK_DATA_NOTIFICATION_FAILURE_INDICATION] = "Downlink Data Notification Failure Indication";
        NAMES[TRACE_SESSION_ACTIVATION] = "Trace Session Activation";
        NAMES[TRACE_SESSION_DEACTIVATION] = "Trace Session Deactivation";
        NAMES[STOP_PAGING_INDICATION] = "Stop Paging Indication";
        NAMES[CREATE_BEARER_REQUEST] = "Create Bearer Request";
        NAMES[CREATE_BEARER_RESPONSE] = "Create Bearer Response";
        NAMES[UPDATE_BEARER_REQUEST] = "Update Bearer Request";
        NAMES[UPDATE_BEARER_RESPONSE] = "Update Bearer Response";
        NAMES[DELETE_BEARER_REQUEST] = "Delete Bearer Request";
        NAMES[DELETE_BEARER_RESPONSE] = "Delete Bearer Response";
        NAMES[DELETE_PDN_CONNECTION_SET_REQUEST] = "Delete PDN Connection Set Request";
        NAMES[DELETE_PDN_CONNECTION_SET_RESPONSE] = "Delete PDN Connection Set Response";
        NAMES[PGW_DOWNLINK_TRIGGERING_NOTIFICATION] = "PGW Downlink Triggering Notification";
        NAMES[PGW_DOWNLINK_TRIGGERING_ACKNOWLEDGE] = "PGW Downlink Triggering Acknowledge";
        NAMES[IDENTIFICATION_REQUEST] = "Identification Request";
        NAMES[IDENTIFICATION_RESPONSE] = "Identification Response";
        NAMES[CONTEXT_REQUEST] = "Context Request";
        NAMES[CONTEXT_RESPONSE] = "Context Response";
        NAMES[CONTEXT_ACKNOWLEDGE] = "Context Acknowledge";
        NAMES[FORWARD_RELOCATION_REQUEST] = "Forward Relocation Request";
        NAMES[FORWARD_RELOCATION_RESPONSE] = "Forward Relocation Response";
        NAMES[FORWARD_RELOCATION_COMPLETE_NOTIFICATION] = "Forward Relocation Complete Notification";
        NAMES[FORWARD_RELOCATION_COMPLETE_ACKNOWLEDGE] = "Forward Relocation Complete Acknowledge";
        NAMES[FORWARD_ACCESS_CONTEXT_NOTIFICATION] = "Forward Access Context Notification";
        NAMES[FORWARD_ACCESS_CONTEXT_ACKNOWLEDGE] = "Forward Access Context Acknowledge";
        NAMES[RELOCATION_CANCEL_REQUEST] = "Relocation Cancel Request";
        NAMES[RELOCATION_CANCEL_RESPONSE] = "Relocation Cancel Response";
        NAMES[CONFIGURATION_TRANSFER_TUNNEL] = "Configuration Transfer Tunnel";
        NAMES[DETACH_NOTIFICATION] = "Detach Notification";
        NAMES[DETACH_ACKNOWLEDGE] = "Detach Acknowledge";
        NAMES[CS_PAGING_INDICATION] = "CS Paging Indication";
        NAMES[RAN_INFORMATION_RELAY] = "RAN Information Relay";
        NAMES[ALERT_MME_NOTIFICATION] = "Alert MME Notification";
        NAMES[ALERT_MME_ACKNOWLEDGE] = "Alert MME Acknowledge";
        NAMES[UE_ACTIVITY_NOTIFICATION] = "UE Activity Notification";
        NAMES[UE_ACTIVITY_ACKNOWLEDGE] = "UE Activity Acknowledge";
        NAMES[ISR_STATUS_INDICATION] = "ISR Status Indication";
        NAMES[UE_REGISTRATION_QUERY_REQUEST] = "UE Registration Query Request";
        NAMES[UE_REGISTRATION_QUERY_RESPONSE] = "UE Registration Query Response";
        NAMES[CREATE_FORWARDING_TUNNEL_REQUEST] = "Create Forwarding Tunnel Request";
        NAMES[CREATE_FORWARDING_TUNNEL_RESPONSE] = "Create Forwarding Tunnel Response";
        NAMES[SUSPEND_NOTIFICATION] = "Suspend Notification";
        NAMES[SUSPEND_ACKNOWLEDGE] = "Suspend Acknowledge";
        NAMES[RESUME_NOTIFICATION] = "Resume Notification";
        NAMES[RESUME_ACKNOWLEDGE] = "Resume Acknowledge";
        NAMES[CREATE_INDIRECT_DATA_FORWARDING_TUNNEL_REQUEST] = "Create Indirect Data Forwarding Tunnel Request";
        NAMES[CREATE_INDIRECT_DATA_FORWARDING_TUNNEL_RESPONSE] = "Create Indirect Data Forwarding Tunnel Response";
        NAMES[DELETE_INDIRECT_DATA_FORWARDING_TUNNEL_REQUEST] = "Delete Indirect Data Forwarding Tunnel Request";
        NAMES[DELETE_INDIRECT_DATA_FORWARDING_TUNNEL_RESPONSE] = "Delete Indirect Data Forwarding Tunnel Response";
        NAMES[RELEASE_ACCESS_BEARERS_REQUEST] = "Release Access Bearers Request";
        NAMES[RELEASE_ACCESS_BEARERS_RESPONSE] = "Release Access Bearers Response";
        NAMES[DOWNLINK_DATA_NOTIFICATION] = "Downlink Data Notification";
        NAMES[DOWNLINK_DATA_NOTIFICATION_ACKNOWLEDGEMENT] = "Downlink Data Notification Acknowledgement";
        NAMES[RESERVED_178] = "Reserved. Allocated in earlier version of the specification.";
        NAMES[PGW_RESTART_NOTIFICATION] = "PGW Restart Notification";
        NAMES[PGW_RESTART_NOTIFICATION_ACKNOWLEDGE] = "PGW Restart Notification Acknowledge";
        NAMES[UPDATE_PDN_CONNECTION_SET_REQUEST] = "Update PDN Connection Set Request";
        NAMES[UPDATE_PDN_CONNECTION_SET_RESPONSE] = "Update PDN Connection Set Response";
        NAMES[MODIFY_ACCESS_BEARERS_REQUEST] = "Modify Access Bearers Request";
        NAMES[MODIFY_ACCESS_BEARERS_RESPONSE] = "Modify Access Bearers Response";
        NAMES[MBMS_SESSION_START_REQUEST] = "MBMS Session Start Request";
        NAMES[MBMS_SESSION_START_RESPONSE] = "MBMS Session Start Response";
        NAMES[MBMS_SESSION_UPDATE_REQUEST] = "MBMS Session Update Request";
        NAMES[MBMS_SESSION_UPDATE_RESPONSE] = "MBMS Session Update Response";
        NAMES[MBMS_SESSION_STOP_REQUEST] = "MBMS Session Stop Request";
        NAMES[MBMS_SESSION_STOP_RESPONSE] = "MBMS Session Stop Response";
        NAMES[SRVCC_CS_TO_PS_RESPONSE] = "SRVCC CS to PS Response";
        NAMES[SRVCC_CS_TO_PS_COMPLETE_NOTIFICATION] = "SRVCC CS to PS Complete Notification";
        NAMES[SRVCC_CS_TO_PS_COMPLETE_ACKNOWLEDGE] = "SRVCC CS to PS Complete Acknowledge";
        NAMES[SRVCC_CS_TO_PS_CANCEL_NOTIFICATION] = "SRVCC CS to PS Cancel Notification";
        NAMES[SRVCC_CS_TO_PS_CANCEL_ACKNOWLEDGE] = "SRVCC CS to PS Cancel Acknowledge";

        java.util.Arrays.fill(ANSWER, -1);
        java.util.Arrays.fill(REQUEST, -1);
        pair(ECHO_REQUEST, ECHO_RESPONSE);
        pair(NODE_ALIVE_REQUEST, NODE_ALIVE_RESPONSE);
        pair(REDIRECTION_REQUEST, REDIRECTION_RESPONSE);
        pair(SRVCC_PS_TO_CS_REQUEST, SRVCC_PS_TO_CS_RESPONSE);
        pair(SRVCC_PS_TO_CS_COMPLETE_NOTIFICATION, SRVCC_PS_TO_CS_COMPLETE_ACKNOWLEDGE);
        pair(SRVCC_PS_TO_CS_CANCEL_NOTIFICATION, SRVCC_PS_TO_CS_CANCEL_ACKNOWLEDGE);
        pair(SRVCC_CS_TO_PS_REQUEST, SRVCC_CS_TO_PS_RESPONSE);
        pair(SRVCC_CS_TO_PS_COMPLETE_NOTIFICATION, SRVCC_CS_TO_PS_COMPLETE_ACKNOWLEDGE);
        pair(SRVCC_CS_TO_PS_CANCEL_NOTIFICATION, SRVCC_CS_TO_PS_CANCEL_ACKNOWLEDGE);
        pair(CREATE_SESSION_REQUEST, CREATE_SESSION_RESPONSE);
        pair(MODIFY_BEARER_REQUEST, MODIFY_BEARER_RESPONSE);
        pair(DELETE_SESSION_REQUEST, DELETE_SESSION_RESPONSE);
        pair(CHANGE_NOTIFICATION_REQUEST, CHANGE_NOTIFICATION_RESPONSE);
        pair(REMOTE_UE_REPORT_NOTIFICATION, REMOTE_UE_REPORT_ACKNOWLEDGE);
        // 7.2.17-7.2.18: a command is answered by its failure indication when it fails, and
        // otherwise by the Create/Update/Delete Bearer Request it triggers (same sequence number)
        pair(MODIFY_BEARER_COMMAND, MODIFY_BEARER_FAILURE_INDICATION);
        pair(DELETE_BEARER_COMMAND, DELETE_BEARER_FAILURE_INDICATION);
        pair(BEARER_RESOURCE_COMMAND, BEARER_RESOURCE_FAILURE_INDICATION);
        pair(CREATE_BEARER_REQUEST, CREATE_BEARER_RESPONSE);
        pair(UPDATE_BEARER_REQUEST, UPDATE_BEARER_RESPONSE);
        pair(DELETE_BEARER_REQUEST, DELETE_BEARER_RESPONSE);
        pair(DELETE_PDN_CONNECTION_SET_REQUEST, DELETE_PDN_CONNECTION_SET_RESPONSE);
        pair(PGW_DOWNLINK_TRIGGERING_NOTIFICATION, PGW_DOWNLINK_TRIGGERING_ACKNOWLEDGE);
        pair(IDENTIFICATION_REQUEST, IDENTIFICATION_RESPONSE);
        pair(CONTEXT_REQUEST, CONTEXT_RESPONSE);
        pair(FORWARD_RELOCATION_REQUEST, FORWARD_RELOCATION_RESPONSE);
        pair(FORWARD_RELOCATION_COMPLETE_NOTIFICATION, FORWARD_RELOCATION_COMPLETE_ACKNOWLEDGE);
        pair(FORWARD_ACCESS_CONTEXT_NOTIFICATION, FORWARD_ACCESS_CONTEXT_ACKNOWLEDGE);
        pair(RELOCATION_CANCEL_REQUEST, RELOCATION_CANCEL_RESPONSE);
        pair(DETACH_NOTIFICATION, DETACH_ACKNOWLEDGE);
        pair(ALERT_MME_NOTIFICATION, ALERT_MME_ACKNOWLEDGE);
        pair(UE_ACTIVITY_NOTIFICATION, UE_ACTIVITY_ACKNOWLEDGE);
        pair(UE_REGISTRATION_QUERY_REQUEST, UE_REGISTRATION_QUERY_RESPONSE);
        pair(CREATE_FORWARDING_TUNNEL_REQUEST, CREATE_FORWARDING_TUNNEL_RESPONSE);
        pair(SUSPEND_NOTIFICATION, SUSPEND_ACKNOWLEDGE);
        pair(RESUME_NOTIFICATION, RESUME_ACKNOWLEDGE);
        pair(CREATE_INDIRECT_DATA_FORWARDING_TUNNEL_REQUEST, CREATE_INDIRECT_DATA_FORWARDING_TUNNEL_RESPONSE);
        pair(DELETE_INDIRECT_DATA_FORWARDING_TUNNEL_REQUEST, DELETE_INDIRECT_DATA_FORWARDING_TUNNEL_RESPONSE);
        pair(RELEASE_ACCESS_BEARERS_REQUEST, RELEASE_ACCESS_BEARERS_RESPONSE);
        pair(DOWNLINK_DATA_NOTIFICATION, DOWNLINK_DATA_NOTIFICATION_ACKNOWLEDGEMENT);
        pair(PGW_RESTART_NOTIFICATION, PGW_RESTART_NOTIFICATION_ACKNOWLEDGE);
        pair(UPDATE_PDN_CONNECTION_SET_REQUEST, UPDATE_PDN_CONNECTION_SET_RESPONSE);
        pair(MODIFY_ACCESS_BEARERS_REQUEST, MODIFY_ACCESS_BEARERS_RESPONSE);
        pair(MBMS_SESSION_START_REQUEST, MBMS_SESSION_START_RESPONSE);
        pair(MBMS_SESSION_UPDATE_REQUEST, MBMS_SESSION_UPDATE_RESPONSE);
        pair(MBMS_SESSION_STOP_REQUEST, MBMS_SESSION_STOP_RESPONSE);
        // 6.1: initial messages that no message answers
        UNANSWERED[VERSION_NOT_SUPPORTED_INDICATION] = true;
        UNANSWERED[DOWNLINK_DATA_NOTIFICATION_FAILURE_INDICATION] = true;
        UNANSWERED[TRACE_SESSION_ACTIVATION] = true;
        UNANSWERED[TRACE_SESSION_DEACTIVATION] = true;
        UNANSWERED[STOP_PAGING_INDICATION] = true;
        UNANSWERED[CONFIGURATION_TRANSFER_TUNNEL] = true;
        UNANSWERED[CS_PAGING_INDICATION] = true;
        UNANSWERED[RAN_INFORMATION_RELAY] = true;
        UNANSWERED[ISR_STATUS_INDICATION] = true;
        // the Context Acknowledge answers a Context Response, which is itself an answer: no pairing
        UNANSWERED[CONTEXT_ACKNOWLEDGE] = true;
    }

    private Gtpv2MessageType() {
    }

    private static void pair(final int request, final int answer) {
        ANSWER[request] = answer;
        REQUEST[answer] = request;
    }

    /** Wireshark's name for the type, {@link #UNKNOWN_NAME} when it has none. */
    public static String name(final int type) {
        final String n = NAMES[type & 0xFF];
        return n == null ? UNKNOWN_NAME : n;
    }

    /** True for a message that answers another (a response, acknowledge or failure indication). */
    public static boolean isAnswer(final int type) {
        return REQUEST[type & 0xFF] >= 0;
    }

    /** True for an initial message that expects an answer. */
    public static boolean expectsAnswer(final int type) {
        return ANSWER[type & 0xFF] >= 0;
    }

    /** True for an initial message no message answers (an indication). */
    public static boolean isUnanswered(final int type) {
        return UNANSWERED[type & 0xFF];
    }

    /** The answer type of an initial message, -1 when none. */
    public static int answerOf(final int request) {
        return ANSWER[request & 0xFF];
    }

    /** The initial message an answer type answers, -1 when the type is no answer. */
    public static int requestOf(final int answer) {
        return REQUEST[answer & 0xFF];
    }

    /** 7.2.17-7.2.18: Modify/Delete Bearer Command and Bearer Resource Command. */
    public static boolean isCommand(final int type) {
        return type == MODIFY_BEARER_COMMAND || type == DELETE_BEARER_COMMAND || type == BEARER_RESOURCE_COMMAND;
    }

    /** The requests a command triggers, carrying the command's sequence number (7.6). */
    public static boolean isCommandTriggered(final int type) {
        return type == CREATE_BEARER_REQUEST || type == UPDATE_BEARER_REQUEST || type == DELETE_BEARER_REQUEST;
    }

    /** The family of a message: its own type for an initial message, the request's for an answer. */
    public static int procedureOf(final int type) {
        final int request = REQUEST[type & 0xFF];
        return request >= 0 ? request : type & 0xFF;
    }
}
