package io.sigmatch.decoder.nas;

import io.netty.buffer.ByteBuf;
import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.Plmn;

/**
 * Flyweight decoder of one EPS NAS message (TS 24.301) as S1AP's NAS-PDU carries it: the security
 * header, the EMM message type and the few information elements sigmatch needs — the EPS mobile
 * identity (IMSI, GUTI, IMEI) of Attach, Tracking Area Update and Detach requests, the GUTI an
 * Attach/TAU Accept or GUTI Reallocation assigns, the mobile identity of an Identity Response
 * (IMSI, IMEI, IMEISV), the IMEISV of Security Mode Complete, the last visited TAI, and the
 * ciphering algorithm a Security Mode Command selects.
 *
 * <pre>
 *  plain (§9.1):              octet 0 security header type 0 | PD 7 (EMM), octet 1 message type, IEs
 *                             (PD 2, ESM: octet 0 high nibble is the EPS bearer identity instead)
 *  security protected (§9.1): octet 0 header type 1..4 | PD 7, octets 1-4 MAC, octet 5 sequence
 *                             number, octets 6.. the plain message
 *  SERVICE REQUEST (§9.9.3.28): octet 0 header type 12 | PD 7, KSI + sequence number, short MAC (2)
 * </pre>
 *
 * <p>Security header types 1 and 3 (integrity protected only) are read through to the inner plain
 * message. Types 2 and 4 are ciphered: their bytes are read only when the caller knows that the UE's
 * security context uses EEA0, the null cipher (a Security Mode Command that selected it, seen in clear
 * on the same UE); otherwise the message is {@link #CIPHERED} and nothing of it is read, so ciphertext
 * is never taken for an identity. Every length is checked against the NAS-PDU's limit.
 */
public final class NasEpsMessage {
    // ---- decode status ---------------------------------------------------------------------------
    /** An EMM message whose type (and the IEs sigmatch reads) was decoded. */
    public static final int EMM = 0;
    /** A plain ESM message (PD 2): not read further. */
    public static final int ESM = 1;
    /** Ciphered with an algorithm not known to be EEA0: not read. */
    public static final int CIPHERED = 2;
    public static final int TRUNCATED = -1;
    /** Security header types 5..11 (§9.3.1: not used for a message sigmatch can read). */
    public static final int BAD_SECURITY_HEADER = -2;
    /** A protocol discriminator other than EMM (7) or ESM (2). */
    public static final int UNKNOWN_PD = -3;
    /** A mobile identity with bad digits, a bad length or an impossible digit count. */
    public static final int BAD_IDENTITY = -4;
    /** A length-value IE running past the NAS-PDU. */
    public static final int BAD_IE = -5;
    /** A security-protected message whose inner message is itself not plain. */
    public static final int NESTED = -6;

    public static final int PD_ESM = 2;
    public static final int PD_EMM = 7;

    /** TS 24.301 §9.3.1 security header types. */
    public static final int SH_PLAIN = 0;
    public static final int SH_INTEGRITY = 1;
    public static final int SH_INTEGRITY_CIPHERED = 2;
    public static final int SH_INTEGRITY_NEW_CONTEXT = 3;
    public static final int SH_INTEGRITY_CIPHERED_NEW_CONTEXT = 4;
    public static final int SH_SERVICE_REQUEST = 12;

    // ---- TS 24.301 Table 9.8.1 message types -----------------------------------------------------
    public static final int ATTACH_REQUEST = 0x41;
    public static final int ATTACH_ACCEPT = 0x42;
    public static final int ATTACH_COMPLETE = 0x43;
    public static final int ATTACH_REJECT = 0x44;
    public static final int DETACH_REQUEST = 0x45;
    public static final int DETACH_ACCEPT = 0x46;
    public static final int TAU_REQUEST = 0x48;
    public static final int TAU_ACCEPT = 0x49;
    public static final int TAU_REJECT = 0x4B;
    public static final int EXTENDED_SERVICE_REQUEST = 0x4C;
    public static final int SERVICE_REJECT = 0x4E;
    public static final int GUTI_REALLOCATION_COMMAND = 0x50;
    public static final int IDENTITY_RESPONSE = 0x56;
    public static final int SECURITY_MODE_COMMAND = 0x5D;
    public static final int SECURITY_MODE_COMPLETE = 0x5E;
    /** Not a message type octet: the SERVICE REQUEST of security header type 12 has none. */
    public static final int SERVICE_REQUEST = 0x100;

