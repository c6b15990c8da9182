package io.sigmatch.decoder.capture;

/**
 * LINKTYPE_* values of the pcap and pcapng link-type registry (tcpdump.org/linktypes.html) that
 * the dissector understands. Capture files carry these in the pcap file header or in each pcapng
 * Interface Description Block.
 */
public final class LinkType {
    /** BSD loopback: a 4-byte address family in the byte order of the machine that captured. */
    public static final int NULL = 0;
    public static final int ETHERNET = 1;
    /**
     * DLT_RAW as most BSDs and Linux numbered it before LINKTYPE_RAW existed; libpcap and
     * Wireshark still read 12 in a file as raw IP.
     */
    public static final int RAW_DLT12 = 12;
    /** DLT_RAW as OpenBSD numbers it; read as raw IP too. */
    public static final int RAW_DLT14 = 14;
    /** Raw IPv4 or IPv6, told apart by the version nibble. */
    public static final int RAW = 101;
    /** OpenBSD loopback: like {@link #NULL} but the address family is always big-endian. */
    public static final int LOOP = 108;
    /** Linux cooked capture v1 ("any" device), 16-byte header. */
    public static final int LINUX_SLL = 113;
    public static final int IPV4 = 228;
    public static final int IPV6 = 229;
    /** SS7 MTP3 MSUs without MTP2 (SIO, routing label, user part): traces from signalling link monitors. */
    public static final int MTP3 = 141;
    /** Linux cooked capture v2, 20-byte header with the interface index. */
    public static final int LINUX_SLL2 = 276;

    private LinkType() {
    }
}
