package io.sigmatch.decoder.diameter;

/**
 * The Diameter message header (RFC 6733 §3), 20 octets, all fields big-endian:
 *
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |    Version    |                 Message Length                |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   | command flags |                  Command Code                 |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                         Application-ID                        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                      Hop-by-Hop Identifier                    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                      End-to-End Identifier                    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  AVPs ...
 *
 *   command flags:  R P E T r r r r
 *                   R request, P proxiable, E error (answers only), T potentially retransmitted;
 *                   r reserved, must be 0
 * </pre>
 *
 * Version is 1. Message Length counts the whole message, header and padded AVPs, so it is at
 * least 20 and always a multiple of 4 (§3: "the Message Length field is always a multiple of 4").
 */
public final class DiameterHeader {
    public static final int VERSION_OFFSET = 0;
    /** 24 bits, after the version octet. */
    public static final int LENGTH_OFFSET = 1;
    public static final int FLAGS_OFFSET = 4;
    /** 24 bits, after the flags octet. */
    public static final int COMMAND_CODE_OFFSET = 5;
    public static final int APPLICATION_ID_OFFSET = 8;
    public static final int HOP_BY_HOP_OFFSET = 12;
    public static final int END_TO_END_OFFSET = 16;
    public static final int LENGTH = 20;

    public static final int VERSION = 1;
    public static final int FLAG_REQUEST = 0x80;
    public static final int FLAG_PROXIABLE = 0x40;
    public static final int FLAG_ERROR = 0x20;
    public static final int FLAG_RETRANSMITTED = 0x10;
    public static final int FLAGS_RESERVED = 0x0F;

    /** §3: the Message Length is 24 bits. */
    public static final int MAX_LENGTH = 0xFFFFFF;

    private DiameterHeader() {
    }
}
