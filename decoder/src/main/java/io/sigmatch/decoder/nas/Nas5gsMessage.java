package io.sigmatch.decoder.nas;

import io.netty.buffer.ByteBuf;
import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.Plmn;

/**
 * Flyweight decoder of one 5GS NAS message (TS 24.501) as NGAP's NAS-PDU carries it: the security
 * header, the 5GMM message type and what sigmatch needs of it — the 5GS mobile identity of a
 * Registration Request, Identity Response, Deregistration Request (UE originating) or Service
 * Request (SUCI, 5G-GUTI, IMEI, 5G-S-TMSI, IMEISV), the 5G-GUTI a Registration Accept assigns, the
 * IMEISV of Security Mode Complete, and the ciphering algorithm a Security Mode Command selects.
 *
 * <pre>
 *  plain 5GMM (§9.1.1):       octet 0 EPD 0x7E, octet 1 spare | security header type 0, octet 2 type
 *  security protected:        octet 0 EPD 0x7E, octet 1 header type 1..4, octets 2-5 MAC,
 *                             octet 6 sequence number, octets 7.. the plain message
 *  5GSM (EPD 0x2E):           not read
 * </pre>
 *
 * <p>SUCI (§9.11.3.4, TS 23.003 §2.2B): with the null protection scheme the scheme output is the MSIN
 * in clear, so MCC + MNC + MSIN is the SUPI (IMSI); any other scheme is {@link #suciConcealed()} and
 * yields no identity. Ciphered messages (header types 2 and 4) are read only when the caller knows the
 * UE's security context uses NEA0, as for EPS ({@link NasEpsMessage}).
 */
public final class Nas5gsMessage {
    public static final int MM = 0;
    public static final int SM = 1;
    public static final int CIPHERED = 2;
    public static final int TRUNCATED = -1;
    public static final int BAD_SECURITY_HEADER = -2;
    public static final int UNKNOWN_EPD = -3;
    public static final int BAD_IDENTITY = -4;
    public static final int BAD_IE = -5;
    public static final int NESTED = -6;

    public static final int EPD_5GMM = 0x7E;
    public static final int EPD_5GSM = 0x2E;

    public static final int REGISTRATION_REQUEST = 0x41;
    public static final int REGISTRATION_ACCEPT = 0x42;
    public static final int DEREGISTRATION_REQUEST_UE_ORIGINATING = 0x45;
    public static final int DEREGISTRATION_REQUEST_UE_TERMINATED = 0x47;
    public static final int SERVICE_REQUEST = 0x4C;
    public static final int IDENTITY_RESPONSE = 0x5C;
    public static final int SECURITY_MODE_COMMAND = 0x5D;
    public static final int SECURITY_MODE_COMPLETE = 0x5E;

    /** §9.11.3.4 type of identity. */
    public static final int ID_NONE = 0;
    public static final int ID_SUCI = 1;
    public static final int ID_GUTI = 2;
    public static final int ID_IMEI = 3;
    public static final int ID_S_TMSI = 4;
    public static final int ID_IMEISV = 5;

    private static final String[] NAMES = new String[0x100];

    static {
        final Object[][] t = {
            {0x41, "Registration request"}, {0x42, "Registration accept"}, {0x43, "Registration complete"},
            {0x44, "Registration reject"}, {0x45, "Deregistration request (UE originating)"},
            {0x46, "Deregistration accept (UE originating)"}, {0x47, "Deregistration request (UE terminated)"},
            {0x48, "Deregistration accept (UE terminated)"}, {0x4C, "Service request"}, {0x4D, "Service reject"},
            {0x4E, "Service accept"}, {0x4F, "Control plane service request"},
            {0x50, "Network slice-specific authentication command"},
            {0x51, "Network slice-specific authentication complete"},
            {0x52, "Network slice-specific authentication result"}, {0x54, "Configuration update command"},
            {0x55, "Configuration update complete"}, {0x56, "Authentication request"},
            {0x57, "Authentication response"}, {0x58, "Authentication reject"}, {0x59, "Authentication failure"},
            {0x5A, "Authentication result"}, {0x5B, "Identity request"}, {0x5C, "Identity response"},
            {0x5D, "Security mode command"}, {0x5E, "Security mode complete"}, {0x5F, "Security mode reject"},
            {0x64, "5GMM status"}, {0x65, "Notification"}, {0x66, "Notification response"},
            {0x67, "UL NAS transport"}, {0x68, "DL NAS transport"},
        };
        for (final Object[] e : t) {
            NAMES[(Integer) e[0]] = (String) e[1];
        }
    }

    private ByteBuf buf;
    private int securityHeader;
    private int messageType;
    private int identityType;
    private long imsi;
    private long imei;
    private long imeisv;
    private long tmsiKey;
    private boolean tmsiAssigned;
    private boolean suciConcealed;
    private int protectionScheme;
    private int cipheringAlgorithm;

