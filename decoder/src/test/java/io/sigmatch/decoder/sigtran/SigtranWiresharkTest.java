package io.sigmatch.decoder.sigtran;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.DecoderConfig;
import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.Protocol;
import io.sigmatch.decoder.SignalingDecoder;
import io.sigmatch.decoder.SignalingMessage;
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
 * SIGTRAN against Wireshark, message by message and field by field, over every file of the corpus
 * (a file without M3UA/M2UA/MTP3 must yield none from us either; an MTP3 link-type capture is one MSU a frame) and over the captures
 * {@link SigtranTestCaptures} writes. Three views, each committed as a fixture and, when tshark is
 * installed, re-derived from tshark and required to equal the fixture:
 *
 * <ol>
 *   <li>{@code <capture>.transport.jsonl}: per M3UA/M2UA message its M3UA, SCCP and TCAP fields
 *       ({@link SigtranExpectations#TRANSPORT_KEYS}), compared with what the decoder's
 *       {@link SigtranTap} saw;</li>
 *   <li>{@code <capture>.components.jsonl}: per MAP/CAP component its operation and the identities,
 *       called number and location it carries ({@link SigtranExpectations#COMPONENT_KEYS}),
 *       compared with the messages `sigmatch decode` prints;</li>
 *   <li>{@code <capture>.procedures.tsv}: per TCAP End or Abort that closes a transaction whose Begin
 *       is in the capture, the frame and the IMSI and MSISDN the whole transaction carried (either
 *       direction): we must complete a paired procedure there naming the same subscriber.</li>
 * </ol>
 *
 * <p>Transport is the real path ({@link SignalingDecoder}: reader, dissector, SCTP chunks and
 * user-message reassembly, dispatch by PPID). Deliberate differences are listed with their reason
 * in fixtures/sigtran/KNOWN-DIFFERENCES.tsv; any other disagreement fails. Totals are printed and
 * written to target/sigtran-wireshark-report.txt.
 */
class SigtranWiresharkTest {
    private static final int COUNTRY_CODE = 86;
    private static final Map<String, String> REPORT = Collections.synchronizedMap(new TreeMap<>());
    private static final long[] TOTALS = new long[7];
    private static final KnownDifferences KNOWN = new KnownDifferences(
        Fixtures.readLines(Fixtures.fixture("sigtran/KNOWN-DIFFERENCES.tsv")));
    /** Captures on non-standard SSNs: tshark needs decode-as, our decoder the same SSNs as CAP. */
    private static final Map<String, String[]> DECODE_AS = Map.of(
        "corpus/sigtran-map/wiki-camel.pcap", new String[] {"-d", "sccp.ssn==152,tcap", "-d", "sccp.ssn==200,tcap"});
    private static final Map<String, int[]> CAP_SSNS = Map.of("corpus/sigtran-map/wiki-camel.pcap", new int[] {152, 200});

    /**
     * The corpus's SIGTRAN captures against tshark. Every other corpus file must yield no M3UA/M2UA
     * message from us either; tshark re-checks that only when fixtures are regenerated (one tshark
     * start per file costs more than this whole test's budget on a loaded 2-core machine).
     */
    @TestFactory
    Stream<DynamicTest> everyCorpusCapture() {
        return Fixtures.corpusFiles().stream()
            .map(f -> dynamicTest(CorpusViews.relative(f), () -> {
                final String name = "corpus/" + CorpusViews.relative(f);
                if (name.startsWith("corpus/sigtran-map/") || Fixtures.writeMode()) {
                    check(name, f);
                } else {
                    final Run run = Run.of(f, new int[0]);
                    assertEquals(List.of(), read(Fixtures.fixture("sigtran/" + name + ".transport.jsonl")),
                        name + ": a fixture says tshark saw SIGTRAN here; regenerate with tshark");
                    assertEquals(0, run.transport.size() + run.components.size(), name + ": no SIGTRAN from us either");
                    assertEquals(0, run.counters.sum(SigtranDecoder.ERROR), name + ": no SIGTRAN decode errors");
                }
            }));
    }

    @TestFactory
    Stream<DynamicTest> capturesWeWrite() throws IOException {
        final Path dir = Files.createDirectories(Fixtures.repo().resolve("decoder/target/sigtran-captures"));
        final List<DynamicTest> tests = new ArrayList<>();
        for (final Map.Entry<String, byte[]> e : SigtranTestCaptures.all().entrySet()) {
            final Path file = Files.write(dir.resolve(e.getKey()), e.getValue());
            tests.add(dynamicTest(e.getKey(), () -> check("made/" + e.getKey(), file)));
        }
        return tests.stream();
    }

    private static void check(final String name, final Path capture) throws IOException {
        final Path transportFixture = Fixtures.fixture("sigtran/" + name + ".transport.jsonl");
        final Path componentsFixture = Fixtures.fixture("sigtran/" + name + ".components.jsonl");
        final Path proceduresFixture = Fixtures.fixture("sigtran/" + name + ".procedures.tsv");
        if (TsharkPdml.available()) {
            final List<PdmlPacket> packets = TsharkPdml.packets(capture, "m3ua || m2ua || mtp3",
                DECODE_AS.getOrDefault(name, new String[0]));
            final SigtranExpectations e = new SigtranExpectations(COUNTRY_CODE);
            final List<String> transport = new ArrayList<>();
            final List<String> components = new ArrayList<>();
            final List<FieldRecord> allTransport = new ArrayList<>();
            final Map<Long, List<FieldRecord>> componentsByFrame = new HashMap<>();
            for (final PdmlPacket p : packets) {
                for (final FieldRecord r : e.transport(p)) {
                    transport.add(r.toJson());
                    allTransport.add(r);
                }
                for (final FieldRecord r : e.components(p)) {
                    components.add(r.toJson());
                    componentsByFrame.computeIfAbsent(p.frame(), k -> new ArrayList<>()).add(r);
                }
            }
            final List<String> procedures = transactionOracle(allTransport, componentsByFrame);
            if (Fixtures.writeMode()) {
                write(transportFixture, transport);
                write(componentsFixture, components);
                write(proceduresFixture, procedures);
            }
            assertEquals(transport, read(transportFixture), name + ": committed transport fixture vs tshark now");
            assertEquals(components, read(componentsFixture), name + ": committed components fixture vs tshark now");
            assertEquals(procedures, read(proceduresFixture), name + ": committed procedures vs tshark now");
        }

        final Run run = Run.of(capture, CAP_SSNS.getOrDefault(name, new int[0]));
        assertEquals(0, run.counters.get("dissect.error.decoder_exception"), "the decoder never throws");

        final RecordComparison transport = new RecordComparison(SigtranExpectations.TRANSPORT_KEYS)
            .compare(parse(read(transportFixture)), run.transport);
        final RecordComparison components = new RecordComparison(SigtranExpectations.COMPONENT_KEYS)
            .compare(parse(read(componentsFixture)), run.components);
        final List<String> where = new ArrayList<>(transport.where());
        where.addAll(components.where());
        // a paired procedure on one side only, or naming another subscriber: "frame\tprocedure"
        final List<String> expectedProcedures = read(proceduresFixture);
        for (final String p : expectedProcedures) {
            if (!run.pairedProcedures.contains(p)) {
                where.add(p.substring(0, p.indexOf('\t')) + "\tprocedure");
            }
        }
        for (final String p : run.pairedProcedures) {
            if (!expectedProcedures.contains(p)) {
                where.add(p.substring(0, p.indexOf('\t')) + "\tprocedure");
            }
        }
        Collections.sort(where);
        assertEquals(KNOWN.forCapture(name), where, name + ":\ntransport " + transport + "\ncomponents " + components
            + "\nprocedures: tshark " + expectedProcedures + "\n            ours   " + run.pairedProcedures);

        final long errors = run.counters.sum(SigtranDecoder.ERROR);
        if (run.transport.isEmpty() && read(transportFixture).isEmpty() && errors == 0) {
            return;
        }
        final StringBuilder reasons = new StringBuilder();
        run.counters.forEach((label, value) -> {
            if (value > 0 && label.startsWith(SigtranDecoder.ERROR)) {
                reasons.append(reasons.length() == 0 ? " (" : ", ")
                    .append(label.substring(SigtranDecoder.ERROR.length())).append(' ').append(value);
            }
        });
        if (reasons.length() > 0) {
            reasons.append(')');
        }
        REPORT.put(name, String.format("%-46s m3ua/m2ua %4d fields %5d | components %3d fields %4d | disagreements %d "
                + "(known %d) | paired procedures %3d | mgmt %d | errors %d%s", name, transport.messages(),
            transport.fields(), components.messages(), components.fields(), where.size(), KNOWN.forCapture(name).size(),
            run.pairedProcedures.size(), run.counters.sum(SigtranDecoder.M3UA_MGMT), errors, reasons));
        synchronized (TOTALS) {
            TOTALS[0] += transport.messages();
            TOTALS[1] += transport.fields();
            TOTALS[2] += components.messages();
            TOTALS[3] += components.fields();
            TOTALS[4] += where.size();
            TOTALS[5] += run.pairedProcedures.size();
            TOTALS[6]++;
        }
    }

    /**
     * "frame\tIMSI\tMSISDN" for every End or Abort that closes a transaction begun in the capture
     * (tids matched as Q.771 says: the Begin's otid is the End's dtid; a Continue from the responder
     * names its own id, which later messages to it carry as dtid), with the first IMSI and MSISDN
     * any component of the transaction carried ("-" when none).
     */
    private static List<String> transactionOracle(final List<FieldRecord> transport,
        final Map<Long, List<FieldRecord>> componentsByFrame) {
        final Map<String, String[]> open = new HashMap<>();   // initiator tid -> {imsi, msisdn}
        final Map<String, String> alias = new HashMap<>();    // responder tid -> initiator tid
        final Map<Long, Integer> seenInFrame = new HashMap<>();
        final List<String> out = new ArrayList<>();
        for (final FieldRecord t : transport) {
            if (!t.has("tcap")) {
                continue;
            }
            final long frame = t.frame();
            final int index = seenInFrame.merge(frame, 1, Integer::sum) - 1;
            final long type = (Long) t.get("tcap");
            String key = null;
            if (type == 2) {
                key = (String) t.get("otid");
                open.put(key, new String[] {null, null});
            } else if (t.has("dtid")) {
                final String dtid = (String) t.get("dtid");
                key = open.containsKey(dtid) ? dtid : alias.get(dtid);
                if (key != null && type == 5 && t.has("otid")) {
                    alias.put((String) t.get("otid"), key);
                }
            }
            if (key == null || !open.containsKey(key)) {
                continue;
            }
            final String[] who = open.get(key);
            // the components of this TCAP message: those of its frame, in order, as many as it carried
            final List<FieldRecord> comps = componentsByFrame.getOrDefault(frame, List.of());
            if (index == 0) {
                for (final FieldRecord c : comps) {
                    if (who[0] == null && c.has("imsi")) {
                        who[0] = (String) c.get("imsi");
                    }
                    if (who[1] == null && c.has("msisdn")) {
                        who[1] = (String) c.get("msisdn");
                    }
                }
            }
            if (type == 4 || type == 7) {
                out.add(frame + "\t" + (who[0] == null ? "-" : who[0]) + "\t" + (who[1] == null ? "-" : who[1]));
                open.remove(key);
            }
        }
        return out;
    }

    /** Our side: the capture through SignalingDecoder; the tap's layers and the MAP/CAP messages. */
    private static final class Run implements MessageSink, SigtranTap {
        final Counters counters = new Counters();
        final List<FieldRecord> transport = new ArrayList<>();
        final List<FieldRecord> components = new ArrayList<>();
        final List<String> pairedProcedures = new ArrayList<>();
        private FieldRecord current;
        private int componentType;
        private int componentOpcode;
        private long pairedSeen;

        static Run of(final Path capture, final int[] capSsns) throws IOException {
            final Run run = new Run();
            final DecoderConfig config = new DecoderConfig().countryCode(COUNTRY_CODE);
            for (final int ssn : capSsns) {
                config.sigtran().capSsn(ssn);
            }
            final SignalingDecoder decoder = new SignalingDecoder(run.counters, config, run);
            decoder.sigtran().tap(run);
            decoder.decodeFile(capture);
            decoder.finish();
            return run;
        }

        @Override
        public void m3ua(final long frame, final int messageClass, final int messageType, final long routingContext,
            final int opc, final int dpc, final int si, final int ni) {
            if (messageClass == SigtranDecoder.MTP3_CLASS) {
                current = new FieldRecord().put("frame", frame).put("layer", "mtp3");
            } else {
                current = new FieldRecord().put("frame", frame).put("layer", messageClass == 6 ? "m2ua" : "m3ua")
                    .put("cls", messageClass).put("type", messageType);
            }
            if (routingContext >= 0) {
                current.put("rc", routingContext);
            }
            if (si >= 0) {
                current.put("opc", opc & 0xFFFFFFFFL).put("dpc", dpc & 0xFFFFFFFFL).put("si", si).put("ni", ni);
            }
            transport.add(current);
        }

        @Override
        public void sccp(final long frame, final int messageType, final SccpAddress called, final SccpAddress calling) {
            current.put("sccp", messageType);
            digits(current, "called", called.digits);
            digits(current, "calling", calling.digits);
            if (called.ssn >= 0) {
                current.put("cdssn", called.ssn);
            }
            if (calling.ssn >= 0) {
                current.put("cgssn", calling.ssn);
            }
        }

        @Override
        public void tcap(final long frame, final int type, final long otid, final int otidLength, final long dtid,
            final int dtidLength, final int acn) {
            // a reassembled XUDT completes in the frame of its last segment: the record of that M3UA message
            current.put("tcap", type);
            if (otidLength > 0) {
                current.put("otid", hex(otid, otidLength));
            }
            if (dtidLength > 0) {
                current.put("dtid", hex(dtid, dtidLength));
            }
        }

        @Override
        public void component(final long frame, final boolean cap, final int type, final int opcode) {
            componentType = type;
            componentOpcode = opcode;
        }

        @Override
        public void onMessage(final SignalingMessage m) {
            if (m.protocol() != Protocol.MAP && m.protocol() != Protocol.CAP) {
                return;
            }
            final FieldRecord r = new FieldRecord().put("frame", m.frame())
                .put("proto", m.protocol().jsonName).put("comp", componentType);
            if (componentOpcode >= 0) {
                r.put("op", componentOpcode);
            }
            digits(r, "imsi", m.has(SignalingMessage.IMSI) ? m.imsi() : Digits.NONE);
            digits(r, "msisdn", m.has(SignalingMessage.MSISDN) ? m.msisdn() : Digits.NONE);
            digits(r, "imei", m.has(SignalingMessage.IMEI) ? m.imei() : Digits.NONE);
            digits(r, "called", m.has(SignalingMessage.CALLED) ? m.called() : Digits.NONE);
            if (m.has(SignalingMessage.CELL_PLMN)) {
                r.put("mcc", io.sigmatch.decoder.Plmn.mcc(m.cellPlmn())).put("mnc", io.sigmatch.decoder.Plmn.mnc(m.cellPlmn()));
            }
            if (m.has(SignalingMessage.LAC)) {
                r.put("lac", m.lac());
            }
            if (m.has(SignalingMessage.CI)) {
                r.put("ci", m.ci());
            }
            components.add(r);
        }

        @Override
        public void onProcedure(final SignalingMessage p) {
            if (p.protocol() != Protocol.MAP && p.protocol() != Protocol.CAP) {
                return;
            }
            final long pairedNow = counters.get(SigtranDecoder.CORRELATE + SigtranDecoder.PAIRED);
            if (pairedNow != pairedSeen) {
                pairedProcedures.add(p.frame() + "\t" + (p.has(SignalingMessage.IMSI) ? Digits.toString(p.imsi()) : "-")
                    + "\t" + (p.has(SignalingMessage.MSISDN) ? Digits.toString(p.msisdn()) : "-"));
            }
            pairedSeen = pairedNow;
        }

        private static void digits(final FieldRecord r, final String key, final long packed) {
            if (packed != Digits.NONE && packed != Digits.INVALID) {
                r.put(key, Digits.toString(packed));
            }
        }

        private static String hex(final long v, final int octets) {
            final StringBuilder sb = new StringBuilder();
            for (int i = octets - 1; i >= 0; i--) {
                final int b = (int) (v >>> (8 * i)) & 0xFF;
                sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return sb.toString();
        }
    }

    private static List<FieldRecord> parse(final List<String> lines) {
        final List<FieldRecord> out = new ArrayList<>();
        for (final String line : lines) {
            out.add(FieldRecord.parse(line));
        }
        return out;
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
        lines.add("SIGTRAN vs " + (TsharkPdml.available() ? TsharkPdml.version() : "committed tshark fixtures (tshark absent)"));
        lines.addAll(REPORT.values());
        lines.add(String.format("TOTAL captures with SIGTRAN %d: M3UA/M2UA messages %d (fields %d), MAP/CAP components %d "
                + "(fields %d), disagreements %d (all known: %d listed), paired procedures %d",
            TOTALS[6], TOTALS[0], TOTALS[1], TOTALS[2], TOTALS[3], TOTALS[4], KNOWN.size(), TOTALS[5]));
        lines.addAll(KNOWN.describe());
        lines.forEach(System.out::println);
        final Path out = Fixtures.repo().resolve("decoder/target/sigtran-wireshark-report.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, lines);
        assertTrue(TOTALS[2] > 0, "MAP/CAP components compared");
    }
}
