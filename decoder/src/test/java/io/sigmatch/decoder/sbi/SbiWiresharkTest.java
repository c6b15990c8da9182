package io.sigmatch.decoder.sbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.DecoderConfig;
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
 * SBI against Wireshark, message by message: every HTTP/2 request (at the frame that ends it, END_STREAM)
 * and response (at its HEADERS) with its stream id, {@code :method}, {@code :path} and {@code :status}
 * ({@code http2.header.name/value}) and the identities of its JSON body ({@code json.path_with_value}:
 * supi, gpsi, pei, dnn, supiOrSuci with the null scheme, the first Namf report's supi; the SUPI of the
 * path when the body names none) and the NR location (tac, nrCellId). Over every capture of the corpus
 * (one without HTTP/2 must yield no SBI message from us either) and over {@link SbiTestCaptures}.
 * tshark decodes HTTP/2 on the ports of {@link SbiTestCaptures#DECODE_AS}.
 *
 * <p>The tshark view is committed per capture as {@code fixtures/sbi/<capture>.jsonl} and, with
 * tshark installed, re-derived and required to equal the fixture ({@code -Dsigmatch.fixtures.write=true}
 * rewrites it). Deliberate differences are in fixtures/sbi/KNOWN-DIFFERENCES.tsv with their reasons.
 */
class SbiWiresharkTest {
    static final List<String> KEYS = List.of("stream", "method", "path", "status", "imsi", "msisdn", "imei",
        "imeisv", "apn", "tac", "nci");
    private static final Map<String, String> REPORT = Collections.synchronizedMap(new TreeMap<>());
    private static final long[] TOTALS = new long[6];
    private static final KnownDifferences KNOWN = new KnownDifferences(
        Fixtures.readLines(Fixtures.fixture("sbi/KNOWN-DIFFERENCES.tsv")));

    @TestFactory
    Stream<DynamicTest> everyCorpusCapture() {
        return Fixtures.corpusFiles().stream()
            .map(f -> dynamicTest(CorpusViews.relative(f), () -> check("corpus/" + CorpusViews.relative(f), f)));
    }

    @TestFactory
    Stream<DynamicTest> capturesWeWrite() throws IOException {
        final Path dir = Files.createDirectories(Fixtures.repo().resolve("decoder/target/sbi-captures"));
        final List<DynamicTest> tests = new ArrayList<>();
        for (final Map.Entry<String, byte[]> e : SbiTestCaptures.all().entrySet()) {
            final Path file = Files.write(dir.resolve(e.getKey()), e.getValue());
            tests.add(dynamicTest(e.getKey(), () -> check("made/" + e.getKey(), file)));
        }
        return tests.stream();
    }

    private static void check(final String name, final Path capture) throws IOException {
        final Path fixture = Fixtures.fixture("sbi/" + name + ".jsonl");
        // tshark runs for the captures with HTTP/2 (those with a fixture); -Dsigmatch.sbi.discover=true (with
        // write mode) runs it on every corpus file to find new ones. Without a fixture we must decode no SBI.
        if (TsharkPdml.available() && (name.startsWith("made/") || Files.exists(fixture)
            || Fixtures.writeMode() && Boolean.getBoolean("sigmatch.sbi.discover"))) {
            final List<String> expected = new ArrayList<>();
            for (final FieldRecord r : tsharkRecords(TsharkPdml.packets(capture, "http2", SbiTestCaptures.DECODE_AS))) {
                expected.add(r.toJson());
            }
            if (Fixtures.writeMode()) {
                write(fixture, expected);
            }
            assertEquals(expected, read(fixture), name + ": committed fixture vs tshark now");
        }
        final Run run = Run.of(capture);
        assertEquals(0, run.counters.get("dissect.error.decoder_exception"), "the decoder never throws");
        final List<FieldRecord> expected = new ArrayList<>();
        for (final String line : read(fixture)) {
            expected.add(FieldRecord.parse(line));
        }
        final RecordComparison comparison = new RecordComparison(KEYS).compare(expected, run.messages);
        assertEquals(KNOWN.forCapture(name), comparison.where(), name + ": " + comparison);
        if (expected.isEmpty() && run.messages.isEmpty()) {
            return;
        }
        final StringBuilder counts = new StringBuilder();
        run.counters.forEach((label, value) -> {
            if (value > 0 && (label.startsWith(SbiDecoder.ERROR) || label.startsWith("decode.sbi.midstream"))) {
                counts.append(' ').append(label.substring("decode.sbi.".length())).append('=').append(value);
            }
        });
        REPORT.put(name, String.format("%-52s messages %4d  fields %5d  disagreements %d (known %d)  procedures %4d "
                + "(paired %d, with an event %d)%s", name, comparison.messages(), comparison.fields(),
            comparison.disagreements().size(), KNOWN.forCapture(name).size(), run.procedures,
            run.counters.get(SbiDecoder.CORRELATE + "paired"), run.events, counts));
        synchronized (TOTALS) {
            TOTALS[0]++;
            TOTALS[1] += comparison.messages();
            TOTALS[2] += comparison.fields();
            TOTALS[3] += comparison.disagreements().size();
            TOTALS[4] += run.procedures;
            TOTALS[5] += run.counters.get(SbiDecoder.CORRELATE + "paired");
        }
    }

    // ---- the tshark side --------------------------------------------------------------------------

    private static final class Pending {
        final FieldRecord record = new FieldRecord();
        final Map<String, String> json = new HashMap<>();
        /** A HEADERS without END_HEADERS: the request ends (END_STREAM) only with its last CONTINUATION. */
        boolean inBlock;
        boolean endStream;
    }

    /** Request and response records in capture order, from tshark's HTTP/2 and JSON trees. */
    static List<FieldRecord> tsharkRecords(final List<PdmlPacket> packets) {
        final List<FieldRecord> out = new ArrayList<>();
        final Map<String, Pending> open = new HashMap<>();
        for (final PdmlPacket p : packets) {
            final String conn = connection(p);
            for (final PdmlNode http2 : p.protocols("http2")) {
                Pending last = null;
                final List<Pending> ended = new ArrayList<>();
                for (final PdmlNode node : http2.children()) {
                    if (node.name().equals("json") || node.name().equals("mime_multipart")) {
                        if (last != null) {
                            collectJson(node, last.json);
                        }
                        continue;
                    }
                    if (!node.name().equals("http2.stream")) {
                        continue;
                    }
                    last = null;
                    final String type = node.childShow("http2.type");
                    if (type == null) {
                        continue;
                    }
                    final long stream = Long.parseLong(node.childShow("http2.streamid"));
                    final PdmlNode es = node.first("http2.flags.end_stream");
                    boolean endStream = es != null && "1".equals(es.show());
                    final PdmlNode eh = node.first("http2.flags.eh");
                    final boolean endHeaders = eh != null && "1".equals(eh.show());
                    final String key = conn + "/" + stream;
                    if (type.equals("1") || type.equals("9")) {
                        final Map<String, String> headers = new HashMap<>();
                        for (final PdmlNode h : node.children()) {
                            if (h.name().equals("http2.header")) {
                                headers.putIfAbsent(h.childShow("http2.header.name"), h.childShow("http2.header.value"));
                            }
                        }
                        final Pending continued = type.equals("9") ? open.get(key) : null;
                        if (continued != null) {
                            // tshark shows a block split over CONTINUATION frames partly on each frame's node
                            if (headers.containsKey(":path") && "".equals(continued.record.get("path"))) {
                                continued.record.put("path", headers.get(":path"));
                            }
                            last = continued;
                            if (endHeaders) {
                                continued.inBlock = false;
                                endStream = continued.endStream;
                            }
                        } else if (headers.containsKey(":method")) {
                            final Pending q = new Pending();
                            q.record.put("frame", p.frame()).put("stream", stream).put("method", headers.get(":method"));
                            q.record.put("path", headers.getOrDefault(":path", ""));
                            q.inBlock = !endHeaders;
                            q.endStream = endStream;
                            open.put(key, q);
                            last = q;
                        } else if (headers.containsKey(":status")) {
                            out.add(new FieldRecord().put("frame", p.frame()).put("stream", stream)
                                .put("status", Long.parseLong(headers.get(":status"))));
                            open.remove(key);
                            continue;
                        }
                    } else if (type.equals("0")) {
                        last = open.get(key);
                    }
                    if (endStream && open.containsKey(key) && !open.get(key).inBlock) {
                        final Pending q = open.remove(key);
                        q.record.put("frame", p.frame());
                        out.add(q.record);
                        ended.add(q); // its JSON (the layer after this stream node) is read below
                    }
                }
                for (final Pending q : ended) {
                    identities(q);
                }
            }
        }
        return out;
    }

    /** tshark's JSON strings in sigmatch's normal form (TS 29.571 5.3.2 Supi, Gpsi, Pei; TS 23.003 2.2B SUCI). */
    private static void identities(final Pending q) {
        final Map<String, String> j = q.json;
        String supi = j.get("/supi");
        if (supi == null) {
            supi = j.get("/reportList/[]/supi");
        }
        if (supi == null && j.containsKey("/supiOrSuci")) {
            supi = suciToSupi(j.get("/supiOrSuci"));
        }
        if (supi == null) {
            final java.util.regex.Matcher m = java.util.regex.Pattern.compile("/(imsi-[0-9]+)(?:[/?]|$)")
                .matcher((String) q.record.get("path"));
            if (m.find()) {
                supi = m.group(1);
            }
        }
        if (supi != null && supi.startsWith("imsi-")) {
            q.record.put("imsi", supi.substring(5));
        }
        final String gpsi = j.get("/gpsi");
        if (gpsi != null && gpsi.startsWith("msisdn-")) {
            q.record.put("msisdn", gpsi.substring(7));
        }
        String pei = j.get("/pei");
        if (pei == null) {
            pei = j.get("/reportList/[]/pei");
        }
        if (pei != null && pei.startsWith("imeisv-")) {
            q.record.put("imei", pei.substring(7, 21)).put("imeisv", pei.substring(7));
        } else if (pei != null && pei.startsWith("imei-")) {
            q.record.put("imei", pei.substring(5, 19));
        }
        if (j.containsKey("/dnn")) {
            q.record.put("apn", j.get("/dnn"));
        }
        for (final String root : List.of("/ueLocation", "/reportList/[]/location")) {
            final String tac = j.get(root + "/nrLocation/tai/tac");
            if (tac != null && !q.record.has("tac")) {
                q.record.put("tac", Long.parseLong(tac, 16));
            }
            final String nci = j.get(root + "/nrLocation/ncgi/nrCellId");
            if (nci != null && !q.record.has("nci")) {
                q.record.put("nci", Long.parseLong(nci, 16));
            }
        }
    }

    /** suci-0-{mcc}-{mnc}-{routing}-0-{key}-{msin}: the null scheme's output is the MSIN. */
    private static String suciToSupi(final String suci) {
        final String[] f = suci.split("-");
        if (f.length == 8 && f[0].equals("suci") && f[1].equals("0") && f[5].equals("0")) {
            return "imsi-" + f[2] + f[3] + f[7];
        }
        return suci.startsWith("imsi-") ? suci : null;
    }

    private static void collectJson(final PdmlNode node, final Map<String, String> into) {
        for (final PdmlNode v : node.descendants("json.path_with_value")) {
            final String s = v.show();
            final int colon = s.indexOf(':');
            if (colon > 0) {
                into.putIfAbsent(s.substring(0, colon), s.substring(colon + 1));
            }
        }
    }

    private static String connection(final PdmlPacket p) {
        final List<PdmlNode> ip = p.protocols("ip").isEmpty() ? p.protocols("ipv6") : p.protocols("ip");
        final List<PdmlNode> tcp = p.protocols("tcp");
        if (ip.isEmpty() || tcp.isEmpty()) {
            return "?";
        }
        final String v = ip.get(0).name();
        final String a = ip.get(0).childShow(v + ".src") + ":" + tcp.get(0).childShow("tcp.srcport");
        final String b = ip.get(0).childShow(v + ".dst") + ":" + tcp.get(0).childShow("tcp.dstport");
        return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
    }

    // ---- our side ---------------------------------------------------------------------------------

    private static final class Run implements MessageSink {
        final Counters counters = new Counters();
        final List<FieldRecord> messages = new ArrayList<>();
        SbiDecoder sbi;
        int procedures;
        int events;
        private final StringBuilder json = new StringBuilder();

        static Run of(final Path capture) throws IOException {
            final Run run = new Run();
            final SignalingDecoder decoder = new SignalingDecoder(run.counters, new DecoderConfig(), run);
            run.sbi = decoder.sbi();
            decoder.decodeFile(capture);
            decoder.finish();
            return run;
        }

        @Override
        public void onMessage(final SignalingMessage m) {
            if (m.protocol() != Protocol.SBI) {
                return;
            }
            json.setLength(0);
            final FieldRecord all = FieldRecord.parse(SignalingJson.appendTo(m, json, true).toString());
            final FieldRecord r = new FieldRecord().put("frame", m.frame()).put("stream", sbi.currentStreamId());
            if (m.isRequest()) {
                r.put("method", METHODS[sbi.currentMethod()]).put("path", sbi.currentPath());
                for (final String k : List.of("imsi", "msisdn", "imei", "imeisv", "apn", "tac", "nci")) {
                    if (all.has(k)) {
                        final Object v = all.get(k);
                        if (v instanceof Long) {
                            r.put(k, (Long) v);
                        } else {
                            r.put(k, (String) v);
                        }
                    }
                }
            } else {
                r.put("status", sbi.currentStatus());
            }
            messages.add(r);
        }

        @Override
        public void onProcedure(final SignalingMessage p) {
            if (p.protocol() != Protocol.SBI) {
                return;
            }
            procedures++;
            if (p.event() != io.sigmatch.decoder.EventKind.NONE) {
                events++;
            }
        }
    }

    private static final String[] METHODS = {"?", "GET", "POST", "PUT", "PATCH", "DELETE", "?"};

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
        lines.add("SBI (HTTP/2) vs " + (TsharkPdml.available() ? TsharkPdml.version() : "committed tshark fixtures"));
        lines.addAll(REPORT.values());
        lines.add(String.format("TOTAL captures with SBI %d: messages %d, fields %d, disagreements %d (known %d), "
            + "procedures %d, paired %d", TOTALS[0], TOTALS[1], TOTALS[2], TOTALS[3], KNOWN.size(), TOTALS[4], TOTALS[5]));
        lines.addAll(KNOWN.describe());
        lines.forEach(System.out::println);
        final Path out = Fixtures.repo().resolve("decoder/target/sbi-wireshark-report.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, lines);
        assertTrue(TOTALS[1] > 0, "some SBI messages compared");
    }
}
