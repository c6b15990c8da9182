package io.sigmatch.journal;

import java.io.File;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One writing thread's handle on the journal. {@link #append} encodes the record outside the queue's
 * write lock, then copies it into one Chronicle document: nothing allocates per record.
 *
 * <p>Create it on the thread that appends ({@link MatchJournal#newAppender}) and close it there.
 */
public final class MatchAppender implements AutoCloseable {
    private final ExcerptAppender appender;
    private final NanoClock clock;
    private final boolean syncOnBatch;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[MatchRecordLayout.MAX_LENGTH]);
    private final MatchJournal journal;

    private long appended;
    private long dropped;
    /**
     * Bytes this appender has written (records plus Chronicle's header), and the most it may have written
     * until the housekeeper's next check: the write allowance that keeps a mapped write off a full disk.
     */
    private final AtomicLong written = new AtomicLong();
    private volatile long writeLimit;
    /** Per record on top of its bytes: Chronicle's 4-byte header, alignment and index entries, generously. */
    static final int RECORD_OVERHEAD = 64;
    private int cycle = Integer.MIN_VALUE;
    /** Where the last record ended in the current cycle file; read by the pre-touch thread. */
    private final AtomicLong writePosition = new AtomicLong();
    private volatile File currentFile;

    MatchAppender(final MatchJournal journal, final ExcerptAppender appender, final NanoClock clock,
        final boolean syncOnBatch) {
        this.journal = journal;
        this.appender = appender;
        this.clock = clock;
        this.syncOnBatch = syncOnBatch;
    }

    /**
     * Appends record and returns its Chronicle index. The record's latency is set to the time from
     * startNanos (the publish into the pipeline, same clock) to the moment its bytes are copied into
     * the queue under the write lock — the last moment a record can know about itself.
     *
     * <p>Returns -1, having written nothing, when the journal refuses matches (disk full, read-only,
     * over budget: counted as {@code journal.drop.<reason>}); the caller goes on with the next match. An
     * append that fails (a closed journal; a write fault on the mapped file, which the JVM raises as an
     * InternalError) is counted as {@code journal.drop.error}, raises the journal's alarm, and is rethrown.
     */
    public long append(final MatchRecord record, final long startNanos) {
        final int length = MatchRecordLayout.encode(record, scratch, 0);
        final int refused = journal.refusal();
        final long w = written.get();
        if (refused != MatchJournal.OK || w + length + RECORD_OVERHEAD > writeLimit) {
            // past the allowance without a refusal yet: the disk filled faster than the checks; disk_full
            journal.dropped(refused);
            dropped++;
            return -1;
        }
        final long position;
        try {
            position = write(record, startNanos, length);
        } catch (final RuntimeException | InternalError e) {
            // counted and alarmed here, rethrown so the caller's error handling sees it too
            journal.failed(e);
            dropped++;
            throw e;
        }
        written.lazySet(w + length + RECORD_OVERHEAD);
        appended++;
        final int c = appender.cycle();
        if (c != cycle) {
            cycle = c;
            currentFile = appender.currentFile();
            // The writer restricts its new cycle file itself, before any reader could be told of a
            // record in it; Chronicle's store-file listener would do it later, on another thread.
            restrictCurrentFile();
        }
        writePosition.lazySet(position);
        return appender.lastIndexAppended();
    }

    private long write(final MatchRecord record, final long startNanos, final int length) {
        final long position;
        try (DocumentContext dc = appender.writingDocument()) {
            try {
                final long latency = clock.nanoTime() - startNanos;
                record.latencyNs(latency);
                scratch.putLong(MatchRecordLayout.LATENCY_OFFSET, latency, ByteOrder.LITTLE_ENDIAN);
                final Bytes<?> bytes = dc.wire().bytes();
                bytes.write(scratch.byteArray(), 0, length);
                position = bytes.writePosition();
            } catch (final RuntimeException | Error e) {
                dc.rollbackOnClose();
                throw e;
            }
        }
        return position;
    }

    /** From the housekeeper: this appender may write share more bytes until the next check. */
    void allow(final long share) {
        final long w = written.get();
        writeLimit = share > Long.MAX_VALUE - w ? Long.MAX_VALUE : w + share;
    }

    private void restrictCurrentFile() {
        if (currentFile == null) {
            return;
        }
        try {
            OwnerOnly.restrict(currentFile.toPath(), OwnerOnly.FILE);
        } catch (final java.io.IOException e) {
            // The directory is 0700 already; the listener retries. Never fail an append for this.
        }
    }

    /** Call when the writer's batch ends: msyncs when the journal is configured to. */
    public void endOfBatch() {
        if (syncOnBatch && appended > 0) {
            appender.sync();
        }
    }

    /** Records appended through this appender. */
    public long appended() {
        return appended;
    }

    /** Records this appender refused or failed to append (counted by reason in the journal's counters). */
    public long dropped() {
        return dropped;
    }

    File currentFile() {
        return currentFile;
    }

    long writePosition() {
        return writePosition.get();
    }

    @Override
    public void close() {
        journal.removed(this);
        appender.close();
    }
}
