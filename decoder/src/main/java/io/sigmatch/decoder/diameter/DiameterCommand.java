package io.sigmatch.decoder.diameter;

/**
 * Command codes sigmatch names (checked against Wireshark 4.0's diameter/dictionary.xml and
 * TGPP.xml) and the application ids that tell S6a from Cx when both use User-Name. A command is a
 * request when the header's R flag is set, an answer otherwise (RFC 6733 §3); the names are the
 * usual three-letter request/answer abbreviations of the defining specification.
 */
public final class DiameterCommand {
    // RFC 6733 base protocol
    public static final int CAPABILITIES_EXCHANGE = 257;
    public static final int RE_AUTH = 258;
    public static final int ACCOUNTING = 271;
    public static final int ABORT_SESSION = 274;
    public static final int SESSION_TERMINATION = 275;
    public static final int DEVICE_WATCHDOG = 280;
    public static final int DISCONNECT_PEER = 282;
    // RFC 4006 / TS 29.212 Gx / TS 32.299 Gy
    public static final int CREDIT_CONTROL = 272;
    // TS 29.214 Rx
    public static final int AA = 265;
    // TS 29.229 Cx
    public static final int USER_AUTHORIZATION = 300;
    public static final int SERVER_ASSIGNMENT = 301;
    public static final int LOCATION_INFO = 302;
    public static final int MULTIMEDIA_AUTH = 303;
    public static final int REGISTRATION_TERMINATION = 304;
    public static final int PUSH_PROFILE = 305;
    // TS 29.329 Sh
    public static final int USER_DATA = 306;
    public static final int PROFILE_UPDATE = 307;
    public static final int SUBSCRIBE_NOTIFICATIONS = 308;
    public static final int PUSH_NOTIFICATION = 309;
    // TS 29.272 S6a/S6d
    public static final int UPDATE_LOCATION = 316;
    public static final int CANCEL_LOCATION = 317;
    public static final int AUTHENTICATION_INFORMATION = 318;
    public static final int INSERT_SUBSCRIBER_DATA = 319;
    public static final int DELETE_SUBSCRIBER_DATA = 320;
    public static final int PURGE_UE = 321;
    public static final int RESET = 322;
    public static final int NOTIFY = 323;
    // TS 29.338 SGd (and S6c's 8388647 Send-Routing-Info-for-SM is not read)
    public static final int MO_FORWARD_SHORT_MESSAGE = 8388645;
    public static final int MT_FORWARD_SHORT_MESSAGE = 8388646;

    public static final int APP_COMMON = 0;
    public static final int APP_DCCA = 4;
    public static final int APP_CX = 16777216;
    public static final int APP_SH = 16777217;
    public static final int APP_RX = 16777236;
    public static final int APP_GX = 16777238;
    public static final int APP_S6A = 16777251;
    public static final int APP_SGD = 16777313;

    /** CC-Request-Type (RFC 4006 §8.3). */
    public static final int CC_INITIAL = 1;
    public static final int CC_UPDATE = 2;
    public static final int CC_TERMINATION = 3;
    public static final int CC_EVENT = 4;

    private DiameterCommand() {
    }

    /** True for the commands sigmatch names; used to judge a plausible header when resynchronising. */
    public static boolean isKnown(final int code) {
        return name(code, true) != null;
    }

    /**
     * The command's request or answer name; a Credit-Control message with a known CC-Request-Type
     * gets its type as a suffix ("CCR-I", "CCA-T"). Null for a command sigmatch does not know.
     */
    public static String name(final int code, final boolean request, final int ccRequestType) {
        if (code == CREDIT_CONTROL) {
            switch (ccRequestType) {
                case CC_INITIAL: return request ? "CCR-I" : "CCA-I";
                case CC_UPDATE: return request ? "CCR-U" : "CCA-U";
                case CC_TERMINATION: return request ? "CCR-T" : "CCA-T";
                case CC_EVENT: return request ? "CCR-E" : "CCA-E";
                default: return request ? "CCR" : "CCA";
            }
        }
        return name(code, request);
    }

    public static String name(final int code, final boolean request) {
        switch (code) {
            case CAPABILITIES_EXCHANGE: return request ? "CER" : "CEA";
            case RE_AUTH: return request ? "RAR" : "RAA";
            case ACCOUNTING: return request ? "ACR" : "ACA";
            case CREDIT_CONTROL: return request ? "CCR" : "CCA";
            case ABORT_SESSION: return request ? "ASR" : "ASA";
            case SESSION_TERMINATION: return request ? "STR" : "STA";
            case DEVICE_WATCHDOG: return request ? "DWR" : "DWA";
            case DISCONNECT_PEER: return request ? "DPR" : "DPA";
            case AA: return request ? "AAR" : "AAA";
            case USER_AUTHORIZATION: return request ? "UAR" : "UAA";
            case SERVER_ASSIGNMENT: return request ? "SAR" : "SAA";
            case LOCATION_INFO: return request ? "LIR" : "LIA";
            case MULTIMEDIA_AUTH: return request ? "MAR" : "MAA";
            case REGISTRATION_TERMINATION: return request ? "RTR" : "RTA";
            case PUSH_PROFILE: return request ? "PPR" : "PPA";
            case USER_DATA: return request ? "UDR" : "UDA";
            case PROFILE_UPDATE: return request ? "PUR" : "PUA";
            case SUBSCRIBE_NOTIFICATIONS: return request ? "SNR" : "SNA";
            case PUSH_NOTIFICATION: return request ? "PNR" : "PNA";
            case UPDATE_LOCATION: return request ? "ULR" : "ULA";
            case CANCEL_LOCATION: return request ? "CLR" : "CLA";
            case AUTHENTICATION_INFORMATION: return request ? "AIR" : "AIA";
            case INSERT_SUBSCRIBER_DATA: return request ? "IDR" : "IDA";
            case DELETE_SUBSCRIBER_DATA: return request ? "DSR" : "DSA";
            case PURGE_UE: return request ? "PUR" : "PUA";
            case RESET: return request ? "RSR" : "RSA";
            case NOTIFY: return request ? "NOR" : "NOA";
            case MO_FORWARD_SHORT_MESSAGE: return request ? "OFR" : "OFA";
            case MT_FORWARD_SHORT_MESSAGE: return request ? "TFR" : "TFA";
            default: return null;
        }
    }
}
