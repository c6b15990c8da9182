package io.sigmatch.decoder.dissect;

/**
 * IPv6 header and extension headers, RFC 8200 3 and 4.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |  0
 * |         Payload Length        |  Next Header  |   Hop Limit   |  4
 * |                  Source Address (128 bits)                    |  8
 * |               Destination Address (128 bits)                  | 24
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Hop-by-Hop (0), Routing (43), Destination Options (60): | Next Header | Hdr Ext Len | ... |,
 *   length (Hdr Ext Len + 1) * 8 bytes.
 * Authentication Header (51, RFC 4302 2.2): | Next Header | Payload Len | ... |,
 *   length (Payload Len + 2) * 4 bytes.
 * Fragment (44, RFC 8200 4.5), 8 bytes:
 * |  Next Header  |   Reserved    |      Fragment Offset    |Res|M|
 * |                         Identification                        |
 * </pre>
 */
final class Ipv6Layout {
    static final int HEADER_LENGTH = 40;
    static final int PAYLOAD_LENGTH_OFFSET = 4;
    static final int NEXT_HEADER_OFFSET = 6;
    static final int SOURCE_OFFSET = 8;
    static final int DESTINATION_OFFSET = 24;

    static final int HOP_BY_HOP = 0;
    static final int ROUTING = 43;
    static final int FRAGMENT = 44;
    static final int AUTHENTICATION = 51;
    static final int NO_NEXT_HEADER = 59;
    static final int DESTINATION_OPTIONS = 60;

    static final int EXTENSION_MIN_LENGTH = 8;
    static final int FRAGMENT_HEADER_LENGTH = 8;
    static final int FRAGMENT_OFFSET_FIELD = 2;
    static final int FRAGMENT_ID_OFFSET = 4;
    static final int FRAGMENT_OFFSET_MASK = 0xFFF8;
    static final int MORE_FRAGMENTS = 1;

    private Ipv6Layout() {
    }
}
