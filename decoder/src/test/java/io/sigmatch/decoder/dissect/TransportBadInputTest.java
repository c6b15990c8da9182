package io.sigmatch.decoder.dissect;

import static io.sigmatch.decoder.dissect.RealTransportFrames.put16;
import static io.sigmatch.decoder.dissect.RealTransportFrames.put32;
import static io.sigmatch.decoder.dissect.RealTransportFrames.tcp;
import static io.sigmatch.decoder.dissect.RealTransportFrames.u16;
import static io.sigmatch.decoder.dissect.RealTransportFrames.u32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.DecoderConfig;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.SignalingDecoder;
import io.sigmatch.decoder.SignalingJson;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.capture.Frame;
import io.sigmatch.decoder.diameter.DiameterConfig;
import io.sigmatch.decoder.testing.CorpusViews;
import io.sigmatch.decoder.testing.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad TCP and SCTP input through the whole {@link SignalingDecoder}, built from real frames:
 * Diameter over TCP from open5gs-testepc.pcapng and Diameter over SCTP from
 * magma-gx_gy_combined_03.pcapng, cut, oversized, garbled, renumbered across the 2^32 wrap, sent
 * outside any window, retransmitted with other bytes, and flooded past every table's bound.
 *
 * <p>Each case checks that every drop is counted under its reason (exact counts where the input
 * fixes them), that nothing throws ({@code dissect.error.internal} and
 * {@code dissect.error.decoder_exception} stay 0), that the state stays within its configured
 * bounds, and then that the same decoder, fed the untouched capture afterwards (an hour of capture
 * time later, so idle state has expired), decodes exactly what a fresh decoder decodes: bad input
 * costs only itself. Random cases are seeded; the seed is in every failure message.
 */
class TransportBadInputTest {
    private static final long SEED = Long.getLong("sigmatch.fuzz.seed", 0x7C9_2026L);
    private static final Path TCP_CAPTURE = Fixtures.corpus().resolve("gtpv2/open5gs-testepc.pcapng");
    private static final Path SCTP_CAPTURE = Fixtures.corpus().resolve("diameter/magma-gx_gy_combined_03.pcapng");
    private static final long HOUR_NS = 3_600_000_000_000L;

    private static List<RealTransportFrames.Real> tcpFrames;
    private static List<RealTransportFrames.Real> sctpFrames;
    private static List<String> tcpClean;
    private static List<String> sctpClean;
    private static List<String> tcpFramesClean;
    private static List<String> sctpFramesClean;

    @BeforeAll
    static void load() throws IOException {
        tcpFrames = RealTransportFrames.load(TCP_CAPTURE, RealTransportFrames.TCP);
        sctpFrames = RealTransportFrames.load(SCTP_CAPTURE, RealTransportFrames.SCTP);
        tcpClean = Run.file(new DecoderConfig(), TCP_CAPTURE);
        sctpClean = Run.file(new DecoderConfig(), SCTP_CAPTURE);
        final Run t = new Run(new DecoderConfig());
        t.replay(tcpFrames, 0);
        t.decoder.finish();
        tcpFramesClean = t.lines;
        final Run s = new Run(new DecoderConfig());
        s.replay(sctpFrames, 0);
        s.decoder.finish();
        sctpFramesClean = s.lines;
        // Wireshark: 132 Diameter messages over TCP in the one, 124 over SCTP in the other (MANIFEST.md)
        assertEquals(132, tcpClean.size());
        assertEquals(124, sctpClean.size());
        assertEquals(132, tcpFramesClean.size(), "every Diameter message is in an unfragmented IPv4 segment");
        assertEquals(124, sctpFramesClean.size());
    }

    // ---- TCP -----------------------------------------------------------------------------------------

    @Test
    void tcpSegmentsCutShortAndLyingAboutTheirHeader() throws IOException {
        final Run run = new Run(new DecoderConfig());
        long truncated = 0;
        long badHeader = 0;
        long ipTruncated = 0;
        int port = 20_000;
        for (int i = 0; i < 16; i++) {
            final RealTransportFrames.Real r = tcpFrames.get(i);
            for (int cut = 0; cut <= r.transport().length; cut += cut < 48 ? 1 : 9) {
                final byte[] seg = clientPort(Arrays.copyOf(r.transport(), cut), port++);
                run.mutant(r, seg);
                if (cut < 20 || cut < r.tcpHeader().length) {
                    truncated++; // RFC 9293 3.1: no room for the fixed header, or for its options
                }
            }
            // data offset larger than the segment, and below the 5-word minimum
            final byte[] big = clientPort(r.transport().clone(), port++);
            big[12] = (byte) 0xF0; // 15 words = 60 bytes of header
            run.mutant(r, Arrays.copyOf(big, Math.min(big.length, 59)));
            truncated++;
            for (int words = 0; words < 5; words++) {
                final byte[] small = clientPort(r.transport().clone(), port++);
                small[12] = (byte) (words << 4);
                run.mutant(r, small);
                badHeader++;
            }
            // the frame cut by the snap length: the IPv4 total length claims more than was captured
            final byte[] frame = r.frame();
            for (int keep = frame.length - 1; keep > frame.length - 40; keep -= 3) {
                run.feed(run.mutantTime(), r.linkType(), Arrays.copyOf(frame, keep));
                ipTruncated++;
            }
        }
        run.assertNothingThrew("cut segments");
        assertEquals(truncated, run.count("dissect.tcp.error.truncated"));
        assertEquals(badHeader, run.count("dissect.tcp.error.bad_header_length"));
        assertEquals(ipTruncated, run.count("dissect.ipv4.error.truncated"));
        assertTrue(run.count("dissect.tcp.midstream") > 0);
        run.cleanAfter(TCP_CAPTURE, tcpClean);
        // the partial messages of the cut flows: counted when their flows went idle, none delivered whole
        assertTrue(run.count("dissect.tcp.drop.incomplete_bytes") + run.count("dissect.tcp.drop.resync_bytes") > 0);
        assertTrue(run.count("dissect.tcp.flows.expired") > 0, "the cut flows expired before the clean replay");
    }

