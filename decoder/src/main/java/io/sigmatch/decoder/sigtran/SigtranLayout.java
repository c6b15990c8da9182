package io.sigmatch.decoder.sigtran;

/**
 * Wire layouts below TCAP, written down once.
 *
 * <pre>
 * M3UA (RFC 4666 §3.1) and M2UA (RFC 3331 §3.1) common header, then TLV parameters padded to 4:
 *   0        1        2        3        4                                   8
 *  +--------+--------+--------+--------+-----------------------------------+
 *  |version | spare  | class  |  type  |  message length (header included) |
 *  +--------+--------+--------+--------+-----------------------------------+
 *  | parameter tag (16)      | parameter length (16, tag+length+value)     | value ... pad
 *
 * M3UA Protocol Data parameter (tag 0x0210) value:
 *  | OPC (32) | DPC (32) | SI | NI | MP | SLS | user data (SCCP when SI = 3) ...
 *
 * M2UA Protocol Data 1 (tag 0x0300) value: an MTP3 MSU (Q.704 §14, ITU routing label):
 *  | SIO: NI(8..7) prio(6..5) SI(4..1) | label, 32 bits little-endian: DPC(14) OPC(14) SLS(4) | SCCP ...
 *
 * SCCP connectionless messages (Q.713 §4): fixed part, then one pointer per variable part, each
 * counted from the pointer's own octet (LUDT pointers and the LUDT data length are 2 octets, least
 * significant first; a LUDT pointer counts from its second octet, as Wireshark reads it):
 *   UDT  09: type | class | p called | p calling | p data
 *   UDTS 0A: type | cause | p called | p calling | p data
 *   XUDT 11: type | class | hops | p called | p calling | p data | p optional (0 = none)
 *   XUDTS12: type | cause | hops | (as XUDT)
 *   LUDT 13: type | class | hops | p16 called | p16 calling | p16 data | p16 optional
 *   LUDTS14: type | cause | hops | (as LUDT)
 *   optional part: name | length | value ... | 00 (end of optional parameters)
 *   segmentation (name 10, 4 octets): F(8) C(7) spare(6..5) remaining segments(4..1) | local reference (24)
 * </pre>
 */
final class SigtranLayout {
    static final int VERSION = 1;
    static final int HEADER_LENGTH = 8;
    static final int CLASS_OFFSET = 2;
    static final int TYPE_OFFSET = 3;
    static final int LENGTH_OFFSET = 4;

    static final int CLASS_MGMT = 0;
    static final int CLASS_TRANSFER = 1;
    static final int CLASS_SSNM = 2;
    static final int CLASS_ASPSM = 3;
    static final int CLASS_ASPTM = 4;
    static final int CLASS_MAUP = 6;
    static final int CLASS_RKM = 9;
    static final int TYPE_DATA = 1;

    static final int TAG_NETWORK_APPEARANCE = 0x0200;
    static final int TAG_ROUTING_CONTEXT = 0x0006;
    static final int TAG_PROTOCOL_DATA = 0x0210;
    static final int M2UA_TAG_PROTOCOL_DATA_1 = 0x0300;
    static final int M2UA_TAG_PROTOCOL_DATA_2 = 0x0301;
    /** OPC, DPC, SI, NI, MP, SLS. */
    static final int PROTOCOL_DATA_FIXED = 12;
    static final int SI_SCCP = 3;

    /** IANA SCTP PPIDs: 2 M2UA, 3 M3UA. */
    static final int PPID_M2UA = 2;
    static final int PPID_M3UA = 3;

    static final int SCCP_UDT = 0x09;
    static final int SCCP_UDTS = 0x0A;
    static final int SCCP_XUDT = 0x11;
    static final int SCCP_XUDTS = 0x12;
    static final int SCCP_LUDT = 0x13;
    static final int SCCP_LUDTS = 0x14;
    static final int SCCP_SEGMENTATION = 0x10;
    static final int SCCP_END_OF_OPTIONAL = 0x00;
    /** Q.713 §3.4.2.2: subsystem 1 is SCCP management. */
    static final int SSN_SCCP_MANAGEMENT = 1;

    /** RFC 4666 §3.8 / RFC 3331: message names by class and type, for the management counters. */
    static final String[][] NAMES = new String[10][];

    static {
        NAMES[CLASS_MGMT] = new String[] {"ERR", "NTFY"};
        NAMES[CLASS_TRANSFER] = new String[] {null, "DATA"};
        NAMES[CLASS_SSNM] = new String[] {null, "DUNA", "DAVA", "DAUD", "SCON", "DUPU", "DRST"};
        NAMES[CLASS_ASPSM] = new String[] {null, "ASPUP", "ASPDN", "BEAT", "ASPUP_ACK", "ASPDN_ACK", "BEAT_ACK"};
        NAMES[CLASS_ASPTM] = new String[] {null, "ASPAC", "ASPIA", "ASPAC_ACK", "ASPIA_ACK"};
        NAMES[5] = new String[0];
        NAMES[CLASS_MAUP] = new String[] {null, "MAUP_DATA", "EST_REQ", "EST_CONF", "REL_REQ", "REL_CONF", "REL_IND",
            "STATE_REQ", "STATE_CONF", "STATE_IND", "RETR_REQ", "RETR_CONF", "RETR_IND", "RETR_COMP_IND",
            "CONG_IND", "DATA_ACK"};
        NAMES[7] = new String[0];
        NAMES[8] = new String[0];
        NAMES[CLASS_RKM] = new String[] {null, "REG_REQ", "REG_RSP", "DEREG_REQ", "DEREG_RSP"};
    }

    private SigtranLayout() {
    }
}
