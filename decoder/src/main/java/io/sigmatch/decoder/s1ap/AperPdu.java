package io.sigmatch.decoder.s1ap;

import io.netty.buffer.ByteBuf;

/**
 * Flyweight over the aligned-PER (ITU-T X.691) skeleton S1AP (TS 36.413 §9.3) and NGAP (TS 38.413
 * §9.4) share: the PDU choice, the procedure code, the criticality, the open-type value, and the
 * ProtocolIE-Container inside it. Only the skeleton is walked; an IE is decoded by its owner and
 * every other IE is skipped by its open-type length, so an IE sigmatch does not know costs nothing.
 *
 * <pre>
 *  octet 0     E|choice(2)|pad      E = extension bit (an unknown PDU alternative), choice
 *                                   0 initiatingMessage, 1 successfulOutcome, 2 unsuccessfulOutcome
 *  octet 1     procedureCode        INTEGER (0..255), one aligned octet
 *  octet 2     crit(2)|pad          ENUMERATED {reject, ignore, notify}
 *  octet 3..   length determinant   X.691 §11.9: 0xxxxxxx (0..127) | 10xxxxxx xxxxxxxx (0..16383)
 *                                   | 11xxxxxx (fragmented, 16K blocks: not supported, counted)
 *  value       E|pad, count(16)     SEQUENCE { protocolIEs ProtocolIE-Container, ... }: the count
 *                                   is SIZE (0..maxProtocolIEs = 65535), two aligned octets
 *  each IE     id(16) crit(2)|pad length determinant, value (open type)
 * </pre>
 *
 * <p>Every position is checked against the limit of the enclosing PDU or IE before it is read; a
 * status below {@link #OK} names what was wrong. Reused per message, allocates nothing.
 */
public final class AperPdu {
    public static final int INITIATING = 0;
    public static final int SUCCESSFUL = 1;
    public static final int UNSUCCESSFUL = 2;

    public static final int OK = 0;
    /** {@link #nextIe} after the last IE of the container. */
    public static final int END = 1;
    public static final int TRUNCATED = -1;
    /** An extension alternative of the PDU choice, or the unused fourth index. */
    public static final int BAD_CHOICE = -2;
    /** A length determinant in the 16K-fragment form (X.691 §11.9.3.8): never used by real S1AP/NGAP PDUs. */
    public static final int FRAGMENTED = -3;
    /** A length running past the PDU or the IE that holds it. */
    public static final int BAD_LENGTH = -4;
    public static final int TOO_MANY_IES = -5;
    /** The unused fourth criticality value. */
    public static final int BAD_CRITICALITY = -6;

    private ByteBuf buf;
    private int limit;
    private int pduType;
    private int procedureCode;
    private int criticality;
    private int valueOffset;
    private int valueLength;

    private int ieCount;
    private int ieIndex;
    private int ieNext;
    private int ieLimit;
    private int ieId;
    private int ieCriticality;
    private int ieValueOffset;
    private int ieValueLength;

    /** Reads the PDU header of {@code buf[offset, offset + length)}; returns {@link #OK} or a status. */
    public int wrap(final ByteBuf buffer, final int offset, final int length) {
        this.buf = buffer;
        this.limit = offset + length;
        ieCount = 0;
        ieIndex = 0;
        if (length < 4) {
            return TRUNCATED;
        }
        final int b0 = buffer.getUnsignedByte(offset);
        final int choice = (b0 >>> 5) & 3;
        if ((b0 & 0x80) != 0 || choice == 3) {
            return BAD_CHOICE;
        }
        pduType = choice;
        procedureCode = buffer.getUnsignedByte(offset + 1);
        criticality = buffer.getUnsignedByte(offset + 2) >>> 6;
        if (criticality == 3) {
            return BAD_CRITICALITY;
        }
        final int det = length(buffer, offset + 3, limit);
        if (det < 0) {
            return det;
        }
        valueOffset = offset + 3 + (det & 3);
        valueLength = det >>> 2;
        if (valueOffset + valueLength > limit) {
            return BAD_LENGTH;
        }
        return OK;
    }

