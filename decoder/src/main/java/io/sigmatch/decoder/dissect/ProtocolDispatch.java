package io.sigmatch.decoder.dissect;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.PayloadDecoder;
import io.sigmatch.decoder.StreamDecoder;

/**
 * Which {@link PayloadDecoder} gets a transport payload: by UDP port (well-known or configured; the
 * destination port is tried first, then the source port, so a request and its answer reach the same
 * decoder), then by content through the sniffers in registration order. TCP streams go to a
 * {@link StreamDecoder} by port the same way; SCTP user messages by payload protocol identifier
 * first (RFC 4960 3.3.1; the PPID names the protocol even on a lab's odd port), then by port.
 *
 * <p>Set up once before dissection starts, then read by the one dissecting thread; lookups are an
 * array index and allocate nothing.
 */
public final class ProtocolDispatch {
    private static final int PORTS = 65_536;

    /** PPIDs that name signaling protocols are small (IANA: Diameter 46/47, M3UA 3, S1AP 18, NGAP 60). */
    private static final int PPIDS = 256;

    private final PayloadDecoder[] udpByPort = new PayloadDecoder[PORTS];
    private final StreamDecoder[] tcpByPort = new StreamDecoder[PORTS];
    private final PayloadDecoder[] sctpByPort = new PayloadDecoder[PORTS];
    private final PayloadDecoder[] sctpByPpid = new PayloadDecoder[PPIDS];
    private PayloadDecoder mtp3;
    private PayloadSniffer[] sniffers = new PayloadSniffer[0];
    /** Server ports learned from a TCP stream's content, at most this many (a bound against garbage). */
    public static final int MAX_LEARNED_TCP_PORTS = 64;
    private PayloadSniffer[] tcpSniffers = new PayloadSniffer[0];
    private int learnedTcpPorts;
    private PayloadDecoder[] decoders = new PayloadDecoder[0];

    /** Routes UDP payloads whose source or destination port is {@code port}; null removes the route. */
    public void udpPort(final int port, final PayloadDecoder decoder) {
        checkPort(port);
        udpByPort[port] = decoder;
        if (decoder != null) {
            register(decoder);
        }
    }

    /** Routes TCP streams whose source or destination port is {@code port}; null removes the route. */
    public void tcpPort(final int port, final StreamDecoder decoder) {
        checkPort(port);
        tcpByPort[port] = decoder;
        if (decoder != null) {
            register(decoder);
        }
    }

    /** Routes SCTP user messages on {@code port} whose PPID no decoder claimed; null removes the route. */
    public void sctpPort(final int port, final PayloadDecoder decoder) {
        checkPort(port);
        sctpByPort[port] = decoder;
        if (decoder != null) {
            register(decoder);
        }
    }

    /** Routes SCTP user messages by payload protocol identifier; null removes the route. */
    public void sctpPpid(final int ppid, final PayloadDecoder decoder) {
        if (ppid < 0 || ppid >= PPIDS) {
            throw new IllegalArgumentException("SCTP PPID out of range 0.." + (PPIDS - 1) + ": " + ppid);
        }
        sctpByPpid[ppid] = decoder;
        if (decoder != null) {
            register(decoder);
        }
    }

    /** Routes the frames of an MTP3 capture (link type 141: one MSU per frame); null removes the route. */
    public void mtp3(final PayloadDecoder decoder) {
        mtp3 = decoder;
    }

    /** The decoder of MTP3 MSUs, or null. */
    public PayloadDecoder mtp3Decoder() {
        return mtp3;
    }

    /** Adds a content-based recogniser, asked for payloads no port claimed. */
    public void contentSniffer(final PayloadSniffer sniffer) {
        if (sniffer == null) {
            throw new IllegalArgumentException("sniffer is null");
        }
        sniffers = Arrays.copyOf(sniffers, sniffers.length + 1);
        sniffers[sniffers.length - 1] = sniffer;
    }

    /**
     * Adds a recogniser for the first payload of a TCP flow on a port no decoder is routed to (an
     * HTTP/2 connection preface). It must name a {@link StreamDecoder}.
     */
    public void tcpContentSniffer(final PayloadSniffer sniffer) {
        if (sniffer == null) {
            throw new IllegalArgumentException("sniffer is null");
        }
        tcpSniffers = Arrays.copyOf(tcpSniffers, tcpSniffers.length + 1);
        tcpSniffers[tcpSniffers.length - 1] = sniffer;
    }

