package io.sigmatch.decoder.dissect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.capture.CaptureFileReader;
import io.sigmatch.decoder.testing.CorpusViews;
import io.sigmatch.decoder.testing.Fixtures;
import io.sigmatch.decoder.testing.RecordingDecoder;
import io.sigmatch.decoder.testing.Tshark;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every file of the vendored corpus: the dissector delivers exactly the UDP payloads tshark sees
 * as the outermost transport (frame, ports, payload length), reassembled fragments included.
 * Expectations are committed under fixtures/dissect/corpus/ and re-derived from tshark when it
 * is installed (see {@link CorpusViews#tsharkUdp} for what "outermost" means).
 */
class CorpusUdpTest {
    private static final AtomicLong FILES = new AtomicLong();
    private static final AtomicLong PAYLOADS = new AtomicLong();
    private static final AtomicLong KNOWN = new AtomicLong();
    private static final MessageSink NO_MESSAGES = m -> { };

    @TestFactory
    Stream<DynamicTest> everyCorpusFileDissectsLikeTshark() {
        return Fixtures.corpusFiles().stream().map(f -> dynamicTest(CorpusViews.relative(f), () -> check(f)));
    }

    private static void check(final Path file) throws IOException {
        final Path fixture = Fixtures.fixture("dissect/corpus/" + CorpusViews.relative(file) + ".udp.tsv");
        if (Tshark.available()) {
            final List<String> fresh = CorpusViews.tsharkUdp(file);
            if (Fixtures.writeMode()) {
                Fixtures.writeLines(fixture, fresh);
            }
            CorpusViews.assertSameLines(fresh, Fixtures.readLines(fixture), "committed fixture vs tshark now");
        }
        final Counters counters = new Counters();
        final RecordingDecoder everything = new RecordingDecoder();
        final ProtocolDispatch dispatch = new ProtocolDispatch();
        dispatch.contentSniffer((p, b, off, len) -> everything);
        dispatch.register(everything); // reachable only through the sniffer: registered for flush
        final Dissector dissector = new Dissector(counters, dispatch, NO_MESSAGES, new DissectorConfig());
        try (CaptureFileReader reader = CaptureFileReader.open(file, counters)) {
            reader.readAll(dissector);
        }
        dissector.finish();
        final List<String> expected = withKnownDifferences(CorpusViews.relative(file), Fixtures.readLines(fixture));
        CorpusViews.assertSameLines(expected, everything.lines(), CorpusViews.relative(file));
        assertEquals(0, counters.get("dissect.error.internal"), "internal errors");
        assertEquals(1, everything.flushes, "flushed once at the end");
        FILES.incrementAndGet();
        PAYLOADS.addAndGet(everything.payloads.size());
    }

    /**
     * tshark's lines adjusted by KNOWN-DIFFERENCES.tsv: payloads only the dissector delivers are
     * added in frame order, payloads only tshark shows are removed. Each listed line must apply.
     */
    private static List<String> withKnownDifferences(final String relative, final List<String> tsharkLines) {
        final List<String> adjusted = new ArrayList<>(tsharkLines);
        for (final String entry : Fixtures.readLines(Fixtures.fixture("dissect/corpus/KNOWN-DIFFERENCES.tsv"))) {
            if (entry.isBlank() || entry.startsWith("#")) {
                continue;
            }
            final String[] f = entry.split("\t");
            if (!f[0].equals(relative)) {
                continue;
            }
            final String line = f[2] + "\t" + f[3] + "\t" + f[4] + "\t" + f[5];
            if (f[1].equals("ours")) {
                assertFalse(adjusted.contains(line), "known difference now agrees with tshark: " + entry);
                adjusted.add(line);
            } else {
                assertTrue(adjusted.remove(line), "known difference no longer in tshark's view: " + entry);
            }
            KNOWN.incrementAndGet();
        }
        adjusted.sort(Comparator.comparingLong(l -> Long.parseLong(l.substring(0, l.indexOf('\t')))));
        return adjusted;
    }

    @AfterAll
    static void report() {
        System.out.println("corpus UDP: files=" + FILES.get() + " payloads=" + PAYLOADS.get()
            + " knownDifferences=" + KNOWN.get() + " tshark=" + Tshark.available());
    }
}
