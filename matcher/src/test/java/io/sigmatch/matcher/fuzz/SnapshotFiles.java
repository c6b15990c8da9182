package io.sigmatch.matcher.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.zip.GZIPOutputStream;

/** Where the snapshot fuzz targets write their inputs, and the repository's sample snapshot files. */
final class SnapshotFiles {
    private SnapshotFiles() {
    }

    static Path tempDir() {
        try {
            final Path dir = Files.createTempDirectory("sigmatch-fuzz-");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(final Path file, final byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(final byte[] bytes) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The repository root (the build sets sigmatch.repo; else found upwards from here). */
    static Path repo() {
        final String configured = System.getProperty("sigmatch.repo");
        if (configured != null && Files.isDirectory(Paths.get(configured, "pcap-samples"))) {
            return Paths.get(configured);
        }
        Path p = Paths.get("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("pcap-samples"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("pcap-samples not found above " + Paths.get("").toAbsolutePath());
        }
        return p;
    }

    static byte[] read(final Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Counts the lines of a text (for checking that a reported line number is inside the file). */
    static long lines(final byte[] text) {
        long n = 1;
        for (final byte b : text) {
            if (b == '\n') {
                n++;
            }
        }
        return n;
    }
}
