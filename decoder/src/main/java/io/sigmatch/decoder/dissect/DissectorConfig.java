package io.sigmatch.decoder.dissect;

/**
 * Limits of the {@link Dissector}, with safe defaults. Every bound that untrusted traffic could
 * push on (tag stacking, header chains, reassembly memory) is here; {@link #conclude()} checks them
 * before anything is allocated. The reassembly memory is allocated once from these figures and
 * never grows: at most {@code reassemblyBudgetBytes} of fragment data plus about 1 KiB of
 * bookkeeping per concurrent datagram.
 */
public final class DissectorConfig {
    /** QinQ is 2 tags; carrier networks stack 3; more than 4 is a loop or an attack. */
    public static final int DEFAULT_MAX_VLAN_DEPTH = 4;
    /** RFC 8200 4.1 orders at most 8 kinds of extension header, each at most twice (dest opts). */
    public static final int DEFAULT_MAX_IPV6_EXTENSION_HEADERS = 8;
    public static final int DEFAULT_REASSEMBLY_MAX_DATAGRAMS = 512;
    /** The largest IPv4 datagram (RFC 791 total length is 16 bits) and the largest IPv6 payload without jumbograms. */
    public static final int DEFAULT_REASSEMBLY_MAX_DATAGRAM_BYTES = 65_535;
    public static final int DEFAULT_REASSEMBLY_BUDGET_BYTES = 8 << 20;
    /** Linux's ipfrag_time (30 s); RFC 8200 4.5 allows 60 s for IPv6, signaling never needs that long. */
    public static final long DEFAULT_REASSEMBLY_TIMEOUT_NS = 30_000_000_000L;
    /**
     * How long the key of a completed datagram is remembered so a second copy of its fragments
     * (a mirror that sees the packet twice) is not reassembled and delivered again.
     */
    public static final long DEFAULT_REASSEMBLY_DUPLICATE_WINDOW_NS = 1_000_000_000L;
    /** Decoders hear capture time at most once per millisecond of it. */
    public static final long DEFAULT_TIME_ADVANCE_INTERVAL_NS = 1_000_000L;
    /**
     * Tunnels opened inside one frame (GRE, ERSPAN, VXLAN, IP-in-IP, PPPoE each count one). A mirror
     * feed nests two or three (GRE, ERSPAN, then the tenant's VXLAN); more is a loop or an attack.
     */
    public static final int DEFAULT_MAX_TUNNEL_DEPTH = 6;
    /** RFC 7348 5: the IANA-assigned VXLAN destination port. */
    public static final int DEFAULT_VXLAN_PORT = 4789;

    private int maxVlanDepth = DEFAULT_MAX_VLAN_DEPTH;
    private int maxIpv6ExtensionHeaders = DEFAULT_MAX_IPV6_EXTENSION_HEADERS;
    private int reassemblyMaxDatagrams = DEFAULT_REASSEMBLY_MAX_DATAGRAMS;
    private int reassemblyMaxDatagramBytes = DEFAULT_REASSEMBLY_MAX_DATAGRAM_BYTES;
    private int reassemblyBudgetBytes = DEFAULT_REASSEMBLY_BUDGET_BYTES;
    private long reassemblyTimeoutNs = DEFAULT_REASSEMBLY_TIMEOUT_NS;
    private long reassemblyDuplicateWindowNs = DEFAULT_REASSEMBLY_DUPLICATE_WINDOW_NS;
    private long timeAdvanceIntervalNs = DEFAULT_TIME_ADVANCE_INTERVAL_NS;
    private int sourceId;
    private int maxTunnelDepth = DEFAULT_MAX_TUNNEL_DEPTH;
    private int vxlanPort = DEFAULT_VXLAN_PORT;

