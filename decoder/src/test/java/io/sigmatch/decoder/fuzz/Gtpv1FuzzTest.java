package io.sigmatch.decoder.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.gtpv1.GtpControlDemux;
import io.sigmatch.decoder.gtpv1.Gtpv1Config;
import io.sigmatch.decoder.gtpv1.Gtpv1Decoder;
import io.sigmatch.decoder.gtpv2.Gtpv2Config;
import io.sigmatch.decoder.gtpv2.Gtpv2Decoder;

/**
 * Coverage-guided fuzzing of the GTPv1-C decoder behind the version demux of UDP 2123. The
 * contract: any bytes give a status, never an exception, never a read outside the datagram (the
 * buffer is exactly the input, so a read past it throws and fails), bounded time. In the build this
 * replays the seed inputs under src/test/resources/io/sigmatch/decoder/fuzz/Gtpv1FuzzTestInputs/
 * (every GTPv1-C datagram of the corpus and of the captures Gtpv1Frames writes); with JAZZER_FUZZ=1
 * it fuzzes. Datagrams alternate direction so responses meet their requests and the TEID table fills.
 */
class Gtpv1FuzzTest {
    private static final Counters COUNTERS = new Counters(256);
    private static final GtpControlDemux DECODER = new GtpControlDemux(new Gtpv1Decoder(COUNTERS, new Gtpv1Config()),
        new Gtpv2Decoder(COUNTERS, new Gtpv2Config()));
    private static final PacketInfo PACKET = new PacketInfo();
    private static final FuzzSink SINK = new FuzzSink();
    private static long inputs;

    @FuzzTest(maxDuration = "30s")
    void decode(final byte[] datagram) {
        final ByteBuf buffer = Unpooled.wrappedBuffer(datagram);
        final boolean back = (inputs & 1) == 1;
        inputs++;
        PACKET.reset();
        PACKET.frame = inputs;
        PACKET.timeNs = inputs * 1_000_000;
        PACKET.srcLo = back ? 0x0A020001 : 0x0A010001;
        PACKET.dstLo = back ? 0x0A010001 : 0x0A020001;
        PACKET.srcPort = 2123;
        PACKET.dstPort = 2123;
        DECODER.decode(PACKET, buffer, 0, datagram.length, SINK);
        DECODER.advanceTime(PACKET.timeNs + 60_000_000_000L, SINK);
    }
}
