package io.sigmatch.matcher.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.sigmatch.matcher.lists.IdentityKind;
import io.sigmatch.matcher.lists.ListFormatException;
import io.sigmatch.matcher.lists.TargetList;
import io.sigmatch.matcher.lists.TargetListLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzing (Jazzer standalone, coverage-guided, in the long runs of docs/hostile.md; seeded mutants
 * of the seeds and of {@code <Class>Inputs/load/} in the build, with no Jazzer agent in this
 * module) of the target list loader, plain and gzip. The first input byte picks the identity kind
 * and the form: the rest as a plain file, gzip-compressed (a valid gzip of fuzzed text), as raw
 * bytes named .gz (fuzzed gzip framing) or compressed then cut in half (a truncated upload). The
 * contract: a list, or a {@link ListFormatException} with a reason and a line number inside the
 * file; nothing else escapes (not even an IOException: the file exists).
 */
class TargetListFuzzTest {
    private static final Path DIR = SnapshotFiles.tempDir();
    private static final IdentityKind[] KINDS = {IdentityKind.IMSI, IdentityKind.MSISDN, IdentityKind.TAC,
        IdentityKind.IMSI};

    /** The target: the build's short run calls it, and Jazzer standalone for the long runs (docs/hostile.md). */
    public static void fuzzerTestOneInput(final byte[] input) {
        if (input.length == 0) {
            return;
        }
        final int mode = input[0] & 3;
        final IdentityKind kind = KINDS[(input[0] >>> 2) & 3];
        final byte[] text = Arrays.copyOfRange(input, 1, input.length);
        final byte[] file;
        switch (mode) {
            case 0:
                file = text;
                break;
            case 1:
                file = SnapshotFiles.gzip(text);
                break;
            case 2:
                file = text;
                break;
            default:
                final byte[] gz = SnapshotFiles.gzip(text);
                file = Arrays.copyOf(gz, gz.length / 2);
                break;
        }
        final Path path = SnapshotFiles.write(DIR.resolve(mode == 0 ? "fuzz.txt" : "fuzz.txt.gz"), file);
        try (TargetList list = TargetListLoader.load("fuzz", kind, path)) {
            if (mode <= 1 && list.size() > SnapshotFiles.lines(text)) {
                throw new AssertionError(list.size() + " entries from " + SnapshotFiles.lines(text) + " lines");
            }
        } catch (final ListFormatException e) {
            if (e.reason() == null || e.reason().isEmpty() || e.line() < 0
                || (mode <= 1 && e.line() > SnapshotFiles.lines(text))) {
                throw new AssertionError("refusal without a usable line and reason: " + e.getMessage(), e);
            }
        } catch (final IOException e) {
            throw new AssertionError("an IOException escaped instead of a ListFormatException", e);
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shortRun() {
        final long tried = FuzzRun.run("target-list", seeds(), TargetListFuzzTest::fuzzerTestOneInput);
        assertTrue(tried > 0);
    }

    /** The sample lists of the repository, in every form, and a few hand-written edge cases. */
    static List<byte[]> seeds() {
        final List<byte[]> seeds = new ArrayList<>(FuzzRun.seedFiles(TargetListFuzzTest.class, "load"));
        final Path samples = SnapshotFiles.repo().resolve("pcap-samples");
        final Object[][] files = {{"demo/gold-imsi.txt", 0}, {"generated/vip-imsi.txt", 0}, {"generated/dnd.txt", 1},
            {"generated/tac-old4g.txt", 2}};
        for (final Object[] f : files) {
            byte[] text = SnapshotFiles.read(samples.resolve((String) f[0]));
            text = Arrays.copyOf(text, Math.min(text.length, 4096));
            for (int mode = 0; mode < 4; mode++) {
                final int kind = (Integer) f[1];
                final byte[] body = mode == 2 ? SnapshotFiles.gzip(text) : text;
                final byte[] in = new byte[1 + body.length];
                in[0] = (byte) (mode | kind << 2);
                System.arraycopy(body, 0, in, 1, body.length);
                seeds.add(in);
            }
        }
        for (final String s : new String[] {"\uFEFF460001234567890\n", "+8613800138000 # vip\r\n\n", "# only comments\n",
            "46000123456789\n46000123456789\n", "1234567890123456\n", "+\n", "4600 0123\n"}) {
            final byte[] b = s.getBytes(StandardCharsets.UTF_8);
            final byte[] in = new byte[1 + b.length];
            in[0] = (byte) (s.startsWith("+") ? 4 : 0);
            System.arraycopy(b, 0, in, 1, b.length);
            seeds.add(in);
        }
        return seeds;
    }
}
