package io.sigmatch.decoder.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.capture.CaptureFileReader;
import io.sigmatch.decoder.capture.Frame;
import io.sigmatch.decoder.capture.FrameSink;

/** Copies every frame a reader delivers, for assertions after the file is closed. */
public final class FrameLog implements FrameSink {
    /** A copy of one delivered frame. */
    public record Seen(long number, long timeNs, int interfaceId, int linkType, int capturedLength, int originalLength,
        byte[] bytes) {
    }

    public final List<Seen> frames = new ArrayList<>();
    public String stopReason;
    public long delivered;

    @Override
    public void onFrame(final Frame f) {
        final byte[] b = new byte[f.capturedLength];
        f.buffer.getBytes(f.offset, b);
        frames.add(new Seen(f.number, f.timeNs, f.interfaceId, f.linkType, f.capturedLength, f.originalLength, b));
    }

    /** Opens, reads to the end, closes. */
    public static FrameLog read(final Path file, final Counters counters) throws IOException {
        final FrameLog log = new FrameLog();
        try (CaptureFileReader reader = CaptureFileReader.open(file, counters)) {
            log.delivered = reader.readAll(log);
            log.stopReason = reader.stopReason();
        }
        return log;
    }
}
