package io.sigmatch.decoder.dissect;

/**
 * VXLAN header, RFC 7348 5: 8 bytes after the outer UDP header (destination port 4789), then the
 * inner Ethernet frame.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |R|R|R|R|I|R|R|R|            Reserved                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                VXLAN Network Identifier (VNI) |   Reserved    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The I flag must be 1 for a valid VNI; RFC 7348 tells receivers to ignore the reserved bits.
 */
final class VxlanLayout {
    static final int IANA_PORT = 4789;
    static final int HEADER_LENGTH = 8;
    static final int FLAGS_OFFSET = 0;
    static final int FLAG_VNI_VALID = 0x08;

    private VxlanLayout() {
    }
}
