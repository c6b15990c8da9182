package io.sigmatch.tools;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.sigmatch.journal.MatchJournalReader;
import io.sigmatch.journal.MatchJson;
import io.sigmatch.journal.MatchRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sigmatch journal DIR [--from INDEX|TIME] [--rule R]... [--follow]}: the journaled matches as
 * JSON Lines (DESIGN §12), oldest first. The journal is opened read-only, so it may run beside the
 * appliance. {@code --follow} keeps printing matches as they are appended (across cycle rolls) until
 * SIGINT or SIGTERM: it reads once more, flushes, and the JVM exits with the signal's status (130 for SIGINT).
 */
@Command(name = "journal", mixinStandardHelpOptions = true,
    description = "Print the journaled matches as JSON Lines, one per match, oldest first.")
public final class JournalCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "journal directory")
    private Path dir;

    @Option(names = "--from", paramLabel = "INDEX|TIME", description = "start at this journal index (a forwarder "
        + "cursor's number, or the SSE tail's event id), or at the first match journaled with a capture time at or "
        + "after this ISO-8601 time (2026-12-07T10:00:00Z)")
    private String from;

    @Option(names = "--rule", paramLabel = "RULE", description = "only matches of this rule (repeatable)")
    private List<String> rules;

    @Option(names = {"-f", "--follow"}, description = "keep printing matches as they are journaled, until interrupted")
    private boolean follow;

    @Option(names = "--poll-ms", paramLabel = "MS", defaultValue = "50", description = "how often --follow looks for "
        + "new matches (default ${DEFAULT-VALUE})")
    private long pollMs;

    /** Where to start: a journal index, a capture time, or the beginning. */
    record Start(long index, long timeNs) {
        static final Start BEGINNING = new Start(-1, Long.MIN_VALUE);

        static Start parse(final String s) {
            if (s == null) {
                return BEGINNING;
            }
            final String t = s.strip();
            if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
                return new Start(Long.parseLong(t), Long.MIN_VALUE);
            }
            Instant at;
            try {
                at = Instant.parse(t);
            } catch (final DateTimeParseException e) {
                try {
                    at = OffsetDateTime.parse(t).toInstant();
                } catch (final DateTimeParseException e2) {
                    throw new IllegalArgumentException("--from: expected a journal index or an ISO-8601 time such as "
                        + "2026-12-07T10:00:00Z, got \"" + s + "\"");
                }
            }
            return new Start(-1, at.getEpochSecond() * 1_000_000_000L + at.getNano());
        }
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dir)) {
            throw new IOException("no journal at " + dir);
        }
        final Start start = Start.parse(from);
        final Set<String> only = rules == null ? null : Set.copyOf(rules);
        final Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
        if (!follow) {
            print(dir, out, start, only, () -> true, 0);
            out.flush();
            return 0;
        }
        // SIGINT / SIGTERM: the hook asks the loop to stop and waits until it has flushed its last lines
        final CountDownLatch done = new CountDownLatch(1);
        final boolean[] stop = {false};
        final Thread hook = new Thread(() -> {
            synchronized (stop) {
                stop[0] = true;
            }
            try {
                done.await(2, TimeUnit.SECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sigmatch-journal-follow-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            print(dir, out, start, only, () -> {
                synchronized (stop) {
                    return stop[0];
                }
            }, pollMs);
        } finally {
            out.flush();
            done.countDown();
        }
        return 0;
    }

    /** Every match from the beginning: what {@code sigmatch journal DIR} prints. */
    static long print(final Path dir, final Writer out) throws Exception {
        return print(dir, out, Start.BEGINNING, null, () -> true, 0);
    }

    /**
     * Prints the matches from start (of the rules in only, all when null) to out. At the end it returns
     * when stop said so before that pass, else flushes, waits pollMs and reads on: with () -> true it reads
     * to the end once. Returns the number of lines printed.
     */
    static long print(final Path dir, final Writer out, final Start start, final Set<String> only,
        final BooleanSupplier stop, final long pollMs) throws Exception {
        long n = 0;
        final StringBuilder line = new StringBuilder(512);
        final MatchRecord record = new MatchRecord();
        try (MatchJournalReader reader = MatchJournalReader.open(dir)) {
            if (start.index() >= 0 && !reader.moveToIndex(start.index())) {
                final long last = reader.lastIndex();
                throw new IOException("--from " + start.index() + ": no record at that index in " + dir
                    + (last < 0 ? " (the journal is empty)" : " (the last is " + last + ")"));
            }
            boolean timeReached = start.timeNs() == Long.MIN_VALUE;
            while (true) {
                // asked before the pass, so that the pass after a stop still reads what was appended before it
                final boolean last = stop.getAsBoolean();
                while (reader.next(record)) {
                    if (!timeReached) {
                        if (record.timeNs() < start.timeNs()) {
                            continue;
                        }
                        timeReached = true;
                    }
                    if (only != null && !only.contains(record.ruleId())) {
                        continue;
                    }
                    line.setLength(0);
                    MatchJson.appendTo(record, line).append('\n');
                    out.append(line);
                    n++;
                }
                if (last) {
                    return n;
                }
                out.flush();
                Thread.sleep(pollMs);
            }
        }
    }
}
