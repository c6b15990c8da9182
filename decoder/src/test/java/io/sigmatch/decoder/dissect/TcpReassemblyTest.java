package io.sigmatch.decoder.dissect;

import static io.sigmatch.decoder.dissect.TransportBytes.ACK;
import static io.sigmatch.decoder.dissect.TransportBytes.FIN;
import static io.sigmatch.decoder.dissect.TransportBytes.PSH;
import static io.sigmatch.decoder.dissect.TransportBytes.RST;
import static io.sigmatch.decoder.dissect.TransportBytes.SYN;
import static io.sigmatch.decoder.dissect.TransportBytes.diameter;
import static io.sigmatch.decoder.dissect.TransportBytes.sip;
import static io.sigmatch.decoder.dissect.TransportBytes.tcp;
import static io.sigmatch.decoder.testing.Packets.concat;
import static io.sigmatch.decoder.testing.Packets.slice;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import io.sigmatch.decoder.capture.LinkType;
import io.sigmatch.decoder.testing.Packets;
import org.junit.jupiter.api.Test;

/** TCP reassembly case by case, with a test Diameter framer on port 3868 and a SIP framer on 5060. */
class TcpReassemblyTest {
    private static final String CLIENT = "10.0.0.1";
    private static final String SERVER = "10.0.0.2";
    private static final int CPORT = 40_000;
    private static final long ISN = 1000; // the client's initial sequence number; data starts at ISN + 1

    private final StreamFramers.Diameter diameter = new StreamFramers.Diameter();
    private final StreamFramers.Sip sipFramer = new StreamFramers.Sip();
    private DissectorHarness h;
    private TcpReassembly tcp;

    private void setUp(final DissectorConfig config) {
        h = new DissectorHarness(config);
        h.dispatch.tcpPort(3868, diameter);
        h.dispatch.tcpPort(5060, sipFramer);
        tcp = new TcpReassembly(h.counters, h.dispatch, config);
        h.dissector.tcp(tcp);
    }

    private TcpReassemblyTest() {
        setUp(new DissectorConfig());
    }

    /** Client to server segment whose first data byte is at stream offset rel (0 = first byte). */
    private void toServer(final long rel, final int flags, final byte[] data) {
        h.frame(LinkType.RAW, Packets.ipv4(CLIENT, SERVER, 6, tcp(CPORT, 3868, ISN + 1 + rel, 1, flags, data)));
    }

    private void toClient(final long seq, final int flags, final byte[] data) {
        h.frame(LinkType.RAW, Packets.ipv4(SERVER, CLIENT, 6, tcp(3868, CPORT, seq, ISN + 1, flags, data)));
    }

    private void handshake() {
        h.frame(LinkType.RAW, Packets.ipv4(CLIENT, SERVER, 6, tcp(CPORT, 3868, ISN, 0, SYN, new byte[0])));
        toClient(5000, SYN | ACK, new byte[0]);
        toServer(0, ACK, new byte[0]);
    }

    @Test
    void oneMessagePerSegmentWithTheFrameAndPortsOfTheSegment() {
        handshake();
        final byte[] cer = diameter(257, true, 120, 1);
        toServer(0, PSH | ACK, cer); // frame 4
        toClient(5001, PSH | ACK, diameter(257, false, 100, 2)); // frame 5: the other direction is its own stream
        assertEquals(List.of("4\t40000\t3868\t120\t257", "5\t3868\t40000\t100\t257"), diameter.lines);
        assertArrayEquals(cer, diameter.bodies.get(0));
        assertEquals(1, h.count("dissect.tcp.flows.created"), "both directions are one flow");
        assertEquals(0, h.count("dissect.tcp.midstream"));
    }

    @Test
    void severalMessagesInOneSegmentAndOneAcrossMany() {
        handshake();
        final byte[] a = diameter(280, true, 60, 1);
        final byte[] b = diameter(280, false, 64, 2);
        final byte[] big = diameter(316, true, 3000, 3);
        final byte[] stream = concat(a, b, big);
        toServer(0, ACK, slice(stream, 0, 1000)); // frame 4: a, b and the first 876 bytes of big
        toServer(1000, ACK, slice(stream, 1000, 2000)); // frame 5: big's middle
        toServer(2000, ACK, slice(stream, 2000, stream.length)); // frame 6: big's end
        assertEquals(List.of("4\t40000\t3868\t60\t280", "4\t40000\t3868\t64\t280", "6\t40000\t3868\t3000\t316"),
            diameter.lines);
        assertArrayEquals(big, diameter.bodies.get(2));
    }