    @Test
    void tcpOversizedMessagesAreSkippedAndTheStreamGoesOn() throws IOException {
        // A Message Length over what Diameter accepts (RFC 6733 3: 24 bits; DiameterConfig: 64 KiB):
        // not a message; the stream resynchronises at the next plausible header.
        final Run run = new Run(new DecoderConfig());
        final List<RealTransportFrames.Real> flow = direction(tcpFrames, 0);
        final RealTransportFrames.Real first = flow.get(0);
        run.mutant(first, clientPort(syn(first), 30_000));
        final byte[] huge = first.tcpPayload();
        huge[1] = (byte) 0xFF; // Message Length 0xFFFFFC
        huge[2] = (byte) 0xFF;
        huge[3] = (byte) 0xFC;
        run.mutant(first, clientPort(tcp(first.tcpHeader(), first.tcpSeq(), huge), 30_000));
        final RealTransportFrames.Real second = flow.get(1);
        run.mutant(second, clientPort(second.transport().clone(), 30_000));
        run.assertNothingThrew("huge length");
        assertTrue(run.count("dissect.tcp.drop.not_a_message") >= 1);
        assertEquals(1, run.count("dissect.tcp.resyncs"), "found the next message's header");
        assertEquals(1, run.lines.size(), "the message after the bad one decoded");
        assertEquals(tcpFramesClean.get(indexOf(second)), run.lines.get(0));
        run.cleanAfter(TCP_CAPTURE, tcpClean);

        // A message longer than the stream reassembler holds (tcpMaxMessageBytes) but acceptable to
        // the decoder: dropped as too big, and the next message found. (The Diameter decoder says
        // NEED_MORE rather than the length until a message is whole, so this is by header search.)
        final DecoderConfig config = new DecoderConfig()
            .dissector(new DissectorConfig().tcpMaxMessageBytes(64 * 1024).tcpBufferBudgetBytes(1 << 20))
            .diameter(new DiameterConfig().maxMessageBytes(1 << 20));
        final Run big = new Run(config);
        final byte[] message = new byte[200_000];
        final byte[] real = first.tcpPayload();
        System.arraycopy(real, 0, message, 0, 20); // the real header (RFC 6733 3) ...
        message[1] = (byte) (message.length >>> 16); // ... with a 200 000-byte Message Length
        message[2] = (byte) (message.length >>> 8);
        message[3] = (byte) message.length;
        big.mutant(first, clientPort(syn(first), 30_001));
        long seq = first.tcpSeq();
        for (int at = 0; at < message.length; at += 50_000) {
            big.mutant(first, clientPort(tcp(first.tcpHeader(), seq, Arrays.copyOfRange(message, at, at + 50_000)), 30_001));
            seq += 50_000;
        }
        big.mutant(first, clientPort(tcp(first.tcpHeader(), seq, real), 30_001));
        big.assertNothingThrew("message over tcpMaxMessageBytes");
        assertEquals(1, big.count("dissect.tcp.drop.too_big"));
        assertTrue(big.count("dissect.tcp.drop.resync_bytes") >= message.length - 64 * 1024,
            "the rest of the long message skipped while looking for the next header");
        assertEquals(List.of(tcpFramesClean.get(0)), big.lines, "the message after the long one");
        big.cleanAfter(TCP_CAPTURE, tcpClean);
    }

    @Test
    void tcpGarbageAndFlippedBytes() throws IOException {
        final Random random = new Random(SEED);
        final DecoderConfig config = new DecoderConfig().dissector(new DissectorConfig());
        final Run run = new Run(config);
        int port = 1;
        for (int m = 0; m < 3000; m++) {
            final RealTransportFrames.Real r = tcpFrames.get(random.nextInt(tcpFrames.size()));
            final byte[] seg;
            switch (m % 3) {
                case 0 -> { // random payload behind the real header, in a flow of its own
                    final byte[] junk = new byte[1 + random.nextInt(1400)];
                    random.nextBytes(junk);
                    seg = clientPort(tcp(r.tcpHeader(), random.nextInt(), junk), port++ & 0xFFFF);
                }
                case 1 -> seg = flip(r.transport(), random); // flips anywhere, header included
                default -> { // nothing real at all
                    seg = new byte[random.nextInt(200)];
                    random.nextBytes(seg);
                    if (seg.length > 4) {
                        put16(seg, 2, 3868);
                    }
                }
            }
            run.mutant(r, seg);
        }
        run.assertNothingThrew("seed " + SEED);
        assertTrue(run.decoder.tcp().heldChunkBytes() <= DissectorConfig.DEFAULT_TCP_BUFFER_BUDGET_BYTES);
        assertTrue(run.count("dissect.tcp.drop.not_a_message") + run.count("dissect.tcp.drop.resync_bytes") > 0,
            "seed " + SEED);
        run.cleanAfter(TCP_CAPTURE, tcpClean);
    }

