package io.sigmatch.decoder.dissect;

/**
 * PPP framing as it reaches a mirror port: in PPPoE sessions (RFC 2516 4, EtherType 0x8864) and in
 * PPTP's enhanced GRE (RFC 2637).
 *
 * <pre>
 * PPPoE session, 6 bytes, then the PPP protocol field:
 * +-------+-------+---------------+-------------------------------+
 * |VER=1 |TYPE=1 |  CODE = 0x00  |          SESSION_ID           |
 * +-------+-------+---------------+-------------------------------+
 * |            LENGTH             |  PPP protocol (2) | payload ...
 * +-------------------------------+-------------------+
 *
 * PPP in GRE (RFC 1662 3.1; RFC 1661 6.5/6.6 allow both fields compressed):
 * [address 0xFF, control 0x03]  protocol (1 or 2 bytes: odd first byte = 1 byte)  payload
 * </pre>
 */
final class PppLayout {
    static final int ETHERTYPE_PPPOE_SESSION = 0x8864;
    static final int PPPOE_HEADER_LENGTH = 6;
    static final int PPPOE_VERSION_TYPE = 0x11;
    static final int PPPOE_CODE_SESSION = 0x00;
    static final int PPPOE_LENGTH_OFFSET = 4;

    static final int ADDRESS_ALL_STATIONS = 0xFF;
    static final int CONTROL_UI = 0x03;
    static final int PROTOCOL_IPV4 = 0x0021;
    static final int PROTOCOL_IPV6 = 0x0057;

    private PppLayout() {
    }
}
