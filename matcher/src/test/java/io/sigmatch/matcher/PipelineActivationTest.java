package io.sigmatch.matcher;

import static io.sigmatch.matcher.Procedures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.EventKind;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.journal.JournalConfig;
import io.sigmatch.journal.MatchJournal;
import io.sigmatch.journal.MatchJournalReader;
import io.sigmatch.journal.MatchRecord;
import io.sigmatch.matcher.rules.RuleSet;
import io.sigmatch.matcher.rules.RuleSnapshotParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live snapshot activation (issue 6 item 5, issue 9's push): a rule set swapped while events stream
 * through full rings. Every event is matched exactly once, wholly against one version; on each shard
 * the old version's matches all come before the new one's; the replaced set is closed (its off-heap
 * list freed) the moment activate returns, as the snapshot store does, and nothing touches it after.
 */
class PipelineActivationTest {
    private static final long IMSI_BASE = 460_001_000_000_000L;
    private static final int EVENTS = 60_000;

    @TempDir
    Path tmp;

    private final List<RuleSet> open = new ArrayList<>();

    @AfterEach
    void tearDown() throws InterruptedException {
        for (final RuleSet r : open) {
            r.close();
        }
        PipelineTest.assertNoShardThreadsLeft();
    }

    /** A snapshot with one powerOn rule named after its version, including every test IMSI by list. */
    private RuleSet snapshot(final String version) throws Exception {
        final Path dir = Files.createDirectories(tmp.resolve(version));
        final StringBuilder list = new StringBuilder(EVENTS * 16);
        for (int i = 0; i < EVENTS; i++) {
            list.append(IMSI_BASE + i).append('\n');
        }
        Files.writeString(dir.resolve("subs.txt"), list);
        final Path json = dir.resolve("snapshot.json");
        Files.writeString(json, "{\"version\": \"" + version + "\",\n"
            + " \"lists\": {\"subs\": {\"kind\": \"imsi\", \"file\": \"subs.txt\"}},\n"
            + " \"rules\": [{\"id\": \"on-" + version + "\", \"trigger\": {\"type\": \"powerOn\"}, \"include\": [\"subs\"]}]}\n");
        return RuleSnapshotParser.load(json);
    }

    private static SignalingMessage powerOn(final SignalingMessage m, final int i) {
        return Procedures.procedure(m, EventKind.POWER_ON, T0 + i, Long.toString(IMSI_BASE + i), null, null);
    }

    @Test
    void aSwapUnderLoadMatchesEveryEventOnceAgainstOneVersion() throws Exception {
        final RuleSet v1 = snapshot("v1");
        final RuleSet v2 = snapshot("v2");
        open.add(v2);
        final Counters counters = new Counters();
        final Path journalDir = tmp.resolve("journal");
        final AtomicLong published = new AtomicLong();
        final AtomicReference<Throwable> publisherFailure = new AtomicReference<>();
        final long activateNanos;
        try (MatchJournal journal = MatchJournal.open(journalDir, new JournalConfig().blockSizeBytes(1 << 22));
             Pipeline pipeline = Pipeline.create(new PipelineConfig().shards(2).ringSize(256), v1, journal, counters)) {
            pipeline.start();
            final Thread producer = new Thread(() -> {
                try {
                    final SignalingMessage m = new SignalingMessage();
                    for (int i = 0; i < EVENTS; i++) {
                        pipeline.onProcedure(powerOn(m, i));
                        published.incrementAndGet();
                    }
                } catch (final Throwable t) {
                    publisherFailure.set(t);
                }
            }, "test-producer");
            producer.start();
            while (published.get() < EVENTS / 3 && producer.isAlive()) {
                Thread.onSpinWait();
            }
            final long t0 = System.nanoTime();
            final RuleSet previous = pipeline.activate(v2);
            activateNanos = System.nanoTime() - t0;
            assertSame(v1, previous);
            assertSame(v2, pipeline.rules());
            // the store closes the replaced set at once: a shard still reading its list would fail
            previous.close();
            producer.join();
            assertEquals(null, publisherFailure.get());
            assertTrue(published.get() > EVENTS / 3, "the swap happened while events were still coming");
            pipeline.close();
        }
        assertEquals(EVENTS, counters.get("pipeline.events"));
        assertEquals(0, counters.get("pipeline.errors"));
        final long v1Matches = counters.get("rule.on-v1.matched");
        final long v2Matches = counters.get("rule.on-v2.matched");
        assertEquals(EVENTS, v1Matches + v2Matches, "every event matched once, by exactly one version");
        assertTrue(v1Matches >= EVENTS / 3 - 2 * 256, "events before the swap (less what was in the rings): " + v1Matches);
        assertTrue(v2Matches > 0, "events after the swap");

        // per shard, in event order: v1 ... v1 v2 ... v2, the record's rule and snapshot agreeing
        final Map<Integer, TreeMap<Long, String>> byShard = new HashMap<>();
        int records = 0;
        try (MatchJournalReader reader = MatchJournalReader.open(journalDir)) {
            final MatchRecord r = new MatchRecord();
            while (reader.next(r)) {
                records++;
                final String version = r.snapshot();
                assertEquals("on-" + version, r.ruleId());
                final int shard = ShardRouter.shardOf(r.imsi(), 2);
                final String before = byShard.computeIfAbsent(shard, k -> new TreeMap<>()).put(r.timeNs(), version);
                assertEquals(null, before, "one match per event");
            }
        }
        assertEquals(EVENTS, records);
        for (final Map.Entry<Integer, TreeMap<Long, String>> shard : byShard.entrySet()) {
            String last = "v1";
            for (final String version : shard.getValue().values()) {
                assertTrue(version.compareTo(last) >= 0, "shard " + shard.getKey() + " went back from " + last);
                last = version;
            }
        }
        System.out.printf("activation under load: %d ms until both shards had matched what was published "
            + "before the swap; v1 %d matches, v2 %d%n", activateNanos / 1_000_000, v1Matches, v2Matches);
    }

    @Test
    void anIdlePipelineTakesTheNewSetWithItsNextEvent() throws Exception {
        final RuleSet v1 = snapshot("v1");
        final RuleSet v2 = snapshot("v2");
        open.add(v2);
        final Counters counters = new Counters();
        final SignalingMessage m = new SignalingMessage();
        try (MatchJournal journal = MatchJournal.open(tmp.resolve("journal"), new JournalConfig().blockSizeBytes(1 << 20));
             Pipeline pipeline = Pipeline.create(new PipelineConfig().shards(3).ringSize(64), v1, journal, counters)) {
            pipeline.start();
            pipeline.onProcedure(powerOn(m, 1));
            while (counters.get("pipeline.events") < 1) {   // matched (and its batch counted) before the swap
                Thread.onSpinWait();
            }
            assertSame(v1, pipeline.activate(v2));   // returns although two shards have seen nothing
            v1.close();
            for (int i = 2; i < 50; i++) {
                pipeline.onProcedure(powerOn(m, i));
            }
            pipeline.close();
        }
        assertEquals(1, counters.get("rule.on-v1.matched"));
        assertEquals(48, counters.get("rule.on-v2.matched"));
    }

    @Test
    void beforeStartTheSetIsTakenByTheFirstEventAndAfterCloseNothingIsSwapped() throws Exception {
        final RuleSet v1 = snapshot("v1");
        final RuleSet v2 = snapshot("v2");
        open.add(v1);
        open.add(v2);
        final Counters counters = new Counters();
        final SignalingMessage m = new SignalingMessage();
        try (MatchJournal journal = MatchJournal.open(tmp.resolve("journal"), new JournalConfig().blockSizeBytes(1 << 20))) {
            final Pipeline pipeline = Pipeline.create(new PipelineConfig().ringSize(64), v1, journal, counters);
            assertSame(v1, pipeline.activate(v2));
            pipeline.start();
            pipeline.onProcedure(powerOn(m, 7));
            pipeline.close();
            assertThrows(IllegalStateException.class, () -> pipeline.activate(v1));
            assertSame(v2, pipeline.rules());
            assertThrows(NullPointerException.class, () -> pipeline.activate(null));
        }
        assertEquals(0, counters.get("rule.on-v1.matched"));
        assertEquals(1, counters.get("rule.on-v2.matched"));
    }
}
