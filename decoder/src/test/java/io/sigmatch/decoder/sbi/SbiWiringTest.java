package io.sigmatch.decoder.sbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.DecoderConfig;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.Protocol;
import io.sigmatch.decoder.SignalingDecoder;
import io.sigmatch.decoder.dissect.ProtocolDispatch;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decoding stage registers SBI on its ports, by content, and with its limits. */
class SbiWiringTest {
    @Test
    void defaultAndConfiguredPorts() {
        final SbiConfig sbi = new SbiConfig();
        assertTrue(sbi.ports().containsAll(List.of(80, 7777, 8080, 29500, 29518, 29599)));
        assertEquals(List.of(31000), new SbiConfig().defaultPorts(false).port(31000).ports());
        final DecoderConfig config = new DecoderConfig().ports("sbi=8000");
        assertEquals(List.of(8000), config.ports(Protocol.SBI));
        final Counters counters = new Counters();
        new SignalingDecoder(counters, config, m -> { });
        final boolean[] registered = {false};
        counters.forEach((label, value) -> registered[0] |= label.equals(SbiDecoder.PREFIX + "frames"));
        assertTrue(registered[0], "the SBI decoder's counters exist once the stage is built");
    }

    @Test
    void thePrefaceClaimsAnUnroutedPortAndRoutesItsServerPort() {
        final ProtocolDispatch dispatch = new ProtocolDispatch();
        final SbiDecoder sbi = new SbiDecoder(new Counters(), new SbiConfig());
        dispatch.tcpContentSniffer((p, b, o, l) -> SbiDecoder.startsWithPreface(b, o, l) ? sbi : null);
        final PacketInfo p = new PacketInfo();
        p.srcPort = 50123;
        p.dstPort = 40404;
        assertEquals(null, dispatch.sniffTcp(p, Unpooled.wrappedBuffer(new byte[24]), 0, 24), "not a preface");
        assertSame(sbi, dispatch.sniffTcp(p, Unpooled.wrappedBuffer(Http2Frame.PREFACE), 0, 24));
        assertSame(sbi, dispatch.tcpDecoder(40404, 50999), "the server port is routed from then on");
    }

    @Test
    void badLimitsAreRefusedWithTheStage() {
        final DecoderConfig config = new DecoderConfig().sbi(new SbiConfig().maxFrameBytes(100));
        assertThrows(IllegalArgumentException.class, () -> new SignalingDecoder(new Counters(), config, m -> { }));
        assertThrows(IllegalArgumentException.class, () -> new SbiConfig().port(0));
        assertThrows(IllegalArgumentException.class, () -> new SbiConfig().maxJsonDepth(0).conclude());
    }
}
