package io.sigmatch.decoder.dissect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.capture.LinkType;
import io.sigmatch.decoder.testing.Packets;
import org.junit.jupiter.api.Test;

/** Capture time, not the wall clock, drives the decoders; at most once per interval. */
class CaptureTimeTest {
    private static final byte[] IP = Packets.ipv4("10.0.0.1", "10.0.0.2", Packets.PROTO_UDP, Packets.udp(1, 2, new byte[1]));
    private static final long MS = 1_000_000L;
    private static final long T0 = DissectorHarness.T0;

    @Test
    void advancesOncePerMillisecondOfCaptureTime() {
        final DissectorHarness h = new DissectorHarness();
        // 1000 packets within one millisecond, then packets at +1 ms, +1.5 ms, +2.2 ms and +1 h.
        for (int i = 0; i < 1000; i++) {
            h.frameAt(T0 + i, LinkType.RAW, IP);
        }
        h.frameAt(T0 + MS, LinkType.RAW, IP);
        h.frameAt(T0 + MS + MS / 2, LinkType.RAW, IP);
        h.frameAt(T0 + 2 * MS + MS / 5, LinkType.RAW, IP);
        h.frameAt(T0 + 3_600_000 * MS, LinkType.RAW, IP);
        assertEquals(List.of(T0, T0 + MS, T0 + 2 * MS + MS / 5, T0 + 3_600_000 * MS), h.decoder.advances);
    }

    @Test
    void timeGoingBackwardsDoesNotRewindDecoders() {
        final DissectorHarness h = new DissectorHarness();
        h.frameAt(T0 + 10 * MS, LinkType.RAW, IP);
        h.frameAt(T0, LinkType.RAW, IP); // an out-of-order packet (merged captures)
        h.frameAt(T0 + 11 * MS, LinkType.RAW, IP);
        assertEquals(List.of(T0 + 10 * MS, T0 + 11 * MS), h.decoder.advances);
    }

    @Test
    void zeroIntervalAdvancesOnEveryNewTime() {
        final DissectorHarness h = new DissectorHarness(new DissectorConfig().timeAdvanceIntervalNs(0));
        h.frameAt(T0, LinkType.RAW, IP);
        h.frameAt(T0, LinkType.RAW, IP);
        h.frameAt(T0 + 1, LinkType.RAW, IP);
        assertEquals(List.of(T0, T0 + 1), h.decoder.advances);
    }

    @Test
    void advanceComesBeforeThePacketThatMovedTime() {
        // A decoder expiring old requests must do so before it sees the packet of the new time.
        final List<String> calls = new ArrayList<>();
        final DissectorHarness h = new DissectorHarness();
        h.dispatch.udpPort(2, new io.sigmatch.decoder.PayloadDecoder() {
            @Override
            public void decode(final PacketInfo p, final ByteBuf b, final int o, final int l, final MessageSink s) {
                calls.add("decode@" + (p.timeNs - T0));
            }

            @Override
            public void advanceTime(final long nowNs, final MessageSink sink) {
                calls.add("advance@" + (nowNs - T0));
            }
        });
        h.frameAt(T0, LinkType.RAW, IP);
        h.frameAt(T0 + 5 * MS, LinkType.RAW, IP);
        assertEquals(List.of("advance@0", "decode@0", "advance@5000000", "decode@5000000"), calls);
    }

    @Test
    void finishFlushesEveryDecoderOnce() {
        final DissectorHarness h = new DissectorHarness();
        final io.sigmatch.decoder.testing.RecordingDecoder other = new io.sigmatch.decoder.testing.RecordingDecoder();
        h.dispatch.udpPort(2123, other);
        h.frame(LinkType.RAW, IP);
        h.dissector.finish();
        assertEquals(1, h.decoder.flushes);
        assertEquals(1, other.flushes);
    }
}
