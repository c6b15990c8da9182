package io.sigmatch.decoder.dissect;

import static io.sigmatch.decoder.dissect.TransportBytes.ACK;
import static io.sigmatch.decoder.dissect.TransportBytes.FIN;
import static io.sigmatch.decoder.dissect.TransportBytes.PSH;
import static io.sigmatch.decoder.dissect.TransportBytes.SYN;
import static io.sigmatch.decoder.testing.Packets.slice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

import io.sigmatch.decoder.testing.CorpusViews;
import io.sigmatch.decoder.testing.Fixtures;
import io.sigmatch.decoder.testing.GeneratedCaptures;
import io.sigmatch.decoder.testing.PcapWriter;
import io.sigmatch.decoder.testing.Tshark;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Captures written here by splitting Diameter and SIP streams into segments of every size,
 * reordering, duplicating and overlapping them, and by fragmenting SCTP user messages into DATA
 * chunks that arrive reordered, duplicated and bundled: our messages per frame must be those
 * tshark reassembles (TCP with {@code tcp.reassemble_out_of_order:TRUE}, which our reassembly
 * always does). Deterministic (fixed seeds); expectations committed under
 * fixtures/dissect/transport/generated/, re-derived from tshark when it is installed.
 */
class GeneratedTransportTest {
    private static final List<String> TCP_OPTIONS = List.of("tcp.reassemble_out_of_order:TRUE");

    private enum Shuffle { IN_ORDER, REORDERED, DUPLICATED, OVERLAPPING }

    private record Case(String name, byte[] pcap, Function<Path, List<String>> tshark,
        Function<TransportViews.Ours, List<String>> ours) {
    }

    @TestFactory
    Stream<DynamicTest> generatedCapturesReassembleLikeTshark() {
        final List<Case> cases = new ArrayList<>();
        for (final Shuffle s : Shuffle.values()) {
            cases.add(new Case("diameter-tcp-" + s.name().toLowerCase() + ".pcap", diameterTcp(s, 11 + s.ordinal()),
                f -> TransportViews.tsharkTcpDiameter(f, TCP_OPTIONS), TransportViews.Ours::diameter));
            cases.add(new Case("sctp-fragments-" + s.name().toLowerCase() + ".pcap", sctpFragments(s, 21 + s.ordinal()),
                f -> TransportViews.tsharkSctp(f, List.of()), TransportViews.Ours::sctp));
        }
        cases.add(new Case("sip-tcp-split.pcap", sipTcp(31), f -> TransportViews.tsharkTcpSip(f, TCP_OPTIONS),
            TransportViews.Ours::sip));
        return cases.stream().map(c -> dynamicTest(c.name(), () -> check(c)));
    }

    private static void check(final Case c) throws IOException {
        final Path file = GeneratedCaptures.outputDirectory().resolve(c.name());
        Files.write(file, c.pcap());
        final Path fixture = Fixtures.fixture("dissect/transport/generated/" + c.name() + ".tsv");
        if (Tshark.available()) {
            final List<String> fresh = c.tshark().apply(file);
            if (Fixtures.writeMode()) {
                Fixtures.writeLines(fixture, fresh);
            }
            CorpusViews.assertSameLines(fresh, Fixtures.readLines(fixture), "committed fixture vs tshark now");
        }
        final List<String> expected = Fixtures.readLines(fixture);
        final TransportViews.Ours ours = TransportViews.ours(file, new DissectorConfig());
        CorpusViews.assertSameLines(expected, c.ours().apply(ours), c.name());
        assertEquals(0, ours.counters().get("dissect.error.internal"));
        assertEquals(0, ours.counters().get("dissect.tcp.drop.lost_bytes") + ours.counters().get("dissect.tcp.drop.incomplete_bytes"),
            "nothing lost: every byte eventually arrives");
    }

    // ---- TCP -------------------------------------------------------------------------------------------

    /** One segment to write: its frame and the order key. */
    private record Segment(byte[] frame) {
    }

    private static byte[] diameterTcp(final Shuffle shuffle, final long seed) {
        final Random random = new Random(seed);
        final ByteArrayOutputStream up = new ByteArrayOutputStream();
        final ByteArrayOutputStream down = new ByteArrayOutputStream();
        final int[] codes = {257, 280, 316, 318, 272, 271, 265};
        for (int i = 0; i < 40; i++) {
            final int code = codes[random.nextInt(codes.length)];
            final int length = 32 + 4 * random.nextInt(i % 7 == 0 ? 1200 : 120); // some messages span many segments
            up.writeBytes(TransportBytes.diameter(code, true, length, i));
            down.writeBytes(TransportBytes.diameter(code, false, 32 + 4 * random.nextInt(60), i + 100));
        }
        return tcpCapture("10.1.0.1", 45_000, "10.1.0.2", 3868, up.toByteArray(), down.toByteArray(), shuffle, random);
    }

