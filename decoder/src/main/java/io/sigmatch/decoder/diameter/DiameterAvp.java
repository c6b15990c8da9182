package io.sigmatch.decoder.diameter;

/**
 * The AVP header (RFC 6733 §4.1), 8 octets, 12 when the V flag announces a Vendor-ID:
 *
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                           AVP Code                            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |V M P r r r r r|                  AVP Length                   |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                        Vendor-ID (opt)                        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |    Data ...
 *   +-+-+-+-+-+-+-+-+
 *
 *   V vendor-specific (Vendor-ID present), M mandatory, P (RFC 3588, deprecated by 6733) protected
 * </pre>
 *
 * AVP Length counts header and data but not the padding: each AVP is followed by 0..3 zero octets
 * so the next starts on a 4-octet boundary (§4.1); an AVP Length shorter than its own header is
 * malformed. A Grouped AVP's data is a sequence of AVPs (§4.4), each padded likewise.
 */
public final class DiameterAvp {
    public static final int CODE_OFFSET = 0;
    public static final int FLAGS_OFFSET = 4;
    /** 24 bits, after the flags octet. */
    public static final int LENGTH_OFFSET = 5;
    public static final int VENDOR_ID_OFFSET = 8;
    public static final int HEADER_LENGTH = 8;
    public static final int HEADER_LENGTH_WITH_VENDOR = 12;

    public static final int FLAG_VENDOR = 0x80;
    public static final int FLAG_MANDATORY = 0x40;
    public static final int FLAG_PROTECTED = 0x20;

    /** §4.1 padding: lengths round up to a multiple of four. */
    public static int padded(final int length) {
        return (length + 3) & ~3;
    }

    private DiameterAvp() {
    }
}
