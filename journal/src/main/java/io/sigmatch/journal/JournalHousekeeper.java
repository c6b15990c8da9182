package io.sigmatch.journal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.status.AtomicCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's housekeeping, on its own thread ({@code sigmatch-journal-housekeeping}), never on an
 * appender's: it watches the disk and applies retention.
 *
 * <p><b>Watch</b> (every {@code watchIntervalMs}): the file system's usable space and read-only flag, a
 * probe file created and deleted once a second (and on every check while in alarm), and the journal's
 * bytes against its budget. From them it sets the journal's refusal reason and grants each appender a
 * write allowance: the free space above {@code minFreeBytes}, shared among the appenders. An appender
 * never writes past its allowance, however long until the next check, so a write into the mapped file
 * cannot reach a full disk (which would fault the process, not fail a call). When the trouble ends the
 * refusal is lifted at the next check and appends resume; nothing journaled before is touched.
 *
 * <p><b>Retention</b> (every {@code retention.intervalMs}, at once when over budget): cycle files are
 * deleted oldest first, never the newest one nor the one of the current time. By age: a cycle that ended
 * more than {@code maxAgeMs} ago, once every forwarder has passed it (the floor the journal is given is
 * the lowest forwarder cursor). By budget: while the journal's files are longer than the budget, the
 * oldest cycle goes whether or not a forwarder has passed it; the matches in it after the floor are
 * counted as {@code journal.drop.retention}.
 */
final class JournalHousekeeper implements Agent {
    private static final Logger LOG = LoggerFactory.getLogger(JournalHousekeeper.class);
    static final String PROBE_FILE = ".sigmatch-probe";
    private static final long PROBE_INTERVAL_MS = 1000;

    private final MatchJournal journal;
    private final SingleChronicleQueue queue;
    private final JournalConfig config;
    private final Path dir;
    private final RollCycle rollCycle;
    private static final String SUFFIX = ".cq4";
    private final DateTimeFormatter cycleParser;
    private final AtomicCounter deletedFiles;
    private final AtomicCounter deletedBytes;
    private final AtomicCounter droppedByRetention;

    // on the monotonic clock, ms
    private long nextWatchMs = Long.MIN_VALUE / 2;
    private long nextRetentionMs = Long.MIN_VALUE / 2;
    private long nextProbeMs = Long.MIN_VALUE / 2;
    private boolean probeFailed;
    private String probeReason;
    private boolean heldByForwarder;
    private int cycles;
    private long oldestCycleStartMs = -1;
    private String alarm;
    private long alarmSinceMs = -1;
    private FileStore store;

    JournalHousekeeper(final MatchJournal journal, final SingleChronicleQueue queue, final JournalConfig config,
        final Path dir) {
        this.journal = journal;
        this.queue = queue;
        this.config = config;
        this.dir = dir;
        this.rollCycle = config.rollCycle();
        this.cycleParser = new DateTimeFormatterBuilder().appendPattern(rollCycle.format())
            .parseDefaulting(ChronoField.HOUR_OF_DAY, 0).parseDefaulting(ChronoField.MINUTE_OF_HOUR, 0)
            .parseDefaulting(ChronoField.SECOND_OF_MINUTE, 0).toFormatter().withZone(ZoneOffset.UTC);
        deletedFiles = journal.counter("journal.retention.files");
        deletedBytes = journal.counter("journal.retention.bytes");
        droppedByRetention = journal.counter("journal.drop.retention");
    }

    @Override
    public String roleName() {
        return "sigmatch-journal-housekeeping";
    }

    @Override
    public int doWork() {
        return run(config.timeProvider().currentTimeMillis());
    }

