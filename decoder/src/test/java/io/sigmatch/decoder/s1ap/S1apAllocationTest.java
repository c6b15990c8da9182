package io.sigmatch.decoder.s1ap;

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
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Steady state allocates nothing: the attach and the idle-mode mobility flows of
 * {@link S1apTestCaptures} (NAS decode, both UE-id tables, the GUTI table, a deferred event, release)
 * repeated, measured with the JVM's per-thread allocation counter; and a seeded mutation run over
 * the same PDUs (random octets overwritten, truncated, extended) never throws and allocates nothing
 * either. The seed is printed on failure.
 */
class S1apAllocationTest {
    private static final int ROUNDS = 20_000;

    private static com.sun.management.ThreadMXBean threads() {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        final com.sun.management.ThreadMXBean t = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(t.isThreadAllocatedMemorySupported());
        t.setThreadAllocatedMemoryEnabled(true);
        return t;
    }

    @Test
    void steadyStateAllocatesNothing() {
        final com.sun.management.ThreadMXBean threads = threads();
        final S1apDecoder decoder = new S1apDecoder(new Counters(), new S1apConfig());
        final CountingSink sink = new CountingSink();
        final Flows flows = new Flows();
        final long id = Thread.currentThread().getId();
        flows.run(decoder, sink, 2_000);
        sink.procedures = 0;
        sink.withImsi = 0;
        final long before = threads.getThreadAllocatedBytes(id);
        flows.run(decoder, sink, ROUNDS);
        final long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertEquals(ROUNDS * 9L, sink.procedures, "nine procedures per round (3 attach, 6 idle mobility)");
        assertTrue(sink.withImsi == sink.procedures, "every procedure resolved its subscriber");
        assertTrue(allocated < 1024, allocated + " bytes allocated over " + ROUNDS * flows.size() + " messages");
    }

    @Test
    void mutatedInputNeverThrowsNorAllocates() {
        final long seed = System.nanoTime();
        final com.sun.management.ThreadMXBean threads = threads();
        final S1apDecoder decoder = new S1apDecoder(new Counters(), new S1apConfig().ueContexts(4096));
        final CountingSink sink = new CountingSink();
        final Flows flows = new Flows();
        final byte[] scratch = new byte[512];
        final ByteBuf buf = Unpooled.wrappedBuffer(scratch);
        // one view per length over the same octets, made up front: the decoder sees exactly [0, len),
        // so a read outside the input throws, and the loop itself allocates nothing
        final ByteBuf[] views = new ByteBuf[scratch.length + 1];
        for (int n = 0; n <= scratch.length; n++) {
            views[n] = buf.slice(0, n);
        }
        final PacketInfo p = flows.up;
        final SplittableRandom random = new SplittableRandom(seed);
        final long id = Thread.currentThread().getId();
        try {
            long before = 0;
            for (int i = 0; i < 300_000; i++) {
                if (i == 50_000) {
                    before = threads.getThreadAllocatedBytes(id);
                }
                final byte[] m = flows.pdus.get(random.nextInt(flows.pdus.size()));
                int len = m.length;
                System.arraycopy(m, 0, scratch, 0, len);
                final int edits = 1 + random.nextInt(4);
                for (int e = 0; e < edits; e++) {
                    switch (random.nextInt(3)) {
                        case 0 -> scratch[random.nextInt(len)] = (byte) random.nextInt(256);
                        case 1 -> len = Math.max(0, len - 1 - random.nextInt(len));
                        default -> {
                            final int grow = Math.min(scratch.length - len, random.nextInt(16));
                            for (int g = 0; g < grow; g++) {
                                scratch[len + g] = (byte) random.nextInt(256);
                            }
                            len += grow;
                        }
                    }
                    if (len == 0) {
                        break;
                    }
                }
                p.frame++;
                p.timeNs += 1_000;
                decoder.decode(p, views[len], 0, len, sink);
                if ((i & 1023) == 0) {
                    decoder.advanceTime(p.timeNs, sink);
                }
            }
            final long allocated = threads.getThreadAllocatedBytes(id) - before;
            assertTrue(allocated < 1024, "seed " + seed + ": " + allocated + " bytes over 250 000 mutated messages");
        } catch (final RuntimeException | AssertionError e) {
            throw new AssertionError("seed " + seed, e);
        }
        assertTrue(sink.messages > 0, "seed " + seed);
    }

    /** The two flows' PDUs with their directions, over one association. */
    static final class Flows {
        final List<byte[]> pdus = new java.util.ArrayList<>();
        final List<Boolean> fromRan = new java.util.ArrayList<>();
        final ByteBuf[] bufs;
        final PacketInfo up = packet(0x0A000001, 0x0A000002);
        final PacketInfo down = packet(0x0A000002, 0x0A000001);

        Flows() {
            for (final SctpFlow f : List.of(S1apTestCaptures.attach(), S1apTestCaptures.idleMobility())) {
                pdus.addAll(f.pdus);
                fromRan.addAll(f.fromRanNode);
            }
            bufs = new ByteBuf[pdus.size()];
            for (int i = 0; i < bufs.length; i++) {
                bufs[i] = Unpooled.wrappedBuffer(pdus.get(i));
            }
        }

        int size() {
            return bufs.length;
        }

        void run(final S1apDecoder decoder, final MessageSink sink, final int rounds) {
            long time = up.timeNs;
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < bufs.length; i++) {
                    final PacketInfo p = fromRan.get(i) ? up : down;
                    p.frame++;
                    p.timeNs = time += 1_000;
                    decoder.decode(p, bufs[i], 0, bufs[i].readableBytes(), sink);
                }
                decoder.advanceTime(time, sink);
            }
            up.timeNs = time;
        }

        private static PacketInfo packet(final long src, final long dst) {
            final PacketInfo p = new PacketInfo();
            p.srcLo = src;
            p.dstLo = dst;
            p.srcPort = 36412;
            p.dstPort = 36412;
            p.transport = PacketInfo.TRANSPORT_SCTP;
            p.sctpPpid = 18;
            return p;
        }
    }

    static final class CountingSink implements MessageSink {
        long messages;
        long procedures;
        long withImsi;

        @Override
        public void onMessage(final SignalingMessage message) {
            messages++;
        }

        @Override
        public void onProcedure(final SignalingMessage procedure) {
            procedures++;
            if (procedure.has(SignalingMessage.IMSI)) {
                withImsi++;
            }
        }
    }
}
