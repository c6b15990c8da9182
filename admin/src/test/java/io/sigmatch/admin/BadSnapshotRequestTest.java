package io.sigmatch.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.EventKind;
import io.sigmatch.decoder.Outcome;
import io.sigmatch.decoder.Protocol;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.journal.JournalConfig;
import io.sigmatch.journal.MatchJournal;
import io.sigmatch.journal.MatchJournalReader;
import io.sigmatch.journal.MatchRecord;
import io.sigmatch.matcher.Pipeline;
import io.sigmatch.matcher.PipelineConfig;
import io.sigmatch.matcher.rules.RuleSet;
import io.sigmatch.matcher.rules.RuleSnapshotParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 6: bad snapshots and bad requests through the real admin HTTP server, with a real
 * match pipeline and journal behind the snapshot store. Version v1 is active; then every kind of bad
 * input is sent — wrong format, wrong encoding (UTF-16, Latin-1 bytes), duplicate and out-of-range
 * numbers, a huge line, a truncated gzip, an unknown rule field, no token, a wrong role, an oversized
 * body — and each must be refused with a clear error (the file, the line and the reason where there
 * is one), v1 must stay active, and a data session of a gold subscriber published after the refusal
 * must still be matched and journaled under v1.
 */
class BadSnapshotRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GOLD_IMSI = "460001234567890";
    private static final String GOLD = "# gold subscribers\n" + GOLD_IMSI + "\n460001234567891\n";

    @TempDir
    Path dir;

    private Counters counters;
    private Pipeline pipeline;
    private AdminFixture f;
    private final SignalingMessage m = new SignalingMessage();
    private long t = 1_763_800_000_000_000_000L;
    private int versions = 1;

    private static byte[] gzip(final byte[] b) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A data session of the gold subscriber: matched by v1's rule data-welcome, and journaled under v1. */
    private void assertStillMatchingWithV1(final String after) throws Exception {
        assertEquals("v1", f.serving.get().version(), "after " + after + ": v1 serves");
        assertEquals("v1", f.snapshots.activeVersion(), "after " + after + ": v1 active");
        final long before = counters.get("pipeline.matches");
        m.reset().header(1, t += 1_000_000_000L, 0).message(Protocol.GTPV2, 32, "Create Session Request", true)
            .event(EventKind.DATA_SESSION_START).outcome(Outcome.ACCEPTED).imsi(Digits.parse(GOLD_IMSI));
        pipeline.onProcedure(m);
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (counters.get("pipeline.matches") == before && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(before + 1, counters.get("pipeline.matches"), "after " + after + ": the match still happens");
        String snapshot = null;
        String rule = null;
        try (MatchJournalReader reader = MatchJournalReader.open(dir.resolve("journal"))) {
            final MatchRecord r = new MatchRecord();
            while (reader.next(r)) {
                snapshot = r.snapshot();
                rule = r.ruleId();
            }
        }
        assertEquals("v1", snapshot, "after " + after);
        assertEquals("data-welcome", rule, "after " + after);
    }

    /** Uploads the files of a new version (rules first), activates it, and returns the refusal. */
    private JsonNode refused(final String what, final String rules, final String file, final byte[] content,
        final String... headers) throws Exception {
        final String v = "v" + ++versions;
        final HttpResponse<String> up = f.put("/snapshots/" + v + "/rules", f.platform,
            utf8(rules == null ? AdminFixture.rules(v, "gold.txt", "dnd.txt") : rules.replace("$V", v)));
        assertEquals(201, up.statusCode(), what + ": " + up.body());
        if (!"gold.txt".equals(file)) {
            assertEquals(201, f.put("/snapshots/" + v + "/lists/gold.txt", f.platform, utf8(GOLD)).statusCode());
        }
        if (!"dnd.txt".equals(file)) {
            assertEquals(201, f.put("/snapshots/" + v + "/lists/dnd.txt", f.platform, utf8("460001234567891\n")).statusCode());
        }
        if (file != null) {
            final String path = file.endsWith(".csv") ? "/areas/" : "/lists/";
            final HttpResponse<String> r = f.put("/snapshots/" + v + path + file, f.platform, content, headers);
            if (r.statusCode() != 201) {
                // refused at the upload already
                System.out.printf("%-40s %d at upload: %s%n", what, r.statusCode(), r.body());
                assertTrue(r.statusCode() == 400 || r.statusCode() == 413 || r.statusCode() == 422, what + ": " + r.body());
                assertStillMatchingWithV1(what);
                return JSON.readTree(r.body());
            }
        }
        final HttpResponse<String> r = f.post("/snapshots/" + v + "/activate", f.platform);
        System.out.printf("%-40s %d: %s%n", what, r.statusCode(), r.body());
        assertEquals(422, r.statusCode(), what + ": " + r.body());
        final JsonNode err = JSON.readTree(r.body());
        assertTrue(err.path("error").asText().length() > 10, what + ": a reason: " + r.body());
        assertStillMatchingWithV1(what);
        return err;
    }

    private static void assertAt(final JsonNode err, final String file, final int line, final String reason) {
        assertEquals(file, err.path("file").asText(), err.toString());
        if (line >= 0) {
            assertEquals(line, err.path("line").asInt(), err.toString());
        }
        assertTrue(err.path("error").asText().contains(reason), reason + " in " + err);
    }

    @Test
    void everyBadInputIsRefusedClearlyAndV1KeepsMatching() throws Exception {
        counters = new Counters();
        final RuleSet empty = RuleSnapshotParser.parse(utf8("{\"version\":\"none\",\"rules\":[]}"), "empty", dir);
        try (MatchJournal journal = MatchJournal.open(dir.resolve("journal"), new JournalConfig().blockSizeBytes(1 << 20)
            .pretouchAheadBytes(0))) {
            pipeline = Pipeline.create(new PipelineConfig().shards(1).ringSize(1024), empty, journal, counters);
            pipeline.start();
            try (AdminFixture fixture = new AdminFixture(dir.resolve("admin"), new AdminConfig().maxJsonBodyBytes(64 * 1024)
                .maxUploadBytes(1 << 20).requestsPerSecond(10_000).burst(10_000), pipeline::activate)) {
                f = fixture;
                // v1: good, active, matching
                assertEquals(201, f.put("/snapshots/v1/rules", f.platform, utf8(AdminFixture.rules("v1", "gold.txt", "dnd.txt")))
                    .statusCode());
                assertEquals(201, f.put("/snapshots/v1/lists/gold.txt", f.platform, utf8(GOLD)).statusCode());
                assertEquals(201, f.put("/snapshots/v1/lists/dnd.txt", f.platform, utf8("460001234567891\n")).statusCode());
                assertEquals(200, f.post("/snapshots/v1/activate", f.platform).statusCode());
                assertStillMatchingWithV1("the first activation");

                // wrong format: YAML for JSON, a JSON array, CSV for a list, a list for an area file
                assertAt(refused("rules in YAML", "version: $V\nrules: []\n", null, null), "snapshot.json", 1, "not valid JSON");
                assertAt(refused("rules as a JSON array", "[{\"version\":\"$V\"}]", null, null), "snapshot.json", -1, "JSON object");
                assertAt(refused("a list in CSV", null, "gold.txt", utf8("imsi,name\n" + GOLD_IMSI + ",gold\n")), "gold.txt", 1,
                    "unexpected character");
                final String withArea = "{\"version\":\"$V\",\"rules\":[]}";
                assertAt(refused("an area file that is a list", withArea, "t3.csv", utf8(GOLD_IMSI + "\n")), "areas/t3.csv", 1,
                    "header");

                // wrong encoding: UTF-16 and Latin-1, in the rules, a list and an area file
                final String rulesV = AdminFixture.rules("$V", "gold.txt", "dnd.txt");
                final String v16 = "v" + (versions + 1);
                assertEquals(422, refusedRaw("rules in UTF-16", rulesV.replace("$V", v16).getBytes(StandardCharsets.UTF_16))
                    .statusCode());
                final String latin = "{\"version\":\"$V\",\"rules\":[{\"id\":\"caf\u00e9\",\"trigger\":{\"type\":\"sms\"}}]}";
                refusedRaw("rules with Latin-1 bytes", latin.replace("$V", "v" + (versions + 1)).getBytes(StandardCharsets.ISO_8859_1));
                assertAt(refused("a list in UTF-16", null, "gold.txt", GOLD.getBytes(StandardCharsets.UTF_16)), "gold.txt", 1,
                    "unexpected character");
                assertAt(refused("a list with a Latin-1 byte", null, "gold.txt", (GOLD + "4600012345678\u00e9\n")
                    .getBytes(StandardCharsets.ISO_8859_1)), "gold.txt", 4, "unexpected character");
                assertAt(refused("an area file in UTF-16", withArea, "t3.csv", "plmn,cell\n46000,1\n".getBytes(StandardCharsets.UTF_16)),
                    "areas/t3.csv", 1, "");
                assertAt(refused("an area file with a Latin-1 byte", withArea, "t3.csv",
                    "plmn,cell\n46000,1\n46000,\u00e92\n".getBytes(StandardCharsets.ISO_8859_1)), "areas/t3.csv", 3, "");

                // duplicate and out-of-range numbers
                assertAt(refused("a duplicate JSON key", "{\"version\":\"$V\",\"rules\":[{\"id\":\"a\",\"trigger\":{\"type\":\"sms\"},"
                    + "\"priority\":1,\"priority\":2}]}", null, null), "snapshot.json", -1, "uplicate");
                assertAt(refused("a duplicate rule id", "{\"version\":\"$V\",\"rules\":[{\"id\":\"a\",\"trigger\":{\"type\":\"sms\"}},"
                    + "{\"id\":\"a\",\"trigger\":{\"type\":\"sms\"}}]}", null, null), "snapshot.json", -1, "");
                assertAt(refused("a priority out of range", "{\"version\":\"$V\",\"rules\":[{\"id\":\"a\",\"trigger\":{\"type\":\"sms\"},"
                    + "\"priority\":99999999999999999999}]}", null, null), "snapshot.json", -1, "priority");
                assertAt(refused("an IMSI of 16 digits", null, "gold.txt", utf8(GOLD + "4600012345678901\n")), "gold.txt", 4,
                    "digits");
                assertAt(refused("a cell id above 2^36", withArea, "t3.csv", utf8("plmn,cell\n46000,68719476736\n")),
                    "areas/t3.csv", 2, "cell");
                assertAt(refused("a LAC above 16 bits", withArea, "t3.csv", utf8("plmn,cell\n46000,65536:1\n")),
                    "areas/t3.csv", 2, "16");

                // a huge line (512 KiB, no newline) in a list and in an area file
                final byte[] huge = new byte[512 * 1024];
                Arrays.fill(huge, (byte) '4');
                assertAt(refused("a list line of 512 KiB", null, "gold.txt", huge), "gold.txt", 1, "digits");
                final byte[] hugeArea = (new String("plmn,cell\n46000,") + "1".repeat(512 * 1024)).getBytes(StandardCharsets.US_ASCII);
                assertAt(refused("an area line of 512 KiB", withArea, "t3.csv", hugeArea), "areas/t3.csv", 2, "");

                // a truncated gzip: as a .gz list, and as a transfer encoding
                final byte[] gz = gzip(utf8(GOLD.repeat(50)));
                final String gzRules = AdminFixture.rules("$V", "gold.txt.gz", "dnd.txt");
                assertAt(refused("a truncated .gz list", gzRules, "gold.txt.gz", Arrays.copyOf(gz, gz.length / 2)), "gold.txt.gz",
                    -1, "");
                // (found here: the decompressor passed on what the cut stream inflated to, and the upload was stored)
                final JsonNode cut = refused("a truncated Content-Encoding: gzip", null, "gold.txt",
                    Arrays.copyOf(gz, gz.length / 2), "Content-Encoding", "gzip");
                assertTrue(cut.path("error").asText().contains("truncated"), cut.toString());

                // an unknown rule field
                assertAt(refused("an unknown rule field", "{\"version\":\"$V\",\"rules\":[{\"id\":\"a\",\"trigger\":{\"type\":\"sms\"},"
                    + "\"colour\":\"red\"}]}", null, null), "snapshot.json", -1, "unknown field");

                // no token, a bad token, the wrong role: refused before anything is stored or activated
                assertEquals(401, f.put("/snapshots/v99/rules", null, utf8(AdminFixture.rules("v99", "gold.txt", "dnd.txt")))
                    .statusCode());
                assertEquals(401, f.post("/snapshots/v1/activate", "not-a-token").statusCode());
                assertEquals(403, f.put("/snapshots/v99/rules", f.ops, utf8(AdminFixture.rules("v99", "gold.txt", "dnd.txt")))
                    .statusCode());
                assertEquals(403, f.post("/snapshots/rollback", f.platform).statusCode());
                assertEquals(404, f.get("/snapshots/v99", f.platform).statusCode(), "nothing of v99 was stored");
                assertStillMatchingWithV1("unauthenticated and wrong-role calls");

                // oversized bodies: a rules document over the JSON limit, a list over the upload limit
                assertEquals(413, f.put("/snapshots/v98/rules", f.platform, new byte[65 * 1024]).statusCode());
                assertEquals(413, f.put("/snapshots/v98/lists/gold.txt", f.platform, new byte[(1 << 20) + 1]).statusCode());
                assertStillMatchingWithV1("oversized bodies");

                // and after all of it a good version still activates
                assertEquals(201, f.put("/snapshots/v100/rules", f.platform, utf8(AdminFixture.rules("v100", "gold.txt", "dnd.txt")))
                    .statusCode());
                assertEquals(201, f.put("/snapshots/v100/lists/gold.txt", f.platform, utf8(GOLD)).statusCode());
                assertEquals(201, f.put("/snapshots/v100/lists/dnd.txt", f.platform, utf8("460001234567891\n")).statusCode());
                assertEquals(200, f.post("/snapshots/v100/activate", f.platform).statusCode());
                assertEquals("v100", f.serving.get().version());
                assertFalse(f.get("/metrics", f.ops).body().isEmpty());
            } finally {
                pipeline.close();
                if (f != null && f.serving.get() != null) {
                    f.serving.get().close();
                }
                empty.close();
            }
        }
    }

    /** A rules document in another encoding, uploaded and activated; the refusal. */
    private HttpResponse<String> refusedRaw(final String what, final byte[] rules) throws Exception {
        final String v = "v" + ++versions;
        assertEquals(201, f.put("/snapshots/" + v + "/rules", f.platform, rules).statusCode());
        f.put("/snapshots/" + v + "/lists/gold.txt", f.platform, utf8(GOLD));
        f.put("/snapshots/" + v + "/lists/dnd.txt", f.platform, utf8("460001234567891\n"));
        final HttpResponse<String> r = f.post("/snapshots/" + v + "/activate", f.platform);
        System.out.printf("%-40s %d: %s%n", what, r.statusCode(), r.body());
        assertEquals(422, r.statusCode(), what + ": " + r.body());
        assertEquals("snapshot.json", JSON.readTree(r.body()).path("file").asText(), r.body());
        assertStillMatchingWithV1(what);
        return r;
    }
}
