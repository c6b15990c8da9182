package io.sigmatch.decoder.dissect;

/**
 * IPv4 header, RFC 791 3.1.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |Type of Service|          Total Length         |  0
 * |         Identification        |Flags|      Fragment Offset    |  4
 * |  Time to Live |    Protocol   |         Header Checksum       |  8
 * |                       Source Address                          | 12
 * |                    Destination Address                        | 16
 * |                    Options (IHL > 5)                          | 20
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * IHL counts 32-bit words (5..15); Total Length includes the header, so bytes after it in the frame
 * are link padding or an FCS. Flags: bit 1 DF, bit 2 MF; the fragment offset counts 8-byte units.
 */
final class Ipv4Layout {
    static final int MIN_HEADER_LENGTH = 20;
    static final int VERSION_IHL_OFFSET = 0;
    static final int TOTAL_LENGTH_OFFSET = 2;
    static final int IDENTIFICATION_OFFSET = 4;
    static final int FLAGS_FRAGMENT_OFFSET = 6;
    static final int PROTOCOL_OFFSET = 9;
    static final int SOURCE_OFFSET = 12;
    static final int DESTINATION_OFFSET = 16;

    static final int MORE_FRAGMENTS = 0x2000;
    static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    private Ipv4Layout() {
    }
}
