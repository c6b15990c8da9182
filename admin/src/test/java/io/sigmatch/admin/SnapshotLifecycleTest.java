package io.sigmatch.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigmatch.decoder.Digits;
import io.sigmatch.matcher.lists.IdentityKind;
import io.sigmatch.matcher.rules.RuleSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upload, validate, activate, refuse, roll back and restart, over HTTP against a real server. */
class SnapshotLifecycleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GOLD = "# gold subscribers\n460001234567890\n460001234567891\n";
    private static final String DND = "460001234567891\n";

    private static byte[] gzip(final String s) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(s.getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    private static void pushGood(final AdminFixture f, final String version) throws Exception {
        HttpResponse<String> r = f.put("/snapshots/" + version + "/rules", f.platform,
            AdminFixture.rules(version, "gold.txt", "dnd.txt.gz").getBytes(StandardCharsets.UTF_8));
        assertEquals(201, r.statusCode(), r.body());
        // transfer-compressed: stored as plain text under its own name
        r = f.put("/snapshots/" + version + "/lists/gold.txt", f.platform, gzip(GOLD), "Content-Encoding", "gzip");
        assertEquals(201, r.statusCode(), r.body());
        assertEquals(GOLD.length(), JSON.readTree(r.body()).get("bytes").asLong());
        // a .gz file: stored as sent, the list loader gunzips it
        r = f.put("/snapshots/" + version + "/lists/dnd.txt.gz", f.platform, gzip(DND));
        assertEquals(201, r.statusCode(), r.body());
    }

    @Test
    void activateRefuseRollBackAndComeBackAfterRestart(@TempDir final Path dir) throws Exception {
        try (AdminFixture f = new AdminFixture(dir)) {
            pushGood(f, "v1");
            JsonNode versions = JSON.readTree(f.get("/snapshots", f.platform).body());
            assertEquals("staged", versions.get("versions").get(0).get("state").asText());
            HttpResponse<String> r = f.post("/snapshots/v1/activate", f.platform);
            assertEquals(200, r.statusCode(), r.body());
            final RuleSet v1 = f.serving.get();
            assertEquals("v1", v1.version());
            final int gold = v1.listIndex("gold");
            assertTrue(v1.list(gold).contains(Digits.parse("460001234567890")));
            assertEquals(IdentityKind.IMSI, v1.list(v1.listIndex("dnd")).kind());
            assertEquals(200, f.get("/health/ready", f.ops).statusCode());

            // an active version is immutable
            r = f.put("/snapshots/v1/lists/gold.txt", f.platform, GOLD.getBytes(StandardCharsets.US_ASCII));
            assertEquals(409, r.statusCode(), r.body());

            // v2 has a bad line 3 in gold: refused with file and line, v1 keeps serving
            f.put("/snapshots/v2/rules", f.platform, AdminFixture.rules("v2", "gold.txt", "dnd.txt").getBytes(StandardCharsets.UTF_8));
            f.put("/snapshots/v2/lists/gold.txt", f.platform, "460001234567890\n460001234567892\n46000x\n".getBytes(StandardCharsets.US_ASCII));
            f.put("/snapshots/v2/lists/dnd.txt", f.platform, DND.getBytes(StandardCharsets.US_ASCII));
            r = f.post("/snapshots/v2/activate", f.platform);
            assertEquals(422, r.statusCode(), r.body());
            JsonNode err = JSON.readTree(r.body());
            assertEquals("gold.txt", err.get("file").asText(), r.body());
            assertEquals(3, err.get("line").asInt(), r.body());
            assertEquals("lists.gold", err.get("path").asText());
            assertFalse(r.body().contains("46000x"), "the refusal must not echo the line's content");
            assertEquals("v1", f.serving.get().version());
            assertEquals("v1", JSON.readTree(f.get("/snapshots", f.platform).body()).get("active").asText());

            // a bad rule document: the JSON path
            f.put("/snapshots/v3/rules", f.platform, "{\"version\":\"v3\",\"rules\":[{\"id\":\"a\",\"trigger\":{\"type\":\"sms\"},\"priority\":\"high\"}]}"
                .getBytes(StandardCharsets.UTF_8));
            r = f.post("/snapshots/v3/activate", f.platform);
            assertEquals(422, r.statusCode());
            assertEquals("rules[0].priority", JSON.readTree(r.body()).get("path").asText(), r.body());
            // the document's version must be the version it was uploaded as
            f.put("/snapshots/v4/rules", f.platform, "{\"version\":\"other\",\"rules\":[]}".getBytes(StandardCharsets.UTF_8));
            r = f.post("/snapshots/v4/activate", f.platform);
            assertEquals(422, r.statusCode());
            assertTrue(r.body().contains("uploaded as version v4"), r.body());
            // a bad area file: line and reason
            f.put("/snapshots/v5/rules", f.platform, "{\"version\":\"v5\",\"rules\":[]}".getBytes(StandardCharsets.UTF_8));
            f.put("/snapshots/v5/areas/t3.csv", f.platform, "plmn,cell\n46000,12345\n4600,1\n".getBytes(StandardCharsets.US_ASCII));
            r = f.post("/snapshots/v5/activate", f.platform);
            assertEquals(422, r.statusCode());
            err = JSON.readTree(r.body());
            assertEquals("areas/t3.csv", err.get("file").asText());
            assertEquals(3, err.get("line").asInt());

            // fix v2's list and activate it; v1 becomes previous
            f.put("/snapshots/v2/lists/gold.txt", f.platform, GOLD.getBytes(StandardCharsets.US_ASCII));
            r = f.post("/snapshots/v2/activate", f.platform);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("v1", JSON.readTree(r.body()).get("previous").asText());
            versions = JSON.readTree(f.get("/snapshots", f.platform).body());
            assertEquals("v2", versions.get("active").asText());
            assertEquals("previous", JSON.readTree(f.get("/snapshots/v1", f.platform).body()).get("state").asText());
            // checksums: each file's SHA-256 is the SHA-256 of what was stored
            final JsonNode v2 = JSON.readTree(f.get("/snapshots/v2", f.platform).body());
            for (final JsonNode file : v2.get("files")) {
                final Path stored = f.snapshots.root().resolve("v2").resolve(file.get("name").asText());
                assertEquals(sha256(Files.readAllBytes(stored)), file.get("sha256").asText());
                assertEquals("rw-------", AdminFixture.perms(stored));
            }
            assertEquals("rwx------", AdminFixture.perms(f.snapshots.root().resolve("v2")));

            // platform may not roll back; admin may
            assertEquals(403, f.post("/snapshots/rollback", f.platform).statusCode());
            r = f.post("/snapshots/rollback", f.admin);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("v1", f.serving.get().version());
            // metrics show the versions
            final String metrics = f.get("/metrics", f.ops).body();
            assertTrue(metrics.contains("sigmatch_snapshot_info{version=\"v1\",state=\"active\"} 1"), metrics);
            assertTrue(metrics.contains("sigmatch_snapshot_info{version=\"v2\",state=\"previous\"} 1"), metrics);
        }
        // the audit trail: who, what, version, checksum, when, one line per change
        final List<String> audit = Files.readAllLines(dir.resolve("audit.log"));
        final JsonNode activate = audit.stream().map(SnapshotLifecycleTest::tree)
            .filter(n -> n.get("action").asText().equals("activate")).findFirst().orElseThrow();
        assertEquals("platform-1", activate.get("who").asText());
        assertEquals("v1", activate.get("version").asText());
        assertEquals(64, activate.get("sha256").asText().length());
        assertNotNull(java.time.Instant.parse(activate.get("time").asText()));
        assertTrue(audit.stream().anyMatch(l -> l.contains("\"action\":\"activate.refused\"") && l.contains("\"v2\"")));
        assertTrue(audit.stream().anyMatch(l -> l.contains("\"action\":\"rollback\"") && l.contains("\"who\":\"admin-1\"")));
        assertEquals("rw-------", AdminFixture.perms(dir.resolve("audit.log")));

        // restart: the store comes back on the last active version (v1, after the roll-back)
        try (AuditLog audit2 = AuditLog.open(dir.resolve("audit.log"));
             SnapshotStore again = SnapshotStore.open(dir.resolve("data"), next -> null, audit2)) {
            final RuleSet rs = again.openActive(null);
            assertEquals("v1", rs.version());
            assertEquals("v2", again.previousVersion());
        }
    }

    private static JsonNode tree(final String line) {
        try {
            return JSON.readTree(line);
        } catch (final IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String sha256(final byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** A 2 M-line list streamed (chunked, generated on the fly): never whole in memory on either side. */
    @Test
    void largeListIsStreamedToDisk(@TempDir final Path dir) throws Exception {
        final int lines = 2_000_000;
        try (AdminFixture f = new AdminFixture(dir)) {
            final MessageDigest md = MessageDigest.getInstance("SHA-256");
            final InputStream body = new InputStream() {
                private final byte[] line = new byte[16];
                private int n;
                private int pos = 16;

                @Override
                public int read() {
                    if (pos == 16) {
                        if (n == lines) {
                            return -1;
                        }
                        final String s = "46000" + (10_000_000_000L + n++ + "").substring(1) + "\n";
                        System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, line, 0, 16);
                        md.update(line);
                        pos = 0;
                    }
                    return line[pos++];
                }

                @Override
                public int read(final byte[] b, final int off, final int len) {
                    int i = 0;
                    while (i < len) {
                        final int c = read();
                        if (c < 0) {
                            return i == 0 ? -1 : i;
                        }
                        b[off + i++] = (byte) c;
                    }
                    return i;
                }
            };
            f.put("/snapshots/big/rules", f.platform, ("{\"version\":\"big\",\"lists\":{\"gold\":{\"kind\":\"imsi\","
                + "\"file\":\"gold.txt\"}},\"rules\":[{\"id\":\"r\",\"trigger\":{\"type\":\"dataSession\"},\"include\":[\"gold\"]}]}")
                .getBytes(StandardCharsets.UTF_8));
            final long t0 = System.nanoTime();
            final HttpResponse<String> r = f.send("PUT", "/snapshots/big/lists/gold.txt", f.platform,
                HttpRequest.BodyPublishers.ofInputStream(() -> body));
            final long t1 = System.nanoTime();
            assertEquals(201, r.statusCode(), r.body());
            assertEquals(16L * lines, JSON.readTree(r.body()).get("bytes").asLong());
            assertEquals(HexFormat.of().formatHex(md.digest()), JSON.readTree(r.body()).get("sha256").asText());
            final HttpResponse<String> a = f.post("/snapshots/big/activate", f.platform);
            assertEquals(200, a.statusCode(), a.body());
            System.out.printf("uploaded %d lines (%d MB) in %.0f ms; activation %s%n", lines, 16L * lines >> 20,
                (t1 - t0) / 1e6, a.body());
            assertEquals((long) lines, f.serving.get().list(0).size());
            try (Stream<Path> s = Files.list(f.snapshots.root().resolve("big"))) {
                assertTrue(s.noneMatch(p -> p.toString().endsWith(".part")));
            }
        }
    }
}
