package io.sigmatch.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

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
import io.sigmatch.journal.MatchRecord;
import io.sigmatch.matcher.rules.RuleSet;
import io.sigmatch.matcher.rules.RuleSnapshotParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each stateful trigger and each governance field of DESIGN §13 on a real shard (its stages, state,
 * timer wheel and journal), with hand-made event sequences: what fires, at which capture time exactly,
 * and what is suppressed and why. Times are offsets from T, 2026-11-22 12:00:00 in Asia/Shanghai.
 */
class StatefulTriggersTest {
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final long T = ZonedDateTime.of(2026, 11, 22, 12, 0, 0, 0, ZONE).toInstant().getEpochSecond() * 1_000_000_000L;
    static final long S = 1_000_000_000L;
    /** Offsets are in seconds. */
    static final long MIN = 60;
    static final long H = 60 * MIN;
    /** Cells: 1001 airport, 2001 shop, 2002 shop inside the station, 3001 station, 9000 none. */
    static final long AIRPORT = 1001;
    static final long SHOP = 2001;
    static final long STATION_SHOP = 2002;
    static final long STATION = 3001;
    static final long STREET = 9000;
    static final String HOME_IMSI = "460001234567890";
    static final String HOME_MSISDN = "8613412345678";   // GD
    static final String BJ_MSISDN = "8613912345678";     // BJ: a province roamer on a home IMSI
    static final String ROAMER_IMSI = "454001234567890"; // Hong Kong
    static final String IMEI_A = "35345678901234";
    static final String IMEI_B = "35345678901299";       // same TAC as A
    static final String IMEI_C = "86000000123456";       // another TAC

    @TempDir
    Path dir;

    private RuleSet rules;
    private MatchJournal journal;
    private Shard shard;
    private Counters counters;
    private final SignalingMessage m = new SignalingMessage();
    private long sequence;

    private void start(final String rulesJson) throws Exception {
        Files.writeString(dir.resolve("regions.csv"), "prefix,region\n86134,GD\n86139,BJ\n");
        Files.writeString(dir.resolve("airport.csv"), "plmn,cell\n46000,1001\n");
        Files.writeString(dir.resolve("shops.csv"), "plmn,cell\n46000,2001\n46000,2002\n");
        Files.writeString(dir.resolve("station.csv"), "plmn,cell\n46000,3001\n46000,2002\n");
        Files.writeString(dir.resolve("dnd.txt"), "8613400000000\n");
        Files.writeString(dir.resolve("rules.json"), "{\"version\": \"t\", \"timezone\": \"Asia/Shanghai\","
            + " \"home\": {\"plmns\": [\"46000\", \"46002\"], \"region\": \"GD\", \"regionsFile\": \"regions.csv\"},"
            + " \"lists\": {\"dnd\": {\"kind\": \"msisdn\", \"file\": \"dnd.txt\"}},"
            + " \"areas\": {\"airport\": {\"file\": \"airport.csv\"}, \"shops\": {\"file\": \"shops.csv\"},"
            + " \"station\": {\"file\": \"station.csv\"}},"
            + rulesJson + "}");
        rules = RuleSnapshotParser.load(dir.resolve("rules.json"));
        journal = MatchJournal.open(dir.resolve("journal"), new JournalConfig().blockSizeBytes(256 * 1024).pretouchAheadBytes(0));
        counters = new Counters();
        shard = new Shard(0, rules, journal, () -> 0, new MatchCounters.Registry(counters, rules), 60_000_000_000L);
        shard.onStart();
    }

    @AfterEach
    void tearDown() {
        if (shard != null) {
            shard.onShutdown();
        }
        if (journal != null) {
            journal.close();
        }
        if (rules != null) {
            rules.close();
        }
    }

    /** An event of the subscriber at T + offset, in a cell (or none when cell is 0). */
    private void event(final EventKind kind, final long offset, final String imsi, final String msisdn, final String imei,
        final long cell) {
        Procedures.procedure(m, kind, T + offset * S, imsi, msisdn, imei).rat(Rat.EUTRAN);
        if (cell != 0) {
            m.cellPlmn(Plmn.of(460, 0, 2)).tac(0x10).eci(cell);
        }
        final SubscriberEvent e = new SubscriberEvent().copyFrom(m).stamp(0, sequence, ShardRouter.subscriberKey(m));
        shard.onEvent(e, sequence++, true);
    }

