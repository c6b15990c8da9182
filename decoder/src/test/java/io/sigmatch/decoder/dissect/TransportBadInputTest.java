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
