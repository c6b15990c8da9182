package io.sigmatch.decoder.gtpv1;

/**
 * The GTPv1 header (TS 29.060 6, 6.1). The first eight octets are always there; the next four
 * (sequence number, N-PDU number, next extension header type) are there as soon as any of E, S or
 * PN is set, and each of them is then only meaningful when its own flag is set. GTPv1-C always
 * sets S (TS 29.060 9.1: signalling messages carry a sequence number).
 *
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-----+-+-+-+-+-+---------------+-------------------------------+
 *   | Ver |P|*|E|S|P| Message Type  |            Length             |  octets 1-4
 *   |     |T| | | |N|               |                               |
 *   +-----+-+-+-+-+-+---------------+-------------------------------+
 *   |                Tunnel Endpoint Identifier (TEID)              |  octets 5-8
 *   +-------------------------------+---------------+---------------+
 *   |        Sequence Number        |  N-PDU Number | Next Ext Type |  octets 9-12, when E|S|PN
 *   +-------------------------------+---------------+---------------+
 *   | Ext Length (4n) | contents ...                | Next Ext Type |  each extension header, when E
 *   +---------------------------------------------------------------+
 *   |                 Information Elements ...                      |
 * </pre>
 *
 * <ul>
 *   <li>Ver = 1; PT = 1 is GTP, PT = 0 is GTP' (TS 32.295, charging, port 3386), which shares the
 *       header but is another protocol.</li>
 *   <li>Length counts the octets after the first eight: the optional four octets, the extension
 *       headers and the IEs. The whole message is {@code 8 + Length} octets.</li>
 *   <li>An extension header's length octet counts its own 4-octet units, length octet and next
 *       type included (6.1.1), so 0 is malformed; next type 0 ends the chain.</li>
 * </ul>
 */
public final class Gtpv1Header {
    public static final int FLAGS_OFFSET = 0;
    public static final int MESSAGE_TYPE_OFFSET = 1;
    public static final int LENGTH_OFFSET = 2;
    public static final int TEID_OFFSET = 4;
    public static final int SEQUENCE_OFFSET = 8;
    public static final int NPDU_OFFSET = 10;
    public static final int NEXT_EXTENSION_OFFSET = 11;
    /** The part Length does not count. */
    public static final int MANDATORY_LENGTH = 8;
    /** Mandatory part plus sequence number, N-PDU number and next extension header type. */
    public static final int LONG_HEADER_LENGTH = 12;
    public static final int OPTIONAL_LENGTH = 4;
    /** An extension header's length is in units of this many octets. */
    public static final int EXTENSION_UNIT = 4;

    public static final int VERSION_SHIFT = 5;
    public static final int VERSION = 1;
    public static final int PT_FLAG = 0x10;
    public static final int E_FLAG = 0x04;
    public static final int S_FLAG = 0x02;
    public static final int PN_FLAG = 0x01;
    public static final int OPTIONAL_FLAGS = E_FLAG | S_FLAG | PN_FLAG;

    private Gtpv1Header() {
    }
}
