package io.sigmatch.decoder.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.gtpv2.Gtpv2Config;
import io.sigmatch.decoder.gtpv2.Gtpv2Decoder;

/**
 * Coverage-guided fuzzing of the GTPv2-C decoder. The contract: any bytes give a status, never an
 * exception, never a read outside the datagram (the buffer is exactly the input, so a read past it
 * throws and fails), bounded time. In the build this replays the seed inputs under
 * src/test/resources/io/sigmatch/decoder/fuzz/Gtpv2FuzzTestInputs/; with JAZZER_FUZZ=1 it fuzzes.
 */
class Gtpv2FuzzTest {
    private static final Counters COUNTERS = new Counters(256);
    private static final Gtpv2Decoder DECODER = new Gtpv2Decoder(COUNTERS, new Gtpv2Config());
    private static final PacketInfo PACKET = new PacketInfo();
    private static final FuzzSink SINK = new FuzzSink();

    @FuzzTest(maxDuration = "30s")
    void decode(final byte[] datagram) {
        final ByteBuf buffer = Unpooled.wrappedBuffer(datagram);
        PACKET.reset();
        PACKET.frame++;
        PACKET.timeNs += 1_000_000;
        PACKET.srcLo = 0x0A000001;
        PACKET.dstLo = 0x0A000002;
        PACKET.srcPort = 2123;
        PACKET.dstPort = 2123;
        DECODER.decode(PACKET, buffer, 0, datagram.length, SINK);
        DECODER.advanceTime(PACKET.timeNs + 60_000_000_000L, SINK);
    }
}
