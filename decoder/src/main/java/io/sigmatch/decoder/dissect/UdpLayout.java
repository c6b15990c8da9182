package io.sigmatch.decoder.dissect;

/**
 * UDP header, RFC 768.
 *
 * <pre>
 *  0      7 8     15 16    23 24    31
 * +--------+--------+--------+--------+
 * |   Source Port   |  Destination    |
 * |                 |      Port       |
 * +--------+--------+--------+--------+
 * |     Length      |    Checksum     |
 * +--------+--------+--------+--------+
 * </pre>
 *
 * Length covers header and data (at least 8); bytes after it in the IP payload are ignored.
 */
final class UdpLayout {
    static final int HEADER_LENGTH = 8;
    static final int SOURCE_PORT_OFFSET = 0;
    static final int DESTINATION_PORT_OFFSET = 2;
    static final int LENGTH_OFFSET = 4;

    static final int PROTOCOL_TCP = 6;
    static final int PROTOCOL_UDP = 17;
    static final int PROTOCOL_SCTP = 132;

    private UdpLayout() {
    }
}
