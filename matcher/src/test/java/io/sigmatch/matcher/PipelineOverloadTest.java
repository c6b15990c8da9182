package io.sigmatch.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.EventKind;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.journal.JournalConfig;
import io.sigmatch.journal.MatchJournal;
import io.sigmatch.journal.MatchJournalReader;
import io.sigmatch.journal.MatchRecord;
import io.sigmatch.matcher.rules.RuleSet;
import io.sigmatch.matcher.rules.RuleSnapshotParser;
import org.agrona.concurrent.NanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 2, overload: a burst far above what the pipeline can match, into the real pipeline
 * (two shards, 64-slot rings, the Chronicle journal) whose match threads are slowed to ~200 µs per
 * event (the clock the journal stage reads parks on shard threads while the stall is on), in a child
 * JVM with {@code -Xmx64m} and {@code -XX:+ExitOnOutOfMemoryError}. With {@link Pipeline#dropWhenFull}
 * on, as live capture runs it: the producing thread (the capture thread) never waits, every procedure
 * that finds its ring full is counted in {@code pipeline.intake.drop.ring_full}, offered = matched +
 * dropped exactly, the heap does not grow, and once the stall ends the pipeline matches a further
 * load at full rate with no new drop: it recovers by itself.
 */
class PipelineOverloadTest {
    static final int WARM = 2_000;
    static final int BURST = 400_000;
    static final int AFTER = 5_000;
    static final long STALL_NS = 200_000;

    @TempDir
    Path tmp;

    @Test
    void burstFarAboveCapacityIsDroppedAndCountedNeverBlocksAndRecovers() throws Exception {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("-XX:+IgnoreUnrecognized") || arg.startsWith("-Dchronicle")
                || arg.startsWith("--enable-native") || arg.startsWith("--sun-misc") || arg.startsWith("-Djna")) {
                cmd.add(arg);
            }
        }
        // the heap is what an overload could grow; direct memory holds the preallocated per-shard
        // subscriber state, sized by configuration (it would otherwise default to -Xmx)
        cmd.addAll(List.of("-Xmx64m", "-XX:MaxDirectMemorySize=512m", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
            Child.class.getName(), tmp.toString()));
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), "the child ran to the end (3 = OutOfMemoryError)\n" + out);
        final Map<String, Long> r = new HashMap<>();
        for (final String line : out.split("\n")) {
            if (line.startsWith("RESULT ")) {
                for (final String kv : line.substring(7).trim().split(" ")) {
                    final String[] x = kv.split("=");
                    r.put(x[0], Long.parseLong(x[1]));
                }
            }
        }
        System.out.println(out.lines().filter(l -> l.startsWith("RESULT") || l.startsWith("overload")).reduce("", (a, b) -> a + b + "\n"));
        assertTrue(r.containsKey("burstDropped"), out);
        assertEquals(0, r.get("warmDropped"), "no drop below capacity");
        assertTrue(r.get("burstDropped") > BURST / 2, "most of the burst is dropped: " + r);
        assertEquals(BURST, r.get("burstMatched") + r.get("burstDropped"), "offered = matched + dropped, exactly");
        assertTrue(r.get("maxPublishMs") < 1_000, "no publish waited (a GC pause at most): " + r);
        assertTrue(r.get("burstMs") < 10_000, "the burst went through at the producer's pace, far above the ~10 000/s the slowed "
            + "shards match (waiting for slots would take ~40 s): " + r);
        assertTrue(r.get("heapGrowthKb") < 8 * 1024, "the heap did not grow with the burst: " + r);
        assertEquals(0, r.get("afterDropped"), "after the stall: no drop at a load the pipeline can take");
        assertEquals(AFTER, r.get("afterMatched"), "after the stall: everything matched");
        assertEquals(r.get("eventsTotal"), r.get("matchesTotal"), "each event matched (rule lu-all)");
        assertEquals(r.get("matchesTotal"), r.get("journaled"), "every match is in the journal once");
    }

    /** The child JVM: the scenario, then one RESULT line. */
    public static final class Child {
        private static volatile boolean stalled;

        public static void main(final String[] args) throws Exception {
            final Path dir = Path.of(args[0]);
            final NanoClock clock = () -> {
                if (stalled && Thread.currentThread().getName().startsWith("sigmatch-shard")) {
                    LockSupport.parkNanos(STALL_NS);
                }
                return System.nanoTime();
            };
            final Counters counters = new Counters();
            final Map<String, Long> r = new java.util.LinkedHashMap<>();
            try (RuleSet rules = RuleSnapshotParser.load(MatchStagesTest.writeSnapshot(dir));
                 MatchJournal journal = MatchJournal.open(dir.resolve("journal"), new JournalConfig().blockSizeBytes(4 << 20));
                 Pipeline pipeline = Pipeline.create(new PipelineConfig().shards(2).ringSize(64).nanoClock(clock), rules,
                     journal, counters)) {
                pipeline.dropWhenFull(true);
                pipeline.start();
                final SignalingMessage m = new SignalingMessage();
                long subscriber = 0;

                // below capacity: a pause now and then, nothing dropped
                for (int i = 0; i < WARM; i++) {
                    publish(pipeline, m, subscriber++);
                    if (i % 32 == 31) {
                        drain(counters, i + 1);
                    }
                }
                drain(counters, WARM);
                r.put("warmDropped", counters.get(Pipeline.RING_FULL_DROPS_LABEL));
                final long heapBefore = heapUsed();

                // the burst: matching is slowed ~200 µs an event, the producer offers as fast as it can
                stalled = true;
                final long dropsBefore = counters.get(Pipeline.RING_FULL_DROPS_LABEL);
                final long eventsBefore = counters.get("pipeline.events");
                long maxPublishNs = 0;
                final long t0 = System.nanoTime();
                for (int i = 0; i < BURST; i++) {
                    final long s = System.nanoTime();
                    publish(pipeline, m, subscriber++);
                    maxPublishNs = Math.max(maxPublishNs, System.nanoTime() - s);
                }
                final long burstNs = System.nanoTime() - t0;
                final long heapAfter = heapUsed();
                stalled = false;
                final long burstDropped = counters.get(Pipeline.RING_FULL_DROPS_LABEL) - dropsBefore;
                drain(counters, eventsBefore + BURST - burstDropped);
                r.put("burstDropped", burstDropped);
                r.put("burstMatched", counters.get("pipeline.events") - eventsBefore);
                r.put("maxPublishMs", maxPublishNs / 1_000_000);
                r.put("burstMs", burstNs / 1_000_000);
                r.put("heapGrowthKb", Math.max(0, heapAfter - heapBefore) / 1024);

                // recovered: the same paced load as before the burst, at full rate, nothing dropped
                final long dropsAfterBurst = counters.get(Pipeline.RING_FULL_DROPS_LABEL);
                final long eventsAfterBurst = counters.get("pipeline.events");
                final long t1 = System.nanoTime();
                for (int i = 0; i < AFTER; i++) {
                    publish(pipeline, m, subscriber++);
                    if (i % 32 == 31) {
                        drain(counters, eventsAfterBurst + i + 1);
                    }
                }
                drain(counters, eventsAfterBurst + AFTER);
                final long afterNs = System.nanoTime() - t1;
                r.put("afterDropped", counters.get(Pipeline.RING_FULL_DROPS_LABEL) - dropsAfterBurst);
                r.put("afterMatched", counters.get("pipeline.events") - eventsAfterBurst);
                r.put("afterPerSecond", AFTER * 1_000_000_000L / Math.max(1, afterNs));
                r.put("eventsTotal", counters.get("pipeline.events"));
                r.put("matchesTotal", counters.get("pipeline.matches"));
            }
            long journaled = 0;
            try (MatchJournalReader reader = MatchJournalReader.open(dir.resolve("journal"))) {
                final MatchRecord rec = new MatchRecord();
                while (reader.next(rec)) {
                    journaled++;
                }
            }
            r.put("journaled", journaled);
            final StringBuilder line = new StringBuilder("RESULT");
            r.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
            System.out.println(line);
            System.out.printf("overload: burst of %d procedures in %d ms with matching slowed to ~%d us/event: %d dropped "
                + "(counted), %d matched, slowest publish %d ms, heap +%d KiB; after: %d matched at %d/s, %d dropped%n",
                BURST, r.get("burstMs"), STALL_NS / 1000, r.get("burstDropped"), r.get("burstMatched"), r.get("maxPublishMs"),
                r.get("heapGrowthKb"), r.get("afterMatched"), r.get("afterPerSecond"), r.get("afterDropped"));
        }

        /** A location update (matched by rule lu-all, one match per event) for a subscriber of its own. */
        private static void publish(final Pipeline pipeline, final SignalingMessage m, final long subscriber) {
            Procedures.lteCell(Procedures.procedure(m, EventKind.LOCATION_UPDATE, Procedures.T0 + subscriber, null, null, null))
                .imsi(Digits.pack(460_000_000_000_000L + subscriber, 15));
            pipeline.onProcedure(m);
        }

        private static void drain(final Counters counters, final long events) throws IOException {
            final long deadline = System.nanoTime() + 60_000_000_000L;
            while (counters.get("pipeline.events") < events) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("pipeline did not drain to " + events + ": " + counters.get("pipeline.events"));
                }
                Thread.onSpinWait();
            }
        }

        private static long heapUsed() {
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }
    }
}
