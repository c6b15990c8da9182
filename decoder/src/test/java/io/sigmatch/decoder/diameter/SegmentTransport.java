package io.sigmatch.decoder.diameter;

import io.netty.buffer.ByteBuf;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.PayloadDecoder;
import io.sigmatch.decoder.StreamDecoder;
import io.sigmatch.decoder.dissect.ProtocolDispatch;
import io.sigmatch.decoder.dissect.TransportDissector;

/**
 * A stand-in for the TCP/SCTP transport of issue 3 until that branch is merged: TCP segments are
 * framed one by one with the {@link StreamDecoder} (no reassembly across segments — tshark shows no
 * Diameter message split over segments in any capture this test reads, and a split one would
 * surface as a disagreement), SCTP DATA chunks that carry a whole user message (B and E set,
 * RFC 4960 3.3.1) go to the decoder the PPID or port names. Anything else is counted, not decoded.
 */
final class SegmentTransport {
    int tcpSkipped;
    int sctpSkipped;
    private final ProtocolDispatch dispatch;

    SegmentTransport(final ProtocolDispatch dispatch) {
        this.dispatch = dispatch;
    }

    final TransportDissector tcp = new TransportDissector() {
        @Override
        public void onSegment(final PacketInfo packet, final ByteBuf buf, final int offset, final int length,
            final MessageSink sink) {
            if (length < 20) {
                tcpSkipped++;
                return;
            }
            packet.srcPort = buf.getUnsignedShort(offset);
            packet.dstPort = buf.getUnsignedShort(offset + 2);
            final int header = (buf.getUnsignedByte(offset + 12) >>> 4) * 4;
            if (header < 20 || header > length) {
                tcpSkipped++;
                return;
            }
            final StreamDecoder d = dispatch.tcpDecoder(packet.srcPort, packet.dstPort);
            int at = offset + header;
            final int end = offset + length;
            if (d == null) {
                if (at < end) {
                    tcpSkipped++;
                }
                return;
            }
            while (at < end) {
                final int n = d.messageLength(buf, at, end - at);
                if (n <= 0) {
                    tcpSkipped++;
                    return;
                }
                d.decode(packet, buf, at, n, sink);
                at += n;
            }
        }
    };

    final TransportDissector sctp = new TransportDissector() {
        @Override
        public void onSegment(final PacketInfo packet, final ByteBuf buf, final int offset, final int length,
            final MessageSink sink) {
            if (length < 12) {
                sctpSkipped++;
                return;
            }
            packet.srcPort = buf.getUnsignedShort(offset);
            packet.dstPort = buf.getUnsignedShort(offset + 2);
            int at = offset + 12;
            final int end = offset + length;
            while (end - at >= 4) {
                final int type = buf.getUnsignedByte(at);
                final int flags = buf.getUnsignedByte(at + 1);
                final int chunkLength = buf.getUnsignedShort(at + 2);
                if (chunkLength < 4 || chunkLength > end - at) {
                    sctpSkipped++;
                    return;
                }
                if (type == 0 && chunkLength > 16) {
                    if ((flags & 0x03) == 0x03) {
                        packet.sctpStream = buf.getUnsignedShort(at + 8);
                        packet.sctpPpid = buf.getInt(at + 12);
                        final PayloadDecoder d = dispatch.sctpDecoder(buf.getUnsignedInt(at + 12), packet.srcPort,
                            packet.dstPort);
                        if (d != null) {
                            d.decode(packet, buf, at + 16, chunkLength - 16, sink);
                        }
                    } else {
                        sctpSkipped++;
                    }
                }
                at += (chunkLength + 3) & ~3;
            }
        }
    };
}
