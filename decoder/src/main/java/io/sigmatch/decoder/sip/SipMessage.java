package io.sigmatch.decoder.sip;

import io.netty.buffer.ByteBuf;

/**
 * One SIP message (RFC 3261 7) read in place: {@link #wrap} scans the start line and the header
 * lines once and records where the fields sigmatch reads lie in the caller's buffer; the accessors
 * return offsets, lengths and numbers, never Strings. Reused for every message on its thread; valid
 * until the next {@code wrap}.
 *
 * <pre>
 *   start-line   CRLF     Request-Line: Method SP Request-URI SP SIP-Version
 *                         Status-Line:  SIP-Version SP Status-Code SP Reason-Phrase
 *   *( header    CRLF )   name HCOLON value; a line starting with SP/HT continues the previous
 *                         header (7.3.1 folding); compact forms i m f t l v c k s e (7.3.3)
 *   CRLF                  the empty line (a bare LF is tolerated for every CRLF, as Wireshark does)
 *   [ body ]              Content-Length octets; on UDP without Content-Length, the rest of the datagram
 * </pre>
 *
 * Headers sigmatch reads are case-insensitive by name; a header that may repeat (P-Asserted-Identity,
 * Contact, Diversion, History-Info, Via) keeps up to {@link #MAX_REPEATS} occurrences, each of which may
 * hold comma-separated values (7.3.1). Single-valued headers (Call-ID, CSeq, From, To, Content-Length)
 * keep the first occurrence.
 */
public final class SipMessage {
    /** Occurrences kept of a header that may repeat; later ones are not read. */
    public static final int MAX_REPEATS = 4;

    public static final int OK = 0;
    public static final int TRUNCATED = 1;
    public static final int BAD_START_LINE = 2;
    public static final int LINE_TOO_LONG = 3;
    public static final int FOLDING = 4;
    public static final int TOO_MANY_HEADERS = 5;
    public static final int BAD_HEADER = 6;
    public static final int BAD_CONTENT_LENGTH = 7;
    public static final int CONTENT_OVERFLOW = 8;
    public static final int TOO_LONG = 9;
    public static final int MISSING_HEADER = 10;
    public static final int BAD_CSEQ = 11;

    // header ids
    static final int H_OTHER = 0;
    static final int H_CALL_ID = 1;
    static final int H_CSEQ = 2;
    static final int H_FROM = 3;
    static final int H_TO = 4;
    static final int H_CONTACT = 5;
    static final int H_CONTENT_LENGTH = 6;
    static final int H_CONTENT_TYPE = 7;
    static final int H_VIA = 8;
    static final int H_PAI = 9;
    static final int H_PPI = 10;
    static final int H_PANI = 11;
    static final int H_DIVERSION = 12;
    static final int H_HISTORY_INFO = 13;
    static final int H_P_SERVED_USER = 14;
    static final int H_EXPIRES = 15;
    static final int HEADER_IDS = 16;

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private final SipConfig config;
    private ByteBuf buf;
    private int start;
    private int end;
    private int bodyFrom;
    private int bodyLength;
    private boolean request;
    private int method;
    private int status;
    private int ruriFrom;
    private int ruriEnd;
    private long cseq;
    private int cseqMethod;
    private int headerCount;
    private int foldedLines;

    /** Per header id: occurrences seen, and value [from, end) of each kept occurrence. */
    private final int[] count = new int[HEADER_IDS];
    private final int[] valueFrom = new int[HEADER_IDS * MAX_REPEATS];
    private final int[] valueEnd = new int[HEADER_IDS * MAX_REPEATS];
    private int contentLength;

    public SipMessage(final SipConfig config) {
        this.config = config;
    }

