package io.sigmatch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.sigmatch.journal.MatchId;
import io.sigmatch.journal.MatchJournalReader;
import io.sigmatch.journal.MatchRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 5, crash and restart: {@code sigmatch run} (a child JVM replaying the demo capture
 * at 10x (3.5 s) into a two-shard pipeline and the journal) is killed with SIGKILL at a random moment, then
 * started again on the same data directory, several times in a row (-Dsigmatch.crash.kills, 3 in
 * the build; the seed is printed), and finally left to finish. Each restart replays the capture
 * from its start; match ids come from the triggering procedure, so the pipeline skips what is
 * journaled already ({@code pipeline.ignored.resumed}). In the end the journal holds the demo's 54
 * matches, each match id once: nothing journaled was lost, nothing journaled twice.
 *
 * <p>Subscriber trigger state persistence (another part of the matcher) would be checked by
 * {@link #triggerStateSurvivesKillDashNine()}, left disabled until that state is persisted.
 */
class ReplayCrashRestartTest {
    private static final Path REPO = Path.of(System.getProperty("sigmatch.repo", "..")).toAbsolutePath().normalize();
    private static final Path DEMO = REPO.resolve("pcap-samples/demo");
    private static final long SEED = Long.getLong("sigmatch.crash.seed", System.nanoTime());
    private static final int KILLS = Integer.getInteger("sigmatch.crash.kills", 3);

    @TempDir
    Path tmp;

    private Process start(final Path config) throws Exception {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("-XX:+IgnoreUnrecognized") || arg.startsWith("-Dchronicle")
                || arg.startsWith("--enable-native") || arg.startsWith("--sun-misc") || arg.startsWith("-Djna")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SigmatchCli.class.getName(), "run", "--config",
            config.toString()));
        return new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.appendTo(tmp.resolve("stderr.log").toFile())).start();
    }

    private List<String> journaledIds() throws Exception {
        final List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(tmp.resolve("data/journal"))) {
            return ids;
        }
        try (MatchJournalReader reader = MatchJournalReader.open(tmp.resolve("data/journal"))) {
            final MatchRecord r = new MatchRecord();
            while (reader.next(r)) {
                ids.add(MatchId.toString(r.matchIdHigh(), r.matchIdLow()));
            }
        }
        return ids;
    }

    @Test
    void killDashNineAtRandomPointsLosesNoJournaledMatchAndDuplicatesNone() throws Exception {
        final Path config = tmp.resolve("run.yaml");
        Files.writeString(config, "capture:\n  files: [" + DEMO.resolve("epc-attach.pcapng") + "]\n  speed: 10\n"
            + "pipeline:\n  shards: 2\n  ringSize: 1024\n"
            + "data:\n  dir: " + tmp.resolve("data") + "\n"
            + "rules: " + DEMO.resolve("rules.json") + "\n"
            + "admin:\n  enabled: false\n");
        final Random random = new Random(SEED);
        final List<Integer> atKill = new ArrayList<>();
        for (int k = 0; k < KILLS; k++) {
            final int before = journaledIds().size();
            final long servedBefore = served();
            final Process p = start(config);
            // once this run has journaled something new (or finished its replay), anywhere in the next 1.5 s
            final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (journaledIds().size() <= before && served() == servedBefore && System.nanoTime() < until) {
                Thread.sleep(200);
            }
            Thread.sleep(random.nextInt(1_500));
            p.destroyForcibly();                         // SIGKILL: no shutdown hook, no flush
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            final List<String> ids = journaledIds();
            atKill.add(ids.size());
            assertEquals(ids.size(), new HashSet<>(ids).size(), "seed " + SEED + ": no id twice after kill " + (k + 1));
        }
        // the last run finishes the replay and is stopped cleanly
        final long servedBefore = served();
        final Process p = start(config);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        boolean served = false;
        while (!served && System.nanoTime() < deadline) {
            Thread.sleep(100);
            served = served() > servedBefore;
        }
        p.destroy();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        final List<String> ids = journaledIds();
        final Set<String> distinct = new HashSet<>(ids);
        System.out.printf("kill -9 x %d (seed %d): journaled at each kill %s; after the last run %d records, %d distinct%n",
            KILLS, SEED, atKill, ids.size(), distinct.size());
        assertTrue(served, "the last run replayed to the end\n" + Files.readString(tmp.resolve("stderr.log")));
        assertEquals(ids.size(), distinct.size(), "seed " + SEED + ": no match id journaled twice");
        assertEquals(54, distinct.size(), "seed " + SEED + ": every one of the demo's matches, none lost");
        for (int k = 1; k < atKill.size(); k++) {
            assertTrue(atKill.get(k) >= atKill.get(k - 1), "the journal only grows: " + atKill);
        }
    }

    /** How many runs so far reached the end of their replay (the line `sigmatch run` prints then). */
    private long served() throws Exception {
        final Path log = tmp.resolve("stderr.log");
        return Files.exists(log) ? Files.readString(log).split("serving until SIGTERM", -1).length - 1 : 0;
    }

    @Test
    @org.junit.jupiter.api.Disabled("hook for the lead: enable once subscriber trigger state is persisted (matcher/state)")
    void triggerStateSurvivesKillDashNine() {
        // Replay a capture whose stateful trigger (dwell, frequency cap) spans the kill point; after the
        // restart the trigger must fire once for its cause, as the uninterrupted replay does.
    }
}
