package io.sigmatch.matcher;

import static io.sigmatch.matcher.Procedures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

import com.lmax.disruptor.RingBuffer;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.EventKind;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.Rat;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.journal.JournalConfig;
import io.sigmatch.journal.MatchId;
import io.sigmatch.journal.MatchJournal;
import io.sigmatch.journal.MatchJournalReader;
import io.sigmatch.journal.MatchJson;
import io.sigmatch.journal.MatchRecord;
import io.sigmatch.matcher.rules.RuleSet;
import io.sigmatch.matcher.rules.RuleSnapshotParser;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole match path on real threads: procedures in, Chronicle journal out, read back as JSON lines. */
class PipelineTest {
    private static final long SEED = Long.getLong("sigmatch.seed", System.nanoTime());

    @TempDir
    Path tmp;

    private RuleSet rules;
    private Path journalDir;

    @BeforeEach
    void setUp() throws Exception {
        rules = RuleSnapshotParser.load(MatchStagesTest.writeSnapshot(tmp));
        journalDir = tmp.resolve("journal");
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        rules.close();
        assertNoShardThreadsLeft();
    }

    static void assertNoShardThreadsLeft() throws InterruptedException {
        final long deadline = System.nanoTime() + 2_000_000_000L;
        while (true) {
            final List<String> left = new ArrayList<>();
            for (final Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.isAlive() && t.getName().startsWith("sigmatch-")) {
                    left.add(t.getName());
                }
            }
            if (left.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("threads left running: " + left);
            }
            Thread.sleep(10);
        }
    }

    private static MatchJournal openJournal(final Path dir) throws Exception {
        return MatchJournal.open(dir, new JournalConfig().blockSizeBytes(1 << 20));
    }

    private static List<String> readJson(final Path dir) throws Exception {
        final List<String> lines = new ArrayList<>();
        try (MatchJournalReader reader = MatchJournalReader.open(dir)) {
            final MatchRecord r = new MatchRecord();
            while (reader.next(r)) {
                lines.add(MatchJson.toJson(r.latencyNs(0)));
            }
        }
        return lines;
    }

    @Test
    void proceduresInJsonLinesOut() throws Exception {
        final Counters counters = new Counters();
        final SignalingMessage m = new SignalingMessage();
        try (MatchJournal journal = openJournal(journalDir);
             Pipeline pipeline = Pipeline.create(new PipelineConfig().shards(2).ringSize(1024), rules, journal, counters)) {
            pipeline.start();
            pipeline.onMessage(Procedures.procedure(m, EventKind.POWER_ON, T0, "460001234567890", null, null));
            pipeline.onProcedure(Procedures.lteCell(Procedures.procedure(m, EventKind.LOCATION_UPDATE, T0, null,
                "8613800138000", null)));
            pipeline.onProcedure(Procedures.procedure(m, EventKind.POWER_ON, T0, "460001234567890", null, null));
            pipeline.onProcedure(Procedures.procedure(m, EventKind.POWER_OFF, T0 + 1, "460001234567890", null, null));
            pipeline.onProcedure(Procedures.procedure(m, EventKind.CALL_ATTEMPT, MatchStagesTest.HOTLINE_FROM + 7, null,
                "8613800138001", null).called(Digits.parse("10086")));
            pipeline.close();
            assertEquals(4, counters.get("pipeline.events"));
            assertEquals(4, counters.get("pipeline.matches"));
            final Histogram latency = pipeline.latencyHistogram();
            assertEquals(4, latency.getTotalCount());
            assertTrue(latency.getMinValue() > 0);
        }
        final List<String> json = readJson(journalDir);
        // events of one shard stay in order; across shards the journal interleaves: compare as a set
        final Set<String> expected = Set.of(
            "{\"matchId\":\"" + MatchId.toString(T0, MatchId.low(0, 0, 0)) + "\",\"rule\":\"lu-gold\","
                + "\"payload\":{\"campaign\":\"C1\"},\"time\":\"1763800000.000000000\",\"msisdn\":\"8613800138000\","
                + "\"mcc\":460,\"mnc\":0,\"tac\":10811,\"eci\":27440068,\"snapshot\":\"2026-11-22.1\",\"latencyNs\":0}",
            "{\"matchId\":\"" + MatchId.toString(T0, MatchId.low(0, 0, 1)) + "\",\"rule\":\"lu-all\","
                + "\"time\":\"1763800000.000000000\",\"msisdn\":\"8613800138000\","
                + "\"mcc\":460,\"mnc\":0,\"tac\":10811,\"eci\":27440068,\"snapshot\":\"2026-11-22.1\",\"latencyNs\":0}",
            // the second procedure published (the first wire message is not a procedure): sequence 1
            "{\"matchId\":\"" + MatchId.toString(T0, MatchId.low(0, 1, 0)) + "\",\"rule\":\"power-on\","
                + "\"time\":\"1763800000.000000000\",\"imsi\":\"460001234567890\",\"snapshot\":\"2026-11-22.1\",\"latencyNs\":0}",
            "{\"matchId\":\"" + MatchId.toString(MatchStagesTest.HOTLINE_FROM + 7, MatchId.low(0, 3, 0)) + "\",\"rule\":\"hotline\","
                + "\"time\":\"1795334400.000000007\",\"msisdn\":\"8613800138001\",\"snapshot\":\"2026-11-22.1\",\"latencyNs\":0}");
        assertEquals(expected, new HashSet<>(json));
        assertEquals(4, json.size());
    }

    /**
     * Random subscribers and events against a plain model of the same rules, written without the
     * pipeline's code: lists as HashSets, rules as if-statements. Every expected match must be journaled
     * once with its id, nothing else.
     */
    @Test
    void agreesWithAPlainModelOfTheRules() throws Exception {
        System.out.println("PipelineTest seed " + SEED + " (rerun with -Dsigmatch.seed=" + SEED + ")");
        final SplittableRandom random = new SplittableRandom(SEED);
        final Set<Long> gold = Set.of(Digits.parse("8613800138000"), Digits.parse("8613800138001"));
        final Set<Long> dnd = Set.of(Digits.parse("8613800138001"));
        final long imsiListed = Digits.parse("460001234567890");
        final EventKind[] kinds = {EventKind.LOCATION_UPDATE, EventKind.POWER_ON, EventKind.CALL_ATTEMPT,
            EventKind.DATA_SESSION_START, EventKind.SMS_MO, EventKind.NONE};

        final Set<String> expected = new TreeSet<>();
        final Counters counters = new Counters();
        final SignalingMessage m = new SignalingMessage();
        final int events = 20_000;
        final Map<String, String[]> links = new HashMap<>();
        try (MatchJournal journal = openJournal(journalDir);
             Pipeline pipeline = Pipeline.create(new PipelineConfig().shards(3).ringSize(256), rules, journal, counters)) {
            pipeline.start();
            long time = T0;
            for (int i = 0; i < events; i++) {
                if (random.nextInt(4) != 0) {
                    time += random.nextInt(1_000_000);
                }
                final EventKind kind = kinds[random.nextInt(kinds.length)];
                final String msisdn = random.nextInt(3) == 0 ? null : "86138001380" + String.format("%02d", random.nextInt(4));
                final String imsi = random.nextInt(3) == 0 ? null : "46000123456789" + random.nextInt(2);
                final String imei = random.nextInt(2) == 0 ? null : (random.nextBoolean() ? "35345678" : "35345679") + "901234";
                final long when = random.nextInt(8) == 0 ? MatchStagesTest.HOTLINE_FROM + random.nextInt(1000) : time;
                Procedures.procedure(m, kind, when, imsi, msisdn, imei);
                final Rat rat = random.nextBoolean() ? Rat.EUTRAN : Rat.NR;
                if (random.nextInt(4) != 0) {
                    m.rat(rat);
                }
                final boolean internet = random.nextBoolean();
                Procedures.apn(m, internet ? "internet" : "ims");
                final String called = random.nextBoolean() ? "10086" : "12345";
                m.called(Digits.parse(called));
                pipeline.onProcedure(m);

                // the sequence, as MatchId defines it: procedures handed over before this one
                final long sequence = i;
                // the model
                final boolean anyId = msisdn != null || imsi != null || imei != null;
                if (kind == EventKind.NONE || !anyId) {
                    continue;
                }
                // lists are checked with the identities the subscriber's earlier events linked (DESIGN §13):
                // the subscriber is its IMSI, else MSISDN, else IMEI; each identity is the last one seen
                final String key = imsi != null ? imsi : msisdn != null ? msisdn : imei;
                final String[] linked = links.computeIfAbsent(key, k -> new String[3]);
                if (imsi != null) {
                    linked[0] = imsi;
                }
                if (msisdn != null) {
                    linked[1] = msisdn;
                }
                if (imei != null) {
                    linked[2] = imei;
                }
                final Long ms = linked[1] == null ? null : Digits.parse(linked[1]);
                final Long im = linked[0] == null ? null : Digits.parse(linked[0]);
                final String linkedImei = linked[2];
                int ordinal = 0;
                if (kind == EventKind.LOCATION_UPDATE) {
                    // lu-gold (priority 5): EUTRAN, in gold, not in dnd (an absent MSISDN cannot be checked: no match)
                    if (m.has(SignalingMessage.RAT) && rat == Rat.EUTRAN && ms != null && gold.contains(ms) && !dnd.contains(ms)) {
                        expected.add(id(when, sequence, ordinal++) + " lu-gold");
                    }
                    expected.add(id(when, sequence, ordinal) + " lu-all");
                } else if (kind == EventKind.POWER_ON) {
                    if ((im != null && im == imsiListed) || (linkedImei != null && linkedImei.startsWith("35345678"))) {
                        expected.add(id(when, sequence, 0) + " power-on");
                    }
                } else if (kind == EventKind.CALL_ATTEMPT) {
                    if (called.equals("10086") && when >= MatchStagesTest.HOTLINE_FROM && when <= MatchStagesTest.HOTLINE_TO) {
                        expected.add(id(when, sequence, 0) + " hotline");
                    }
                } else if (kind == EventKind.DATA_SESSION_START && internet) {
                    expected.add(id(when, sequence, 0) + " data");
                }
            }
            pipeline.close();
            assertEquals(events, counters.get("pipeline.events"));
            assertEquals(0, counters.get("pipeline.errors"));
        }
        final Set<String> journaled = new TreeSet<>();
        try (MatchJournalReader reader = MatchJournalReader.open(journalDir)) {
            final MatchRecord r = new MatchRecord();
            while (reader.next(r)) {
                assertTrue(journaled.add(MatchId.toString(r.matchIdHigh(), r.matchIdLow()) + " " + r.ruleId()), "duplicate");
            }
        }
        final Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(journaled);
        final Set<String> extra = new TreeSet<>(journaled);
        extra.removeAll(expected);
        assertEquals(Set.of(), missing, "seed " + SEED + ": expected, not journaled");
        assertEquals(Set.of(), extra, "seed " + SEED + ": journaled, not expected");
        assertEquals(expected.size(), counters.get("pipeline.matches"));
    }

    private static String id(final long time, final long sequence, final int ordinal) {
        return MatchId.toString(time, MatchId.low(0, sequence, ordinal));
    }

    @Test
    void oneSubscriberStaysOnOneShard() throws Exception {
        final int shards = 4;
        final int events = 4_000;
        final Counters counters = new Counters();
        final SignalingMessage m = new SignalingMessage();
        final SplittableRandom random = new SplittableRandom(SEED);
        try (MatchJournal journal = openJournal(journalDir);
             Pipeline pipeline = Pipeline.create(new PipelineConfig().shards(shards).ringSize(8192), rules, journal, counters)) {
            pipeline.start();
            for (int i = 0; i < events; i++) {
                final int subscriber = random.nextInt(300);
                // the same subscriber sometimes with its MSISDN too: the IMSI still names it
                Procedures.procedure(m, EventKind.SMS_MT, T0 + i, String.format("4600000000%05d", subscriber),
                    random.nextBoolean() ? String.format("86139%08d", subscriber) : null, null);
                pipeline.onProcedure(m);
            }
            pipeline.close();
            // the ring is larger than the run, so every slot still holds the event published into it
            final Map<Long, Integer> shardOf = new HashMap<>();
            int seen = 0;
            for (int s = 0; s < shards; s++) {
                final RingBuffer<SubscriberEvent> ring = pipeline.ring(s);
                assertTrue(ring.getCursor() >= 0, "shard " + s + " got no events");
                for (long seq = 0; seq <= ring.getCursor(); seq++) {
                    final SubscriberEvent e = ring.get(seq);
                    assertEquals(e.imsi(), e.subscriberKey());
                    final Integer before = shardOf.put(e.subscriberKey(), s);
                    assertTrue(before == null || before == s, "a subscriber on shards " + before + " and " + s);
                    assertEquals(ShardRouter.shardOf(e.subscriberKey(), shards), s);
                    seen++;
                }
            }
            assertEquals(events, seen);
            assertEquals(events, counters.get("pipeline.events"));
        }
    }

    @Test
    void theSameCaptureGivesTheSameMatchIdsWhateverTheShardCount() throws Exception {
        final Map<Integer, Set<String>> byShards = new HashMap<>();
        for (final int shards : new int[] {1, 3}) {
            final Path dir = tmp.resolve("journal-" + shards);
            final SplittableRandom random = new SplittableRandom(SEED);
            final SignalingMessage m = new SignalingMessage();
            try (MatchJournal journal = openJournal(dir);
                 Pipeline pipeline = Pipeline.create(new PipelineConfig().shards(shards), rules, journal, new Counters())) {
                pipeline.start();
                for (int i = 0; i < 5_000; i++) {
                    Procedures.lteCell(Procedures.procedure(m, EventKind.LOCATION_UPDATE, T0 + i / 3, null,
                        "86138001380" + String.format("%02d", random.nextInt(10)), null));
                    pipeline.onProcedure(m);
                }
            }
            byShards.put(shards, new TreeSet<>(readJson(dir)));
        }
        // lu-all matches every event, lu-gold the gold ones on top
        assertTrue(byShards.get(1).size() > 5_000, "matches: " + byShards.get(1).size());
        assertEquals(byShards.get(1), byShards.get(3));
    }

    @Test
    void aFailingEventIsCountedAndMatchingGoesOn() throws Exception {
        final Counters counters = new Counters();
        final SignalingMessage m = new SignalingMessage();
        final MatchJournal journal = openJournal(journalDir);
        try (Pipeline pipeline = Pipeline.create(new PipelineConfig().shards(1), rules, journal, counters)) {
            pipeline.start();
            pipeline.onProcedure(Procedures.procedure(m, EventKind.POWER_ON, T0, "460001234567890", null, null));
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (counters.get("rule.power-on.matched") == 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            // the disk goes away under the shard: every append now fails
            journal.close();
            for (int i = 0; i < 50; i++) {
                pipeline.onProcedure(Procedures.procedure(m, EventKind.POWER_ON, T0 + 1 + i, "460001234567890", null, null));
            }
            // and events that need no journal are still matched and counted
            for (int i = 0; i < 50; i++) {
                pipeline.onProcedure(Procedures.procedure(m, EventKind.SMS_MT, T0 + 100 + i, "460001234567890", null, null));
            }
        }
        assertEquals(101, counters.get("pipeline.events"));
        assertEquals(50, counters.get("pipeline.errors"));
        assertEquals(1, counters.get("rule.power-on.matched"));
    }

    @Test
    void aShardThatCannotOpenItsJournalAppenderFailsTheStart() throws Exception {
        final MatchJournal journal = openJournal(journalDir);
        journal.close();
        final Pipeline pipeline = Pipeline.create(new PipelineConfig().shards(2), rules, journal, new Counters());
        final IllegalStateException e = assertThrows(IllegalStateException.class, pipeline::start);
        assertTrue(e.getMessage().startsWith("match shard 0 could not start"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> pipeline.onProcedure(
            Procedures.procedure(new SignalingMessage(), EventKind.POWER_ON, T0, "460001234567890", null, null)));
        pipeline.close();
    }

    @Test
    void theLifecycleIsExplicit() throws Exception {
        final SignalingMessage m = Procedures.procedure(new SignalingMessage(), EventKind.POWER_ON, T0, "460001234567890", null, null);
        try (MatchJournal journal = openJournal(journalDir)) {
            final Pipeline pipeline = Pipeline.create(new PipelineConfig(), rules, journal, new Counters());
            assertThrows(IllegalStateException.class, () -> pipeline.onProcedure(m), "not started");
            assertThrows(IllegalStateException.class, pipeline::newPublisher, "single producer");
            pipeline.start();
            assertThrows(IllegalStateException.class, pipeline::start);
            pipeline.onProcedure(m);
            pipeline.close();
            pipeline.close();
            assertThrows(IllegalStateException.class, () -> pipeline.onProcedure(m), "closed");
            assertThrows(IllegalStateException.class, pipeline::start);
            Pipeline.create(new PipelineConfig(), rules, journal, new Counters()).close();
        }
        assertEquals(1, readJson(journalDir).size());
    }

    @Test
    void settingsAreCheckedWhenThePipelineIsCreated() throws Exception {
        try (MatchJournal journal = openJournal(journalDir)) {
            for (final PipelineConfig bad : new PipelineConfig[] {
                new PipelineConfig().shards(0), new PipelineConfig().shards(65), new PipelineConfig().ringSize(1000),
                new PipelineConfig().ringSize(32), new PipelineConfig().waitStrategy("napping"),
                new PipelineConfig().drainTimeoutMs(-1), new PipelineConfig().latencyMaxNs(10)}) {
                assertThrows(IllegalArgumentException.class, () -> Pipeline.create(bad, rules, journal, new Counters()));
            }
            for (final String wait : new String[] {"busySpin", "yielding", "sleeping", "blocking"}) {
                try (Pipeline p = Pipeline.create(new PipelineConfig().waitStrategy(wait), rules, journal, new Counters())) {
                    p.start();
                    p.onProcedure(Procedures.procedure(new SignalingMessage(), EventKind.POWER_ON, T0, "460001234567890", null, null));
                }
            }
        }
        assertEquals(4, readJson(journalDir).size());
    }

    @Test
    void severalProducersEachWithItsPublisher() throws Exception {
        final Counters counters = new Counters();
        try (MatchJournal journal = openJournal(journalDir);
             Pipeline pipeline = Pipeline.create(new PipelineConfig().shards(2).multiProducer(true), rules, journal, counters)) {
            pipeline.start();
            final Thread[] producers = new Thread[3];
            for (int p = 0; p < producers.length; p++) {
                final int source = p;
                final MessageSink sink = pipeline.newPublisher();
                producers[p] = new Thread(() -> {
                    final SignalingMessage m = new SignalingMessage();
                    for (int i = 0; i < 1_000; i++) {
                        Procedures.procedure(m, EventKind.POWER_ON, T0 + i, "460001234567890", null, null);
                        m.header(i, T0 + i, source);
                        sink.onProcedure(m);
                    }
                });
                producers[p].start();
            }
            for (final Thread t : producers) {
                t.join();
            }
        }
        assertEquals(3_000, counters.get("rule.power-on.matched"));
        final Set<String> ids = new HashSet<>();
        try (MatchJournalReader reader = MatchJournalReader.open(journalDir)) {
            final MatchRecord r = new MatchRecord();
            while (reader.next(r)) {
                assertTrue(ids.add(MatchId.toString(r.matchIdHigh(), r.matchIdLow())), "match ids are unique across sources");
            }
        }
        assertEquals(3_000, ids.size());
    }

    @Test
    void aJournalReopenedByTheNextRunKeepsThePreviousMatches() throws Exception {
        final SignalingMessage m = new SignalingMessage();
        for (int run = 0; run < 2; run++) {
            try (MatchJournal journal = openJournal(journalDir);
                 Pipeline pipeline = Pipeline.create(new PipelineConfig(), rules, journal, new Counters())) {
                pipeline.start();
                pipeline.onProcedure(Procedures.procedure(m, EventKind.POWER_ON, T0 + run, "460001234567890", null, null));
            }
        }
        final List<String> json = readJson(journalDir);
        assertEquals(2, json.size());
        assertTrue(json.get(0).contains("\"time\":\"1763800000.000000000\""));
        assertTrue(json.get(1).contains("\"time\":\"1763800000.000000001\""));
    }

    @Test
    void publishingAllocatesNothingOnceWarm() throws Exception {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        final SignalingMessage m = Procedures.lteCell(Procedures.procedure(new SignalingMessage(), EventKind.SMS_MT, T0,
            "460001234567890", "8613800138000", null));
        try (MatchJournal journal = openJournal(journalDir);
             Pipeline pipeline = Pipeline.create(new PipelineConfig().shards(2), rules, journal, new Counters())) {
            pipeline.start();
            for (int i = 0; i < 100_000; i++) {
                pipeline.onProcedure(m);
            }
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                pipeline.onProcedure(m);
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < 1_000, allocated + " bytes allocated publishing 100 000 procedures");
        }
        assertFalse(readJson(journalDir).iterator().hasNext(), "no SMS rule for MT: nothing journaled");
    }
}
