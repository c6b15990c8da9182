package io.sigmatch.decoder.dissect;

import static io.sigmatch.decoder.dissect.TransportBytes.chunk;
import static io.sigmatch.decoder.dissect.TransportBytes.data;
import static io.sigmatch.decoder.dissect.TransportBytes.idata;
import static io.sigmatch.decoder.dissect.TransportBytes.sctp;
import static io.sigmatch.decoder.testing.Packets.concat;
import static io.sigmatch.decoder.testing.Packets.payload;
import static io.sigmatch.decoder.testing.Packets.slice;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.PayloadDecoder;
import io.sigmatch.decoder.capture.LinkType;
import io.sigmatch.decoder.testing.Packets;
import org.junit.jupiter.api.Test;

/** SCTP chunk by chunk: bundling, padding, DATA and I-DATA reassembly, duplicates, dispatch. */
class SctpDissectorTest {
    private static final int B = 2;
    private static final int E = 1;
    private static final int U = 4;
    private static final int BE = B | E;
    private static final long VTAG = 0xCAFEF00DL;

    /** Records "frame\tsrc\tdst\tppid\tstream\tlength" per user message. */
    private static final class Messages implements PayloadDecoder {
        final List<String> lines = new ArrayList<>();
        final List<byte[]> bodies = new ArrayList<>();

        @Override
        public void decode(final PacketInfo p, final ByteBuf b, final int off, final int len, final MessageSink s) {
            final byte[] bytes = new byte[len];
            b.getBytes(off, bytes);
            bodies.add(bytes);
            lines.add(p.frame + "\t" + p.srcPort + "\t" + p.dstPort + "\t" + (p.sctpPpid & 0xFFFFFFFFL) + "\t"
                + p.sctpStream + "\t" + len);
        }
    }

    private final Messages s1ap = new Messages();
    private final Messages byPort = new Messages();
    private DissectorHarness h;
    private SctpDissector sctp;

    SctpDissectorTest() {
        setUp(new DissectorConfig());
    }

    private void setUp(final DissectorConfig config) {
        h = new DissectorHarness(config);
        h.dispatch.sctpPpid(18, s1ap);
        h.dispatch.sctpPort(2905, byPort);
        sctp = new SctpDissector(h.counters, h.dispatch, config);
        h.dissector.sctp(sctp);
    }

    private void packet(final byte[]... chunks) {
        h.frame(LinkType.RAW, Packets.ipv4("10.0.0.1", "10.0.0.2", Packets.PROTO_SCTP, sctp(36412, 36412, VTAG, chunks)));
    }

    @Test
    void oneDataChunk() {
        final byte[] m = payload(37, 1); // 37 bytes: 3 bytes of padding follow
        packet(data(BE, 100, 3, 0, 18, m));
        assertEquals(List.of("1\t36412\t36412\t18\t3\t37"), s1ap.lines);
        assertArrayEquals(m, s1ap.bodies.get(0));
    }

    @Test
    void bundledChunksWithPaddingAndControlChunksCountedByType() {
        packet(chunk(3, 12), data(BE, 1, 0, 0, 18, payload(5, 1)), chunk(4, 9), data(BE, 2, 1, 0, 18, payload(6, 2)));
        assertEquals(List.of("1\t36412\t36412\t18\t0\t5", "1\t36412\t36412\t18\t1\t6"), s1ap.lines);
        assertEquals(1, h.count("dissect.sctp.chunk.sack"));
        assertEquals(1, h.count("dissect.sctp.chunk.heartbeat"));
        assertEquals(2, h.count("dissect.sctp.chunk.data"));
    }

    @Test
    void fragmentsReassembledByTsnInAnyOrderAtTheFrameThatCompletes() {
        final byte[] m = payload(3000, 7);
        packet(data(E, 12, 1, 5, 18, slice(m, 2000, 3000))); // frame 1: last
        packet(data(B, 10, 1, 5, 18, slice(m, 0, 1000))); // frame 2: first
        assertEquals(0, s1ap.lines.size());
        packet(data(0, 11, 1, 5, 18, slice(m, 1000, 2000))); // frame 3: middle completes it
        assertEquals(List.of("3\t36412\t36412\t18\t1\t3000"), s1ap.lines);
        assertArrayEquals(m, s1ap.bodies.get(0));
        assertEquals(0, sctp.pendingFragments());
        assertEquals(1, h.count("dissect.sctp.reassembled"));
    }

