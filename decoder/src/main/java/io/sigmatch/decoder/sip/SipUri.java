package io.sigmatch.decoder.sip;

import static io.sigmatch.decoder.sip.SipMessage.isLws;
import static io.sigmatch.decoder.sip.SipMessage.lower;

import io.netty.buffer.ByteBuf;

/**
 * One URI inside a header value or the Request-URI, read in place (RFC 3261 19.1 sip/sips, RFC 3966
 * tel). {@link #wrapEntry} takes one comma-separated entry of a From, To, Contact, P-Asserted-Identity,
 * Diversion or History-Info value — a name-addr ({@code "Bob" <sip:...>;tag=x}) or an addr-spec (whose
 * URI then ends at the first ';', 20.10) — and {@link #wrapUri} a bare URI. The parts are offsets
 * into the buffer:
 *
 * <pre>
 *   sip:+86-138-0000-0001;npdi@ims.example.org;user=phone     tel:10086;phone-context=ims.example.org
 *       |---- user ----|------|-------- host ---|-params-|         |user|-------- params -----------|
 *                      userinfo params (telephone-subscriber)
 * </pre>
 *
 * After the URI, a name-addr's header parameters ({@code ;tag=}, {@code ;+sip.instance=}) run to the
 * end of the entry. Reused; valid until the next wrap.
 */
public final class SipUri {
    public static final int OTHER = 0;
    public static final int SIP = 1;
    public static final int SIPS = 2;
    public static final int TEL = 3;
    public static final int URN = 4;

    private ByteBuf buf;
    private int scheme;
    private int uriFrom;
    private int uriEnd;
    private int userFrom;
    private int userEnd;
    private int userParamsFrom;
    private int userParamsEnd;
    private int hostFrom;
    private int hostEnd;
    private int paramsFrom;
    private int paramsEnd;
    private int entryParamsFrom;
    private int entryEnd;

    /**
     * The end of the comma-separated entry starting at {@code from} (7.3.1): the first ',' outside a
     * quoted string and outside angle brackets, or {@code end}.
     */
    public static int entryEnd(final ByteBuf buf, final int from, final int end) {
        boolean quoted = false;
        boolean angle = false;
        for (int i = from; i < end; i++) {
            final byte c = buf.getByte(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '<') {
                angle = true;
            } else if (c == '>') {
                angle = false;
            } else if (c == ',' && !angle) {
                return i;
            }
        }
        return end;
    }

    /** Reads the URI of a name-addr or addr-spec entry in [from, end); false when there is none. */
    public boolean wrapEntry(final ByteBuf buffer, final int from, final int end) {
        buf = buffer;
        int at = from;
        while (at < end && isLws(buf.getByte(at))) {
            at++;
        }
        entryEnd = end;
        // a display name: quoted string or tokens, then '<'
        int open = -1;
        boolean quoted = false;
        for (int i = at; i < end; i++) {
            final byte c = buf.getByte(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '<') {
                open = i;
                break;
            } else if (c == ';' || c == ':') {
                break; // an addr-spec: its scheme or params come before any '<'
            }
        }
        if (open < 0 && quoted) {
            // an unbalanced quote (some phones escape the display name's quotes): take the first '<'
            for (int i = at; i < end; i++) {
                if (buf.getByte(i) == '<') {
                    open = i;
                    break;
                }
            }
        }
        if (open >= 0) {
            int close = open + 1;
            while (close < end && buf.getByte(close) != '>') {
                close++;
            }
            if (close == end) {
                return false;
            }
            entryParamsFrom = close + 1;
            return parse(open + 1, close, true);
        }
        // 20.10: an addr-spec without brackets cannot contain ';' — what follows is header params
        int uriEndAt = at;
        while (uriEndAt < end && buf.getByte(uriEndAt) != ';' && !isLws(buf.getByte(uriEndAt))) {
            uriEndAt++;
        }
        entryParamsFrom = uriEndAt;
        return parse(at, uriEndAt, false);
    }

    /** Reads a bare URI (the Request-URI) in [from, end). */
    public boolean wrapUri(final ByteBuf buffer, final int from, final int end) {
        buf = buffer;
        entryParamsFrom = end;
        entryEnd = end;
        return parse(from, end, true);
    }

    private boolean parse(final int from, final int end, final boolean paramsAllowed) {
        uriFrom = from;
        uriEnd = end;
        userFrom = userEnd = userParamsFrom = userParamsEnd = hostFrom = hostEnd = paramsFrom = paramsEnd = -1;
        int colon = from;
        while (colon < end && buf.getByte(colon) != ':') {
            if (!isSchemeChar(buf.getByte(colon))) {
                return false;
            }
            colon++;
        }
        if (colon == end || colon == from) {
            return false;
        }
        final int n = colon - from;
        scheme = n == 3 && is(from, "sip") ? SIP : n == 4 && is(from, "sips") ? SIPS : n == 3 && is(from, "tel") ? TEL
            : n == 3 && is(from, "urn") ? URN : OTHER;
        final int rest = colon + 1;
        if (scheme == TEL) {
            // RFC 3966 3: telephone-subscriber = number *par
            int semi = rest;
            while (semi < end && buf.getByte(semi) != ';') {
                semi++;
            }
            userFrom = rest;
            userEnd = semi;
            if (semi < end) {
                paramsFrom = semi;
                paramsEnd = end;
            }
            return true;
        }
        if (scheme != SIP && scheme != SIPS) {
            return true;
        }
        // 19.1.1: [userinfo "@"] hostport uri-parameters [headers]
        int at = -1;
        for (int i = rest; i < end; i++) {
            final byte c = buf.getByte(i);
            if (c == '@') {
                at = i;
                break;
            }
        }
        int host = rest;
        if (at >= 0) {
            userFrom = rest;
            int u = rest;
            while (u < at && buf.getByte(u) != ':' && buf.getByte(u) != ';') {
                u++;
            }
            userEnd = u;
            if (u < at && buf.getByte(u) == ';') {
                userParamsFrom = u;
                int p = u;
                while (p < at && buf.getByte(p) != ':') {
                    p++;
                }
                userParamsEnd = p;
            }
            host = at + 1;
        }
        int h = host;
        if (h < end && buf.getByte(h) == '[') {
            while (h < end && buf.getByte(h) != ']') {
                h++;
            }
        }
        while (h < end && buf.getByte(h) != ':' && buf.getByte(h) != ';' && buf.getByte(h) != '?') {
            h++;
        }
        hostFrom = host;
        hostEnd = h;
        while (h < end && buf.getByte(h) != ';' && buf.getByte(h) != '?') {
            h++;
        }
        if (paramsAllowed && h < end && buf.getByte(h) == ';') {
            int q = h;
            while (q < end && buf.getByte(q) != '?') {
                q++;
            }
            paramsFrom = h;
            paramsEnd = q;
        }
        return true;
    }

