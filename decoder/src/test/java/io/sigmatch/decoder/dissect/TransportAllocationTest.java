package io.sigmatch.decoder.dissect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.DecoderConfig;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.SignalingDecoder;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.capture.Frame;
import io.sigmatch.decoder.testing.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * Steady state allocates nothing for Diameter carried over TCP and over SCTP, through the whole
 * {@link SignalingDecoder} (dissector, stream reassembly or SCTP chunk handling, the Diameter
 * decoder and its correlation): the real Diameter frames of open5gs-testepc.pcapng (TCP) and
 * magma-gx_gy_combined_03.pcapng (SCTP), held in one direct buffer and replayed in loops. Each
 * loop renumbers the frames in place, so loop k continues every stream where loop k-1 ended: TCP
 * sequence numbers move on by the bytes each direction carried, SCTP TSNs by the TSNs each
 * direction used, capture time by the capture's span. Without that a loop would be one long
 * retransmission. Measured with the JVM's per-thread allocation counter, as Gtpv2AllocationTest.
 */
class TransportAllocationTest {
    private static final int WARM_UP_LOOPS = 300;
    private static final int LOOPS = 400;
    private static final Path TCP = Fixtures.corpus().resolve("gtpv2/open5gs-testepc.pcapng");
    private static final Path SCTP = Fixtures.corpus().resolve("diameter/magma-gx_gy_combined_03.pcapng");

    @Test
    void diameterOverTcpAllocatesNothingPerPacket() throws IOException {
        measure("TCP", RealTransportFrames.load(TCP, RealTransportFrames.TCP), RealTransportFrames.TCP, 132);
    }

    /** Every segment cut in two, so every message crosses a segment boundary: the buffered, copied path. */
    @Test
    void diameterOverTcpAcrossSegmentsAllocatesNothingPerPacket() throws IOException {
        final List<RealTransportFrames.Real> split = new ArrayList<>();
        for (final RealTransportFrames.Real r : RealTransportFrames.load(TCP, RealTransportFrames.TCP)) {
            final byte[] payload = r.tcpPayload();
            final int k = Math.min(100, payload.length / 2);
            split.add(new RealTransportFrames.Real(r.number(), r.timeNs(), r.linkType(), r.link(), r.ip(),
                RealTransportFrames.tcp(r.tcpHeader(), r.tcpSeq(), java.util.Arrays.copyOf(payload, k))));
            split.add(new RealTransportFrames.Real(r.number(), r.timeNs() + 1, r.linkType(), r.link(), r.ip(),
                RealTransportFrames.tcp(r.tcpHeader(), (r.tcpSeq() + k) & 0xFFFFFFFFL,
                    java.util.Arrays.copyOfRange(payload, k, payload.length))));
        }
        measure("TCP, every message across two segments", split, RealTransportFrames.TCP, 132);
    }

    @Test
    void diameterOverSctpAllocatesNothingPerPacket() throws IOException {
        measure("SCTP", RealTransportFrames.load(SCTP, RealTransportFrames.SCTP), RealTransportFrames.SCTP, 124);
    }

