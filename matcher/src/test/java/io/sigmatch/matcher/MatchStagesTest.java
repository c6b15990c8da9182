package io.sigmatch.matcher;

import static io.sigmatch.matcher.Procedures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.EventKind;
import io.sigmatch.decoder.Plmn;
import io.sigmatch.decoder.Rat;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.journal.JournalConfig;
import io.sigmatch.journal.MatchId;
import io.sigmatch.journal.MatchJournal;
import io.sigmatch.journal.MatchJournalReader;
import io.sigmatch.journal.MatchJson;
import io.sigmatch.journal.MatchRecord;
import io.sigmatch.matcher.rules.Rule;
import io.sigmatch.matcher.rules.RuleSet;
import io.sigmatch.matcher.rules.RuleSnapshotParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each stage called directly, on the test thread, with a stub clock, real lists and a real journal. */
class MatchStagesTest {
    static final String SNAPSHOT = "{\n"
        + "  \"version\": \"2026-11-22.1\",\n"
        + "  \"lists\": {\n"
        + "    \"gold\": {\"kind\": \"msisdn\", \"file\": \"gold.txt\"},\n"
        + "    \"dnd\": {\"kind\": \"msisdn\", \"file\": \"dnd.txt\"},\n"
        + "    \"imsis\": {\"kind\": \"imsi\", \"file\": \"imsis.txt\"},\n"
        + "    \"old4g\": {\"kind\": \"tac\", \"file\": \"old4g.txt\"}\n"
        + "  },\n"
        + "  \"rules\": [\n"
        + "    {\"id\": \"lu-gold\", \"trigger\": {\"type\": \"locationUpdate\"}, \"filter\": {\"rat\": [\"EUTRAN\"]},\n"
        + "     \"include\": [\"gold\"], \"exclude\": [\"dnd\"], \"priority\": 5, \"payload\": {\"campaign\": \"C1\"}},\n"
        + "    {\"id\": \"lu-all\", \"trigger\": {\"type\": \"locationUpdate\"}, \"priority\": 1},\n"
        + "    {\"id\": \"power-on\", \"trigger\": {\"type\": \"powerOn\"}, \"include\": [\"imsis\", \"old4g\"]},\n"
        + "    {\"id\": \"hotline\", \"trigger\": {\"type\": \"hotlineCall\", \"numbers\": [\"10086\", \"114\"]},\n"
        + "     \"valid\": {\"from\": \"2026-11-22T08:00:00Z\", \"to\": \"2026-11-22T09:00:00Z\"}},\n"
        + "    {\"id\": \"data\", \"trigger\": {\"type\": \"dataSession\"}, \"filter\": {\"apn\": [\"internet\"]}}\n"
        + "  ]\n"
        + "}\n";

    /** 2026-11-22T08:00:00Z and 09:00:00Z in epoch ns (Python datetime); T0 is a year earlier. */
    static final long HOTLINE_FROM = 1_795_334_400_000_000_000L;
    static final long HOTLINE_TO = 1_795_338_000_000_000_000L;

    static Path writeSnapshot(final Path dir) throws IOException {
        Files.writeString(dir.resolve("gold.txt"), "8613800138000\n8613800138001\n");
        Files.writeString(dir.resolve("dnd.txt"), "8613800138001\n");
        Files.writeString(dir.resolve("imsis.txt"), "460001234567890\n");
        Files.writeString(dir.resolve("old4g.txt"), "35345678\n");
        final Path snapshot = dir.resolve("snapshot.json");
        Files.writeString(snapshot, SNAPSHOT);
        return snapshot;
    }

    @TempDir
    Path tmp;

    private RuleSet rules;
    private MatchJournal journal;
    private final long[] now = {1_000_000};
    private final SignalingMessage m = new SignalingMessage();

    @BeforeEach
    void setUp() throws Exception {
        rules = RuleSnapshotParser.load(writeSnapshot(tmp));
        journal = MatchJournal.open(tmp.resolve("journal"), new JournalConfig().blockSizeBytes(256 * 1024).pretouchAheadBytes(0));
    }

    @AfterEach
    void tearDown() {
        journal.close();
        rules.close();
    }

    private Rule rule(final String id) {
        for (int i = 0; i < rules.ruleCount(); i++) {
            if (rules.rule(i).id().equals(id)) {
                return rules.rule(i);
            }
        }
        throw new AssertionError(id);
    }

    private SubscriberEvent event(final SignalingMessage procedure) {
        return new SubscriberEvent().copyFrom(procedure).stamp(now[0], 0, ShardRouter.subscriberKey(procedure));
    }

    // ---- filter ---------------------------------------------------------------------------------

