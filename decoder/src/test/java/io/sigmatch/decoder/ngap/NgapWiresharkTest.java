package io.sigmatch.decoder.ngap;

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
import io.sigmatch.decoder.nas.Nas5gsMessage;
import io.sigmatch.decoder.testing.CorpusViews;
import io.sigmatch.decoder.testing.Fixtures;
import io.sigmatch.decoder.tshark.FieldRecord;
import io.sigmatch.decoder.tshark.KnownDifferences;
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
 * NGAP + 5G NAS against Wireshark (the pattern of io.sigmatch.decoder.s1ap.S1apWiresharkTest), message by message and field by field, over every file of the
 * corpus (a file without S1AP must yield none from us either) and over the captures
 * {@link NgapTestCaptures} writes. The expected records ({@link NgapExpectations#KEYS}) are
 * committed as {@code fixtures/ngap/<capture>.jsonl} and, when tshark is installed, re-derived and
 * required to equal the fixture (write mode, {@code -Dsigmatch.fixtures.write=true}, runs tshark on every
 * capture; otherwise only captures with a fixture are re-dissected, since tshark takes seconds per file
 * and a capture without one must simply yield no S1AP from us). Our side runs the real path ({@link SignalingDecoder}: reader,
 * dissector, SCTP chunk bundling and reassembly, dispatch by PPID 18).
 *
 * <p>Correlation is judged too: for every message our decoder resolves an IMSI for (not on the
 * wire), the IMSI must be the one the capture showed in clear for the same connection (same
 * AMF-UE-NGAP-ID, or same RAN-UE-NGAP-ID since the InitialUEMessage that opened it); the report
 * gives the fraction of S1AP messages that end up with an IMSI. Deliberate differences are listed
 * with reasons in fixtures/ngap/KNOWN-DIFFERENCES.tsv. Totals go to target/ngap-wireshark-report.txt.
 */
class NgapWiresharkTest {
    private static final Map<String, String> REPORT = Collections.synchronizedMap(new TreeMap<>());
    private static final long[] TOTALS = new long[6];
    private static final KnownDifferences KNOWN = new KnownDifferences(
        Fixtures.readLines(Fixtures.fixture("ngap/KNOWN-DIFFERENCES.tsv")));

    @TestFactory
    Stream<DynamicTest> everyCorpusCapture() {
        return Fixtures.corpusFiles().stream()
            .map(f -> dynamicTest(CorpusViews.relative(f), () -> check("corpus/" + CorpusViews.relative(f), f)));
    }

    @TestFactory
    Stream<DynamicTest> capturesWeWrite() throws IOException {
        final Path dir = Files.createDirectories(Fixtures.repo().resolve("decoder/target/ngap-captures"));
        final List<DynamicTest> tests = new ArrayList<>();
        for (final Map.Entry<String, byte[]> e : NgapTestCaptures.all().entrySet()) {
            final Path file = Files.write(dir.resolve(e.getKey()), e.getValue());
            tests.add(dynamicTest(e.getKey(), () -> check("made/" + e.getKey(), file)));
        }
        return tests.stream();
    }

    private static void check(final String name, final Path capture) throws IOException {
        final Path fixture = Fixtures.fixture("ngap/" + name + ".jsonl");
        // tshark (slow: a full dissection per file) re-derives the fixtures that exist; write mode
        // looks at every capture, and a capture without a fixture must give no S1AP from us either
        if (TsharkPdml.available() && (Fixtures.writeMode() || Files.exists(fixture))) {
            final List<String> lines = new ArrayList<>();
            for (final PdmlPacket p : TsharkPdml.packets(capture, "ngap")) {
                for (final FieldRecord r : NgapExpectations.of(p)) {
                    lines.add(r.toJson());
                }
            }
            if (Fixtures.writeMode()) {
                write(fixture, lines);
            }
            assertEquals(lines, read(fixture), name + ": committed fixture vs tshark now");
        }
        final List<FieldRecord> expected = new ArrayList<>();
        for (final String line : read(fixture)) {
            expected.add(FieldRecord.parse(line));
        }
        final Run run = Run.of(capture);
        assertEquals(0, run.counters.get("dissect.error.decoder_exception"), "the decoder never throws");
        final RecordComparison comparison = new RecordComparison(NgapExpectations.KEYS).compare(expected, run.messages);
        assertEquals(KNOWN.forCapture(name), comparison.where(), name + ": " + comparison);

        // correlation oracle: the IMSI the capture showed in clear for the connection
        final Oracle oracle = new Oracle();
        int checked = 0;
        int withImsi = 0;
        for (int i = 0; i < expected.size(); i++) {
            final FieldRecord e = expected.get(i);
            // an identity tshark reads where we deliberately do not (ciphertext) is no clear identity
            final String want = oracle.next(KNOWN.forCapture(name).contains(e.frame() + "\timsi") ? e.remove("imsi") : e);
            final Run.Seen ours = i < run.seen.size() ? run.seen.get(i) : null;
            if (ours == null) {
                continue;
            }
            if (ours.imsi != null) {
                withImsi++;
            }
            if (ours.resolved && want != null) {
                checked++;
                assertEquals(want, ours.imsi, name + ": IMSI resolved for frame " + e.frame());
            }
        }
        final long errors = run.counters.sum(NgapDecoder.ERROR) + run.counters.sum(NgapDecoder.NAS_ERROR);
        if (expected.isEmpty() && run.messages.isEmpty() && errors == 0) {
            return;
        }
        final StringBuilder reasons = new StringBuilder();
        run.counters.forEach((label, v) -> {
            if (v > 0 && (label.startsWith(NgapDecoder.ERROR) || label.startsWith(NgapDecoder.NAS))) {
                reasons.append(' ').append(label.substring("decode.ngap.".length())).append('=').append(v);
            }
        });
        REPORT.put(name, String.format("%-56s messages %4d  fields %5d  disagreements %d (known %d)  with IMSI %4d"
                + " (resolved %4d, checked against the clear IMSI %4d)  procedures %3d %s",
            name, comparison.messages(), comparison.fields(), comparison.disagreements().size(),
            KNOWN.forCapture(name).size(), withImsi, run.resolved, checked, run.procedures, reasons));
        synchronized (TOTALS) {
            TOTALS[0] += comparison.messages();
            TOTALS[1] += comparison.fields();
            TOTALS[2] += comparison.disagreements().size();
            TOTALS[3] += withImsi;
            TOTALS[4] += run.resolved;
            TOTALS[5] += checked;
        }
    }

    /**
     * The clear IMSI per UE connection, from tshark's records in capture order: an InitialUEMessage
     * opens a connection under its RAN id; the first message naming an AMF id with that RAN id binds
     * the AMF id to it (a handover's new RAN id binds to the AMF id's connection); UEContextReleaseComplete
     * ends it. A connection's IMSI is the one an identity in clear names, else the one the 5G-S-TMSI or
     * 5G-GUTI it presented was assigned with (a GUTI seen in a message of a connection whose IMSI is known).
     */
    static final class Oracle {
        private final Map<Long, String[]> byEnb = new HashMap<>();
        private final Map<Long, String[]> byMme = new HashMap<>();
        private final Map<Long, String> byTmsi = new HashMap<>();

        String next(final FieldRecord r) {
            final Long mme = (Long) r.get("amf_id");
            final Long enb = (Long) r.get("ran_id");
            final long pc = (Long) r.get("pc");
            final long pdu = (Long) r.get("pdu");
            String[] conn = null;
            if (pc == 15 && pdu == 0 && enb != null) {
                conn = new String[] {null, null};
                byEnb.put(enb, conn);
            } else if (enb != null && mme != null) {
                final String[] e = byEnb.get(enb);
                final String[] m = byMme.get(mme);
                conn = e != null && (m == null || m != e && e[1] == null) ? e : m != null ? m : e;
            } else if (mme != null) {
                conn = byMme.get(mme);
            } else if (enb != null) {
                conn = byEnb.get(enb);
            }
            if (conn == null) {
                conn = new String[] {null, null};
            }
            if (enb != null) {
                byEnb.put(enb, conn);
            }
            if (mme != null) {
                byMme.put(mme, conn);
                conn[1] = "bound";
            }
            final Long sTmsi = (Long) r.get("s_tmsi");
            final Long mTmsi = (Long) r.get("tmsi");
            if (r.get("imsi") != null) {
                conn[0] = (String) r.get("imsi");
            }
            if (conn[0] == null && sTmsi != null) {
                conn[0] = byTmsi.get(sTmsi);
            }
            if (conn[0] == null && mTmsi != null) {
                conn[0] = byTmsi.get(mTmsi);
            }
            if (conn[0] != null && mTmsi != null) {
                byTmsi.put(mTmsi, conn[0]);
            }
            if (pc == 41 && pdu == 1) {
                if (mme != null) {
                    byMme.remove(mme);
                }
                if (enb != null) {
                    byEnb.remove(enb);
                }
            }
            return conn[0];
        }
    }

    /** Our side: the capture through SignalingDecoder; S1AP messages with the decoder's views. */
    private static final class Run implements MessageSink {
        record Seen(String imsi, boolean resolved) {
        }

        final Counters counters = new Counters();
        final List<FieldRecord> messages = new ArrayList<>();
        final List<Seen> seen = new ArrayList<>();
        private final StringBuilder json = new StringBuilder();
        private NgapDecoder decoder;
        int resolved;
        int procedures;

        static Run of(final Path capture) throws IOException {
            final Run run = new Run();
            final SignalingDecoder d = new SignalingDecoder(run.counters, new DecoderConfig(), run);
            run.decoder = d.ngap();
            d.decodeFile(capture);
            d.finish();
            return run;
        }

        @Override
        public void onMessage(final SignalingMessage m) {
            if (m.protocol() != Protocol.NGAP) {
                return;
            }
            json.setLength(0);
            final FieldRecord r = FieldRecord.parse(SignalingJson.appendTo(m, json, true).toString());
            r.put("pdu", decoder.pduType()).put("pc", m.messageType());
            if (decoder.amfUeId() >= 0) {
                r.put("amf_id", decoder.amfUeId());
            }
            if (decoder.ranUeId() >= 0) {
                r.put("ran_id", decoder.ranUeId());
            }
            if (decoder.sTmsi() >= 0) {
                r.put("s_tmsi", decoder.sTmsi());
            }
            final Nas5gsMessage nas = decoder.nas();
            if (decoder.nasStatus() != Integer.MIN_VALUE && nas.securityHeader() >= 0) {
                r.put("sec", nas.securityHeader());
            }
            if (decoder.nasStatus() == Nas5gsMessage.MM) {
                r.put("nas", nas.messageType());
                if (nas.tmsiKey() != 0) {
                    r.put("tmsi", nas.tmsi() & 0xFFFFFFFFL);
                }
            }
            messages.add(r.project(NgapExpectations.KEYS));
            final boolean res = (m.resolved() & SignalingMessage.IMSI) != 0;
            if (res) {
                resolved++;
            }
            seen.add(new Seen(m.has(SignalingMessage.IMSI) ? Digits.toString(m.imsi()) : null, res));
        }

        @Override
        public void onProcedure(final SignalingMessage p) {
            if (p.protocol() == Protocol.NGAP) {
                procedures++;
            }
        }
    }

    private static List<String> read(final Path file) {
        return Files.exists(file) ? Fixtures.readLines(file) : List.of();
    }

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
        lines.add("NGAP vs " + (TsharkPdml.available() ? TsharkPdml.version() : "committed tshark fixtures (tshark absent)"));
        lines.addAll(REPORT.values());
        lines.add(String.format("TOTAL captures with NGAP %d: messages %d, fields %d, disagreements %d (all known: %d listed); "
                + "messages with an IMSI %d of %d (%.1f%%), of them resolved through the correlation tables %d; "
                + "resolved IMSIs checked against the clear one %d",
            REPORT.size(), TOTALS[0], TOTALS[1], TOTALS[2], KNOWN.size(), TOTALS[3], TOTALS[0],
            TOTALS[0] == 0 ? 0.0 : 100.0 * TOTALS[3] / TOTALS[0], TOTALS[4], TOTALS[5]));
        lines.addAll(KNOWN.describe());
        lines.forEach(System.out::println);
        final Path out = Fixtures.repo().resolve("decoder/target/ngap-wireshark-report.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, lines);
        assertFalse(REPORT.isEmpty());
        assertTrue(TOTALS[0] > 0);
    }
}
