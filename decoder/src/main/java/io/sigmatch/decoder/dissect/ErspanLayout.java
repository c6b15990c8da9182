package io.sigmatch.decoder.dissect;

/**
 * Cisco ERSPAN headers (draft-foschiano-erspan-03), carried in GRE. Type I (protocol 0x88BE, GRE
 * without sequence number) has no header: the mirrored Ethernet frame follows GRE directly.
 *
 * <pre>
 * Type II, 8 bytes (GRE protocol 0x88BE, GRE sequence number present):
 * +-------+-----------------------+-----+---+-+-------------------+
 * |Ver=1 |         VLAN          | COS |En |T|    Session ID     |
 * +-------+-----------------------+-----+---+-+-------------------+
 * |      Reserved         |                  Index                |
 * +-----------------------+---------------------------------------+
 *
 * Type III, 12 bytes (GRE protocol 0x22EB), then 8 more when O is set:
 * +-------+-----------------------+-----+---+-+-------------------+
 * |Ver=2 |         VLAN          | COS |BSO|T|    Session ID     |
 * +-------+-----------------------+-----+---+-+-------------------+
 * |                          Timestamp                            |
 * +-------------------------------+-+---------+-----------+-+---+-+
 * |             SGT               |P|   FT    |   Hw ID   |D|Gra|O|
 * +-------------------------------+-+---------+-----------+-+---+-+
 * |  Platform-specific subheader (8 bytes, when O = 1)            |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * FT (frame type) 0 is an Ethernet frame, 2 an IP packet; the draft reserves the others.
 */
final class ErspanLayout {
    static final int VERSION_TYPE_II = 1;
    static final int VERSION_TYPE_III = 2;
    static final int TYPE_II_LENGTH = 8;
    static final int TYPE_III_LENGTH = 12;
    static final int PLATFORM_SUBHEADER_LENGTH = 8;
    /** Offset of the 16-bit word holding P, FT, Hw ID, D, Gra and O in a type III header. */
    static final int TYPE_III_FLAGS_OFFSET = 10;
    static final int TYPE_III_OPTIONAL_BIT = 0x0001;
    static final int TYPE_III_FRAME_TYPE_SHIFT = 10;
    static final int TYPE_III_FRAME_TYPE_MASK = 0x1F;
    static final int FRAME_TYPE_ETHERNET = 0;
    static final int FRAME_TYPE_IP = 2;

    private ErspanLayout() {
    }
}