    @Test
    void filterIgnoresEventsWithoutKindOrSubscriber() {
        final FilterStage filter = new FilterStage();
        assertEquals(FilterStage.NO_EVENT_KIND,
            filter.accept(event(Procedures.procedure(m, EventKind.NONE, T0, "460001234567890", null, null))));
        assertEquals(FilterStage.NO_IDENTITY, filter.accept(event(Procedures.procedure(m, EventKind.POWER_ON, T0, null, null, null))));
        assertEquals(FilterStage.ACCEPTED, filter.accept(event(Procedures.procedure(m, EventKind.POWER_ON, T0, null, null, "35345678901234"))));
    }

    @Test
    void ratFilterNeedsTheEventsRatToBeOneOfTheRules() {
        final FilterStage filter = new FilterStage();
        final Rule lu = rule("lu-gold");
        Procedures.procedure(m, EventKind.LOCATION_UPDATE, T0, null, "8613800138000", null);
        assertFalse(filter.accepts(lu, event(m)), "no RAT reported");
        assertFalse(filter.accepts(lu, event(m.rat(Rat.NR))));
        assertTrue(filter.accepts(lu, event(m.rat(Rat.EUTRAN))));
        assertTrue(filter.accepts(rule("lu-all"), event(m.rat(Rat.NR))), "no filter, no constraint");
    }

    @Test
    void apnFilterNeedsTheEventsApnToBeOneOfTheRules() {
        final FilterStage filter = new FilterStage();
        final Rule data = rule("data");
        Procedures.procedure(m, EventKind.DATA_SESSION_START, T0, "460001234567890", null, null);
        assertFalse(filter.accepts(data, event(m)), "no APN reported");
        assertTrue(filter.accepts(data, event(Procedures.apn(m, "Internet.mnc000.mcc460.gprs"))));
        assertFalse(filter.accepts(data, event(Procedures.apn(m, "ims"))));
    }

    // ---- lookup ---------------------------------------------------------------------------------

    @Test
    void lookupIncludesExcludesAndFailsClosedOnAnUncheckableExclusion() {
        final LookupStage lookup = new LookupStage(rules);
        final Rule lu = rule("lu-gold");
        lookup.begin(event(Procedures.procedure(m, EventKind.LOCATION_UPDATE, T0, null, "8613800138000", null)));
        assertEquals(LookupStage.INCLUDED, lookup.verdict(lu));
        lookup.begin(event(Procedures.procedure(m, EventKind.LOCATION_UPDATE, T0, null, "8613800138001", null)));
        assertEquals(LookupStage.EXCLUDED, lookup.verdict(lu), "gold but opted out");
        lookup.begin(event(Procedures.procedure(m, EventKind.LOCATION_UPDATE, T0, null, "8613800138002", null)));
        assertEquals(LookupStage.NOT_INCLUDED, lookup.verdict(lu));
        lookup.begin(event(Procedures.procedure(m, EventKind.LOCATION_UPDATE, T0, "460001234567890", null, null)));
        assertEquals(LookupStage.EXCLUSION_UNVERIFIABLE, lookup.verdict(lu), "no MSISDN to check the dnd list with");
        assertEquals(LookupStage.INCLUDED, lookup.verdict(rule("lu-all")), "no lists: everyone");
    }

    @Test
    void lookupMatchesEachListByItsKind() {
        final LookupStage lookup = new LookupStage(rules);
        final Rule power = rule("power-on");
        lookup.begin(event(Procedures.procedure(m, EventKind.POWER_ON, T0, "460001234567890", null, null)));
        assertEquals(LookupStage.INCLUDED, lookup.verdict(power), "by IMSI");
        lookup.begin(event(Procedures.procedure(m, EventKind.POWER_ON, T0, "460001234567891", null, "35345678901234")));
        assertEquals(LookupStage.INCLUDED, lookup.verdict(power), "by the IMEI's TAC");
        lookup.begin(event(Procedures.procedure(m, EventKind.POWER_ON, T0, "460001234567891", null, "35345679901234")));
        assertEquals(LookupStage.NOT_INCLUDED, lookup.verdict(power));
        lookup.begin(event(Procedures.procedure(m, EventKind.POWER_ON, T0, null, "8613800138000", "3534567")));
        assertEquals(LookupStage.NOT_INCLUDED, lookup.verdict(power), "an IMEI too short to hold a TAC");
    }

    // ---- trigger and govern ----------------------------------------------------------------------

