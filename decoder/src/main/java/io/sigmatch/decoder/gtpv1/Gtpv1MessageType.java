package io.sigmatch.decoder.gtpv1;

/**
 * GTPv1 message types (TS 29.060 Table 1, 7.1) with their names spelled exactly as Wireshark's
 * {@code gtp.message} value strings, so `sigmatch decode` and tshark print the same {@code msg};
 * which response answers which request; and which messages expect no answer.
 *
 * <p>Names are constants from a table filled once; looking one up allocates nothing.
 */
public final class Gtpv1MessageType {
    public static final int ECHO_REQUEST = 1;
    public static final int ECHO_RESPONSE = 2;
    public static final int VERSION_NOT_SUPPORTED = 3;
    public static final int CREATE_PDP_CONTEXT_REQUEST = 16;
    public static final int CREATE_PDP_CONTEXT_RESPONSE = 17;
    public static final int UPDATE_PDP_CONTEXT_REQUEST = 18;
    public static final int UPDATE_PDP_CONTEXT_RESPONSE = 19;
    public static final int DELETE_PDP_CONTEXT_REQUEST = 20;
    public static final int DELETE_PDP_CONTEXT_RESPONSE = 21;
    public static final int ERROR_INDICATION = 26;
    public static final int SUPPORTED_EXTENSION_HEADERS_NOTIFICATION = 31;
    public static final int SGSN_CONTEXT_REQUEST = 50;
    public static final int SGSN_CONTEXT_RESPONSE = 51;
    public static final int SGSN_CONTEXT_ACKNOWLEDGE = 52;
    public static final int FORWARD_RELOCATION_COMPLETE = 55;
    public static final int FORWARD_SRNS_CONTEXT = 58;
    public static final int FORWARD_RELOCATION_COMPLETE_ACKNOWLEDGE = 59;
    public static final int FORWARD_SRNS_CONTEXT_ACKNOWLEDGE = 60;
    public static final int RAN_INFORMATION_RELAY = 70;
    public static final int MS_INFO_CHANGE_NOTIFICATION_REQUEST = 128;
    public static final int MS_INFO_CHANGE_NOTIFICATION_RESPONSE = 129;
    public static final int END_MARKER = 254;
    public static final int G_PDU = 255;

    private static final String UNKNOWN = "Unknown";
    private static final String[] NAMES = new String[256];
    /** answer type -> request type, 0 when not an answer. */
    private static final int[] REQUEST_OF = new int[256];
    /** request type -> answer type, 0 when it expects none. */
    private static final int[] ANSWER_OF = new int[256];

    static {
        name(0, "For future use");
        name(1, "Echo request");
        name(2, "Echo response");
        name(3, "Version not supported");
        name(4, "Node alive request");
        name(5, "Node alive response");
        name(6, "Redirection request");
        name(7, "Redirection response");
        name(16, "Create PDP context request");
        name(17, "Create PDP context response");
        name(18, "Update PDP context request");
        name(19, "Update PDP context response");
        name(20, "Delete PDP context request");
        name(21, "Delete PDP context response");
        name(22, "Initiate PDP Context Activation Request");
        name(23, "Initiate PDP Context Activation Response");
        name(24, "Delete AA PDP Context Request");
        name(25, "Delete AA PDP Context Response");
        name(26, "Error indication");
        name(27, "PDU notification request");
        name(28, "PDU notification response");
        name(29, "PDU notification reject request");
        name(30, "PDU notification reject response");
        name(31, "Supported extension header notification");
        name(32, "Send routing information for GPRS request");
        name(33, "Send routing information for GPRS response");
        name(34, "Failure report request");
        name(35, "Failure report response");
        name(36, "Note MS GPRS present request");
        name(37, "Note MS GPRS present response");
        name(48, "Identification request");
        name(49, "Identification response");
        name(50, "SGSN context request");
        name(51, "SGSN context response");
        name(52, "SGSN context acknowledgement");
        name(53, "Forward relocation request");
        name(54, "Forward relocation response");
        name(55, "Forward relocation complete");
        name(56, "Relocation cancel request");
        name(57, "Relocation cancel response");
        name(58, "Forward SRNS context");
        name(59, "Forward relocation complete acknowledge");
        name(60, "Forward SRNS context acknowledge");
        name(61, "UE Registration Query Request");
        name(62, "UE Registration Query Response");
        name(70, "RAN Information Relay");
        name(96, "MBMS Notification Request");
        name(97, "MBMS Notification Response");
        name(98, "MBMS Notification Reject Request");
        name(99, "MBMS Notification Reject Response");
        name(100, "Create MBMS Context Request");
        name(101, "Create MBMS Context Response");
        name(102, "Update MBMS Context Request");
        name(103, "Update MBMS Context Response");
        name(104, "Delete MBMS Context Request");
        name(105, "Delete MBMS Context Response");
        name(112, "MBMS Registration Request");
        name(113, "MBMS Registration Response");
        name(114, "MBMS De-Registration Request");
        name(115, "MBMS De-Registration Response");
        name(116, "MBMS Session Start Request");
        name(117, "MBMS Session Start Response");
        name(118, "MBMS Session Stop Request");
        name(119, "MBMS Session Stop Response");
        name(120, "MBMS Session Update Request");
        name(121, "MBMS Session Update Response");
        name(128, "MS Info Change Notification Request");
        name(129, "MS Info Change Notification Response");
        name(240, "Data record transfer request");
        name(241, "Data record transfer response");
        name(254, "End Marker");
        name(255, "T-PDU");
        // Table 1: every request's response is the next type, except the two acknowledgements
        for (final int request : new int[] {1, 4, 6, 16, 18, 20, 22, 24, 27, 29, 32, 34, 36, 48, 50, 53, 56, 61,
            96, 98, 100, 102, 104, 112, 114, 116, 118, 120, 128, 240}) {
            pair(request, request + 1);
        }
        pair(FORWARD_RELOCATION_COMPLETE, FORWARD_RELOCATION_COMPLETE_ACKNOWLEDGE);
        pair(FORWARD_SRNS_CONTEXT, FORWARD_SRNS_CONTEXT_ACKNOWLEDGE);
    }

    private Gtpv1MessageType() {
    }

    private static void name(final int type, final String name) {
        NAMES[type] = name;
    }

    private static void pair(final int request, final int answer) {
        ANSWER_OF[request] = answer;
        REQUEST_OF[answer] = request;
    }

    /** Wireshark's name of the type, "Unknown" for a type it does not name. */
    public static String name(final int type) {
        final String n = type >= 0 && type < 256 ? NAMES[type] : null;
        return n == null ? UNKNOWN : n;
    }

    public static boolean isAnswer(final int type) {
        return type >= 0 && type < 256 && REQUEST_OF[type] != 0;
    }

    /** The request a response answers, 0 when type is not a response. */
    public static int requestOf(final int type) {
        return type >= 0 && type < 256 ? REQUEST_OF[type] : 0;
    }

    /** The response a request expects, 0 when it expects none. */
    public static int answerOf(final int type) {
        return type >= 0 && type < 256 ? ANSWER_OF[type] : 0;
    }

    public static boolean expectsAnswer(final int type) {
        return answerOf(type) != 0;
    }

    /**
     * The request type whose procedure a message belongs to: a request itself, or the request a
     * response answers.
     */
    public static int procedureOf(final int type) {
        final int request = requestOf(type);
        return request != 0 ? request : type;
    }
}