    private void at(final long offset, final long cell) {
        event(EventKind.LOCATION_UPDATE, offset, HOME_IMSI, HOME_MSISDN, null, cell);
    }

    /** Capture time reaches T + offset with no event of this shard: a tick, as the publisher sends them. */
    private void tick(final long offset) {
        shard.onEvent(new SubscriberEvent().tick(T + offset * S, 0), sequence++, true);
    }

    /** "rule@offset-in-seconds[ area][ deliverAfter=offset]" per journaled match, in journal order. */
    private List<String> matches() throws Exception {
        shard.endOfBatch();
        final List<String> out = new ArrayList<>();
        try (MatchJournalReader reader = MatchJournalReader.open(dir.resolve("journal"))) {
            final MatchRecord r = new MatchRecord();
            while (reader.next(r)) {
                String s = r.ruleId() + "@" + (r.timeNs() - T) / S;
                if ((r.timeNs() - T) % S != 0) {
                    s += "+" + (r.timeNs() - T) % S + "ns";
                }
                if (r.has(MatchRecord.AREA)) {
                    s += " " + r.area();
                }
                if (r.has(MatchRecord.DELIVER_AFTER)) {
                    s += " deliverAfter=" + (r.deliverAfterNs() - T) / S;
                }
                out.add(s);
            }
        }
        return out;
    }

    private long counter(final String name) {
        shard.endOfBatch();
        return counters.get(name);
    }

    @Test
    void areaEntryFiresOnEntryOnlyAndNotOnAReentryWithinTheAntiFlapTime() throws Exception {
        start("\"rules\": [{\"id\": \"airport\", \"trigger\": {\"type\": \"areaEntry\", \"area\": \"airport\","
            + " \"antiFlapMinutes\": 30}}]");
        at(0, STREET);
        at(60, AIRPORT);          // entry
        at(120, AIRPORT);         // still inside
        event(EventKind.SMS_MO, 150, HOME_IMSI, null, null, 0); // no cell: nothing moves
        at(180, STREET);          // exit at 180
        at(180 + 30 * 60, AIRPORT); // re-entry exactly 30 min after the exit: within anti-flap
        at(180 + 31 * 60, STREET);   // exit at 2040
        at(2040 + 30 * 60 + 1, AIRPORT); // 30 min + 1 s after the last exit: fires
        assertEquals(List.of("airport@60 airport", "airport@3841 airport"), matches());
    }

    @Test
    void theFirstCellSeenInAnAreaIsAnEntry() throws Exception {
        start("\"rules\": [{\"id\": \"airport\", \"trigger\": {\"type\": \"areaEntry\", \"area\": \"airport\"}}]");
        at(5, AIRPORT);
        assertEquals(List.of("airport@5 airport"), matches());
    }

    @Test
    void areaDwellFiresOncePerStayAtTheDeadlineOnCaptureTime() throws Exception {
        start("\"rules\": [{\"id\": \"dwell\", \"trigger\": {\"type\": \"areaDwell\", \"area\": \"shops\", \"minutes\": 20}}]");
        at(0, SHOP);              // stay 1 from 0
        at(10 * 60, STATION_SHOP); // moves inside the area: same stay
        tick(20 * 60 - 1);
        assertEquals(List.of(), matches(), "not due yet");
        tick(20 * 60);            // capture time reaches the deadline: fires, with the deadline as its time
        at(30 * 60, SHOP);
        tick(3 * H);
        assertEquals(List.of("dwell@1200 shops"), matches(), "once per stay");
        at(4 * H, STREET);        // exit
        at(4 * H + 60, SHOP);     // stay 2
        at(4 * H + 60 + 19 * 60, STREET); // leaves 1 min before its deadline
        tick(6 * H);
        assertEquals(List.of("dwell@1200 shops"), matches(), "a stay that ends early never fires");
        assertEquals(2, counter("pipeline.timers.fired"));
    }

