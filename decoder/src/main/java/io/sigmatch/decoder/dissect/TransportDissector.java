package io.sigmatch.decoder.dissect;

import io.netty.buffer.ByteBuf;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;

/**
 * The seam where a stream or message transport plugs into the {@link Dissector}: TCP stream
 * reassembly and SCTP chunk handling (issue 3) receive each IP payload of their protocol, with
 * {@code packet} already holding frame, time and addresses, and feed whole messages to the
 * {@link ProtocolDispatch} decoders themselves. Without one, the Dissector counts the payload as
 * {@code dissect.skipped.tcp} / {@code dissect.skipped.sctp}.
 */
public interface TransportDissector {
    /** One IP payload: the transport header starts at {@code offset}. */
    void onSegment(PacketInfo packet, ByteBuf buffer, int offset, int length, MessageSink sink);

    /** Capture time moved (same cadence as {@link io.sigmatch.decoder.PayloadDecoder#advanceTime}). */
    default void advanceTime(long nowNs, MessageSink sink) {
    }

    /** End of input: deliver or drop whatever is still buffered. */
    default void flush(MessageSink sink) {
    }
}
