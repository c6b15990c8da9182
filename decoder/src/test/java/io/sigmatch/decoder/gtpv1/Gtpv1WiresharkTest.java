package io.sigmatch.decoder.gtpv1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.Plmn;
import io.sigmatch.decoder.Protocol;
import io.sigmatch.decoder.SignalingJson;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.capture.CaptureFileReader;
import io.sigmatch.decoder.dissect.Dissector;
import io.sigmatch.decoder.dissect.DissectorConfig;
import io.sigmatch.decoder.dissect.ProtocolDispatch;
import io.sigmatch.decoder.gtpv2.Gtpv2Config;
import io.sigmatch.decoder.gtpv2.Gtpv2Decoder;
import io.sigmatch.decoder.testing.CorpusViews;
import io.sigmatch.decoder.testing.Fixtures;
import io.sigmatch.decoder.tshark.FieldRecord;
import io.sigmatch.decoder.tshark.KnownDifferences;
import io.sigmatch.decoder.tshark.PdmlNode;
import io.sigmatch.decoder.tshark.PdmlPacket;
import io.sigmatch.decoder.tshark.RecordComparison;
import io.sigmatch.decoder.tshark.TsharkPdml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * GTPv1-C against Wireshark, message by message and field by field, over every file of the corpus
 * (a file without GTPv1-C must yield none from us either) and over the captures {@link Gtpv1Frames}
 * writes (whole PDP context lifecycles with every IE the decoder reads, IPv6, an extension header).
 * The decoder runs behind the {@link GtpControlDemux} with a real GTPv2-C decoder beside it, as in
 * the appliance, so the version routing is exercised on every capture. Two views, each committed
 * as a fixture and, when tshark is installed, re-derived from tshark and required to equal it:
 *
 * <ol>
 *   <li>{@code <capture>.jsonl}: per message the keys `sigmatch decode` prints plus the raw values
 *       the decoder exposes while delivering it (header TEID and sequence, cause, RAI, ULI, TEID-C,
 *       TEID Data I, NSAPI), from tshark's fields by {@link Gtpv1Expectations};</li>
 *   <li>{@code <capture>.pairs.tsv}: the responses Wireshark pairs with a request (gtp.response_to):
 *       we must complete a procedure at exactly those.</li>
 * </ol>
 *
 * For the captures we write, every completed procedure must also name the subscriber the capture
 * was built for (on the wire or resolved through the TEID table). Deliberate differences are listed
 * with their reason in fixtures/gtpv1/KNOWN-DIFFERENCES.tsv, and what tshark shows as GTP that is
 * not GTPv1-C is counted under {@link #NOT_COMPARED}; any other disagreement fails. Totals go to
 * stdout and target/gtpv1-wireshark-report.txt.
 */
class Gtpv1WiresharkTest {
    /** What tshark dissects as GTP but sigmatch deliberately does not decode, and why. */
    static final Map<String, String> NOT_COMPARED = Map.of(
        "gtpprime", "GTP' (TS 32.295, UDP 3386; also GTPv0 on 3386): charging records between CDF and CGF, "
            + "no subscriber procedure; Wireshark's gtpprime layer, never routed to the GTPv1-C decoder",
        "gtp-u", "GTP on UDP 2152 is GTP-U (user plane: T-PDU, End Marker, path Echo): not signalling, not on a "
            + "GTPv1-C port");
    private static final Map<String, String> REPORT = Collections.synchronizedMap(new TreeMap<>());
    private static final java.util.concurrent.atomic.AtomicInteger CAPTURES = new java.util.concurrent.atomic.AtomicInteger();
    private static final long[] TOTALS = new long[7];
    private static final KnownDifferences KNOWN = new KnownDifferences(
        Fixtures.readLines(Fixtures.fixture("gtpv1/KNOWN-DIFFERENCES.tsv")));

    @TestFactory
    Stream<DynamicTest> everyCorpusCapture() {
        return Fixtures.corpusFiles().stream()
            .map(f -> dynamicTest(CorpusViews.relative(f), () -> check("corpus/" + CorpusViews.relative(f), f, null)));
    }

    @TestFactory
    Stream<DynamicTest> capturesWeWrite() throws IOException {
        final Path dir = Files.createDirectories(Fixtures.repo().resolve("decoder/target/gtpv1-captures"));
        final List<DynamicTest> tests = new ArrayList<>();
        for (final Map.Entry<String, byte[]> e : Gtpv1Frames.captures().entrySet()) {
            final Path file = Files.write(dir.resolve(e.getKey()), e.getValue());
            final List<String> subscribers = Gtpv1Frames.procedureImsis().get(e.getKey());
            tests.add(dynamicTest(e.getKey(), () -> check("made/" + e.getKey(), file, subscribers)));
        }
        return tests.stream();
    }

    private static void check(final String name, final Path capture, final List<String> procedureImsis)
        throws IOException {
        final Path messagesFixture = Fixtures.fixture("gtpv1/" + name + ".jsonl");
        final Path pairsFixture = Fixtures.fixture("gtpv1/" + name + ".pairs.tsv");
        long prime = 0;
        long user = 0;
        final Run run = Run.of(capture);
        // tshark is asked only about captures that can hold GTPv1-C or GTP': ours, those with a
        // committed fixture, and those where the dissector (checked against tshark by the transport
        // tests) delivers a version-1 datagram on 2123 or anything on 3386. The rest would cost a
        // full tshark pass each on a 2-core machine for nothing to compare.
        if (TsharkPdml.available() && (procedureImsis != null || Files.exists(messagesFixture) || run.gtpv1Candidates > 0)) {
            final List<PdmlPacket> packets = TsharkPdml.packets(capture, "gtp || gtpprime");
            final List<String> messages = new ArrayList<>();
            for (final PdmlPacket p : packets) {
                for (final FieldRecord r : Gtpv1Expectations.of(p)) {
                    messages.add(r.toJson());
                }
                // Wireshark names GTP' "gtpprime" by its header, but shows GTPv0/GTP' on 3386 as "gtp" too
                prime += p.protocols("gtpprime").size();
                if (!Gtpv1Expectations.onControlPort(p)) {
                    if (Gtpv1Expectations.onPort(p, 3386)) {
                        prime += p.protocols("gtp").size();
                    } else {
                        user += p.protocols("gtp").size();
                    }
                }
            }
            final List<String> pairs = tsharkPairs(packets);
            if (Fixtures.writeMode()) {
                write(messagesFixture, messages);
                write(pairsFixture, pairs);
            }
            assertEquals(messages, read(messagesFixture), name + ": committed fixture vs tshark now");
            assertEquals(pairs, read(pairsFixture), name + ": committed pairs vs tshark now");
        }

        assertEquals(0, run.counters.get("dissect.error.decoder_exception"), "the decoder never throws");

        final List<FieldRecord> expected = new ArrayList<>();
        for (final String line : read(messagesFixture)) {
            expected.add(FieldRecord.parse(line));
        }
        final RecordComparison comparison = new RecordComparison(Gtpv1Expectations.KEYS).compare(expected, run.messages);
        assertEquals(KNOWN.forCapture(name), comparison.where(), name + ": " + comparison);

        final List<String> expectedPairs = new ArrayList<>();
        for (final String line : read(pairsFixture)) {
            final String[] f = line.split("\t");
            if (Gtpv1MessageType.requestOf(Integer.parseInt(f[1])) == Integer.parseInt(f[3])) {
                expectedPairs.add(f[0]);
            }
        }
        assertEquals(expectedPairs, run.pairedAnswers, name + ": responses that complete a paired procedure");

        int resolved = 0;
        for (final String[] p : run.procedures) {
            if (p[1] != null) {
                resolved++;
            }
        }
        if (procedureImsis != null) {
            final List<String> ours = new ArrayList<>();
            for (final String[] p : run.procedures) {
                ours.add(p[0]);
            }
            assertEquals(procedureImsis, ours, name + ": the subscriber of every completed procedure, in order");
            assertTrue(resolved > 0, name + ": some procedure resolves its IMSI through the TEID table");
        }

        final long errors = run.counters.sum(Gtpv1Decoder.ERROR);
        CAPTURES.incrementAndGet();
        if (expected.isEmpty() && run.messages.isEmpty() && comparison.disagreements().isEmpty() && errors == 0
            && prime == 0 && user == 0) {
            return;
        }
        REPORT.put(name, String.format("%-58s messages %3d  fields %4d  disagreements %d (known %d)  pairs %2d  "
                + "procedures %2d (IMSI via TEID %2d)  decode errors %d  not compared: GTP' %d, GTP-U %d",
            name, comparison.messages(), comparison.fields(), comparison.disagreements().size(),
            KNOWN.forCapture(name).size(), expectedPairs.size(), run.procedures.size(), resolved, errors, prime, user));
        synchronized (TOTALS) {
            TOTALS[0] += comparison.messages();
            TOTALS[1] += comparison.fields();
            TOTALS[2] += comparison.disagreements().size();
            TOTALS[3] += expectedPairs.size();
            TOTALS[4] += resolved;
            TOTALS[5] += prime;
            TOTALS[6] += user;
        }
    }

    /** "responseFrame\tresponseType\trequestFrame\trequestType" for every response Wireshark pairs. */
    private static List<String> tsharkPairs(final List<PdmlPacket> packets) {
        final Map<Long, Integer> typeByFrame = new TreeMap<>();
        for (final PdmlPacket p : packets) {
            for (final PdmlNode layer : p.protocols("gtp")) {
                typeByFrame.put(p.frame(), Gtpv1Expectations.type(layer));
                break;
            }
        }
        final List<String> out = new ArrayList<>();
        for (final PdmlPacket p : packets) {
            if (!Gtpv1Expectations.onControlPort(p)) {
                continue;
            }
            for (final PdmlNode layer : p.protocols("gtp")) {
                final String to = layer.childShow("gtp.response_to");
                if (to != null) {
                    out.add(p.frame() + "\t" + Gtpv1Expectations.type(layer) + "\t" + to + "\t"
                        + typeByFrame.getOrDefault(Long.parseLong(to), -1));
                }
                break;
            }
        }
        return out;
    }

    /** Our side: the capture through the real reader, dissector, demux and decoders. */
    private static final class Run implements MessageSink {
        final Counters counters = new Counters();
        final List<FieldRecord> messages = new ArrayList<>();
        final List<String> pairedAnswers = new ArrayList<>();
        /** IMSI or "-", "resolved" or null, per GTPv1 procedure in completion order. */
        final List<String[]> procedures = new ArrayList<>();
        private final StringBuilder json = new StringBuilder();
        private Gtpv1Decoder decoder;
        /** UDP payloads on 2123 whose version bits say 1, and any on 3386 (GTP'/GTPv0). */
        int gtpv1Candidates;
        private long lastFrame = -1;
        private int lastType = -1;

        static Run of(final Path capture) throws IOException {
            final Run run = new Run();
            run.decoder = new Gtpv1Decoder(run.counters, new Gtpv1Config());
            final ProtocolDispatch dispatch = new ProtocolDispatch();
            final GtpControlDemux demux = new GtpControlDemux(run.decoder, new Gtpv2Decoder(run.counters, new Gtpv2Config()));
            dispatch.udpPort(2123, (packet, buffer, offset, length, sink) -> {
                if (length > 0 && buffer.getUnsignedByte(offset) >>> 5 == 1) {
                    run.gtpv1Candidates++;
                }
                demux.decode(packet, buffer, offset, length, sink);
            });
            dispatch.register(demux);
            dispatch.udpPort(3386, (packet, buffer, offset, length, sink) -> run.gtpv1Candidates++);
            final Dissector dissector = new Dissector(run.counters, dispatch, run, new DissectorConfig());
            try (CaptureFileReader reader = CaptureFileReader.open(capture, run.counters)) {
                reader.readAll(dissector);
            }
            dissector.finish();
            return run;
        }

        @Override
        public void onMessage(final SignalingMessage m) {
            if (m.protocol() != Protocol.GTPV1) {
                lastType = -1;
                return;
            }
            json.setLength(0);
            final FieldRecord r = FieldRecord.parse(SignalingJson.appendTo(m, json, true).toString())
                .project(Gtpv1Expectations.JSON_KEYS);
            raw(r);
            messages.add(r);
            lastFrame = m.frame();
            lastType = m.messageType();
        }

        /** The decoder's view of the message it is delivering, in the fixture's form. */
        private void raw(final FieldRecord r) {
            final Gtpv1Message h = decoder.header();
            r.put("teid", h.teid());
            if (h.hasSequence()) {
                r.put("seq", h.sequence());
            }
            if (decoder.cause() >= 0) {
                r.put("cause", decoder.cause());
            }
            if (decoder.hasRai() && decoder.raiPlmn() != Digits.INVALID) {
                r.put("rai", Plmn.mcc(decoder.raiPlmn()) + "-" + Plmn.mnc(decoder.raiPlmn()) + "-" + decoder.raiLac() + "-"
                    + decoder.raiRac());
            }
            if (decoder.uliType() >= 0 && decoder.uliPlmn() != Digits.INVALID) {
                r.put("uli", decoder.uliType() + ":" + Plmn.mcc(decoder.uliPlmn()) + "-" + Plmn.mnc(decoder.uliPlmn()) + "-"
                    + decoder.uliLac() + "-" + decoder.uliCode());
            }
            if (decoder.controlTeid() >= 0) {
                r.put("teidc", decoder.controlTeid());
            }
            if (decoder.dataTeid() >= 0) {
                r.put("teidd", decoder.dataTeid());
            }
            if (decoder.nsapi() >= 0) {
                r.put("nsapi", decoder.nsapi());
            }
        }

        @Override
        public void onProcedure(final SignalingMessage p) {
            if (p.protocol() != Protocol.GTPV1) {
                return;
            }
            if (p.frame() == lastFrame && Gtpv1MessageType.isAnswer(lastType)
                && Gtpv1MessageType.requestOf(lastType) == p.messageType()) {
                pairedAnswers.add(Long.toString(lastFrame));
            }
            procedures.add(new String[] {p.has(SignalingMessage.IMSI) ? Digits.toString(p.imsi()) : "-",
                (p.resolved() & SignalingMessage.IMSI) != 0 ? "resolved" : null});
        }
    }

    private static List<String> read(final Path file) {
        return Files.exists(file) ? Fixtures.readLines(file) : List.of();
    }

    /** Writes the fixture, or removes it when tshark shows no GTPv1-C at all in the capture. */
    private static void write(final Path file, final List<String> lines) {
        try {
            if (lines.isEmpty()) {
                Files.deleteIfExists(file);
            } else {
                Fixtures.writeLines(file, lines);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void report() throws IOException {
        final List<String> lines = new ArrayList<>();
        lines.add("GTPv1-C vs " + (TsharkPdml.available() ? TsharkPdml.version() : "committed tshark fixtures (tshark absent)"));
        lines.addAll(REPORT.values());
        lines.add(String.format("TOTAL captures with GTP (either side) %d of %d: messages %d, fields %d, disagreements %d "
                + "(all known: %d listed), pairs %d, IMSI resolved via TEID %d; not compared (tshark present only): "
                + "GTP' %d, GTP-U %d", REPORT.size(), CAPTURES.get(),
            TOTALS[0], TOTALS[1], TOTALS[2], KNOWN.size(), TOTALS[3], TOTALS[4], TOTALS[5], TOTALS[6]));
        lines.addAll(KNOWN.describe());
        NOT_COMPARED.forEach((k, v) -> lines.add("not compared, " + k + ": " + v));
        lines.forEach(System.out::println);
        final Path out = Fixtures.repo().resolve("decoder/target/gtpv1-wireshark-report.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, lines);
        assertFalse(REPORT.isEmpty());
        assertTrue(TOTALS[0] > 0);
    }
}