    private static byte[] sipTcp(final long seed) {
        final Random random = new Random(seed);
        final ByteArrayOutputStream up = new ByteArrayOutputStream();
        final ByteArrayOutputStream down = new ByteArrayOutputStream();
        final String[] methods = {"INVITE", "ACK", "BYE", "OPTIONS", "REGISTER", "MESSAGE"};
        for (int i = 0; i < 20; i++) {
            up.writeBytes(TransportBytes.sip(methods[random.nextInt(methods.length)], random.nextInt(600)));
            down.writeBytes(TransportBytes.sip("NOTIFY", random.nextInt(300)));
        }
        return tcpCapture("10.2.0.1", 46_000, "10.2.0.2", 5060, up.toByteArray(), down.toByteArray(), Shuffle.REORDERED,
            random);
    }

    /** A handshake, both streams cut at random sizes and interleaved, shuffled, then FIN both ways. */
    private static byte[] tcpCapture(final String client, final int cport, final String server, final int sport,
        final byte[] up, final byte[] down, final Shuffle shuffle, final Random random) {
        final long cIsn = random.nextInt() & 0xFFFF_FFFFL;
        final long sIsn = 0xFFFF_0000L; // the server's stream wraps around 2^32
        final List<Segment> body = new ArrayList<>();
        final List<Segment> upSegs = cut(client, cport, server, sport, cIsn + 1, sIsn + 1, up, random);
        final List<Segment> downSegs = cut(server, sport, client, cport, sIsn + 1, cIsn + 1, down, random);
        for (int i = 0, j = 0; i < upSegs.size() || j < downSegs.size(); ) {
            if (j >= downSegs.size() || (i < upSegs.size() && random.nextBoolean())) {
                body.add(upSegs.get(i++));
            } else {
                body.add(downSegs.get(j++));
            }
        }
        switch (shuffle) {
            case IN_ORDER -> { }
            case REORDERED -> {
                for (int i = 2; i + 1 < body.size(); i += 2 + random.nextInt(3)) {
                    Collections.swap(body, i, i + 1 + random.nextInt(Math.min(3, body.size() - i - 1)));
                }
            }
            case DUPLICATED -> {
                for (int i = body.size() - 1; i > 0; i -= 1 + random.nextInt(4)) {
                    body.add(Math.min(body.size(), i + 1 + random.nextInt(3)), body.get(i)); // a retransmission
                }
            }
            case OVERLAPPING -> {
                // Resend the second half of some segments merged with the first half of the next,
                // as a sender that repacketises on retransmission does; same bytes, new boundaries.
                final List<Segment> extra = new ArrayList<>(body);
                body.clear();
                body.addAll(overlapping(client, cport, server, sport, cIsn + 1, sIsn + 1, up, random));
                body.addAll(overlapping(server, sport, client, cport, sIsn + 1, cIsn + 1, down, random));
                if (extra.isEmpty()) {
                    throw new IllegalStateException();
                }
            }
            default -> throw new IllegalStateException();
        }
        final PcapWriter w = new PcapWriter(ByteOrder.LITTLE_ENDIAN, false, 65_535, 1);
        long t = GeneratedCaptures.T0;
        w.packet(t += 1000, TransportBytes.tcpFrame(client, server, TransportBytes.tcp(cport, sport, cIsn, 0, SYN, new byte[0])));
        w.packet(t += 1000, TransportBytes.tcpFrame(server, client,
            TransportBytes.tcp(sport, cport, sIsn, cIsn + 1, SYN | ACK, new byte[0])));
        w.packet(t += 1000, TransportBytes.tcpFrame(client, server,
            TransportBytes.tcp(cport, sport, cIsn + 1, sIsn + 1, ACK, new byte[0])));
        for (final Segment s : body) {
            w.packet(t += 1000, s.frame());
        }
        w.packet(t += 1000, TransportBytes.tcpFrame(client, server,
            TransportBytes.tcp(cport, sport, cIsn + 1 + up.length, sIsn + 1 + down.length, FIN | ACK, new byte[0])));
        w.packet(t += 1000, TransportBytes.tcpFrame(server, client,
            TransportBytes.tcp(sport, cport, sIsn + 1 + down.length, cIsn + 2 + up.length, FIN | ACK, new byte[0])));
        return w.toByteArray();
    }