    public static String name(final int messageType) {
        return messageType >= 0 && messageType < NAMES.length ? NAMES[messageType] : null;
    }

    /**
     * Decodes the NAS-PDU {@code buf[offset, offset + length)}; {@code nullCiphering}: the UE's
     * context is known to use NEA0. Returns a status; the accessors are valid for {@link #MM}.
     */
    public int decode(final ByteBuf buffer, final int offset, final int length, final boolean nullCiphering) {
        buf = buffer;
        securityHeader = -1;
        messageType = -1;
        identityType = ID_NONE;
        imsi = imei = imeisv = Digits.NONE;
        tmsiKey = 0;
        tmsiAssigned = false;
        suciConcealed = false;
        protectionScheme = -1;
        cipheringAlgorithm = -1;
        if (length < 1) {
            return TRUNCATED;
        }
        final int end = offset + length;
        final int epd = buffer.getUnsignedByte(offset);
        if (epd == EPD_5GSM) {
            return SM;
        }
        if (epd != EPD_5GMM) {
            return UNKNOWN_EPD;
        }
        if (length < 2) {
            return TRUNCATED;
        }
        final int sh = buffer.getUnsignedByte(offset + 1) & 0x0F;
        securityHeader = sh;
        switch (sh) {
            case 0:
                return plain(offset, end);
            case 2:
            case 4:
                if (!nullCiphering) {
                    return CIPHERED;
                }
                return inner(offset, end);
            case 1:
            case 3:
                return inner(offset, end);
            default:
                return BAD_SECURITY_HEADER;
        }
    }

    private int inner(final int offset, final int end) {
        final int at = offset + 7;
        if (at + 1 > end) {
            return TRUNCATED;
        }
        final int epd = buf.getUnsignedByte(at);
        if (epd == EPD_5GSM) {
            return SM;
        }
        if (epd != EPD_5GMM) {
            return UNKNOWN_EPD;
        }
        if (at + 2 > end) {
            return TRUNCATED;
        }
        if ((buf.getUnsignedByte(at + 1) & 0x0F) != 0) {
            return NESTED;
        }
        return plain(at, end);
    }

    private int plain(final int at, final int end) {
        if (at + 3 > end) {
            return TRUNCATED;
        }
        messageType = buf.getUnsignedByte(at + 2);
        final int p = at + 3;
        switch (messageType) {
            case REGISTRATION_REQUEST:
                // §8.2.6: 5GS registration type | ngKSI (1), 5GS mobile identity (LV-E)
            case DEREGISTRATION_REQUEST_UE_ORIGINATING:
                // §8.2.12: de-registration type | ngKSI, 5GS mobile identity (LV-E)
            case SERVICE_REQUEST:
                // §8.2.16: service type | ngKSI, 5G-S-TMSI (LV-E)
                return mobileIdentity(p + 1, end, false);
            case IDENTITY_RESPONSE:
                // §8.2.22: mobile identity (LV-E)
                return mobileIdentity(p, end, false);
            case REGISTRATION_ACCEPT:
                return registrationAccept(p, end);
            case SECURITY_MODE_COMMAND:
                // §9.11.3.34: type of ciphering algorithm in bits 8-5
                if (p >= end) {
                    return TRUNCATED;
                }
                cipheringAlgorithm = buf.getUnsignedByte(p) >>> 4;
                return MM;
            case SECURITY_MODE_COMPLETE:
                // §8.2.26: optional IMEISV (IEI 0x77, 5GS mobile identity TLV-E) first
                if (p + 3 <= end && buf.getUnsignedByte(p) == 0x77) {
                    return mobileIdentity(p + 1, end, false);
                }
                return MM;
            default:
                return MM;
        }
    }

    /** §8.2.7: 5GS registration result (LV), then optional IEs; the 5G-GUTI is IEI 0x77 (TLV-E). */
    private int registrationAccept(final int p, final int end) {
        if (p >= end) {
            return TRUNCATED;
        }
        final int q = p + 1 + buf.getUnsignedByte(p);
        if (q > end) {
            return BAD_IE;
        }
        if (q + 3 <= end && buf.getUnsignedByte(q) == 0x77) {
            return mobileIdentity(q + 1, end, true);
        }
        return MM;
    }

