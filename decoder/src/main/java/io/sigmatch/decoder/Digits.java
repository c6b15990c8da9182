package io.sigmatch.decoder;

import io.netty.buffer.ByteBuf;

/**
 * A digit string (IMSI, MSISDN, IMEI, called number) packed in one {@code long} so the hot path
 * never holds a String. Leading zeros matter (test IMSIs start "001", TACs may start "01"), so the
 * digit count travels with the value:
 *
 * <pre>
 *   63      59 58                                                     0
 *  +----------+--------------------------------------------------------+
 *  |  length  |            value (decimal digits as a number)          |
 *  +----------+--------------------------------------------------------+
 * </pre>
 *
 * At most {@link #MAX_DIGITS} digits fit (10^17 &lt; 2^59). {@link #NONE} (0) is the empty string;
 * {@link #INVALID} marks input that was not a digit string of a representable length.
 */
public final class Digits {
    public static final int MAX_DIGITS = 17;
    public static final long NONE = 0L;
    public static final long INVALID = -1L;

    private static final int LENGTH_SHIFT = 59;
    private static final long VALUE_MASK = (1L << LENGTH_SHIFT) - 1;
    private static final long[] POW10 = new long[MAX_DIGITS + 1];

    static {
        POW10[0] = 1;
        for (int i = 1; i <= MAX_DIGITS; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private Digits() {
    }

    public static long pack(final long value, final int length) {
        if (length < 0 || length > MAX_DIGITS || value < 0 || value >= POW10[length]) {
            return INVALID;
        }
        return ((long) length << LENGTH_SHIFT) | value;
    }

    public static int length(final long packed) {
        return (int) (packed >>> LENGTH_SHIFT);
    }

    public static long value(final long packed) {
        return packed & VALUE_MASK;
    }

    public static boolean isValid(final long packed) {
        return packed != INVALID && length(packed) <= MAX_DIGITS;
    }

    /** Digit at position i (0 = leftmost). */
    public static int digitAt(final long packed, final int i) {
        final int len = length(packed);
        return (int) ((value(packed) / POW10[len - 1 - i]) % 10);
    }

    /** The first n digits (an IMEI's TAC is its first 8; a PLMN is an IMSI's first 5 or 6). */
    public static long prefix(final long packed, final int n) {
        final int len = length(packed);
        if (n >= len) {
            return packed;
        }
        return pack(value(packed) / POW10[len - n], n);
    }

    /** Appends digit d (0..9); returns INVALID when the result would be too long. */
    public static long append(final long packed, final int d) {
        final int len = length(packed);
        if (packed == INVALID || len >= MAX_DIGITS || d < 0 || d > 9) {
            return INVALID;
        }
        return pack(value(packed) * 10 + d, len + 1);
    }

    public static boolean startsWith(final long packed, final long prefix) {
        final int pl = length(prefix);
        return pl <= length(packed) && prefix(packed, pl) == prefix;
    }

    /**
     * Decodes TBCD (TS 29.002 / TS 24.008: two digits per octet, low nibble first, 0xF filler).
     * A filler nibble ends the string; anything else above 9 makes it INVALID.
     */
    public static long fromTbcd(final ByteBuf buf, final int offset, final int length) {
        long value = 0;
        int digits = 0;
        for (int i = 0; i < length; i++) {
            final int b = buf.getByte(offset + i) & 0xFF;
            final int lo = b & 0x0F;
            final int hi = b >>> 4;
            if (lo == 0x0F) {
                return hi == 0x0F && onlyFiller(buf, offset + i + 1, length - i - 1) ? pack(value, digits) : INVALID;
            }
            if (lo > 9 || digits >= MAX_DIGITS) {
                return INVALID;
            }
            value = value * 10 + lo;
            digits++;
            if (hi == 0x0F) {
                return onlyFiller(buf, offset + i + 1, length - i - 1) ? pack(value, digits) : INVALID;
            }
            if (hi > 9 || digits >= MAX_DIGITS) {
                return INVALID;
            }
            value = value * 10 + hi;
            digits++;
        }
        return pack(value, digits);
    }

    private static boolean onlyFiller(final ByteBuf buf, final int offset, final int length) {
        for (int i = 0; i < length; i++) {
            if ((buf.getByte(offset + i) & 0xFF) != 0xFF) {
                return false;
            }
        }
        return true;
    }

    /** Parses ASCII digits in buf[offset, offset+length); INVALID on any other byte. */
    public static long fromAscii(final ByteBuf buf, final int offset, final int length) {
        if (length > MAX_DIGITS) {
            return INVALID;
        }
        long value = 0;
        for (int i = 0; i < length; i++) {
            final int c = buf.getByte(offset + i) - '0';
            if (c < 0 || c > 9) {
                return INVALID;
            }
            value = value * 10 + c;
        }
        return pack(value, length);
    }

    /** Parses a digit string (snapshots, tests, configuration); INVALID when not all digits. */
    public static long parse(final CharSequence s) {
        final int length = s.length();
        if (length > MAX_DIGITS) {
            return INVALID;
        }
        long value = 0;
        for (int i = 0; i < length; i++) {
            final int c = s.charAt(i) - '0';
            if (c < 0 || c > 9) {
                return INVALID;
            }
            value = value * 10 + c;
        }
        return pack(value, length);
    }

    public static StringBuilder appendTo(final long packed, final StringBuilder out) {
        final int len = length(packed);
        final long value = value(packed);
        for (int i = len - 1; i >= 0; i--) {
            out.append((char) ('0' + (value / POW10[i]) % 10));
        }
        return out;
    }

    public static String toString(final long packed) {
        if (packed == INVALID) {
            return "<invalid>";
        }
        return appendTo(packed, new StringBuilder(MAX_DIGITS)).toString();
    }
}
