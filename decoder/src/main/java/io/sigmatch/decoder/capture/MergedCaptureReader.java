package io.sigmatch.decoder.capture;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sigmatch.decoder.Counters;

/**
 * Several capture files read as one stream in capture-time order (a capture split by size, or the
 * captures of several links of one probe). Each file keeps one frame of look-ahead, copied into its
 * own buffer; the earliest is delivered next, ties going to the file named first, so the order is
 * deterministic. Frame numbers stay those of each frame's own file.
 */
public final class MergedCaptureReader implements AutoCloseable {
    private final List<CaptureFileReader> readers = new ArrayList<>();
    private final List<Path> files;
    private final Frame[] heads;
    private final ByteBuf[] headBytes;
    private final boolean[] hasHead;
    private final Grab grab = new Grab();

    private MergedCaptureReader(final List<Path> files) {
        this.files = files;
        heads = new Frame[files.size()];
        headBytes = new ByteBuf[files.size()];
        hasHead = new boolean[files.size()];
    }

    /** Opens every file; fails (closing what was opened) when one cannot be opened. */
    public static MergedCaptureReader open(final List<Path> files, final Counters counters) throws IOException {
        final MergedCaptureReader merged = new MergedCaptureReader(List.copyOf(files));
        try {
            for (int i = 0; i < files.size(); i++) {
                merged.readers.add(CaptureFileReader.open(files.get(i), counters));
                merged.heads[i] = new Frame();
                merged.headBytes[i] = ByteBufAllocator.DEFAULT.directBuffer(CaptureFileReader.MAX_RECORD_BYTES);
                merged.refill(i);
            }
        } catch (final IOException | RuntimeException ex) {
            merged.close();
            throw ex;
        }
        return merged;
    }

    /** Delivers the next frame in time order; false when every file is exhausted. */
    public boolean readNext(final FrameSink sink) {
        int best = -1;
        for (int i = 0; i < heads.length; i++) {
            if (hasHead[i] && (best < 0 || heads[i].timeNs < heads[best].timeNs)) {
                best = i;
            }
        }
        if (best < 0) {
            return false;
        }
        sink.onFrame(heads[best]);
        refill(best);
        return true;
    }

    /** Delivers every frame; returns how many. */
    public long readAll(final FrameSink sink) {
        long n = 0;
        while (readNext(sink)) {
            n++;
        }
        return n;
    }

    /** The file and reason each reader stopped for, for files that did not end cleanly. */
    public List<String> stopReasons() {
        final List<String> reasons = new ArrayList<>();
        for (int i = 0; i < readers.size(); i++) {
            final String reason = readers.get(i).stopReason();
            if (reason != null) {
                reasons.add(files.get(i) + ": " + reason);
            }
        }
        return reasons;
    }

    private void refill(final int i) {
        grab.target = heads[i];
        grab.bytes = headBytes[i];
        grab.got = false;
        readers.get(i).readNext(grab);
        hasHead[i] = grab.got;
    }

    @Override
    public void close() {
        for (final CaptureFileReader r : readers) {
            try {
                r.close();
            } catch (final IOException ignored) {
                // Closing a file opened for reading loses nothing; the other readers still close.
            }
        }
        for (int i = 0; i < headBytes.length; i++) {
            if (headBytes[i] != null) {
                headBytes[i].release();
                headBytes[i] = null;
            }
        }
    }

    /** Copies the reader's frame and bytes into a file's look-ahead slot. */
    private static final class Grab implements FrameSink {
        Frame target;
        ByteBuf bytes;
        boolean got;

        @Override
        public void onFrame(final Frame frame) {
            target.copyFrom(frame);
            bytes.clear();
            bytes.writeBytes(frame.buffer, frame.offset, frame.capturedLength);
            target.buffer = bytes;
            target.offset = 0;
            got = true;
        }
    }
}
