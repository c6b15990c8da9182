package io.sigmatch.journal;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads a match journal in append order, from the start or from a Chronicle index, filling a caller's
 * {@link MatchRecord} per record (no allocation per record). The queue is opened read-only, so a
 * reader never changes a journal and may run while the appliance appends.
 */
public final class MatchJournalReader implements AutoCloseable {
    private final SingleChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[MatchRecordLayout.MAX_LENGTH]);
    private long index = -1;

    private MatchJournalReader(final SingleChronicleQueue queue) {
        this.queue = queue;
        this.tailer = queue.createTailer();
    }

    /** Opens the journal in dir; NoSuchFileException when there is none. */
    public static MatchJournalReader open(final Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no journal directory");
        }
        return new MatchJournalReader(SingleChronicleQueueBuilder.binary(dir)
            .rollCycle(JournalConfig.rollCycleOf(dir)).readOnly(true).build());
    }

    /**
     * Reads the next record into record; false at the end of the journal (for now: records appended
     * later are read by a later call). Throws {@link JournalFormatException} on a record it cannot read,
     * without moving past it.
     */
    public boolean next(final MatchRecord record) throws JournalFormatException {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return false;
            }
            final long at = dc.index();
            final Bytes<?> bytes = dc.wire().bytes();
            final long remaining = bytes.readRemaining();
            if (remaining > MatchRecordLayout.MAX_LENGTH) {
                dc.rollbackOnClose();
                throw new JournalFormatException(at, remaining + " bytes, longer than any record layout");
            }
            final int length = (int) remaining;
            bytes.read(scratch.byteArray(), 0, length);
            final int result = MatchRecordLayout.decode(scratch, 0, length, record);
            if (result < 0) {
                dc.rollbackOnClose();
                throw new JournalFormatException(at, reason(result, length));
            }
            index = at;
            return true;
        }
    }

    private String reason(final int result, final int length) {
        switch (result) {
            case MatchRecordLayout.UNKNOWN_VERSION:
                return "layout version " + (scratch.getShort(0, ByteOrder.LITTLE_ENDIAN) & 0xFFFF)
                    + " is unknown to this build (newest known: " + MatchRecordLayout.CURRENT_VERSION + ")";
            case MatchRecordLayout.TRUNCATED:
                return "truncated (" + length + " bytes)";
            default:
                return "malformed";
        }
    }

    /** Index of the record the last successful {@link #next} returned, -1 before the first. */
    public long index() {
        return index;
    }

    public MatchJournalReader toStart() {
        tailer.toStart();
        return this;
    }

    /** Positions the reader so that {@link #next} returns the record at index; false when there is none. */
    public boolean moveToIndex(final long index) {
        return tailer.moveToIndex(index);
    }

    /** Positions the reader after the last record, for following new ones. */
    public MatchJournalReader toEnd() {
        tailer.toEnd();
        return this;
    }

    /** Index of the last record in the journal now (records appended since are seen), -1 when empty. */
    public long lastIndex() {
        final long last = queue.lastIndex();
        return last < 0 ? -1 : last;
    }

    /**
     * Records in the journal after index, up to its last one now: how far a reader that has handled
     * index is behind the head. index -1 counts every record; an index before the first record (retention
     * removed it) counts from the first. Chronicle counts through its index files, not by reading records.
     */
    public long countAfter(final long index) {
        final long last = queue.lastIndex();
        if (last < 0 || index >= last) {
            return 0;
        }
        final long first = queue.firstIndex();
        if (index < first) {
            return queue.countExcerpts(first, last) + 1;
        }
        // countExcerpts counts [from, to): the records in (index, last] are as many as in [index, last)
        return queue.countExcerpts(index, last);
    }

    @Override
    public void close() {
        tailer.close();
        queue.close();
    }
}
