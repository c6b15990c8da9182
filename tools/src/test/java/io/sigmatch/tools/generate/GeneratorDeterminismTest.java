package io.sigmatch.tools.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Issue 7 item 5: seeded and reproducible byte for byte; split by size into valid files. */
class GeneratorDeterminismTest {
    @TempDir
    Path tmp;

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws Exception {
        final String a = treeHash(generate("a", 3, "pcap", "0.1"));
        final String b = treeHash(generate("b", 3, "pcap", "0.1"));
        final String c = treeHash(generate("c", 4, "pcap", "0.1"));
        assertEquals(a, b, "same seed must give identical files");
        assertNotEquals(a, c, "another seed must give other traffic");
    }

    @Test
    void capturesAreSplitBySizeIntoWholeFiles() throws Exception {
        for (final String format : List.of("pcap", "pcapng")) {
            final Path out = generate("split-" + format, 9, format, "0.05");
            final List<Path> files = list(out.resolve("capture"));
            assertTrue(files.size() > 2, format + " should be split: " + files);
            for (final Path f : files) {
                final byte[] bytes = Files.readAllBytes(f);
                assertTrue(bytes.length <= 50_000 + 2_000, f + " is " + bytes.length + " bytes");
                // pcap nanosecond magic A1B23C4D or pcapng SHB 0A0D0D0A, both written little-endian
                final int magic = (bytes[0] & 0xFF) | (bytes[1] & 0xFF) << 8 | (bytes[2] & 0xFF) << 16 | (bytes[3] & 0xFF) << 24;
                assertEquals("pcap".equals(format) ? 0xA1B23C4D : 0x0A0D0D0A, magic, f.toString());
            }
        }
    }

    private Path generate(final String name, final long seed, final String format, final String splitMb)
        throws Exception {
        final Path out = tmp.resolve(name);
        final GenerateCommand command = CommandLine.populateCommand(new GenerateCommand(), "--subscribers", "150",
            "--hours", "2", "--seed", Long.toString(seed), "--out", out.toString(), "--format", format, "--split-mb",
            splitMb);
        command.generate();
        return out;
    }

    private static List<Path> list(final Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** SHA-256 over every file's relative name and bytes, in name order. */
    private static String treeHash(final Path dir) throws Exception {
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");
        final List<Path> files = list(dir);
        assertTrue(files.size() > 8, files.toString());
        for (final Path f : files) {
            sha.update(dir.relativize(f).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sha.update(Files.readAllBytes(f));
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
