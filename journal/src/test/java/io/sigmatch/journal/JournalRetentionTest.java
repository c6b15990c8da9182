package io.sigmatch.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import net.openhft.chronicle.core.time.SetTimeProvider;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention on a real Chronicle Queue on disk: daily cycles on a settable clock (days pass in
 * milliseconds), and one run on the wall clock with one-second cycles.
 */
@ExtendWith(ChronicleChecks.class)
class JournalRetentionTest {
    private static final long DAY_MS = TimeUnit.DAYS.toMillis(1);
    private static final long START_MS = 1_796_083_200_000L;   // 2026-12-01T00:00Z, the start of a day

    @TempDir
    Path tmp;

    static JournalConfig config(final SetTimeProvider clock) {
        return new JournalConfig().blockSizeBytes(64 * 1024).pretouchAheadBytes(0).timeProvider(clock)
            .retentionIntervalMs(5).watchIntervalMs(5).minFreeBytes(1 << 20);
    }

    static List<String> cycleFiles(final Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cq4")).sorted().toList();
        }
    }

    static void await(final BooleanSupplier done, final String what) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(2);
        }
    }

    /** Appends perDay records on each of days days (the clock advanced a day between), returns the indices by day. */
    static List<List<Long>> appendDays(final MatchAppender appender, final SetTimeProvider clock, final int days,
        final int perDay) {
        return appendDays(appender, clock, days, perDay, new java.util.concurrent.CopyOnWriteArrayList<>());
    }

    static List<List<Long>> appendDays(final MatchAppender appender, final SetTimeProvider clock, final int days,
        final int perDay, final List<List<Long>> byDay) {
        int i = 0;
        for (int d = 0; d < days; d++) {
            final List<Long> day = new java.util.concurrent.CopyOnWriteArrayList<>();
            byDay.add(day);
            for (int k = 0; k < perDay; k++) {
                final long index = appender.append(MatchJournalTest.record(i++), System.nanoTime());
                assertTrue(index >= 0, "append refused on day " + d);
                day.add(index);
            }
            if (d < days - 1) {
                clock.advanceMillis(DAY_MS);
            }
        }
        return byDay;
    }

    static long dirBytes(final Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.mapToLong(p -> p.toFile().length()).sum();
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static long readAll(final Path dir) throws IOException {
        long n = 0;
        try (MatchJournalReader reader = MatchJournalReader.open(dir)) {
            final MatchRecord r = new MatchRecord();
            while (reader.next(r)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void dailyCyclesOlderThanTheMaximumAgeAreDeletedAndTheCurrentOneKept() throws Exception {
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(START_MS + 3_600_000));
        final Path dir = tmp.resolve("journal");
        try (MatchJournal journal = MatchJournal.open(dir, config(clock).retentionMaxAgeMs(2 * DAY_MS));
             MatchAppender appender = journal.newAppender(SystemNanoClock.INSTANCE)) {
            appendDays(appender, clock, 5, 10);
            // now: day 4, 01:00. Days 0 and 1 ended at least two days ago; day 2 ended 25 hours ago.
            await(() -> journal.health().cycles() == 3, "two cycles deleted, " + journal.health());
            assertEquals(List.of("20261203F.cq4", "20261204F.cq4", "20261205F.cq4"), cycleFiles(dir));
            assertEquals(30, readAll(dir));
            assertEquals(2, journal.counter("journal.retention.files").get());
            assertEquals(START_MS + 2 * DAY_MS, journal.health().oldestCycleStartMs());
            assertFalse(journal.health().heldByForwarder());
            // a week later nothing is old enough to... everything but the current cycle goes
            clock.advanceMillis(7 * DAY_MS);
            await(() -> journal.health().cycles() == 1, "all but the newest deleted, " + journal.health());
            assertEquals(List.of("20261205F.cq4"), cycleFiles(dir));
            assertEquals(10, readAll(dir));
            // appending goes on in a new cycle
            assertTrue(appender.append(MatchJournalTest.record(99), System.nanoTime()) >= 0);
            assertEquals(0, journal.dropped("retention"));
        }
    }

    @Test
    void ageRetentionWaitsForEveryForwarderToPassACycle() throws Exception {
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(START_MS));
        final Path dir = tmp.resolve("journal");
        final AtomicLong floor = new AtomicLong(-1);
        try (MatchJournal journal = MatchJournal.open(dir, config(clock).retentionMaxAgeMs(DAY_MS))
                .retentionFloor(floor::get);
             MatchAppender appender = journal.newAppender(SystemNanoClock.INSTANCE)) {
            final List<List<Long>> days = appendDays(appender, clock, 4, 5);
            // days 0..2 are past the age, but a forwarder has acknowledged nothing: all kept, and said so
            await(() -> journal.health().heldByForwarder(), "retention held, " + journal.health());
            assertEquals(4, cycleFiles(dir).size());
            // the forwarder acknowledged the last record of day 0 and some of day 1: day 0 is passed
            floor.set(days.get(1).get(2));
            await(() -> journal.health().cycles() == 3, "day 0 deleted, " + journal.health());
            assertTrue(journal.health().heldByForwarder());
            assertFalse(cycleFiles(dir).contains("20261201F.cq4"));
            // the forwarder caught up: day 1 goes; day 2 ended only now, less than a day ago
            floor.set(days.get(3).get(4));
            await(() -> journal.health().cycles() == 2 && !journal.health().heldByForwarder(), "day 1 deleted");
            assertEquals(List.of("20261203F.cq4", "20261204F.cq4"), cycleFiles(dir));
            assertEquals(0, journal.dropped("retention"));
        }
    }

    @Test
    void theDiskBudgetDeletesEvenUnforwardedCyclesAndCountsTheirMatchesAsDropped() throws Exception {
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(START_MS));
        final Path dir = tmp.resolve("journal");
        // measure one day's cycle file first, then give a budget of about three of them
        final long dayBytes;
        final Path probe = tmp.resolve("probe");
        try (MatchJournal journal = MatchJournal.open(probe, config(clock));
             MatchAppender appender = journal.newAppender(SystemNanoClock.INSTANCE)) {
            appendDays(appender, clock, 1, 20);
            dayBytes = Files.size(probe.resolve(cycleFiles(probe).get(0)));
        }
        final long budget = Math.max(3 * dayBytes + dayBytes / 2 + (64 << 10), 2 * 64 * 1024);
        final List<List<Long>> days = new java.util.concurrent.CopyOnWriteArrayList<>();
        // the forwarder has the first 5 records of day 0 acknowledged, and no more
        final java.util.function.LongSupplier floor = () -> days.isEmpty() || days.get(0).size() < 5 ? -1 : days.get(0).get(4);
        try (MatchJournal journal = MatchJournal.open(dir, config(clock).diskBudgetBytes(budget)).retentionFloor(floor);
             MatchAppender appender = journal.newAppender(SystemNanoClock.INSTANCE)) {
            appendDays(appender, clock, 6, 20, days);
            await(() -> dirBytes(dir) <= budget, "back under the budget of " + budget);
            final List<String> kept = cycleFiles(dir);
            assertTrue(kept.contains("20261206F.cq4"), "the current cycle is never deleted: " + kept);
            final int deletedDays = 6 - kept.size();
            assertTrue(deletedDays >= 3, kept.toString());
            // day 0 lost 15 unacknowledged matches, each later day deleted all 20 of its
            assertEquals(15 + 20L * (deletedDays - 1), journal.dropped("retention"));
            assertEquals(20L * kept.size(), readAll(dir));
            assertEquals(deletedDays, journal.counter("journal.retention.files").get());
        }
    }

    @Test
    void oneSecondCyclesOnTheWallClockRollAndAgeOut() throws Exception {
        final Path dir = tmp.resolve("journal");
        try (MatchJournal journal = MatchJournal.open(dir, new JournalConfig().rollCycle("TEST_SECONDLY")
                .blockSizeBytes(64 * 1024).pretouchAheadBytes(0).minFreeBytes(1 << 20).retentionIntervalMs(20)
                .retentionMaxAgeMs(1000));
             MatchAppender appender = journal.newAppender(SystemNanoClock.INSTANCE)) {
            final long end = System.currentTimeMillis() + 3_300;
            int i = 0;
            int maxFiles = 0;
            while (System.currentTimeMillis() < end) {
                assertTrue(appender.append(MatchJournalTest.record(i++), System.nanoTime()) >= 0);
                maxFiles = Math.max(maxFiles, cycleFiles(dir).size());
                Thread.sleep(20);
            }
            // a cycle goes once it ended more than a second ago: at most the current, the last and one in deletion
            assertTrue(maxFiles <= 3, "cycle files at once: " + maxFiles);
            assertTrue(journal.counter("journal.retention.files").get() >= 1, "nothing aged out");
            final long kept = readAll(dir);
            assertTrue(kept > 0 && kept < i, kept + " of " + i);
        }
    }
}
