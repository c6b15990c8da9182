package io.sigmatch.journal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

import net.openhft.chronicle.queue.impl.StoreFileListener;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The match journal on disk: one Chronicle Queue in a directory of its own (created 0700, files 0600),
 * rolled daily unless configured otherwise. Each writing thread takes its own {@link MatchAppender}
 * from {@link #newAppender}; readers open the directory with {@link MatchJournalReader}, in this
 * process or another, while appends go on.
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

    private MatchJournal(final Path directory, final JournalConfig config) throws IOException {
        this.directory = directory;
        this.config = config;
        OwnerOnly.createDirectory(directory);
        queue = SingleChronicleQueueBuilder.binary(directory)
            .rollCycle(config.rollCycle())
            .blockSize(config.blockSizeBytes())
            .storeFileListener(new RestrictNewFiles())
            .build();
        try {
            OwnerOnly.restrictFiles(directory);
        } catch (final IOException | RuntimeException e) {
            queue.close();
            throw e;
        }
        if (config.pretouchAheadBytes() > 0) {
            pretoucher = new JournalPretoucher(config.pretouchAheadBytes());
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
        if (pretoucher != null) {
            pretoucher.add(appender);
        }
        return appender;
    }

    void removed(final MatchAppender appender) {
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

    @Override
    public void close() {
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
