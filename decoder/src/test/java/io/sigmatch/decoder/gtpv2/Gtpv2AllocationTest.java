package io.sigmatch.decoder.gtpv2;

import static io.sigmatch.decoder.gtpv2.Gtpv2CorrelationTest.answer;
import static io.sigmatch.decoder.gtpv2.Gtpv2CorrelationTest.createSessionResponse;
import static io.sigmatch.decoder.gtpv2.Gtpv2CorrelationTest.modifyBearerRequest;
import static io.sigmatch.decoder.gtpv2.Gtpv2DecoderTest.CREATE_SESSION_REQUEST;
import static io.sigmatch.decoder.gtpv2.Gtpv2DecoderTest.MME;
import static io.sigmatch.decoder.gtpv2.Gtpv2DecoderTest.SGW;
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
 * Steady state allocates nothing: a whole attach / move / detach exchange, repeated, measured with
 * the JVM's per-thread allocation counter (the JMH {@code -prof gc} figure lives in perf/).
 */
class Gtpv2AllocationTest {
    private static final int ROUNDS = 100_000;

    @Test
    void decodingAndCorrelatingAllocatesNothing() {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);

        final Gtpv2Decoder decoder = new Gtpv2Decoder(new Counters(), new Gtpv2Config());
        final CountingSink sink = new CountingSink();
        final ByteBuf[] datagrams = {
            Unpooled.wrappedBuffer(CREATE_SESSION_REQUEST),
            Unpooled.wrappedBuffer(createSessionResponse(42, 16, 0x101, 0x202)),
            Unpooled.wrappedBuffer(modifyBearerRequest(43, 0x202, 0x4321)),
            Unpooled.wrappedBuffer(answer(35, 43, 0x101, 16)),
            Unpooled.wrappedBuffer(Gtpv2Bytes.message(0, 36, 0x202, 44, Gtpv2Bytes.ie(73, 0, Gtpv2Bytes.bytes(5)))),
            Unpooled.wrappedBuffer(answer(37, 44, 0x101, 16)),
        };
        final PacketInfo toSgw = Gtpv2DecoderTest.packet(0, 0, MME, SGW);
        final PacketInfo toMme = Gtpv2DecoderTest.packet(0, 0, SGW, MME);

        final long id = Thread.currentThread().getId();
        run(decoder, sink, datagrams, toSgw, toMme, 50_000);           // warm up: JIT, counters, tables
        // what reading the counter costs by itself, so it is not charged to the decoder
        final long idle = -threads.getThreadAllocatedBytes(id) + threads.getThreadAllocatedBytes(id);
        final long before = threads.getThreadAllocatedBytes(id);
        run(decoder, sink, datagrams, toSgw, toMme, ROUNDS);
        final long allocated = threads.getThreadAllocatedBytes(id) - before - idle;

        assertEquals(ROUNDS * 3, sink.procedures, "three procedures per round, all decoded");
        // a one-off of a few hundred bytes (the JIT switching to compiled code) does not scale with the
        // message count; one byte per message would be 600 000
        assertTrue(allocated < 1024, allocated + " bytes allocated over " + ROUNDS * 6 + " messages");
    }

    private static void run(final Gtpv2Decoder decoder, final CountingSink sink, final ByteBuf[] datagrams,
        final PacketInfo toSgw, final PacketInfo toMme, final int rounds) {
        sink.procedures = 0;
        long time = 0;
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < datagrams.length; i++) {
                final PacketInfo p = (i & 1) == 0 ? toSgw : toMme;
                p.frame++;
                p.timeNs = time++;
                decoder.decode(p, datagrams[i], 0, datagrams[i].readableBytes(), sink);
            }
            decoder.advanceTime(time, sink);
        }
    }

    private static final class CountingSink implements MessageSink {
        int procedures;
        long fields;

        @Override
        public void onMessage(final SignalingMessage message) {
            fields += message.present();
        }

        @Override
        public void onProcedure(final SignalingMessage procedure) {
            procedures++;
            fields += procedure.present();
        }
    }
}
