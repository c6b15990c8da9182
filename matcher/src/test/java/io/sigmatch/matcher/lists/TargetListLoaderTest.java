package io.sigmatch.matcher.lists;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

import io.sigmatch.decoder.Digits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetListLoaderTest {
    @TempDir
    Path tmp;

    private Path write(final String name, final String content) throws IOException {
        final Path file = tmp.resolve(name);
        if (name.endsWith(".gz")) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
                out.write(content.getBytes(StandardCharsets.UTF_8));
            }
        } else {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        }
        return file;
    }

    private static long d(final String digits) {
        return Digits.parse(digits);
    }

    @Test
    void plainListWithCommentsBlankLinesPlusAndSpaces() throws Exception {
        final Path file = write("gold.txt", "# gold customers, exported 2026-11-21\n"
            + "8613800138000\n"
            + "\n"
            + "+8613800138001\n"
            + "   8613800138002   # VIP\n"
            + "\t+447700900123\r\n"
            + "8613800138000\n"
            + "# trailing comment without newline");
        try (TargetList list = TargetListLoader.load("gold", IdentityKind.MSISDN, file)) {
            assertEquals("gold", list.name());
            assertEquals(IdentityKind.MSISDN, list.kind());
            assertEquals(4, list.size());
            assertTrue(list.contains(d("8613800138000")));
            assertTrue(list.contains(d("8613800138001")));
            assertTrue(list.contains(d("8613800138002")));
            assertTrue(list.contains(d("447700900123")));
            assertFalse(list.contains(d("8613800138003")));
        }
    }

    @Test
    void gzippedListByItsName() throws Exception {
        final Path file = write("dnd.txt.gz", "8613800138000\n8613800138009\n");
        try (TargetList list = TargetListLoader.load("dnd", IdentityKind.MSISDN, file)) {
            assertEquals(2, list.size());
            assertTrue(list.contains(d("8613800138009")));
        }
    }

    @Test
    void lastLineWithoutNewlineAndAByteOrderMark() throws Exception {
        final Path file = tmp.resolve("bom.txt");
        Files.write(file, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '4', '6', '0', '0', '0', '1', '2', '3', '4',
            '5', '6', '7', '8', '9', '\n', '4', '6', '0', '0', '0', '1', '2', '3', '4', '5', '6', '7', '8', '8'});
        try (TargetList list = TargetListLoader.load("imsis", IdentityKind.IMSI, file)) {
            assertEquals(2, list.size());
            assertTrue(list.contains(d("46000123456789")));
            assertTrue(list.contains(d("46000123456788")));
        }
    }

    @Test
    void tacList() throws Exception {
        final Path file = write("tac-old4g.txt", "35345678\n01234567\n");
        try (TargetList list = TargetListLoader.load("old4g", IdentityKind.TAC, file)) {
            assertTrue(list.contains(d("01234567")));
            assertFalse(list.contains(d("1234567")));
        }
    }

    @Test
    void anEmptyFileIsAnEmptyList() throws Exception {
        try (TargetList list = TargetListLoader.load("none", IdentityKind.MSISDN, write("none.txt", "# nobody yet\n"))) {
            assertEquals(0, list.size());
        }
    }

    // ---- refusals: one per reason, each naming its line ------------------------------------------------

    private ListFormatException refused(final IdentityKind kind, final String name, final String content) throws IOException {
        final Path file = write(name, content);
        return assertThrows(ListFormatException.class, () -> TargetListLoader.load("x", kind, file));
    }

    @Test
    void aLetterRefusesTheListWithItsLine() throws Exception {
        final ListFormatException e = refused(IdentityKind.MSISDN, "a.txt", "8613800138000\n# ok\n86138001x8001\n");
        assertEquals(3, e.line());
        assertEquals("a.txt", e.source());
        assertEquals("unexpected character 'x'", e.reason());
        assertEquals("a.txt line 3: unexpected character 'x'", e.getMessage());
        assertFalse(e.getMessage().contains("86138001"), "an identity must not appear in the message");
    }

    @Test
    void aCsvLineIsRefused() throws Exception {
        assertEquals("unexpected character ','",
            refused(IdentityKind.MSISDN, "a.txt", "8613800138000,gold\n").reason());
    }

    @Test
    void aSpaceInsideANumberIsRefused() throws Exception {
        final ListFormatException e = refused(IdentityKind.MSISDN, "a.txt", "\n\n8613 800138000\n");
        assertEquals(3, e.line());
        assertEquals("space inside a number", e.reason());
    }

    @Test
    void tooManyDigitsForTheKindIsRefused() throws Exception {
        final ListFormatException e = refused(IdentityKind.MSISDN, "a.txt", "8613800138000\n1234567890123456\n");
        assertEquals(2, e.line());
        assertEquals("more than 15 digits, the most an MSISDN has", e.reason());
    }

    @Test
    void anMsisdnInAnImsiListIsRefused() throws Exception {
        final ListFormatException e = refused(IdentityKind.IMSI, "imsi.txt", "460001234567890\n8613800138000\n");
        assertEquals(2, e.line());
        assertEquals("13 digits, fewer than the 14 an IMSI has at least", e.reason());
    }

    @Test
    void aShortTacIsRefused() throws Exception {
        assertEquals(1, refused(IdentityKind.TAC, "t.txt", "3534567\n").line());
    }

    @Test
    void plusIsForMsisdnListsOnly() throws Exception {
        assertEquals("'+' is allowed in MSISDN lists only",
            refused(IdentityKind.IMSI, "i.txt", "+460001234567890\n").reason());
    }

    @Test
    void plusWithoutANumberIsRefused() throws Exception {
        assertEquals("'+' without a number", refused(IdentityKind.MSISDN, "a.txt", "+\n").reason());
        assertEquals("'+' without a number", refused(IdentityKind.MSISDN, "c.txt", "+#x\n").reason());
        assertEquals("'+' without a number", refused(IdentityKind.MSISDN, "d.txt", "8613800138000\n+").reason());
    }

    @Test
    void spaceAfterPlusIsRefused() throws Exception {
        assertEquals("space after '+'", refused(IdentityKind.MSISDN, "a.txt", "+ 8613800138000\n").reason());
    }

    @Test
    void aSecondPlusIsRefused() throws Exception {
        assertEquals("unexpected character '+'", refused(IdentityKind.MSISDN, "a.txt", "++8613800138000\n").reason());
        assertEquals("unexpected character '+'", refused(IdentityKind.MSISDN, "b.txt", "86138+00138000\n").reason());
    }

    @Test
    void aControlByteIsNamedInHex() throws Exception {
        assertEquals("unexpected character 0x00", refused(IdentityKind.MSISDN, "a.txt", "86138\u000000138000\n").reason());
    }

    @Test
    void aFileNamedGzThatIsNotGzipIsRefused() throws Exception {
        final Path file = tmp.resolve("list.txt.gz");
        Files.writeString(file, "8613800138000\n");
        final ListFormatException e = assertThrows(ListFormatException.class,
            () -> TargetListLoader.load("x", IdentityKind.MSISDN, file));
        assertTrue(e.reason().startsWith("not gzip"), e.reason());
    }

    @Test
    void aTruncatedGzipIsRefusedWithTheLineItBrokeOn() throws Exception {
        final StringBuilder content = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            content.append(8613800000000L + i).append('\n');
        }
        final Path full = write("full.txt.gz", content.toString());
        final byte[] bytes = Files.readAllBytes(full);
        final Path cut = tmp.resolve("cut.txt.gz");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        final ListFormatException e = assertThrows(ListFormatException.class,
            () -> TargetListLoader.load("x", IdentityKind.MSISDN, cut));
        assertTrue(e.line() > 1, "line " + e.line());
        assertTrue(e.reason().startsWith("unreadable"), e.reason());
    }

    @Test
    void aRefusedListLeavesTheListInUseServing() throws Exception {
        try (TargetList inUse = TargetListLoader.load("gold", IdentityKind.MSISDN, write("gold.txt", "8613800138000\n"))) {
            TargetList replacement = inUse;
            try {
                replacement = TargetListLoader.load("gold", IdentityKind.MSISDN, write("gold-2.txt", "8613800138001\nbad\n"));
            } catch (final ListFormatException refused) {
                assertEquals(2, refused.line());
            }
            assertTrue(replacement == inUse, "nothing replaced the list in use");
            assertTrue(inUse.contains(d("8613800138000")));
            assertFalse(inUse.contains(d("8613800138001")));
        }
    }

    /** Ten million MSISDNs from a file: the load path a real snapshot takes, at a size the suite affords. */
    @Test
    void tenMillionEntriesFromAFile() throws Exception {
        final long seed = Long.getLong("sigmatch.seed", System.nanoTime());
        System.out.println("tenMillionEntriesFromAFile seed " + seed);
        final SplittableRandom random = new SplittableRandom(seed);
        final Path file = tmp.resolve("ten-million.txt");
        final int entries = 10_000_000;
        final long[] sample = new long[1000];
        // 30 number blocks of 10^8 (an operator's MSISDN ranges), ~3 % of them listed
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            final byte[] line = new byte[14];
            line[13] = '\n';
            for (int i = 0; i < entries; i++) {
                final long n = 8613000000000L + random.nextLong(30) * 100_000_000L + random.nextLong(100_000_000L);
                if (i < sample.length) {
                    sample[i] = n;
                }
                long v = n;
                for (int p = 12; p >= 0; p--) {
                    line[p] = (byte) ('0' + v % 10);
                    v /= 10;
                }
                out.write(line);
            }
        }
        final long start = System.nanoTime();
        try (TargetList list = TargetListLoader.load("ten-million", IdentityKind.MSISDN, file)) {
            final long ms = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("loaded %d entries (%d distinct) in %d ms: %d chunks, %.2f bytes an entry%n",
                entries, list.size(), ms, list.chunks(), (double) list.memoryBytes() / list.size());
            assertTrue(list.size() > entries * 0.98 && list.size() <= entries);
            for (final long n : sample) {
                assertTrue(list.contains(Digits.pack(n, 13)));
            }
        }
    }
}