    private static List<Segment> cut(final String src, final int sp, final String dst, final int dp, final long seq0,
        final long ack, final byte[] stream, final Random random) {
        final List<Segment> out = new ArrayList<>();
        for (int at = 0; at < stream.length; ) {
            final int n = Math.min(stream.length - at, random.nextInt(4) == 0 ? 1 + random.nextInt(30) : 1 + random.nextInt(1460));
            out.add(new Segment(TransportBytes.tcpFrame(src, dst,
                TransportBytes.tcp(sp, dp, seq0 + at, ack, PSH | ACK, slice(stream, at, at + n)))));
            at += n;
        }
        return out;
    }

    /** Each segment is followed, sometimes, by one that re-sends its tail and the next bytes. */
    private static List<Segment> overlapping(final String src, final int sp, final String dst, final int dp,
        final long seq0, final long ack, final byte[] stream, final Random random) {
        final List<Segment> out = new ArrayList<>();
        for (int at = 0; at < stream.length; ) {
            final int n = Math.min(stream.length - at, 1 + random.nextInt(1000));
            out.add(new Segment(TransportBytes.tcpFrame(src, dst,
                TransportBytes.tcp(sp, dp, seq0 + at, ack, PSH | ACK, slice(stream, at, at + n)))));
            if (random.nextInt(3) == 0 && at + n < stream.length) {
                final int from = at + n / 2;
                final int to = Math.min(stream.length, at + n + 1 + random.nextInt(500));
                out.add(new Segment(TransportBytes.tcpFrame(src, dst,
                    TransportBytes.tcp(sp, dp, seq0 + from, ack, PSH | ACK, slice(stream, from, to)))));
                at = to;
            } else {
                at += n;
            }
        }
        return out;
    }

    // ---- SCTP ------------------------------------------------------------------------------------------

    /** S1AP-sized and larger user messages on two streams, cut into DATA fragments, bundled with SACKs. */
    private static byte[] sctpFragments(final Shuffle shuffle, final long seed) {
        final Random random = new Random(seed);
        final List<byte[]> packets = new ArrayList<>();
        long tsn = 0xFFFF_FFF0L; // wraps around 2^32
        final int[] ssn = new int[2];
        for (int m = 0; m < 30; m++) {
            final int stream = random.nextInt(2);
            final int length = 1 + random.nextInt(m % 5 == 0 ? 6000 : 300);
            final byte[] message = io.sigmatch.decoder.testing.Packets.payload(length, m);
            final long ppid = m % 3 == 0 ? 46 : 18;
            final int fragmentSize = 100 + random.nextInt(1300);
            final List<byte[]> chunks = new ArrayList<>();
            for (int at = 0; at < length; at += fragmentSize) {
                final int end = Math.min(length, at + fragmentSize);
                final int flags = (at == 0 ? 2 : 0) | (end == length ? 1 : 0);
                chunks.add(TransportBytes.data(flags, tsn++ & 0xFFFF_FFFFL, stream, ssn[stream], ppid, slice(message, at, end)));
            }
            ssn[stream]++;
            // bundle up to three chunks per packet, sometimes after a SACK
            for (int i = 0; i < chunks.size(); ) {
                final int n = Math.min(chunks.size() - i, 1 + random.nextInt(3));
                final List<byte[]> bundle = new ArrayList<>();
                if (random.nextInt(3) == 0) {
                    bundle.add(TransportBytes.chunk(3, 12)); // SACK
                }
                int bytes = 0;
                for (int k = 0; k < n && bytes < 1400; k++) {
                    bundle.add(chunks.get(i));
                    bytes += chunks.get(i).length;
                    i++;
                }
                packets.add(TransportBytes.sctpFrame("10.3.0.1", "10.3.0.2",
                    TransportBytes.sctp(36412, 36412, 0x0BADCAFEL, bundle.toArray(new byte[0][]))));
            }
        }
        switch (shuffle) {
            case IN_ORDER, OVERLAPPING -> { }
            case REORDERED -> {
                for (int i = 1; i + 1 < packets.size(); i += 2 + random.nextInt(3)) {
                    Collections.swap(packets, i, i + 1);
                }
            }
            case DUPLICATED -> {
                for (int i = packets.size() - 1; i > 0; i -= 2 + random.nextInt(4)) {
                    packets.add(i + 1, packets.get(i)); // a retransmission right after the original
                }
            }
            default -> throw new IllegalStateException();
        }
        final PcapWriter w = new PcapWriter(ByteOrder.LITTLE_ENDIAN, false, 65_535, 1);
        long t = GeneratedCaptures.T0;
        for (final byte[] p : packets) {
            w.packet(t += 1000, p);
        }
        return w.toByteArray();
    }
}