    /**
     * Reads the message starting at {@code offset}; {@code datagram} says whether a missing
     * Content-Length means "the rest of the payload" (UDP, RFC 3261 18.3) or an empty body (a framed
     * stream message). Returns {@link #OK} or the reason the message is malformed.
     */
    public int wrap(final ByteBuf buffer, final int offset, final int length, final boolean datagram) {
        buf = buffer;
        start = offset;
        final int limit = offset + Math.min(length, config.maxMessageBytes());
        for (int i = 0; i < HEADER_IDS; i++) {
            count[i] = 0;
        }
        headerCount = 0;
        foldedLines = 0;
        contentLength = -1;
        cseq = -1;
        cseqMethod = SipMethod.OTHER;
        method = SipMethod.OTHER;
        status = 0;

        // start line
        int lf = indexOfLf(offset, limit);
        if (lf < 0) {
            return length > config.maxMessageBytes() || limit - offset > config.maxLineBytes() ? LINE_TOO_LONG : TRUNCATED;
        }
        if (lf - offset > config.maxLineBytes()) {
            return LINE_TOO_LONG;
        }
        if (!startLine(offset, lineEnd(offset, lf))) {
            return BAD_START_LINE;
        }
        // header lines
        int at = lf + 1;
        int current = -1;           // header id of the field being read (continuations extend it)
        int currentFrom = 0;
        int currentEnd = 0;
        int currentFolds = 0;
        while (true) {
            lf = indexOfLf(at, limit);
            if (lf < 0) {
                if (limit - at > config.maxLineBytes()) {
                    return LINE_TOO_LONG;
                }
                return length > config.maxMessageBytes() ? TOO_LONG : TRUNCATED;
            }
            if (lf - at > config.maxLineBytes()) {
                return LINE_TOO_LONG;
            }
            final int contentEnd = lineEnd(at, lf);
            if (contentEnd == at) {
                break;              // the empty line: headers end
            }
            final byte first = buf.getByte(at);
            if (first == ' ' || first == '\t') {
                // 7.3.1: a continuation line belongs to the header field above it
                if (current < 0) {
                    return FOLDING;
                }
                if (++currentFolds > config.maxFoldedLines()) {
                    return FOLDING;
                }
                foldedLines++;
                currentEnd = contentEnd;
                at = lf + 1;
                continue;
            }
            if (current >= 0) {
                final int status = header(current, currentFrom, currentEnd);
                if (status != OK) {
                    return status;
                }
            }
            if (++headerCount > config.maxHeaders()) {
                return TOO_MANY_HEADERS;
            }
            final int colon = indexOf(at, contentEnd, (byte) ':');
            if (colon <= at) {
                return BAD_HEADER;
            }
            int nameEnd = colon;
            while (nameEnd > at && isSpace(buf.getByte(nameEnd - 1))) {
                nameEnd--;
            }
            if (!token(at, nameEnd)) {
                return BAD_HEADER;
            }
            current = headerId(at, nameEnd - at);
            currentFrom = colon + 1;
            currentEnd = contentEnd;
            currentFolds = 0;
            at = lf + 1;
        }
        if (current >= 0) {
            final int s = header(current, currentFrom, currentEnd);
            if (s != OK) {
                return s;
            }
        }
        bodyFrom = lf + 1;
        final int available = offset + length - bodyFrom;
        if (contentLength < 0) {
            bodyLength = datagram ? Math.min(available, offset + config.maxMessageBytes() - bodyFrom) : 0;
        } else {
            if (bodyFrom - offset + (long) contentLength > config.maxMessageBytes()) {
                return TOO_LONG;
            }
            if (contentLength > available) {
                return CONTENT_OVERFLOW;
            }
            bodyLength = contentLength;
        }
        end = bodyFrom + bodyLength;
        if (count[H_CALL_ID] == 0 || count[H_CSEQ] == 0 || count[H_FROM] == 0 || count[H_TO] == 0) {
            return MISSING_HEADER; // 8.1.1: every request and response carries them
        }
        if (cseq < 0) {
            return BAD_CSEQ;
        }
        return OK;
    }

    // ---- start line ---------------------------------------------------------------------------

    private static final int VERSION_LENGTH = 7; // "SIP/2.0"

