package io.sigmatch.decoder.sigtran;

import io.netty.buffer.ByteBuf;

/**
 * A flyweight over one BER TLV (ITU-T X.690 §8.1) in a caller's buffer: {@link #read} parses the
 * identifier and length octets at an offset, checked against a limit, and leaves the tag, where
 * the contents start and where the element ends. TCAP, MAP and CAP (Q.773, TS 29.002, TS 29.078)
 * are BER, so this one reader serves every layer above SCCP.
 *
 * <pre>
 *   identifier  class(2) | P/C(1) | number(5)   number 31: high-tag form, 7 bits per octet follow
 *   length      0xxxxxxx        definite, short form (0..127)
 *               1nnnnnnn + n    definite, long form: n length octets (we accept n &lt;= 3)
 *               10000000        indefinite: constructed only, contents end with 00 00 (EOC)
 * </pre>
 *
 * <p>Tags are folded into one non-negative int, {@link #tag(int, boolean, int)}: class and
 * constructed bits above the number, so {@code [APPLICATION 2] constructed} (TCAP Begin, identifier 0x62) is
 * {@code tag(APPLICATION, true, 2)}. An indefinite length is resolved to its EOC when read, by
 * walking the nested elements to a bounded depth; every element walked counts against a budget
 * shared by the whole message, so nesting and element floods end in bounded time.
 *
 * <p>Nothing is allocated; one instance per nesting level in use (a caller keeps a small array).
 */
public final class Ber {
    public static final int UNIVERSAL = 0;
    public static final int APPLICATION = 1;
    public static final int CONTEXT = 2;
    public static final int PRIVATE = 3;

    public static final int OK = 0;
    public static final int TRUNCATED = -1;
    public static final int BAD_LENGTH = -2;
    public static final int NO_EOC = -3;
    public static final int TOO_DEEP = -4;
    public static final int TOO_MANY = -5;
    public static final int BAD_TAG = -6;
    /** {@link #readOutermost}: read, with the length cut to the limit. */
    public static final int OVERRUN = 1;

    /** Longest high-tag-number form accepted: 3 octets (21 bits; MAP/CAP tags stay below 128). */
    private static final int MAX_TAG_OCTETS = 3;
    private static final int MAX_LENGTH_OCTETS = 3;
    /** Folded tag: class in bits 29..28, constructed bit 27, number below (21 bits at most). */
    private static final int CONSTRUCTED = 1 << 27;
    private static final int NUMBER_MASK = CONSTRUCTED - 1;
    private static final long MAX_CONTENT = 0xFFFFFE;

    /** Element budget and depth limit shared by every {@link Ber} of one message. */
    public static final class Budget {
        final int maxDepth;
        final int maxElements;
        int elements;

        public Budget(final int maxDepth, final int maxElements) {
            this.maxDepth = maxDepth;
            this.maxElements = maxElements;
        }

        /** A new message: the whole budget again. */
        public void reset() {
            elements = 0;
        }
    }

    private int tag;
    private int valueOffset;
    private int valueLength;
    private int end;
    private boolean indefinite;

    public static int tag(final int cls, final boolean constructed, final int number) {
        return cls << 28 | (constructed ? CONSTRUCTED : 0) | number;
    }

    /** The element's folded tag. */
    public int tag() {
        return tag;
    }

    public int number() {
        return tag & NUMBER_MASK;
    }

    public int tagClass() {
        return tag >>> 28;
    }

    public boolean constructed() {
        return (tag & CONSTRUCTED) != 0;
    }

    /** Where the contents start. */
    public int valueOffset() {
        return valueOffset;
    }

    /** Length of the contents (for an indefinite form, up to the EOC, which is not included). */
    public int valueLength() {
        return valueLength;
    }

    /** The first octet after the element (after its EOC for the indefinite form). */
    public int end() {
        return end;
    }

    public boolean indefinite() {
        return indefinite;
    }

    /**
     * Reads the element at {@code at}, which must end by {@code limit}. {@code depth} is the
     * nesting level of the element (0 for the outermost). Returns {@link #OK} or a negative status.
     */
    public int read(final ByteBuf buf, final int at, final int limit, final int depth, final Budget budget) {
        final long header = header(buf, at, limit, true);
        if (header < 0) {
            return (int) header;
        }
        if (++budget.elements > budget.maxElements) {
            return TOO_MANY;
        }
        tag = (int) (header >>> 32);
        final int contentLength = (int) (header & 0xFFFFFF) - 1; // stored +1 so -1 (indefinite) fits
        final int headerLength = (int) (header >>> 24) & 0xFF;
        valueOffset = at + headerLength;
        if (contentLength >= 0) {
            indefinite = false;
            valueLength = contentLength;
            end = valueOffset + contentLength;
            return OK;
        }
        indefinite = true;
        if ((tag & CONSTRUCTED) == 0) {
            return BAD_LENGTH; // X.690 8.1.3.2: the indefinite form is for constructed encodings only
        }
        final int eoc = findEoc(buf, valueOffset, limit, depth + 1, budget);
        if (eoc < 0) {
            return eoc;
        }
        valueLength = eoc - valueOffset;
        end = eoc + 2;
        return OK;
    }

