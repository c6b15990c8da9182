package io.sigmatch.decoder.dissect;

import static io.sigmatch.decoder.dissect.TransportBytes.ACK;
import static io.sigmatch.decoder.dissect.TransportBytes.SYN;
import static io.sigmatch.decoder.dissect.TransportBytes.diameter;
import static io.sigmatch.decoder.dissect.TransportBytes.tcp;
import static io.sigmatch.decoder.testing.Packets.slice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

import io.sigmatch.decoder.capture.LinkType;
import io.sigmatch.decoder.testing.Packets;
import org.junit.jupiter.api.Test;

/**
 * Issue 3 "memory held by 100 000 concurrent TCP flows": 100 000 Diameter flows, each opened by a
 * SYN and left holding the first 20 bytes (the header alone) of a 400-byte message, so every flow
 * keeps a partial message buffered. Measured two ways: the reassembler's own chunk accounting and
 * the heap used after System.gc() before the reassembler exists and after the flows are open.
 */
class TcpFlowMemoryTest {
    private static final int FLOWS = 100_000;
    private static final int HELD = 20; // one Diameter header (RFC 6733 3) of a longer message
    private static final int BUDGET = 32 << 20;

    private static long heapUsed(final MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    @Test
    void hundredThousandFlowsEachHoldingAPartialMessageStayInTheBudget() {
        final DissectorConfig config = new DissectorConfig()
            .tcpMaxFlows(FLOWS)
            .tcpBufferBudgetBytes(BUDGET)
            .tcpIdleTimeoutNs(3_600_000_000_000L); // nothing expires during the test
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        final DissectorHarness h = new DissectorHarness(config);
        final StreamFramers.Diameter framer = new StreamFramers.Diameter();
        h.dispatch.tcpPort(3868, framer);
        final byte[] header = slice(diameter(272, true, 400, 1), 0, HELD);
        final long before = heapUsed(memory);

        final TcpReassembly tcp = new TcpReassembly(h.counters, h.dispatch, config);
        h.dissector.tcp(tcp);
        final long built = heapUsed(memory);
        long t = DissectorHarness.T0;
        for (int i = 0; i < FLOWS; i++) {
            // A distinct client per flow: 10.(i>>16).(i>>8).i, port 20000 + i % 40000.
            final String client = "10." + (1 + (i >>> 16)) + "." + ((i >>> 8) & 0xFF) + "." + (i & 0xFF);
            final int port = 20_000 + i % 40_000;
            h.frameAt(t, LinkType.RAW, Packets.ipv4(client, "10.200.0.1", 6, tcp(port, 3868, 1000, 0, SYN, new byte[0])));
            h.frameAt(t + 1_000, LinkType.RAW, Packets.ipv4(client, "10.200.0.1", 6, tcp(port, 3868, 1001, 1, ACK, header)));
            t += 2_000;
        }
        final long filled = heapUsed(memory);

        assertEquals(FLOWS, tcp.activeFlows(), "every flow still tracked");
        assertEquals(FLOWS, h.count("dissect.tcp.flows.created"));
        assertEquals(0, h.count("dissect.tcp.flows.evicted"));
        assertEquals(0, h.count("dissect.tcp.flows.expired"));
        assertEquals(0, h.count("dissect.tcp.drop.no_memory_bytes"));
        assertEquals(0, h.count("dissect.tcp.messages"), "no message is complete yet");
        assertEquals(0, h.errors());
        final long held = tcp.heldChunkBytes();
        // Each partial message takes one chunk of the pool: the accounting is per chunk, not per byte.
        assertEquals((long) FLOWS * ChunkPool.CHUNK_BYTES, held);
        assertTrue(held <= BUDGET, held + " bytes held over the budget " + BUDGET);

        final long tables = built - before;
        final long total = filled - before;
        System.out.println(FLOWS + " flows: " + held + " bytes, " + held / FLOWS + " bytes/flow (reassembler chunks)");
        System.out.println(FLOWS + " flows: " + total + " bytes, " + total / FLOWS + " bytes/flow (heap: "
            + tables + " bytes of fixed tables at construction, " + (filled - built) + " bytes once filled)");
        // The heap growth is the fixed tables plus the chunk slabs, bounded by the budget: nothing
        // per flow beyond what the configuration reserved. 64 KiB slack for GC accounting noise.
        assertTrue(filled - built <= BUDGET + 64 * 1024, "heap grew " + (filled - built) + " bytes past the tables");
        assertTrue(total <= BUDGET + (long) FLOWS * 512, "heap held " + total + " bytes for " + FLOWS + " flows");

        // And they are live state, not leaked: the rest of one message completes it.
        h.frameAt(t, LinkType.RAW, Packets.ipv4("10.1.0.0", "10.200.0.1", 6,
            tcp(20_000, 3868, 1001 + HELD, 1, ACK, slice(diameter(272, true, 400, 1), HELD, 400))));
        assertEquals(1, h.count("dissect.tcp.messages"));
    }
}
