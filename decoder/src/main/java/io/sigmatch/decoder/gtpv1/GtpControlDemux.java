package io.sigmatch.decoder.gtpv1;

import io.netty.buffer.ByteBuf;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.PayloadDecoder;
import io.sigmatch.decoder.gtpv2.Gtpv2Decoder;

/**
 * UDP port 2123 carries GTPv1-C (TS 29.060) and GTPv2-C (TS 29.274) alike; both headers start
 * with a three-bit version (TS 29.060 6, TS 29.274 5.1), so the first octet says which decoder a
 * datagram is for. Version 1 goes to {@link Gtpv1Decoder}; everything else, empty datagrams
 * included, to {@link Gtpv2Decoder}, which counts what is not GTPv2 under its own reasons (so the
 * GTPv2 counters mean what they meant before GTPv1 was decoded). Capture time and the end-of-input
 * flush reach both decoders.
 */
public final class GtpControlDemux implements PayloadDecoder {
    private static final int VERSION_SHIFT = 5;
    private static final int GTPV1 = 1;

    private final Gtpv1Decoder gtpv1;
    private final Gtpv2Decoder gtpv2;

    public GtpControlDemux(final Gtpv1Decoder gtpv1, final Gtpv2Decoder gtpv2) {
        this.gtpv1 = gtpv1;
        this.gtpv2 = gtpv2;
    }

    public Gtpv1Decoder gtpv1() {
        return gtpv1;
    }

    public Gtpv2Decoder gtpv2() {
        return gtpv2;
    }

    @Override
    public void decode(final PacketInfo packet, final ByteBuf buffer, final int offset, final int length,
        final MessageSink sink) {
        if (length > 0 && buffer.getUnsignedByte(offset) >>> VERSION_SHIFT == GTPV1) {
            gtpv1.decode(packet, buffer, offset, length, sink);
        } else {
            gtpv2.decode(packet, buffer, offset, length, sink);
        }
    }

    @Override
    public void advanceTime(final long nowNs, final MessageSink sink) {
        gtpv1.advanceTime(nowNs, sink);
        gtpv2.advanceTime(nowNs, sink);
    }

    @Override
    public void flush(final MessageSink sink) {
        gtpv1.flush(sink);
        gtpv2.flush(sink);
    }
}