    /**
     * Asks the TCP sniffers about a payload on unrouted ports. A claim routes the payload's
     * destination port (the server's: the bytes that open a stream go client to server) to the
     * decoder from then on, so the rest of the flow, its answers and later connections follow —
     * the one change to the routes after set-up, made by the dissecting thread that reads them.
     */
    public StreamDecoder sniffTcp(final PacketInfo packet, final ByteBuf buffer, final int offset, final int length) {
        final PayloadSniffer[] s = tcpSniffers;
        for (int i = 0; i < s.length; i++) {
            final PayloadDecoder claimed = s[i].claim(packet, buffer, offset, length);
            if (claimed instanceof StreamDecoder && learnedTcpPorts < MAX_LEARNED_TCP_PORTS) {
                learnedTcpPorts++;
                tcpPort(packet.dstPort, (StreamDecoder) claimed);
                return (StreamDecoder) claimed;
            }
        }
        return null;
    }

    /**
     * Makes a decoder known so that it gets capture time and the end-of-input flush even if it is
     * reachable only through a sniffer. Registering twice is harmless.
     */
    public void register(final PayloadDecoder decoder) {
        for (final PayloadDecoder d : decoders) {
            if (d == decoder) {
                return;
            }
        }
        decoders = Arrays.copyOf(decoders, decoders.length + 1);
        decoders[decoders.length - 1] = decoder;
    }

    /** Every decoder routed to by port, registered, or handed out by a sniffer so far. */
    public Iterable<PayloadDecoder> decoders() {
        return Collections.unmodifiableList(List.of(decoders));
    }

    /** The decoder for a UDP payload by port, destination first; null when neither port is routed. */
    public PayloadDecoder udpDecoder(final int srcPort, final int dstPort) {
        final PayloadDecoder byDst = udpByPort[dstPort & 0xFFFF];
        return byDst != null ? byDst : udpByPort[srcPort & 0xFFFF];
    }

    /** The stream decoder for a TCP flow by port, destination first; null when neither port is routed. */
    public StreamDecoder tcpDecoder(final int srcPort, final int dstPort) {
        final StreamDecoder byDst = tcpByPort[dstPort & 0xFFFF];
        return byDst != null ? byDst : tcpByPort[srcPort & 0xFFFF];
    }

    /**
     * The decoder for an SCTP user message: by PPID ({@code ppid} is the chunk's unsigned 32-bit
     * value), else by port, destination first; null when nothing claims it.
     */
    public PayloadDecoder sctpDecoder(final long ppid, final int srcPort, final int dstPort) {
        if (ppid >= 0 && ppid < PPIDS) {
            final PayloadDecoder byPpid = sctpByPpid[(int) ppid];
            if (byPpid != null) {
                return byPpid;
            }
        }
        final PayloadDecoder byDst = sctpByPort[dstPort & 0xFFFF];
        return byDst != null ? byDst : sctpByPort[srcPort & 0xFFFF];
    }

    /** Asks the sniffers in order; the first decoder named wins. Null when none claims the payload. */
    public PayloadDecoder sniff(final PacketInfo packet, final ByteBuf buffer, final int offset, final int length) {
        final PayloadSniffer[] s = sniffers;
        for (int i = 0; i < s.length; i++) {
            final PayloadDecoder claimed = s[i].claim(packet, buffer, offset, length);
            if (claimed != null) {
                if (!isRegistered(claimed)) {
                    register(claimed); // once per decoder, so it gets advanceTime and flush too
                }
                return claimed;
            }
        }
        return null;
    }

    /** The decoders as an array the dissecting thread iterates without an iterator. */
    PayloadDecoder[] decoderArray() {
        return decoders;
    }

    private static void checkPort(final int port) {
        if (port < 0 || port >= PORTS) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    private boolean isRegistered(final PayloadDecoder decoder) {
        final PayloadDecoder[] d = decoders;
        for (int i = 0; i < d.length; i++) {
            if (d[i] == decoder) {
                return true;
            }
        }
        return false;
    }
}
