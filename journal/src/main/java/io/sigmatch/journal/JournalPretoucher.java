package io.sigmatch.journal;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.IoUtil;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Touches the current queue file ahead of the appenders so that the first write to each page — a
 * page fault that allocates and zeroes the page and, on a growing file, file-system blocks — happens
 * on this thread instead of inside an append. Chronicle's own pre-toucher is an enterprise feature.
 *
 * <p>Each page is touched with a compare-and-set of 0 to 0 on its first int: it makes the page
 * resident and dirty, and cannot disturb a concurrent append (if the appender wrote there first the
 * CAS fails and writes nothing). Only the part of the file Chronicle has already extended is touched,
 * never beyond, so the file is not grown here. At most {@link #MAX_PAGES_PER_WORK} pages per duty
 * cycle, so closing is never held up for long.
 */
final class JournalPretoucher implements Agent {
    static final int PAGE_SIZE = 4096;
    static final int MAX_PAGES_PER_WORK = 256;

    private final long aheadBytes;
    private final CopyOnWriteArrayList<MatchAppender> appenders = new CopyOnWriteArrayList<>();
    private final AtomicLong pagesTouched = new AtomicLong();

    private File file;
    private FileChannel channel;
    private long touchedUpTo;

    private final MatchJournal journal;

    JournalPretoucher(final long aheadBytes) {
        this(aheadBytes, null);
    }

    /** With journal: touches nothing while it refuses appends (a touch dirties a page, which needs disk). */
    JournalPretoucher(final long aheadBytes, final MatchJournal journal) {
        this.aheadBytes = aheadBytes;
        this.journal = journal;
    }

    void add(final MatchAppender appender) {
        appenders.add(appender);
    }

    void remove(final MatchAppender appender) {
        appenders.remove(appender);
    }

    long pagesTouched() {
        return pagesTouched.get();
    }

    @Override
    public int doWork() throws IOException {
        if (journal != null && !journal.writable()) {
            return 0;
        }
        File newest = null;
        long position = 0;
        for (final MatchAppender a : appenders) {
            final File f = a.currentFile();
            if (f == null) {
                continue;
            }
            // cycle file names sort by time; among appenders on the same file the furthest one counts
            final int cmp = newest == null ? 1 : f.getName().compareTo(newest.getName());
            if (cmp > 0 || (cmp == 0 && a.writePosition() > position)) {
                newest = f;
                position = a.writePosition();
            }
        }
        if (newest == null) {
            return 0;
        }
        if (!newest.equals(file)) {
            switchTo(newest);
        }
        final long from = Math.max(touchedUpTo, position & -PAGE_SIZE);
        final long fileEnd = channel.size() & -PAGE_SIZE;
        // page-aligned, or the next duty cycle starts mid-page and its last CAS runs past the mapping
        final long to = Math.min(Math.min((position + aheadBytes) & -PAGE_SIZE, fileEnd),
            from + (long) MAX_PAGES_PER_WORK * PAGE_SIZE);
        if (to <= from) {
            return 0;
        }
        final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, from, to - from);
        try {
            final UnsafeBuffer pages = new UnsafeBuffer(mapped);
            int touched = 0;
            for (int p = 0; p < pages.capacity(); p += PAGE_SIZE) {
                pages.compareAndSetInt(p, 0, 0);
                touched++;
            }
            touchedUpTo = to;
            pagesTouched.addAndGet(touched);
            return touched;
        } finally {
            IoUtil.unmap(mapped);
        }
    }

    private void switchTo(final File newest) throws IOException {
        closeChannel();
        channel = FileChannel.open(newest.toPath(), StandardOpenOption.READ, StandardOpenOption.WRITE);
        file = newest;
        touchedUpTo = 0;
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
            file = null;
        }
    }

    @Override
    public void onClose() {
        try {
            closeChannel();
        } catch (final IOException ignored) {
            // closing a channel we only mapped pages through; nothing is lost
        }
    }

    @Override
    public String roleName() {
        return "sigmatch-journal-pretouch";
    }
}
