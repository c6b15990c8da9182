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
     */
    public long append(final MatchRecord record, final long startNanos) {
        final int length = MatchRecordLayout.encode(record, scratch, 0);
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
