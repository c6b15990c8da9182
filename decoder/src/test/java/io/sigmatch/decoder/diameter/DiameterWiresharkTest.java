package io.sigmatch.decoder.diameter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.DecoderConfig;
import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.Protocol;
import io.sigmatch.decoder.SignalingDecoder;
import io.sigmatch.decoder.SignalingJson;
import io.sigmatch.decoder.SignalingMessage;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Diameter against Wireshark, message by message and field by field, over every file of the
 * corpus (a file without Diameter must yield none from us either: the S1AP, SIP and GTP captures
 * carry Diameter too) and over the captures {@link DiameterTestCaptures} writes (SCTP and TCP, every
 * command family, every 3GPP-User-Location-Info type). Three views, each committed as a fixture
 * and, when tshark is installed, re-derived from tshark and required to equal the fixture:
 *
 * <ol>
 *   <li>{@code <capture>.jsonl}: what `sigmatch decode` must print per message (keys of
 *       {@link DiameterExpectations#KEYS}, plus the command code and R flag);</li>
 *   <li>{@code <capture>.pairs.tsv}: the answers Wireshark pairs with a request
 *       (diameter.answer_to): we must complete a paired procedure at exactly those answers;</li>
 *   <li>{@code <capture>.subscribers.tsv}: per answer carrying a Session-Id, the IMSI of that
 *       session as the capture so far shows it (tshark's fields, sessions ended by an accepted
 *       CCA-T or STA forgotten): every procedure we complete there must name the same IMSI, on the
 *       wire or resolved through the Session-Id table.</li>
 * </ol>
 *
 * <p>Transport: the real path, {@link SignalingDecoder} as `sigmatch decode` runs it (reader,
 * dissector, TCP stream reassembly, SCTP chunks and user-message reassembly, dispatch by port, PPID
 * and content), so a message split across segments, reordered or retransmitted is decoded once,
 * in the frame that completes it, as Wireshark does. Deliberate differences are listed with their reason in
 * fixtures/diameter/KNOWN-DIFFERENCES.tsv; any other disagreement fails. Totals are printed and
 * written to target/diameter-wireshark-report.txt.
 */
class DiameterWiresharkTest {
    private static final int COUNTRY_CODE = 86;
    private static final Map<String, String> REPORT = Collections.synchronizedMap(new TreeMap<>());
    private static final java.util.concurrent.atomic.AtomicInteger CAPTURES = new java.util.concurrent.atomic.AtomicInteger();
    private static final long[] TOTALS = new long[5];
    private static final KnownDifferences KNOWN = new KnownDifferences(
        Fixtures.readLines(Fixtures.fixture("diameter/KNOWN-DIFFERENCES.tsv")));

    @TestFactory
    Stream<DynamicTest> everyCorpusCapture() {
        return Fixtures.corpusFiles().stream()
            .map(f -> dynamicTest(CorpusViews.relative(f), () -> check("corpus/" + CorpusViews.relative(f), f)));
    }

    @TestFactory
    Stream<DynamicTest> capturesWeWrite() throws IOException {
        final Path dir = Files.createDirectories(Fixtures.repo().resolve("decoder/target/diameter-captures"));
        final List<DynamicTest> tests = new ArrayList<>();
        for (final Map.Entry<String, byte[]> e : DiameterTestCaptures.all().entrySet()) {
            final Path file = Files.write(dir.resolve(e.getKey()), e.getValue());
            tests.add(dynamicTest(e.getKey(), () -> check("made/" + e.getKey(), file)));
        }
        return tests.stream();
    }

    private static void check(final String name, final Path capture) throws IOException {
        final Path messagesFixture = Fixtures.fixture("diameter/" + name + ".jsonl");
        final Path pairsFixture = Fixtures.fixture("diameter/" + name + ".pairs.tsv");
        final Path subscribersFixture = Fixtures.fixture("diameter/" + name + ".subscribers.tsv");
        if (TsharkPdml.available()) {
            final List<PdmlPacket> packets = TsharkPdml.packets(capture, "diameter");
            final DiameterExpectations expectations = new DiameterExpectations(COUNTRY_CODE);
            final List<String> messages = new ArrayList<>();
            for (final PdmlPacket p : packets) {
                for (final FieldRecord r : expectations.of(p)) {
                    messages.add(r.toJson());
                }
            }
            final List<String> pairs = tsharkPairs(packets);
            final List<String> subscribers = sessionOracle(packets, expectations);
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
        final RecordComparison comparison = new RecordComparison(DiameterExpectations.KEYS).compare(expected, run.messages);
        assertEquals(KNOWN.forCapture(name), comparison.where(), name + ": " + comparison);

        assertEquals(read(pairsFixture), run.pairedAnswers, name + ": answers that complete a paired procedure");

        final Map<String, String> oracle = new HashMap<>();
        for (final String line : read(subscribersFixture)) {
            final String[] f = line.split("\t");
            oracle.put(f[0] + "\t" + f[1], f[2]);
        }
        int checked = 0;
        int resolved = 0;
        for (final String[] p : run.procedures) {
            final String want = oracle.get(p[0] + "\t" + p[1]);
            if (want == null) {
                continue;
            }
            checked++;
            assertEquals(want, p[2], name + ": subscriber of the procedure completed at frame " + p[0] + " message " + p[1]);
            if (p[3] != null) {
                resolved++;
            }
        }

        final long errors = run.counters.sum(DiameterDecoder.ERROR);
        final StringBuilder reasons = new StringBuilder();
        run.counters.forEach((label, value) -> {
            if (value > 0 && label.startsWith(DiameterDecoder.ERROR)) {
                reasons.append(reasons.length() == 0 ? " (" : ", ").append(label.substring(DiameterDecoder.ERROR.length()))
                    .append(' ').append(value);
            }
        });
        if (reasons.length() > 0) {
            reasons.append(')');
        }
        CAPTURES.incrementAndGet();
        if (expected.isEmpty() && run.messages.isEmpty() && errors == 0) {
            return;
        }
        REPORT.put(name, String.format("%-58s messages %4d  fields %5d  disagreements %d (known %d)  pairs %3d  "
                + "procedures %4d (IMSI checked %3d, resolved via Session-Id %3d)  decode errors %d%s  transport drops tcp/sctp %d/%d",
            name, comparison.messages(), comparison.fields(), comparison.disagreements().size(),
            KNOWN.forCapture(name).size(), run.pairedAnswers.size(), run.procedures.size(), checked, resolved, errors, reasons,
            run.counters.sum("dissect.tcp.drop.") + run.counters.sum("dissect.tcp.error."),
            run.counters.sum("dissect.sctp.drop.") + run.counters.sum("dissect.sctp.error.")));
        synchronized (TOTALS) {
            TOTALS[0] += comparison.messages();
            TOTALS[1] += comparison.fields();
            TOTALS[2] += comparison.disagreements().size();
            TOTALS[3] += run.pairedAnswers.size();
            TOTALS[4] += checked;
        }
    }

    /** "answerFrame\tindex" of every answer Wireshark pairs with a request (diameter.answer_to). */
    private static List<String> tsharkPairs(final List<PdmlPacket> packets) {
        final List<String> out = new ArrayList<>();
        for (final PdmlPacket p : packets) {
            int index = 0;
            for (final PdmlNode layer : p.protocols("diameter")) {
                if (layer.child("diameter.cmd.code") == null) {
                    continue;
                }
                if (!DiameterExpectations.request(layer) && layer.first("diameter.answer_to") != null) {
                    out.add(p.frame() + "\t" + index);
                }
                index++;
            }
        }
        return out;
    }

    /**
     * "frame\tindex\tIMSI-or-'-'" for every answer that carries a Session-Id: the answer's own IMSI,
     * else its request's (the frame diameter.answer_to names, same hop-by-hop id), else the last IMSI
     * a message of that session carried before (in capture order); an accepted CCA-T or STA ends
     * the session.
     */
    private static List<String> sessionOracle(final List<PdmlPacket> packets, final DiameterExpectations e) {
        final Map<String, String> imsiBySession = new HashMap<>();
        final Map<String, String> requestImsi = new HashMap<>();
        final List<String> out = new ArrayList<>();
        for (final PdmlPacket p : packets) {
            final List<FieldRecord> records = e.of(p);
            int index = 0;
            for (final PdmlNode layer : p.protocols("diameter")) {
                if (layer.child("diameter.cmd.code") == null) {
                    continue;
                }
                final FieldRecord r = records.get(index);
                String session = null;
                for (final PdmlNode avp : DiameterExpectations.avps(layer)) {
                    if (DiameterExpectations.code(avp) == 263 && DiameterExpectations.vendor(avp) == 0) {
                        session = avp.firstShow("diameter.Session-Id");
                        break;
                    }
                }
                final String hopByHop = layer.childShow("diameter.hopbyhopid");
                if (DiameterExpectations.request(layer) && r.has("imsi")) {
                    requestImsi.put(p.frame() + "/" + hopByHop, (String) r.get("imsi"));
                }
                if (session != null) {
                    if (r.has("imsi")) {
                        imsiBySession.put(session, (String) r.get("imsi"));
                    }
                    if (!DiameterExpectations.request(layer)) {
                        // the answer's own IMSI, else its request's (diameter.answer_to), else the session's
                        final String to = layer.firstShow("diameter.answer_to");
                        String imsi = r.has("imsi") ? (String) r.get("imsi") : null;
                        if (imsi == null && to != null) {
                            imsi = requestImsi.get(to + "/" + hopByHop);
                        }
                        if (imsi == null) {
                            imsi = imsiBySession.getOrDefault(session, "-");
                        }
                        out.add(p.frame() + "\t" + index + "\t" + imsi);
                        final String msg = (String) r.get("msg");
                        if ("accepted".equals(r.get("outcome")) && ("CCA-T".equals(msg) || "STA".equals(msg))) {
                            imsiBySession.remove(session);
                        }
                    }
                }
                index++;
            }
        }
        return out;
    }

    /** Our side: the capture through SignalingDecoder; its Diameter messages and procedures. */
    private static final class Run implements MessageSink {
        final Counters counters = new Counters();
        final List<FieldRecord> messages = new ArrayList<>();
        final List<String> pairedAnswers = new ArrayList<>();
        /** frame, index of the completing message in its frame, IMSI or "-", "resolved" or null. */
        final List<String[]> procedures = new ArrayList<>();
        private final StringBuilder json = new StringBuilder();
        private long lastFrame = -1;
        private int lastIndex;
        private boolean lastRequest;
        private long pairedSeen;

        static Run of(final Path capture) throws IOException {
            final Run run = new Run();
            final SignalingDecoder decoder = new SignalingDecoder(run.counters,
                new DecoderConfig().countryCode(COUNTRY_CODE), run);
            decoder.decodeFile(capture);
            decoder.finish();
            return run;
        }

        @Override
        public void onMessage(final SignalingMessage m) {
            if (m.protocol() != Protocol.DIAMETER) {
                return; // the same captures carry GTPv2-C
            }
            json.setLength(0);
            final FieldRecord r = FieldRecord.parse(SignalingJson.appendTo(m, json, true).toString());
            r.put("cmd", m.messageType()).put("request", m.isRequest() ? 1 : 0);
            messages.add(r.project(DiameterExpectations.KEYS));
            lastIndex = m.frame() == lastFrame ? lastIndex + 1 : 0;
            lastFrame = m.frame();
            lastRequest = m.isRequest();
        }

        @Override
        public void onProcedure(final SignalingMessage p) {
            if (p.protocol() != Protocol.DIAMETER) {
                return;
            }
            final long pairedNow = counters.get(DiameterDecoder.CORRELATE + DiameterDecoder.PAIRED);
            final boolean byAnswer = p.frame() == lastFrame && !lastRequest;
            if (byAnswer && pairedNow != pairedSeen) {
                pairedAnswers.add(lastFrame + "\t" + lastIndex);
            }
            pairedSeen = pairedNow;
            if (byAnswer) {
                procedures.add(new String[] {Long.toString(p.frame()), Integer.toString(lastIndex),
                    p.has(SignalingMessage.IMSI) ? Digits.toString(p.imsi()) : "-",
                    (p.resolved() & SignalingMessage.IMSI) != 0 ? "resolved" : null});
            }
        }
    }

    private static List<String> read(final Path file) {
        return Files.exists(file) ? Fixtures.readLines(file) : List.of();
    }

    /** Writes the fixture, or removes it when tshark shows no Diameter at all in the capture. */
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
        lines.add("Diameter vs " + (TsharkPdml.available() ? TsharkPdml.version() : "committed tshark fixtures (tshark absent)"));
        lines.addAll(REPORT.values());
        lines.add(String.format("TOTAL captures with Diameter (either side) %d of %d: messages %d, fields %d, "
                + "disagreements %d (all known: %d listed), pairs %d, procedure IMSIs checked %d",
            REPORT.size(), CAPTURES.get(), TOTALS[0], TOTALS[1], TOTALS[2], KNOWN.size(), TOTALS[3], TOTALS[4]));
        lines.addAll(KNOWN.describe());
        lines.forEach(System.out::println);
        final Path out = Fixtures.repo().resolve("decoder/target/diameter-wireshark-report.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, lines);
        assertFalse(REPORT.isEmpty());
        assertTrue(TOTALS[0] > 0);
    }
}