    @Test
    void aDueDwellTimerFiresBeforeTheEventThatPassesItsDeadline() throws Exception {
        start("\"rules\": [{\"id\": \"dwell\", \"trigger\": {\"type\": \"areaDwell\", \"area\": \"shops\", \"minutes\": 20}},"
            + " {\"id\": \"entry\", \"trigger\": {\"type\": \"areaEntry\", \"area\": \"station\"}}]");
        at(0, SHOP);
        at(25 * 60, STATION);     // leaves the shops at 25 min, but the timer was due at 20: it fired first
        assertEquals(List.of("dwell@1200 shops", "entry@1500 station"), matches());
    }

    @Test
    void frequentVisitorFiresOnTheEntryThatReachesTheCountWithinTheDays() throws Exception {
        start("\"rules\": [{\"id\": \"regular\", \"trigger\": {\"type\": \"frequentVisitor\", \"area\": \"shops\","
            + " \"count\": 2, \"days\": 1}}]");
        at(0, SHOP);              // 1st entry
        at(60, STREET);
        at(2 * H, SHOP);          // 2nd within a day: fires
        at(2 * H + 60, STREET);
        at(3 * H, SHOP);          // 3rd: the count is 3, not 2
        at(3 * H + 60, STREET);
        at(26 * H + 30, SHOP);    // entries in (2:00:30, 26:00:30]: 3 h, this one = 2: fires again
        assertEquals(List.of("regular@7200 shops", "regular@93630 shops"), matches());
    }

    @Test
    void roamingInFiresOncePerVisitInternationalByPlmnAndProvinceByRegion() throws Exception {
        start("\"rules\": [{\"id\": \"abroad\", \"trigger\": {\"type\": \"roamingIn\", \"scope\": \"international\"}},"
            + " {\"id\": \"province\", \"trigger\": {\"type\": \"roamingIn\", \"scope\": \"province\"}}]");
        event(EventKind.DATA_SESSION_START, 0, ROAMER_IMSI, "85291234567", null, STREET);
        event(EventKind.LOCATION_UPDATE, 60, ROAMER_IMSI, null, null, AIRPORT);   // same visit
        event(EventKind.LOCATION_UPDATE, 60 + 24 * H + 1, ROAMER_IMSI, null, null, STREET); // > 24 h silent: new visit
        event(EventKind.POWER_OFF, 25 * H + 1, ROAMER_IMSI, null, null, 0);       // ends the visit
        event(EventKind.POWER_ON, 25 * H + 61, ROAMER_IMSI, null, null, 0);        // a new one
        event(EventKind.DATA_SESSION_START, 0, HOME_IMSI, HOME_MSISDN, null, STREET); // at home
        event(EventKind.DATA_SESSION_START, 5, "460021111111111", BJ_MSISDN, null, STREET); // from Beijing
        event(EventKind.DATA_SESSION_START, 6, "460022222222222", "8617012345678", null, STREET); // region unknown
        event(EventKind.DATA_SESSION_START, 7, "460023333333333", null, null, STREET); // no MSISDN: not known
        assertEquals(List.of("abroad@0", "abroad@86461", "abroad@90061", "province@5"), matches());
    }

    @Test
    void roamingDurationFiresWhenTheVisitLastsAndNotAfterAPowerOff() throws Exception {
        start("\"rules\": [{\"id\": \"long\", \"trigger\": {\"type\": \"roamingDuration\", \"scope\": \"any\", \"hours\": 2}}]");
        event(EventKind.DATA_SESSION_START, 0, ROAMER_IMSI, null, null, STREET);
        event(EventKind.DATA_SESSION_START, 10, "460021111111111", BJ_MSISDN, null, STREET);
        event(EventKind.POWER_OFF, H, "460021111111111", null, null, 0);  // the Beijing visitor leaves
        tick(2 * H + 10);
        assertEquals(List.of("long@7200"), matches());
    }