    /**
     * Opens the ProtocolIE-Container that starts the value (every S1AP/NGAP message is
     * {@code SEQUENCE { protocolIEs, ... }}). {@code maxIes} bounds the count a PDU may claim.
     */
    public int openContainer(final int maxIes) {
        if (valueLength < 3) {
            return TRUNCATED;
        }
        ieCount = buf.getUnsignedShort(valueOffset + 1);
        if (ieCount > maxIes) {
            return TOO_MANY_IES;
        }
        ieIndex = 0;
        ieNext = valueOffset + 3;
        ieLimit = valueOffset + valueLength;
        return OK;
    }

    /** Moves to the next IE: {@link #OK} with its id and value set, {@link #END}, or a status. */
    public int nextIe() {
        if (ieIndex >= ieCount) {
            return END;
        }
        final int at = ieNext;
        if (at + 4 > ieLimit) {
            return TRUNCATED;
        }
        ieId = buf.getUnsignedShort(at);
        ieCriticality = buf.getUnsignedByte(at + 2) >>> 6;
        if (ieCriticality == 3) {
            return BAD_CRITICALITY;
        }
        final int det = length(buf, at + 3, ieLimit);
        if (det < 0) {
            return det;
        }
        ieValueOffset = at + 3 + (det & 3);
        ieValueLength = det >>> 2;
        if (ieValueOffset + ieValueLength > ieLimit) {
            return BAD_LENGTH;
        }
        ieNext = ieValueOffset + ieValueLength;
        ieIndex++;
        return OK;
    }

    /**
     * An aligned-PER length determinant at {@code at} (X.691 §11.9.3.6–8), packed as
     * {@code length << 2 | octets of the determinant}; negative status when cut short or fragmented.
     */
    public static int length(final ByteBuf buf, final int at, final int limit) {
        if (at >= limit) {
            return TRUNCATED;
        }
        final int b = buf.getUnsignedByte(at);
        if ((b & 0x80) == 0) {
            return b << 2 | 1;
        }
        if ((b & 0x40) != 0) {
            return FRAGMENTED;
        }
        if (at + 2 > limit) {
            return TRUNCATED;
        }
        return (((b & 0x3F) << 8) | buf.getUnsignedByte(at + 1)) << 2 | 2;
    }

    /**
     * A constrained whole number of a range above 64K (X.691 §11.5.7.4): the octet count minus one in
     * the top {@code countBits} bits of the first octet, then that many aligned octets. The UE ids
     * are of this form: MME-UE-S1AP-ID and RAN-UE-NGAP-ID (0..2^32-1, 2 bits), eNB-UE-S1AP-ID
     * (0..2^24-1, 2 bits, at most 3 octets), AMF-UE-NGAP-ID (0..2^40-1, 3 bits, at most 5 octets).
     * Returns -1 when the value does not fit the IE or exceeds {@code maxOctets}.
     */
    public static long constrainedNumber(final ByteBuf buf, final int at, final int length, final int countBits,
        final int maxOctets) {
        if (length < 2) {
            return -1;
        }
        final int n = (buf.getUnsignedByte(at) >>> (8 - countBits)) + 1;
        if (n > maxOctets || 1 + n > length) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = v << 8 | buf.getUnsignedByte(at + 1 + i);
        }
        return v;
    }

    public int pduType() {
        return pduType;
    }

    public int procedureCode() {
        return procedureCode;
    }

    public int criticality() {
        return criticality;
    }

    public int valueOffset() {
        return valueOffset;
    }

    public int valueLength() {
        return valueLength;
    }

    public int ieCount() {
        return ieCount;
    }

    public int ieId() {
        return ieId;
    }

    public int ieCriticality() {
        return ieCriticality;
    }

    public int ieValueOffset() {
        return ieValueOffset;
    }

    public int ieValueLength() {
        return ieValueLength;
    }

    public ByteBuf buffer() {
        return buf;
    }
}
