package io.sigmatch.decoder.dissect;

import io.netty.buffer.ByteBuf;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.PayloadDecoder;
import io.sigmatch.decoder.capture.Frame;
import io.sigmatch.decoder.capture.FrameSink;
import io.sigmatch.decoder.capture.LinkType;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Peels a captured frame down to its transport payload: link layer (Ethernet, Linux SLL and SLL2,
 * raw IP, BSD loopback), stacked VLAN tags, PPPoE sessions, IPv4 and IPv6 with extension headers
 * and fragment reassembly, then UDP, whose payload goes to the decoder {@link ProtocolDispatch}
 * names. TCP and SCTP go to a {@link TransportDissector} when one is plugged in, else they are
 * counted.
 *
 * <p>Mirror-feed encapsulations are opened and the inner packet dissected again, so decoders see
 * the innermost transport and {@link PacketInfo} holds the innermost addresses: VXLAN (RFC 7348,
 * UDP port {@link DissectorConfig#vxlanPort()}), GRE (RFC 2784/2890, and PPTP's enhanced GRE,
 * RFC 2637) carrying IPv4, IPv6, Ethernet, 802.1Q, PPP or ERSPAN type I, II and III, and IP-in-IP
 * (protocols 4 and 41). Tunnels nest in any order up to {@link DissectorConfig#maxTunnelDepth()}
 * per frame; each opened tunnel counts {@code dissect.tunnel.<type>.packets}, each refused one
 * {@code dissect.tunnel.<type>.error.<reason>}.
 *
 * <p>One instance per capture thread. A reused {@link PacketInfo} describes each payload; nothing
 * is allocated per packet. Every header length is checked against the bytes captured before use,
 * and every malformed frame increments a {@code dissect.<layer>.error.<reason>} counter and is
 * dropped; no exception leaves {@link #onFrame}.
 *
 * <p>Capture time (never the wall clock) drives the decoders: when it has moved by at least
 * {@link DissectorConfig#timeAdvanceIntervalNs()} since the last call, every registered decoder
 * gets {@code advanceTime}, and fragment reassembly expires old datagrams.
 */
public final class Dissector implements FrameSink {
    private final ProtocolDispatch dispatch;
    private final MessageSink sink;
    private final IpReassembly reassembly;
    private final PacketInfo packet = new PacketInfo();
    private final int maxVlanDepth;
    private final int maxIpv6ExtensionHeaders;
    private final long timeAdvanceIntervalNs;
    private final int sourceBase;
    private final int maxTunnelDepth;
    private final int vxlanPort;
    private TransportDissector tcp;
    private TransportDissector sctp;

    private boolean timeStarted;
    private long nextAdvanceNs;
    private long nowNs;
    private int vlanId;
    private int tunnelDepth;

    private final AtomicCounter frames;
    private final AtomicCounter unknownLinkType;
    private final AtomicCounter internalError;
    private final AtomicCounter decoderException;
    private final AtomicCounter linkTruncated;
    private final AtomicCounter nonIp;
    private final AtomicCounter vlanTagged;
    private final AtomicCounter vlanTooDeep;
    private final AtomicCounter vlanTruncated;
    private final AtomicCounter ipBadVersion;
    private final AtomicCounter ipOtherProtocol;
    private final AtomicCounter ipv4Packets;
    private final AtomicCounter ipv4Truncated;
    private final AtomicCounter ipv4BadHeaderLength;
    private final AtomicCounter ipv4BadTotalLength;
    private final AtomicCounter ipv4ZeroTotalLength;
    private final AtomicCounter ipv6Packets;
    private final AtomicCounter ipv6Truncated;
    private final AtomicCounter ipv6BadPayloadLength;
    private final AtomicCounter ipv6TooManyExtensions;
    private final AtomicCounter ipv6NestedFragment;
    private final AtomicCounter ipv6NoNextHeader;
    private final AtomicCounter udpDatagrams;
    private final AtomicCounter udpTruncated;
    private final AtomicCounter udpBadLength;
    private final AtomicCounter udpUnclaimed;
    private final AtomicCounter udpByPort;
    private final AtomicCounter udpByContent;
    private final AtomicCounter skippedTcp;
    private final AtomicCounter skippedSctp;
    private final AtomicCounter tunnelTooDeep;
    private final AtomicCounter tunnelFragmentInReassembled;
    private final AtomicCounter vxlanPackets;
    private final AtomicCounter vxlanTruncated;
    private final AtomicCounter vxlanBadFlags;
    private final AtomicCounter grePackets;
    private final AtomicCounter greTruncated;
    private final AtomicCounter greBadVersion;
    private final AtomicCounter greRouting;
    private final AtomicCounter greUnsupportedProtocol;
    private final AtomicCounter erspan1Packets;
    private final AtomicCounter erspan2Packets;
    private final AtomicCounter erspan3Packets;
    private final AtomicCounter erspanTruncated;
    private final AtomicCounter erspanBadVersion;
    private final AtomicCounter erspanUnsupportedFrameType;
    private final AtomicCounter ipipPackets;
    private final AtomicCounter pppoePackets;
    private final AtomicCounter pppoeTruncated;
    private final AtomicCounter pppoeBadHeader;
    private final AtomicCounter pppTruncated;
    private final AtomicCounter pppNonIp;

    public Dissector(final Counters counters, final ProtocolDispatch dispatch, final MessageSink sink,
        final DissectorConfig config) {
        config.conclude();
        this.dispatch = dispatch;
        this.sink = sink;
        this.reassembly = new IpReassembly(config, counters);
        this.maxVlanDepth = config.maxVlanDepth();
        this.maxIpv6ExtensionHeaders = config.maxIpv6ExtensionHeaders();
        this.timeAdvanceIntervalNs = Math.max(1, config.timeAdvanceIntervalNs());
        this.sourceBase = config.sourceId() << 16;
        this.maxTunnelDepth = config.maxTunnelDepth();
        this.vxlanPort = config.vxlanPort();
        frames = counters.counter("dissect.frames");
        unknownLinkType = counters.counter("dissect.error.unknown_link_type");
        internalError = counters.counter("dissect.error.internal");
        decoderException = counters.counter("dissect.error.decoder_exception");
        linkTruncated = counters.counter("dissect.link.error.truncated");
        nonIp = counters.counter("dissect.link.non_ip");
        vlanTagged = counters.counter("dissect.vlan.tagged");
        vlanTooDeep = counters.counter("dissect.vlan.error.too_deep");
        vlanTruncated = counters.counter("dissect.vlan.error.truncated");
        ipBadVersion = counters.counter("dissect.ip.error.bad_version");
        ipOtherProtocol = counters.counter("dissect.ip.other_protocol");
        ipv4Packets = counters.counter("dissect.ipv4.packets");
        ipv4Truncated = counters.counter("dissect.ipv4.error.truncated");
        ipv4BadHeaderLength = counters.counter("dissect.ipv4.error.bad_header_length");
        ipv4BadTotalLength = counters.counter("dissect.ipv4.error.bad_total_length");
        ipv4ZeroTotalLength = counters.counter("dissect.ipv4.zero_total_length");
        ipv6Packets = counters.counter("dissect.ipv6.packets");
        ipv6Truncated = counters.counter("dissect.ipv6.error.truncated");
        ipv6BadPayloadLength = counters.counter("dissect.ipv6.error.bad_payload_length");
        ipv6TooManyExtensions = counters.counter("dissect.ipv6.error.too_many_extension_headers");
        ipv6NestedFragment = counters.counter("dissect.ipv6.error.nested_fragment");
        ipv6NoNextHeader = counters.counter("dissect.ipv6.no_next_header");
        udpDatagrams = counters.counter("dissect.udp.datagrams");
        udpTruncated = counters.counter("dissect.udp.error.truncated");
        udpBadLength = counters.counter("dissect.udp.error.bad_length");
        udpUnclaimed = counters.counter("dissect.udp.unclaimed");
        udpByPort = counters.counter("dissect.udp.claimed_by_port");
        udpByContent = counters.counter("dissect.udp.claimed_by_content");
        skippedTcp = counters.counter("dissect.skipped.tcp");
        skippedSctp = counters.counter("dissect.skipped.sctp");
        tunnelTooDeep = counters.counter("dissect.tunnel.error.too_deep");
        tunnelFragmentInReassembled = counters.counter("dissect.tunnel.error.fragment_in_reassembled");
        vxlanPackets = counters.counter("dissect.tunnel.vxlan.packets");
        vxlanTruncated = counters.counter("dissect.tunnel.vxlan.error.truncated");
        vxlanBadFlags = counters.counter("dissect.tunnel.vxlan.error.bad_flags");
        grePackets = counters.counter("dissect.tunnel.gre.packets");
        greTruncated = counters.counter("dissect.tunnel.gre.error.truncated");
        greBadVersion = counters.counter("dissect.tunnel.gre.error.bad_version");
        greRouting = counters.counter("dissect.tunnel.gre.error.routing_present");
        greUnsupportedProtocol = counters.counter("dissect.tunnel.gre.unsupported_protocol");
        erspan1Packets = counters.counter("dissect.tunnel.erspan1.packets");
        erspan2Packets = counters.counter("dissect.tunnel.erspan2.packets");
        erspan3Packets = counters.counter("dissect.tunnel.erspan3.packets");
        erspanTruncated = counters.counter("dissect.tunnel.erspan.error.truncated");
        erspanBadVersion = counters.counter("dissect.tunnel.erspan.error.bad_version");
        erspanUnsupportedFrameType = counters.counter("dissect.tunnel.erspan.error.unsupported_frame_type");
        ipipPackets = counters.counter("dissect.tunnel.ipip.packets");
        pppoePackets = counters.counter("dissect.tunnel.pppoe.packets");
        pppoeTruncated = counters.counter("dissect.tunnel.pppoe.error.truncated");
        pppoeBadHeader = counters.counter("dissect.tunnel.pppoe.error.bad_header");
        pppTruncated = counters.counter("dissect.tunnel.ppp.error.truncated");
        pppNonIp = counters.counter("dissect.tunnel.ppp.non_ip");
    }

    /** Plugs in TCP handling (issue 3); null goes back to counting {@code dissect.skipped.tcp}. */
    public void tcp(final TransportDissector transport) {
        tcp = transport;
    }

    /** Plugs in SCTP handling (issue 3); null goes back to counting {@code dissect.skipped.sctp}. */
    public void sctp(final TransportDissector transport) {
        sctp = transport;
    }

    @Override
    public void onFrame(final Frame frame) {
        frames.increment();
        nowNs = frame.timeNs;
        try {
            if (!timeStarted || nowNs >= nextAdvanceNs) {
                advanceTime(nowNs);
            }
            final PacketInfo p = packet;
            p.reset();
            p.frame = frame.number;
            p.timeNs = nowNs;
            p.sourceId = sourceBase | (frame.interfaceId & 0xFFFF);
            vlanId = 0;
            tunnelDepth = 0;
            link(frame.linkType, frame.buffer, frame.offset, frame.capturedLength);
        } catch (final RuntimeException e) {
            // A bug here must cost one frame, not the capture: counted, and the next frame goes on.
            internalError.increment();
        }
    }

    /** End of input: pending fragments are dropped (counted) and every decoder flushes. */
    public void finish() {
        reassembly.finish();
        final PayloadDecoder[] decoders = dispatch.decoderArray();
        for (int i = 0; i < decoders.length; i++) {
            try {
                decoders[i].flush(sink);
            } catch (final RuntimeException e) {
                decoderException.increment();
            }
        }
        try {
            if (tcp != null) {
                tcp.flush(sink);
            }
            if (sctp != null) {
                sctp.flush(sink);
            }
        } catch (final RuntimeException e) {
            decoderException.increment();
        }
    }

    /** Datagrams waiting for fragments (for tests and the status page). */
    public int pendingFragmentedDatagrams() {
        return reassembly.pending();
    }

    private void advanceTime(final long now) {
        timeStarted = true;
        nextAdvanceNs = now + timeAdvanceIntervalNs;
        reassembly.expire(now);
        final PayloadDecoder[] decoders = dispatch.decoderArray();
        for (int i = 0; i < decoders.length; i++) {
            try {
                decoders[i].advanceTime(now, sink);
            } catch (final RuntimeException e) {
                decoderException.increment();
            }
        }
        try {
            if (tcp != null) {
                tcp.advanceTime(now, sink);
            }
            if (sctp != null) {
                sctp.advanceTime(now, sink);
            }
        } catch (final RuntimeException e) {
            decoderException.increment();
        }
    }

    // ---- link layer ------------------------------------------------------------------------------

    private void link(final int linkType, final ByteBuf b, final int off, final int len) {
        switch (linkType) {
            case LinkType.ETHERNET -> ethernet(b, off, len);
            case LinkType.LINUX_SLL -> linuxCooked(b, off, len, LinuxCookedLayout.SLL_HEADER_LENGTH,
                LinuxCookedLayout.SLL_PROTOCOL_OFFSET, LinuxCookedLayout.SLL_ARPHRD_OFFSET);
            case LinkType.LINUX_SLL2 -> linuxCooked(b, off, len, LinuxCookedLayout.SLL2_HEADER_LENGTH,
                LinuxCookedLayout.SLL2_PROTOCOL_OFFSET, LinuxCookedLayout.SLL2_ARPHRD_OFFSET);
            case LinkType.RAW, LinkType.RAW_DLT12, LinkType.RAW_DLT14 -> rawIp(b, off, len);
            case LinkType.IPV4 -> ipv4(b, off, len);
            case LinkType.IPV6 -> ipv6(b, off, len);
            case LinkType.NULL -> loopback(b, off, len, false);
            case LinkType.LOOP -> loopback(b, off, len, true);
            case LinkType.MTP3 -> mtp3(b, off, len);
            default -> unknownLinkType.increment();
        }
    }

    private void ethernet(final ByteBuf b, final int off, final int len) {
        if (len < EthernetLayout.HEADER_LENGTH) {
            linkTruncated.increment();
            return;
        }
        final int type = b.getUnsignedShort(off + EthernetLayout.ETHERTYPE_OFFSET);
        if (type <= EthernetLayout.MAX_LENGTH_FIELD) {
            nonIp.increment(); // 802.3 length field: LLC/SNAP frame (STP, CDP, ...)
            return;
        }
        etherType(type, b, off + EthernetLayout.HEADER_LENGTH, len - EthernetLayout.HEADER_LENGTH);
    }

    private void linuxCooked(final ByteBuf b, final int off, final int len, final int headerLength,
        final int protocolOffset, final int arphrdOffset) {
        if (len < headerLength) {
            linkTruncated.increment();
            return;
        }
        if (b.getUnsignedShort(off + arphrdOffset) == LinuxCookedLayout.ARPHRD_NETLINK) {
            nonIp.increment();
            return;
        }
        etherType(b.getUnsignedShort(off + protocolOffset), b, off + headerLength, len - headerLength);
    }

    private void etherType(final int firstType, final ByteBuf b, final int offset, final int length) {
        int type = firstType;
        int off = offset;
        int len = length;
        int depth = 0;
        while (type == EthernetLayout.ETHERTYPE_VLAN || type == EthernetLayout.ETHERTYPE_QINQ
            || type == EthernetLayout.ETHERTYPE_QINQ_LEGACY) {
            if (depth == maxVlanDepth) {
                vlanTooDeep.increment();
                return;
            }
            if (len < EthernetLayout.TAG_LENGTH) {
                vlanTruncated.increment();
                return;
            }
            vlanId = b.getUnsignedShort(off + EthernetLayout.TAG_TCI_OFFSET) & EthernetLayout.VLAN_ID_MASK;
            type = b.getUnsignedShort(off + EthernetLayout.TAG_ETHERTYPE_OFFSET);
            off += EthernetLayout.TAG_LENGTH;
            len -= EthernetLayout.TAG_LENGTH;
            depth++;
        }
        if (depth > 0) {
            vlanTagged.increment();
        }
        switch (type) {
            case EthernetLayout.ETHERTYPE_IPV4 -> ipv4(b, off, len);
            case EthernetLayout.ETHERTYPE_IPV6 -> ipv6(b, off, len);
            case PppLayout.ETHERTYPE_PPPOE_SESSION -> pppoe(b, off, len);
            default -> nonIp.increment();
        }
    }

    /** RFC 2516 4: a PPPoE session frame; LENGTH covers the PPP protocol field and payload. */
    private void pppoe(final ByteBuf b, final int off, final int len) {
        if (!enterTunnel()) {
            return;
        }
        if (len < PppLayout.PPPOE_HEADER_LENGTH + 2) {
            pppoeTruncated.increment();
            return;
        }
        if (b.getUnsignedByte(off) != PppLayout.PPPOE_VERSION_TYPE
            || b.getUnsignedByte(off + 1) != PppLayout.PPPOE_CODE_SESSION) {
            pppoeBadHeader.increment();
            return;
        }
        final int length = b.getUnsignedShort(off + PppLayout.PPPOE_LENGTH_OFFSET);
        if (length < 2 || length > len - PppLayout.PPPOE_HEADER_LENGTH) {
            pppoeTruncated.increment(); // Ethernet padding may follow, but never fewer bytes than LENGTH
            return;
        }
        pppoePackets.increment();
        final int protocolOff = off + PppLayout.PPPOE_HEADER_LENGTH;
        pppPayload(b.getUnsignedShort(protocolOff), b, protocolOff + 2, length - 2);
    }

    /** A PPP frame as PPTP's GRE carries it: address and control, and the protocol's high byte, may be compressed. */
    private void ppp(final ByteBuf b, final int offset, final int length) {
        int off = offset;
        int len = length;
        if (len >= 2 && b.getUnsignedByte(off) == PppLayout.ADDRESS_ALL_STATIONS
            && b.getUnsignedByte(off + 1) == PppLayout.CONTROL_UI) {
            off += 2; // RFC 1662 3.1
            len -= 2;
        }
        if (len < 1) {
            pppTruncated.increment();
            return;
        }
        final int first = b.getUnsignedByte(off);
        if ((first & 1) != 0) {
            pppPayload(first, b, off + 1, len - 1); // RFC 1661 6.5: protocol field compressed to one byte
            return;
        }
        if (len < 2) {
            pppTruncated.increment();
            return;
        }
        pppPayload(b.getUnsignedShort(off), b, off + 2, len - 2);
    }

    private void pppPayload(final int protocol, final ByteBuf b, final int off, final int len) {
        switch (protocol) {
            case PppLayout.PROTOCOL_IPV4 -> ipv4(b, off, len);
            case PppLayout.PROTOCOL_IPV6 -> ipv6(b, off, len);
            default -> pppNonIp.increment(); // LCP, IPCP, CHAP, compressed data: not signaling
        }
    }

    /** An MTP3 capture: the frame is one MSU, with no IP or transport below it. */
    private void mtp3(final ByteBuf b, final int off, final int len) {
        final PayloadDecoder decoder = dispatch.mtp3Decoder();
        if (decoder == null) {
            unknownLinkType.increment();
            return;
        }
        try {
            decoder.decode(packet, b, off, len, sink);
        } catch (final RuntimeException e) {
            decoderException.increment();
        }
    }

    private void rawIp(final ByteBuf b, final int off, final int len) {
        if (len < 1) {
            linkTruncated.increment();
            return;
        }
        switch (b.getUnsignedByte(off) >>> 4) {
            case 4 -> ipv4(b, off, len);
            case 6 -> ipv6(b, off, len);
            default -> ipBadVersion.increment();
        }
    }

    private void loopback(final ByteBuf b, final int off, final int len, final boolean bigEndian) {
        if (len < LoopbackLayout.HEADER_LENGTH) {
            linkTruncated.increment();
            return;
        }
        int family = b.getInt(off);
        // NULL stores the family in the capturing host's byte order: a value with only high bits
        // set was written little-endian (families are small numbers).
        if (!bigEndian && (family & 0xFFFF0000) != 0) {
            family = Integer.reverseBytes(family);
        }
        final int ipOff = off + LoopbackLayout.HEADER_LENGTH;
        final int ipLen = len - LoopbackLayout.HEADER_LENGTH;
        switch (family) {
            case LoopbackLayout.AF_INET -> ipv4(b, ipOff, ipLen);
            case LoopbackLayout.AF_INET6_LINUX, LoopbackLayout.AF_INET6_WINDOWS, LoopbackLayout.AF_INET6_BSD,
                LoopbackLayout.AF_INET6_FREEBSD, LoopbackLayout.AF_INET6_DARWIN -> ipv6(b, ipOff, ipLen);
            default -> nonIp.increment();
        }
    }

    // ---- IP --------------------------------------------------------------------------------------

    private void ipv4(final ByteBuf b, final int off, final int len) {
        if (len < Ipv4Layout.MIN_HEADER_LENGTH) {
            ipv4Truncated.increment();
            return;
        }
        final int versionIhl = b.getUnsignedByte(off + Ipv4Layout.VERSION_IHL_OFFSET);
        if (versionIhl >>> 4 != 4) {
            ipBadVersion.increment();
            return;
        }
        final int headerLength = (versionIhl & 0x0F) << 2;
        if (headerLength < Ipv4Layout.MIN_HEADER_LENGTH) {
            ipv4BadHeaderLength.increment();
            return;
        }
        int totalLength = b.getUnsignedShort(off + Ipv4Layout.TOTAL_LENGTH_OFFSET);
        if (totalLength == 0 && len >= headerLength) {
            // Captured on a host with segmentation offload: the NIC fills the length in later, so
            // the capture shows 0. Like Wireshark (ip.tso_support), take the captured bytes.
            ipv4ZeroTotalLength.increment();
            totalLength = Math.min(len, 0xFFFF);
        }
        if (totalLength < headerLength) {
            ipv4BadTotalLength.increment();
            return;
        }
        if (totalLength > len) {
            ipv4Truncated.increment(); // header or payload cut by the snap length, or a lying length
            return;
        }
        ipv4Packets.increment();
        final PacketInfo p = packet;
        p.ipVersion = 4;
        p.srcHi = 0;
        p.srcLo = b.getUnsignedInt(off + Ipv4Layout.SOURCE_OFFSET);
        p.dstHi = 0;
        p.dstLo = b.getUnsignedInt(off + Ipv4Layout.DESTINATION_OFFSET);
        final int protocol = b.getUnsignedByte(off + Ipv4Layout.PROTOCOL_OFFSET);
        final int flagsOffset = b.getUnsignedShort(off + Ipv4Layout.FLAGS_FRAGMENT_OFFSET);
        final boolean more = (flagsOffset & Ipv4Layout.MORE_FRAGMENTS) != 0;
        final int fragmentOffset = (flagsOffset & Ipv4Layout.FRAGMENT_OFFSET_MASK) << 3;
        final int payloadOff = off + headerLength;
        final int payloadLen = totalLength - headerLength;
        if (!more && fragmentOffset == 0) {
            transport(protocol, b, payloadOff, payloadLen);
            return;
        }
        if (b == reassembly.assembly()) {
            // A fragment inside a datagram that was itself reassembled: the reassembly buffer is
            // both the source and the destination of the copy. Real feeds do not do this.
            tunnelFragmentInReassembled.increment();
            return;
        }
        // RFC 791: fragments of one datagram share source, destination, protocol and identification;
        // the VLAN is added so equal private addresses on two VLANs never mix.
        final long id = b.getUnsignedShort(off + Ipv4Layout.IDENTIFICATION_OFFSET)
            | (long) protocol << 16 | (long) vlanId << 24;
        final int length = reassembly.offer(4, 0, p.srcLo, 0, p.dstLo, id, protocol, fragmentOffset, more,
            b, payloadOff, payloadLen, nowNs);
        if (length >= 0) {
            transport(protocol, reassembly.assembly(), 0, length);
        }
    }

    private void ipv6(final ByteBuf b, final int off, final int len) {
        if (len < Ipv6Layout.HEADER_LENGTH) {
            ipv6Truncated.increment();
            return;
        }
        if (b.getUnsignedByte(off) >>> 4 != 6) {
            ipBadVersion.increment();
            return;
        }
        final int payloadLength = b.getUnsignedShort(off + Ipv6Layout.PAYLOAD_LENGTH_OFFSET);
        if (payloadLength == 0) {
            ipv6BadPayloadLength.increment(); // a jumbogram (RFC 2675) or an offloaded capture: not signaling
            return;
        }
        if (Ipv6Layout.HEADER_LENGTH + payloadLength > len) {
            ipv6Truncated.increment();
            return;
        }
        ipv6Packets.increment();
        final PacketInfo p = packet;
        p.ipVersion = 6;
        p.srcHi = b.getLong(off + Ipv6Layout.SOURCE_OFFSET);
        p.srcLo = b.getLong(off + Ipv6Layout.SOURCE_OFFSET + 8);
        p.dstHi = b.getLong(off + Ipv6Layout.DESTINATION_OFFSET);
        p.dstLo = b.getLong(off + Ipv6Layout.DESTINATION_OFFSET + 8);
        ipv6Headers(b.getUnsignedByte(off + Ipv6Layout.NEXT_HEADER_OFFSET), b, off + Ipv6Layout.HEADER_LENGTH,
            payloadLength, false);
    }

    /** Walks the extension-header chain (bounded) to the upper-layer header. */
    private void ipv6Headers(final int firstHeader, final ByteBuf b, final int offset, final int length,
        final boolean reassembled) {
        int next = firstHeader;
        int off = offset;
        int len = length;
        int count = 0;
        while (true) {
            switch (next) {
                case Ipv6Layout.HOP_BY_HOP, Ipv6Layout.ROUTING, Ipv6Layout.DESTINATION_OPTIONS,
                    Ipv6Layout.AUTHENTICATION -> {
                    if (++count > maxIpv6ExtensionHeaders) {
                        ipv6TooManyExtensions.increment();
                        return;
                    }
                    if (len < Ipv6Layout.EXTENSION_MIN_LENGTH) {
                        ipv6Truncated.increment();
                        return;
                    }
                    final int lengthField = b.getUnsignedByte(off + 1);
                    final int headerLength = next == Ipv6Layout.AUTHENTICATION
                        ? (lengthField + 2) << 2 // RFC 4302 2.2: 32-bit words minus 2
                        : (lengthField + 1) << 3; // RFC 8200 4.3: 8-octet units not counting the first
                    if (headerLength > len) {
                        ipv6Truncated.increment();
                        return;
                    }
                    next = b.getUnsignedByte(off);
                    off += headerLength;
                    len -= headerLength;
                }
                case Ipv6Layout.FRAGMENT -> {
                    if (++count > maxIpv6ExtensionHeaders) {
                        ipv6TooManyExtensions.increment();
                        return;
                    }
                    if (reassembled) {
                        ipv6NestedFragment.increment();
                        return;
                    }
                    if (len < Ipv6Layout.FRAGMENT_HEADER_LENGTH) {
                        ipv6Truncated.increment();
                        return;
                    }
                    final int fragmentNext = b.getUnsignedByte(off);
                    final int field = b.getUnsignedShort(off + Ipv6Layout.FRAGMENT_OFFSET_FIELD);
                    final int fragmentOffset = field & Ipv6Layout.FRAGMENT_OFFSET_MASK;
                    final boolean more = (field & Ipv6Layout.MORE_FRAGMENTS) != 0;
                    final long id = b.getUnsignedInt(off + Ipv6Layout.FRAGMENT_ID_OFFSET) | (long) vlanId << 32;
                    off += Ipv6Layout.FRAGMENT_HEADER_LENGTH;
                    len -= Ipv6Layout.FRAGMENT_HEADER_LENGTH;
                    if (fragmentOffset == 0 && !more) {
                        next = fragmentNext; // RFC 6946 atomic fragment: a whole datagram
                        continue;
                    }
                    if (b == reassembly.assembly()) {
                        tunnelFragmentInReassembled.increment(); // as for IPv4 above
                        return;
                    }
                    final PacketInfo p = packet;
                    final int n = reassembly.offer(6, p.srcHi, p.srcLo, p.dstHi, p.dstLo, id, fragmentNext,
                        fragmentOffset, more, b, off, len, nowNs);
                    if (n >= 0) {
                        ipv6Headers(reassembly.completedProtocol(), reassembly.assembly(), 0, n, true);
                    }
                    return;
                }
                case Ipv6Layout.NO_NEXT_HEADER -> {
                    ipv6NoNextHeader.increment();
                    return;
                }
                default -> {
                    transport(next, b, off, len);
                    return;
                }
            }
        }
    }

    // ---- transport -------------------------------------------------------------------------------

    private void transport(final int protocol, final ByteBuf b, final int off, final int len) {
        switch (protocol) {
            case UdpLayout.PROTOCOL_UDP -> udp(b, off, len);
            case UdpLayout.PROTOCOL_TCP -> {
                if (tcp == null) {
                    skippedTcp.increment();
                } else {
                    packet.transport = PacketInfo.TRANSPORT_TCP;
                    tcp.onSegment(packet, b, off, len, sink);
                }
            }
            case UdpLayout.PROTOCOL_SCTP -> {
                if (sctp == null) {
                    skippedSctp.increment();
                } else {
                    packet.transport = PacketInfo.TRANSPORT_SCTP;
                    sctp.onSegment(packet, b, off, len, sink);
                }
            }
            case GreLayout.PROTOCOL_GRE -> gre(b, off, len);
            case PROTOCOL_IPIP -> {
                if (enterTunnel()) {
                    ipipPackets.increment();
                    ipv4(b, off, len);
                }
            }
            case PROTOCOL_IPV6_IN_IP -> {
                if (enterTunnel()) {
                    ipipPackets.increment();
                    ipv6(b, off, len);
                }
            }
            default -> ipOtherProtocol.increment();
        }
    }

    // ---- tunnels ---------------------------------------------------------------------------------

    /** RFC 2003 IP-in-IP and RFC 2473 IPv6-in-IP protocol numbers. */
    private static final int PROTOCOL_IPIP = 4;
    private static final int PROTOCOL_IPV6_IN_IP = 41;

    /** Counts one more tunnel in this frame; false (counted) once the depth limit is reached. */
    private boolean enterTunnel() {
        if (tunnelDepth == maxTunnelDepth) {
            tunnelTooDeep.increment();
            return false;
        }
        tunnelDepth++;
        return true;
    }

    private void gre(final ByteBuf b, final int off, final int len) {
        if (!enterTunnel()) {
            return;
        }
        if (len < GreLayout.BASE_LENGTH) {
            greTruncated.increment();
            return;
        }
        final int flags = b.getUnsignedShort(off + GreLayout.FLAGS_OFFSET);
        final int protocolType = b.getUnsignedShort(off + GreLayout.PROTOCOL_TYPE_OFFSET);
        final int version = flags & GreLayout.VERSION_MASK;
        int headerLength = GreLayout.BASE_LENGTH;
        if (version == 0) {
            if ((flags & GreLayout.FLAG_ROUTING) != 0) {
                greRouting.increment(); // RFC 2784 2.1: routing present is not GRE as RFC 2784 knows it
                return;
            }
            if ((flags & GreLayout.FLAG_CHECKSUM) != 0) {
                headerLength += GreLayout.OPTIONAL_FIELD_LENGTH; // checksum + reserved1
            }
        } else if (version == 1) {
            // RFC 2637 4.1: C and R are 0, K is 1 (payload length and call id), protocol is PPP.
            if ((flags & (GreLayout.FLAG_CHECKSUM | GreLayout.FLAG_ROUTING)) != 0
                || (flags & GreLayout.FLAG_KEY) == 0 || protocolType != GreLayout.TYPE_PPP) {
                greBadVersion.increment();
                return;
            }
            if ((flags & GreLayout.FLAG_ACK) != 0) {
                headerLength += GreLayout.OPTIONAL_FIELD_LENGTH;
            }
        } else {
            greBadVersion.increment();
            return;
        }
        if ((flags & GreLayout.FLAG_KEY) != 0) {
            headerLength += GreLayout.OPTIONAL_FIELD_LENGTH;
        }
        final boolean sequence = (flags & GreLayout.FLAG_SEQUENCE) != 0;
        if (sequence) {
            headerLength += GreLayout.OPTIONAL_FIELD_LENGTH;
        }
        if (len < headerLength) {
            greTruncated.increment();
            return;
        }
        grePackets.increment();
        final int inner = off + headerLength;
        final int innerLen = len - headerLength;
        switch (protocolType) {
            case GreLayout.TYPE_IPV4 -> ipv4(b, inner, innerLen);
            case GreLayout.TYPE_IPV6 -> ipv6(b, inner, innerLen);
            case GreLayout.TYPE_TRANSPARENT_ETHERNET -> ethernet(b, inner, innerLen);
            case GreLayout.TYPE_VLAN -> etherType(EthernetLayout.ETHERTYPE_VLAN, b, inner, innerLen);
            case GreLayout.TYPE_PPP -> ppp(b, inner, innerLen);
            case GreLayout.TYPE_ERSPAN_II -> {
                if (!enterTunnel()) {
                    return;
                }
                if (!sequence) {
                    erspan1Packets.increment(); // type I: no ERSPAN header, the mirrored frame follows
                    ethernet(b, inner, innerLen);
                } else {
                    erspanTypeII(b, inner, innerLen);
                }
            }
            case GreLayout.TYPE_ERSPAN_III -> {
                if (enterTunnel()) {
                    erspanTypeIII(b, inner, innerLen);
                }
            }
            default -> greUnsupportedProtocol.increment();
        }
    }

    private void erspanTypeII(final ByteBuf b, final int off, final int len) {
        if (len < ErspanLayout.TYPE_II_LENGTH) {
            erspanTruncated.increment();
            return;
        }
        if (b.getUnsignedByte(off) >>> 4 != ErspanLayout.VERSION_TYPE_II) {
            erspanBadVersion.increment();
            return;
        }
        erspan2Packets.increment();
        ethernet(b, off + ErspanLayout.TYPE_II_LENGTH, len - ErspanLayout.TYPE_II_LENGTH);
    }

    private void erspanTypeIII(final ByteBuf b, final int off, final int len) {
        if (len < ErspanLayout.TYPE_III_LENGTH) {
            erspanTruncated.increment();
            return;
        }
        if (b.getUnsignedByte(off) >>> 4 != ErspanLayout.VERSION_TYPE_III) {
            erspanBadVersion.increment();
            return;
        }
        final int word = b.getUnsignedShort(off + ErspanLayout.TYPE_III_FLAGS_OFFSET);
        int headerLength = ErspanLayout.TYPE_III_LENGTH;
        if ((word & ErspanLayout.TYPE_III_OPTIONAL_BIT) != 0) {
            headerLength += ErspanLayout.PLATFORM_SUBHEADER_LENGTH;
            if (len < headerLength) {
                erspanTruncated.increment();
                return;
            }
        }
        final int frameType = word >>> ErspanLayout.TYPE_III_FRAME_TYPE_SHIFT & ErspanLayout.TYPE_III_FRAME_TYPE_MASK;
        switch (frameType) {
            case ErspanLayout.FRAME_TYPE_ETHERNET -> {
                erspan3Packets.increment();
                ethernet(b, off + headerLength, len - headerLength);
            }
            case ErspanLayout.FRAME_TYPE_IP -> {
                erspan3Packets.increment();
                rawIp(b, off + headerLength, len - headerLength);
            }
            default -> erspanUnsupportedFrameType.increment();
        }
    }

    /** RFC 7348 5: the 8-byte VXLAN header, then an inner Ethernet frame dissected like the outer one. */
    private void vxlan(final ByteBuf b, final int off, final int len) {
        if (!enterTunnel()) {
            return;
        }
        if (len < VxlanLayout.HEADER_LENGTH) {
            vxlanTruncated.increment();
            return;
        }
        if ((b.getUnsignedByte(off + VxlanLayout.FLAGS_OFFSET) & VxlanLayout.FLAG_VNI_VALID) == 0) {
            vxlanBadFlags.increment();
            return;
        }
        vxlanPackets.increment();
        ethernet(b, off + VxlanLayout.HEADER_LENGTH, len - VxlanLayout.HEADER_LENGTH);
    }

    private void udp(final ByteBuf b, final int off, final int len) {
        if (len < UdpLayout.HEADER_LENGTH) {
            udpTruncated.increment();
            return;
        }
        final int udpLength = b.getUnsignedShort(off + UdpLayout.LENGTH_OFFSET);
        if (udpLength < UdpLayout.HEADER_LENGTH) {
            udpBadLength.increment();
            return;
        }
        if (udpLength > len) {
            udpTruncated.increment();
            return;
        }
        udpDatagrams.increment();
        final PacketInfo p = packet;
        p.transport = PacketInfo.TRANSPORT_UDP;
        p.srcPort = b.getUnsignedShort(off + UdpLayout.SOURCE_PORT_OFFSET);
        p.dstPort = b.getUnsignedShort(off + UdpLayout.DESTINATION_PORT_OFFSET);
        final int payloadOff = off + UdpLayout.HEADER_LENGTH;
        final int payloadLen = udpLength - UdpLayout.HEADER_LENGTH;
        if (vxlanPort != 0 && (p.dstPort == vxlanPort || p.srcPort == vxlanPort)) {
            vxlan(b, payloadOff, payloadLen);
            return;
        }
        PayloadDecoder decoder = dispatch.udpDecoder(p.srcPort, p.dstPort);
        if (decoder != null) {
            udpByPort.increment();
        } else {
            try {
                decoder = dispatch.sniff(p, b, payloadOff, payloadLen);
            } catch (final RuntimeException e) {
                decoderException.increment();
                return;
            }
            if (decoder == null) {
                udpUnclaimed.increment();
                return;
            }
            udpByContent.increment();
        }
        try {
            decoder.decode(p, b, payloadOff, payloadLen, sink);
        } catch (final RuntimeException e) {
            // Decoders must not throw; if one does, that payload is lost and counted, nothing more.
            decoderException.increment();
        }
    }
}
