package io.sigmatch.journal;

/**
 * Formatting of the decoder's packed digit strings, kept here so the journal does not depend on the
 * decoder. The packing is the decoder's ({@code io.sigmatch.decoder.Digits}): the digit count in the
 * top 5 bits, the digits as a decimal number in the low 59, so leading zeros survive. A PLMN is such
 * a string of 5 digits (MCC + 2-digit MNC) or 6 (MCC + 3-digit MNC).
 */
final class PackedDigits {
    static final int MAX_DIGITS = 17;
    private static final int LENGTH_SHIFT = 59;
    private static final long VALUE_MASK = (1L << LENGTH_SHIFT) - 1;
    private static final long[] POW10 = new long[MAX_DIGITS + 1];

    static {
        POW10[0] = 1;
        for (int i = 1; i <= MAX_DIGITS; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private PackedDigits() {
    }

    static int length(final long packed) {
        return (int) (packed >>> LENGTH_SHIFT);
    }

    static long value(final long packed) {
        return packed & VALUE_MASK;
    }

    /** True for a digit string this packing can hold (the decoder's INVALID, -1, is not). */
    static boolean isValid(final long packed) {
        final int length = length(packed);
        return length <= MAX_DIGITS && value(packed) < POW10[length];
    }

    static StringBuilder appendTo(final long packed, final StringBuilder out) {
        final int length = length(packed);
        final long value = value(packed);
        for (int i = length - 1; i >= 0; i--) {
            out.append((char) ('0' + (value / POW10[i]) % 10));
        }
        return out;
    }

    static boolean isPlmn(final long packed) {
        final int length = length(packed);
        return (length == 5 || length == 6) && isValid(packed);
    }

    static int mcc(final long plmn) {
        return (int) (value(plmn) / (length(plmn) == 6 ? 1000 : 100));
    }

    static int mnc(final long plmn) {
        return (int) (value(plmn) % (length(plmn) == 6 ? 1000 : 100));
    }
}
