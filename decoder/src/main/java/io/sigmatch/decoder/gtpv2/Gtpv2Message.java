package io.sigmatch.decoder.gtpv2;

import io.netty.buffer.ByteBuf;

/**
 * Flyweight over one GTPv2-C message header ({@link Gtpv2Header}) inside a datagram. {@link #wrap}
 * checks the header against what the datagram holds and returns a status; only after
 * {@link #OK} may the accessors be used, and they never read outside the message.
 */
public final class Gtpv2Message {
    public static final int OK = 0;
    /** Fewer octets than the header needs. */
    public static final int TRUNCATED = 1;
    /** Version field is not 2. */
    public static final int BAD_VERSION = 2;
    /** Message Length shorter than the header or longer than the datagram. */
    public static final int BAD_LENGTH = 3;
    /** Version 1: GTPv1-C (TS 29.060), which shares UDP port 2123 with GTPv2-C; not malformed, not ours. */
    public static final int GTPV1 = 4;

    private ByteBuf buffer;
    private int offset;
    private int flags;
    private int headerLength;
    private int totalLength;

    /**
     * Checks the header at {@code offset}; {@code available} is how many octets of the datagram
     * remain from there.
     */
    public int wrap(final ByteBuf buf, final int offset, final int available) {
        this.buffer = buf;
        this.offset = offset;
        this.totalLength = 0;
        if (available < 1) {
            return TRUNCATED;
        }
        final int f = buf.getByte(offset + Gtpv2Header.FLAGS_OFFSET) & 0xFF;
        final int version = f >>> Gtpv2Header.VERSION_SHIFT;
        if (version != Gtpv2Header.VERSION) {
            return version == 1 ? GTPV1 : BAD_VERSION;
        }
        final int hdr = (f & Gtpv2Header.T_FLAG) != 0 ? Gtpv2Header.HEADER_LENGTH_WITH_TEID
            : Gtpv2Header.HEADER_LENGTH_WITHOUT_TEID;
        if (available < hdr) {
            return TRUNCATED;
        }
        final int length = buf.getUnsignedShort(offset + Gtpv2Header.MESSAGE_LENGTH_OFFSET);
        final int total = Gtpv2Header.MANDATORY_LENGTH + length;
        if (total < hdr || total > available) {
            return BAD_LENGTH;
        }
        this.flags = f;
        this.headerLength = hdr;
        this.totalLength = total;
        return OK;
    }

    public int offset() {
        return offset;
    }

    public int flags() {
        return flags;
    }

    /** 5.5: another message follows this one in the datagram. */
    public boolean piggybacked() {
        return (flags & Gtpv2Header.P_FLAG) != 0;
    }

    public boolean hasTeid() {
        return (flags & Gtpv2Header.T_FLAG) != 0;
    }

    public boolean hasPriority() {
        return (flags & Gtpv2Header.MP_FLAG) != 0;
    }

    public int messageType() {
        return buffer.getUnsignedByte(offset + Gtpv2Header.MESSAGE_TYPE_OFFSET);
    }

    /** The Message Length field: octets after the first four. */
    public int messageLength() {
        return totalLength - Gtpv2Header.MANDATORY_LENGTH;
    }

    /** The whole message, header included. */
    public int totalLength() {
        return totalLength;
    }

    public int headerLength() {
        return headerLength;
    }

    /** The TEID of the receiving endpoint, 0 when the header carries none. */
    public long teid() {
        return hasTeid() ? buffer.getUnsignedInt(offset + Gtpv2Header.TEID_OFFSET) : 0;
    }

    public int sequence() {
        return buffer.getUnsignedMedium(offset + (hasTeid() ? Gtpv2Header.SEQUENCE_OFFSET_WITH_TEID
            : Gtpv2Header.SEQUENCE_OFFSET_WITHOUT_TEID));
    }

    /** 5.4: message priority 0 (highest) .. 15, or -1 when the MP flag is clear. */
    public int priority() {
        if (!hasPriority()) {
            return -1;
        }
        return buffer.getUnsignedByte(offset + (hasTeid() ? Gtpv2Header.PRIORITY_OFFSET_WITH_TEID
            : Gtpv2Header.PRIORITY_OFFSET_WITHOUT_TEID)) >>> Gtpv2Header.PRIORITY_SHIFT;
    }

    /** First octet of the information elements. */
    public int bodyOffset() {
        return offset + headerLength;
    }

    /** One past the last octet of this message: where a piggybacked message starts. */
    public int end() {
        return offset + totalLength;
    }
}