    @Test
    void headerSplitAcrossSegments() {
        handshake();
        final byte[] m = diameter(272, true, 200, 4);
        toServer(0, ACK, slice(m, 0, 2)); // frame 4: not even the length yet
        toServer(2, ACK, slice(m, 2, 200)); // frame 5
        assertEquals(List.of("5\t40000\t3868\t200\t272"), diameter.lines);
    }

    @Test
    void outOfOrderSegmentsCompleteWhenTheHoleFills() {
        handshake();
        final byte[] m1 = diameter(272, true, 400, 1);
        final byte[] m2 = diameter(272, false, 100, 2);
        final byte[] s = concat(m1, m2);
        toServer(300, ACK, slice(s, 300, 500)); // frame 4: the end of m1 and m2, early
        toServer(0, ACK, slice(s, 0, 300)); // frame 5: fills the hole, both complete here
        assertEquals(List.of("5\t40000\t3868\t400\t272", "5\t40000\t3868\t100\t272"), diameter.lines);
        assertArrayEquals(m1, diameter.bodies.get(0));
        assertEquals(1, h.count("dissect.tcp.out_of_order"));
    }

    @Test
    void retransmissionsAreDeliveredOnceAndOverlapsKeepTheFirstCopy() {
        handshake();
        final byte[] m = diameter(318, true, 100, 1);
        toServer(0, ACK, slice(m, 0, 60)); // frame 4
        toServer(0, ACK, slice(m, 0, 60)); // frame 5: exact retransmission
        final byte[] liar = slice(m, 40, 100).clone();
        liar[0] ^= 0x55; // byte 40 differs from the first copy
        toServer(40, ACK, liar); // frame 6: overlaps bytes 40..59, brings 60..99
        toServer(0, ACK, m); // frame 7: the whole message again
        assertEquals(List.of("6\t40000\t3868\t100\t318"), diameter.lines);
        assertArrayEquals(m, diameter.bodies.get(0), "first-seen bytes win");
        assertEquals(2, h.count("dissect.tcp.retransmitted"));
        assertEquals(20, h.count("dissect.tcp.overlap_bytes"));
    }

    @Test
    void heldSegmentsOverlappingEachOtherKeepTheFirstCopy() {
        handshake();
        final byte[] m = diameter(318, true, 200, 1);
        toServer(100, ACK, slice(m, 100, 150)); // held
        final byte[] wide = slice(m, 80, 180).clone();
        wide[30] ^= 1; // byte 110: already held, must not replace it
        toServer(80, ACK, wide); // held around the first one: pieces 80..99 and 150..179 kept
        toServer(0, ACK, slice(m, 0, 80)); // fills 0..79
        toServer(180, ACK, slice(m, 180, 200));
        assertEquals(List.of("7\t40000\t3868\t200\t318"), diameter.lines);
        assertArrayEquals(m, diameter.bodies.get(0));
        assertEquals(50, h.count("dissect.tcp.overlap_bytes"));
    }

    @Test
    void aLostSegmentInsideAKnownLengthMessageSkipsExactlyToTheNextMessage() {
        setUp(new DissectorConfig().tcpGapTimeoutNs(5_000_000L)); // 5 ms (frames are 1 ms apart)
        handshake();
        final byte[] m1 = diameter(272, true, 400, 1);
        final byte[] m2 = diameter(316, true, 80, 2);
        final byte[] m3 = diameter(316, false, 80, 3);
        final byte[] s = concat(m1, m2, m3);
        toServer(0, ACK, slice(s, 0, 100)); // frame 4: m1 starts, its length is known
        // bytes 100..199 are never seen
        toServer(200, ACK, slice(s, 200, 480)); // frame 5: m1's tail and m2, held behind the hole
        for (int i = 0; i < 6; i++) {
            toServer(0, ACK, new byte[0]); // frames 6..11: ACKs let capture time pass; at 11 the hole is 6 ms old
        }
        toServer(480, ACK, slice(s, 480, 560)); // frame 12: m3
        assertEquals(List.of("11\t40000\t3868\t80\t316", "12\t40000\t3868\t80\t316"), diameter.lines);
        assertEquals(1, h.count("dissect.tcp.gaps"));
        assertEquals(100, h.count("dissect.tcp.drop.lost_bytes"));
        assertEquals(100, h.count("dissect.tcp.drop.incomplete_bytes"), "m1's first 100 bytes");
        assertEquals(0, h.count("dissect.tcp.resyncs"), "no resynchronisation needed");
    }