    @Test
    void hotlineFiresOnlyOnItsNumbers() {
        final TriggerStage trigger = new TriggerStage();
        final Rule hotline = rule("hotline");
        Procedures.procedure(m, EventKind.CALL_ATTEMPT, T0, "460001234567890", null, null);
        assertFalse(trigger.fires(hotline, event(m)), "no called number");
        assertTrue(trigger.fires(hotline, event(m.called(Digits.parse("10086")))));
        assertTrue(trigger.fires(hotline, event(m.called(Digits.parse("114")))));
        assertFalse(trigger.fires(hotline, event(m.called(Digits.parse("1008")))));
        assertTrue(trigger.fires(rule("lu-all"), event(m)), "an event trigger fires on its event");
    }

    @Test
    void validityBoundsAreInclusiveAndOnCaptureTime() {
        final GovernStage govern = new GovernStage();
        final Rule hotline = rule("hotline");
        assertEquals(GovernStage.OUTSIDE_VALIDITY, govern.verdict(hotline, at(HOTLINE_FROM - 1)));
        assertEquals(GovernStage.PASS, govern.verdict(hotline, at(HOTLINE_FROM)));
        assertEquals(GovernStage.PASS, govern.verdict(hotline, at(HOTLINE_TO)));
        assertEquals(GovernStage.OUTSIDE_VALIDITY, govern.verdict(hotline, at(HOTLINE_TO + 1)));
        assertEquals(GovernStage.PASS, govern.verdict(rule("lu-all"), at(Long.MIN_VALUE)));
    }

    private SubscriberEvent at(final long timeNs) {
        return event(Procedures.procedure(m, EventKind.CALL_ATTEMPT, timeNs, "460001234567890", null, null));
    }

    // ---- journal --------------------------------------------------------------------------------

    @Test
    void journalStageWritesTheRecordAndMeasuresLatencyOnItsClock() throws Exception {
        final JournalStage stage = new JournalStage(rules, () -> now[0], 60_000_000_000L);
        try (var appender = journal.newAppender(() -> now[0])) {
            stage.appender(appender);
            Procedures.lteCell(Procedures.procedure(m, EventKind.LOCATION_UPDATE, T0 + 5, "460001234567890",
                "8613800138000", "35345678901234"));
            m.header(9, T0 + 5, 3);
            final SubscriberEvent e = new SubscriberEvent().copyFrom(m).stamp(1_000_000, 2, 0);
            now[0] = 1_004_321;
            stage.append(rule("lu-gold"), e, 1);
            assertEquals(4_321, stage.lastRecord().latencyNs());
            final org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(1, 60_000_000_000L, 3);
            stage.drainLatency(h);
            assertEquals(1, h.getTotalCount());
            assertTrue(h.valuesAreEquivalent(4_321, h.getMaxValue()));
        }
        try (MatchJournalReader reader = MatchJournalReader.open(tmp.resolve("journal"))) {
            final MatchRecord r = new MatchRecord();
            assertTrue(reader.next(r));
            assertEquals("{\"matchId\":\"" + MatchId.toString(T0 + 5, MatchId.low(3, 2, 1)) + "\",\"rule\":\"lu-gold\","
                + "\"payload\":{\"campaign\":\"C1\"},\"time\":\"1763800000.000000005\",\"imsi\":\"460001234567890\","
                + "\"msisdn\":\"8613800138000\",\"imei\":\"35345678901234\",\"mcc\":460,\"mnc\":0,\"tac\":10811,"
                + "\"eci\":27440068,\"snapshot\":\"2026-11-22.1\",\"latencyNs\":4321}", MatchJson.toJson(r));
        }
    }

    @Test
    void journalStageFallsBackToTheServingNetworkAndKeepsOneCellKind() throws Exception {
        final JournalStage stage = new JournalStage(rules, () -> now[0], 60_000_000_000L);
        try (var appender = journal.newAppender(() -> now[0])) {
            stage.appender(appender);
            Procedures.procedure(m, EventKind.LOCATION_UPDATE, T0, null, "8613800138000", null)
                .servingPlmn(Plmn.of(310, 150, 3)).lac(0x1F2E).ci(0xBEEF);
            stage.append(rule("lu-all"), event(m), 0);
            final MatchRecord r = stage.lastRecord();
            assertEquals(Plmn.of(310, 150, 3), r.plmn());
            assertTrue(r.has(MatchRecord.CI) && r.has(MatchRecord.LAC));
            assertEquals(0xBEEF, r.cell());
            assertFalse(r.has(MatchRecord.PAYLOAD), "lu-all has no payload");
            assertFalse(r.has(MatchRecord.IMSI));
        }
    }

    // ---- the chain --------------------------------------------------------------------------------

