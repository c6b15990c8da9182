package io.sigmatch.matcher.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.sigmatch.matcher.areas.AreaFileLoader;
import io.sigmatch.matcher.areas.AreaFormatException;
import io.sigmatch.matcher.areas.AreaMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzing (Jazzer standalone, coverage-guided, in the long runs of docs/hostile.md; seeded mutants
 * of the seeds and of {@code <Class>Inputs/load/} in the build, with no Jazzer agent in this
 * module) of the area file loader (CSV {@code plmn,cell}), plain and gzip: the first input byte
 * picks the form as in {@link TargetListFuzzTest}. The contract: an area map, or an {@link
 * AreaFormatException} with a reason and a line number inside the file; nothing else.
 */
class AreaFileFuzzTest {
    private static final Path DIR = SnapshotFiles.tempDir();

    /** The target: the build's short run calls it, and Jazzer standalone for the long runs (docs/hostile.md). */
    public static void fuzzerTestOneInput(final byte[] input) {
        if (input.length == 0) {
            return;
        }
        final int mode = input[0] & 3;
        final byte[] text = Arrays.copyOfRange(input, 1, input.length);
        final byte[] file;
        if (mode == 1) {
            file = SnapshotFiles.gzip(text);
        } else if (mode == 3) {
            final byte[] gz = SnapshotFiles.gzip(text);
            file = Arrays.copyOf(gz, gz.length / 2);
        } else {
            file = text;
        }
        final Path path = SnapshotFiles.write(DIR.resolve(mode == 0 ? "fuzz.csv" : "fuzz.csv.gz"), file);
        try (AreaMap map = AreaFileLoader.load(new String[] {"fuzz"}, new Path[] {path})) {
            if (map == null) {
                throw new AssertionError("no map and no refusal");
            }
        } catch (final AreaFormatException e) {
            if (e.reason() == null || e.reason().isEmpty() || e.line() < 0
                || (mode <= 1 && e.line() > SnapshotFiles.lines(text))) {
                throw new AssertionError("refusal without a usable line and reason: " + e.getMessage(), e);
            }
        } catch (final IOException e) {
            throw new AssertionError("an IOException escaped instead of an AreaFormatException", e);
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shortRun() {
        final long tried = FuzzRun.run("area-file", seeds(), AreaFileFuzzTest::fuzzerTestOneInput);
        assertTrue(tried > 0);
    }

    /**
     * The findings of the fuzz runs, kept: a truncated gzip let an EOFException escape, and a file
     * without newlines was read into one String however large; bytes that are not UTF-8 were read
     * as replacement characters. Each is now a refusal naming the line.
     */
    @Test
    void findingsAreRefusalsWithALine() throws IOException {
        final byte[] text = ("plmn,cell\n" + "46000,27439617\n46000,27439618\n".repeat(4000)).getBytes(StandardCharsets.UTF_8);
        final byte[] gz = SnapshotFiles.gzip(text);
        assertRefused(Arrays.copyOf(gz, gz.length / 2), "areas.csv.gz", "unreadable");
        assertRefused(("plmn,cell\n46000," + "1".repeat(100_000)).getBytes(StandardCharsets.UTF_8), "areas.csv",
            "line 2: line longer than 1024 bytes");
        assertRefused(new byte[] {'p', 'l', 'm', 'n', ',', 'c', 'e', 'l', 'l', '\n', '4', '6', '0', '0', '0', ',', '1',
            (byte) 0xE9, '\n'}, "areas.csv", "line 2: not UTF-8 text");
        assertRefused("plmn,cell\n46000,1\n".getBytes(StandardCharsets.UTF_16), "areas.csv", "line 1: not UTF-8 text");
    }

    private static void assertRefused(final byte[] file, final String name, final String expected) throws IOException {
        final Path path = SnapshotFiles.write(DIR.resolve(name), file);
        try (AreaMap map = AreaFileLoader.load(new String[] {"a"}, new Path[] {path})) {
            throw new AssertionError("accepted " + name + " with " + map.areaCount() + " areas");
        } catch (final AreaFormatException e) {
            assertTrue(e.getMessage().contains(expected), e.getMessage());
        }
    }

    static List<byte[]> seeds() {
        final List<byte[]> seeds = new ArrayList<>(FuzzRun.seedFiles(AreaFileFuzzTest.class, "load"));
        final Path areas = SnapshotFiles.repo().resolve("pcap-samples/generated/areas");
        final List<byte[]> texts = new ArrayList<>();
        for (final String f : new String[] {"airport-T3.csv", "stadium.csv"}) {
            final byte[] t = SnapshotFiles.read(areas.resolve(f));
            texts.add(Arrays.copyOf(t, Math.min(t.length, 4096)));
        }
        for (final String s : new String[] {"\uFEFFplmn,cell\r\n46000,1234:5678\r\n", "plmn, cell\n\n460001,68719476735\n",
            "plmn,cell\n46000,65535:65535\n46000,65536:1\n", "plmn,cell\n46000,27439617,extra\n"}) {
            texts.add(s.getBytes(StandardCharsets.UTF_8));
        }
        for (final byte[] t : texts) {
            for (int mode = 0; mode < 4; mode++) {
                final byte[] body = mode == 2 ? SnapshotFiles.gzip(t) : t;
                final byte[] in = new byte[1 + body.length];
                in[0] = (byte) mode;
                System.arraycopy(body, 0, in, 1, body.length);
                seeds.add(in);
            }
        }
        return seeds;
    }
}
