package io.sigmatch.decoder.sbi;

/**
 * The SBI service operations sigmatch reads (TS 29.503 Nudm_UECM, TS 29.502 Nsmf_PDUSession,
 * TS 29.518 Namf_EventExposure, TS 29.509 Nausf_UEAuthentication), recognised from the method and
 * the resource path (TS 29.501 4.4.1: {apiRoot}/{apiName}/{apiVersion}/{resource}), and the
 * {@code msg} names `sigmatch decode` prints. Every other request is named by its method.
 */
public final class SbiOperation {
    public static final int OTHER = 0;
    /** PUT /nudm-uecm/v1/{ueId}/registrations/amf-3gpp-access (TS 29.503 5.3.2.2.2). */
    public static final int UECM_REGISTRATION = 1;
    /** PATCH /nudm-uecm/v1/{ueId}/registrations/amf-3gpp-access (update; with purgeFlag a deregistration). */
    public static final int UECM_REGISTRATION_UPDATE = 2;
    /** POST /nsmf-pdusession/v1/sm-contexts (TS 29.502 5.2.2.2). */
    public static final int SMF_CREATE_SM_CONTEXT = 3;
    /** POST /nsmf-pdusession/v1/pdu-sessions: V-SMF/I-SMF to H-SMF (TS 29.502 5.2.2.7, home-routed roaming). */
    public static final int SMF_CREATE_PDU_SESSION = 4;
    /** POST /namf-evts/v1/subscriptions (TS 29.518 5.3.2.2). */
    public static final int AMF_EVENT_SUBSCRIBE = 5;
    /** POST to a consumer's notification URI with an AmfEventNotification body (TS 29.518 5.3.2.4). */
    public static final int AMF_EVENT_NOTIFY = 6;
    /** POST /nausf-auth/v1/ue-authentications (TS 29.509 5.2.2.2). */
    public static final int AUSF_AUTHENTICATE = 7;
    static final int COUNT = 8;

    // request method codes, kept per stream
    public static final int METHOD_NONE = 0;
    public static final int GET = 1;
    public static final int POST = 2;
    public static final int PUT = 3;
    public static final int PATCH = 4;
    public static final int DELETE = 5;
    public static final int OTHER_METHOD = 6;

    private static final String[] REQUEST_NAMES = {
        null, "Nudm_UECM_Registration", "Nudm_UECM_Update", "Nsmf_PDUSession_CreateSMContext",
        "Nsmf_PDUSession_Create", "Namf_EventExposure_Subscribe", "Namf_EventExposure_Notify",
        "Nausf_UEAuthentication_Authenticate",
    };
    private static final String[] RESPONSE_NAMES = {
        "Response", "Nudm_UECM_Registration Response", "Nudm_UECM_Update Response",
        "Nsmf_PDUSession_CreateSMContext Response", "Nsmf_PDUSession_Create Response",
        "Namf_EventExposure_Subscribe Response", "Namf_EventExposure_Notify Response",
        "Nausf_UEAuthentication_Authenticate Response",
    };
    private static final String[] METHOD_NAMES = {"Request", "GET", "POST", "PUT", "PATCH", "DELETE", "Request"};

    private static final byte[] UECM = ascii("/nudm-uecm/v1/");
    private static final byte[] AMF_3GPP_ACCESS = ascii("/registrations/amf-3gpp-access");
    private static final byte[] SM_CONTEXTS = ascii("/nsmf-pdusession/v1/sm-contexts");
    private static final byte[] PDU_SESSIONS = ascii("/nsmf-pdusession/v1/pdu-sessions");
    private static final byte[] EVTS_SUBSCRIPTIONS = ascii("/namf-evts/v1/subscriptions");
    private static final byte[] UE_AUTHENTICATIONS = ascii("/nausf-auth/v1/ue-authentications");

    private SbiOperation() {
    }

    public static String requestName(final int op, final int method) {
        return op > OTHER && op < COUNT ? REQUEST_NAMES[op] : METHOD_NAMES[method];
    }

    public static String responseName(final int op) {
        return op >= 0 && op < COUNT ? RESPONSE_NAMES[op] : RESPONSE_NAMES[OTHER];
    }

    static int method(final byte[] m, final int n) {
        if (n == 3 && m[0] == 'G' && m[1] == 'E' && m[2] == 'T') {
            return GET;
        }
        if (n == 3 && m[0] == 'P' && m[1] == 'U' && m[2] == 'T') {
            return PUT;
        }
        if (n == 4 && m[0] == 'P' && m[1] == 'O' && m[2] == 'S' && m[3] == 'T') {
            return POST;
        }
        if (n == 5 && m[0] == 'P' && m[1] == 'A' && m[2] == 'T' && m[3] == 'C' && m[4] == 'H') {
            return PATCH;
        }
        if (n == 6 && m[0] == 'D' && m[1] == 'E' && m[2] == 'L' && m[3] == 'E' && m[4] == 'T' && m[5] == 'E') {
            return DELETE;
        }
        return n == 0 ? METHOD_NONE : OTHER_METHOD;
    }

    /**
     * The operation a request names by method and path; the path ends at '?' (the query). A POST
     * to another path may still turn out an Namf notification from its body ({@link #AMF_EVENT_NOTIFY}).
     */
    static int classify(final int method, final byte[] path, final int n) {
        int end = 0;
        while (end < n && path[end] != '?') {
            end++;
        }
        if (startsWith(path, end, UECM) && endsWith(path, end, AMF_3GPP_ACCESS)
            && end > UECM.length + AMF_3GPP_ACCESS.length) {
            return method == PUT ? UECM_REGISTRATION : method == PATCH ? UECM_REGISTRATION_UPDATE : OTHER;
        }
        if (method != POST) {
            return OTHER;
        }
        if (equalsIgnoringSlash(path, end, SM_CONTEXTS)) {
            return SMF_CREATE_SM_CONTEXT;
        }
        if (equalsIgnoringSlash(path, end, PDU_SESSIONS)) {
            return SMF_CREATE_PDU_SESSION;
        }
        if (equalsIgnoringSlash(path, end, EVTS_SUBSCRIPTIONS)) {
            return AMF_EVENT_SUBSCRIBE;
        }
        if (equalsIgnoringSlash(path, end, UE_AUTHENTICATIONS)) {
            return AUSF_AUTHENTICATE;
        }
        return OTHER;
    }

    private static boolean equalsIgnoringSlash(final byte[] path, final int end, final byte[] p) {
        final int n = end > 0 && path[end - 1] == '/' ? end - 1 : end;
        return n == p.length && startsWith(path, n, p);
    }

    private static boolean startsWith(final byte[] path, final int end, final byte[] p) {
        if (end < p.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (path[i] != p[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean endsWith(final byte[] path, final int end, final byte[] p) {
        if (end < p.length) {
            return false;
        }
        final int from = end - p.length;
        for (int i = 0; i < p.length; i++) {
            if (path[from + i] != p[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(final String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
