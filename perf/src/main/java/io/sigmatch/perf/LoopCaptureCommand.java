package io.sigmatch.perf;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.sigmatch.decoder.capture.Frame;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `sigmatch bench loop FILE --packets N --out OUT.pcap`: a large capture made of a small one repeated,
 * each repetition shifted in capture time by the capture's span (as the replay harness loops it), for
 * side-by-side runs against tshark. Written as pcap with nanosecond timestamps in the link type of the
 * first frame; frames of another link type (a multi-interface pcapng) are left out and counted.
 */
@Command(name = "loop", mixinStandardHelpOptions = true,
    description = "Write a pcap made of FILE repeated until it holds N packets, capture time moving forward.")
public final class LoopCaptureCommand implements Callable<Integer> {
    /** pcap file header magic for nanosecond timestamps (written in host order, little endian). */
    private static final int PCAP_NS_MAGIC = 0xA1B23C4D;

    @Parameters(paramLabel = "FILE", description = "pcap or pcapng capture to repeat")
    private Path file;

    @Option(names = "--packets", defaultValue = "200000", description = "packets to write (default ${DEFAULT-VALUE})")
    private long packets;

    @Option(names = "--out", required = true, paramLabel = "OUT.pcap")
    private Path out;

    @Override
    public Integer call() throws IOException {
        try (InMemoryCapture capture = InMemoryCapture.load(file)) {
            final long[] written = write(capture, packets, out);
            System.err.printf("wrote %d packets to %s (%d frames of another link type left out)%n", written[0], out, written[1]);
        }
        return 0;
    }

    /** Returns {packets written, frames skipped}. */
    static long[] write(final InMemoryCapture capture, final long packets, final Path out) throws IOException {
        final int linkType = capture.linkType(0);
        long written = 0;
        long skipped = 0;
        final ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(PCAP_NS_MAGIC).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
            .putInt(262_144).putInt(linkType);
        final ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        byte[] bytes = new byte[65_536];
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
            os.write(header.array());
            for (long loop = 0; written < packets; loop++) {
                for (int i = 0; i < capture.frames() && written < packets; i++) {
                    final Frame f = capture.frame(i, loop);
                    if (f.linkType != linkType) {
                        skipped++;
                        continue;
                    }
                    record.clear();
                    record.putInt((int) (f.timeNs / 1_000_000_000L)).putInt((int) (f.timeNs % 1_000_000_000L))
                        .putInt(f.capturedLength).putInt(f.originalLength);
                    os.write(record.array());
                    if (bytes.length < f.capturedLength) {
                        bytes = new byte[f.capturedLength];
                    }
                    f.buffer.getBytes(f.offset, bytes, 0, f.capturedLength);
                    os.write(bytes, 0, f.capturedLength);
                    written++;
                }
                if (loop > 0 && written == 0) {
                    throw new IOException("no frame of link type " + linkType);
                }
            }
        }
        return new long[] {written, skipped};
    }
}