    @Test
    void handsetChangeByImeiOrTacNeverOnTheFirstSighting() throws Exception {
        start("\"rules\": [{\"id\": \"imei\", \"trigger\": {\"type\": \"handsetChange\", \"by\": \"imei\"}},"
            + " {\"id\": \"tac\", \"trigger\": {\"type\": \"handsetChange\", \"by\": \"tac\"}}]");
        event(EventKind.POWER_ON, 0, HOME_IMSI, null, IMEI_A, 0);       // first sighting
        event(EventKind.LOCATION_UPDATE, 10, HOME_IMSI, null, null, STREET); // no IMEI: nothing to compare
        event(EventKind.POWER_ON, 20, HOME_IMSI, null, IMEI_A, 0);      // same
        event(EventKind.POWER_ON, 30, HOME_IMSI, null, IMEI_B, 0);      // another IMEI of the same model
        event(EventKind.POWER_ON, 40, HOME_IMSI, null, IMEI_C, 0);      // another model
        assertEquals(List.of("imei@30", "imei@40", "tac@40"), matches());
    }

    @Test
    void forwardingThenPowerOnWithinTheHours() throws Exception {
        start("\"rules\": [{\"id\": \"fwd\", \"trigger\": {\"type\": \"forwardingThenPowerOn\", \"withinHours\": 2}}]");
        event(EventKind.POWER_ON, 0, HOME_IMSI, HOME_MSISDN, null, 0);             // no forwarding yet
        event(EventKind.CALL_FORWARDING_SET, 60, HOME_IMSI, null, null, 0);
        event(EventKind.POWER_ON, 60 + 2 * H, HOME_IMSI, null, null, 0);           // exactly 2 h: fires
        event(EventKind.POWER_ON, 61 + 2 * H, HOME_IMSI, null, null, 0);           // 2 h 1 s: too late
        assertEquals(List.of("fwd@7260"), matches());
    }

    @Test
    void quietHoursDeferOrDropInTheSnapshotsZone() throws Exception {
        start("\"rules\": [{\"id\": \"defer\", \"trigger\": {\"type\": \"locationUpdate\"},"
            + " \"quietHours\": {\"from\": \"22:00\", \"to\": \"08:00\", \"action\": \"defer\"}},"
            + " {\"id\": \"drop\", \"trigger\": {\"type\": \"locationUpdate\"},"
            + " \"quietHours\": {\"from\": \"13:00\", \"to\": \"14:00\", \"action\": \"drop\"}}]");
        at(0, STREET);                // 12:00 local: neither quiet
        at(H, STREET);                // 13:00: drop's quiet hour begins (inclusive)
        at(2 * H, STREET);            // 14:00: over (exclusive)
        at(10 * H, STREET);           // 22:00: deferred to 08:00 the next day (20 h later)
        at(19 * H, STREET);           // 07:00: deferred to 08:00 the same morning
        assertEquals(List.of("defer@0", "drop@0", "defer@3600", "defer@7200", "drop@7200",
            "defer@36000 deliverAfter=72000", "drop@36000", "defer@68400 deliverAfter=72000", "drop@68400"), matches());
        assertEquals(1, counter("rule.drop.suppressed.quietHours"));
        assertEquals(2, counter("rule.defer.deferred"));
        assertEquals(5, counter("rule.defer.matched"));
    }

    @Test
    void capsAreSlidingWindowsAndTheGlobalCapGoesByPriority() throws Exception {
        start("\"globalCap\": {\"count\": 2, \"per\": \"1h\"}, \"rules\": ["
            + " {\"id\": \"low\", \"trigger\": {\"type\": \"locationUpdate\"}, \"priority\": 1},"
            + " {\"id\": \"high\", \"trigger\": {\"type\": \"locationUpdate\"}, \"cap\": {\"count\": 1, \"per\": \"30m\"},"
            + "  \"priority\": 9}]");
        at(0, STREET);            // high, low: the global cap's two
        at(60, STREET);           // high capped (rule), low globally capped
        at(30 * 60, STREET);      // high's window (0, 30m] no longer holds 0, but the global window holds two
        at(30 * 60 + 1, STREET);  // likewise
        at(H, STREET);            // both matches at 0 have left the global window (H - 1h = 0 is excluded)
        assertEquals(List.of("high@0", "low@0", "high@3600", "low@3600"), matches());
        assertEquals(1, counter("rule.high.suppressed.cap"));
        assertEquals(2, counter("rule.high.suppressed.globalCap"));
        assertEquals(3, counter("rule.low.suppressed.globalCap"));
        assertEquals(4, counter("rule.low.matched") + counter("rule.high.matched"));
    }

