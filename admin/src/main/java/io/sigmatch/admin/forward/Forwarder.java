package io.sigmatch.admin.forward;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.sigmatch.decoder.Counters;
import io.sigmatch.journal.ForwarderCursor;
import io.sigmatch.journal.JournalFormatException;
import io.sigmatch.journal.MatchJournalReader;
import io.sigmatch.journal.MatchRecord;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.status.AtomicCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One forwarder: reads the match journal from its own persisted {@link ForwarderCursor}, gathers
 * records into a {@link Batch} (until it is full or the oldest record has lingered {@code lingerMs}),
 * hands it to its {@link Downstream}, and only once the downstream has acknowledged it commits the
 * batch's last index to the cursor. Delivery is therefore at-least-once (DESIGN §7): a crash after the
 * acknowledgement and before the commit re-sends that one batch on restart, never skips a record; the
 * match id in every record lets the downstream drop the duplicate.
 *
 * <p>A batch that fails is retried, whole, forever, after an exponential backoff with jitter
 * ({@code backoffInitialMs} doubling to {@code backoffMaxMs}; each delay drawn uniformly from its upper
 * half, so retries of many appliances spread out but never come sooner than half the step). A record
 * is never dropped: while the downstream is down the journal absorbs the matches on disk, the capture
 * path never waits (this agent runs on its own thread and only reads the journal), and the lag — records
 * and capture-time seconds between the last acknowledged record and the journal's head — grows where
 * the metrics show it.
 *
 * <p>An Agrona {@link Agent}: {@link #doWork()} is called by its runner on the
 * {@code sigmatch-forward-<name>} thread, or directly by tests with a stub clock. Counters (in the
 * shared {@link Counters}): {@code forward.<name>.records} and {@code .batches} acknowledged,
 * {@code .retries}, {@code .error.<reason>}, and per rule {@code rule.<id>.forwarded} /
 * {@code rule.<id>.acknowledged}.
 */
public final class Forwarder implements Agent {
    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);
    private static final long LAG_REFRESH_NS = TimeUnit.MILLISECONDS.toNanos(200);

    private final ForwarderConfig config;
    private final Path journalDir;
    private final Downstream downstream;
    private final NanoClock clock;
    private final Counters counters;
    private final RuleCounters rules;
    private final Batch batch;
    private final MatchRecord record = new MatchRecord();
    private final MatchRecord head = new MatchRecord();
    private final long lingerNs;
    private final SplittableRandom jitter;
    private final AtomicCounter acknowledgedRecords;
    private final AtomicCounter batches;
    private final AtomicCounter retries;

    private MatchJournalReader reader;
    private MatchJournalReader headReader;
    private final ForwarderCursor cursor;
    private long retryAtNanos;
    private boolean acknowledgedNotCommitted;
    private boolean stuckOnRecord;
    private long nextLagRefresh;
    private long ackedTimeNs = Long.MIN_VALUE;
    private volatile long lagRecords;
    private volatile double lagSeconds;
    private volatile long cursorIndex = ForwarderCursor.NONE;

    /** Opens the cursor now, so that a cursor file that does not parse stops the appliance from starting. */
    Forwarder(final ForwarderConfig config, final Path journalDir, final Downstream downstream, final Counters counters,
        final NanoClock clock) throws IOException {
        this.config = config;
        this.journalDir = journalDir;
        this.downstream = downstream;
        this.counters = counters;
        this.clock = clock;
        this.rules = new RuleCounters(counters);
        this.batch = new Batch(config.batchSize(), config.applianceId());
        this.lingerNs = TimeUnit.MILLISECONDS.toNanos(config.lingerMs());
        this.jitter = new SplittableRandom(config.name().hashCode() ^ System.nanoTime());
        final String p = "forward." + config.name() + ".";
        acknowledgedRecords = counters.counter(p + "records");
        batches = counters.counter(p + "batches");
        retries = counters.counter(p + "retries");
        cursor = ForwarderCursor.open(config.cursorFile());
        cursorIndex = cursor.index();
    }

    @Override
    public String roleName() {
        return "sigmatch-forward-" + config.name();
    }

    public String name() {
        return config.name();
    }

    public ForwarderConfig config() {
        return config;
    }

    /** Opens the reader and the cursor on the agent's own thread (a Chronicle tailer belongs to one thread). */
    @Override
    public void onStart() {
        try {
            open();
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    void open() throws IOException {
        reader = MatchJournalReader.open(journalDir);
        headReader = MatchJournalReader.open(journalDir);
        final long at = cursor.index();
        cursorIndex = at;
        if (at != ForwarderCursor.NONE) {
            try {
                if (reader.moveToIndex(at) && reader.next(record) && reader.index() == at) {
                    ackedTimeNs = record.timeNs();
                } else {
                    // Retention removed the acknowledged record (and maybe more): resend from the oldest kept
                    // rather than skip anything; the downstream deduplicates by match id.
                    LOG.warn("forwarder {}: cursor {} is no longer in the journal; forwarding from its first record",
                        config.name(), at);
                    counters.counter("forward." + config.name() + ".error.cursor_gone").increment();
                    reader.toStart();
                }
            } catch (final JournalFormatException e) {
                throw new IOException("forwarder " + config.name() + ": " + e.getMessage(), e);
            }
        }
        refreshLag();
        LOG.info("forwarder {} ({}) starts after journal index {}", config.name(), config.kind(), at);
    }

    @Override
    public int doWork() throws InterruptedException {
        final long now = clock.nanoTime();
        if (now - nextLagRefresh >= 0) {
            refreshLag();
            nextLagRefresh = now + LAG_REFRESH_NS;
        }
        if (now - retryAtNanos < 0) {
            return 0;
        }
        if (acknowledgedNotCommitted) {
            return commit(now) ? 1 : 0;
        }
        int work = fill(now);
        if (batch.isEmpty() || (!batch.full() && now - batch.openedNanos() < lingerNs && !batch.sent())) {
            return work;
        }
        send(now);
        return work + 1;
    }

    private int fill(final long now) {
        if (batch.sent() || stuckOnRecord && now - retryAtNanos < 0) {
            return 0;
        }
        int read = 0;
        try {
            while (!batch.full() && reader.next(record)) {
                batch.add(record, reader.index(), rules.of(record), now);
                read++;
            }
            stuckOnRecord = false;
        } catch (final JournalFormatException e) {
            // a record this build cannot read is not skipped: forwarding stops here, visibly, until fixed
            if (!stuckOnRecord) {
                LOG.error("forwarder {}: {}; forwarding stops at this record", config.name(), e.getMessage());
                counters.counter("forward." + config.name() + ".error.journal_format").increment();
            }
            stuckOnRecord = true;
            retryAtNanos = now + TimeUnit.MILLISECONDS.toNanos(config.backoffMaxMs());
        }
        return read;
    }

    private void send(final long now) throws InterruptedException {
        if (!batch.sent()) {
            batch.markSent();
            for (int i = 0; i < batch.size(); i++) {
                batch.rule(i).forwarded.increment();
            }
        }
        batch.attempted();
        try {
            downstream.deliver(batch);
        } catch (final DeliveryException e) {
            counters.counter("forward." + config.name() + ".error." + e.reason()).increment();
            retries.increment();
            final long delay = backoffNanos(batch.attempts());
            retryAtNanos = clock.nanoTime() + delay;
            if (batch.attempts() == 1 || Long.bitCount(batch.attempts()) == 1) {
                // first failure and then at attempts 2, 4, 8, ...: a down downstream does not flood the log
                LOG.warn("forwarder {}: batch of {} not acknowledged ({}), attempt {}, next in {} ms", config.name(),
                    batch.size(), e.getMessage(), batch.attempts(), TimeUnit.NANOSECONDS.toMillis(delay));
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.rule(i).acknowledged.increment();
        }
        acknowledgedRecords.getAndAdd(batch.size());
        batches.increment();
        if (batch.attempts() > 1) {
            LOG.info("forwarder {}: delivered after {} attempts", config.name(), batch.attempts());
        }
        acknowledgedNotCommitted = true;
        commit(now);
    }

    /** Commits the acknowledged batch's last index; a cursor that cannot be written is retried, not resent. */
    private boolean commit(final long now) {
        try {
            cursor.commit(batch.lastIndex());
        } catch (final IOException e) {
            counters.counter("forward." + config.name() + ".error.cursor_write").increment();
            LOG.error("forwarder {}: cannot write cursor {}: {}", config.name(), cursor.file(), e.toString());
            retryAtNanos = now + TimeUnit.MILLISECONDS.toNanos(config.backoffInitialMs());
            return false;
        }
        cursorIndex = batch.lastIndex();
        ackedTimeNs = batch.lastTimeNs();
        acknowledgedNotCommitted = false;
        retryAtNanos = now;
        batch.clear();
        refreshLag();
        return true;
    }

    /** Exponential backoff with jitter: the n-th retry waits a uniform draw in [d/2, d], d = min(max, initial·2^(n-1)). */
    long backoffNanos(final int attempt) {
        final long initial = TimeUnit.MILLISECONDS.toNanos(config.backoffInitialMs());
        final long max = TimeUnit.MILLISECONDS.toNanos(config.backoffMaxMs());
        final int shift = Math.min(Math.max(attempt - 1, 0), 40);
        final long d = initial > (max >> shift) ? max : Math.min(max, initial << shift);
        return d / 2 + jitter.nextLong(d / 2 + 1);
    }

    private void refreshLag() {
        if (reader == null) {
            return;
        }
        final long acked = cursorIndex;
        final long behind = reader.countAfter(acked);
        lagRecords = behind;
        if (behind == 0) {
            lagSeconds = 0;
            return;
        }
        final long last = headReader.lastIndex();
        try {
            if (last >= 0 && headReader.moveToIndex(last) && headReader.next(head)) {
                final long newest = head.timeNs();
                final long from = ackedTimeNs != Long.MIN_VALUE ? ackedTimeNs : firstTimeNs();
                lagSeconds = from == Long.MIN_VALUE ? 0 : Math.max(0, newest - from) / 1e9;
            }
        } catch (final JournalFormatException e) {
            // the main reader reports it
        }
    }

    private long firstTimeNs() throws JournalFormatException {
        headReader.toStart();
        return headReader.next(head) ? head.timeNs() : Long.MIN_VALUE;
    }

    /** Records journaled after the last acknowledged one (the batch in flight included). */
    public long lagRecords() {
        return lagRecords;
    }

    /** Capture time between the last acknowledged record and the journal's newest, seconds. */
    public double lagSeconds() {
        return lagSeconds;
    }

    /** The journal index of the last acknowledged record, -1 before the first. */
    public long cursorIndex() {
        return cursorIndex;
    }

    @Override
    public void onClose() {
        if (reader != null) {
            reader.close();
        }
        if (headReader != null) {
            headReader.close();
        }
        downstream.close();
    }
}
