package io.sigmatch.decoder.sip;

import io.netty.buffer.ByteBuf;

/**
 * The request methods sigmatch names (RFC 3261 7.1 and the extensions IMS uses: PRACK RFC 3262,
 * SUBSCRIBE/NOTIFY RFC 6665, UPDATE RFC 3311, MESSAGE RFC 3428, INFO RFC 6086, REFER RFC 3515,
 * PUBLISH RFC 3903). A method is case-sensitive (RFC 3261 7.1); any other token is {@link #OTHER}.
 * The code is the message type of a request; a response's message type is its status code.
 */
public final class SipMethod {
    public static final int OTHER = 0;
    public static final int INVITE = 1;
    public static final int ACK = 2;
    public static final int BYE = 3;
    public static final int CANCEL = 4;
    public static final int REGISTER = 5;
    public static final int OPTIONS = 6;
    public static final int PRACK = 7;
    public static final int SUBSCRIBE = 8;
    public static final int NOTIFY = 9;
    public static final int PUBLISH = 10;
    public static final int INFO = 11;
    public static final int REFER = 12;
    public static final int MESSAGE = 13;
    public static final int UPDATE = 14;
    public static final int COUNT = 15;

    private static final String[] NAMES = {"unknown request", "INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS",
        "PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO", "REFER", "MESSAGE", "UPDATE"};
    private static final byte[][] BYTES = new byte[COUNT][];

    static {
        for (int i = 1; i < COUNT; i++) {
            BYTES[i] = NAMES[i].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    /**
     * Status codes registered with IANA (RFC 3261 21 and its extensions); a response with another code
     * is named by its class ("4xx (INVITE)") while its message type keeps the exact code.
     */
    private static final int[] REGISTERED = {100, 180, 181, 182, 183, 199, 200, 202, 204, 300, 301, 302, 305, 380,
        400, 401, 402, 403, 404, 405, 406, 407, 408, 410, 412, 413, 414, 415, 416, 417, 420, 421, 422, 423, 424, 425,
        428, 429, 430, 433, 436, 437, 438, 439, 440, 469, 470, 480, 481, 482, 483, 484, 485, 486, 487, 488, 489, 491,
        493, 494, 500, 501, 502, 503, 504, 505, 513, 555, 580, 600, 603, 604, 606, 607, 608};
    /** Every response name, made at class load so that no input makes the decoder allocate one. */
    private static final String[][] RESPONSE_NAMES = new String[COUNT][700];

    static {
        for (int m = 0; m < COUNT; m++) {
            final String method = m == OTHER ? "unknown" : NAMES[m];
            for (int c = 1; c <= 6; c++) {
                final String byClass = c + "xx (" + method + ")";
                for (int s = c * 100; s < c * 100 + 100; s++) {
                    RESPONSE_NAMES[m][s] = byClass;
                }
            }
            for (final int s : REGISTERED) {
                RESPONSE_NAMES[m][s] = s + " (" + method + ")";
            }
        }
    }

    private SipMethod() {
    }

    public static String name(final int method) {
        return method >= 0 && method < COUNT ? NAMES[method] : NAMES[OTHER];
    }

    /** "200 (INVITE)" for a response to INVITE, "200 (unknown)" when the CSeq method is not one we name. */
    public static String responseName(final int status, final int method) {
        final int m = method > 0 && method < COUNT ? method : OTHER;
        return RESPONSE_NAMES[m][status >= 100 && status <= 699 ? status : 100];
    }

    /** True for a status code registered with IANA (named exactly; others by their class). */
    public static boolean registered(final int status) {
        for (final int s : REGISTERED) {
            if (s == status) {
                return true;
            }
        }
        return false;
    }

    /** The method whose name is exactly buf[from, from + length), or {@link #OTHER}. */
    public static int of(final ByteBuf buf, final int from, final int length) {
        for (int m = 1; m < COUNT; m++) {
            final byte[] b = BYTES[m];
            if (b.length != length || buf.getByte(from) != b[0]) {
                continue;
            }
            int i = 1;
            while (i < length && buf.getByte(from + i) == b[i]) {
                i++;
            }
            if (i == length) {
                return m;
            }
        }
        return OTHER;
    }
}
