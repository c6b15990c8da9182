package io.sigmatch.decoder.dissect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import io.sigmatch.decoder.testing.CorpusViews;
import io.sigmatch.decoder.testing.Fixtures;
import io.sigmatch.decoder.testing.Tshark;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every corpus capture: the SCTP user messages (frame, ports, PPID, stream, length) and the
 * Diameter/SIP messages framed from TCP are exactly those Wireshark reassembles, in the frame it
 * reassembles them in. Expectations are committed under fixtures/dissect/transport/ (a capture
 * without any has no file, and we must find none either) and re-derived from tshark when present.
 */
class CorpusTransportTest {
    private static final AtomicLong SCTP = new AtomicLong();
    private static final AtomicLong DIAMETER = new AtomicLong();
    private static final AtomicLong SIP = new AtomicLong();

    @TestFactory
    Stream<DynamicTest> sctpAndTcpMessagesAsWiresharkReassemblesThem() {
        return Fixtures.corpusFiles().stream().map(f -> dynamicTest(CorpusViews.relative(f), () -> check(f)));
    }

    private static void check(final Path file) throws IOException {
        final String rel = CorpusViews.relative(file);
        final TransportViews.Ours ours = TransportViews.ours(file, new DissectorConfig());
        compare(file, rel + ".sctp.tsv", () -> TransportViews.tsharkSctp(file, List.of()), ours.sctp());
        compare(file, rel + ".diameter-tcp.tsv", () -> TransportViews.tsharkTcpDiameter(file, List.of()), ours.diameter());
        compare(file, rel + ".sip-tcp.tsv", () -> TransportViews.tsharkTcpSip(file, List.of()), ours.sip());
        assertEquals(0, ours.counters().get("dissect.error.internal"), rel);
        assertEquals(0, ours.counters().get("dissect.error.decoder_exception"), rel);
        SCTP.addAndGet(ours.sctp().size());
        DIAMETER.addAndGet(ours.diameter().size());
        SIP.addAndGet(ours.sip().size());
    }

    private static void compare(final Path file, final String name, final java.util.function.Supplier<List<String>> tshark,
        final List<String> ours) throws IOException {
        final Path fixture = Fixtures.fixture("dissect/transport/" + name);
        if (Tshark.available()) {
            final List<String> fresh = tshark.get();
            if (Fixtures.writeMode()) {
                if (fresh.isEmpty()) {
                    Files.deleteIfExists(fixture);
                } else {
                    Fixtures.writeLines(fixture, fresh);
                }
            }
            CorpusViews.assertSameLines(fresh, expected(fixture), "committed fixture vs tshark now: " + name);
        }
        CorpusViews.assertSameLines(withKnownDifferences(name, expected(fixture)), ours,
            name + " (" + file.getFileName() + ")");
    }

    /**
     * tshark's lines adjusted by fixtures/dissect/transport/KNOWN-DIFFERENCES.tsv ("fixture name,
     * tshark|ours, line"): a line only tshark shows is removed, one only we deliver is added. Each
     * entry must still apply, so a difference that goes away fails the test until it is removed.
     */
    private static List<String> withKnownDifferences(final String name, final List<String> tsharkLines) {
        final List<String> adjusted = new ArrayList<>(tsharkLines);
        for (final String entry : Fixtures.readLines(Fixtures.fixture("dissect/transport/KNOWN-DIFFERENCES.tsv"))) {
            if (entry.isBlank() || entry.startsWith("#")) {
                continue;
            }
            final String[] f = entry.split("\t", 3);
            if (!f[0].equals(name)) {
                continue;
            }
            if (f[1].equals("tshark")) {
                org.junit.jupiter.api.Assertions.assertTrue(adjusted.remove(f[2]), "known difference gone: " + entry);
            } else {
                adjusted.add(f[2]);
            }
        }
        return TransportViews.sorted(adjusted);
    }

    private static List<String> expected(final Path fixture) {
        return Files.exists(fixture) ? Fixtures.readLines(fixture) : new ArrayList<>();
    }

    @AfterAll
    static void report() {
        System.out.println("corpus transport: sctpMessages=" + SCTP.get() + " diameterOverTcp=" + DIAMETER.get()
            + " sipOverTcp=" + SIP.get() + " tshark=" + Tshark.available());
    }
}