    private boolean startLine(final int from, final int lineEnd) {
        if (isVersion(from, lineEnd)) {
            // Status-Line: SIP/2.0 SP 3DIGIT SP Reason-Phrase (an empty phrase tolerated)
            final int code = from + VERSION_LENGTH + 1;
            if (code + 3 > lineEnd || buf.getByte(from + VERSION_LENGTH) != ' ') {
                return false;
            }
            int s = 0;
            for (int i = 0; i < 3; i++) {
                final int d = buf.getByte(code + i) - '0';
                if (d < 0 || d > 9) {
                    return false;
                }
                s = s * 10 + d;
            }
            if (s < 100 || s > 699 || (code + 3 < lineEnd && buf.getByte(code + 3) != ' ')) {
                return false;
            }
            request = false;
            status = s;
            return true;
        }
        // Request-Line: Method SP Request-URI SP SIP/2.0
        final int sp1 = indexOf(from, lineEnd, (byte) ' ');
        if (sp1 <= from || !token(from, sp1)) {
            return false;
        }
        final int uri = sp1 + 1;
        final int sp2 = indexOf(uri, lineEnd, (byte) ' ');
        if (sp2 <= uri || lineEnd - (sp2 + 1) != VERSION_LENGTH || !isVersion(sp2 + 1, lineEnd)) {
            return false;
        }
        if (indexOf(uri, sp2, (byte) ':') < 0) {
            return false; // an absoluteURI always has its scheme
        }
        request = true;
        method = SipMethod.of(buf, from, sp1 - from);
        ruriFrom = uri;
        ruriEnd = sp2;
        return true;
    }

    /** "SIP/2.0", the protocol name case-insensitive (RFC 3261 7.1). */
    private boolean isVersion(final int from, final int lineEnd) {
        return lineEnd - from >= VERSION_LENGTH
            && (buf.getByte(from) | 0x20) == 's' && (buf.getByte(from + 1) | 0x20) == 'i'
            && (buf.getByte(from + 2) | 0x20) == 'p' && buf.getByte(from + 3) == '/'
            && buf.getByte(from + 4) == '2' && buf.getByte(from + 5) == '.' && buf.getByte(from + 6) == '0';
    }

    // ---- headers ------------------------------------------------------------------------------

    private int header(final int id, final int from, final int lineEnd) {
        int v = from;
        int e = lineEnd;
        while (v < e && isLws(buf.getByte(v))) {
            v++;
        }
        while (e > v && isLws(buf.getByte(e - 1))) {
            e--;
        }
        if (id == H_OTHER) {
            return OK;
        }
        final int n = count[id]++;
        if (n < MAX_REPEATS) {
            valueFrom[id * MAX_REPEATS + n] = v;
            valueEnd[id * MAX_REPEATS + n] = e;
        }
        if (id == H_CONTENT_LENGTH && n == 0) {
            // 20.14: 1*DIGIT; a sign, a fraction or anything else is malformed
            long cl = 0;
            if (v == e) {
                return BAD_CONTENT_LENGTH;
            }
            for (int i = v; i < e; i++) {
                final int d = buf.getByte(i) - '0';
                if (d < 0 || d > 9) {
                    return BAD_CONTENT_LENGTH;
                }
                cl = cl * 10 + d;
                if (cl > Integer.MAX_VALUE) {
                    return TOO_LONG;
                }
            }
            contentLength = (int) cl;
        } else if (id == H_CSEQ && n == 0) {
            readCseq(v, e);
        }
        return OK;
    }

    /** 20.16: CSeq = 1*DIGIT LWS Method; the number is below 2^31. */
    private void readCseq(final int from, final int e) {
        long n = 0;
        int i = from;
        while (i < e) {
            final int d = buf.getByte(i) - '0';
            if (d < 0 || d > 9) {
                break;
            }
            n = n * 10 + d;
            if (n >= 1L << 31) {
                return;
            }
            i++;
        }
        if (i == from || i == e || !isLws(buf.getByte(i))) {
            return;
        }
        while (i < e && isLws(buf.getByte(i))) {
            i++;
        }
        if (i == e || !token(i, e)) {
            return;
        }
        cseq = n;
        cseqMethod = SipMethod.of(buf, i, e - i);
    }