    @Test
    void duplicateTsnsAreDeliveredOnce() {
        packet(data(BE, 50, 0, 0, 18, payload(10, 1)));
        packet(data(BE, 50, 0, 0, 18, payload(10, 1))); // retransmission
        packet(data(B, 51, 0, 1, 18, payload(10, 2)));
        packet(data(B, 51, 0, 1, 18, payload(10, 2))); // retransmitted fragment
        packet(data(E, 52, 0, 1, 18, payload(10, 3)));
        assertEquals(List.of("1\t36412\t36412\t18\t0\t10", "5\t36412\t36412\t18\t0\t20"), s1ap.lines);
        assertEquals(2, h.count("dissect.sctp.drop.duplicate_tsn"));
    }

    @Test
    void tsnWindowSlidesAndWraps() {
        packet(data(BE, 0xFFFF_FFFEL, 0, 0, 18, payload(4, 1)));
        packet(data(BE, 0x1_0000_0001L & 0xFFFF_FFFFL, 0, 0, 18, payload(4, 2))); // TSN 1, after the wrap
        packet(data(BE, 0xFFFF_FFFFL, 0, 0, 18, payload(4, 3))); // late but new
        packet(data(BE, 0xFFFF_FFFEL, 0, 0, 18, payload(4, 1))); // duplicate
        packet(data(BE, 200, 0, 0, 18, payload(4, 4))); // far ahead: window restarts
        packet(data(BE, 1, 0, 0, 18, payload(4, 2))); // now older than the window
        assertEquals(4, s1ap.lines.size());
        assertEquals(1, h.count("dissect.sctp.drop.duplicate_tsn"));
        assertEquals(1, h.count("dissect.sctp.drop.stale_tsn"));
    }

    @Test
    void twoStreamsInterleaveTheirFragments() {
        final byte[] a = payload(200, 1);
        final byte[] b = payload(300, 2);
        packet(data(B, 1, 1, 0, 18, slice(a, 0, 100)), data(B, 2, 2, 0, 18, slice(b, 0, 100)));
        packet(data(0, 3, 2, 0, 18, slice(b, 100, 200)));
        // DATA fragments of one message must have consecutive TSNs: a's end at TSN 2 is taken by b,
        // so this is the sender putting a's tail at TSN 4 — not a message of a (RFC 9260 6.9).
        packet(data(E, 4, 2, 0, 18, slice(b, 200, 300)));
        assertEquals(List.of("3\t36412\t36412\t18\t2\t300"), s1ap.lines);
        assertArrayEquals(b, s1ap.bodies.get(0));
        assertEquals(1, sctp.pendingFragments(), "a's first fragment waits");
    }

    @Test
    void unorderedFragments() {
        final byte[] m = payload(500, 3);
        packet(data(U | B, 7, 4, 99, 18, slice(m, 0, 250)));
        packet(data(U | E, 8, 4, 12, 18, slice(m, 250, 500))); // the SSN of an unordered message means nothing
        assertEquals(List.of("2\t36412\t36412\t18\t4\t500"), s1ap.lines);
    }

    @Test
    void iDataFragmentsByMidAndFsnInterleaved() {
        final byte[] m1 = payload(300, 1);
        final byte[] m2 = payload(200, 2);
        packet(idata(B, 1, 1, 10, 18, slice(m1, 0, 100))); // MID 10, FSN 0 (B), PPID 18
        packet(idata(B, 2, 1, 11, 18, slice(m2, 0, 100))); // MID 11 starts before 10 ends
        packet(idata(0, 3, 1, 10, 1, slice(m1, 100, 200))); // MID 10 FSN 1
        packet(idata(E, 4, 1, 11, 1, slice(m2, 100, 200))); // MID 11 FSN 1: complete
        packet(idata(E, 5, 1, 10, 2, slice(m1, 200, 300))); // MID 10 FSN 2: complete
        assertEquals(List.of("4\t36412\t36412\t18\t1\t200", "5\t36412\t36412\t18\t1\t300"), s1ap.lines);
        assertArrayEquals(m1, s1ap.bodies.get(1));
        assertEquals(5, h.count("dissect.sctp.chunk.i_data"));
    }

    @Test
    void unfragmentedIData() {
        packet(idata(BE, 9, 2, 0, 18, payload(21, 1)));
        assertEquals(List.of("1\t36412\t36412\t18\t2\t21"), s1ap.lines);
    }

