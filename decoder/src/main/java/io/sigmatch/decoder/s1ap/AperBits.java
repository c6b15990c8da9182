package io.sigmatch.decoder.s1ap;

import io.netty.buffer.ByteBuf;

/**
 * A bit cursor for the few aligned-PER structures sigmatch reads below the IE level (X.691: preamble
 * bits, small constrained integers and enumerations as bit-fields, octet alignment before octet
 * strings and long bit strings). Reads past the limit set {@link #overrun()} and return 0, so a
 * caller checks once at the end. Reused; allocates nothing.
 */
public final class AperBits {
    private ByteBuf buf;
    private long bit;
    private long limitBit;
    private boolean overrun;

    public AperBits wrap(final ByteBuf buffer, final int offset, final int length) {
        buf = buffer;
        bit = (long) offset << 3;
        limitBit = (long) (offset + length) << 3;
        overrun = false;
        return this;
    }

    /** The next {@code n} (1..32) bits as an unsigned number. */
    public long bits(final int n) {
        if (bit + n > limitBit) {
            overrun = true;
            bit = limitBit;
            return 0;
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            final int b = buf.getUnsignedByte((int) (bit >>> 3));
            v = v << 1 | ((b >>> (7 - (int) (bit & 7))) & 1);
            bit++;
        }
        return v;
    }

    public boolean bit() {
        return bits(1) != 0;
    }

    /** Moves to the next octet boundary. */
    public void align() {
        bit = (bit + 7) & ~7L;
        if (bit > limitBit) {
            overrun = true;
            bit = limitBit;
        }
    }

    /** Skips whole octets (after {@link #align}). */
    public void skipOctets(final int n) {
        if (n < 0 || bit + ((long) n << 3) > limitBit) {
            overrun = true;
            bit = limitBit;
            return;
        }
        bit += (long) n << 3;
    }

    /** The current octet (valid when aligned). */
    public int octet() {
        return (int) (bit >>> 3);
    }

    public int remainingOctets() {
        return (int) ((limitBit - bit) >>> 3);
    }

    public boolean overrun() {
        return overrun;
    }

    /**
     * Skips a ProtocolExtensionContainer (SEQUENCE (SIZE (1..65535)) OF ProtocolExtensionField): the
     * count - 1 in two aligned octets, then per field id (2), criticality (1) and an open type.
     */
    public void skipExtensionContainer() {
        align();
        final int count = (int) bits(16) + 1;
        for (int i = 0; i < count && !overrun; i++) {
            skipOctets(3);
            skipOpenType();
        }
    }

    /** Skips a length determinant and the octets it counts (fragmented form: overrun). */
    public void skipOpenType() {
        align();
        if (overrun) {
            return;
        }
        final int det = AperPdu.length(buf, octet(), (int) (limitBit >>> 3));
        if (det < 0) {
            overrun = true;
            return;
        }
        skipOctets((det & 3) + (det >>> 2));
    }
}