    @Test
    void listsUseTheIdentitiesLinkedByEarlierEventsAndExclusionsFailClosed() throws Exception {
        Files.createDirectories(dir);
        start("\"rules\": [{\"id\": \"entry\", \"trigger\": {\"type\": \"areaEntry\", \"area\": \"airport\"},"
            + " \"exclude\": [\"dnd\"]}]");
        // a subscriber whose MSISDN no event has carried yet cannot be checked against the dnd list
        event(EventKind.LOCATION_UPDATE, 0, "460009999999999", null, null, AIRPORT);
        // another one, whose MSISDN an earlier event linked to the IMSI: checked, and not in dnd
        event(EventKind.DATA_SESSION_START, 0, HOME_IMSI, HOME_MSISDN, null, STREET);
        event(EventKind.LOCATION_UPDATE, 10, HOME_IMSI, null, null, AIRPORT);
        // one on the dnd list
        event(EventKind.DATA_SESSION_START, 0, "460008888888888", "8613400000000", null, STREET);
        event(EventKind.LOCATION_UPDATE, 20, "460008888888888", null, null, AIRPORT);
        assertEquals(List.of("entry@10 airport"), matches());
        assertEquals(1, counter("rule.entry.suppressed.exclusionUnverifiable"));
        assertEquals(1, counter("rule.entry.suppressed.excluded"));
        try (MatchJournalReader reader = MatchJournalReader.open(dir.resolve("journal"))) {
            final MatchRecord r = new MatchRecord();
            assertTrue(reader.next(r));
            assertEquals(Digits.parse(HOME_MSISDN), r.msisdn(), "the linked MSISDN is journaled");
        }
    }

    @Test
    void timerMatchIdsAreTheSameWhateverElseTheShardSaw() throws Exception {
        start("\"rules\": [{\"id\": \"dwell\", \"trigger\": {\"type\": \"areaDwell\", \"area\": \"shops\", \"minutes\": 20}}]");
        at(0, SHOP);
        tick(H);
        try (MatchJournalReader reader = MatchJournalReader.open(dir.resolve("journal"))) {
            final MatchRecord r = new MatchRecord();
            assertTrue(reader.next(r));
            assertEquals(T + 20 * MIN * S, r.matchIdHigh());
            assertEquals(MatchId.TIMER_SOURCE, MatchId.source(r.matchIdLow()));
            assertEquals(0, MatchId.ordinal(r.matchIdLow()), "the rule's place in the document");
        }
    }

