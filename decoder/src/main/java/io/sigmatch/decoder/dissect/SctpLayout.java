package io.sigmatch.decoder.dissect;

/**
 * SCTP common header and chunks, RFC 9260 (formerly RFC 4960) 3, and I-DATA, RFC 8260 2.1.
 *
 * <pre>
 * Common header (3.1):
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Source Port Number        |     Destination Port Number   |  0
 * |                      Verification Tag                         |  4
 * |                           Checksum                            |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Chunk (3.2), padded with zeros to a multiple of 4 bytes; the length does not count the padding:
 * |   Chunk Type  | Chunk  Flags  |        Chunk Length           |  0
 * |                          Chunk Value                          |  4
 *
 * DATA (type 0, 3.3.1):                    I-DATA (type 64, RFC 8260 2.1):
 * |   0   | Res |I|U|B|E|   Length    |    |  64   | Res |I|U|B|E|   Length    |  0
 * |              TSN                  |    |              TSN                  |  4
 * |  Stream Identifier | Stream Seq # |    |  Stream Identifier |  Reserved    |  8
 * |  Payload Protocol Identifier      |    |     Message Identifier (MID)      | 12
 * |  User Data ...                    |    |   PPID (B set) / FSN (B clear)    | 16
 *                                          |  User Data ...                    | 20
 * </pre>
 *
 * B marks the first fragment of a user message, E the last (both: unfragmented); U an unordered
 * message (its SSN is meaningless); I asks for an immediate SACK (RFC 7053). DATA fragments of one
 * message carry consecutive TSNs; I-DATA fragments are numbered by FSN within their MID, the first
 * (B) being FSN 0 implicitly.
 */
final class SctpLayout {
    static final int COMMON_HEADER_LENGTH = 12;
    static final int SOURCE_PORT_OFFSET = 0;
    static final int DESTINATION_PORT_OFFSET = 2;
    static final int VERIFICATION_TAG_OFFSET = 4;

    static final int CHUNK_HEADER_LENGTH = 4;
    static final int CHUNK_FLAGS_OFFSET = 1;
    static final int CHUNK_LENGTH_OFFSET = 2;

    static final int TYPE_DATA = 0;
    static final int TYPE_I_DATA = 64;

    static final int DATA_TSN_OFFSET = 4;
    static final int DATA_STREAM_OFFSET = 8;
    static final int DATA_SSN_OFFSET = 10;
    static final int DATA_PPID_OFFSET = 12;
    static final int DATA_HEADER_LENGTH = 16;

    static final int I_DATA_MID_OFFSET = 12;
    static final int I_DATA_PPID_FSN_OFFSET = 16;
    static final int I_DATA_HEADER_LENGTH = 20;

    static final int FLAG_END = 0x01;
    static final int FLAG_BEGIN = 0x02;
    static final int FLAG_UNORDERED = 0x04;

    /** Chunk type names for the per-type counters (IANA "Chunk Types" registry). */
    static String chunkName(final int type) {
        return switch (type) {
            case 1 -> "init";
            case 2 -> "init_ack";
            case 3 -> "sack";
            case 4 -> "heartbeat";
            case 5 -> "heartbeat_ack";
            case 6 -> "abort";
            case 7 -> "shutdown";
            case 8 -> "shutdown_ack";
            case 9 -> "error";
            case 10 -> "cookie_echo";
            case 11 -> "cookie_ack";
            case 12 -> "ecne";
            case 13 -> "cwr";
            case 14 -> "shutdown_complete";
            case 15 -> "auth";
            case 16 -> "nr_sack";
            case 128 -> "asconf_ack";
            case 130 -> "re_config";
            case 132 -> "pad";
            case 192 -> "forward_tsn";
            case 193 -> "asconf";
            case 194 -> "i_forward_tsn";
            default -> "other";
        };
    }

    private SctpLayout() {
    }
}
