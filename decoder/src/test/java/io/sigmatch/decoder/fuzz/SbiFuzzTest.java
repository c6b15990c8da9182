package io.sigmatch.decoder.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.StreamDecoder;
import io.sigmatch.decoder.sbi.SbiConfig;
import io.sigmatch.decoder.sbi.SbiDecoder;

/**
 * Coverage-guided fuzzing of the SBI decoder as the TCP reassembly drives it: the input is one
 * direction's byte stream (the first bit of the first byte picks the direction), framed with
 * messageLength / findMessageStart and each frame decoded, so the HTTP/2 framing, HPACK (Netty's
 * decoder), the stream table, the multipart and JSON scanners all see fuzzed bytes. Contract: no
 * exception, no read outside the input (the buffer is exactly the input), bounded time. In the build
 * it replays the seeds under src/test/resources/io/sigmatch/decoder/fuzz/SbiFuzzTestInputs/; with
 * JAZZER_FUZZ=1 it fuzzes.
 */
class SbiFuzzTest {
    private static final Counters COUNTERS = new Counters(256);
    private static final SbiDecoder DECODER = new SbiDecoder(COUNTERS, new SbiConfig().connections(64).streams(256));
    private static final PacketInfo PACKET = new PacketInfo();
    private static final FuzzSink SINK = new FuzzSink();

    @FuzzTest(maxDuration = "30s")
    void decode(final byte[] stream) {
        final ByteBuf buffer = Unpooled.wrappedBuffer(stream);
        final boolean fromClient = stream.length == 0 || (stream[0] & 0x80) == 0;
        PACKET.reset();
        PACKET.srcLo = fromClient ? 0x0A000001 : 0x0A000002;
        PACKET.dstLo = fromClient ? 0x0A000002 : 0x0A000001;
        PACKET.srcPort = fromClient ? 40000 : 7777;
        PACKET.dstPort = fromClient ? 7777 : 40000;
        PACKET.transport = PacketInfo.TRANSPORT_TCP;
        int at = 0;
        for (int guard = 0; at < stream.length && guard <= stream.length; guard++) {
            final int n = DECODER.messageLength(buffer, at, stream.length - at);
            if (n > 0) {
                if (n > stream.length - at) {
                    throw new AssertionError("framed past the input");
                }
                PACKET.frame++;
                PACKET.timeNs += 1_000_000;
                DECODER.decode(PACKET, buffer, at, n, SINK);
                at += n;
            } else if (n == StreamDecoder.NEED_MORE) {
                break;
            } else {
                final int skip = DECODER.findMessageStart(buffer, at + 1, stream.length - at - 1);
                if (skip < 0) {
                    break;
                }
                at += 1 + skip;
            }
        }
        DECODER.advanceTime(PACKET.timeNs + 60_000_000_000L, SINK);
    }
}