    /** RFC 9293 3.4: sequence numbers are modulo 2^32; every direction renumbered to wrap inside its first segment. */
    @Test
    void tcpSequenceNumbersWrappingAround() {
        final Map<String, Long> shift = new HashMap<>();
        final Run run = new Run(new DecoderConfig());
        for (final RealTransportFrames.Real r : tcpFrames) {
            final long s = shift.computeIfAbsent(r.direction(), d -> (1L << 32) - 100 - r.tcpSeq());
            final byte[] seg = r.transport().clone();
            put32(seg, 4, (r.tcpSeq() + s) & 0xFFFFFFFFL);
            run.feed(r.timeNs(), r.linkType(), r.with(seg));
        }
        run.decoder.finish();
        run.assertNothingThrew("wrap");
        CorpusViews.assertSameLines(tcpFramesClean, run.lines, "renumbered");
        assertEquals(0, run.count("dissect.tcp.retransmitted") + run.count("dissect.tcp.out_of_order")
            + run.count("dissect.tcp.gaps"));
    }

    /**
     * Segments no peer could send (further than the largest window, 2^30, RFC 7323 2.3, from the
     * stream): half the sequence space away (ambiguous), just past the window ahead and behind,
     * with an absurd window field. Each is dropped and counted; the stream is untouched. Four in a
     * row (a flow that lost more than a window, or whose first segment was garbage) restart the
     * direction at the new position.
     */
    @Test
    void tcpSegmentsOutsideAnyWindow() {
        final Run run = new Run(new DecoderConfig());
        final Random random = new Random(SEED + 1);
        final long[] offsets = {1L << 31, (1L << 30) + 1, -(1L << 30) - 1 - 1500};
        int forged = 0;
        for (final RealTransportFrames.Real r : tcpFrames) {
            run.feed(r.timeNs(), r.linkType(), r.frame());
            final byte[] junk = new byte[100 + random.nextInt(400)];
            random.nextBytes(junk);
            junk[0] = 1; // a Diameter version byte, so only the window check can stop it
            final byte[] seg = tcp(r.tcpHeader(), (r.tcpSeq() + r.tcpPayload().length + offsets[forged % 3]) & 0xFFFFFFFFL, junk);
            put16(seg, 14, forged % 2 == 0 ? 0 : 0xFFFF); // window: zero or the largest unscaled
            run.feed(r.timeNs() + 1, r.linkType(), r.with(seg));
            forged++;
        }
        run.decoder.finish();
        run.assertNothingThrew("outside the window");
        CorpusViews.assertSameLines(tcpFramesClean, run.lines, "renumbered");
        assertEquals(forged, run.count("dissect.tcp.drop.outside_window"));
        assertEquals(0, run.count("dissect.tcp.window_restarts"));
        assertEquals(0, run.count("dissect.tcp.gaps"));

        // One direction jumps by 2^31 after its third segment: three segments dropped, the fourth
        // outside the window restarts the direction, which resynchronises at its message.
        final List<RealTransportFrames.Real> flow = direction(tcpFrames, 0);
        final String jumping = flow.get(0).direction();
        final Run lost = new Run(new DecoderConfig());
        int seen = 0;
        final List<String> expected = new ArrayList<>();
        for (int i = 0; i < tcpFrames.size(); i++) {
            final RealTransportFrames.Real r = tcpFrames.get(i);
            if (r.direction().equals(jumping) && ++seen > 3) {
                final byte[] seg = r.transport().clone();
                put32(seg, 4, (r.tcpSeq() + (1L << 31)) & 0xFFFFFFFFL);
                lost.feed(r.timeNs(), r.linkType(), r.with(seg));
                if (seen <= 6) {
                    continue; // segments 4, 5 and 6 of the direction: outside the window, dropped
                }
            } else {
                lost.feed(r.timeNs(), r.linkType(), r.frame());
            }
            expected.add(tcpFramesClean.get(i));
        }
        lost.decoder.finish();
        lost.assertNothingThrew("jump");
        assertTrue(seen > 7, "the direction has enough segments: " + seen);
        assertEquals(4, lost.count("dissect.tcp.drop.outside_window"));
        assertEquals(1, lost.count("dissect.tcp.window_restarts"));
        CorpusViews.assertSameLines(expected, lost.lines, "every message but the three dropped");
    }

    /**
     * The bytes seen first win (RFC 9293 3.10.7.4 trims to the window; Wireshark does not reassemble
     * a retransmission again): whole retransmissions with every byte different, in-order pieces whose
     * overlap differs, and a garbled copy of a held out-of-order piece. The messages are the clean ones.
     */
    @Test
    void tcpRetransmissionsAndOverlapsWithOtherBytesLoseToTheFirstCopy() {
        final Run whole = new Run(new DecoderConfig());
        final Run pieces = new Run(new DecoderConfig());
        final Run held = new Run(new DecoderConfig());
        long overlap = 0;
        long heldOverlap = 0;
        final java.util.Set<String> started = new java.util.HashSet<>();
        for (final RealTransportFrames.Real r : tcpFrames) {
            final byte[] payload = r.tcpPayload();
            final long seq = r.tcpSeq();
            final int n = payload.length;
            whole.feed(r.timeNs(), r.linkType(), r.frame());
            whole.feed(r.timeNs() + 1, r.linkType(), r.with(tcp(r.tcpHeader(), seq, garble(payload, 0, n))));

            final int h = n / 2;
            final int o = Math.min(16, h / 2);
            pieces.feed(r.timeNs(), r.linkType(), r.with(tcp(r.tcpHeader(), seq, Arrays.copyOf(payload, h + o))));
            final byte[] rest = garble(Arrays.copyOfRange(payload, h - o, n), 0, 2 * o);
            pieces.feed(r.timeNs() + 1, r.linkType(), r.with(tcp(r.tcpHeader(), (seq + h - o) & 0xFFFFFFFFL, rest)));
            overlap += 2 * o;

            if (started.add(r.direction())) {
                held.feed(r.timeNs(), r.linkType(), r.frame()); // a flow starts where it is first seen
                continue;
            }
            final byte[] tail = Arrays.copyOfRange(payload, h, n);
            held.feed(r.timeNs(), r.linkType(), r.with(tcp(r.tcpHeader(), (seq + h) & 0xFFFFFFFFL, tail)));
            held.feed(r.timeNs() + 1, r.linkType(),
                r.with(tcp(r.tcpHeader(), (seq + h) & 0xFFFFFFFFL, garble(tail, 0, tail.length))));
            held.feed(r.timeNs() + 2, r.linkType(), r.with(tcp(r.tcpHeader(), seq, Arrays.copyOf(payload, h))));
            heldOverlap += tail.length;
        }
        for (final Run run : new Run[] {whole, pieces, held}) {
            run.decoder.finish();
            run.assertNothingThrew("overlaps");
        }
        CorpusViews.assertSameLines(tcpFramesClean, whole.lines, "whole retransmissions with other bytes");
        assertEquals(tcpFrames.size(), whole.count("dissect.tcp.retransmitted"));
        CorpusViews.assertSameLines(tcpFramesClean, pieces.lines, "overlapping pieces with other bytes");
        assertEquals(overlap, pieces.count("dissect.tcp.overlap_bytes"));
        CorpusViews.assertSameLines(tcpFramesClean, held.lines, "a garbled copy of held data");
        assertEquals(heldOverlap, held.count("dissect.tcp.overlap_bytes"));
        assertEquals(2L * (tcpFrames.size() - started.size()), held.count("dissect.tcp.out_of_order"));
        assertEquals(0, held.count("dissect.tcp.gaps"));
    }