    @Test
    void aLostSegmentAtAMessageBoundaryResynchronises() {
        setUp(new DissectorConfig().tcpGapTimeoutNs(2_000_000L));
        handshake();
        final byte[] m1 = diameter(272, true, 100, 1);
        final byte[] m2 = diameter(272, true, 100, 2);
        final byte[] m3 = diameter(316, true, 100, 3);
        final byte[] s = concat(m1, m2, m3);
        toServer(0, ACK, slice(s, 0, 100)); // frame 4: m1
        toServer(150, ACK, slice(s, 150, 300)); // frame 5: m2's tail and m3, after a hole
        toServer(0, ACK, new byte[0]);
        toServer(0, ACK, new byte[0]);
        toServer(300, ACK, new byte[0]); // frame 8: the hole is 3 ms old
        assertEquals(List.of("4\t40000\t3868\t100\t272", "8\t40000\t3868\t100\t316"), diameter.lines);
        assertEquals(50, h.count("dissect.tcp.drop.lost_bytes"));
        assertEquals(50, h.count("dissect.tcp.drop.resync_bytes"), "m2's tail skipped");
        assertEquals(1, h.count("dissect.tcp.resyncs"));
    }

    @Test
    void tooManySegmentsHeldBehindAHoleGivesItUp() {
        setUp(new DissectorConfig().tcpMaxHeldSegmentsPerDirection(3));
        handshake();
        final byte[][] m = new byte[6][];
        for (int i = 0; i < 6; i++) {
            m[i] = diameter(280, true, 40, i);
        }
        final byte[] s = concat(m);
        for (int i = 1; i < 5; i++) {
            toServer(i * 40L, ACK, m[i]); // frames 4..7; m[0] is lost
        }
        toServer(200, ACK, m[5]); // frame 8
        assertEquals(List.of("7\t40000\t3868\t40\t280", "7\t40000\t3868\t40\t280", "7\t40000\t3868\t40\t280",
            "7\t40000\t3868\t40\t280", "8\t40000\t3868\t40\t280"), diameter.lines);
        assertEquals(40, h.count("dissect.tcp.drop.lost_bytes"));
        assertEquals(s.length, 240);
    }

    @Test
    void midStreamStartResynchronisesAtTheNextMessage() {
        final byte[] m1 = diameter(272, true, 100, 1);
        final byte[] m2 = diameter(316, true, 60, 2);
        final byte[] s = concat(m1, m2);
        toServer(37, ACK, slice(s, 37, 160)); // frame 1: no SYN seen, starts inside m1
        assertEquals(List.of("1\t40000\t3868\t60\t316"), diameter.lines);
        assertEquals(1, h.count("dissect.tcp.midstream"));
        assertEquals(63, h.count("dissect.tcp.drop.resync_bytes"));
    }

    @Test
    void midStreamAtABoundaryLosesNothing() {
        toServer(0, ACK, diameter(280, true, 64, 1));
        assertEquals(List.of("1\t40000\t3868\t64\t280"), diameter.lines);
        assertEquals(0, h.count("dissect.tcp.drop.resync_bytes"));
    }

    @Test
    void finClosesTheFlowOnceBothDirectionsAreDone() {
        handshake();
        toServer(0, ACK | FIN, concat(diameter(282, true, 40, 1), slice(diameter(282, true, 40, 2), 0, 10)));
        toClient(5001, ACK | FIN, diameter(282, false, 40, 3));
        assertEquals(2, diameter.lines.size());
        assertEquals(0, tcp.activeFlows());
        assertEquals(1, h.count("dissect.tcp.flows.closed"));
        assertEquals(10, h.count("dissect.tcp.drop.incomplete_bytes"));
        assertEquals(0, tcp.heldChunkBytes(), "every chunk back in the pool");
    }

