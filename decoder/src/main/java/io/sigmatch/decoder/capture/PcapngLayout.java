package io.sigmatch.decoder.capture;

/**
 * The pcapng block format (draft-ietf-opsawg-pcapng, "PCAP Now Generic"). A file is a sequence
 * of sections; each starts with a Section Header Block whose byte-order magic fixes the byte order
 * of every block in the section, and each section numbers its own interfaces from 0.
 *
 * <pre>
 * Every block (section 3.1)
 * +---------------------------------------------------------------+
 * |                          Block Type                           |  0
 * |                      Block Total Length                       |  4
 * /                          Block Body                           /  8  (padded to 32 bits)
 * |                      Block Total Length                       |  total - 4 (must repeat the first)
 * +---------------------------------------------------------------+
 *
 * Section Header Block, type 0x0A0D0D0A (section 4.1)
 * |                      Byte-Order Magic 0x1A2B3C4D               |  8
 * |         Major Version         |         Minor Version         | 12
 * |                 Section Length (64 bits, may be -1)            | 16
 * /                            Options                            / 24
 *
 * Interface Description Block, type 1 (section 4.2)
 * |           LinkType            |           Reserved            |  8
 * |                            SnapLen                            | 12
 * /                  Options (if_tsresol 9, if_tsoffset 14, ...)   / 16
 *
 * Enhanced Packet Block, type 6 (section 4.3)
 * |                         Interface ID                          |  8
 * |                        Timestamp (High)                       | 12
 * |                        Timestamp (Low)                        | 16
 * |                    Captured Packet Length                     | 20
 * |                    Original Packet Length                     | 24
 * /                 Packet Data (padded to 32 bits)               / 28
 * /                            Options                            /
 *
 * Simple Packet Block, type 3 (section 4.4): interface 0, no timestamp
 * |                    Original Packet Length                     |  8
 * /                 Packet Data (padded to 32 bits)               / 12
 *
 * Packet Block, type 2 (obsolete, Appendix A)
 * |         Interface ID          |          Drops Count          |  8
 * |  Timestamp (High), Timestamp (Low), Captured Len, Packet Len  | 12..27
 * /                 Packet Data (padded to 32 bits)               / 28
 *
 * Every other block type (name resolution, interface statistics, decryption secrets, unknown)
 * carries no packet and is skipped.
 *
 * Option: | Option Code (16) | Option Length (16) | value, padded to 32 bits |; code 0 ends the list.
 * </pre>
 */
final class PcapngLayout {
    static final int BLOCK_SECTION_HEADER = 0x0A0D0D0A;
    static final int BLOCK_INTERFACE_DESCRIPTION = 1;
    static final int BLOCK_PACKET_OBSOLETE = 2;
    static final int BLOCK_SIMPLE_PACKET = 3;
    static final int BLOCK_ENHANCED_PACKET = 6;

    /**
     * Blocks that carry a record but no packet, which Wireshark nevertheless shows as numbered
     * frames: custom blocks (both copy variants), systemd journal entries and sysdig events.
     */
    static final int BLOCK_CUSTOM = 0x00000BAD;
    static final int BLOCK_CUSTOM_NO_COPY = 0x40000BAD;
    static final int BLOCK_SYSTEMD_JOURNAL = 9;
    static final int BLOCK_SYSDIG_EVENT = 0x204;
    static final int BLOCK_SYSDIG_EVENT_V2 = 0x216;
    static final int BLOCK_SYSDIG_EVENT_V2_LARGE = 0x221;

    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    static final int BYTE_ORDER_MAGIC_SWAPPED = 0x4D3C2B1A;
    static final int VERSION_MAJOR = 1;

    static final int BLOCK_TYPE_OFFSET = 0;
    static final int BLOCK_LENGTH_OFFSET = 4;
    static final int BLOCK_BODY_OFFSET = 8;
    /** Type, length and trailing length. */
    static final int BLOCK_OVERHEAD = 12;

    static final int SHB_MAGIC_OFFSET = 8;
    static final int SHB_MAJOR_OFFSET = 12;
    static final int SHB_MIN_LENGTH = 28;

    static final int IDB_LINKTYPE_OFFSET = 8;
    static final int IDB_SNAPLEN_OFFSET = 12;
    static final int IDB_OPTIONS_OFFSET = 16;
    static final int IDB_MIN_LENGTH = 20;

    static final int EPB_INTERFACE_OFFSET = 8;
    static final int EPB_TS_HIGH_OFFSET = 12;
    static final int EPB_TS_LOW_OFFSET = 16;
    static final int EPB_CAPTURED_LENGTH_OFFSET = 20;
    static final int EPB_ORIGINAL_LENGTH_OFFSET = 24;
    static final int EPB_DATA_OFFSET = 28;
    static final int EPB_MIN_LENGTH = 32;

    static final int SPB_ORIGINAL_LENGTH_OFFSET = 8;
    static final int SPB_DATA_OFFSET = 12;
    static final int SPB_MIN_LENGTH = 16;

    /** Obsolete Packet Block: as the EPB but a 16-bit interface id followed by a drops count. */
    static final int OPB_INTERFACE_OFFSET = 8;

    static final int OPT_END_OF_OPTIONS = 0;
    /** if_tsresol: one byte; MSB 0 = 10^-n seconds, MSB 1 = 2^-n seconds; default 10^-6. */
    static final int OPT_IF_TSRESOL = 9;
    /** if_tsoffset: signed 64-bit seconds added to every timestamp of the interface. */
    static final int OPT_IF_TSOFFSET = 14;

    private PcapngLayout() {
    }
}