    /**
     * Every stateful trigger, quiet hours and caps on the hot path: once warm, matching (state lookups,
     * timers armed and fired, governance, journal appends) allocates nothing per event.
     */
    @Test
    void statefulMatchingAllocatesNothingOnceWarm() throws Exception {
        start("\"rules\": ["
            + " {\"id\": \"entry\", \"trigger\": {\"type\": \"areaEntry\", \"area\": \"shops\", \"antiFlapMinutes\": 0},"
            + "  \"exclude\": [\"dnd\"], \"quietHours\": {\"from\": \"22:00\", \"to\": \"08:00\", \"action\": \"defer\"}},"
            + " {\"id\": \"dwell\", \"trigger\": {\"type\": \"areaDwell\", \"area\": \"station\", \"minutes\": 1}},"
            + " {\"id\": \"regular\", \"trigger\": {\"type\": \"frequentVisitor\", \"area\": \"airport\", \"count\": 2, \"days\": 1}},"
            + " {\"id\": \"abroad\", \"trigger\": {\"type\": \"roamingIn\", \"scope\": \"any\"}},"
            + " {\"id\": \"long\", \"trigger\": {\"type\": \"roamingDuration\", \"scope\": \"any\", \"hours\": 1}},"
            + " {\"id\": \"phone\", \"trigger\": {\"type\": \"handsetChange\", \"by\": \"imei\"}, \"cap\": {\"count\": 2, \"per\": \"1m\"}},"
            + " {\"id\": \"fwd\", \"trigger\": {\"type\": \"forwardingThenPowerOn\", \"withinHours\": 1}}]");
        shard.onShutdown();
        journal.close();
        // production-sized (64 MiB, sparse) journal blocks: Chronicle allocates when it maps the next one
        journal = MatchJournal.open(dir.resolve("big"), new JournalConfig().pretouchAheadBytes(0));
        shard = new Shard(0, rules, journal, () -> 0, new MatchCounters.Registry(counters, rules), 60_000_000_000L);
        shard.onStart();
        final long[] cells = {SHOP, STREET, AIRPORT, STATION, STATION_SHOP, STREET};
        final String[] imsis = {ROAMER_IMSI, "460021111111111", HOME_IMSI, "460003333333333"};
        final EventKind[] kinds = {EventKind.LOCATION_UPDATE, EventKind.POWER_ON, EventKind.CALL_FORWARDING_SET,
            EventKind.DATA_SESSION_START, EventKind.POWER_OFF, EventKind.LOCATION_UPDATE, EventKind.POWER_ON};
        final SignalingMessage[] templates = new SignalingMessage[64];
        for (int i = 0; i < templates.length; i++) {
            templates[i] = Procedures.procedure(new SignalingMessage(), kinds[i % kinds.length], T, imsis[i & 3],
                (i & 3) == 1 ? BJ_MSISDN : null, (i & 4) == 0 ? IMEI_A : IMEI_C).rat(Rat.EUTRAN)
                .cellPlmn(Plmn.of(460, 0, 2)).tac(0x10).eci(cells[(i >>> 2) % cells.length]);
        }
        final SubscriberEvent e = new SubscriberEvent();
        final SubscriberEvent tick = new SubscriberEvent();
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long time = T;
        long before = 0;
        for (int i = 0; i < 400_000; i++) {
            if (i == 200_000) {
                before = threads.getCurrentThreadAllocatedBytes();
            }
            time += 5_000_000; // 5 ms: 2 000 s of capture time in all, inside one quiet-hours period
            final SignalingMessage t = templates[i & 63].header(1, time, 0);
            shard.onEvent(e.copyFrom(t).stamp(0, i, ShardRouter.subscriberKey(t)), i, (i & 63) == 63);
            if ((i & 255) == 0) {
                shard.onEvent(tick.tick(time, 0), i, false);
            }
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        System.out.println("stateful matching: " + allocated + " bytes allocated over 200 000 events, matches " + counter("pipeline.matches"));
        // the bound of EndToEndAllocationTest, 0.5 B an event: one allocation per event would be >= 16 B.
        // Measured: ~33 000 B over these 200 000 events and ~87 000 journal appends (Chronicle maps and
        // indexes its queue as it grows; not isolated further)
        assertTrue(allocated < 100_000, allocated + " bytes allocated over 200 000 events, matches "
            + counter("pipeline.matches") + " timers " + counter("pipeline.timers.fired"));
        assertTrue(counter("pipeline.matches") > 400, "matches: " + counter("pipeline.matches"));
        assertTrue(counter("pipeline.timers.fired") > 100, "timers: " + counter("pipeline.timers.fired"));
        // stays here last 40 ms: dwell timers are armed and reach their deadline void (the path up to governance)
        assertTrue(counter("rule.entry.matched") > 0
            && counter("rule.phone.matched") > 0 && counter("rule.fwd.matched") > 0 && counter("rule.abroad.matched") > 0,
            "every kind of trigger fired: dwell " + counter("rule.dwell.matched") + ", entry " + counter("rule.entry.matched")
                + ", phone " + counter("rule.phone.matched") + ", fwd " + counter("rule.fwd.matched") + ", abroad "
                + counter("rule.abroad.matched"));
    }
}
