package io.sigmatch.decoder.diameter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.SignalingMessage;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Steady state allocates nothing: attach (ULR/ULA), a Gx session (CCR-I/U/T with their CCAs, the
 * CCR-U resolved through the Session-Id table), a purge, repeated, measured with the JVM's
 * per-thread allocation counter. Also prints a warm-loop decode cost per ULR and per CCR-I — a
 * plain loop, not JMH (the JMH benchmark is perf/.../diameter/DiameterDecodeBenchmark).
 */
class DiameterAllocationTest {
    private static final int ROUNDS = 50_000;

    @Test
    void decodingAndCorrelatingAllocatesNothing() {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);

        final DiameterDecoder decoder = new DiameterDecoder(new Counters(), new DiameterConfig(), 86);
        final CountingSink sink = new CountingSink();
        final ByteBuf[] messages = {
            Unpooled.wrappedBuffer(DiameterDecoderTest.ULR),
            Unpooled.wrappedBuffer(DiameterSamples.answer(316, DiameterSamples.S6A, 7, "mme;1",
                DiameterBytes.resultCode(2001))),
            Unpooled.wrappedBuffer(DiameterDecoderTest.CCR_I),
            Unpooled.wrappedBuffer(DiameterSamples.cca(0x21, DiameterSamples.GX, "pgw;", 1, 2001)),
            Unpooled.wrappedBuffer(DiameterSamples.ccrBare(0x23, DiameterSamples.GX, "pgw;", 2)),
            Unpooled.wrappedBuffer(DiameterSamples.cca(0x23, DiameterSamples.GX, "pgw;", 2, 2001)),
            Unpooled.wrappedBuffer(DiameterSamples.ccrBare(0x24, DiameterSamples.GX, "pgw;", 3)),
            Unpooled.wrappedBuffer(DiameterSamples.cca(0x24, DiameterSamples.GX, "pgw;", 3, 2001)),
        };
        // the hand-written ULR has hop-by-hop 7 / end-to-end 8; its answer must carry the same ids
        final byte[] ula = DiameterSamples.answer(316, DiameterSamples.S6A, 7, "mme;1", DiameterBytes.resultCode(2001));
        ula[19] = 8;
        messages[1] = Unpooled.wrappedBuffer(ula);
        // likewise the hand-written CCR-I: hop-by-hop 0x21, end-to-end 0x22
        final byte[] ccaI = DiameterSamples.cca(0x21, DiameterSamples.GX, "pgw;", 1, 2001);
        ccaI[19] = 0x22;
        messages[3] = Unpooled.wrappedBuffer(ccaI);
        final PacketInfo up = packet(0x0A000001, 40000, 0x0A000002, 3868);
        final PacketInfo down = packet(0x0A000002, 3868, 0x0A000001, 40000);

        final long id = Thread.currentThread().getId();
        run(decoder, sink, messages, up, down, 20_000);
        final long idle = -threads.getThreadAllocatedBytes(id) + threads.getThreadAllocatedBytes(id);
        final long before = threads.getThreadAllocatedBytes(id);
        run(decoder, sink, messages, up, down, ROUNDS);
        final long allocated = threads.getThreadAllocatedBytes(id) - before - idle;

        assertEquals(ROUNDS * 4, sink.procedures, "four procedures per round");
        assertEquals(0, decoder.pendingRequests(), "every request paired");
        assertEquals(ROUNDS, sink.resolved, "every CCR-U procedure resolved its IMSI through the Session-Id");
        assertTrue(allocated < 1024, allocated + " bytes allocated over " + ROUNDS * messages.length + " messages");
    }

    @Test
    void warmLoopDecodeCost() {
        final DiameterDecoder decoder = new DiameterDecoder(new Counters(), new DiameterConfig(), 86);
        final CountingSink sink = new CountingSink();
        final PacketInfo p = packet(0x0A000001, 40000, 0x0A000002, 3868);
        for (final byte[] m : new byte[][] {DiameterDecoderTest.ULR, DiameterDecoderTest.CCR_I}) {
            final ByteBuf b = Unpooled.wrappedBuffer(m);
            long best = Long.MAX_VALUE;
            for (int rep = 0; rep < 5; rep++) {
                final long t0 = System.nanoTime();
                for (int i = 0; i < 200_000; i++) {
                    p.timeNs++;
                    decoder.decode(p, b, 0, m.length, sink);   // same ids: a retransmission after the first
                }
                best = Math.min(best, System.nanoTime() - t0);
            }
            System.out.printf("warm loop (not JMH): %s decode + retransmission check %.0f ns/message%n",
                m == DiameterDecoderTest.ULR ? "ULR" : "CCR-I", best / 200_000.0);
        }
        assertTrue(sink.messages > 0);
    }

    private static PacketInfo packet(final int src, final int srcPort, final int dst, final int dstPort) {
        final PacketInfo p = new PacketInfo();
        p.srcLo = src;
        p.dstLo = dst;
        p.srcPort = srcPort;
        p.dstPort = dstPort;
        p.transport = PacketInfo.TRANSPORT_SCTP;
        return p;
    }

    private static void run(final DiameterDecoder decoder, final CountingSink sink, final ByteBuf[] messages,
        final PacketInfo up, final PacketInfo down, final int rounds) {
        sink.procedures = 0;
        sink.resolved = 0;
        long time = up.timeNs;
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < messages.length; i++) {
                final PacketInfo p = (i & 1) == 0 ? up : down;
                p.frame++;
                p.timeNs = time++;
                decoder.decode(p, messages[i], 0, messages[i].readableBytes(), sink);
            }
            decoder.advanceTime(time, sink);
        }
        up.timeNs = time;
    }

    private static final class CountingSink implements MessageSink {
        int procedures;
        int resolved;
        long messages;
        long fields;

        @Override
        public void onMessage(final SignalingMessage message) {
            messages++;
            fields += message.present();
        }

        @Override
        public void onProcedure(final SignalingMessage procedure) {
            procedures++;
            if (procedure.messageType() == 272 && "CCR-U".equals(procedure.messageName())
                && (procedure.resolved() & SignalingMessage.IMSI) != 0) {
                resolved++;
            }
            fields += procedure.present();
        }
    }
}
