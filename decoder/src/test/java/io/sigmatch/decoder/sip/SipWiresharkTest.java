package io.sigmatch.decoder.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.netty.buffer.ByteBuf;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.DecoderConfig;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.Protocol;
import io.sigmatch.decoder.SignalingDecoder;
import io.sigmatch.decoder.SignalingJson;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.Digits;
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
import java.nio.charset.StandardCharsets;
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
 * SIP against Wireshark, message by message and field by field, over every file of the corpus (a
 * file without SIP must yield none from us either) and over the captures {@link SipFrames} writes
 * (registration with P-Access-Network-Info and +sip.instance, a hotline INVITE with
 * P-Asserted-Identity, 181/302 with Diversion, MO and MT MESSAGE, compact and folded headers, SIP over
 * TCP split across segments and two messages in one segment). Two views, each committed as a fixture
 * and, when tshark is installed, re-derived from tshark and required to equal the fixture:
 *
 * <ol>
 *   <li>{@code <capture>.jsonl}: per message what `sigmatch decode` prints ({@link SipExpectations#KEYS}:
 *       method or status, outcome, identities, numbers, cell) plus the raw Call-ID, CSeq number and the
 *       user parts of the Request-URI, From, To and P-Asserted-Identity as our parser sees them;</li>
 *   <li>{@code <capture>.pairs.tsv}: the final responses Wireshark pairs with a request it saw
 *       (sip.response-request): we must complete a paired procedure at exactly those.</li>
 * </ol>
 *
 * <p>Transport: the real path, {@link SignalingDecoder} as `sigmatch decode` runs it (IP reassembly,
 * TCP streams, dispatch by port 5060 and by content). SIP that Wireshark finds inside GTP-U (the user
 * plane of S1-U/S5, where a UE's SIP rides before the P-CSCF) is left out of the expectation: sigmatch
 * does not open the user plane (see the package documentation), and the report counts those messages.
 * Deliberate differences are listed in fixtures/sip/KNOWN-DIFFERENCES.tsv; any other disagreement
 * fails. Totals go to target/sip-wireshark-report.txt.
 */
class SipWiresharkTest {
    private static final int COUNTRY_CODE = 86;
    private static final Map<String, String> REPORT = Collections.synchronizedMap(new TreeMap<>());
    private static final java.util.concurrent.atomic.AtomicInteger CAPTURES = new java.util.concurrent.atomic.AtomicInteger();
    private static final long[] TOTALS = new long[4];
    private static final KnownDifferences KNOWN = new KnownDifferences(
        Fixtures.readLines(Fixtures.fixture("sip/KNOWN-DIFFERENCES.tsv")));

    @TestFactory
    Stream<DynamicTest> everyCorpusCapture() {
        return Fixtures.corpusFiles().stream()
            .map(f -> dynamicTest(CorpusViews.relative(f), () -> check("corpus/" + CorpusViews.relative(f), f)));
    }

    @TestFactory
    Stream<DynamicTest> capturesWeWrite() throws IOException {
        final Path dir = Files.createDirectories(Fixtures.repo().resolve("decoder/target/sip-captures"));
        final List<DynamicTest> tests = new ArrayList<>();
        for (final Map.Entry<String, byte[]> e : SipFrames.all().entrySet()) {
            final Path file = Files.write(dir.resolve(e.getKey()), e.getValue());
            tests.add(dynamicTest(e.getKey(), () -> check("made/" + e.getKey(), file)));
        }
        return tests.stream();
    }

    private static void check(final String name, final Path capture) throws IOException {
        final Path messagesFixture = Fixtures.fixture("sip/" + name + ".jsonl");
        final Path pairsFixture = Fixtures.fixture("sip/" + name + ".pairs.tsv");
        final Path userPlaneFixture = Fixtures.fixture("sip/" + name + ".gtpu.tsv");
        if (TsharkPdml.available()) {
            final List<PdmlPacket> packets = TsharkPdml.packets(capture, "sip");
            final SipExpectations expectations = new SipExpectations(COUNTRY_CODE, SipConfig.NATIONAL_MIN_DIGITS_DEFAULT);
            final List<String> messages = new ArrayList<>();
            final List<String> pairs = new ArrayList<>();
            final List<String> userPlane = new ArrayList<>();
            for (final PdmlPacket p : packets) {
                if (!p.protocols("gtp").isEmpty()) {
                    userPlane.add(p.frame() + "\t" + p.protocols("sip").size());
                    continue;
                }
                final List<FieldRecord> records = expectations.of(p);
                for (final FieldRecord r : records) {
                    messages.add(r.toJson());
                }
                int index = 0;
                for (final PdmlNode layer : p.protocols("sip")) {
                    if (layer.first("sip.Status-Code") == null && layer.first("sip.Request-Line") == null) {
                        continue;
                    }
                    final String status = layer.firstShow("sip.Status-Code");
                    if (status != null && PdmlNode.number(status) >= 200 && layer.first("sip.response-request") != null) {
                        pairs.add(p.frame() + "\t" + index);
                    }
                    index++;
                }
            }
            if (Fixtures.writeMode()) {
                write(messagesFixture, messages);
                write(pairsFixture, pairs);
                write(userPlaneFixture, userPlane);
            }
            assertEquals(messages, read(messagesFixture), name + ": committed fixture vs tshark now");
            assertEquals(pairs, read(pairsFixture), name + ": committed pairs vs tshark now");
            assertEquals(userPlane, read(userPlaneFixture), name + ": committed GTP-U frames vs tshark now");
        }

        final Run run = Run.of(capture);
        assertEquals(0, run.counters.get("dissect.error.decoder_exception"), "the decoder never throws");
        final List<FieldRecord> expected = new ArrayList<>();
        for (final String line : read(messagesFixture)) {
            expected.add(FieldRecord.parse(line));
        }
        final RecordComparison comparison = new RecordComparison(SipExpectations.KEYS).compare(expected, run.messages);
        assertEquals(KNOWN.forCapture(name), comparison.where(), name + ": " + comparison);
        final List<String> wantPairs = read(pairsFixture);
        final List<String> pairedAtTsharkPairs = new ArrayList<>(run.pairedAnswers);
        pairedAtTsharkPairs.retainAll(wantPairs);
        assertEquals(wantPairs, pairedAtTsharkPairs, name + ": a final response Wireshark pairs completes a paired procedure");

        final long errors = run.counters.sum(SipDecoder.ERROR);
        final StringBuilder reasons = new StringBuilder();
        run.counters.forEach((label, value) -> {
            if (value > 0 && label.startsWith(SipDecoder.ERROR)) {
                reasons.append(reasons.length() == 0 ? " (" : ", ").append(label.substring(SipDecoder.ERROR.length()))
                    .append(' ').append(value);
            }
        });
        if (reasons.length() > 0) {
            reasons.append(')');
        }
        CAPTURES.incrementAndGet();
        int inUserPlane = 0;
        for (final String l : read(userPlaneFixture)) {
            inUserPlane += Integer.parseInt(l.split("\t")[1]);
        }
        if (expected.isEmpty() && run.messages.isEmpty() && errors == 0 && inUserPlane == 0) {
            return;
        }
        REPORT.put(name, String.format("%-52s messages %4d  fields %5d  disagreements %d (known %d)  pairs %3d (ours %3d)"
                + "  procedures %3d  in GTP-U (not decoded) %3d  decode errors %d%s", name, comparison.messages(),
            comparison.fields(), comparison.disagreements().size(), KNOWN.forCapture(name).size(), wantPairs.size(),
            run.pairedAnswers.size(), run.procedures, inUserPlane, errors, reasons));
        synchronized (TOTALS) {
            TOTALS[0] += comparison.messages();
            TOTALS[1] += comparison.fields();
            TOTALS[2] += comparison.disagreements().size();
            TOTALS[3] += wantPairs.size();
        }
    }

    /** Our side: the capture through SignalingDecoder; its SIP messages with the raw fields the parser found. */
    private static final class Run implements MessageSink {
        final Counters counters = new Counters();
        final List<FieldRecord> messages = new ArrayList<>();
        final List<String> pairedAnswers = new ArrayList<>();
        int procedures;
        private final StringBuilder json = new StringBuilder();
        private final SipUri uri = new SipUri();
        private SignalingDecoder decoder;
        private long lastFrame = -1;
        private int lastIndex;
        private boolean lastRequest;
        private long pairedSeen;

        static Run of(final Path capture) throws IOException {
            final Run run = new Run();
            run.decoder = new SignalingDecoder(run.counters, new DecoderConfig().countryCode(COUNTRY_CODE), run);
            run.decoder.decodeFile(capture);
            run.decoder.finish();
            return run;
        }

        @Override
        public void onMessage(final SignalingMessage m) {
            if (m.protocol() != Protocol.SIP) {
                return;
            }
            json.setLength(0);
            final FieldRecord r = FieldRecord.parse(SignalingJson.appendTo(m, json, true).toString());
            final SipMessage s = decoder.sip().lastMessage();
            final ByteBuf b = s.buffer();
            r.put("callId", text(b, s.callIdFrom(), s.callIdEnd()));
            r.put("cseq", s.cseq());
            if (s.isRequest() && uri.wrapUri(b, s.requestUriFrom(), s.requestUriEnd())) {
                user(r, "ruriUser", b);
            }
            entryUser(r, "fromUser", s, SipMessage.H_FROM);
            entryUser(r, "toUser", s, SipMessage.H_TO);
            entryUser(r, "paiUser", s, SipMessage.H_PAI);
            if (m.has(SignalingMessage.CALLING)) {
                r.put("calling", Digits.toString(m.calling()));
            }
            messages.add(r.project(SipExpectations.KEYS));
            lastIndex = m.frame() == lastFrame ? lastIndex + 1 : 0;
            lastFrame = m.frame();
            lastRequest = m.isRequest();
        }

        private void entryUser(final FieldRecord r, final String key, final SipMessage s, final int header) {
            if (s.kept(header) == 0) {
                return;
            }
            final int from = s.valueFrom(header, 0);
            final int end = SipUri.entryEnd(s.buffer(), from, s.valueEnd(header, 0));
            if (uri.wrapEntry(s.buffer(), from, end)) {
                user(r, key, s.buffer());
            }
        }

        /** Wireshark 4.0 names a user part only in sip: and sips: URIs (a tel: URI's number is not one), with its parameters. */
        private void user(final FieldRecord r, final String key, final ByteBuf b) {
            if (uri.isSip() && uri.userFrom() >= 0 && uri.userWithParamsEnd() > uri.userFrom()) {
                r.put(key, text(b, uri.userFrom(), uri.userWithParamsEnd()));
            }
        }

        private static String text(final ByteBuf b, final int from, final int end) {
            return b.toString(from, end - from, StandardCharsets.ISO_8859_1);
        }

        @Override
        public void onProcedure(final SignalingMessage p) {
            if (p.protocol() != Protocol.SIP) {
                return;
            }
            procedures++;
            final long pairedNow = counters.get(SipDecoder.CORRELATE + SipDecoder.PAIRED);
            if (p.frame() == lastFrame && !lastRequest && pairedNow != pairedSeen) {
                pairedAnswers.add(lastFrame + "\t" + lastIndex);
            }
            pairedSeen = pairedNow;
        }
    }

    private static List<String> read(final Path file) {
        return Files.exists(file) ? Fixtures.readLines(file) : List.of();
    }

    /** Writes the fixture, or removes it when tshark shows no SIP at all in the capture. */
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
        lines.add("SIP vs " + (TsharkPdml.available() ? TsharkPdml.version() : "committed tshark fixtures (tshark absent)"));
        lines.addAll(REPORT.values());
        lines.add(String.format("TOTAL captures with SIP (either side) %d of %d: messages %d, fields %d, "
                + "disagreements %d (all known: %d listed), pairs %d",
            REPORT.size(), CAPTURES.get(), TOTALS[0], TOTALS[1], TOTALS[2], KNOWN.size(), TOTALS[3]));
        lines.addAll(KNOWN.describe());
        lines.forEach(System.out::println);
        final Path out = Fixtures.repo().resolve("decoder/target/sip-wireshark-report.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, lines);
        assertFalse(REPORT.isEmpty());
        assertTrue(TOTALS[0] > 0);
    }
}