    @Test
    void dispatchByPpidThenPortElseUnclaimed() {
        h.frame(LinkType.RAW, Packets.ipv4("10.0.0.1", "10.0.0.2", Packets.PROTO_SCTP,
            sctp(40_000, 2905, VTAG, data(BE, 1, 0, 0, 3, payload(8, 1))))); // M3UA PPID 3: no PPID route, port 2905
        h.frame(LinkType.RAW, Packets.ipv4("10.0.0.1", "10.0.0.2", Packets.PROTO_SCTP,
            sctp(40_000, 2905, VTAG, data(BE, 2, 0, 0, 18, payload(8, 2))))); // PPID 18 wins over the port
        h.frame(LinkType.RAW, Packets.ipv4("10.0.0.1", "10.0.0.2", Packets.PROTO_SCTP,
            sctp(40_000, 9999, VTAG, data(BE, 3, 0, 0, 0xFFFF_FFFFL, payload(8, 3))))); // nobody
        assertEquals(List.of("1\t40000\t2905\t3\t0\t8"), byPort.lines);
        assertEquals(List.of("2\t40000\t2905\t18\t0\t8"), s1ap.lines);
        assertEquals(1, h.count("dissect.sctp.unclaimed"));
    }

    @Test
    void malformedChunksStopThePacketAndAreCounted() {
        final byte[] zeroLength = chunk(3, 0);
        zeroLength[3] = 0; // length 0: would loop forever
        packet(zeroLength);
        final byte[] tooLong = data(BE, 1, 0, 0, 18, payload(8, 1));
        tooLong[3] = (byte) 200; // length beyond the packet
        packet(tooLong);
        final byte[] shortData = chunk(0, 4); // DATA of 8 bytes: shorter than its header
        packet(shortData);
        packet(data(BE, 2, 0, 0, 18, new byte[0])); // DATA without user data
        h.frame(LinkType.RAW, Packets.ipv4("10.0.0.1", "10.0.0.2", Packets.PROTO_SCTP, new byte[11]));
        assertEquals(1, h.count("dissect.sctp.error.bad_chunk_length"));
        assertEquals(1, h.count("dissect.sctp.error.chunk_truncated"));
        assertEquals(1, h.count("dissect.sctp.error.data_bad_length"));
        assertEquals(1, h.count("dissect.sctp.error.data_empty"));
        assertEquals(1, h.count("dissect.sctp.error.truncated"));
        assertEquals(0, s1ap.lines.size());
    }

    @Test
    void incompleteMessagesExpireAndTheEndOfInputCountsTheRest() {
        setUp(new DissectorConfig().sctpReassemblyTimeoutNs(5_000_000L));
        packet(data(B, 1, 0, 0, 18, payload(10, 1))); // never completed
        h.frameAt(DissectorHarness.T0 + 1_000_000_000L, LinkType.RAW, Packets.ipv4("10.0.0.1", "10.0.0.2",
            Packets.PROTO_SCTP, sctp(36412, 36412, VTAG, data(B, 5, 0, 1, 18, payload(10, 2)))));
        assertEquals(1, h.count("dissect.sctp.drop.timeout"));
        h.dissector.finish();
        assertEquals(1, h.count("dissect.sctp.drop.incomplete_at_end"));
        assertEquals(0, sctp.pendingFragments());
    }

    @Test
    void aFullFragmentTableEvictsTheOldest() {
        setUp(new DissectorConfig().sctpMaxFragments(2));
        packet(data(B, 1, 0, 0, 18, payload(10, 1)));
        packet(data(B, 3, 0, 1, 18, payload(10, 2)));
        packet(data(B, 5, 0, 2, 18, payload(10, 3)));
        packet(data(E, 6, 0, 2, 18, payload(10, 4)));
        assertEquals(List.of("4\t36412\t36412\t18\t0\t20"), s1ap.lines);
        assertEquals(2, h.count("dissect.sctp.drop.evicted"));
    }

    @Test
    void aMessageLargerThanTheLimitIsDropped() {
        setUp(new DissectorConfig().sctpMaxMessageBytes(1000).sctpReassemblyBudgetBytes(1 << 16));
        packet(data(B, 1, 0, 0, 18, payload(600, 1)));
        packet(data(E, 2, 0, 0, 18, payload(600, 2)));
        assertEquals(0, s1ap.lines.size());
        assertEquals(1, h.count("dissect.sctp.drop.too_big"));
        assertEquals(0, sctp.pendingFragments());
    }

    @Test
    void directionsAreKeptApartByVerificationTag() {
        packet(data(BE, 1, 0, 0, 18, payload(4, 1)));
        h.frame(LinkType.RAW, Packets.ipv4("10.0.0.2", "10.0.0.1", Packets.PROTO_SCTP,
            sctp(36412, 36412, 0x1234, data(BE, 1, 0, 0, 18, payload(4, 1))))); // same TSN, other direction
        assertEquals(2, s1ap.lines.size());
        assertEquals(concat(payload(4, 1)).length, 4);
    }
}