    /**
     * A segment lost inside a message (the capture missed it): after the gap timeout the hole is
     * declared lost and counted, the cut message is dropped and counted, and the stream resumes at
     * the next message, so every other message of the capture is decoded.
     */
    @Test
    void tcpSegmentLostInsideAMessage() {
        final List<RealTransportFrames.Real> flow = direction(tcpFrames, 0);
        final RealTransportFrames.Real cut = flow.get(2);
        final Run run = new Run(new DecoderConfig());
        final List<String> expected = new ArrayList<>();
        int lost = 0;
        for (int i = 0; i < tcpFrames.size(); i++) {
            final RealTransportFrames.Real r = tcpFrames.get(i);
            if (r != cut) {
                run.feed(r.timeNs(), r.linkType(), r.frame());
                expected.add(tcpFramesClean.get(i));
                continue;
            }
            final byte[] payload = r.tcpPayload();
            final int third = payload.length / 3;
            run.feed(r.timeNs(), r.linkType(), r.with(tcp(r.tcpHeader(), r.tcpSeq(), Arrays.copyOf(payload, third))));
            // the middle third never arrives
            lost = third;
            run.feed(r.timeNs(), r.linkType(), r.with(tcp(r.tcpHeader(), (r.tcpSeq() + 2 * third) & 0xFFFFFFFFL,
                Arrays.copyOfRange(payload, 2 * third, payload.length))));
        }
        run.decoder.finish();
        run.assertNothingThrew("lost segment");
        assertEquals(1, run.count("dissect.tcp.gaps"));
        assertEquals(lost, run.count("dissect.tcp.drop.lost_bytes"));
        assertEquals(third(cut), run.count("dissect.tcp.drop.incomplete_bytes"), "the cut message's first third");
        // messages of the direction after the hole come out when it is declared lost: compare as sets
        final List<String> want = new ArrayList<>(expected);
        final List<String> got = new ArrayList<>(run.lines);
        java.util.Collections.sort(want);
        java.util.Collections.sort(got);
        CorpusViews.assertSameLines(want, got, "every message but the cut one");
        System.out.printf("lost segment: resyncs %d, resync bytes %d, lost %d%n", run.count("dissect.tcp.resyncs"),
            run.count("dissect.tcp.drop.resync_bytes"), run.count("dissect.tcp.drop.lost_bytes"));
    }

    private static int third(final RealTransportFrames.Real r) {
        return r.tcpPayload().length / 3;
    }

    /**
     * 40 000 flows through a table of 256, each opened by a SYN and left holding a Diameter header:
     * the least recently seen flow gives way each time (counted, its partial message counted), the
     * table and the pool never pass their bounds, and the flood allocates nothing once warm. Then
     * flows that each hold 1400 bytes of a 60 000-byte message against a 1 MiB byte budget: the
     * budget evicts. The real capture decodes as fresh afterwards.
     */
    @Test
    void tcpFlowTableFloodBeyondItsBound() throws IOException {
        final int maxFlows = 256;
        final int flows = 40_000;
        final int budget = 1 << 20;
        final DecoderConfig config = new DecoderConfig().dissector(new DissectorConfig().tcpMaxFlows(maxFlows)
            .tcpMaxMessageBytes(64 * 1024).tcpBufferBudgetBytes(budget));
        final Run run = new Run(config);
        final RealTransportFrames.Real r = tcpFrames.get(0);
        final long allocated = flood(run, r, flows, Arrays.copyOf(r.tcpPayload(), 20));
        run.assertNothingThrew("flow flood");
        assertEquals(flows, run.count("dissect.tcp.flows.created"));
        assertEquals(flows - maxFlows, run.count("dissect.tcp.flows.evicted"));
        assertEquals(maxFlows, run.decoder.tcp().activeFlows());
        assertEquals((long) maxFlows * ChunkPool.CHUNK_BYTES, run.decoder.tcp().heldChunkBytes());
        assertEquals((flows - maxFlows) * 20L, run.count("dissect.tcp.drop.incomplete_bytes"),
            "each evicted flow's partial message counted");
        System.out.printf("TCP flood: %d flows through a table of %d, %d bytes allocated over the last %d flows%n",
            flows, maxFlows, allocated, flows - WARM_FLOWS);
        assertTrue(allocated < 64 * 1024, "the flood allocated " + allocated + " bytes");
        run.cleanAfter(TCP_CAPTURE, tcpClean);

        final Run bytes = new Run(new DecoderConfig().dissector(new DissectorConfig()
            .tcpMaxMessageBytes(64 * 1024).tcpBufferBudgetBytes(budget)));
        final byte[] partial = Arrays.copyOf(r.tcpPayload(), 1400);
        partial[1] = 0; // Message Length 60 000 (RFC 6733 3): the flow waits for 58 600 more bytes
        partial[2] = (byte) (60_000 >>> 8);
        partial[3] = (byte) 60_000;
        flood(bytes, r, 4_000, partial);
        bytes.assertNothingThrew("byte budget flood");
        final int perFlow = (1400 + ChunkPool.CHUNK_BYTES - 1) / ChunkPool.CHUNK_BYTES * ChunkPool.CHUNK_BYTES;
        assertTrue(bytes.decoder.tcp().heldChunkBytes() <= budget);
        assertEquals(budget / perFlow, bytes.decoder.tcp().activeFlows(), "as many flows as the budget holds");
        assertEquals(4_000 - budget / perFlow, bytes.count("dissect.tcp.flows.evicted"));
        assertEquals(0, bytes.count("dissect.tcp.drop.no_memory_bytes"), "room was made by eviction, nothing lost unseen");
        bytes.cleanAfter(TCP_CAPTURE, tcpClean);
    }