    @Test
    void finWaitsForTheBytesBeforeIt() {
        handshake();
        final byte[] m = diameter(282, true, 80, 1);
        toServer(40, ACK | FIN, slice(m, 40, 80)); // FIN early, the first half missing
        toClient(5001, ACK | FIN, new byte[0]);
        assertEquals(1, tcp.activeFlows(), "the client's direction is not done yet");
        toServer(0, ACK, slice(m, 0, 40));
        assertEquals(List.of("6\t40000\t3868\t80\t282"), diameter.lines);
        assertEquals(0, tcp.activeFlows());
    }

    @Test
    void rstFreesTheFlowAndCountsWhatWasIncomplete() {
        handshake();
        toServer(0, ACK, slice(diameter(282, true, 80, 1), 0, 30));
        toClient(5001, RST, new byte[0]);
        assertEquals(0, tcp.activeFlows());
        assertEquals(1, h.count("dissect.tcp.flows.reset"));
        assertEquals(30, h.count("dissect.tcp.drop.incomplete_bytes"));
        assertEquals(0, tcp.heldChunkBytes());
    }

    @Test
    void idleFlowsExpireByCaptureTimeAndDeliverWhatIsComplete() {
        setUp(new DissectorConfig().tcpIdleTimeoutNs(10_000_000L));
        handshake();
        final byte[] a = diameter(280, true, 40, 1);
        final byte[] b = diameter(280, true, 40, 2);
        toServer(40, ACK, b); // frame 4: held behind a hole that never fills
        assertEquals(0, diameter.lines.size());
        h.frameAt(DissectorHarness.T0 + 1_000_000_000L, LinkType.RAW,
            Packets.ipv4("10.9.9.9", "10.9.9.8", 6, tcp(1, 2, 0, 0, ACK, new byte[0]))); // unrelated, 1 s later
        assertEquals(List.of("4\t40000\t3868\t40\t280"), diameter.lines, "b delivered when the flow expired");
        assertEquals(1, h.count("dissect.tcp.flows.expired"));
        assertEquals(40, h.count("dissect.tcp.drop.lost_bytes"));
        assertEquals(0, tcp.activeFlows());
        assertEquals(a.length, 40);
    }

    @Test
    void aFullTableEvictsTheLeastRecentlySeenFlow() {
        setUp(new DissectorConfig().tcpMaxFlows(2));
        for (int port = 1; port <= 3; port++) {
            h.frame(LinkType.RAW, Packets.ipv4(CLIENT, SERVER, 6,
                tcp(port, 3868, 0, 0, ACK, slice(diameter(280, true, 40, port), 0, 10))));
        }
        assertEquals(2, tcp.activeFlows());
        assertEquals(1, h.count("dissect.tcp.flows.evicted"));
        assertEquals(10, h.count("dissect.tcp.drop.incomplete_bytes"));
    }

    @Test
    void unroutedPortsGetNoState() {
        h.frame(LinkType.RAW, Packets.ipv4(CLIENT, SERVER, 6, tcp(40_000, 80, 1, 1, ACK, new byte[100])));
        assertEquals(1, h.count("dissect.tcp.unclaimed"));
        assertEquals(0, tcp.activeFlows());
    }

    @Test
    void sequenceNumbersWrapAround() {
        final long isn = 0xFFFF_FFF0L;
        final byte[] m = diameter(280, true, 64, 1);
        h.frame(LinkType.RAW, Packets.ipv4(CLIENT, SERVER, 6, tcp(CPORT, 3868, isn, 0, SYN, new byte[0])));
        h.frame(LinkType.RAW, Packets.ipv4(CLIENT, SERVER, 6, tcp(CPORT, 3868, isn + 1, 0, ACK, slice(m, 0, 32))));
        h.frame(LinkType.RAW, Packets.ipv4(CLIENT, SERVER, 6, tcp(CPORT, 3868, isn + 33, 0, ACK, slice(m, 32, 64))));
        assertEquals(List.of("3\t40000\t3868\t64\t280"), diameter.lines);
    }