    private static boolean isSchemeChar(final byte c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-'
            || c == '.';
    }

    private boolean is(final int from, final String lowerText) {
        for (int i = 0; i < lowerText.length(); i++) {
            if (lower(buf.getByte(from + i)) != lowerText.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    public int scheme() {
        return scheme;
    }

    public boolean isSip() {
        return scheme == SIP || scheme == SIPS;
    }

    public int uriFrom() {
        return uriFrom;
    }

    public int uriEnd() {
        return uriEnd;
    }

    /** User part (sip: before ':', ';' or '@'; tel: the number before ';'), -1 when none. */
    public int userFrom() {
        return userFrom;
    }

    public int userEnd() {
        return userEnd;
    }

    /** End of the user part with its telephone-subscriber parameters (before a password or the '@'). */
    public int userWithParamsEnd() {
        return userParamsFrom >= 0 ? userParamsEnd : userEnd;
    }

    public int hostFrom() {
        return hostFrom;
    }

    public int hostEnd() {
        return hostEnd;
    }

    /** Header parameters of the entry (after '>' or after an addr-spec), to the end of the entry. */
    public int entryParamsFrom() {
        return entryParamsFrom;
    }

    public int entryEnd() {
        return entryEnd;
    }

    /** True when the URI carries {@code ;name=value} (value compared case-insensitively; null: any value). */
    public boolean hasParam(final String lowerName, final String lowerValue) {
        return paramValue(paramsFrom, paramsEnd, lowerName, lowerValue) >= 0
            || paramValue(userParamsFrom, userParamsEnd, lowerName, lowerValue) >= 0;
    }

    /**
     * Offset of the value of parameter {@code ;lowerName=} in the URI's parameters (tel: after the
     * number, sip: in the userinfo's telephone-subscriber part or after the host), -1 when absent.
     */
    public int param(final String lowerName) {
        final int inUser = paramValue(userParamsFrom, userParamsEnd, lowerName, null);
        return inUser >= 0 ? inUser : paramValue(paramsFrom, paramsEnd, lowerName, null);
    }

    /** The end of a parameter value starting at {@code value}: the next ';', '?', ',' '>' or LWS. */
    public int paramEnd(final int value) {
        int i = value;
        final int limit = Math.max(uriEnd, entryEnd);
        while (i < limit) {
            final byte c = buf.getByte(i);
            if (c == ';' || c == '?' || c == ',' || c == '>' || c == '@' || isLws(c)) {
                break;
            }
            i++;
        }
        return i;
    }

    /** Offset of the value of {@code ;lowerName=} among the entry's header parameters, -1 when absent. */
    public int entryParam(final String lowerName) {
        return paramValue(entryParamsFrom, entryEnd, lowerName, null);
    }

    private int paramValue(final int from, final int end, final String lowerName, final String lowerValue) {
        if (from < 0) {
            return -1;
        }
        int i = from;
        while (i < end) {
            if (buf.getByte(i) != ';') {
                i++;
                continue;
            }
            int p = i + 1;
            while (p < end && isLws(buf.getByte(p))) {
                p++;
            }
            int k = 0;
            while (k < lowerName.length() && p + k < end && lower(buf.getByte(p + k)) == lowerName.charAt(k)) {
                k++;
            }
            int after = p + k;
            if (k == lowerName.length()) {
                while (after < end && isLws(buf.getByte(after))) {
                    after++;
                }
                if (after < end && buf.getByte(after) == '=') {
                    after++;
                    while (after < end && isLws(buf.getByte(after))) {
                        after++;
                    }
                    if (lowerValue == null) {
                        return after;
                    }
                    int v = 0;
                    while (v < lowerValue.length() && after + v < end
                        && lower(buf.getByte(after + v)) == lowerValue.charAt(v)) {
                        v++;
                    }
                    final int ve = after + v;
                    if (v == lowerValue.length() && (ve == end || !isParamChar(buf.getByte(ve)))) {
                        return after;
                    }
                } else if (lowerValue == null && (after == end || buf.getByte(after) == ';')) {
                    return after; // a flag parameter without value
                }
            }
            i = p;
        }
        return -1;
    }

    private static boolean isParamChar(final byte c) {
        return SipMessage.isTokenChar(c) || c == '[' || c == ']' || c == '/' || c == ':' || c == '&' || c == '$';
    }
}