    /**
     * One duty cycle: the watch when due, retention when due or over budget. Checks are scheduled on the
     * monotonic clock; nowMs (the journal's wall clock) only ages cycles, so a clock step skips no check.
     */
    int run(final long nowMs) {
        final long tick = System.nanoTime() / 1_000_000;
        int work = 0;
        if (tick - nextRetentionMs >= 0) {
            retain(nowMs);
            nextRetentionMs = tick + config.retentionIntervalMs();
            work++;
        }
        if (tick - nextWatchMs >= 0) {
            long bytes = journalBytes();
            if (config.diskBudgetBytes() > 0 && bytes > config.diskBudgetBytes()) {
                retain(nowMs);
                bytes = journalBytes();
            }
            watch(nowMs, tick, bytes);
            nextWatchMs = tick + config.watchIntervalMs();
            work++;
        }
        return work;
    }

    private void watch(final long nowMs, final long tick, final long bytes) {
        long usable;
        boolean readOnly;
        try {
            if (store == null) {
                store = Files.getFileStore(dir);
            }
            usable = store.getUsableSpace();
            readOnly = store.isReadOnly();
        } catch (final IOException e) {
            store = null;
            usable = 0;
            readOnly = false;
            probeFailed = true;
            probeReason = "unwritable";
        }
        if (tick - nextProbeMs >= 0 || alarm != null) {
            probe();
            nextProbeMs = tick + PROBE_INTERVAL_MS;
        }
        final long budget = config.diskBudgetBytes();
        final String reason = readOnly ? "read_only" : probeFailed ? probeReason
            : usable < config.minFreeBytes() ? "disk_full" : budget > 0 && bytes > budget ? "budget" : null;
        final long headroom = reason == null ? usable - config.minFreeBytes() : 0;
        journal.grant(reason, headroom);
        final String shown = reason != null ? reason : journal.recentlyFailed(nowMs) ? "append_failed" : null;
        if (shown == null ? alarm != null : !shown.equals(alarm)) {
            if (shown != null) {
                LOG.error("journal {}: refusing matches ({}): {} bytes free (keeping {}), {} bytes of journal (budget {})",
                    dir, shown, usable, config.minFreeBytes(), bytes, budget == 0 ? "none" : budget);
                alarmSinceMs = nowMs;
            } else {
                LOG.info("journal {}: writable again ({} bytes free); journaling resumes after {} ms of {}", dir, usable,
                    nowMs - alarmSinceMs, alarm);
                alarmSinceMs = -1;
            }
            alarm = shown;
        }
        journal.health(new JournalHealth(bytes, budget, usable, config.minFreeBytes(), cycles, oldestCycleStartMs,
            config.retentionMaxAgeMs(), heldByForwarder, alarm, alarmSinceMs, config.rollCycleName()));
    }

    /** Creates and deletes a probe file: the one sure sign the directory takes new files (a new cycle needs it). */
    private void probe() {
        final Path p = dir.resolve(PROBE_FILE);
        try {
            Files.deleteIfExists(p);
            Files.createFile(p);
            Files.delete(p);
            probeFailed = false;
            probeReason = null;
        } catch (final AccessDeniedException e) {
            probeFailed = true;
            probeReason = "unwritable";
        } catch (final FileSystemException e) {
            probeFailed = true;
            final String why = e.getReason() == null ? "" : e.getReason();
            probeReason = why.contains("Read-only") ? "read_only" : why.contains("No space") ? "disk_full" : "unwritable";
        } catch (final IOException e) {
            probeFailed = true;
            probeReason = "unwritable";
        }
    }

