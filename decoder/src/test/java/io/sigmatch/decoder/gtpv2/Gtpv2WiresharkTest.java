package io.sigmatch.decoder.gtpv2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.SignalingJson;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.capture.CaptureFileReader;
import io.sigmatch.decoder.dissect.Dissector;
import io.sigmatch.decoder.dissect.DissectorConfig;
import io.sigmatch.decoder.dissect.ProtocolDispatch;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * GTPv2-C against Wireshark, message by message and field by field, over every file of the corpus
 * (a file without GTPv2 must yield none from us either) and over the captures
 * {@link Gtpv2TestCaptures} writes (VLAN/QinQ, IPv6, IPv4 and IPv6 fragments, piggyback, every ULI
 * form). Three views, each committed as a fixture and, when tshark is installed, re-derived from
 * tshark and required to equal the fixture:
 *
 * <ol>
 *   <li>{@code <capture>.jsonl}: what `sigmatch decode` must print per message (the keys of
 *       {@link Gtpv2Expectations#KEYS}), from tshark's fields by {@link Gtpv2Expectations};</li>
 *   <li>{@code <capture>.pairs.tsv}: the answers Wireshark pairs with a request
 *       (gtpv2.response_to): we must complete a procedure at exactly those answers;</li>
 *   <li>{@code <capture>.subscribers.tsv}: whose message each is, by {@link Gtpv2SessionOracle}
 *       from tshark's fields: every procedure we complete must name the same IMSI (on the wire or
 *       resolved through the TEID table).</li>
 * </ol>
 *
 * Deliberate differences are listed with their reason in fixtures/gtpv2/KNOWN-DIFFERENCES.tsv; any
 * other disagreement fails. Totals per capture are printed and written to
 * target/gtpv2-wireshark-report.txt.
 */
class Gtpv2WiresharkTest {
    /** Answer types Wireshark 4.0 pairs with their request (gtpv2_match_response). */
    private static final Set<Integer> WIRESHARK_PAIRS = Set.of(33, 35, 37, 96, 98, 100, 65, 67, 69, 26, 28, 30, 131,
        134, 136, 138, 140);
    /** capture -> report line; captures without any GTPv2 on either side are only counted. */
    private static final Map<String, String> REPORT = Collections.synchronizedMap(new TreeMap<>());
    private static final java.util.concurrent.atomic.AtomicInteger CAPTURES = new java.util.concurrent.atomic.AtomicInteger();
    private static final long[] TOTALS = new long[6];
    private static final KnownDifferences KNOWN = new KnownDifferences(
        Fixtures.readLines(Fixtures.fixture("gtpv2/KNOWN-DIFFERENCES.tsv")));

    @TestFactory
    Stream<DynamicTest> everyCorpusCapture() {
        return Fixtures.corpusFiles().stream()
            .map(f -> dynamicTest(CorpusViews.relative(f), () -> check("corpus/" + CorpusViews.relative(f), f)));
    }

    @TestFactory
    Stream<DynamicTest> capturesWeWrite() throws IOException {
        final Path dir = Files.createDirectories(Fixtures.repo().resolve("decoder/target/gtpv2-captures"));
        final List<DynamicTest> tests = new ArrayList<>();
        for (final Map.Entry<String, byte[]> e : Gtpv2TestCaptures.all().entrySet()) {
            final Path file = Files.write(dir.resolve(e.getKey()), e.getValue());
            tests.add(dynamicTest(e.getKey(), () -> check("made/" + e.getKey(), file)));
        }
        return tests.stream();
    }

    private static void check(final String name, final Path capture) throws IOException {
        final Path messagesFixture = Fixtures.fixture("gtpv2/" + name + ".jsonl");
        final Path pairsFixture = Fixtures.fixture("gtpv2/" + name + ".pairs.tsv");
        final Path subscribersFixture = Fixtures.fixture("gtpv2/" + name + ".subscribers.tsv");
        if (TsharkPdml.available()) {
            final List<PdmlPacket> packets = TsharkPdml.packets(capture, "gtpv2");
            final List<String> messages = new ArrayList<>();
            for (final PdmlPacket p : packets) {
                for (final FieldRecord r : Gtpv2Expectations.of(p)) {
                    messages.add(r.toJson());
                }
            }
            final List<String> pairs = tsharkPairs(packets);
            final List<String> subscribers = Gtpv2SessionOracle.of(packets);
            if (Fixtures.writeMode()) {
                write(messagesFixture, messages);
                write(pairsFixture, pairs);
                write(subscribersFixture, subscribers);
            }
            assertEquals(messages, read(messagesFixture), name + ": committed fixture vs tshark now");
            assertEquals(pairs, read(pairsFixture), name + ": committed pairs vs tshark now");
            assertEquals(subscribers, read(subscribersFixture), name + ": committed subscribers vs tshark now");
        }

        final Run run = Run.of(capture);
        assertEquals(0, run.counters.get("dissect.error.decoder_exception"), "the decoder never throws");

        final List<FieldRecord> expected = new ArrayList<>();
        for (final String line : read(messagesFixture)) {
            expected.add(FieldRecord.parse(line));
        }
        final RecordComparison comparison = new RecordComparison(Gtpv2Expectations.KEYS).compare(expected, run.messages);
        assertEquals(KNOWN.forCapture(name), comparison.where(), name + ": " + comparison);

        // Wireshark pairs by sequence number within a UDP conversation, whatever the types; a pair
        // whose request is not of the answer's request type (a Create Bearer Response "answering"
        // a Create Session Request) is a coincidence of sequence numbers, which we do not pair
        final List<String> expectedPairs = new ArrayList<>();
        int coincidences = 0;
        for (final String line : read(pairsFixture)) {
            final String[] f = line.split("\t");
            final int answerType = Integer.parseInt(f[2]);
            if (Gtpv2MessageType.requestOf(answerType) == Integer.parseInt(f[4])) {
                expectedPairs.add(f[0] + "\t" + f[1]);
            } else {
                coincidences++;
            }
        }
        assertEquals(expectedPairs, run.pairedAnswers, name + ": answers that complete a paired procedure");

        final Map<String, String> oracle = new TreeMap<>();
        for (final String line : read(subscribersFixture)) {
            final String[] f = line.split("\t");
            oracle.putIfAbsent(f[0] + "\t" + f[1], f[2]);
        }
        int resolved = 0;
        int checked = 0;
        for (final String[] p : run.procedures) {
            final String want = oracle.get(p[0] + "\t" + p[1]);
            if (want == null) {
                continue;
            }
            checked++;
            assertEquals(want, p[2], name + ": subscriber of the procedure completed at frame " + p[0] + " by type " + p[1]);
            if (p[3] != null) {
                resolved++;
            }
        }

        final long errors = run.counters.sum(Gtpv2Decoder.ERROR);
        CAPTURES.incrementAndGet();
        if (expected.isEmpty() && run.messages.isEmpty() && comparison.disagreements().isEmpty() && errors == 0) {
            return;
        }
        REPORT.put(name, String.format("%-60s messages %4d  fields %5d  disagreements %d (known %d)  pairs %3d  "
                + "(+%d by sequence only)  procedures %3d (checked %3d, IMSI resolved via TEID %3d)  decode errors %d",
            name, comparison.messages(), comparison.fields(), comparison.disagreements().size(),
            KNOWN.forCapture(name).size(), expectedPairs.size(), coincidences, run.procedures.size(), checked, resolved,
            errors));
        synchronized (TOTALS) {
            TOTALS[0] += comparison.messages();
            TOTALS[1] += comparison.fields();
            TOTALS[2] += comparison.disagreements().size();
            TOTALS[3] += expectedPairs.size();
            TOTALS[4] += checked;
            TOTALS[5] += resolved;
        }
    }

    /**
     * "answerFrame\tindex\tanswerType\trequestFrame\trequestType" for every answer Wireshark pairs
     * (gtpv2.response_to; the request is the message of that frame with the same sequence number).
     */
    private static List<String> tsharkPairs(final List<PdmlPacket> packets) {
        final Map<Long, List<PdmlNode>> byFrame = new TreeMap<>();
        for (final PdmlPacket p : packets) {
            byFrame.put(p.frame(), p.protocols("gtpv2"));
        }
        final List<String> out = new ArrayList<>();
        for (final PdmlPacket p : packets) {
            final List<PdmlNode> layers = p.protocols("gtpv2");
            for (int i = 0; i < layers.size(); i++) {
                final String to = layers.get(i).childShow("gtpv2.response_to");
                if (to == null) {
                    continue;
                }
                int requestType = -1;
                for (final PdmlNode request : byFrame.getOrDefault(Long.parseLong(to), List.of())) {
                    if (request.childShow("gtpv2.seq").equals(layers.get(i).childShow("gtpv2.seq"))) {
                        requestType = Gtpv2Expectations.type(request);
                        break;
                    }
                }
                out.add(p.frame() + "\t" + i + "\t" + Gtpv2Expectations.type(layers.get(i)) + "\t" + to + "\t" + requestType);
            }
        }
        return out;
    }

    /** Our side: the capture through the real reader, dissector and decoder. */
    private static final class Run implements MessageSink {
        final Counters counters = new Counters();
        final List<FieldRecord> messages = new ArrayList<>();
        final List<String> pairedAnswers = new ArrayList<>();
        /** frame, completing message type, IMSI or "-", "resolved" or null. */
        final List<String[]> procedures = new ArrayList<>();
        private final StringBuilder json = new StringBuilder();
        private long lastFrame = -1;
        private int lastIndex;
        private int lastType = -1;

        static Run of(final Path capture) throws IOException {
            final Run run = new Run();
            final ProtocolDispatch dispatch = new ProtocolDispatch();
            dispatch.udpPort(2123, new Gtpv2Decoder(run.counters, new Gtpv2Config()));
            final Dissector dissector = new Dissector(run.counters, dispatch, run, new DissectorConfig());
            try (CaptureFileReader reader = CaptureFileReader.open(capture, run.counters)) {
                reader.readAll(dissector);
            }
            dissector.finish();
            return run;
        }

        @Override
        public void onMessage(final SignalingMessage m) {
            json.setLength(0);
            messages.add(FieldRecord.parse(SignalingJson.appendTo(m, json, true).toString()).project(Gtpv2Expectations.KEYS));
            lastIndex = m.frame() == lastFrame ? lastIndex + 1 : 0;
            lastFrame = m.frame();
            lastType = m.messageType();
        }

        @Override
        public void onProcedure(final SignalingMessage p) {
            // which message completed it: the one just decoded when it answers, triggers or is the
            // procedure; otherwise (a time-out, the final flush) the request itself at its own frame
            final int type = p.messageType();
            final boolean byLast = p.frame() == lastFrame && (lastType == type
                || Gtpv2MessageType.requestOf(lastType) == type
                || Gtpv2MessageType.isCommand(type) && Gtpv2MessageType.isCommandTriggered(lastType));
            if (byLast && Gtpv2MessageType.isAnswer(lastType) && Gtpv2MessageType.requestOf(lastType) == type
                && WIRESHARK_PAIRS.contains(lastType)) {
                pairedAnswers.add(lastFrame + "\t" + lastIndex);
            }
            procedures.add(new String[] {Long.toString(p.frame()), Integer.toString(byLast ? lastType : type),
                p.has(SignalingMessage.IMSI) ? Digits.toString(p.imsi()) : "-",
                (p.resolved() & SignalingMessage.IMSI) != 0 ? "resolved" : null});
        }
    }

    private static List<String> read(final Path file) {
        return Files.exists(file) ? Fixtures.readLines(file) : List.of();
    }

    /** Writes the fixture, or removes it when tshark shows no GTPv2 at all in the capture. */
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
        lines.add("GTPv2-C vs " + (TsharkPdml.available() ? TsharkPdml.version() : "committed tshark fixtures (tshark absent)"));
        lines.addAll(REPORT.values());
        lines.add(String.format("TOTAL captures with GTPv2 (either side) %d of %d: messages %d, fields %d, disagreements %d "
                + "(all known: %d listed), pairs %d, procedures checked %d, IMSI resolved via TEID %d",
            REPORT.size(), CAPTURES.get(),
            TOTALS[0], TOTALS[1], TOTALS[2], KNOWN.size(), TOTALS[3], TOTALS[4], TOTALS[5]));
        lines.addAll(KNOWN.describe());
        lines.forEach(System.out::println);
        final Path out = Fixtures.repo().resolve("decoder/target/gtpv2-wireshark-report.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, lines);
        assertFalse(REPORT.isEmpty());
        assertTrue(TOTALS[0] > 0);
    }
}