    private static final int WARM_FLOWS = 5_000;

    /**
     * Flows from 10.x.y.z, each a SYN then one segment with the given payload, in two reused buffers
     * (so the test allocates nothing per flow itself). Returns the bytes allocated after WARM_FLOWS.
     */
    private static long flood(final Run run, final RealTransportFrames.Real r, final int flows, final byte[] payload) {
        final byte[] synFrame = r.with(syn(r));
        final byte[] dataFrame = r.with(tcp(r.tcpHeader(), r.tcpSeq(), payload));
        final ByteBuf syn = Unpooled.wrappedBuffer(synFrame);
        final ByteBuf data = Unpooled.wrappedBuffer(dataFrame);
        final int source = r.link().length + 12; // IPv4 source address (RFC 791 3.1)
        final int port = r.link().length + r.ip().length + (r.srcPort() == 3868 ? 2 : 0);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long self = Thread.currentThread().getId();
        long before = 0;
        long t = run.mutantTime();
        for (int i = 0; i < flows; i++) {
            if (i == WARM_FLOWS) {
                before = threads.getThreadAllocatedBytes(self);
            }
            final int address = 0x0A000000 | i >>> 4;
            final int clientPort = 20_000 + (i & 15);
            syn.setInt(source, address);
            syn.setShort(port, clientPort);
            data.setInt(source, address);
            data.setShort(port, clientPort);
            run.feed(t, r.linkType(), syn, synFrame.length);
            run.feed(t + 1_000, r.linkType(), data, dataFrame.length);
            t += 2_000;
        }
        return threads.getThreadAllocatedBytes(self) - before;
    }

    // ---- SCTP ----------------------------------------------------------------------------------------

    /**
     * Chunk lengths that would stop a careless loop (0 to 3: RFC 9260 3.2 says at least 4), longer
     * than the packet, DATA chunks with no room for their header or no user data, a packet of 300
     * empty chunks of a reserved type, and common headers cut short: each counted, none loops.
     */
    @Test
    void sctpChunkLengthsThatWouldLoop() throws IOException {
        final Run run = new Run(new DecoderConfig());
        long badLength = 0;
        long chunkTruncated = 0;
        long empty = 0;
        long cut = 0;
        long reserved = 0;
        for (final RealTransportFrames.Real r : sctpFrames) {
            final byte[] t = r.transport();
            for (int length = 0; length < 4; length++) {
                final byte[] m = t.clone();
                put16(m, 14, length); // the first chunk's length
                run.mutant(r, m);
                badLength++;
            }
            final byte[] longer = t.clone();
            put16(longer, 14, t.length - 12 + 4);
            run.mutant(r, longer);
            chunkTruncated++;
            final int data = firstData(t);
            if (data >= 0) {
                final byte[] m = Arrays.copyOf(t, data + 16);
                put16(m, data + 2, 16); // a DATA chunk of header alone: RFC 9260 3.3.1 forbids it
                run.mutant(r, m);
                empty++;
            }
            for (int keep = 0; keep < 12; keep++) {
                run.mutant(r, Arrays.copyOf(t, keep));
                cut++;
            }
            final byte[] pad = Arrays.copyOf(t, 12 + 300 * 4);
            for (int c = 12; c < pad.length; c += 4) {
                pad[c] = (byte) 0xBF; // a reserved chunk type (RFC 9260 3.2: upper bits 10, skip and go on)
                pad[c + 1] = 0;
                put16(pad, c + 2, 4);
            }
            run.mutant(r, pad);
            reserved += 300;
        }
        run.assertNothingThrew("chunk lengths");
        assertEquals(badLength, run.count("dissect.sctp.error.bad_chunk_length"));
        assertEquals(chunkTruncated, run.count("dissect.sctp.error.chunk_truncated"));
        assertEquals(empty, run.count("dissect.sctp.error.data_empty"));
        assertTrue(empty > 100);
        assertEquals(cut, run.count("dissect.sctp.error.truncated"));
        assertEquals(reserved, run.count("dissect.sctp.chunk." + SctpLayout.chunkName(0xBF)));
        run.cleanAfter(SCTP_CAPTURE, sctpClean);
    }