    /** Bytes of every file in the journal directory: cycle files, the metadata file. */
    long journalBytes() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.mapToLong(p -> {
                try {
                    return Files.isRegularFile(p) ? Files.size(p) : 0;
                } catch (final IOException e) {
                    return 0;   // deleted meanwhile
                }
            }).sum();
        } catch (final IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    private record Cycle(int cycle, Path file, long bytes) {
    }

    /**
     * The cycle files in the directory, oldest first, told by their names (Chronicle's own listing may
     * lag a roll, and then the newest file would look deletable).
     */
    private List<Cycle> cycleFiles() {
        final List<Cycle> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> {
                final String n = p.getFileName().toString();
                if (!n.endsWith(SUFFIX)) {
                    return;
                }
                try {
                    final long ms = Instant.from(cycleParser.parse(n.substring(0, n.length() - SUFFIX.length()))).toEpochMilli();
                    out.add(new Cycle((int) Math.floorDiv(ms - queue.epoch(), (long) rollCycle.lengthInMillis()), p,
                        Files.size(p)));
                } catch (final java.time.DateTimeException | IOException e) {
                    // not a cycle file of this journal's roll cycle, or deleted meanwhile: not ours to delete
                }
            });
        } catch (final IOException | java.io.UncheckedIOException e) {
            LOG.warn("journal {}: cannot list cycle files: {}", dir, e.toString());
        }
        out.sort(java.util.Comparator.comparingInt(Cycle::cycle));
        return out;
    }

    private long cycleStartMs(final int cycle) {
        return (long) cycle * rollCycle.lengthInMillis() + queue.epoch();
    }

    /** Deletes what retention says may go; see the class comment. */
    void retain(final long nowMs) {
        final List<Cycle> files = cycleFiles();
        final long budget = config.diskBudgetBytes();
        final long maxAge = config.retentionMaxAgeMs();
        long total = budget > 0 ? journalBytes() : 0;
        final long floor = journal.retentionFloor();
        final int current = queue.cycle();
        boolean held = false;
        boolean deleted = false;
        int kept = files.size();
        for (int i = 0; i < files.size() - 1; i++) {
            final Cycle c = files.get(i);
            if (c.cycle() >= current) {
                break;
            }
            final boolean passed = floor == Long.MAX_VALUE || floor >= 0 && c.cycle() < rollCycle.toCycle(floor);
            final boolean overBudget = budget > 0 && total > budget;
            final boolean expired = maxAge > 0 && cycleStartMs(c.cycle() + 1) <= nowMs - maxAge;
            if (!overBudget && !(expired && passed)) {
                held = expired;
                break;
            }
            final long skipped = passed ? 0 : unforwarded(c.cycle(), floor);
            try {
                Files.deleteIfExists(c.file());
            } catch (final IOException e) {
                LOG.warn("journal {}: cannot delete {}: {}", dir, c.file().getFileName(), e.toString());
                break;
            }
            deleted = true;
            kept--;
            total -= c.bytes();
            deletedFiles.increment();
            deletedBytes.getAndAdd(c.bytes());
            if (skipped > 0) {
                droppedByRetention.getAndAdd(skipped);
                LOG.warn("journal {}: disk budget {} bytes forced deleting {} with {} matches no forwarder had yet", dir,
                    budget, c.file().getFileName(), skipped);
            } else {
                LOG.info("journal {}: deleted {} ({} bytes, {})", dir, c.file().getFileName(), c.bytes(),
                    overBudget ? "over the disk budget" : "older than the retention age");
            }
        }
        if (deleted) {
            queue.refreshDirectoryListing();
        }
        heldByForwarder = held;
        cycles = kept;
        final int oldest = files.size() - kept;
        oldestCycleStartMs = kept == 0 ? -1 : cycleStartMs(files.get(oldest).cycle());
    }

    /** Matches of cycle after the floor (the lowest acknowledged index; -1 for none). */
    private long unforwarded(final int cycle, final long floor) {
        final long inCycle;
        try (ExcerptTailer t = queue.createTailer()) {
            inCycle = t.excerptsInCycle(cycle);
        } catch (final RuntimeException e) {
            return 0;
        }
        if (floor < 0 || rollCycle.toCycle(floor) < cycle) {
            return Math.max(0, inCycle);
        }
        return Math.max(0, inCycle - (rollCycle.toSequenceNumber(floor) + 1));
    }

    @Override
    public void onClose() {
        try {
            Files.deleteIfExists(dir.resolve(PROBE_FILE));
        } catch (final NoSuchFileException | java.nio.file.ClosedFileSystemException e) {
            // nothing to clean
        } catch (final IOException e) {
            // a probe file left behind is harmless
        }
    }
}