    /**
     * As {@link #read} for an outermost element, except that a definite length running past the
     * limit is cut to the limit (some encoders count octets they never send; Wireshark decodes such
     * a TCAP message too). Returns {@link #OVERRUN} when it cut, else as {@link #read}.
     */
    public int readOutermost(final ByteBuf buf, final int at, final int limit, final Budget budget) {
        final int status = read(buf, at, limit, 0, budget);
        if (status != TRUNCATED) {
            return status;
        }
        // find how long the element claims to be: read it again against an unbounded limit
        final long header = header(buf, at, limit, false);
        if (header < 0 || (header & 0xFFFFFF) == 0) {
            return status;
        }
        tag = (int) (header >>> 32);
        indefinite = false;
        valueOffset = at + (int) ((header >>> 24) & 0xFF);
        valueLength = limit - valueOffset;
        end = limit;
        return OVERRUN;
    }

    /**
     * Identifier and length at {@code at}: tag in the top 32 bits, header length in bits 24..31,
     * content length + 1 in the low 24 bits (0 = indefinite); or a negative status.
     */
    private static long header(final ByteBuf buf, final int at, final int limit, final boolean checkContent) {
        if (limit - at < 2) {
            return TRUNCATED;
        }
        int p = at;
        final int first = buf.getUnsignedByte(p++);
        int number = first & 0x1F;
        if (number == 0x1F) {
            number = 0;
            int octets = 0;
            int b;
            do {
                if (p >= limit) {
                    return TRUNCATED;
                }
                if (++octets > MAX_TAG_OCTETS) {
                    return BAD_TAG;
                }
                b = buf.getUnsignedByte(p++);
                number = number << 7 | b & 0x7F;
            } while ((b & 0x80) != 0);
        }
        if (p >= limit) {
            return TRUNCATED;
        }
        final int l0 = buf.getUnsignedByte(p++);
        long contentPlusOne;
        if (l0 < 0x80) {
            contentPlusOne = l0 + 1;
        } else if (l0 == 0x80) {
            contentPlusOne = 0;
        } else {
            final int n = l0 & 0x7F;
            if (n > MAX_LENGTH_OCTETS) {
                return BAD_LENGTH;
            }
            if (limit - p < n) {
                return TRUNCATED;
            }
            long len = 0;
            for (int i = 0; i < n; i++) {
                len = len << 8 | buf.getUnsignedByte(p++);
            }
            if (len > MAX_CONTENT) {
                return BAD_LENGTH;
            }
            contentPlusOne = len + 1;
        }
        if (checkContent && contentPlusOne > 0 && contentPlusOne - 1 > limit - p) {
            return TRUNCATED; // the element claims more octets than its container holds
        }
        final int t = tag(first >>> 6, (first & 0x20) != 0, number);
        return (long) t << 32 | (long) (p - at) << 24 | contentPlusOne;
    }

    /** Offset of the EOC that ends indefinite contents starting at {@code from}, or a negative status. */
    private static int findEoc(final ByteBuf buf, final int from, final int limit, final int depth, final Budget budget) {
        if (depth > budget.maxDepth) {
            return TOO_DEEP;
        }
        int p = from;
        while (true) {
            if (limit - p < 2) {
                return NO_EOC;
            }
            if (buf.getByte(p) == 0 && buf.getByte(p + 1) == 0) {
                return p;
            }
            final long header = header(buf, p, limit, true);
            if (header < 0) {
                return header == TRUNCATED ? NO_EOC : (int) header;
            }
            if (++budget.elements > budget.maxElements) {
                return TOO_MANY;
            }
            final int contentPlusOne = (int) (header & 0xFFFFFF);
            final int inner = p + ((int) (header >>> 24) & 0xFF);
            if (contentPlusOne > 0) {
                p = inner + contentPlusOne - 1;
            } else {
                if (((header >>> 32) & CONSTRUCTED) == 0) {
                    return BAD_LENGTH;
                }
                final int eoc = findEoc(buf, inner, limit, depth + 1, budget);
                if (eoc < 0) {
                    return eoc;
                }
                p = eoc + 2;
            }
        }
    }

    /** Unsigned big-endian integer contents (at most 8 octets used), -1 when empty or too long. */
    public long unsigned(final ByteBuf buf) {
        if (valueLength < 1 || valueLength > 8) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < valueLength; i++) {
            v = v << 8 | buf.getUnsignedByte(valueOffset + i);
        }
        return v;
    }

    /** X.690 8.3 INTEGER contents as a signed value; Long.MIN_VALUE when empty or longer than 8 octets. */
    public long signed(final ByteBuf buf) {
        if (valueLength < 1 || valueLength > 8) {
            return Long.MIN_VALUE;
        }
        long v = buf.getByte(valueOffset);
        for (int i = 1; i < valueLength; i++) {
            v = v << 8 | buf.getUnsignedByte(valueOffset + i);
        }
        return v;
    }

    public static String statusName(final int status) {
        switch (status) {
            case TRUNCATED:
                return "ber_truncated";
            case BAD_LENGTH:
                return "ber_bad_length";
            case NO_EOC:
                return "ber_no_eoc";
            case TOO_DEEP:
                return "ber_too_deep";
            case TOO_MANY:
                return "ber_too_many";
            case BAD_TAG:
                return "ber_bad_tag";
            default:
                return "ber_ok";
        }
    }
}
