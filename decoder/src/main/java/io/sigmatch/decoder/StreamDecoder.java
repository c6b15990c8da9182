package io.sigmatch.decoder;

import io.netty.buffer.ByteBuf;

/**
 * A protocol decoder that can also run over a byte stream (Diameter, SIP and HTTP/2 over TCP).
 * The TCP reassembler owns the stream buffer; it asks the protocol where messages end and hands
 * each complete message to {@link #decode}. After lost bytes, or when a flow is first seen in
 * mid-stream, it asks for the next place a message could start ({@link #findMessageStart}) and
 * counts what it skipped.
 */
public interface StreamDecoder extends PayloadDecoder {
    /** Length of a message needs more bytes than are available yet. */
    int NEED_MORE = 0;
    /** The bytes at offset cannot start a message: resynchronise. */
    int NOT_A_MESSAGE = -1;

    /**
     * Length of the complete message starting at {@code offset}, {@link #NEED_MORE} when the bytes
     * available do not yet tell or hold it, {@link #NOT_A_MESSAGE} when they cannot start one.
     * A length beyond the protocol's maximum message size is {@link #NOT_A_MESSAGE}.
     */
    int messageLength(ByteBuf buffer, int offset, int available);

    /**
     * Offset (relative to {@code offset}) of the first position in the available bytes where a
     * message may start, or -1 when there is none (the reassembler then keeps only a short tail
     * in case a start straddles the next segment).
     */
    int findMessageStart(ByteBuf buffer, int offset, int available);
}
