package io.sigmatch.decoder.nas;

import io.netty.buffer.ByteBuf;
import io.sigmatch.decoder.Digits;

/**
 * The digit form of a NAS mobile identity (TS 24.008 §10.5.1.4, TS 24.301 §9.9.3.12, TS 24.501
 * §9.11.3.4 for IMEI and IMEISV): identity digit 1 in the high nibble of the first octet (whose low
 * nibble holds the odd/even bit and the type), then two TBCD digits per octet, low nibble first; with
 * an even number of digits the last high nibble is the 0xF filler.
 */
public final class NasDigits {
    private NasDigits() {
    }

    /**
     * The identity digits of {@code buf[offset, offset + length)} (the first octet included) as a
     * packed {@link Digits} value, or {@link Digits#INVALID} when a nibble is not a digit, the filler
     * is not where odd/even puts it, or there are more than {@link Digits#MAX_DIGITS} digits.
     */
    public static long identityDigits(final ByteBuf buf, final int offset, final int length) {
        if (length < 1) {
            return Digits.INVALID;
        }
        final int first = buf.getUnsignedByte(offset);
        final boolean odd = (first & 0x08) != 0;
        final int total = 1 + 2 * (length - 1) - (odd ? 0 : 1);
        if (total > Digits.MAX_DIGITS || total < 1) {
            return Digits.INVALID;
        }
        if (!odd && length > 1 && (buf.getUnsignedByte(offset + length - 1) >>> 4) != 0x0F) {
            return Digits.INVALID;
        }
        long value = first >>> 4;
        if (value > 9) {
            return Digits.INVALID;
        }
        int digits = 1;
        for (int i = 1; i < length; i++) {
            final int b = buf.getUnsignedByte(offset + i);
            final int lo = b & 0x0F;
            if (lo > 9) {
                return Digits.INVALID;
            }
            value = value * 10 + lo;
            digits++;
            if (digits == total) {
                break;
            }
            final int hi = b >>> 4;
            if (hi > 9) {
                return Digits.INVALID;
            }
            value = value * 10 + hi;
            digits++;
        }
        return Digits.pack(value, digits);
    }
}