    private static void measure(final String what, final List<RealTransportFrames.Real> frames, final int protocol,
        final int messagesPerLoop) {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
            && t.isThreadAllocatedMemorySupported(), "needs HotSpot's per-thread allocation counter");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);

        final Looped looped = new Looped(frames, protocol);
        final Counters counters = new Counters();
        final CountingSink sink = new CountingSink();
        final SignalingDecoder decoder = new SignalingDecoder(counters, new DecoderConfig(), sink);
        final long self = Thread.currentThread().getId();

        int loop = 0;
        for (; loop < WARM_UP_LOOPS; loop++) {
            looped.replay(decoder, loop);
        }
        final long messages0 = sink.messages;
        final long idle = -threads.getThreadAllocatedBytes(self) + threads.getThreadAllocatedBytes(self);
        final long before = threads.getThreadAllocatedBytes(self);
        for (; loop < WARM_UP_LOOPS + LOOPS; loop++) {
            looped.replay(decoder, loop);
        }
        final long allocated = threads.getThreadAllocatedBytes(self) - before - idle;
        final long packets = (long) LOOPS * looped.count;
        final long messages = sink.messages - messages0;

        System.out.printf("Diameter over %s, steady state: %d bytes allocated over %d packets, %d messages"
            + " (%.4f bytes/packet)%n", what, allocated, packets, messages, (double) allocated / packets);
        assertEquals((long) LOOPS * messagesPerLoop, messages, "every loop decodes every message: the streams continue");
        assertEquals(0, counters.get("dissect.error.internal"));
        assertEquals(0, counters.get("dissect.error.decoder_exception"));
        assertEquals(0, counters.get("dissect.tcp.retransmitted") + counters.get("dissect.tcp.gaps")
            + counters.get("dissect.sctp.drop.duplicate_tsn") + counters.get("dissect.sctp.drop.stale_tsn"),
            "loops renumbered, not retransmitted");
        assertTrue(sink.procedures > 0);
        // One 16-byte object per packet would be 16 bytes/packet; a one-off of the JIT does not scale.
        assertTrue(allocated < 16 * 1024, allocated + " bytes allocated over " + packets + " packets");
    }

    /** The frames back to back in one direct buffer, with where each sequence number or TSN lies. */
    private static final class Looped {
        final ByteBuf bytes;
        final int count;
        final long[] timeNs;
        final int[] linkType;
        final int[] offset;
        final int[] length;
        /** Absolute offsets of the 32-bit numbers to renumber, their value in the capture, their direction's step. */
        final int[] numberAt;
        final long[] number;
        final long[] step;
        final long loopShiftNs;
        private final Frame frame = new Frame();

        Looped(final List<RealTransportFrames.Real> frames, final int protocol) {
            count = frames.size();
            timeNs = new long[count];
            linkType = new int[count];
            offset = new int[count];
            length = new int[count];
            final List<int[]> at = new ArrayList<>();
            final List<Long> values = new ArrayList<>();
            final List<String> keys = new ArrayList<>();
            final Map<String, long[]> range = new HashMap<>(); // direction: first, end (TCP) or min, max (SCTP)
            int total = 0;
            for (final RealTransportFrames.Real r : frames) {
                total += r.frame().length;
            }
            bytes = Unpooled.directBuffer(total);
            for (int i = 0; i < count; i++) {
                final RealTransportFrames.Real r = frames.get(i);
                final byte[] f = r.frame();
                timeNs[i] = r.timeNs();
                linkType[i] = r.linkType();
                offset[i] = bytes.writerIndex();
                length[i] = f.length;
                bytes.writeBytes(f);
                final int transportAt = offset[i] + r.link().length + r.ip().length;
                final byte[] t = r.transport();
                if (protocol == RealTransportFrames.TCP) {
                    // RFC 9293 3.1: sequence number at byte 4; the direction's stream runs first .. end
                    final long seq = RealTransportFrames.u32(t, 4);
                    final long end = seq + r.tcpPayload().length;
                    final long[] rg = range.computeIfAbsent(r.direction(), k -> new long[] {seq, end});
                    rg[1] = Math.max(rg[1], end);
                    at.add(new int[] {transportAt + 4});
                    values.add(seq);
                    keys.add(r.direction());
                } else {
                    // RFC 9260 3.3.1: each DATA chunk's TSN at byte 4 of the chunk; per verification tag
                    final String key = r.direction() + "/" + RealTransportFrames.u32(t, 4);
                    for (int c = 12; c + 4 <= t.length; ) {
                        final int chunkLength = RealTransportFrames.u16(t, c + 2);
                        if (t[c] == 0) {
                            final long tsn = RealTransportFrames.u32(t, c + 4);
                            final long[] rg = range.computeIfAbsent(key, k -> new long[] {tsn, tsn});
                            rg[0] = Math.min(rg[0], tsn);
                            rg[1] = Math.max(rg[1], tsn);
                            at.add(new int[] {transportAt + c + 4});
                            values.add(tsn);
                            keys.add(key);
                        }
                        if (chunkLength < 4) {
                            break;
                        }
                        c += (chunkLength + 3) & ~3;
                    }
                }
            }
            numberAt = new int[at.size()];
            number = new long[at.size()];
            step = new long[at.size()];
            for (int i = 0; i < numberAt.length; i++) {
                numberAt[i] = at.get(i)[0];
                number[i] = values.get(i);
                final long[] rg = range.get(keys.get(i));
                // TCP: the bytes the direction carried; SCTP: the TSNs it used
                step[i] = protocol == RealTransportFrames.TCP ? rg[1] - rg[0] : rg[1] - rg[0] + 1;
            }
            loopShiftNs = timeNs[count - 1] - timeNs[0] + 1_000_000;
            frame.buffer = bytes;
        }

        void replay(final SignalingDecoder decoder, final long loop) {
            for (int i = 0; i < numberAt.length; i++) {
                bytes.setInt(numberAt[i], (int) (number[i] + loop * step[i]));
            }
            for (int i = 0; i < count; i++) {
                final Frame f = frame;
                f.number = i + 1 + loop * count;
                f.timeNs = timeNs[i] + loop * loopShiftNs;
                f.interfaceId = 0;
                f.linkType = linkType[i];
                f.offset = offset[i];
                f.capturedLength = length[i];
                f.originalLength = length[i];
                decoder.dissector().onFrame(f);
            }
        }
    }

    private static final class CountingSink implements MessageSink {
        long messages;
        long procedures;
        long fields;

        @Override
        public void onMessage(final SignalingMessage message) {
            messages++;
            fields += message.present();
        }

        @Override
        public void onProcedure(final SignalingMessage procedure) {
            procedures++;
            fields += procedure.present();
        }
    }
}
