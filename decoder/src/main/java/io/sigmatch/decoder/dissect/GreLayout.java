package io.sigmatch.decoder.dissect;

/**
 * GRE, RFC 2784 with the key and sequence extensions of RFC 2890, and the enhanced GRE of PPTP
 * (RFC 2637 4.1, version 1).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |C|R|K|S|s|Recur|A| Flags | Ver |         Protocol Type         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Checksum (optional)      |       Reserved1 / Offset      |   present when C (or R, RFC 1701)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Key (optional)                        |   K; v1: payload length + call id
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Sequence Number (optional)                    |   S
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              Acknowledgment Number (v1, optional)             |   A
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * R (RFC 1701 source routing) is obsolete: RFC 2784 receivers treat it as an error, and so do we.
 */
final class GreLayout {
    static final int PROTOCOL_GRE = 47;
    static final int BASE_LENGTH = 4;
    static final int FLAGS_OFFSET = 0;
    static final int PROTOCOL_TYPE_OFFSET = 2;

    static final int FLAG_CHECKSUM = 0x8000;
    static final int FLAG_ROUTING = 0x4000;
    static final int FLAG_KEY = 0x2000;
    static final int FLAG_SEQUENCE = 0x1000;
    /** RFC 2637 4.1: acknowledgment number present (version 1 only). */
    static final int FLAG_ACK = 0x0080;
    static final int VERSION_MASK = 0x0007;
    static final int OPTIONAL_FIELD_LENGTH = 4;

    static final int TYPE_IPV4 = 0x0800;
    static final int TYPE_IPV6 = 0x86DD;
    /** RFC 1701 "Transparent Ethernet Bridging": a whole Ethernet frame follows. */
    static final int TYPE_TRANSPARENT_ETHERNET = 0x6558;
    static final int TYPE_VLAN = 0x8100;
    /** ERSPAN type I (GRE without sequence number) and type II. */
    static final int TYPE_ERSPAN_II = 0x88BE;
    static final int TYPE_ERSPAN_III = 0x22EB;
    /** PPP (RFC 2637: PPTP carries PPP frames in enhanced GRE). */
    static final int TYPE_PPP = 0x880B;

    private GreLayout() {
    }
}
