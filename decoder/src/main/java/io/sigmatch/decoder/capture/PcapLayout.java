package io.sigmatch.decoder.capture;

/**
 * The classic pcap file format (draft-ietf-opsawg-pcap; libpcap's savefile.c). Every field is in
 * the byte order of the machine that wrote the file; the magic number tells which.
 *
 * <pre>
 * File header (24 bytes)
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          Magic Number                         |  0
 * |         Major Version         |         Minor Version         |  4
 * |                   Reserved1 (thiszone)                        |  8
 * |                   Reserved2 (sigfigs)                         | 12
 * |                            SnapLen                            | 16
 * | FCS |f|0 0 0 0 0 0 0 0 0 0 0 0|           LinkType            | 20
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Record header (16 bytes), followed by Captured Packet Length bytes of packet data
 * +---------------------------------------------------------------+
 * |                      Timestamp (Seconds)                      |  0
 * |            Timestamp (Microseconds or nanoseconds)            |  4
 * |                    Captured Packet Length                     |  8
 * |                    Original Packet Length                     | 12
 * +---------------------------------------------------------------+
 * </pre>
 */
final class PcapLayout {
    /** Microsecond timestamps, read in the file's byte order as written. */
    static final int MAGIC_MICROS = 0xA1B2C3D4;
    static final int MAGIC_MICROS_SWAPPED = 0xD4C3B2A1;
    /** Nanosecond timestamps (libpcap 1.5+, "nsec pcap"). */
    static final int MAGIC_NANOS = 0xA1B23C4D;
    static final int MAGIC_NANOS_SWAPPED = 0x4D3CB2A1;

    static final int FILE_HEADER_LENGTH = 24;
    static final int VERSION_MAJOR_OFFSET = 4;
    static final int SNAPLEN_OFFSET = 16;
    static final int LINKTYPE_OFFSET = 20;
    /** The upper bits of the link-type field carry FCS information, not the type. */
    static final int LINKTYPE_MASK = 0x03FF_FFFF;
    static final int VERSION_MAJOR = 2;

    static final int RECORD_HEADER_LENGTH = 16;
    static final int TS_SECONDS_OFFSET = 0;
    static final int TS_FRACTION_OFFSET = 4;
    static final int CAPTURED_LENGTH_OFFSET = 8;
    static final int ORIGINAL_LENGTH_OFFSET = 12;

    private PcapLayout() {
    }
}