    @Test
    void sctpGarbageAndFlippedBytes() throws IOException {
        final Random random = new Random(SEED + 2);
        final Run run = new Run(new DecoderConfig());
        for (int m = 0; m < 3000; m++) {
            final RealTransportFrames.Real r = sctpFrames.get(random.nextInt(sctpFrames.size()));
            final byte[] seg;
            switch (m % 3) {
                case 0 -> seg = flip(r.transport(), random);
                case 1 -> { // random chunks behind the real common header: any type, flags, length
                    seg = Arrays.copyOf(r.transport(), 12 + random.nextInt(1400));
                    final byte[] junk = new byte[seg.length - 12];
                    random.nextBytes(junk);
                    System.arraycopy(junk, 0, seg, 12, junk.length);
                }
                default -> { // a DATA chunk with random flags, TSN, stream and SSN: fragments of nothing
                    final int data = firstData(r.transport());
                    seg = r.transport().clone();
                    if (data >= 0) {
                        seg[data + 1] = (byte) random.nextInt(16);
                        put32(seg, data + 4, random.nextInt());
                        put16(seg, data + 8, random.nextInt(4));
                        put16(seg, data + 10, random.nextInt(8));
                    }
                }
            }
            run.mutant(r, seg);
        }
        run.assertNothingThrew("seed " + (SEED + 2));
        assertTrue(run.decoder.sctp().pendingFragments() <= DissectorConfig.DEFAULT_SCTP_MAX_FRAGMENTS);
        assertTrue(run.decoder.sctp().heldChunkBytes() <= DissectorConfig.DEFAULT_SCTP_REASSEMBLY_BUDGET_BYTES);
        assertTrue(run.count("dissect.sctp.fragments") > 0, "random flags made fragments");
        assertTrue(run.count("dissect.sctp.error.bad_chunk_length") + run.count("dissect.sctp.error.chunk_truncated") > 0);
        run.cleanAfter(SCTP_CAPTURE, sctpClean);
    }

    /**
     * Messages longer than sctpMaxMessageBytes, whole in one fragment or only once reassembled,
     * and a DATA chunk whose Diameter header claims 16 MiB: each dropped and counted, and the next
     * real message on the association decodes.
     */
    @Test
    void sctpOversizedMessages() throws IOException {
        final DecoderConfig config = new DecoderConfig().dissector(new DissectorConfig()
            .sctpMaxMessageBytes(4096).sctpReassemblyBudgetBytes(64 * 1024));
        final Run run = new Run(config);
        final RealTransportFrames.Real r = sctpFrames.get(0);
        final int data = firstData(r.transport());
        final byte[] diameter = Arrays.copyOfRange(r.transport(), data + 16, data + RealTransportFrames.u16(r.transport(), data + 2));
        final byte[] big = Arrays.copyOf(diameter, 6000);
        big[1] = 0; // Message Length 6000
        big[2] = (byte) (6000 >>> 8);
        big[3] = (byte) 6000;
        long tsn = u32(r.transport(), data + 4) + 10_000;
        for (int at = 0; at < big.length; at += 1000) {
            final int flags = (at == 0 ? 2 : 0) | (at + 1000 == big.length ? 1 : 0); // B, E (RFC 9260 3.3.1)
            run.mutant(r, dataPacket(r, data, flags, tsn++, Arrays.copyOfRange(big, at, at + 1000)));
        }
        assertEquals(1, run.count("dissect.sctp.drop.too_big"), "reassembled past the limit");
        run.mutant(r, dataPacket(r, data, 2, tsn++, Arrays.copyOf(big, 5000)));
        assertEquals(2, run.count("dissect.sctp.drop.too_big"), "one fragment past the limit");
        final byte[] lying = diameter.clone();
        lying[1] = (byte) 0xFF; // Message Length 16 777 212
        lying[2] = (byte) 0xFF;
        lying[3] = (byte) 0xFC;
        run.mutant(r, dataPacket(r, data, 3, tsn++, lying));
        assertEquals(1, run.count(io.sigmatch.decoder.diameter.DiameterDecoder.ERROR
            + io.sigmatch.decoder.diameter.DiameterDecoder.TOO_LONG)
            + run.count(io.sigmatch.decoder.diameter.DiameterDecoder.ERROR + io.sigmatch.decoder.diameter.DiameterDecoder.BAD_LENGTH)
            + run.count(io.sigmatch.decoder.diameter.DiameterDecoder.ERROR + io.sigmatch.decoder.diameter.DiameterDecoder.TRUNCATED),
            "the lying length counted by the Diameter decoder");
        run.mutant(r, dataPacket(r, data, 3, tsn, diameter));
        run.assertNothingThrew("oversized");
        assertEquals(List.of(sctpFramesClean.get(0)), run.lines, "the real message after the bad ones");
        run.cleanAfter(SCTP_CAPTURE, sctpClean);
    }