    /** 5GS mobile identity, LV-E at {@code q} (two length octets). */
    private int mobileIdentity(final int q, final int end, final boolean assigned) {
        if (q + 2 > end) {
            return TRUNCATED;
        }
        final int len = buf.getUnsignedShort(q);
        final int v = q + 2;
        if (len < 1 || v + len > end) {
            return BAD_IE;
        }
        final int first = buf.getUnsignedByte(v);
        final int type = first & 0x07;
        switch (type) {
            case ID_NONE:
                identityType = ID_NONE;
                return MM;
            case ID_SUCI:
                return suci(v, len, first);
            case ID_GUTI:
                // 0xF2, PLMN (3), AMF region (1), AMF set id (10 bits) + pointer (6 bits), 5G-TMSI (4)
                if (len != 11 || Plmn.fromTbcd(buf, v + 1) == Digits.INVALID) {
                    return BAD_IDENTITY;
                }
                identityType = ID_GUTI;
                tmsiKey = tmsiKey(buf.getUnsignedShort(v + 5), buf.getInt(v + 7));
                tmsiAssigned = assigned;
                return MM;
            case ID_S_TMSI:
                // 0xF4, AMF set id + pointer (2), 5G-TMSI (4)
                if (len != 7) {
                    return BAD_IDENTITY;
                }
                identityType = ID_S_TMSI;
                tmsiKey = tmsiKey(buf.getUnsignedShort(v + 1), buf.getInt(v + 3));
                return MM;
            case ID_IMEI:
            case ID_IMEISV: {
                final long digits = NasDigits.identityDigits(buf, v, len);
                if (digits == Digits.INVALID) {
                    return BAD_IDENTITY;
                }
                final int n = Digits.length(digits);
                if (type == ID_IMEI ? n != 15 : n != 16) {
                    return BAD_IDENTITY;
                }
                imei = Digits.prefix(digits, 14);
                if (type == ID_IMEISV) {
                    imeisv = digits;
                }
                identityType = type;
                return MM;
            }
            default:
                identityType = type;                 // MAC address, EUI-64: not a subscriber identity
                return MM;
        }
    }

    /**
     * SUCI, SUPI format IMSI (§9.11.3.4 figure 9.11.3.4.3): octets PLMN (3), routing indicator (2),
     * protection scheme id (low nibble), home network public key id, scheme output. Null scheme: the
     * output is the MSIN as TBCD digits (0xF filler).
     */
    private int suci(final int v, final int len, final int first) {
        identityType = ID_SUCI;
        final int supiFormat = (first >>> 4) & 0x07;
        if (supiFormat != 0) {
            suciConcealed = true;                    // network specific identifier: not an IMSI
            return MM;
        }
        if (len < 8) {
            return BAD_IDENTITY;
        }
        final long plmn = Plmn.fromTbcd(buf, v + 1);
        if (plmn == Digits.INVALID) {
            return BAD_IDENTITY;
        }
        protectionScheme = buf.getUnsignedByte(v + 6) & 0x0F;
        if (protectionScheme != 0) {
            suciConcealed = true;                    // ECIES profile A/B or operator specific: concealed
            return MM;
        }
        final long msin = Digits.fromTbcd(buf, v + 8, len - 8);
        final int msinDigits = Digits.length(msin);
        final int total = Digits.length(plmn) + msinDigits;
        if (msin == Digits.INVALID || msinDigits < 1 || total < 6 || total > 15) {
            return BAD_IDENTITY;
        }
        long value = Digits.value(plmn);
        for (int i = 0; i < msinDigits; i++) {
            value = value * 10 + Digits.digitAt(msin, i);
        }
        imsi = Digits.pack(value, total);
        return MM;
    }

    /** The key a 5G-GUTI / 5G-S-TMSI is filed under: AMF set id + pointer (16 bits), 5G-TMSI. Never 0. */
    public static long tmsiKey(final int amfSetAndPointer, final int tmsi) {
        return 1L << 61 | (long) (amfSetAndPointer & 0xFFFF) << 32 | (tmsi & 0xFFFFFFFFL);
    }

    public int securityHeader() {
        return securityHeader;
    }

    public int messageType() {
        return messageType;
    }

    public int identityType() {
        return identityType;
    }

    /** The SUPI of a null-scheme SUCI, {@link Digits#NONE} otherwise. */
    public long imsi() {
        return imsi;
    }

    public long imei() {
        return imei;
    }

    public long imeisv() {
        return imeisv;
    }

    public long tmsiKey() {
        return tmsiKey;
    }

    /** The 5G-TMSI of {@link #tmsiKey()}. */
    public int tmsi() {
        return (int) tmsiKey;
    }

    public boolean tmsiAssigned() {
        return tmsiAssigned;
    }

    /** True when the SUCI used a protection scheme other than null (or a non-IMSI SUPI format). */
    public boolean suciConcealed() {
        return suciConcealed;
    }

    /** The SUCI's protection scheme id, -1 when no IMSI-format SUCI was read. */
    public int protectionScheme() {
        return protectionScheme;
    }

    public int cipheringAlgorithm() {
        return cipheringAlgorithm;
    }
}