    /** Header names sigmatch reads, long and compact (7.3.3) forms, case-insensitive. */
    private int headerId(final int from, final int length) {
        switch (length) {
            case 1:
                switch (lower(buf.getByte(from))) {
                    case 'i': return H_CALL_ID;
                    case 'm': return H_CONTACT;
                    case 'f': return H_FROM;
                    case 't': return H_TO;
                    case 'l': return H_CONTENT_LENGTH;
                    case 'c': return H_CONTENT_TYPE;
                    case 'v': return H_VIA;
                    default: return H_OTHER;
                }
            case 2:
                return is(from, length, "to") ? H_TO : H_OTHER;
            case 3:
                return is(from, length, "via") ? H_VIA : H_OTHER;
            case 4:
                return is(from, length, "from") ? H_FROM : is(from, length, "cseq") ? H_CSEQ : H_OTHER;
            case 7:
                return is(from, length, "call-id") ? H_CALL_ID : is(from, length, "contact") ? H_CONTACT
                    : is(from, length, "expires") ? H_EXPIRES : H_OTHER;
            case 9:
                return is(from, length, "diversion") ? H_DIVERSION : H_OTHER;
            case 12:
                return is(from, length, "content-type") ? H_CONTENT_TYPE
                    : is(from, length, "history-info") ? H_HISTORY_INFO : H_OTHER;
            case 13:
                return is(from, length, "p-served-user") ? H_P_SERVED_USER : H_OTHER;
            case 14:
                return is(from, length, "content-length") ? H_CONTENT_LENGTH : H_OTHER;
            case 19:
                return is(from, length, "p-asserted-identity") ? H_PAI : H_OTHER;
            case 20:
                return is(from, length, "p-preferred-identity") ? H_PPI : H_OTHER;
            case 21:
                return is(from, length, "p-access-network-info") ? H_PANI : H_OTHER;
            default:
                return H_OTHER;
        }
    }

    private boolean is(final int from, final int length, final String lowerName) {
        for (int i = 0; i < length; i++) {
            if (lower(buf.getByte(from + i)) != lowerName.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    // ---- accessors ----------------------------------------------------------------------------

    public ByteBuf buffer() {
        return buf;
    }

    public int start() {
        return start;
    }

    /** Offset just past the body: where the next message of a payload would begin. */
    public int end() {
        return end;
    }

    public int bodyFrom() {
        return bodyFrom;
    }

    public int bodyLength() {
        return bodyLength;
    }

    public boolean isRequest() {
        return request;
    }

    public int method() {
        return method;
    }

    public int status() {
        return status;
    }

    public int requestUriFrom() {
        return ruriFrom;
    }

    public int requestUriEnd() {
        return ruriEnd;
    }

    /** The CSeq number, -1 when the header was not a number and a method. */
    public long cseq() {
        return cseq;
    }

    public int cseqMethod() {
        return cseqMethod;
    }

    public int foldedLines() {
        return foldedLines;
    }

    /** How many times header {@code id} occurred (occurrences beyond {@link #MAX_REPEATS} are counted, not kept). */
    int count(final int id) {
        return count[id];
    }

    /** Kept occurrences of header id. */
    int kept(final int id) {
        return Math.min(count[id], MAX_REPEATS);
    }

    int valueFrom(final int id, final int occurrence) {
        return valueFrom[id * MAX_REPEATS + occurrence];
    }

    int valueEnd(final int id, final int occurrence) {
        return valueEnd[id * MAX_REPEATS + occurrence];
    }

    public int callIdFrom() {
        return valueFrom(H_CALL_ID, 0);
    }

    public int callIdEnd() {
        return valueEnd(H_CALL_ID, 0);
    }

    /** The value of the first occurrence of a header, as "from\u0000end" packed into a long, or -1. */
    long first(final int id) {
        return count[id] == 0 ? -1 : (long) valueFrom(id, 0) << 32 | valueEnd(id, 0);
    }

    public int contentLength() {
        return contentLength;
    }

    // ---- scanning -----------------------------------------------------------------------------

    private int indexOfLf(final int from, final int limit) {
        return from >= limit ? -1 : buf.indexOf(from, limit, LF);
    }

    /** End of a line's content: before the CR of CRLF, or at a bare LF. */
    private int lineEnd(final int from, final int lf) {
        return lf > from && buf.getByte(lf - 1) == CR ? lf - 1 : lf;
    }

    private int indexOf(final int from, final int limit, final byte b) {
        for (int i = from; i < limit; i++) {
            if (buf.getByte(i) == b) {
                return i;
            }
        }
        return -1;
    }

    /** RFC 3261 25.1 token characters. */
    private boolean token(final int from, final int e) {
        if (from >= e) {
            return false;
        }
        for (int i = from; i < e; i++) {
            if (!isTokenChar(buf.getByte(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isTokenChar(final byte c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '!'
            || c == '%' || c == '*' || c == '_' || c == '+' || c == '`' || c == '\'' || c == '~';
    }

    static boolean isSpace(final byte c) {
        return c == ' ' || c == '\t';
    }

    /** Linear white space inside a (possibly folded) header value. */
    static boolean isLws(final byte c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    static int lower(final byte c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }
}
