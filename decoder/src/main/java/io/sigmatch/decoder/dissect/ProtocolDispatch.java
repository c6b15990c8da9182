package io.sigmatch.decoder.dissect;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.PayloadDecoder;

/**
 * Which {@link PayloadDecoder} gets a transport payload: by UDP port (well-known or configured; the
 * destination port is tried first, then the source port, so a request and its answer reach the same
 * decoder), then by content through the sniffers in registration order.
 *
 * <p>Set up once before dissection starts, then read by the one dissecting thread; lookups are an
 * array index and allocate nothing.
 */
public final class ProtocolDispatch {
    private static final int PORTS = 65_536;

    private final PayloadDecoder[] udpByPort = new PayloadDecoder[PORTS];
    private PayloadSniffer[] sniffers = new PayloadSniffer[0];
    private PayloadDecoder[] decoders = new PayloadDecoder[0];

    /** Routes UDP payloads whose source or destination port is {@code port}; null removes the route. */
    public void udpPort(final int port, final PayloadDecoder decoder) {
        if (port < 0 || port >= PORTS) {
            throw new IllegalArgumentException("UDP port out of range: " + port);
        }
        udpByPort[port] = decoder;
        if (decoder != null) {
            register(decoder);
        }
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
