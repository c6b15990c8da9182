package io.sigmatch.decoder.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.sigtran.SigtranConfig;
import io.sigmatch.decoder.sigtran.SigtranDecoder;

/**
 * Coverage-guided fuzzing of the SIGTRAN decoder (M3UA/M2UA, SCCP with XUDT reassembly, TCAP, MAP,
 * CAP). The contract: any bytes give a status, never an exception, never a read outside the input
 * (the buffer is exactly the input, so a read past it throws and fails), bounded time. In the build
 * this replays the seed inputs under src/test/resources/io/sigmatch/decoder/fuzz/SigtranFuzzTestInputs/
 * (valid messages of every layer: each is one mutation away from a malformed one); with
 * JAZZER_FUZZ=1 it fuzzes.
 */
class SigtranFuzzTest {
    private static final Counters COUNTERS = new Counters(512);
    private static final SigtranDecoder DECODER = new SigtranDecoder(COUNTERS, new SigtranConfig().reassemblySlots(4), 86);
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
        PACKET.transport = PacketInfo.TRANSPORT_SCTP;
        // the first octet's low bit picks M2UA's PPID, so both adaptation layers are reached
        PACKET.sctpPpid = payload.length > 1 && (payload[1] & 1) != 0 ? 2 : 3;
        DECODER.decode(PACKET, buffer, 0, payload.length, SINK);
        DECODER.advanceTime(PACKET.timeNs + 60_000_000_000L, SINK);
    }
}
