package io.sigmatch.decoder.sigtran;

import io.netty.buffer.ByteBuf;
import io.sigmatch.decoder.Digits;

/**
 * A flyweight over an SCCP called or calling party address (ITU-T Q.713 §3.4), filled by
 * {@link #read}; the fields are primitives and the global title digits a {@link Digits}-packed long.
 *
 * <pre>
 *   octet 1   address indicator: 8 national | 7 routing indicator (1 = on SSN) |
 *             6..3 global title indicator | 2 SSN present | 1 point code present
 *   [2 octets point code: 14 bits, least significant octet first (ITU)]
 *   [1 octet  subsystem number]
 *   [global title]  GTI 1: O/E(8) + nature of address(7..1); digits
 *                   GTI 2: translation type; digits
 *                   GTI 3: translation type; numbering plan(8..5) + encoding scheme(4..1); digits
 *                   GTI 4: translation type; numbering plan + encoding scheme; nature of address; digits
 *   digits: BCD, first digit in the low nibble; encoding scheme 1 (or O/E = 1) = odd count, the last
 *   high nibble a filler
 * </pre>
 */
public final class SccpAddress {
    public static final int OK = 0;
    public static final int BAD = -1;

    private static final int PC_INDICATOR = 0x01;
    private static final int SSN_INDICATOR = 0x02;
    private static final int ROUTE_ON_SSN = 0x40;

    public boolean present;
    public boolean routeOnSsn;
    public int globalTitleIndicator;
    /** -1 when absent. */
    public int pointCode;
    /** -1 when absent. */
    public int ssn;
    /** -1 when the GT has none. */
    public int translationType;
    /** -1 when the GT has none. */
    public int numberingPlan;
    /** -1 when the GT has none. */
    public int natureOfAddress;
    /** GT digits; {@link Digits#NONE} without a GT, {@link Digits#INVALID} when not decimal or too long. */
    public long digits;

    public void clear() {
        present = false;
        routeOnSsn = false;
        globalTitleIndicator = 0;
        pointCode = -1;
        ssn = -1;
        translationType = -1;
        numberingPlan = -1;
        natureOfAddress = -1;
        digits = Digits.NONE;
    }

    /** Parses the address contents {@code [at, at + length)} (after the length octet). */
    public int read(final ByteBuf buf, final int at, final int length) {
        clear();
        if (length < 1) {
            return BAD;
        }
        final int end = at + length;
        int p = at;
        final int indicator = buf.getUnsignedByte(p++);
        routeOnSsn = (indicator & ROUTE_ON_SSN) != 0;
        globalTitleIndicator = indicator >>> 2 & 0x0F;
        if ((indicator & PC_INDICATOR) != 0) {
            if (end - p < 2) {
                return BAD;
            }
            pointCode = buf.getUnsignedByte(p) | (buf.getUnsignedByte(p + 1) & 0x3F) << 8;
            p += 2;
        }
        if ((indicator & SSN_INDICATOR) != 0) {
            if (end - p < 1) {
                return BAD;
            }
            ssn = buf.getUnsignedByte(p++);
        }
        boolean odd = false;
        switch (globalTitleIndicator) {
            case 0:
                present = true;
                return p <= end ? OK : BAD;
            case 1:
                if (end - p < 1) {
                    return BAD;
                }
                odd = (buf.getUnsignedByte(p) & 0x80) != 0;
                natureOfAddress = buf.getUnsignedByte(p++) & 0x7F;
                break;
            case 2:
                if (end - p < 1) {
                    return BAD;
                }
                translationType = buf.getUnsignedByte(p++);
                break;
            case 3:
            case 4:
                if (end - p < (globalTitleIndicator == 4 ? 3 : 2)) {
                    return BAD;
                }
                translationType = buf.getUnsignedByte(p++);
                final int npEs = buf.getUnsignedByte(p++);
                numberingPlan = npEs >>> 4;
                odd = (npEs & 0x0F) == 1;
                if (globalTitleIndicator == 4) {
                    natureOfAddress = buf.getUnsignedByte(p++) & 0x7F;
                }
                break;
            default:
                return BAD; // Q.713 3.4.2.3: 5..15 spare (ITU)
        }
        digits = bcd(buf, p, end - p, odd);
        present = true;
        return OK;
    }

    /**
     * BCD digits, low nibble first; with {@code odd} the last high nibble is a filler. A filler
     * nibble 0xF also ends the string (some nodes pad that way).
     */
    static long bcd(final ByteBuf buf, final int at, final int length, final boolean odd) {
        long packed = Digits.NONE;
        final int count = length * 2 - (odd ? 1 : 0);
        for (int i = 0; i < count; i++) {
            final int b = buf.getUnsignedByte(at + (i >>> 1));
            final int d = (i & 1) == 0 ? b & 0x0F : b >>> 4;
            if (d == 0x0F && i == count - 1) {
                break;
            }
            if (d > 9) {
                return Digits.INVALID;
            }
            packed = Digits.append(packed, d);
            if (packed == Digits.INVALID) {
                return Digits.INVALID;
            }
        }
        return packed;
    }

    /**
     * A key naming the node this address points at, for transaction ids: the GT digits when there
     * are any, else point code and SSN. Never 0.
     */
    public long nodeKey() {
        long h = digits != Digits.NONE && digits != Digits.INVALID ? digits * 0x9E3779B97F4A7C15L
            : ((long) pointCode << 8 ^ ssn) * 0xC2B2AE3D27D4EB4FL + 1;
        h ^= h >>> 29;
        return h == 0 ? 1 : h;
    }
}