    @Test
    void theShardRunsTheStagesInPriorityOrderAndCounts() throws Exception {
        final Counters counters = new Counters();
        final Shard shard = new Shard(0, rules, journal, () -> now[0], new MatchCounters.Registry(counters, rules), 60_000_000_000L);
        shard.onStart();
        try {
            // gold, EUTRAN: both location-update rules match, the higher priority first
            shard.onEvent(event(Procedures.lteCell(Procedures.procedure(m, EventKind.LOCATION_UPDATE, T0, null,
                "8613800138000", null))), 0, false);
            // opted out: lu-gold suppressed, lu-all still matches
            shard.onEvent(event(Procedures.lteCell(Procedures.procedure(m, EventKind.LOCATION_UPDATE, T0 + 1, null,
                "8613800138001", null))), 1, false);
            // hotline outside its validity
            shard.onEvent(event(Procedures.procedure(m, EventKind.CALL_ATTEMPT, T0, "460001234567890", null, null)
                .called(Digits.parse("10086"))), 2, false);
            // no subscriber
            shard.onEvent(event(Procedures.procedure(m, EventKind.POWER_ON, T0, null, null, null)), 3, false);
            assertEquals(0, counters.get("pipeline.events"), "published at the end of the batch only");
            assertEquals(4, shard.counters().pending(MatchCounters.EVENTS));
            shard.onEvent(event(Procedures.procedure(m, EventKind.SMS_MO, T0, "460001234567890", null, null)), 4, true);
        } finally {
            shard.onShutdown();
        }
        assertEquals(5, counters.get("pipeline.events"));
        assertEquals(1, counters.get("pipeline.ignored.noIdentity"));
        assertEquals(3, counters.get("pipeline.matches"));
        assertEquals(2, counters.get("rule.lu-gold.evaluated"));
        assertEquals(1, counters.get("rule.lu-gold.matched"));
        assertEquals(1, counters.get("rule.lu-gold.suppressed.excluded"));
        assertEquals(2, counters.get("rule.lu-all.matched"));
        assertEquals(1, counters.get("rule.hotline.evaluated"));
        assertEquals(0, counters.get("rule.hotline.matched"));
        assertEquals(1, counters.get("rule.hotline.suppressed.outsideValidity"));
        assertEquals(0, counters.get("rule.power-on.evaluated"));

        try (MatchJournalReader reader = MatchJournalReader.open(tmp.resolve("journal"))) {
            final MatchRecord r = new MatchRecord();
            assertTrue(reader.next(r));
            assertEquals("lu-gold", r.ruleId());
            assertEquals(0, MatchId.ordinal(r.matchIdLow()));
            assertTrue(reader.next(r));
            assertEquals("lu-all", r.ruleId());
            assertEquals(1, MatchId.ordinal(r.matchIdLow()));
            assertEquals(r.matchIdHigh(), T0);
            assertTrue(reader.next(r));
            assertEquals("lu-all", r.ruleId());
            assertEquals(0, MatchId.ordinal(r.matchIdLow()));
            assertFalse(reader.next(r));
        }
    }

    @Test
    void matchingAllocatesNothingOnceWarm() throws Exception {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        final Counters counters = new Counters();
        // Chronicle allocates a few hundred bytes whenever it maps its next block of the queue file, so
        // this journal has production-sized (64 MiB, sparse) blocks: the test looks at our allocations
        final MatchJournal big = MatchJournal.open(tmp.resolve("big"), new JournalConfig().pretouchAheadBytes(0));
        final Shard shard = new Shard(0, rules, big, () -> now[0], new MatchCounters.Registry(counters, rules), 60_000_000_000L);
        shard.onStart();
        try {
            final SubscriberEvent[] events = {
                event(Procedures.lteCell(Procedures.procedure(new SignalingMessage(), EventKind.LOCATION_UPDATE, T0, null, "8613800138000", null))),
                event(Procedures.procedure(new SignalingMessage(), EventKind.POWER_ON, T0, "460001234567890", null, "35345678901234")),
                event(Procedures.procedure(new SignalingMessage(), EventKind.CALL_ATTEMPT, HOTLINE_FROM, "460001234567890", null, null)
                    .called(Digits.parse("114"))),
                event(Procedures.procedure(new SignalingMessage(), EventKind.SMS_MT, T0, null, "8613800138009", null)),
            };
            for (int i = 0; i < 200_000; i++) {
                shard.onEvent(events[i & 3], i, (i & 63) == 63);
            }
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 200_000; i++) {
                shard.onEvent(events[i & 3], i, (i & 63) == 63);
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            // 200 000 events, 200 000 matches journaled: a few stray bytes are Chronicle's, one per event would be ours
            assertTrue(allocated < 20_000, allocated + " bytes allocated over 200 000 events");
            // per 4 events: two location-update matches, one power-on, one hotline call, no SMS rule
            assertEquals(400_000, shard.counters().pending(MatchCounters.MATCHES) + counters.get("pipeline.matches"));
        } finally {
            shard.onShutdown();
            big.close();
        }
    }
}
