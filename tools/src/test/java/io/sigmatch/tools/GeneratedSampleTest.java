package io.sigmatch.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed sample in pcap-samples/generated: the generator still writes it byte for byte (so
 * the oracle did not drift silently), and its capture replays to exactly its basic expected matches.
 */
class GeneratedSampleTest {
    private static final Path SAMPLE = Path.of(System.getProperty("sigmatch.repo", "..")).toAbsolutePath().normalize()
        .resolve("pcap-samples/generated");

    @TempDir
    Path tmp;

    @Test
    void theGeneratorStillWritesTheCommittedSample() throws Exception {
        final Path full = tmp.resolve("full");
        final Path basic = tmp.resolve("basic");
        generate(full, "full");
        generate(basic, "basic");
        final List<Path> committed = files(SAMPLE);
        assertTrue(committed.size() > 20, committed.toString());
        for (final Path f : committed) {
            final Path rel = SAMPLE.relativize(f);
            if (rel.toString().equals("README.md") || rel.startsWith("all-protocols")) {
                continue;
            }
            final Path regenerated = rel.startsWith("basic") ? basic.resolve(rel.subpath(1, rel.getNameCount()))
                : full.resolve(rel);
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(regenerated), rel.toString());
        }
        assertEquals(files(full.resolve("capture")).size(), files(SAMPLE.resolve("capture")).size());
    }

    @Test
    void theGeneratorStillWritesTheAllProtocolSample() throws Exception {
        final Path out = tmp.resolve("all");
        final var command = picocli.CommandLine.populateCommand(new io.sigmatch.tools.generate.GenerateCommand(),
            "--subscribers", "25", "--hours", "2", "--seed", "5", "--out", out.toString(), "--rules", "basic",
            "--protocols", "gtpv2,diameter,sip");
        command.generate();
        final Path sample = SAMPLE.resolve("all-protocols");
        final List<Path> committed = files(sample);
        assertEquals(files(out).size(), committed.size());
        for (final Path f : committed) {
            final Path rel = sample.relativize(f);
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(out.resolve(rel)), rel.toString());
        }
        if (GeneratedTrafficEndToEndTest.DECODER_HAS_DIAMETER_AND_SIP) {
            final GeneratedTrafficEndToEndTest.Comparison c = GeneratedTrafficEndToEndTest.replayAndCompareAllProtocols(out);
            assertTrue(c.missing().isEmpty() && c.extra().isEmpty(), c.toString());
        }
    }

    @Test
    void theCommittedCaptureReplaysToItsBasicExpectedMatches() throws Exception {
        final Path out = tmp.resolve("replay");
        Files.createDirectories(out);
        for (final Path f : files(SAMPLE.resolve("basic"))) {
            Files.copy(f, out.resolve(f.getFileName()));
        }
        Files.createDirectories(out.resolve("capture"));
        for (final Path f : files(SAMPLE.resolve("capture"))) {
            Files.copy(f, out.resolve("capture").resolve(f.getFileName()));
        }
        final GeneratedTrafficEndToEndTest.Comparison c = GeneratedTrafficEndToEndTest.replayAndCompare(out);
        assertTrue(c.expected().size() > 100, c.toString());
        assertTrue(c.missing().isEmpty() && c.extra().isEmpty(), c.toString());
    }

    private static void generate(final Path out, final String rules) throws Exception {
        final var command = picocli.CommandLine.populateCommand(new io.sigmatch.tools.generate.GenerateCommand(),
            "--subscribers", "100", "--hours", "4", "--seed", "4", "--out", out.toString(), "--rules", rules,
            "--split-mb", "0.15");
        command.generate();
    }

    private static List<Path> files(final Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
