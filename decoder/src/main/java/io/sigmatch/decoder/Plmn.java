package io.sigmatch.decoder;

import io.netty.buffer.ByteBuf;

/**
 * A PLMN identity (MCC + MNC) held as a {@link Digits}-packed string of 5 or 6 digits, so "46000"
 * and "460000" (a 3-digit MNC) stay distinct.
 */
public final class Plmn {
    /** MCCs whose networks use 3-digit MNCs (ITU-T E.212 allocations; North America and India). */
    private static final int[] THREE_DIGIT_MNC_MCCS = {
        302, 310, 311, 312, 313, 314, 315, 316, 334, 338, 342, 344, 346, 348, 350, 352, 354, 356, 358, 360,
        365, 366, 376, 405, 708, 722, 732
    };

    private Plmn() {
    }

    /**
     * TS 24.008 10.5.1.3 / TS 29.274 8.18: three octets, MCC digit 2|1, MNC digit 3|MCC digit 3,
     * MNC digit 2|1; MNC digit 3 = 0xF means a 2-digit MNC. Returns {@link Digits#INVALID} on bad digits.
     */
    public static long fromTbcd(final ByteBuf buf, final int offset) {
        final int b0 = buf.getByte(offset) & 0xFF;
        final int b1 = buf.getByte(offset + 1) & 0xFF;
        final int b2 = buf.getByte(offset + 2) & 0xFF;
        final int mcc1 = b0 & 0x0F;
        final int mcc2 = b0 >>> 4;
        final int mcc3 = b1 & 0x0F;
        final int mnc3 = b1 >>> 4;
        final int mnc1 = b2 & 0x0F;
        final int mnc2 = b2 >>> 4;
        if (mcc1 > 9 || mcc2 > 9 || mcc3 > 9 || mnc1 > 9 || mnc2 > 9 || (mnc3 > 9 && mnc3 != 0x0F)) {
            return Digits.INVALID;
        }
        final long mcc = mcc1 * 100L + mcc2 * 10L + mcc3;
        if (mnc3 == 0x0F) {
            return Digits.pack(mcc * 100 + mnc1 * 10 + mnc2, 5);
        }
        return Digits.pack(mcc * 1000 + mnc1 * 100 + mnc2 * 10 + mnc3, 6);
    }

    public static long of(final int mcc, final int mnc, final int mncDigits) {
        return Digits.pack(mcc * (mncDigits == 3 ? 1000L : 100L) + mnc, mncDigits == 3 ? 6 : 5);
    }

    public static int mcc(final long plmn) {
        return (int) (Digits.value(plmn) / (Digits.length(plmn) == 6 ? 1000 : 100));
    }

    public static int mnc(final long plmn) {
        return (int) (Digits.value(plmn) % (Digits.length(plmn) == 6 ? 1000 : 100));
    }

    public static int mncDigits(final long plmn) {
        return Digits.length(plmn) == 6 ? 3 : 2;
    }

    /** How many MNC digits networks of this MCC use (E.212; 2 unless listed). */
    public static int mncDigitsForMcc(final int mcc) {
        for (final int m : THREE_DIGIT_MNC_MCCS) {
            if (m == mcc) {
                return 3;
            }
        }
        return 2;
    }

    /** The home PLMN of an IMSI (TS 23.003 2.2): MCC, then a 2- or 3-digit MNC by the MCC. */
    public static long ofImsi(final long imsi) {
        if (Digits.length(imsi) < 6) {
            return Digits.INVALID;
        }
        final int mcc = (int) Digits.value(Digits.prefix(imsi, 3));
        return Digits.prefix(imsi, 3 + mncDigitsForMcc(mcc));
    }
}
