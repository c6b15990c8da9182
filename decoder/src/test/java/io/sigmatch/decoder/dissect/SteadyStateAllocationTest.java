package io.sigmatch.decoder.dissect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.PayloadDecoder;
import io.sigmatch.decoder.capture.CaptureFileReader;
import io.sigmatch.decoder.capture.Frame;
import io.sigmatch.decoder.capture.FrameSink;
import io.sigmatch.decoder.testing.GeneratedCaptures;
import io.sigmatch.decoder.testing.Packets;
import io.sigmatch.decoder.testing.PcapWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading and dissecting allocate nothing per packet once warm: a rough check with the JVM's
 * per-thread allocation counter (JMH with -prof gc in perf/ gives the exact figure).
 */
class SteadyStateAllocationTest {
    private static final int PACKETS = 60_000;
    private static final int WARM_UP = 20_000;

    @TempDir
    Path dir;

    /** Sums a byte of every payload so nothing is optimised away. */
    private static final class Touch implements PayloadDecoder {
        long sum;
        long payloads;

        @Override
        public void decode(final PacketInfo p, final ByteBuf b, final int off, final int len, final MessageSink s) {
            sum += len == 0 ? 0 : b.getByte(off + len - 1);
            payloads++;
        }
    }

    @Test
    void readerAndDissectorAllocateNothingPerPacket() throws IOException {
        final com.sun.management.ThreadMXBean threads;
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
            && t.isThreadAllocatedMemorySupported()) {
            threads = t;
        } else {
            assumeTrue(false, "no per-thread allocation counter on this JVM");
            return;
        }
        final Path file = mixedCapture();
        final Counters counters = new Counters();
        final Touch touch = new Touch();
        final ProtocolDispatch dispatch = new ProtocolDispatch();
        dispatch.udpPort(2123, touch);
        dispatch.contentSniffer((p, b, o, l) -> touch);
        final Dissector dissector = new Dissector(counters, dispatch, m -> { }, new DissectorConfig());
        final long thread = Thread.currentThread().getId();
        final long[] allocatedAtWarm = {0};
        final FrameSink sink = new FrameSink() {
            private long n;

            @Override
            public void onFrame(final Frame frame) {
                if (++n == WARM_UP) {
                    allocatedAtWarm[0] = threads.getThreadAllocatedBytes(thread);
                }
                dissector.onFrame(frame);
            }
        };
        try (CaptureFileReader reader = CaptureFileReader.open(file, counters)) {
            reader.readAll(sink);
        }
        final long allocated = threads.getThreadAllocatedBytes(thread) - allocatedAtWarm[0];
        assertEquals(PACKETS, counters.get("capture.packets"));
        assertTrue(touch.payloads > PACKETS / 2);
        assertEquals(0, counters.get("dissect.error.internal"));
        // The steady-state part covers 40 000 packets; a single allocated object per packet would
        // be > 600 KB. What remains is the JVM's own noise (ThreadMXBean itself, rare JIT deopts).
        final long perPacket = allocated / (PACKETS - WARM_UP);
        System.out.println("steady-state allocation: " + allocated + " bytes over " + (PACKETS - WARM_UP)
            + " packets (" + perPacket + " bytes/packet)");
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes in steady state");
    }

    /** Ethernet, VLAN, IPv6, tunnelled and fragmented IPv4 UDP packets, repeated. */
    private Path mixedCapture() throws IOException {
        final byte[] v4 = Packets.ethernet(0x0800, Packets.ipv4("10.0.0.1", "10.0.0.2", 17,
            Packets.udp(2123, 2123, Packets.payload(200, 1))));
        final byte[] vlan = Packets.ethernet(0x0800, Packets.ipv4("10.0.0.1", "10.0.0.2", 17,
            Packets.udp(40_000, 40_001, Packets.payload(100, 2))), 0x88A8, 5, 0x8100, 6);
        final byte[] v6 = Packets.ethernet(0x86DD, Packets.ipv6("2001:db8::1", "2001:db8::2", 17,
            Packets.udp(2123, 2123, Packets.payload(300, 3))));
        final List<byte[]> tunnels = TunnelTest.frames();
        final PcapWriter w = new PcapWriter(ByteOrder.LITTLE_ENDIAN, true, 65_535, 1);
        long t = GeneratedCaptures.T0;
        int id = 0;
        for (int i = 0; i < PACKETS; ) {
            switch (i % 5) {
                case 0 -> w.packet(t, v4);
                case 1 -> w.packet(t, vlan);
                // Every other IPv6 slot carries one of the tunnel forms (VXLAN, GRE, ERSPAN, nested).
                case 2 -> w.packet(t, (i / 5) % 2 == 0 ? v6 : tunnels.get((i / 10) % tunnels.size()));
                default -> {
                    final List<byte[]> f = GeneratedCaptures.fragments4("10.0.0.3", "10.0.0.4", id++ & 0xFFFF,
                        Packets.udp(3868, 3868, Packets.payload(2000, 4)));
                    w.packet(t, Packets.ethernet(0x0800, f.get(0)));
                    t += 10_000;
                    i++;
                    w.packet(t, Packets.ethernet(0x0800, f.get(1)));
                }
            }
            t += 10_000;
            i++;
        }
        return w.writeTo(dir.resolve("mixed.pcap"));
    }
}
