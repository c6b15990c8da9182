package io.sigmatch.journal;

import static io.sigmatch.journal.MatchRecordLayoutTest.packed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal written by layout version 1 is committed under {@code fixtures/journal-v1}; every later
 * build must still read it, field for field. The expected JSON lines beside it were written when the
 * fixture was made and are never regenerated from the reader under test.
 *
 * <p>To rewrite the fixture (only when adding a new layout version's fixture, never to make this test
 * pass): {@code mvn -pl journal -am test -Dtest=JournalVersion1FixtureTest -Dsigmatch.writeJournalFixture=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@ExtendWith(ChronicleChecks.class)
class JournalVersion1FixtureTest {
    @TempDir
    Path tmp;

    /** The three records of the fixture: every field, a minimal NR one, a GERAN one. */
    static List<MatchRecord> fixtureRecords() {
        final List<MatchRecord> records = new ArrayList<>();
        records.add(new MatchRecord()
            .matchId(1_763_800_000_123_456_789L, MatchId.low(1, 0, 0))
            .timeNs(1_763_800_000_123_456_789L)
            .imsi(packed("460001234567890"))
            .msisdn(packed("8613800138000"))
            .imei(packed("35345678901234"))
            .plmn(packed("46000"))
            .tac(0x2A3B)
            .eci(0x1A2B3C4)
            .area("airport-T3")
            .deliverAfterNs(1_763_856_000_000_000_000L)
            .ruleId("airport-welcome")
            .snapshot("2026-11-22.1")
            .payload("{\"campaign\":\"C123\",\"template\":\"T9\",\"text\":\"欢迎\"}"));
        records.add(new MatchRecord()
            .matchId(1_763_800_001_000_000_000L, MatchId.low(1, 0, 0))
            .timeNs(1_763_800_001_000_000_000L)
            .imsi(packed("001010000000001"))
            .nci(0xF_0000_0001L)
            .ruleId("power-on")
            .snapshot("2026-11-22.1"));
        records.add(new MatchRecord()
            .matchId(1_763_800_001_000_000_000L, MatchId.low(1, 1, 2))
            .timeNs(1_763_800_001_000_000_000L)
            .msisdn(packed("13105550100"))
            .plmn(packed("310150"))
            .lac(0x1F2E)
            .ci(0xBEEF)
            .ruleId("lu")
            .snapshot("2026-11-22.1")
            .payload("[1,2.50,\"x\"]"));
        return records;
    }

    @Test
    @EnabledIfSystemProperty(named = "sigmatch.writeJournalFixture", matches = "true")
    void writeFixture() throws IOException {
        final Path dir = Paths.get(System.getProperty("sigmatch.repo"), "journal/src/test/resources/fixtures/journal-v1");
        final long[] latency = {1_000, 25_000, 999_999};
        final StringBuilder expected = new StringBuilder();
        try (MatchJournal journal = MatchJournal.open(dir, new JournalConfig().blockSizeBytes(64 * 1024).pretouchAheadBytes(0));
             MatchAppender appender = journal.newAppender(() -> 0)) {
            final List<MatchRecord> records = fixtureRecords();
            for (int i = 0; i < records.size(); i++) {
                appender.append(records.get(i), -latency[i]);
                MatchJson.appendTo(records.get(i), expected).append('\n');
            }
        }
        Files.writeString(dir.resolve("expected.jsonl"), expected, StandardCharsets.UTF_8);
    }

    @Test
    void readsTheCommittedVersion1Journal() throws IOException, URISyntaxException {
        final Path fixture = Paths.get(getClass().getResource("/fixtures/journal-v1").toURI());
        final Path dir = tmp.resolve("journal-v1");
        Files.createDirectories(dir);
        try (var files = Files.list(fixture)) {
            for (final Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        final List<String> expected = Files.readAllLines(dir.resolve("expected.jsonl"), StandardCharsets.UTF_8);
        assertEquals(3, expected.size());

        try (MatchJournalReader reader = MatchJournalReader.open(dir)) {
            final MatchRecord read = new MatchRecord();
            assertTrue(reader.next(read));
            // the first record field by field, independently of the JSON form
            assertEquals(1_763_800_000_123_456_789L, read.timeNs());
            assertEquals(packed("460001234567890"), read.imsi());
            assertEquals(packed("8613800138000"), read.msisdn());
            assertEquals(packed("35345678901234"), read.imei());
            assertEquals(packed("46000"), read.plmn());
            assertEquals(0x2A3B, read.tac());
            assertTrue(read.has(MatchRecord.ECI));
            assertEquals(0x1A2B3C4, read.cell());
            assertEquals("airport-T3", read.area());
            assertEquals(1_763_856_000_000_000_000L, read.deliverAfterNs());
            assertEquals(1_000, read.latencyNs());
            assertEquals("airport-welcome", read.ruleId());
            assertEquals("2026-11-22.1", read.snapshot());
            assertEquals("{\"campaign\":\"C123\",\"template\":\"T9\",\"text\":\"欢迎\"}", read.payload());
            assertEquals(expected.get(0), MatchJson.toJson(read));

            for (int i = 1; i < expected.size(); i++) {
                assertTrue(reader.next(read));
                assertEquals(expected.get(i), MatchJson.toJson(read));
            }
            assertFalse(reader.next(read));
        }
    }
}
