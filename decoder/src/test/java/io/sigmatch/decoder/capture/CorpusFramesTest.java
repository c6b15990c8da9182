package io.sigmatch.decoder.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.SignalingJson;
import io.sigmatch.decoder.testing.CorpusViews;
import io.sigmatch.decoder.testing.Fixtures;
import io.sigmatch.decoder.testing.Tshark;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every file of the vendored corpus: the reader delivers the same frames, numbered, timed and
 * attributed to interfaces exactly as tshark shows them. Expectations are committed under fixtures/capture/corpus/; when
 * tshark is installed they are regenerated and must equal the committed ones.
 */
class CorpusFramesTest {
    private static final AtomicLong FILES = new AtomicLong();
    private static final AtomicLong FRAMES = new AtomicLong();

    @TestFactory
    Stream<DynamicTest> everyCorpusFileReadsLikeTshark() {
        return Fixtures.corpusFiles().stream().map(f -> dynamicTest(CorpusViews.relative(f), () -> check(f)));
    }

    private static void check(final Path file) throws IOException {
        final Path fixture = Fixtures.fixture("capture/corpus/" + CorpusViews.relative(file) + ".frames.tsv");
        if (Tshark.available()) {
            final List<String> fresh = CorpusViews.tsharkFrames(file);
            if (Fixtures.writeMode()) {
                Fixtures.writeLines(fixture, fresh);
            }
            CorpusViews.assertSameLines(fresh, Fixtures.readLines(fixture), "committed fixture vs tshark now");
        }
        final List<String> expected = Fixtures.readLines(fixture);
        final List<String> ours = new ArrayList<>();
        final Counters counters = new Counters();
        try (CaptureFileReader reader = CaptureFileReader.open(file, counters)) {
            final boolean pcapng = reader.isPcapng();
            final long delivered = reader.readAll(f -> ours.add(f.number + "\t"
                + SignalingJson.appendEpoch(f.timeNs, new StringBuilder()) + "\t" + (pcapng ? f.interfaceId : "")));
            assertEquals(ours.size(), delivered);
            assertNull(reader.stopReason(), "stop reason");
        }
        CorpusViews.assertSameLines(expected, ours, CorpusViews.relative(file));
        assertEquals(ours.size(), counters.get("capture.packets"));
        assertEquals(0, counters.sum("capture.error."), "capture errors");
        FILES.incrementAndGet();
        FRAMES.addAndGet(ours.size());
    }

    @AfterAll
    static void report() {
        System.out.println("corpus frames: files=" + FILES.get() + " frames=" + FRAMES.get()
            + " tshark=" + Tshark.available());
    }
}
