package io.sigmatch.decoder.diameter;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds Diameter messages for tests: every length and padding computed the way RFC 6733 §3 and
 * §4.1 define them, so a test names only the fields it is about.
 */
final class DiameterBytes {
    static final int R = 0x80;
    static final int P = 0x40;
    static final int E = 0x20;
    static final int T = 0x10;
    /** AVP flags: V (Vendor-ID present), M (mandatory). */
    static final int V = 0x80;
    static final int M = 0x40;
    static final int TGPP = 10415;

    private DiameterBytes() {
    }

    static byte[] bytes(final int... values) {
        final byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] concat(final byte[]... parts) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A whole message: 20-octet header (version 1, Message Length over everything) then the AVPs. */
    static byte[] message(final int flags, final int code, final int application, final int hopByHop,
        final int endToEnd, final byte[]... avps) {
        final byte[] body = concat(avps);
        final int length = 20 + body.length;
        return concat(bytes(1, length >>> 16, length >>> 8, length, flags, code >>> 16, code >>> 8, code,
            application >>> 24, application >>> 16, application >>> 8, application,
            hopByHop >>> 24, hopByHop >>> 16, hopByHop >>> 8, hopByHop,
            endToEnd >>> 24, endToEnd >>> 16, endToEnd >>> 8, endToEnd), body);
    }

    /** An IETF AVP (no Vendor-ID), M flag set, padded to four octets. */
    static byte[] avp(final int code, final byte[] data) {
        return avp(code, M, 0, data);
    }

    /** A 3GPP AVP: V and M flags, Vendor-ID 10415. */
    static byte[] avp3gpp(final int code, final byte[] data) {
        return avp(code, V | M, TGPP, data);
    }

    static byte[] avp(final int code, final int flags, final int vendor, final byte[] data) {
        final boolean v = (flags & V) != 0;
        final int length = (v ? 12 : 8) + data.length;
        final byte[] header = v
            ? bytes(code >>> 24, code >>> 16, code >>> 8, code, flags, length >>> 16, length >>> 8, length,
                vendor >>> 24, vendor >>> 16, vendor >>> 8, vendor)
            : bytes(code >>> 24, code >>> 16, code >>> 8, code, flags, length >>> 16, length >>> 8, length);
        return concat(header, data, new byte[(4 - (length & 3)) & 3]);
    }

    static byte[] grouped(final int code, final byte[]... members) {
        return avp(code, concat(members));
    }

    static byte[] grouped3gpp(final int code, final byte[]... members) {
        return avp3gpp(code, concat(members));
    }

    static byte[] u32(final long v) {
        return bytes((int) (v >>> 24), (int) (v >>> 16), (int) (v >>> 8), (int) v);
    }

    static byte[] utf8(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** TBCD digits, low nibble first, F filler (TS 29.329 6.3.2 MSISDN, TS 24.008 10.5.1.13 PLMN). */
    static byte[] tbcd(final String digits) {
        final byte[] b = new byte[(digits.length() + 1) / 2];
        for (int i = 0; i < digits.length(); i += 2) {
            final int lo = digits.charAt(i) - '0';
            final int hi = i + 1 < digits.length() ? digits.charAt(i + 1) - '0' : 0xF;
            b[i / 2] = (byte) (hi << 4 | lo);
        }
        return b;
    }

    /** TS 24.008 10.5.1.13 PLMN identity: MCC 2|1, MNC 3|MCC 3, MNC 2|1 (MNC digit 3 = F for two digits). */
    static byte[] plmn(final String mcc, final String mnc) {
        final int mnc3 = mnc.length() == 3 ? mnc.charAt(2) - '0' : 0xF;
        return bytes((mcc.charAt(1) - '0') << 4 | (mcc.charAt(0) - '0'), mnc3 << 4 | (mcc.charAt(2) - '0'),
            (mnc.charAt(1) - '0') << 4 | (mnc.charAt(0) - '0'));
    }

    // ---- common AVPs --------------------------------------------------------------------------

    static byte[] sessionId(final String id) {
        return avp(263, utf8(id));
    }

    static byte[] originHost(final String host) {
        return avp(264, utf8(host));
    }

    static byte[] userName(final String name) {
        return avp(1, utf8(name));
    }

    static byte[] resultCode(final long code) {
        return avp(268, u32(code));
    }

    static byte[] experimentalResult(final long code) {
        // RFC 6733 §7.6: Vendor-Id (266) and Experimental-Result-Code (298)
        return grouped(297, avp(266, u32(TGPP)), avp(298, u32(code)));
    }

    static byte[] subscriptionId(final int type, final String data) {
        // RFC 4006 §8.46: Subscription-Id-Type (450) and Subscription-Id-Data (444)
        return grouped(443, avp(450, u32(type)), avp(444, utf8(data)));
    }
}
