package io.sigmatch.decoder.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.s1ap.S1apConfig;
import io.sigmatch.decoder.s1ap.S1apDecoder;

/**
 * Coverage-guided fuzzing of the S1AP + NAS-EPS decoder. The contract: any bytes give a status,
 * never an exception, never a read outside the input (the buffer is exactly the input), bounded
 * time; the correlation tables take whatever ids the input claims. In the build this replays the
 * seed inputs under src/test/resources/io/sigmatch/decoder/fuzz/S1apFuzzTestInputs/; with
 * JAZZER_FUZZ=1 it fuzzes.
 */
class S1apFuzzTest {
    private static final Counters COUNTERS = new Counters(256);
    private static final S1apDecoder DECODER = new S1apDecoder(COUNTERS, new S1apConfig().ueContexts(1024)
        .temporaryIdentities(1024));
    private static final PacketInfo PACKET = new PacketInfo();
    private static final FuzzSink SINK = new FuzzSink();

    @FuzzTest(maxDuration = "30s")
    void decode(final byte[] payload) {
        final ByteBuf buffer = Unpooled.wrappedBuffer(payload);
        PACKET.reset();
        PACKET.frame++;
        PACKET.timeNs += 1_000_000;
        final boolean up = payload.length > 0 && (payload[payload.length - 1] & 1) != 0;
        PACKET.srcLo = up ? 0x0A000001 : 0x0A000002;
        PACKET.dstLo = up ? 0x0A000002 : 0x0A000001;
        PACKET.srcPort = 36412;
        PACKET.dstPort = 36412;
        PACKET.transport = PacketInfo.TRANSPORT_SCTP;
        PACKET.sctpPpid = 18;
        DECODER.decode(PACKET, buffer, 0, payload.length, SINK);
        DECODER.advanceTime(PACKET.timeNs + 7_200_000_000_000L, SINK);
    }
}