    /** TS 24.008 §10.5.1.4 / TS 24.301 §9.9.3.12 type of identity. */
    public static final int ID_NONE = 0;
    public static final int ID_IMSI = 1;
    public static final int ID_IMEI = 2;
    public static final int ID_IMEISV = 3;
    public static final int ID_TMSI = 4;
    public static final int ID_GUTI = 6;

    /** TS 24.301 §9.9.3.12: a GUTI identity is 11 octets: type, PLMN (3), MMEGI (2), MMEC, M-TMSI (4). */
    private static final int GUTI_LENGTH = 11;
    /** TS 23.003 §2.2: an IMSI has 6..15 digits. */
    private static final int MIN_IMSI_DIGITS = 6;
    private static final int MAX_IMSI_DIGITS = 15;

    private static final String[] NAMES = new String[0x101];

    static {
        final Object[][] t = {
            {0x41, "Attach request"}, {0x42, "Attach accept"}, {0x43, "Attach complete"}, {0x44, "Attach reject"},
            {0x45, "Detach request"}, {0x46, "Detach accept"}, {0x48, "Tracking area update request"},
            {0x49, "Tracking area update accept"}, {0x4A, "Tracking area update complete"},
            {0x4B, "Tracking area update reject"}, {0x4C, "Extended service request"},
            {0x4D, "Control plane service request"}, {0x4E, "Service reject"}, {0x4F, "Service accept"},
            {0x50, "GUTI reallocation command"}, {0x51, "GUTI reallocation complete"},
            {0x52, "Authentication request"}, {0x53, "Authentication response"}, {0x54, "Authentication reject"},
            {0x55, "Identity request"}, {0x56, "Identity response"}, {0x5C, "Authentication failure"},
            {0x5D, "Security mode command"}, {0x5E, "Security mode complete"}, {0x5F, "Security mode reject"},
            {0x60, "EMM status"}, {0x61, "EMM information"}, {0x62, "Downlink NAS transport"},
            {0x63, "Uplink NAS transport"}, {0x64, "CS service notification"},
            {0x68, "Downlink generic NAS transport"}, {0x69, "Uplink generic NAS transport"},
            {SERVICE_REQUEST, "Service request"},
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
    private long gutiKey;
    private boolean gutiAssigned;
    private int cipheringAlgorithm;
    private long lastVisitedPlmn;
    private int lastVisitedTac;
    private int procedureType;

    /** Wireshark's name of an EMM message type (the same strings tshark shows), or null. */
    public static String name(final int messageType) {
        return messageType >= 0 && messageType < NAMES.length ? NAMES[messageType] : null;
    }

    /**
     * Decodes the NAS-PDU {@code buf[offset, offset + length)}. {@code uplink}: sent by the UE (a
     * Detach Request carries an identity only then). {@code nullCiphering}: the UE's security context
     * is known to use EEA0, so ciphered messages are plain text. Returns a status; the accessors are
     * valid for {@link #EMM}.
     */
    public int decode(final ByteBuf buffer, final int offset, final int length, final boolean uplink,
        final boolean nullCiphering) {
        this.buf = buffer;
        securityHeader = -1;
        messageType = -1;
        identityType = ID_NONE;
        imsi = imei = imeisv = Digits.NONE;
        gutiKey = 0;
        gutiAssigned = false;
        cipheringAlgorithm = -1;
        lastVisitedPlmn = Digits.NONE;
        lastVisitedTac = -1;
        procedureType = -1;
        if (length < 1) {
            return TRUNCATED;
        }
        final int end = offset + length;
        final int b0 = buffer.getUnsignedByte(offset);
        final int pd = b0 & 0x0F;
        if (pd == PD_ESM) {
            return ESM;                            // its high nibble is an EPS bearer identity, not a header
        }
        if (pd != PD_EMM) {
            return UNKNOWN_PD;
        }
        final int sh = b0 >>> 4;
        securityHeader = sh;
        switch (sh) {
            case SH_PLAIN:
                return plain(offset, end, uplink);
            case SH_INTEGRITY_CIPHERED:
            case SH_INTEGRITY_CIPHERED_NEW_CONTEXT:
                if (!nullCiphering) {
                    return CIPHERED;
                }
                // EEA0: the "ciphered" octets are the plain message (TS 33.401 §5.1.3.2)
                return inner(offset, end, uplink);
            case SH_INTEGRITY:
            case SH_INTEGRITY_NEW_CONTEXT:
                return inner(offset, end, uplink);
            default:
                if (sh >= SH_SERVICE_REQUEST) {
                    // §9.3.1: 13..15 are treated as 12; the message is 4 octets, no identity
                    if (length < 4) {
                        return TRUNCATED;
                    }
                    messageType = SERVICE_REQUEST;
                    return EMM;
                }
                return BAD_SECURITY_HEADER;
        }
    }

    private int inner(final int offset, final int end, final boolean uplink) {
        final int at = offset + 6;
        if (at >= end) {
            return TRUNCATED;
        }
        final int b = buf.getUnsignedByte(at);
        if ((b & 0x0F) == PD_ESM) {
            return ESM;
        }
        if ((b & 0x0F) != PD_EMM) {
            return UNKNOWN_PD;
        }
        if ((b >>> 4) != SH_PLAIN) {
            return NESTED;
        }
        return plain(at, end, uplink);
    }

    /** A plain EMM message at {@code at}: header octet, message type, then its IEs. */
    private int plain(final int at, final int end, final boolean uplink) {
        if (at + 2 > end) {
            return TRUNCATED;
        }
        messageType = buf.getUnsignedByte(at + 1);
        final int p = at + 2;
        switch (messageType) {
            case ATTACH_REQUEST:
                // §8.2.4: KSI | EPS attach type, EPS mobile identity (LV), UE network capability (LV),
                // ESM message container (LV-E), then optional IEs up to the last visited TAI
                return requestWithIdentity(p, end, true);
            case TAU_REQUEST:
                // §8.2.29: KSI | EPS update type, old GUTI (LV), optional IEs
                return requestWithIdentity(p, end, false);
            case DETACH_REQUEST:
                // §8.2.11.1 (UE originating): KSI | detach type, EPS mobile identity (LV);
                // §8.2.11.2 (UE terminated): detach type, optional EMM cause
                if (p >= end) {
                    return TRUNCATED;
                }
                procedureType = buf.getUnsignedByte(p) & 0x0F;
                return uplink ? epsIdentity(p + 1, end, false) : EMM;
            case ATTACH_ACCEPT:
                return attachAccept(p, end);
            case TAU_ACCEPT:
                // §8.2.26: EPS update result, then optional IEs: T3412 (TV 2), GUTI (TLV 0x50) ...
                if (p >= end) {
                    return TRUNCATED;
                }
                return optionalGuti(p + 1, end);
            case GUTI_REALLOCATION_COMMAND:
                // §8.2.16: GUTI (LV)
                return epsIdentity(p, end, true);
            case IDENTITY_RESPONSE:
                // §8.2.19: mobile identity (LV), TS 24.008 §10.5.1.4
                return mobileIdentity(p, end);
            case SECURITY_MODE_COMMAND:
                // §9.9.3.23: selected NAS security algorithms, type of ciphering algorithm in bits 7-5
                if (p >= end) {
                    return TRUNCATED;
                }
                cipheringAlgorithm = (buf.getUnsignedByte(p) >>> 4) & 0x07;
                return EMM;
            case SECURITY_MODE_COMPLETE:
                // §8.2.21: optional IMEISV request response, IEI 0x23 (mobile identity TLV)
                if (p + 2 <= end && buf.getUnsignedByte(p) == 0x23) {
                    return mobileIdentity(p + 1, end);
                }
                return EMM;
            default:
                return EMM;
        }
    }

    private int requestWithIdentity(final int p, final int end, final boolean attach) {
        if (p >= end) {
            return TRUNCATED;
        }
        procedureType = buf.getUnsignedByte(p) & 0x07;
        final int afterId = lvEnd(p + 1, end);
        if (afterId < 0) {
            return BAD_IE;
        }
        final int id = epsIdentity(p + 1, end, false);
        if (id != EMM) {
            return id;
        }
        int q = afterId;
        if (attach) {
            q = lvEnd(q, end);                     // UE network capability
            if (q < 0) {
                return BAD_IE;
            }
            if (q + 2 > end) {
                return BAD_IE;                     // ESM message container is mandatory
            }
            q = q + 2 + buf.getUnsignedShort(q);
            if (q > end) {
                return BAD_IE;
            }
        }
        lastVisitedTai(q, end);
        return EMM;
    }

    /** §8.2.1: EPS attach result, T3412, TAI list (LV), ESM container (LV-E), then the optional GUTI. */
    private int attachAccept(final int p, final int end) {
        int q = p + 2;
        q = lvEnd(q, end);
        if (q < 0 || q + 2 > end) {
            return q < 0 ? BAD_IE : TRUNCATED;
        }
        q = q + 2 + buf.getUnsignedShort(q);
        if (q > end) {
            return BAD_IE;
        }
        return optionalGuti(q, end);
    }

    /** Walks optional IEs from {@code q} up to the GUTI (IEI 0x50) and reads it as an assigned GUTI. */
    private int optionalGuti(final int from, final int end) {
        int q = from;
        for (int guard = 0; q < end && guard < 64; guard++) {
            final int iei = buf.getUnsignedByte(q);
            if (iei == 0x50) {
                return epsIdentity(q + 1, end, true);
            }
            q = skipOptional(q, end);
            if (q < 0) {
                return EMM;                        // an IE after the ones sigmatch reads is damaged
            }
        }
        return EMM;
    }

    /** Walks optional IEs of an Attach or TAU Request up to the last visited registered TAI (0x52, TV 6). */
    private void lastVisitedTai(final int from, final int end) {
        int q = from;
        for (int guard = 0; q < end && guard < 64; guard++) {
            final int iei = buf.getUnsignedByte(q);
            if (iei == 0x52) {
                if (q + 6 <= end) {
                    final long plmn = Plmn.fromTbcd(buf, q + 1);
                    if (plmn != Digits.INVALID) {
                        lastVisitedPlmn = plmn;
                        lastVisitedTac = buf.getUnsignedShort(q + 4);
                    }
                }
                return;
            }
            q = skipOptional(q, end);
            if (q < 0) {
                return;
            }
        }
    }

    /**
     * The end of the optional IE at {@code q} (TS 24.007 §11.2.4): IEIs 0x80..0xFF are one octet (type
     * 1 and 2); the TV IEs of EMM messages that come before the ones sigmatch reads have fixed lengths;
     * IEIs 0x7x are TLV-E; all others TLV. -1 when it runs past the end.
     */
    private int skipOptional(final int q, final int end) {
        final int iei = buf.getUnsignedByte(q);
        final int next;
        if (iei >= 0x80) {
            next = q + 1;
        } else {
            switch (iei) {
                case 0x19: next = q + 4; break;    // old P-TMSI signature (TV 4)
                case 0x13: next = q + 6; break;    // old location area identification (TV 6)
                case 0x52: next = q + 6; break;    // last visited registered TAI (TV 6)
                case 0x55: next = q + 5; break;    // NonceUE (TV 5)
                case 0x5C: next = q + 3; break;    // DRX parameter (TV 3)
                case 0x5A: next = q + 2; break;    // T3412 value (TV 2)
                case 0x53: next = q + 2; break;    // EMM cause (TV 2)
                case 0x17: next = q + 2; break;    // T3402 value (TV 2)
                case 0x59: next = q + 2; break;    // T3423 value (TV 2)
                default:
                    if ((iei & 0xF0) == 0x70) {
                        if (q + 3 > end) {
                            return -1;
                        }
                        next = q + 3 + buf.getUnsignedShort(q + 1);
                    } else {
                        if (q + 2 > end) {
                            return -1;
                        }
                        next = q + 2 + buf.getUnsignedByte(q + 1);
                    }
                    break;
            }
        }
        return next > end ? -1 : next;
    }

    private int lvEnd(final int q, final int end) {
        if (q >= end) {
            return -1;
        }
        final int next = q + 1 + buf.getUnsignedByte(q);
        return next > end ? -1 : next;
    }

    /** EPS mobile identity (LV at {@code q}), §9.9.3.12: IMSI, IMEI or GUTI. */
    private int epsIdentity(final int q, final int end, final boolean assigned) {
        if (q >= end) {
            return TRUNCATED;
        }
        final int len = buf.getUnsignedByte(q);
        final int v = q + 1;
        if (len < 1 || v + len > end) {
            return BAD_IE;
        }
        final int type = buf.getUnsignedByte(v) & 0x07;
        if (type == ID_GUTI) {
            if (len != GUTI_LENGTH || Plmn.fromTbcd(buf, v + 1) == Digits.INVALID) {
                return BAD_IDENTITY;
            }
            identityType = ID_GUTI;
            gutiKey = gutiKey(buf.getUnsignedByte(v + 6), buf.getInt(v + 7));
            gutiAssigned = assigned;
            return EMM;
        }
        return digitIdentity(type, v, len);
    }

    /** Mobile identity (LV at {@code q}), TS 24.008 §10.5.1.4: IMSI, IMEI, IMEISV, TMSI or none. */
    private int mobileIdentity(final int q, final int end) {
        if (q >= end) {
            return TRUNCATED;
        }
        final int len = buf.getUnsignedByte(q);
        final int v = q + 1;
        if (len < 1 || v + len > end) {
            return BAD_IE;
        }
        final int type = buf.getUnsignedByte(v) & 0x07;
        if (type == ID_TMSI || type == ID_NONE) {
            identityType = type;
            return EMM;
        }
        return digitIdentity(type, v, len);
    }

    private int digitIdentity(final int type, final int v, final int len) {
        final long digits = NasDigits.identityDigits(buf, v, len);
        if (digits == Digits.INVALID) {
            return BAD_IDENTITY;
        }
        final int n = Digits.length(digits);
        switch (type) {
            case ID_IMSI:
                if (n < MIN_IMSI_DIGITS || n > MAX_IMSI_DIGITS) {
                    return BAD_IDENTITY;
                }
                imsi = digits;
                break;
            case ID_IMEI:
                // TS 23.003 §6.2.1: TAC + SNR + check digit; sigmatch keeps the 14 without the check digit
                if (n != 15) {
                    return BAD_IDENTITY;
                }
                imei = Digits.prefix(digits, 14);
                break;
            case ID_IMEISV:
                // §6.2.2: TAC + SNR + 2 software version digits
                if (n != 16) {
                    return BAD_IDENTITY;
                }
                imeisv = digits;
                imei = Digits.prefix(digits, 14);
                break;
            default:
                return BAD_IDENTITY;
        }
        identityType = type;
        return EMM;
    }

    /**
     * The key sigmatch files a GUTI under: MME code and M-TMSI, which is what S1AP's S-TMSI carries
     * (TS 23.003 §2.9: S-TMSI = MMEC + M-TMSI, unique within an MME pool). Never 0.
     */
    public static long gutiKey(final int mmeCode, final int mTmsi) {
        return 1L << 62 | (long) (mmeCode & 0xFF) << 32 | (mTmsi & 0xFFFFFFFFL);
    }

    public int securityHeader() {
        return securityHeader;
    }

    /** EMM message type, {@link #SERVICE_REQUEST}, or -1. */
    public int messageType() {
        return messageType;
    }

    /** The type of the identity read (ID_*), {@link #ID_NONE} when none. */
    public int identityType() {
        return identityType;
    }

    public long imsi() {
        return imsi;
    }

    public long imei() {
        return imei;
    }

    public long imeisv() {
        return imeisv;
    }

    /** {@link #gutiKey(int, int)} of the GUTI the message carried, 0 when none. */
    public long gutiKey() {
        return gutiKey;
    }

    /** The low 32 bits of {@link #gutiKey()}: the M-TMSI. */
    public int mTmsi() {
        return (int) gutiKey;
    }

    /** True when the GUTI is one the network assigns (Attach/TAU Accept, GUTI Reallocation Command). */
    public boolean gutiAssigned() {
        return gutiAssigned;
    }

    /** The EEA a Security Mode Command selected (0 = EEA0), -1 otherwise. */
    public int cipheringAlgorithm() {
        return cipheringAlgorithm;
    }

    public long lastVisitedPlmn() {
        return lastVisitedPlmn;
    }

    /** The last visited registered TAI's TAC, -1 when absent. */
    public int lastVisitedTac() {
        return lastVisitedTac;
    }

    /** EPS attach type, EPS update type or detach type (low bits of the octet after the type), -1. */
    public int procedureType() {
        return procedureType;
    }
}
