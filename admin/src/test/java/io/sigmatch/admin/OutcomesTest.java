package io.sigmatch.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigmatch.decoder.Counters;
import io.sigmatch.journal.JournalConfig;
import io.sigmatch.journal.MatchAppender;
import io.sigmatch.journal.MatchId;
import io.sigmatch.journal.MatchJournal;
import io.sigmatch.journal.MatchRecord;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST /outcomes on the real admin server: per-rule delivered/converted, idempotent, validated, persisted. */
class OutcomesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_796_083_200_000_000_000L;

    @TempDir
    Path tmp;

    /** Journals count matches, alternating rules r1 and r2; returns their ids as journaled. */
    static List<String> journal(final Path dir, final int count) throws Exception {
        final List<String> ids = new ArrayList<>();
        try (MatchJournal j = MatchJournal.open(dir, new JournalConfig().blockSizeBytes(1 << 20).pretouchAheadBytes(0));
             MatchAppender a = j.newAppender(SystemNanoClock.INSTANCE)) {
            for (int i = 0; i < count; i++) {
                final MatchRecord r = new MatchRecord().matchId(T0 + i, MatchId.low(1, i, 0)).timeNs(T0 + i)
                    .ruleId(i % 2 == 0 ? "r1" : "r2").snapshot("v1");
                a.append(r, System.nanoTime());
                ids.add(MatchId.toString(T0 + i, MatchId.low(1, i, 0)));
            }
        }
        return ids;
    }

    static String line(final String id, final String outcome) {
        return "{\"matchId\":\"" + id + "\",\"outcome\":\"" + outcome + "\"}\n";
    }

    private static HttpResponse<String> post(final AdminFixture f, final String token, final String body) throws Exception {
        return f.send("POST", "/outcomes", token, HttpRequest.BodyPublishers.ofString(body), "Content-Type",
            "application/x-ndjson");
    }

    @Test
    void outcomesAreCountedPerRuleOnceEachAndSurviveARestart() throws Exception {
        final Path journalDir = tmp.resolve("journal");
        final List<String> ids = journal(journalDir, 10);   // r1: 0 2 4 6 8, r2: 1 3 5 7 9
        final Path outcomesDir = tmp.resolve("data/outcomes");
        try (AdminFixture f = new AdminFixture(tmp.resolve("admin"));
             Outcomes o = Outcomes.open(outcomesDir, journalDir, f.counters)) {
            f.server.outcomes(o);
            f.counters.counter("rule.r1.matched").getAndAdd(5);
            // r1: 4 delivered, 1 converted; r2: 2 delivered, 2 converted
            String body = line(ids.get(0), "delivered") + line(ids.get(2), "delivered") + line(ids.get(4), "delivered")
                + line(ids.get(6), "delivered") + line(ids.get(0), "converted") + "\n"
                + line(ids.get(1), "delivered") + line(ids.get(3), "delivered").toUpperCase().replace("MATCHID", "matchId")
                    .replace("OUTCOME", "outcome").replace("DELIVERED", "delivered")
                + line(ids.get(1), "converted") + line(ids.get(3), "converted");
            HttpResponse<String> r = post(f, f.platform, body);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode res = JSON.readTree(r.body());
            assertEquals(9, res.path("accepted").asInt(), r.body());
            assertEquals(0, res.path("duplicates").asInt());
            // the same again, plus one new: only the new one counts
            r = post(f, f.platform, body + line(ids.get(8), "delivered"));
            res = JSON.readTree(r.body());
            assertEquals(1, res.path("accepted").asInt(), r.body());
            assertEquals(9, res.path("duplicates").asInt());
            assertEquals(5, f.counters.get("rule.r1.delivered"));
            assertEquals(1, f.counters.get("rule.r1.converted"));
            assertEquals(2, f.counters.get("rule.r2.delivered"));
            assertEquals(2, f.counters.get("rule.r2.converted"));
            final String metrics = f.get("/metrics", f.ops).body();
            assertTrue(metrics.contains("sigmatch_rule_delivered_total{rule=\"r1\"} 5\n"), metrics);
            assertTrue(metrics.contains("sigmatch_rule_converted_total{rule=\"r2\"} 2\n"), metrics);
            assertTrue(metrics.contains("sigmatch_rule_conversion_ratio{rule=\"r1\"} 0.2\n"), metrics);
            assertTrue(metrics.contains("sigmatch_rule_conversion_ratio{rule=\"r2\"} 1\n"), metrics);
            final JsonNode status = JSON.readTree(f.get("/status.json", f.ops).body());
            assertEquals(0.2, status.path("rules").path("r1").path("conversionRate").asDouble(), 1e-9, status.toString());
            assertEquals(5, status.path("rules").path("r1").path("matched").asLong());
            assertEquals(5, status.path("rules").path("r1").path("delivered").asLong());
            assertEquals("rw-------", AdminFixture.perms(outcomesDir.resolve(Outcomes.FILE)));
            assertEquals("rwx------", AdminFixture.perms(outcomesDir));
            // the file holds match and rule ids only
            assertTrue(Files.readString(outcomesDir.resolve(Outcomes.FILE)).contains(ids.get(0) + " delivered r1\n"));
        }
        // a crash mid-append leaves a torn last line: dropped on the next open, the rest counted again
        Files.writeString(outcomesDir.resolve(Outcomes.FILE), ids.get(5).substring(0, 10), StandardOpenOption.APPEND);
        final Counters fresh = new Counters();
        try (Outcomes o = Outcomes.open(outcomesDir, journalDir, fresh)) {
            assertEquals(5, fresh.get("rule.r1.delivered"));
            assertEquals(1, fresh.get("rule.r1.converted"));
            assertEquals(2, fresh.get("rule.r2.converted"));
            assertEquals(10, o.recorded());
            final Outcomes.Result again = o.record(line(ids.get(0), "delivered").getBytes(StandardCharsets.UTF_8));
            assertEquals(1, again.body().path("duplicates").asInt(), again.body().toString());
            assertEquals(5, fresh.get("rule.r1.delivered"));
            final Outcomes.Result more = o.record(line(ids.get(5), "delivered").getBytes(StandardCharsets.UTF_8));
            assertEquals(1, more.body().path("accepted").asInt(), more.body().toString());
            assertEquals(3, fresh.get("rule.r2.delivered"));
        }
    }

    @Test
    void badLinesAreRefusedByLineNumberAndNothingIsRecorded() throws Exception {
        final Path journalDir = tmp.resolve("journal");
        final List<String> ids = journal(journalDir, 4);
        try (AdminFixture f = new AdminFixture(tmp.resolve("admin"), new AdminConfig().requestsPerSecond(10_000).burst(10_000)
                .maxJsonBodyBytes(4096));
             Outcomes o = Outcomes.open(tmp.resolve("outcomes"), journalDir, f.counters)) {
            f.server.outcomes(o);
            final String body = line(ids.get(0), "delivered")        // 1: fine
                + "{\"matchId\":\"" + ids.get(1) + "\",\"outcome\":\"clicked\"}\n"   // 2
                + "not json\n"                                           // 3
                + "{\"matchId\":\"12ab\",\"outcome\":\"delivered\"}\n"   // 4
                + "{\"matchId\":\"" + ids.get(1) + "\",\"outcome\":\"delivered\",\"imsi\":\"1\"}\n"  // 5
                + "[1]\n";                                               // 6
            HttpResponse<String> r = post(f, f.platform, body);
            assertEquals(400, r.statusCode(), r.body());
            final JsonNode res = JSON.readTree(r.body());
            assertEquals(5, res.path("lines").size(), r.body());
            assertEquals(2, res.path("lines").path(0).path("line").asInt());
            assertTrue(res.path("lines").path(0).path("error").asText().contains("delivered\" or \"converted"));
            assertEquals(3, res.path("lines").path(1).path("line").asInt());
            assertEquals(4, res.path("lines").path(2).path("line").asInt());
            assertTrue(res.path("lines").path(2).path("error").asText().contains("32 hex digits"));
            assertTrue(res.path("lines").path(3).path("error").asText().contains("unknown key \"imsi\""));
            assertEquals(6, res.path("lines").path(4).path("line").asInt());
            assertEquals(0, f.counters.get("rule.r1.delivered"), "nothing recorded from a refused body");
            assertEquals(0, o.recorded());
            // an id this journal never held is reported back, the rest recorded
            final String stranger = "0".repeat(31) + "1";
            r = post(f, f.platform, line(stranger, "delivered") + line(ids.get(2), "delivered"));
            assertEquals(200, r.statusCode(), r.body());
            final JsonNode ok = JSON.readTree(r.body());
            assertEquals(1, ok.path("accepted").asInt());
            assertEquals(1, ok.path("unknown").asInt());
            assertEquals(stranger, ok.path("unknownLines").path(0).path("matchId").asText());
            assertEquals(1, ok.path("unknownLines").path(0).path("line").asInt());
            // an empty body, and the roles: ops may not post outcomes, nobody without a token
            assertEquals(400, post(f, f.platform, "\n\n").statusCode());
            assertEquals(403, post(f, f.ops, line(ids.get(3), "delivered")).statusCode());
            assertEquals(401, post(f, null, line(ids.get(3), "delivered")).statusCode());
            assertEquals(404, f.get("/outcomes", f.platform).statusCode());
            // a body past the JSON limit (4 KiB here) is refused
            final String huge = line(ids.get(3), "delivered").repeat(100);
            final HttpResponse<String> big = post(f, f.platform, huge);
            assertEquals(413, big.statusCode(), big.body());
        }
    }

    @Test
    void withoutOutcomesTheEndpointIsNotThere() throws Exception {
        try (AdminFixture f = new AdminFixture(tmp.resolve("admin"))) {
            assertEquals(404, post(f, f.platform, line("0".repeat(32), "delivered")).statusCode());
        }
    }
}