    /**
     * RFC 9260 3.3.1 / RFC 1982: TSNs are serial numbers. Every direction renumbered to start just
     * below 2^32, each message split into three fragments (sent E, B, middle for every other
     * message), so the wrap falls inside reassembly: the same messages as the capture.
     */
    @Test
    void sctpTsnWrappingAroundInsideFragmentedMessages() {
        final Map<String, Long> next = new HashMap<>();
        final Run run = new Run(new DecoderConfig());
        int messages = 0;
        for (final RealTransportFrames.Real r : sctpFrames) {
            final int data = firstData(r.transport());
            if (data < 0) {
                run.feed(r.timeNs(), r.linkType(), r.frame());
                continue;
            }
            final byte[] t = r.transport();
            final String key = r.direction() + "/" + u32(t, 4);
            long tsn = next.getOrDefault(key, (1L << 32) - 4);
            final byte[] user = Arrays.copyOfRange(t, data + 16, data + RealTransportFrames.u16(t, data + 2));
            final int third = (user.length / 3 + 3) & ~3;
            final byte[][] fragments = {
                dataPacket(r, data, 2, tsn & 0xFFFFFFFFL, Arrays.copyOf(user, third)),
                dataPacket(r, data, 0, (tsn + 1) & 0xFFFFFFFFL, Arrays.copyOfRange(user, third, 2 * third)),
                dataPacket(r, data, 1, (tsn + 2) & 0xFFFFFFFFL, Arrays.copyOfRange(user, 2 * third, user.length)),
            };
            next.put(key, tsn + 3);
            final int[] order = messages++ % 2 == 0 ? new int[] {2, 0, 1} : new int[] {0, 1, 2};
            for (final int i : order) {
                run.feed(r.timeNs(), r.linkType(), r.with(fragments[i]));
            }
        }
        run.decoder.finish();
        run.assertNothingThrew("TSN wrap");
        CorpusViews.assertSameLines(sctpFramesClean, run.lines, "fragmented across the TSN wrap");
        assertEquals(messages, run.count("dissect.sctp.reassembled"));
        assertEquals(0, run.count("dissect.sctp.drop.duplicate_tsn") + run.count("dissect.sctp.drop.stale_tsn"));
    }

    /**
     * 40 000 associations (new verification tags) through a table of 128 directions, each leaving
     * a first fragment behind in a pool of 256 fragments and 64 KiB: the oldest give way (counted),
     * nothing passes its bound, nothing is allocated once warm, and the real capture decodes after.
     */
    @Test
    void sctpAssociationFloodBeyondItsBound() throws IOException {
        final int maxDirections = 128;
        final int flood = 40_000;
        final DecoderConfig config = new DecoderConfig().dissector(new DissectorConfig().sctpMaxAssociations(maxDirections)
            .sctpMaxFragments(256).sctpMaxMessageBytes(64 * 1024).sctpReassemblyBudgetBytes(64 * 1024));
        final Run run = new Run(config);
        final RealTransportFrames.Real r = sctpFrames.get(0);
        final int data = firstData(r.transport());
        final byte[] frame = r.with(dataPacket(r, data, 2, 1, new byte[300]));
        final ByteBuf buf = Unpooled.wrappedBuffer(frame);
        final int sctpAt = r.link().length + r.ip().length;
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long self = Thread.currentThread().getId();
        long before = 0;
        long t = run.mutantTime();
        for (int i = 0; i < flood; i++) {
            if (i == WARM_FLOWS) {
                before = threads.getThreadAllocatedBytes(self);
            }
            buf.setInt(sctpAt + 4, 0x10000 + i); // verification tag: a new association each time
            run.feed(t, r.linkType(), buf, frame.length);
            t += 1_000;
        }
        final long allocated = threads.getThreadAllocatedBytes(self) - before;
        run.assertNothingThrew("association flood");
        assertEquals(maxDirections, run.decoder.sctp().activeDirections());
        assertEquals(flood - maxDirections, run.count("dissect.sctp.associations.evicted"));
        assertTrue(run.decoder.sctp().pendingFragments() <= 256);
        assertTrue(run.decoder.sctp().heldChunkBytes() <= 64 * 1024);
        final long keptFragments = run.decoder.sctp().pendingFragments();
        assertEquals(flood - keptFragments, run.count("dissect.sctp.drop.evicted"), "every fragment that gave way counted");
        System.out.printf("SCTP flood: %d associations through %d directions, %d fragments held, %d bytes allocated"
            + " over the last %d%n", flood, maxDirections, keptFragments, allocated, flood - WARM_FLOWS);
        assertTrue(allocated < 64 * 1024, "the flood allocated " + allocated + " bytes");
        run.cleanAfter(SCTP_CAPTURE, sctpClean);
    }

    /** Offset of the first DATA chunk in an SCTP packet, or -1. */
    private static int firstData(final byte[] sctp) {
        for (int at = 12; at + 4 <= sctp.length; ) {
            final int length = RealTransportFrames.u16(sctp, at + 2);
            if (sctp[at] == 0) {
                return at;
            }
            if (length < 4) {
                return -1;
            }
            at += (length + 3) & ~3;
        }
        return -1;
    }

    /** The real packet's common header and its DATA chunk's stream, SSN and PPID, with other flags, TSN and data. */
    private static byte[] dataPacket(final RealTransportFrames.Real r, final int data, final int flags, final long tsn,
        final byte[] user) {
        final byte[] t = r.transport();
        final byte[] out = new byte[12 + 16 + ((user.length + 3) & ~3)];
        System.arraycopy(t, 0, out, 0, 12); // ports, verification tag, checksum (not verified)
        System.arraycopy(t, data, out, 12, 16); // DATA header (RFC 9260 3.3.1)
        out[13] = (byte) (t[data + 1] & 0x04 | flags); // keep U, set B and E
        put16(out, 14, 16 + user.length);
        put32(out, 16, tsn);
        System.arraycopy(user, 0, out, 28, user.length);
        return out;
    }

    private static byte[] garble(final byte[] b, final int from, final int to) {
        final byte[] out = b.clone();
        for (int i = from; i < to; i++) {
            out[i] ^= 0x5A;
        }
        return out;
    }

    // ---- plumbing ------------------------------------------------------------------------------------

    private static int indexOf(final RealTransportFrames.Real r) {
        return tcpFrames.indexOf(r);
    }

