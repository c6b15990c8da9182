package io.sigmatch.journal;

import java.util.Locale;
import java.util.function.Function;

import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Settings of a {@link MatchJournal}, each a system property with a default (units in the names),
 * validated once by {@link #conclude()} when the journal opens.
 */
public final class JournalConfig {
    /**
     * Chronicle roll cycle name (FAST_DAILY, FAST_HOURLY, FIVE_MINUTELY, ...; TEST_SECONDLY for tests)
     * or {@code daily} / {@code hourly} / {@code weekly}. A cycle is one file and the unit retention deletes.
     */
    public static final String ROLL_CYCLE_PROP = "sigmatch.journal.rollCycle";
    public static final String ROLL_CYCLE_DEFAULT = "daily";

    /**
     * Chronicle maps the queue file in blocks of this size; a larger block means fewer remaps (each a
     * stall) at the price of address space. Pre-sizing, with pre-touching below.
     */
    public static final String BLOCK_SIZE_BYTES_PROP = "sigmatch.journal.blockSizeBytes";
    public static final long BLOCK_SIZE_BYTES_DEFAULT = 64L << 20;

    /**
     * How far ahead of the write position a background thread touches the queue file's pages, so the
     * appender does not take the page fault (a first write to a page of a growing file can stall for
     * milliseconds, DESIGN §9). 0 turns pre-touching off.
     */
    public static final String PRETOUCH_AHEAD_BYTES_PROP = "sigmatch.journal.pretouchAheadBytes";
    public static final long PRETOUCH_AHEAD_BYTES_DEFAULT = 16L << 20;

    public static final String PRETOUCH_INTERVAL_MS_PROP = "sigmatch.journal.pretouchIntervalMs";
    public static final long PRETOUCH_INTERVAL_MS_DEFAULT = 10;

    /**
     * Whether an appender msyncs at the end of each batch. A record is in the page cache the moment
     * it is committed, which survives a kill -9 of the appliance; syncing also survives a power loss
     * and costs milliseconds per batch.
     */
    public static final String SYNC_ON_BATCH_PROP = "sigmatch.journal.syncOnBatch";
    public static final boolean SYNC_ON_BATCH_DEFAULT = false;

    /**
     * Cycle files whose whole cycle ended longer ago than this are deleted, once every forwarder has
     * passed them (0 = kept whatever their age). The current cycle is never deleted.
     */
    public static final String RETENTION_MAX_AGE_MS_PROP = "sigmatch.journal.retention.maxAgeMs";
    public static final long RETENTION_MAX_AGE_MS_DEFAULT = 0;

    /**
     * Bytes of journal (its files' lengths) the journal may hold (0 = no budget). Past it the oldest cycle
     * files are deleted, even ones a forwarder has not passed (their unforwarded matches are counted as
     * {@code journal.drop.retention}); when the current cycle alone is past it, new matches are refused
     * and counted as {@code journal.drop.budget} until retention frees room.
     */
    public static final String DISK_BUDGET_BYTES_PROP = "sigmatch.journal.retention.diskBudgetBytes";
    public static final long DISK_BUDGET_BYTES_DEFAULT = 0;

    /**
     * Free space the journal's file system must keep: below it appends are refused (counted as
     * {@code journal.drop.disk_full}) before a write into the memory-mapped file could fault on a full
     * disk. Must exceed the pre-touch distance, which writes ahead of the appenders.
     */
    public static final String MIN_FREE_BYTES_PROP = "sigmatch.journal.minFreeBytes";
    public static final long MIN_FREE_BYTES_DEFAULT = 64L << 20;

    /** How often the journal's disk (free space, writability, budget) is checked. */
    public static final String WATCH_INTERVAL_MS_PROP = "sigmatch.journal.watchIntervalMs";
    public static final long WATCH_INTERVAL_MS_DEFAULT = 10;

    /** How often retention looks for cycle files to delete (at once when the budget is exceeded). */
    public static final String RETENTION_INTERVAL_MS_PROP = "sigmatch.journal.retention.intervalMs";
    public static final long RETENTION_INTERVAL_MS_DEFAULT = 1000;

    private static final int PAGE_SIZE = 4096;

    private String rollCycleName = System.getProperty(ROLL_CYCLE_PROP, ROLL_CYCLE_DEFAULT);
    private long blockSizeBytes = Long.getLong(BLOCK_SIZE_BYTES_PROP, BLOCK_SIZE_BYTES_DEFAULT);
    private long pretouchAheadBytes = Long.getLong(PRETOUCH_AHEAD_BYTES_PROP, PRETOUCH_AHEAD_BYTES_DEFAULT);
    private long pretouchIntervalMs = Long.getLong(PRETOUCH_INTERVAL_MS_PROP, PRETOUCH_INTERVAL_MS_DEFAULT);
    private boolean syncOnBatch = Boolean.parseBoolean(
        System.getProperty(SYNC_ON_BATCH_PROP, Boolean.toString(SYNC_ON_BATCH_DEFAULT)));
    private long retentionMaxAgeMs = Long.getLong(RETENTION_MAX_AGE_MS_PROP, RETENTION_MAX_AGE_MS_DEFAULT);
    private long diskBudgetBytes = Long.getLong(DISK_BUDGET_BYTES_PROP, DISK_BUDGET_BYTES_DEFAULT);
    private long minFreeBytes = Long.getLong(MIN_FREE_BYTES_PROP, MIN_FREE_BYTES_DEFAULT);
    private long watchIntervalMs = Long.getLong(WATCH_INTERVAL_MS_PROP, WATCH_INTERVAL_MS_DEFAULT);
    private long retentionIntervalMs = Long.getLong(RETENTION_INTERVAL_MS_PROP, RETENTION_INTERVAL_MS_DEFAULT);
    private Function<String, AtomicCounter> counters;
    private TimeProvider time = SystemTimeProvider.INSTANCE;
    private RollCycle rollCycle;

    public JournalConfig rollCycle(final String name) {
        rollCycleName = name;
        return this;
    }

    public String rollCycleName() {
        return rollCycleName;
    }

    /** The roll cycle named; valid after {@link #conclude()}. */
    public RollCycle rollCycle() {
        return rollCycle;
    }

    public JournalConfig blockSizeBytes(final long bytes) {
        blockSizeBytes = bytes;
        return this;
    }

    public long blockSizeBytes() {
        return blockSizeBytes;
    }

    public JournalConfig pretouchAheadBytes(final long bytes) {
        pretouchAheadBytes = bytes;
        return this;
    }

    public long pretouchAheadBytes() {
        return pretouchAheadBytes;
    }

    public JournalConfig pretouchIntervalMs(final long ms) {
        pretouchIntervalMs = ms;
        return this;
    }

    public long pretouchIntervalMs() {
        return pretouchIntervalMs;
    }

    public JournalConfig syncOnBatch(final boolean sync) {
        syncOnBatch = sync;
        return this;
    }

    public boolean syncOnBatch() {
        return syncOnBatch;
    }

    public JournalConfig retentionMaxAgeMs(final long ms) {
        retentionMaxAgeMs = ms;
        return this;
    }

    public long retentionMaxAgeMs() {
        return retentionMaxAgeMs;
    }

    public JournalConfig diskBudgetBytes(final long bytes) {
        diskBudgetBytes = bytes;
        return this;
    }

    public long diskBudgetBytes() {
        return diskBudgetBytes;
    }

    public JournalConfig minFreeBytes(final long bytes) {
        minFreeBytes = bytes;
        return this;
    }

    public long minFreeBytes() {
        return minFreeBytes;
    }

    public JournalConfig watchIntervalMs(final long ms) {
        watchIntervalMs = ms;
        return this;
    }

    public long watchIntervalMs() {
        return watchIntervalMs;
    }

    public JournalConfig retentionIntervalMs(final long ms) {
        retentionIntervalMs = ms;
        return this;
    }

    public long retentionIntervalMs() {
        return retentionIntervalMs;
    }

    /**
     * Where the journal's counters ({@code journal.drop.<reason>}, {@code journal.retention.*}) live: the
     * appliance passes its counter registry; without one the journal keeps its own.
     */
    public JournalConfig counters(final Function<String, AtomicCounter> factory) {
        counters = factory;
        return this;
    }

    public Function<String, AtomicCounter> counters() {
        return counters;
    }

    /** The wall clock cycles roll on and retention ages by; a settable one in tests. */
    public JournalConfig timeProvider(final TimeProvider provider) {
        time = provider;
        return this;
    }

    public TimeProvider timeProvider() {
        return time;
    }

    /** Validates every setting; throws IllegalArgumentException naming the property at fault. */
    public JournalConfig conclude() {
        rollCycle = parseRollCycle(rollCycleName);
        if (blockSizeBytes < 64 * 1024 || blockSizeBytes > (1L << 30) || blockSizeBytes % PAGE_SIZE != 0) {
            throw new IllegalArgumentException(BLOCK_SIZE_BYTES_PROP + " must be a multiple of 4096 in [64 KiB, 1 GiB]: "
                + blockSizeBytes);
        }
        if (pretouchAheadBytes < 0 || pretouchAheadBytes > (1L << 30)) {
            throw new IllegalArgumentException(PRETOUCH_AHEAD_BYTES_PROP + " must be in [0, 1 GiB]: " + pretouchAheadBytes);
        }
        if (pretouchIntervalMs < 1 || pretouchIntervalMs > 10_000) {
            throw new IllegalArgumentException(PRETOUCH_INTERVAL_MS_PROP + " must be in [1, 10000]: " + pretouchIntervalMs);
        }
        if (retentionMaxAgeMs < 0) {
            throw new IllegalArgumentException(RETENTION_MAX_AGE_MS_PROP + " must be 0 (no limit) or more: " + retentionMaxAgeMs);
        }
        if (diskBudgetBytes != 0 && diskBudgetBytes < 2 * blockSizeBytes) {
            throw new IllegalArgumentException(DISK_BUDGET_BYTES_PROP + " must be 0 (no budget) or at least two blocks ("
                + 2 * blockSizeBytes + " bytes: " + BLOCK_SIZE_BYTES_PROP + " is " + blockSizeBytes + "): " + diskBudgetBytes);
        }
        if (minFreeBytes < pretouchAheadBytes + (1 << 20)) {
            throw new IllegalArgumentException(MIN_FREE_BYTES_PROP + " must be at least the pre-touch distance ("
                + PRETOUCH_AHEAD_BYTES_PROP + " " + pretouchAheadBytes + ") plus 1 MiB: " + minFreeBytes);
        }
        if (watchIntervalMs < 1 || watchIntervalMs > 1000) {
            throw new IllegalArgumentException(WATCH_INTERVAL_MS_PROP + " must be in [1, 1000]: " + watchIntervalMs);
        }
        if (retentionIntervalMs < 1 || retentionIntervalMs > 3_600_000) {
            throw new IllegalArgumentException(RETENTION_INTERVAL_MS_PROP + " must be in [1, 3600000]: " + retentionIntervalMs);
        }
        return this;
    }

    /**
     * A byte count as written in a configuration: digits, optionally followed by a unit (B, KB, MB, GB,
     * TB in powers of 1000; KiB, MiB, GiB, TiB in powers of 1024), e.g. {@code 20GiB}, {@code 500 MB}.
     */
    public static long parseBytes(final String text) {
        final String t = text.trim();
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        if (i == 0 || i > 18) {
            throw new IllegalArgumentException("expected a byte count like 20GiB or 500MB, got \"" + text + "\"");
        }
        final long n = Long.parseLong(t.substring(0, i));
        final long unit;
        switch (t.substring(i).trim().toLowerCase(Locale.ROOT)) {
            case "", "b" -> unit = 1;
            case "kb" -> unit = 1000L;
            case "mb" -> unit = 1000_000L;
            case "gb" -> unit = 1000_000_000L;
            case "tb" -> unit = 1000_000_000_000L;
            case "kib" -> unit = 1L << 10;
            case "mib" -> unit = 1L << 20;
            case "gib" -> unit = 1L << 30;
            case "tib" -> unit = 1L << 40;
            default -> throw new IllegalArgumentException("unknown unit \"" + t.substring(i).trim()
                + "\" (known: B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)");
        }
        if (n > Long.MAX_VALUE / unit) {
            throw new IllegalArgumentException("too large: " + text);
        }
        return n * unit;
    }

    /** A duration as written in a configuration: digits and a unit, s, m, h or d ({@code 7d}, {@code 36h}). */
    public static long parseDurationMs(final String text) {
        final String t = text.trim();
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        if (i == 0 || i > 12 || i == t.length()) {
            throw new IllegalArgumentException("expected a duration like 7d, 36h, 90m or 30s, got \"" + text + "\"");
        }
        final long n = Long.parseLong(t.substring(0, i));
        return switch (t.substring(i).trim()) {
            case "s" -> n * 1000L;
            case "m" -> n * 60_000L;
            case "h" -> n * 3_600_000L;
            case "d" -> n * 86_400_000L;
            default -> throw new IllegalArgumentException("unknown unit \"" + t.substring(i).trim() + "\" (known: s, m, h, d)");
        };
    }

    /**
     * The roll cycle of the journal in dir, told by its cycle files' names (each roll cycle names its files
     * in its own format); FAST_DAILY when there are none. A reader opened with the journal's own cycle
     * spares Chronicle overriding (and warning about) the one it was given.
     */
    public static RollCycle rollCycleOf(final java.nio.file.Path dir) {
        final java.util.List<String> names = new java.util.ArrayList<>();
        try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cq4")).limit(4)
                .forEach(n -> names.add(n.substring(0, n.length() - 4)));
        } catch (final java.io.IOException | java.io.UncheckedIOException e) {
            return RollCycles.FAST_DAILY;
        }
        if (names.isEmpty()) {
            return RollCycles.FAST_DAILY;
        }
        final java.util.List<RollCycle> known = new java.util.ArrayList<>(java.util.List.of(RollCycles.FAST_DAILY,
            RollCycles.FAST_HOURLY));
        known.addAll(java.util.List.of(RollCycles.values()));
        known.addAll(java.util.List.of(TestRollCycles.values()));
        for (final RollCycle c : known) {
            final java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern(c.format())
                .withZone(java.time.ZoneOffset.UTC);
            boolean all = true;
            for (final String n : names) {
                try {
                    all &= f.format(f.parse(n)).equals(n) && n.length() == f.format(java.time.Instant.EPOCH).length();
                } catch (final RuntimeException e) {
                    all = false;
                }
            }
            if (all) {
                return c;
            }
        }
        return RollCycles.FAST_DAILY;
    }

    private static RollCycle parseRollCycle(final String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(ROLL_CYCLE_PROP + " is empty");
        }
        switch (name) {
            case "daily":
                return RollCycles.FAST_DAILY;
            case "hourly":
                return RollCycles.FAST_HOURLY;
            case "weekly":
                return RollCycles.WEEKLY;
            default:
                for (final RollCycles c : RollCycles.values()) {
                    if (c.name().equals(name)) {
                        return c;
                    }
                }
                // seconds-long cycles, for tests of rolling and retention
                for (final TestRollCycles c : TestRollCycles.values()) {
                    if (c.name().equals(name)) {
                        return c;
                    }
                }
                throw new IllegalArgumentException(ROLL_CYCLE_PROP + ": unknown roll cycle " + name);
        }
    }
}
