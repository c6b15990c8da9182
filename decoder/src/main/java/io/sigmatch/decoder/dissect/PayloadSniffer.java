package io.sigmatch.decoder.dissect;

import io.netty.buffer.ByteBuf;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.PayloadDecoder;

/**
 * Recognises a protocol by content when the ports say nothing (a lab on non-standard ports): looks
 * at a transport payload and names the decoder that should take it, or returns null. A sniffer
 * reads only within {@code [offset, offset + length)}, allocates nothing and never throws; it is
 * asked only for payloads no port claimed, in registration order.
 */
@FunctionalInterface
public interface PayloadSniffer {
    PayloadDecoder claim(PacketInfo packet, ByteBuf buffer, int offset, int length);
}
