package io.sigmatch.decoder.gtpv1;

import io.netty.buffer.ByteBuf;

/**
 * Flyweight over one GTPv1 message header ({@link Gtpv1Header}) at the start of a datagram.
 * {@link #wrap} checks the header, the Length against the datagram and the whole extension header
 * chain against the Length, and returns a status; only after {@link #OK} may the accessors be
 * used, and they never read outside the message.
 */
public final class Gtpv1Message {
    public static final int OK = 0;
    /** Fewer octets than the header needs. */
    public static final int TRUNCATED = 1;
    /** Version field is not 1. */
    public static final int BAD_VERSION = 2;
    /** Length shorter than the optional fields the flags announce, or longer than the datagram. */
    public static final int BAD_LENGTH = 3;
    /** PT = 0: GTP' (charging), not GTP. */
    public static final int GTP_PRIME = 4;
    /** An extension header of length 0, one running past the message, or a chain longer than allowed. */
    public static final int BAD_EXTENSION = 5;

    private ByteBuf buffer;
    private int offset;
    private int flags;
    private int totalLength;
    private int bodyOffset;
    private int extensionCount;

    /**
     * Checks the header at {@code offset}; {@code available} is how many octets of the datagram
     * remain from there; at most {@code maxExtensions} extension headers are followed.
     */
    public int wrap(final ByteBuf buf, final int offset, final int available, final int maxExtensions) {
        this.buffer = buf;
        this.offset = offset;
        this.totalLength = 0;
        this.extensionCount = 0;
        if (available < 1) {
            return TRUNCATED;
        }
        final int f = buf.getUnsignedByte(offset + Gtpv1Header.FLAGS_OFFSET);
        if (f >>> Gtpv1Header.VERSION_SHIFT != Gtpv1Header.VERSION) {
            return BAD_VERSION;
        }
        if ((f & Gtpv1Header.PT_FLAG) == 0) {
            return GTP_PRIME;
        }
        if (available < Gtpv1Header.MANDATORY_LENGTH) {
            return TRUNCATED;
        }
        final int length = buf.getUnsignedShort(offset + Gtpv1Header.LENGTH_OFFSET);
        final int total = Gtpv1Header.MANDATORY_LENGTH + length;
        final boolean optional = (f & Gtpv1Header.OPTIONAL_FLAGS) != 0;
        if (total > available || optional && length < Gtpv1Header.OPTIONAL_LENGTH) {
            return BAD_LENGTH;
        }
        int body = offset + (optional ? Gtpv1Header.LONG_HEADER_LENGTH : Gtpv1Header.MANDATORY_LENGTH);
        final int end = offset + total;
        if ((f & Gtpv1Header.E_FLAG) != 0) {
            // 6.1.1: each extension header ends with the type of the next; 0 ends the chain
            int next = buf.getUnsignedByte(offset + Gtpv1Header.NEXT_EXTENSION_OFFSET);
            while (next != 0) {
                if (extensionCount >= maxExtensions || end - body < 1) {
                    return BAD_EXTENSION;
                }
                final int units = buf.getUnsignedByte(body);
                final int size = units * Gtpv1Header.EXTENSION_UNIT;
                if (units == 0 || size > end - body) {
                    return BAD_EXTENSION;
                }
                extensionCount++;
                next = buf.getUnsignedByte(body + size - 1);
                body += size;
            }
        }
        this.flags = f;
        this.totalLength = total;
        this.bodyOffset = body;
        return OK;
    }

    public int offset() {
        return offset;
    }

    public int flags() {
        return flags;
    }

    public int messageType() {
        return buffer.getUnsignedByte(offset + Gtpv1Header.MESSAGE_TYPE_OFFSET);
    }

    /** The TEID of the receiving endpoint (0 in messages sent before it is known). */
    public long teid() {
        return buffer.getUnsignedInt(offset + Gtpv1Header.TEID_OFFSET);
    }

    public boolean hasSequence() {
        return (flags & Gtpv1Header.S_FLAG) != 0;
    }

    /** The sequence number, or -1 when the S flag is clear. */
    public int sequence() {
        return hasSequence() ? buffer.getUnsignedShort(offset + Gtpv1Header.SEQUENCE_OFFSET) : -1;
    }

    /** Extension headers passed over. */
    public int extensionCount() {
        return extensionCount;
    }

    /** The whole message, header included. */
    public int totalLength() {
        return totalLength;
    }

    /** First octet of the information elements. */
    public int bodyOffset() {
        return bodyOffset;
    }

    /** One past the last octet of this message. */
    public int end() {
        return offset + totalLength;
    }
}
