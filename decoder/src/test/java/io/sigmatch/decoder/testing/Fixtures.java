package io.sigmatch.decoder.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where the repository, the capture corpus and the committed fixtures are. Fixtures are read from
 * the source tree (not the class path) so that {@code -Dsigmatch.fixtures.write=true} can rewrite
 * them in place from tshark's output.
 */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path repo() {
        final String configured = System.getProperty("sigmatch.repo");
        if (configured != null && Files.isDirectory(Paths.get(configured, "pcap-samples"))) {
            return Paths.get(configured);
        }
        Path p = Paths.get("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("pcap-samples"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repository root (pcap-samples/) from " + Paths.get("").toAbsolutePath());
        }
        return p;
    }

    public static Path corpus() {
        return repo().resolve("pcap-samples/corpus");
    }

    /** Every capture file of the corpus, sorted (MANIFEST.md and other text left out). */
    public static List<Path> corpusFiles() {
        try (Stream<Path> s = Files.walk(corpus())) {
            return s.filter(Files::isRegularFile)
                .filter(f -> f.getFileName().toString().matches(".*\\.(pcap|pcapng|cap)$"))
                .sorted()
                .collect(Collectors.toList());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path testResources() {
        return repo().resolve("decoder/src/test/resources");
    }

    public static Path fixture(final String relative) {
        return testResources().resolve("fixtures").resolve(relative);
    }

    public static boolean writeMode() {
        return Boolean.getBoolean("sigmatch.fixtures.write");
    }

    public static List<String> readLines(final Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void writeLines(final Path file, final List<String> lines) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
