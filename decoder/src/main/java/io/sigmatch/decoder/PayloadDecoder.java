package io.sigmatch.decoder;

import io.netty.buffer.ByteBuf;

/**
 * A protocol decoder at the top of the dissection: it takes one transport payload — a UDP
 * datagram, a reassembled SCTP user message, or one framed message of a TCP stream — decodes
 * every signaling message in it into a reused {@link SignalingMessage} and hands each to the sink.
 *
 * <p>Malformed input is normal input: a decoder counts the reason and returns; it never throws
 * and never reads outside {@code [offset, offset + length)}.
 */
public interface PayloadDecoder {
    void decode(PacketInfo packet, ByteBuf buffer, int offset, int length, MessageSink sink);

    /**
     * Advances the decoder's clock to capture time {@code nowNs}: pending requests older than the
     * answer timeout are completed with outcome unknown, idle correlation entries are evicted.
     * Called by the dissector as capture time moves; time never comes from the wall clock, so a
     * replay at any speed yields the same output.
     */
    default void advanceTime(long nowNs, MessageSink sink) {
    }

    /** Completes every pending request (end of a capture file). */
    default void flush(MessageSink sink) {
    }
}
