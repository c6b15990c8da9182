package io.sigmatch.decoder.gtpv2;

/**
 * The GTPv2-C message header (TS 29.274 5.1, 5.4, 5.5). The TEID field is present only when the T
 * flag is set, so the sequence number and what follows move by four octets:
 *
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-----+-+-+-+---+---------------+-------------------------------+
 *   | Ver |P|T|M|Spa| Message Type  |        Message Length         |  octets 1-4, always
 *   +-----+-+-+-+---+---------------+-------------------------------+
 *   |          Tunnel Endpoint Identifier (only when T = 1)         |  octets 5-8
 *   +-----------------------------------------------+-------+-------+
 *   |                Sequence Number                | Prio  | Spare |  octets 9-12 (5-8 when T = 0)
 *   +-----------------------------------------------+-------+-------+
 *   |                 Information Elements ...                      |
 * </pre>
 *
 * <ul>
 *   <li>Ver = 2. P: another GTPv2-C message with its own header follows this one in the same
 *       datagram (5.5: a triggered message piggybacks an initial one; the piggybacked message's
 *       own P flag shall be 0). T: the TEID field is present. M (MP): the Prio nibble carries the
 *       message priority (5.4, 0 highest), otherwise it is spare.</li>
 *   <li>Message Length counts the octets after the first four, so the whole message is
 *       {@code 4 + length} octets and the length must cover the rest of the header.</li>
 * </ul>
 */
public final class Gtpv2Header {
    public static final int FLAGS_OFFSET = 0;
    public static final int MESSAGE_TYPE_OFFSET = 1;
    public static final int MESSAGE_LENGTH_OFFSET = 2;
    /** The mandatory part not counted by Message Length. */
    public static final int MANDATORY_LENGTH = 4;
    public static final int TEID_OFFSET = 4;
    public static final int SEQUENCE_OFFSET_WITH_TEID = 8;
    public static final int SEQUENCE_OFFSET_WITHOUT_TEID = 4;
    public static final int SEQUENCE_LENGTH = 3;
    public static final int PRIORITY_OFFSET_WITH_TEID = 11;
    public static final int PRIORITY_OFFSET_WITHOUT_TEID = 7;
    public static final int HEADER_LENGTH_WITH_TEID = 12;
    public static final int HEADER_LENGTH_WITHOUT_TEID = 8;

    public static final int VERSION_SHIFT = 5;
    public static final int VERSION = 2;
    public static final int P_FLAG = 0x10;
    public static final int T_FLAG = 0x08;
    public static final int MP_FLAG = 0x04;
    public static final int PRIORITY_SHIFT = 4;

    private Gtpv2Header() {
    }
}
