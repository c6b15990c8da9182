package io.sigmatch.decoder.dissect;

/**
 * Linux "cooked" capture headers, written by libpcap for the "any" device and for devices without
 * a link-layer header (tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html and _SLL2.html). The protocol
 * field is an EtherType for the ARPHRD types that carry IP.
 *
 * <pre>
 * SLL (16 bytes)                              SLL2 (20 bytes)
 *  0  packet type (2)                          0  protocol type (2)
 *  2  ARPHRD_ type (2)                         2  reserved (2)
 *  4  link-layer address length (2)            4  interface index (4)
 *  6  link-layer address (8)                   8  ARPHRD_ type (2)
 * 14  protocol type (2)                       10  packet type (1)
 *                                             11  link-layer address length (1)
 *                                             12  link-layer address (8)
 * </pre>
 */
final class LinuxCookedLayout {
    static final int SLL_HEADER_LENGTH = 16;
    static final int SLL_ARPHRD_OFFSET = 2;
    static final int SLL_PROTOCOL_OFFSET = 14;

    static final int SLL2_HEADER_LENGTH = 20;
    static final int SLL2_PROTOCOL_OFFSET = 0;
    static final int SLL2_ARPHRD_OFFSET = 8;

    /** ARPHRD_NETLINK: the protocol field is a netlink family, not an EtherType. */
    static final int ARPHRD_NETLINK = 824;

    private LinuxCookedLayout() {
    }
}