    /** Checks every limit; throws IllegalArgumentException naming the first bad one. Returns this. */
    public DissectorConfig conclude() {
        require(maxVlanDepth >= 1 && maxVlanDepth <= 16, "maxVlanDepth must be 1..16: " + maxVlanDepth);
        require(maxIpv6ExtensionHeaders >= 1 && maxIpv6ExtensionHeaders <= 64,
            "maxIpv6ExtensionHeaders must be 1..64: " + maxIpv6ExtensionHeaders);
        require(reassemblyMaxDatagrams >= 1 && reassemblyMaxDatagrams <= 1 << 20,
            "reassemblyMaxDatagrams must be 1..1048576: " + reassemblyMaxDatagrams);
        require(reassemblyMaxDatagramBytes >= 8 && reassemblyMaxDatagramBytes <= 65_535,
            "reassemblyMaxDatagramBytes must be 8..65535: " + reassemblyMaxDatagramBytes);
        require(reassemblyBudgetBytes >= reassemblyMaxDatagramBytes && reassemblyBudgetBytes <= 1 << 30,
            "reassemblyBudgetBytes must hold one datagram and be at most 1 GiB: " + reassemblyBudgetBytes);
        require(reassemblyTimeoutNs > 0, "reassemblyTimeoutNs must be positive: " + reassemblyTimeoutNs);
        require(reassemblyDuplicateWindowNs >= 0 && reassemblyDuplicateWindowNs <= reassemblyTimeoutNs,
            "reassemblyDuplicateWindowNs must be 0..timeout: " + reassemblyDuplicateWindowNs);
        require(timeAdvanceIntervalNs >= 0, "timeAdvanceIntervalNs must not be negative: " + timeAdvanceIntervalNs);
        require(sourceId >= 0 && sourceId <= 0x7FFF, "sourceId must be 0..32767: " + sourceId);
        require(maxTunnelDepth >= 0 && maxTunnelDepth <= 16, "maxTunnelDepth must be 0..16: " + maxTunnelDepth);
        require(vxlanPort >= 0 && vxlanPort <= 0xFFFF, "vxlanPort must be 0..65535: " + vxlanPort);
        return this;
    }

    private static void require(final boolean ok, final String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public int maxVlanDepth() {
        return maxVlanDepth;
    }

    public DissectorConfig maxVlanDepth(final int depth) {
        maxVlanDepth = depth;
        return this;
    }

    public int maxIpv6ExtensionHeaders() {
        return maxIpv6ExtensionHeaders;
    }

    public DissectorConfig maxIpv6ExtensionHeaders(final int count) {
        maxIpv6ExtensionHeaders = count;
        return this;
    }

    public int reassemblyMaxDatagrams() {
        return reassemblyMaxDatagrams;
    }

    /** Datagrams being reassembled at once; when full, the oldest is dropped (counted). */
    public DissectorConfig reassemblyMaxDatagrams(final int count) {
        reassemblyMaxDatagrams = count;
        return this;
    }

    public int reassemblyMaxDatagramBytes() {
        return reassemblyMaxDatagramBytes;
    }

    /** Largest reassembled payload (bytes after the IP header, or after the IPv6 fragment header). */
    public DissectorConfig reassemblyMaxDatagramBytes(final int bytes) {
        reassemblyMaxDatagramBytes = bytes;
        return this;
    }

    public int reassemblyBudgetBytes() {
        return reassemblyBudgetBytes;
    }

    /** Fragment bytes held at once across all datagrams; preallocated. */
    public DissectorConfig reassemblyBudgetBytes(final int bytes) {
        reassemblyBudgetBytes = bytes;
        return this;
    }

    public long reassemblyTimeoutNs() {
        return reassemblyTimeoutNs;
    }

    /** Capture time (never wall-clock time) after a datagram's first fragment when it is given up. */
    public DissectorConfig reassemblyTimeoutNs(final long ns) {
        reassemblyTimeoutNs = ns;
        return this;
    }

    public long reassemblyDuplicateWindowNs() {
        return reassemblyDuplicateWindowNs;
    }

    public DissectorConfig reassemblyDuplicateWindowNs(final long ns) {
        reassemblyDuplicateWindowNs = ns;
        return this;
    }

    public long timeAdvanceIntervalNs() {
        return timeAdvanceIntervalNs;
    }

    /** Least capture-time step between two advanceTime calls to the decoders (0 = every new time). */
    public DissectorConfig timeAdvanceIntervalNs(final long ns) {
        timeAdvanceIntervalNs = ns;
        return this;
    }

    public int sourceId() {
        return sourceId;
    }

    /**
     * Which capture this dissector reads (a replay of several files gives each its own): the
     * {@code PacketInfo.sourceId} of a packet is {@code sourceId << 16 | interfaceId}.
     */
    public DissectorConfig sourceId(final int id) {
        sourceId = id;
        return this;
    }

    public int maxTunnelDepth() {
        return maxTunnelDepth;
    }

    /** Tunnels opened per frame; one more is counted as {@code dissect.tunnel.error.too_deep}. 0 opens none. */
    public DissectorConfig maxTunnelDepth(final int depth) {
        maxTunnelDepth = depth;
        return this;
    }

    public int vxlanPort() {
        return vxlanPort;
    }

    /** UDP port whose datagrams are VXLAN (either direction, as Wireshark decodes them); 0 turns VXLAN off. */
    public DissectorConfig vxlanPort(final int port) {
        vxlanPort = port;
        return this;
    }
}
