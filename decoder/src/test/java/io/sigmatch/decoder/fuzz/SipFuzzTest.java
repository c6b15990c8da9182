package io.sigmatch.decoder.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.sip.SipConfig;
import io.sigmatch.decoder.sip.SipDecoder;

/**
 * Coverage-guided fuzzing of the SIP decoder, as a datagram decoder, as a framed stream message and
 * as a stream framer. The contract: any bytes give a status, never an exception, never a read outside
 * the input (the buffer is exactly the input, so a read past it throws and fails), bounded time. In
 * the build this replays the seed inputs under
 * src/test/resources/io/sigmatch/decoder/fuzz/SipFuzzTestInputs/; with JAZZER_FUZZ=1 it fuzzes.
 */
class SipFuzzTest {
    private static final Counters COUNTERS = new Counters(256);
    private static final SipDecoder DECODER = new SipDecoder(COUNTERS, new SipConfig(), 86);
    private static final PacketInfo PACKET = new PacketInfo();
    private static final FuzzSink SINK = new FuzzSink();

    @FuzzTest(maxDuration = "30s")
    void decode(final byte[] payload) {
        final ByteBuf buffer = Unpooled.wrappedBuffer(payload);
        PACKET.reset();
        PACKET.frame++;
        PACKET.timeNs += 1_000_000;
        PACKET.srcLo = 0x0A000001;
        PACKET.dstLo = 0x0A000002;
        PACKET.srcPort = 5060;
        PACKET.dstPort = 5060;
        PACKET.transport = PacketInfo.TRANSPORT_UDP;
        DECODER.decode(PACKET, buffer, 0, payload.length, SINK);
        DECODER.plausibleStart(buffer, 0, payload.length);
        // the stream side: frame what is there, resynchronise, the way TCP reassembly would
        PACKET.transport = PacketInfo.TRANSPORT_TCP;
        int at = 0;
        for (int guard = 0; at < payload.length && guard <= payload.length; guard++) {
            final int n = DECODER.messageLength(buffer, at, payload.length - at);
            if (n > 0) {
                if (n > payload.length - at) {
                    throw new AssertionError("framed past the input");
                }
                DECODER.decode(PACKET, buffer, at, n, SINK);
                at += n;
            } else if (n == SipDecoder.NEED_MORE) {
                break;
            } else {
                final int skip = DECODER.findMessageStart(buffer, at + 1, payload.length - at - 1);
                if (skip < 0) {
                    break;
                }
                at += 1 + skip;
            }
        }
        DECODER.advanceTime(PACKET.timeNs + 60_000_000_000L, SINK);
    }
}