    @Test
    void aMessageLongerThanTheLimitIsSkippedByItsLength() {
        setUp(new DissectorConfig().tcpMaxMessageBytes(1024).tcpBufferBudgetBytes(1 << 20));
        handshake();
        final byte[] huge = diameter(272, true, 4000, 1);
        final byte[] next = diameter(280, true, 40, 2);
        toServer(0, ACK, slice(huge, 0, 1400));
        toServer(1400, ACK, slice(huge, 1400, 2800));
        toServer(2800, ACK, concat(slice(huge, 2800, 4000), next));
        assertEquals(List.of("6\t40000\t3868\t40\t280"), diameter.lines);
        assertEquals(1, h.count("dissect.tcp.drop.too_big"));
    }

    @Test
    void garbageInAStreamIsCountedAndSkipped() {
        handshake();
        toServer(0, ACK, concat(new byte[] {9, 9, 9, 9, 9, 9, 9}, diameter(280, true, 40, 1)));
        assertEquals(List.of("4\t40000\t3868\t40\t280"), diameter.lines);
        assertEquals(1, h.count("dissect.tcp.drop.not_a_message"));
        assertEquals(7, h.count("dissect.tcp.drop.resync_bytes"));
    }

    @Test
    void sipFramedByContentLength() {
        final byte[] invite = sip("INVITE", 120);
        final byte[] bye = sip("BYE", 0);
        final byte[] s = concat(invite, bye);
        h.frame(LinkType.RAW, Packets.ipv4(CLIENT, SERVER, 6, tcp(CPORT, 5060, 7, 0, SYN, new byte[0])));
        h.frame(LinkType.RAW, Packets.ipv4(CLIENT, SERVER, 6, tcp(CPORT, 5060, 8, 0, ACK, slice(s, 0, 50))));
        h.frame(LinkType.RAW, Packets.ipv4(CLIENT, SERVER, 6, tcp(CPORT, 5060, 58, 0, ACK, slice(s, 50, s.length))));
        assertEquals(List.of("3\t40000\t5060\t" + invite.length + "\tINVITE", "3\t40000\t5060\t" + bye.length + "\tBYE"),
            sipFramer.lines);
    }

    @Test
    void aNewSynOnTheSamePortsStartsANewConnection() {
        handshake();
        toServer(0, ACK, slice(diameter(280, true, 40, 1), 0, 20));
        h.frame(LinkType.RAW, Packets.ipv4(CLIENT, SERVER, 6, tcp(CPORT, 3868, 900_000, 0, SYN, new byte[0])));
        h.frame(LinkType.RAW, Packets.ipv4(CLIENT, SERVER, 6,
            tcp(CPORT, 3868, 900_001, 0, ACK, diameter(280, true, 40, 2))));
        assertEquals(List.of("6\t40000\t3868\t40\t280"), diameter.lines);
        assertEquals(1, h.count("dissect.tcp.flows.reused"));
    }

    @Test
    void badHeadersAreCounted() {
        h.frame(LinkType.RAW, Packets.ipv4(CLIENT, SERVER, 6, new byte[19]));
        final byte[] shortOffset = tcp(CPORT, 3868, 1, 1, ACK, new byte[0]);
        shortOffset[12] = 4 << 4; // data offset 4 words: less than the fixed header
        h.frame(LinkType.RAW, Packets.ipv4(CLIENT, SERVER, 6, shortOffset));
        final byte[] longOffset = tcp(CPORT, 3868, 1, 1, ACK, new byte[8]);
        longOffset[12] = (byte) (15 << 4); // 60 bytes of header in a 28-byte segment
        h.frame(LinkType.RAW, Packets.ipv4(CLIENT, SERVER, 6, longOffset));
        assertEquals(2, h.count("dissect.tcp.error.truncated"));
        assertEquals(1, h.count("dissect.tcp.error.bad_header_length"));
    }

    @Test
    void limitsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new DissectorConfig().tcpMaxFlows(0).conclude());
        assertThrows(IllegalArgumentException.class,
            () -> new DissectorConfig().tcpMaxMessageBytes(1 << 20).tcpBufferBudgetBytes(1 << 20).conclude());
        assertThrows(IllegalArgumentException.class, () -> new DissectorConfig().tcpGapTimeoutNs(0).conclude());
    }
}
