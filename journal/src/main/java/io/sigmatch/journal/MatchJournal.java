package io.sigmatch.journal;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.LongSupplier;

import net.openhft.chronicle.queue.impl.StoreFileListener;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The match journal on disk: one Chronicle Queue in a directory of its own (created 0700, files 0600),
 * rolled daily unless configured otherwise. Each writing thread takes its own {@link MatchAppender}
 * from {@link #newAppender}; readers open the directory with {@link MatchJournalReader}, in this
 * process or another, while appends go on.
 *
 * <p>A housekeeping thread ({@code sigmatch-journal-housekeeping}, {@link JournalHousekeeper}) applies
 * retention (by age and disk budget) and watches the disk: when it is full, read-only or past the
 * budget, {@link MatchAppender#append} refuses matches instead of writing them, counts them as
 * {@code journal.drop.<reason>}, and the journal's {@link #health()} carries the alarm; appends resume
 * by themselves when the trouble ends. Nothing journaled before is touched.
 *
 * <p>When pre-touching is on, a background thread ({@code sigmatch-journal-pretouch}) touches the
 * queue file ahead of the appenders' write position so they do not take first-write page faults.
 * {@link #close()} stops it and closes the queue; close every appender, on its own thread, first.
 */
public final class MatchJournal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MatchJournal.class);

    private final Path directory;
    private final JournalConfig config;
    private final SingleChronicleQueue queue;
    private final JournalPretoucher pretoucher;
    private final AgentRunner pretouchRunner;
    private final AgentRunner housekeepingRunner;

    /** Why appends are refused: the index of a reason in {@link #REASONS}, OK when they are not. */
    static final int OK = 0;
    static final int ERROR = 5;
    static final String[] REASONS = {null, "disk_full", "read_only", "unwritable", "budget", "error"};
    private static final long FAILURE_ALARM_MS = 10_000;

    private final Function<String, AtomicCounter> counters;
    private final AtomicCounter[] drops = new AtomicCounter[REASONS.length];
    private final CopyOnWriteArrayList<MatchAppender> appenders = new CopyOnWriteArrayList<>();
    private volatile int refusal;
    private volatile long headroom = Long.MAX_VALUE;
    private volatile JournalHealth health;
    private volatile LongSupplier retentionFloor = () -> Long.MAX_VALUE;
    private volatile long lastFailureMs = Long.MIN_VALUE / 2;
    private long lastFailureLoggedMs = Long.MIN_VALUE / 2;

    private MatchJournal(final Path directory, final JournalConfig config) throws IOException {
        this.directory = directory;
        this.config = config;
        this.counters = config.counters() != null ? config.counters() : ownCounters();
        for (int i = 1; i < REASONS.length; i++) {
            drops[i] = counters.apply("journal.drop." + REASONS[i]);
        }
        OwnerOnly.createDirectory(directory);
        queue = SingleChronicleQueueBuilder.binary(directory)
            .rollCycle(config.rollCycle())
            .blockSize(config.blockSizeBytes())
            .timeProvider(config.timeProvider())
            .storeFileListener(new RestrictNewFiles())
            .build();
        final JournalHousekeeper keeper;
        try {
            OwnerOnly.restrictFiles(directory);
            keeper = new JournalHousekeeper(this, queue, config, directory);
            // the first check before any append: a journal opened on a full or read-only disk refuses from the start
            keeper.run(config.timeProvider().currentTimeMillis());
        } catch (final IOException | RuntimeException e) {
            queue.close();
            throw e;
        }
        housekeepingRunner = new AgentRunner(new SleepingMillisIdleStrategy(config.watchIntervalMs()),
            t -> LOG.warn("journal housekeeping failed: {}", t.toString()), null, keeper);
        AgentRunner.startOnThread(housekeepingRunner);
        if (config.pretouchAheadBytes() > 0) {
            pretoucher = new JournalPretoucher(config.pretouchAheadBytes(), this);
            pretouchRunner = new AgentRunner(new SleepingMillisIdleStrategy(config.pretouchIntervalMs()),
                t -> LOG.warn("journal pre-touch failed: {}", t.toString()), null, pretoucher);
            AgentRunner.startOnThread(pretouchRunner);
        } else {
            pretoucher = null;
            pretouchRunner = null;
        }
    }

    /** Opens (creating when absent) the journal in dir with settings from system properties. */
    public static MatchJournal open(final Path dir) throws IOException {
        return open(dir, new JournalConfig());
    }

    public static MatchJournal open(final Path dir, final JournalConfig config) throws IOException {
        return new MatchJournal(dir, config.conclude());
    }

    /**
     * A new appender for the calling thread: Chronicle appenders are single-threaded, so each writing
     * thread takes its own and closes it itself. The clock measures capture-to-journal latency and
     * must be the one that stamped the publish time.
     */
    public MatchAppender newAppender(final NanoClock clock) {
        final MatchAppender appender = new MatchAppender(this, queue.createAppender(), clock, config.syncOnBatch());
        appenders.add(appender);
        appender.allow(headroom / appenders.size());
        if (pretoucher != null) {
            pretoucher.add(appender);
        }
        return appender;
    }

    void removed(final MatchAppender appender) {
        appenders.remove(appender);
        if (pretoucher != null) {
            pretoucher.remove(appender);
        }
    }

    public Path directory() {
        return directory;
    }

    public JournalConfig config() {
        return config;
    }

    /** Pages the pre-touch thread has touched so far (0 when off). */
    public long pagesPretouched() {
        return pretoucher == null ? 0 : pretoucher.pagesTouched();
    }

    /** Index of the last record in the journal, or -1 when empty. */
    public long lastIndex() {
        final long last = queue.lastIndex();
        return last < 0 ? -1 : last;
    }

    /** The disk as last checked (at most watchIntervalMs old). */
    public JournalHealth health() {
        return health;
    }

    void health(final JournalHealth h) {
        health = h;
    }

    /**
     * Where retention by age must stop: the lowest journal index a forwarder has acknowledged (-1 when one
     * has acknowledged nothing yet, Long.MAX_VALUE when nothing reads the journal). The appliance passes
     * the minimum of its forwarders' cursors; without it, nothing holds retention back.
     */
    public MatchJournal retentionFloor(final LongSupplier floor) {
        this.retentionFloor = floor;
        return this;
    }

    long retentionFloor() {
        try {
            return retentionFloor.getAsLong();
        } catch (final RuntimeException e) {
            return -1;   // unknown: keep everything age would delete
        }
    }

    /** Matches refused so far for reason (disk_full, read_only, unwritable, budget, error). */
    public long dropped(final String reason) {
        for (int i = 1; i < REASONS.length; i++) {
            if (REASONS[i].equals(reason)) {
                return drops[i].get();
            }
        }
        return counters.apply("journal.drop." + reason).get();
    }

    AtomicCounter counter(final String label) {
        return counters.apply(label);
    }

    /** True while appends are refused. */
    public boolean refusing() {
        return refusal != OK;
    }

    /**
     * From the housekeeper: why appends are refused (null: they are not) and the free space above the
     * reserve, shared among the appenders as their write allowance until the next check.
     */
    void grant(final String reason, final long room) {
        final int code = code(reason);
        if (code != OK) {
            refusal = code;
        }
        headroom = Math.max(0, room);
        final int n = appenders.size();
        for (final MatchAppender a : appenders) {
            a.allow(headroom / Math.max(1, n));
        }
        if (code == OK) {
            refusal = OK;
        }
    }

    int refusal() {
        return refusal;
    }

    void dropped(final int reason) {
        drops[reason == OK ? 1 : reason].increment();
    }

    /** An append threw (a write fault on the mapped file shows as an InternalError): count it, raise the alarm. */
    void failed(final Throwable t) {
        drops[ERROR].increment();
        final long now = config.timeProvider().currentTimeMillis();
        lastFailureMs = now;
        if (now - lastFailureLoggedMs >= 1000) {
            lastFailureLoggedMs = now;
            LOG.error("journal {}: an append failed, the match is counted as journal.drop.error: {}", directory, t.toString());
        }
    }

    boolean recentlyFailed(final long nowMs) {
        return nowMs - lastFailureMs < FAILURE_ALARM_MS;
    }

    /** Ready to write: not refusing, so the pre-touch thread may dirty pages ahead of the appenders. */
    boolean writable() {
        return refusal == OK;
    }

    private static int code(final String reason) {
        if (reason == null) {
            return OK;
        }
        for (int i = 1; i < REASONS.length; i++) {
            if (REASONS[i].equals(reason)) {
                return i;
            }
        }
        throw new IllegalArgumentException(reason);
    }

    private static Function<String, AtomicCounter> ownCounters() {
        final CountersManager m = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(32 * CountersManager.METADATA_LENGTH)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(32 * CountersManager.COUNTER_LENGTH)));
        final java.util.Map<String, AtomicCounter> byLabel = new java.util.concurrent.ConcurrentHashMap<>();
        return label -> byLabel.computeIfAbsent(label, m::newCounter);
    }

    @Override
    public void close() {
        housekeepingRunner.close();
        if (pretouchRunner != null) {
            pretouchRunner.close();
        }
        queue.close();
    }

    /**
     * New cycle files get 0600 when Chronicle reports them acquired. Chronicle reports that from a
     * background thread, a little later; the directory's 0700 covers the gap. A file already gone
     * (retention removed it) is not an error, and nothing is thrown into Chronicle's thread.
     */
    private static final class RestrictNewFiles implements StoreFileListener {
        @Override
        public void onAcquired(final int cycle, final File file) {
            try {
                OwnerOnly.restrict(file.toPath(), OwnerOnly.FILE);
            } catch (final java.nio.file.NoSuchFileException gone) {
                // removed meanwhile: nothing left to protect
            } catch (final IOException e) {
                LOG.warn("could not make journal file {} owner-only: {}", file.getName(), e.toString());
            }
        }

        @Override
        public void onReleased(final int cycle, final File file) {
        }
    }
}
