package io.sigmatch.decoder.dissect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.capture.CaptureFileReader;
import io.sigmatch.decoder.testing.CorpusViews;
import io.sigmatch.decoder.testing.Fixtures;
import io.sigmatch.decoder.testing.GeneratedCaptures;
import io.sigmatch.decoder.testing.RecordingDecoder;
import io.sigmatch.decoder.testing.Tshark;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The captures the tests build for what the corpus lacks (every link type, VLAN stacks, IPv4
 * options and padding, IPv6 extension chains, IPv4 and IPv6 fragments in order, reordered and
 * duplicated) dissect to exactly the UDP payloads tshark shows. tshark's view is committed under
 * fixtures/dissect/generated/ and re-derived when tshark is installed.
 */
class GeneratedCapturesDissectorTest {
    /** Kept under target/ after the run, so a failing case can be opened in Wireshark. */
    private static final Path dir = GeneratedCaptures.outputDirectory();

    @TestFactory
    Stream<DynamicTest> generatedCapturesDissectLikeTshark() {
        return GeneratedCaptures.forDissector().stream().map(c -> dynamicTest(c.name(), () -> check(c)));
    }

    private static void check(final GeneratedCaptures.Capture capture) throws IOException {
        final Path file = Files.write(dir.resolve(capture.name()), capture.bytes());
        final Path fixture = Fixtures.fixture("dissect/generated/" + capture.name() + ".udp.tsv");
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
        final Dissector dissector = new Dissector(counters, dispatch, m -> { }, new DissectorConfig());
        try (CaptureFileReader reader = CaptureFileReader.open(file, counters)) {
            reader.readAll(dissector);
        }
        dissector.finish();
        CorpusViews.assertSameLines(Fixtures.readLines(fixture), everything.lines(), capture.name());
        assertEquals(0, counters.sum("dissect.error."), "dissect errors");
        assertEquals(0, counters.get("dissect.frag.drop.incomplete_at_end"), "datagrams left incomplete");
    }
}
