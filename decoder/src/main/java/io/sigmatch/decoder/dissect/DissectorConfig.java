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
        concludeTransport();
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

    // ---- TCP stream reassembly and SCTP (issue 3) ---------------------------------------------------

    /** Concurrent TCP flows (both directions are one flow); when full the least recently seen is evicted. */
    public static final int DEFAULT_TCP_MAX_FLOWS = 65_536;
    /** A Diameter peer sends DWR every 30 s (RFC 6733 Tw); a flow quiet for 2 minutes is gone. */
    public static final long DEFAULT_TCP_IDLE_TIMEOUT_NS = 120_000_000_000L;
    /** How long a hole in a stream may wait for its retransmission before the bytes are declared lost. */
    public static final long DEFAULT_TCP_GAP_TIMEOUT_NS = 3_000_000_000L;
    /** Largest message framed from a stream; a longer one is skipped by its length (counted). */
    public static final int DEFAULT_TCP_MAX_MESSAGE_BYTES = 256 * 1024;
    /** Stream bytes held at once across all flows (partial messages and out-of-order data). */
    public static final int DEFAULT_TCP_BUFFER_BUDGET_BYTES = 32 << 20;
    /** Out-of-order segments held per direction before the hole in front of them is given up. */
    public static final int DEFAULT_TCP_MAX_HELD_SEGMENTS_PER_DIRECTION = 64;
    /** Out-of-order segments held at once across all flows. */
    public static final int DEFAULT_TCP_MAX_HELD_SEGMENTS = 16_384;
    /** SCTP association directions (ports and verification tag) tracked for duplicate TSNs. */
    public static final int DEFAULT_SCTP_MAX_ASSOCIATIONS = 16_384;
    /** An association quiet this long is forgotten (heartbeats every 30 s by default, RFC 9260 16). */
    public static final long DEFAULT_SCTP_IDLE_TIMEOUT_NS = 300_000_000_000L;
    public static final int DEFAULT_SCTP_MAX_FRAGMENTS = 8_192;
    public static final int DEFAULT_SCTP_REASSEMBLY_BUDGET_BYTES = 8 << 20;
    public static final long DEFAULT_SCTP_REASSEMBLY_TIMEOUT_NS = 30_000_000_000L;
    public static final int DEFAULT_SCTP_MAX_MESSAGE_BYTES = 256 * 1024;

    private int tcpMaxFlows = DEFAULT_TCP_MAX_FLOWS;
    private long tcpIdleTimeoutNs = DEFAULT_TCP_IDLE_TIMEOUT_NS;
    private long tcpGapTimeoutNs = DEFAULT_TCP_GAP_TIMEOUT_NS;
    private int tcpMaxMessageBytes = DEFAULT_TCP_MAX_MESSAGE_BYTES;
    private int tcpBufferBudgetBytes = DEFAULT_TCP_BUFFER_BUDGET_BYTES;
    private int tcpMaxHeldSegmentsPerDirection = DEFAULT_TCP_MAX_HELD_SEGMENTS_PER_DIRECTION;
    private int tcpMaxHeldSegments = DEFAULT_TCP_MAX_HELD_SEGMENTS;
    private int sctpMaxAssociations = DEFAULT_SCTP_MAX_ASSOCIATIONS;
    private long sctpIdleTimeoutNs = DEFAULT_SCTP_IDLE_TIMEOUT_NS;
    private int sctpMaxFragments = DEFAULT_SCTP_MAX_FRAGMENTS;
    private int sctpReassemblyBudgetBytes = DEFAULT_SCTP_REASSEMBLY_BUDGET_BYTES;
    private long sctpReassemblyTimeoutNs = DEFAULT_SCTP_REASSEMBLY_TIMEOUT_NS;
    private int sctpMaxMessageBytes = DEFAULT_SCTP_MAX_MESSAGE_BYTES;

    private void concludeTransport() {
        require(tcpMaxFlows >= 1 && tcpMaxFlows <= 1 << 22, "tcpMaxFlows must be 1..4194304: " + tcpMaxFlows);
        require(tcpIdleTimeoutNs > 0, "tcpIdleTimeoutNs must be positive: " + tcpIdleTimeoutNs);
        require(tcpGapTimeoutNs > 0, "tcpGapTimeoutNs must be positive: " + tcpGapTimeoutNs);
        require(tcpMaxMessageBytes >= 64 && tcpMaxMessageBytes <= 16 << 20,
            "tcpMaxMessageBytes must be 64..16777216: " + tcpMaxMessageBytes);
        require(tcpBufferBudgetBytes >= 2 * tcpMaxMessageBytes && tcpBufferBudgetBytes <= 1 << 30,
            "tcpBufferBudgetBytes must hold two messages and be at most 1 GiB: " + tcpBufferBudgetBytes);
        require(tcpMaxHeldSegmentsPerDirection >= 1 && tcpMaxHeldSegmentsPerDirection <= 4096,
            "tcpMaxHeldSegmentsPerDirection must be 1..4096: " + tcpMaxHeldSegmentsPerDirection);
        require(tcpMaxHeldSegments >= tcpMaxHeldSegmentsPerDirection && tcpMaxHeldSegments <= 1 << 22,
            "tcpMaxHeldSegments must be at least the per-direction limit and at most 4194304: " + tcpMaxHeldSegments);
        require(sctpMaxAssociations >= 1 && sctpMaxAssociations <= 1 << 22,
            "sctpMaxAssociations must be 1..4194304: " + sctpMaxAssociations);
        require(sctpIdleTimeoutNs > 0, "sctpIdleTimeoutNs must be positive: " + sctpIdleTimeoutNs);
        require(sctpMaxFragments >= 2 && sctpMaxFragments <= 1 << 22, "sctpMaxFragments must be 2..4194304: " + sctpMaxFragments);
        require(sctpMaxMessageBytes >= 64 && sctpMaxMessageBytes <= 16 << 20,
            "sctpMaxMessageBytes must be 64..16777216: " + sctpMaxMessageBytes);
        require(sctpReassemblyBudgetBytes >= sctpMaxMessageBytes && sctpReassemblyBudgetBytes <= 1 << 30,
            "sctpReassemblyBudgetBytes must hold one message and be at most 1 GiB: " + sctpReassemblyBudgetBytes);
        require(sctpReassemblyTimeoutNs > 0, "sctpReassemblyTimeoutNs must be positive: " + sctpReassemblyTimeoutNs);
    }

    public int tcpMaxFlows() {
        return tcpMaxFlows;
    }

    public DissectorConfig tcpMaxFlows(final int flows) {
        tcpMaxFlows = flows;
        return this;
    }

    public long tcpIdleTimeoutNs() {
        return tcpIdleTimeoutNs;
    }

    /** Capture time without a segment after which a flow is closed (what is complete is delivered). */
    public DissectorConfig tcpIdleTimeoutNs(final long ns) {
        tcpIdleTimeoutNs = ns;
        return this;
    }

    public long tcpGapTimeoutNs() {
        return tcpGapTimeoutNs;
    }

    public DissectorConfig tcpGapTimeoutNs(final long ns) {
        tcpGapTimeoutNs = ns;
        return this;
    }

    public int tcpMaxMessageBytes() {
        return tcpMaxMessageBytes;
    }

    public DissectorConfig tcpMaxMessageBytes(final int bytes) {
        tcpMaxMessageBytes = bytes;
        return this;
    }

    public int tcpBufferBudgetBytes() {
        return tcpBufferBudgetBytes;
    }

    public DissectorConfig tcpBufferBudgetBytes(final int bytes) {
        tcpBufferBudgetBytes = bytes;
        return this;
    }

    public int tcpMaxHeldSegmentsPerDirection() {
        return tcpMaxHeldSegmentsPerDirection;
    }

    public DissectorConfig tcpMaxHeldSegmentsPerDirection(final int segments) {
        tcpMaxHeldSegmentsPerDirection = segments;
        return this;
    }

    public int tcpMaxHeldSegments() {
        return tcpMaxHeldSegments;
    }

    public DissectorConfig tcpMaxHeldSegments(final int segments) {
        tcpMaxHeldSegments = segments;
        return this;
    }

    public int sctpMaxAssociations() {
        return sctpMaxAssociations;
    }

    public DissectorConfig sctpMaxAssociations(final int directions) {
        sctpMaxAssociations = directions;
        return this;
    }

    public long sctpIdleTimeoutNs() {
        return sctpIdleTimeoutNs;
    }

    public DissectorConfig sctpIdleTimeoutNs(final long ns) {
        sctpIdleTimeoutNs = ns;
        return this;
    }

    public int sctpMaxFragments() {
        return sctpMaxFragments;
    }

    public DissectorConfig sctpMaxFragments(final int fragments) {
        sctpMaxFragments = fragments;
        return this;
    }

    public int sctpReassemblyBudgetBytes() {
        return sctpReassemblyBudgetBytes;
    }

    public DissectorConfig sctpReassemblyBudgetBytes(final int bytes) {
        sctpReassemblyBudgetBytes = bytes;
        return this;
    }

    public long sctpReassemblyTimeoutNs() {
        return sctpReassemblyTimeoutNs;
    }

    public DissectorConfig sctpReassemblyTimeoutNs(final long ns) {
        sctpReassemblyTimeoutNs = ns;
        return this;
    }

    public int sctpMaxMessageBytes() {
        return sctpMaxMessageBytes;
    }

    public DissectorConfig sctpMaxMessageBytes(final int bytes) {
        sctpMaxMessageBytes = bytes;
        return this;
    }
}