    /** The segments of one direction (the one of the n-th frame's flow), in capture order. */
    private static List<RealTransportFrames.Real> direction(final List<RealTransportFrames.Real> frames, final int n) {
        final String d = frames.get(n).direction();
        final List<RealTransportFrames.Real> out = new ArrayList<>();
        for (final RealTransportFrames.Real r : frames) {
            if (r.direction().equals(d)) {
                out.add(r);
            }
        }
        return out;
    }

    /** The SYN that would have opened the real segment's flow: its header, SYN alone, one before its sequence number. */
    private static byte[] syn(final RealTransportFrames.Real r) {
        final byte[] seg = tcp(r.tcpHeader(), (r.tcpSeq() - 1) & 0xFFFFFFFFL, new byte[0]);
        seg[13] = 0x02; // flags: SYN (RFC 9293 3.1)
        return seg;
    }

    /** Puts the segment in a flow of its own: the client's port (the one that is not 3868) replaced. */
    private static byte[] clientPort(final byte[] seg, final int port) {
        if (seg.length >= 4) {
            put16(seg, u16(seg, 0) == 3868 ? 2 : 0, port == 3868 ? 3869 : port);
        }
        return seg;
    }

    /** 1..12 bytes flipped, a third of them in the first 40 (the headers). */
    private static byte[] flip(final byte[] original, final Random random) {
        final byte[] b = original.clone();
        final int n = 1 + random.nextInt(12);
        for (int i = 0; i < n; i++) {
            final int at = random.nextInt(3) == 0 ? random.nextInt(Math.min(40, b.length)) : random.nextInt(b.length);
            b[at] ^= (byte) (1 + random.nextInt(255));
        }
        return b;
    }

    /** A SignalingDecoder fed frame by frame; its Diameter messages as JSON lines without frame number and time. */
    static final class Run implements MessageSink {
        final Counters counters = new Counters();
        final SignalingDecoder decoder;
        final List<String> lines = new ArrayList<>();
        private final StringBuilder json = new StringBuilder();
        private final Frame frame = new Frame();
        private long number;
        private long mutantNs = -1;

        Run(final DecoderConfig config) {
            decoder = new SignalingDecoder(counters, config, this);
        }

        static List<String> file(final DecoderConfig config, final Path capture) throws IOException {
            final Run run = new Run(config);
            run.decoder.decodeFile(capture);
            run.decoder.finish();
            run.assertNothingThrew(capture.toString());
            return run.lines;
        }

        @Override
        public void onMessage(final SignalingMessage m) {
            if (m.protocol() != io.sigmatch.decoder.Protocol.DIAMETER) {
                return; // the TCP capture carries GTPv2-C over UDP too
            }
            json.setLength(0);
            SignalingJson.appendTo(m, json, true);
            lines.add(json.toString().replaceFirst("^\\{\"frame\":\\d+,\"time\":\"[0-9.]+\",?", "{"));
        }

        void feed(final long timeNs, final int linkType, final byte[] bytes) {
            feed(timeNs, linkType, Unpooled.wrappedBuffer(bytes), bytes.length);
        }

        void feed(final long timeNs, final int linkType, final ByteBuf buffer, final int length) {
            frame.number = ++number;
            frame.timeNs = timeNs;
            frame.interfaceId = 0;
            frame.linkType = linkType;
            frame.buffer = buffer;
            frame.offset = 0;
            frame.capturedLength = length;
            frame.originalLength = length;
            decoder.dissector().onFrame(frame);
        }

        /** Capture time for bad input: an hour before the capture, 10 µs apart. */
        long mutantTime() {
            if (mutantNs < 0) {
                mutantNs = Math.min(tcpFrames.get(0).timeNs(), sctpFrames.get(0).timeNs()) - HOUR_NS;
            }
            return mutantNs += 10_000;
        }

        /** A transport segment in the real frame's link and IPv4 framing, at bad-input time. */
        void mutant(final RealTransportFrames.Real r, final byte[] segment) {
            feed(mutantTime(), r.linkType(), r.with(segment));
        }

        void replay(final List<RealTransportFrames.Real> frames, final long shiftNs) {
            for (final RealTransportFrames.Real r : frames) {
                feed(r.timeNs() + shiftNs, r.linkType(), r.frame());
            }
        }

        private static long firstTimeNs(final Path capture) throws IOException {
            final long[] first = {Long.MIN_VALUE};
            try (io.sigmatch.decoder.capture.CaptureFileReader reader =
                     io.sigmatch.decoder.capture.CaptureFileReader.open(capture, new Counters(64))) {
                reader.readAll(f -> {
                    if (first[0] == Long.MIN_VALUE) {
                        first[0] = f.timeNs;
                    }
                });
            }
            return first[0];
        }

        long count(final String label) {
            return counters.get(label);
        }

        void assertNothingThrew(final String what) {
            assertEquals(0, count("dissect.error.internal"), what + ": a dissector bug cost a frame");
            assertEquals(0, count("dissect.error.decoder_exception"), what + ": a decoder threw");
        }

        /** The untouched capture afterwards decodes as on a fresh decoder. */
        void cleanAfter(final Path capture, final List<String> clean) throws IOException {
            // An ARP frame just before the capture: the hour of capture time passes, idle flows expire
            // (delivering what they hold whole), so what follows is the capture's alone.
            final byte[] arp = new byte[60];
            put16(arp, 12, 0x0806);
            feed(firstTimeNs(capture) - 1_000_000, io.sigmatch.decoder.capture.LinkType.ETHERNET, arp);
            final int from = lines.size();
            decoder.decodeFile(capture);
            decoder.finish();
            assertNothingThrew("clean replay after bad input");
            CorpusViews.assertSameLines(clean, new ArrayList<>(lines.subList(from, lines.size())),
                "the capture after bad input decodes as on a fresh decoder");
        }
    }
}
