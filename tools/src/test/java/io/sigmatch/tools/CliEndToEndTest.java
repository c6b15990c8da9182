package io.sigmatch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user runs it: decode, replay, journal and demo on the committed samples. */
class CliEndToEndTest {
    private static final Path REPO = Path.of(System.getProperty("sigmatch.repo", "..")).toAbsolutePath().normalize();
    private static final Path DEMO = REPO.resolve("pcap-samples/demo");

    @TempDir
    Path tmp;

    @Test
    void decodePrintsOneJsonLinePerMessageAndASummary() {
        final Run run = run("decode", DEMO.resolve("epc-attach.pcapng").toString());
        assertEquals(0, run.code, run.err);
        final List<String> lines = run.lines();
        // 186 GTPv2-C and 132 Diameter messages, as tshark counts them in this capture (MANIFEST.md, fixtures).
        assertEquals(318, lines.size());
        assertTrue(lines.get(0).startsWith("{\"frame\":"), lines.get(0));
        assertEquals(186, lines.stream().filter(l -> l.contains("\"proto\":\"gtpv2\"")).count());
        assertEquals(132, lines.stream().filter(l -> l.contains("\"proto\":\"diameter\"")).count());
        assertTrue(run.err.contains("packets read: 644"), run.err);
        assertTrue(run.err.contains("gtpv2=186"), run.err);
        assertTrue(run.err.contains("diameter=132"), run.err);
    }

    @Test
    void garbageFileIsCountedNotThrown() throws Exception {
        final Path junk = tmp.resolve("junk.pcap");
        Files.write(junk, "this is not a capture".getBytes(StandardCharsets.US_ASCII));
        final Run run = run("decode", junk.toString());
        assertEquals(0, run.code, run.err);
        assertTrue(run.err.contains("capture.error.bad_magic=1"), run.err);
        assertTrue(!run.err.contains("Exception"), run.err);
    }

    @Test
    void missingFileIsOneLineAndNonZero() {
        final Run run = run("decode", tmp.resolve("nope.pcap").toString());
        assertEquals(1, run.code);
        assertEquals(1, run.err.strip().lines().count(), run.err);
    }

    @Test
    void replayJournalsWhatTheJournalCommandPrints() {
        final Path journal = tmp.resolve("journal");
        final Run replay = run("replay", DEMO.resolve("epc-attach.pcapng").toString(),
            "--rules", DEMO.resolve("rules.json").toString(), "--journal", journal.toString());
        assertEquals(0, replay.code, replay.err);
        final Run printed = run("journal", journal.toString());
        assertEquals(0, printed.code, printed.err);
        final List<String> matches = printed.lines();
        assertTrue(replay.err.contains("matches " + matches.size()), replay.err);
        // The do-not-disturb list (gzip) holds ...797: it gets location rules but never the data welcome.
        assertTrue(matches.stream().anyMatch(l -> l.contains("\"rule\":\"data-welcome\"")));
        assertTrue(matches.stream().noneMatch(l -> l.contains("\"rule\":\"data-welcome\"") && l.contains("001010123456797")));
        assertTrue(matches.stream().anyMatch(l -> l.contains("\"rule\":\"on-the-move\"") && l.contains("001010123456797")));
        // Subscribers outside the gold list never match.
        assertTrue(matches.stream().noneMatch(l -> l.contains("001010123456801")));
        assertTrue(matches.stream().allMatch(l -> l.contains("\"snapshot\":\"demo-1\"")));
    }

    @Test
    void demoRunsOnTheCommittedSamples() {
        final Run run = run("demo", "--work", tmp.resolve("demo").toString());
        assertEquals(0, run.code, run.err);
        assertTrue(run.lines().size() > 0, run.err);
        assertTrue(run.lines().stream().allMatch(l -> l.startsWith("{\"matchId\":")));
    }

    private static Run run(final String... args) {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final ByteArrayOutputStream o = new ByteArrayOutputStream();
        final ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        final int code;
        try {
            code = SigmatchCli.execute(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    private record Run(int code, String out, String err) {
        List<String> lines() {
            return Arrays.stream(out.split("\n")).filter(l -> !l.isBlank()).toList();
        }
    }
}
