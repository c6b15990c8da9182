package io.sigmatch.decoder.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.SignalingJson;
import io.sigmatch.decoder.testing.CorpusViews;
import io.sigmatch.decoder.testing.Fixtures;
import io.sigmatch.decoder.testing.GeneratedCaptures;
import io.sigmatch.decoder.testing.Tshark;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The captures the tests build (both pcap byte orders and resolutions; pcapng with four link types,
 * four timestamp resolutions, an offset, two sections in opposite byte orders, skipped and
 * numbered non-packet blocks, EPB, OPB and SPB) read exactly as tshark reads them. tshark's view is
 * committed under fixtures/capture/generated/ and re-derived when tshark is installed.
 */
class GeneratedCapturesReaderTest {
    /** Records tshark numbers as frames though they hold no packet: the reader only numbers them. */
    private static final Set<String> NON_PACKET = Set.of("data", "systemd_journal", "sysdig");

    /** Kept under target/ after the run, so a failing case can be opened in Wireshark. */
    private static final Path dir = GeneratedCaptures.outputDirectory();

    @TestFactory
    Stream<DynamicTest> generatedCapturesReadLikeTshark() {
        return GeneratedCaptures.forReader().stream().map(c -> dynamicTest(c.name(), () -> check(c)));
    }

    private static void check(final GeneratedCaptures.Capture capture) throws IOException {
        final Path file = Files.write(dir.resolve(capture.name()), capture.bytes());
        final Path fixture = Fixtures.fixture("capture/generated/" + capture.name() + ".frames.tsv");
        if (Tshark.available()) {
            final List<String> fresh = CorpusViews.tsharkFramesAndProtocols(file);
            if (Fixtures.writeMode()) {
                Fixtures.writeLines(fixture, fresh);
            }
            CorpusViews.assertSameLines(fresh, Fixtures.readLines(fixture), "committed fixture vs tshark now");
        }
        final List<String> expected = new ArrayList<>();
        String previousTime = "0.000000000";
        for (final String line : Fixtures.readLines(fixture)) {
            final String[] f = line.split("\t", -1); // number, time, interface, protocols
            if (f[1].isEmpty() && NON_PACKET.contains(f[3])) {
                continue; // numbered by the reader, never delivered
            }
            // tshark shows a Simple Packet Block without a time; the reader gives it the previous frame's.
            final String time = f[1].isEmpty() ? previousTime : f[1];
            expected.add(f[0] + "\t" + time + "\t" + f[2]);
            previousTime = time;
        }
        final List<String> ours = new ArrayList<>();
        final Counters counters = new Counters();
        try (CaptureFileReader reader = CaptureFileReader.open(file, counters)) {
            final boolean pcapng = reader.isPcapng();
            reader.readAll(fr -> ours.add(fr.number + "\t" + SignalingJson.appendEpoch(fr.timeNs, new StringBuilder())
                + "\t" + (pcapng ? fr.interfaceId : "")));
            assertNull(reader.stopReason());
        }
        CorpusViews.assertSameLines(expected, ours, capture.name());
        assertEquals(0, counters.sum("capture.error."), "capture errors");
    }
}
