package io.sigmatch.perf;

import java.io.IOException;
import java.nio.file.Path;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.capture.CaptureFileReader;
import io.sigmatch.decoder.capture.Frame;
import io.sigmatch.decoder.capture.FrameSink;

/**
 * A whole capture file held in memory, so a benchmark measures decoding and matching rather than the
 * disk: every frame's bytes copied back to back into one direct buffer, its header fields in arrays.
 * Replayed in loops, each loop shifted in capture time by the capture's span (plus 1 ms) and numbered
 * on, so capture time only moves forward and the decoder's expiry sees a steady stream.
 */
public final class InMemoryCapture implements AutoCloseable {
    private final ByteBuf bytes;
    private final int count;
    private final long[] number;
    private final long[] timeNs;
    private final int[] interfaceId;
    private final int[] linkType;
    private final int[] offset;
    private final int[] capturedLength;
    private final int[] originalLength;
    private final long loopShiftNs;
    private final Frame frame = new Frame();

    private InMemoryCapture(final ByteBuf bytes, final int count, final long[] number, final long[] timeNs,
        final int[] interfaceId, final int[] linkType, final int[] offset, final int[] capturedLength,
        final int[] originalLength) {
        this.bytes = bytes;
        this.count = count;
        this.number = number;
        this.timeNs = timeNs;
        this.interfaceId = interfaceId;
        this.linkType = linkType;
        this.offset = offset;
        this.capturedLength = capturedLength;
        this.originalLength = originalLength;
        this.loopShiftNs = count == 0 ? 0 : timeNs[count - 1] - timeNs[0] + 1_000_000;
        frame.buffer = bytes;
    }

    /** Reads every frame of the file; a file that ends early keeps what was read (counted as usual). */
    public static InMemoryCapture load(final Path file) throws IOException {
        final Counters counters = new Counters();
        final Loader loader = new Loader();
        try (CaptureFileReader reader = CaptureFileReader.open(file, counters)) {
            reader.readAll(loader);
        }
        if (loader.count == 0) {
            throw new IOException(file + ": no frames");
        }
        final ByteBuf direct = Unpooled.directBuffer(loader.data.readableBytes());
        direct.writeBytes(loader.data);
        loader.data.release();
        return new InMemoryCapture(direct, loader.count, loader.number, loader.timeNs, loader.interfaceId,
            loader.linkType, loader.offset, loader.capturedLength, loader.originalLength);
    }

    public int frames() {
        return count;
    }

    public long bytes() {
        return bytes.writerIndex();
    }

    /** Capture time added per loop. */
    public long loopShiftNs() {
        return loopShiftNs;
    }

    public long timeNs(final int i) {
        return timeNs[i];
    }

    public int linkType(final int i) {
        return linkType[i];
    }

    /** Frame i of loop n, in the reused frame (valid until the next call). */
    public Frame frame(final int i, final long loop) {
        final Frame f = frame;
        f.number = number[i] + loop * count;
        f.timeNs = timeNs[i] + loop * loopShiftNs;
        f.interfaceId = interfaceId[i];
        f.linkType = linkType[i];
        f.offset = offset[i];
        f.capturedLength = capturedLength[i];
        f.originalLength = originalLength[i];
        return f;
    }

    /** Hands loop n of the capture to sink, frame by frame. */
    public void replay(final FrameSink sink, final long loop) {
        for (int i = 0; i < count; i++) {
            sink.onFrame(frame(i, loop));
        }
    }

    @Override
    public void close() {
        bytes.release();
    }

    private static final class Loader implements FrameSink {
        final ByteBuf data = Unpooled.buffer(1 << 16);
        int count;
        long[] number = new long[1024];
        long[] timeNs = new long[1024];
        int[] interfaceId = new int[1024];
        int[] linkType = new int[1024];
        int[] offset = new int[1024];
        int[] capturedLength = new int[1024];
        int[] originalLength = new int[1024];

        @Override
        public void onFrame(final Frame f) {
            if (count == number.length) {
                final int n = count * 2;
                number = java.util.Arrays.copyOf(number, n);
                timeNs = java.util.Arrays.copyOf(timeNs, n);
                interfaceId = java.util.Arrays.copyOf(interfaceId, n);
                linkType = java.util.Arrays.copyOf(linkType, n);
                offset = java.util.Arrays.copyOf(offset, n);
                capturedLength = java.util.Arrays.copyOf(capturedLength, n);
                originalLength = java.util.Arrays.copyOf(originalLength, n);
            }
            number[count] = f.number;
            timeNs[count] = f.timeNs;
            interfaceId[count] = f.interfaceId;
            linkType[count] = f.linkType;
            offset[count] = data.writerIndex();
            capturedLength[count] = f.capturedLength;
            originalLength[count] = f.originalLength;
            data.writeBytes(f.buffer, f.offset, f.capturedLength);
            count++;
        }
    }
}
