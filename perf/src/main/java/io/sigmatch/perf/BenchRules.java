package io.sigmatch.perf;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The rule snapshot the benchmarks and the replay harness use unless given one (DESIGN §13 format):
 * every GTPv2-C event kind the decoder yields is acted on, so each procedure of a replay costs a full
 * match and, with an IMSI, a journal append — latency is then measured on every event. Every rule
 * excludes an IMSI opt-out list (a lookup per event); a gold MSISDN list of {@link #GOLD_ENTRIES}
 * random numbers gates a second location rule with a RAT filter, the shape of a real campaign.
 */
public final class BenchRules {
    public static final int GOLD_ENTRIES = 1_000_000;
    /** Numbers of the gold list come from this block (86 138 xxxx xxxx); the first is always on it. */
    public static final long GOLD_BASE = 8613800000000L;
    public static final String OPTED_OUT_IMSI = "460001234567890";

    static final String SNAPSHOT = """
        {
          "version": "bench-1",
          "timezone": "UTC",
          "lists": {
            "gold":   { "kind": "msisdn", "file": "gold-msisdn.txt" },
            "optout": { "kind": "imsi",   "file": "optout-imsi.txt" }
          },
          "rules": [
            { "id": "gold-move", "trigger": { "type": "locationUpdate" }, "filter": { "rat": ["EUTRAN", "NR"] },
              "include": ["gold"], "exclude": ["optout"], "priority": 10, "payload": { "campaign": "C-GOLD" } },
            { "id": "move", "trigger": { "type": "locationUpdate" }, "exclude": ["optout"], "priority": 5,
              "payload": { "campaign": "C-MOVE" } },
            { "id": "data", "trigger": { "type": "dataSession" }, "exclude": ["optout"], "priority": 5,
              "payload": { "campaign": "C-DATA", "template": "welcome" } },
            { "id": "attach", "trigger": { "type": "powerOn" }, "exclude": ["optout"], "priority": 1 }
          ]
        }
        """;

    private BenchRules() {
    }

    /** Writes the snapshot and its lists into dir; returns the snapshot's path. */
    public static Path write(final Path dir) throws IOException {
        Files.createDirectories(dir);
        final SplittableRandom random = new SplittableRandom(7);
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("gold-msisdn.txt"))) {
            w.write("# bench gold list: random numbers of one operator block\n");
            w.write(Long.toString(GOLD_BASE));
            w.newLine();
            for (int i = 1; i < GOLD_ENTRIES; i++) {
                w.write(Long.toString(GOLD_BASE + random.nextLong(100_000_000L)));
                w.newLine();
            }
        }
        Files.writeString(dir.resolve("optout-imsi.txt"), OPTED_OUT_IMSI + "\n");
        final Path snapshot = dir.resolve("bench-rules.json");
        Files.writeString(snapshot, SNAPSHOT);
        return snapshot;
    }

    /** Deletes a directory tree (a benchmark's temporary journal and rules). */
    public static void deleteTree(final Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (final Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
