package io.sigmatch.decoder.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.DecoderConfig;
import io.sigmatch.decoder.SignalingDecoder;
import io.sigmatch.decoder.capture.CaptureFileReader;
import io.sigmatch.decoder.capture.Frame;
import io.sigmatch.decoder.capture.FrameSink;
import io.sigmatch.decoder.testing.Fixtures;
import io.sigmatch.decoder.testing.GeneratedCaptures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the pcap/pcapng reader with the whole decoding stage behind it (every
 * link type, IP reassembly, TCP and SCTP, every decoder). The contract: any file gives frames and
 * counted reasons, never an exception out of the reader, no internal-error counter moving, every
 * frame inside the reader's buffer and within {@link CaptureFileReader#MAX_RECORD_BYTES}, and
 * after {@code finish()} no reassembly state left over (memory goes back). Jazzer replays
 * {@code CaptureFileFuzzTestInputs/read/} in the build; {@link #shortRun()} mutates the generated
 * captures and the small corpus files for a few seconds.
 */
class CaptureFileFuzzTest {
    private static final Counters COUNTERS = new Counters();
    private static final FuzzSink SINK = new FuzzSink();
    private static final SignalingDecoder DECODER = new SignalingDecoder(COUNTERS, new DecoderConfig(), SINK);
    private static final Path FILE;

    static {
        try {
            FILE = Files.createTempFile("sigmatch-fuzz-", ".cap");
            FILE.toFile().deleteOnExit();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks each frame the reader hands out before the dissector sees it. */
    private static final FrameSink CHECKING = new FrameSink() {
        @Override
        public void onFrame(final Frame frame) {
            if (frame.offset < 0 || frame.capturedLength < 0 || frame.capturedLength > CaptureFileReader.MAX_RECORD_BYTES
                || frame.offset + frame.capturedLength > frame.buffer.capacity()) {
                throw new AssertionError("frame outside the buffer: offset " + frame.offset + " length "
                    + frame.capturedLength + " capacity " + frame.buffer.capacity());
            }
            DECODER.dissector().onFrame(frame);
        }
    };

    @FuzzTest(maxDuration = "30s")
    void read(final byte[] file) {
        fuzzerTestOneInput(file);
    }

    /** The Jazzer standalone entry point the long runs use (docs/hostile.md). */
    public static void fuzzerTestOneInput(final byte[] file) {
        final long internal = internalErrors();
        try {
            Files.write(FILE, file);
            try (CaptureFileReader reader = CaptureFileReader.open(FILE, COUNTERS)) {
                reader.readAll(CHECKING);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        DECODER.finish();
        if (internalErrors() != internal) {
            throw new AssertionError("an internal error was counted");
        }
        if (DECODER.tcp().activeFlows() != 0 || DECODER.tcp().heldChunkBytes() != 0
            || DECODER.sctp().heldChunkBytes() != 0 || DECODER.sctp().pendingFragments() != 0
            || DECODER.dissector().pendingFragmentedDatagrams() != 0) {
            throw new AssertionError("reassembly state left after finish()");
        }
    }

    static long internalErrors() {
        return COUNTERS.get("capture.error.internal") + COUNTERS.get("dissect.error.internal")
            + COUNTERS.get("dissect.error.decoder_exception");
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shortRun() {
        final long tried = FuzzRun.run("capture-file", seeds(), CaptureFileFuzzTest::fuzzerTestOneInput);
        assertTrue(tried > 0);
    }

    /** Generated captures of every format and link type, and the corpus files under 16 KB. */
    static List<byte[]> seeds() {
        final List<byte[]> seeds = new ArrayList<>(FuzzRun.seedFiles(CaptureFileFuzzTest.class, "read"));
        for (final GeneratedCaptures.Capture c : GeneratedCaptures.forReader()) {
            seeds.add(c.bytes());
        }
        for (final GeneratedCaptures.Capture c : GeneratedCaptures.forDissector()) {
            seeds.add(c.bytes());
        }
        try (Stream<Path> files = Files.walk(Fixtures.repo().resolve("pcap-samples/corpus"))) {
            for (final Path f : (Iterable<Path>) files.filter(p -> p.toString().matches(".*\\.pcap(ng)?$")).sorted()::iterator) {
                if (Files.size(f) < 16_384) {
                    seeds.add(Files.readAllBytes(f));
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return seeds;
    }
}
