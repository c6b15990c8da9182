package io.sigmatch.matcher.lists;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import io.sigmatch.decoder.Digits;
import org.junit.jupiter.api.Test;

class TargetListTest {
    private static final long SEED = Long.getLong("sigmatch.seed", System.nanoTime());

    private static long msisdn(final String digits) {
        return Digits.parse(digits);
    }

    private static TargetList build(final IdentityKind kind, final int bitmapMinEntries, final long... entries) {
        final TargetListBuilder b = new TargetListBuilder(kind, bitmapMinEntries);
        for (final long e : entries) {
            b.add(e);
        }
        return b.build("test");
    }

    /**
     * Random lists of every shape — dense number blocks (bitmaps), medium ones (indexed chunks), scattered
     * numbers (small chunks), mixed lengths — checked against a HashSet, members and near misses alike.
     */
    @Test
    void agreesWithAHashSetOnRandomLists() {
        System.out.println("TargetListTest seed " + SEED + " (rerun with -Dsigmatch.seed=" + SEED + ")");
        final SplittableRandom random = new SplittableRandom(SEED);
        for (int round = 0; round < 20; round++) {
            final int bitmapMin = 33 + random.nextInt(4000);
            final Set<Long> expected = new HashSet<>();
            final TargetListBuilder builder = new TargetListBuilder(IdentityKind.MSISDN, bitmapMin);
            final int blocks = 1 + random.nextInt(6);
            for (int b = 0; b < blocks; b++) {
                final int length = 5 + random.nextInt(11);
                final long span = Math.min(pow10(length), 1L << (12 + random.nextInt(10)));
                final long base = random.nextLong(pow10(length) - span + 1);
                final int entries = random.nextInt((int) Math.min(span, 20_000)) + 1;
                for (int i = 0; i < entries; i++) {
                    final long v = Digits.pack(base + random.nextLong(span), length);
                    expected.add(v);
                    builder.add(v);
                    if (random.nextInt(10) == 0) {
                        builder.add(v);
                    }
                }
            }
            try (TargetList list = builder.build("random")) {
                assertEquals(expected.size(), list.size(), "seed " + SEED + " round " + round);
                for (final long v : expected) {
                    assertTrue(list.contains(v), "seed " + SEED + " round " + round);
                    for (final long near : new long[] {v - 1, v + 1, v ^ 1L << 16, v + (1L << 59), v - (1L << 59)}) {
                        assertEquals(expected.contains(near), list.contains(near), "seed " + SEED + " round " + round);
                    }
                }
                for (int i = 0; i < 50_000; i++) {
                    final int length = 1 + random.nextInt(15);
                    final long v = Digits.pack(random.nextLong(pow10(length)), length);
                    assertEquals(expected.contains(v), list.contains(v), "seed " + SEED + " round " + round);
                }
            }
        }
    }

    private static long pow10(final int n) {
        long p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }

    @Test
    void leadingZerosAreSignificant() {
        try (TargetList list = build(IdentityKind.MSISDN, 2048, msisdn("0044123"))) {
            assertTrue(list.contains(msisdn("0044123")));
            assertFalse(list.contains(msisdn("044123")));
            assertFalse(list.contains(msisdn("44123")));
        }
    }

    @Test
    void noneAndInvalidAreNeverMembers() {
        try (TargetList list = build(IdentityKind.MSISDN, 2048, msisdn("8613800138000"))) {
            assertFalse(list.contains(Digits.NONE));
            assertFalse(list.contains(Digits.INVALID));
            assertFalse(list.contains(Long.MIN_VALUE));
        }
    }

    @Test
    void anEmptyListHoldsNothing() {
        try (TargetList list = new TargetListBuilder(IdentityKind.IMSI).build("empty")) {
            assertEquals(0, list.size());
            assertEquals(0, list.chunks());
            assertFalse(list.contains(Digits.parse("460001234567890")));
        }
    }

    /** Positions at the edges of a chunk and of the index's high-byte buckets, in every container kind. */
    @Test
    void chunkAndBucketEdgesInEveryContainerKind() {
        final long base = Digits.parse("8613800000000") & ~0xFFFFL;
        final int[] edges = {0, 1, 254, 255, 256, 257, 0x7FFF, 0x8000, 0xFEFF, 0xFF00, 0xFFFE, 0xFFFF};
        // small: just the edges; indexed: edges plus fillers; bitmap: edges plus many fillers
        for (final int fillers : new int[] {0, 100, 5_000}) {
            final TargetListBuilder b = new TargetListBuilder(IdentityKind.MSISDN, 2048);
            final Set<Long> expected = new HashSet<>();
            for (final int e : edges) {
                b.add(base + e);
                expected.add(base + e);
            }
            for (int i = 0; i < fillers; i++) {
                final long v = base + 1000 + i * 11L;
                b.add(v);
                expected.add(v);
            }
            try (TargetList list = b.build("edges")) {
                assertEquals(1, list.chunks());
                for (int p = 0; p <= 0xFFFF; p++) {
                    assertEquals(expected.contains(base + p), list.contains(base + p), "position " + p + " fillers " + fillers);
                }
                assertFalse(list.contains(base + 0x10000));
                assertFalse(list.contains(base - 1));
            }
        }
    }

    @Test
    void containerKindFollowsTheEntriesInAChunk() {
        final long base = Digits.parse("8613800000000") & ~0xFFFFL;
        final long[] small = new long[32];
        final long[] indexed = new long[33];
        final long[] ranged = new long[64];
        for (int i = 0; i < ranged.length; i++) {
            if (i < small.length) {
                small[i] = base + i * 7;
            }
            if (i < indexed.length) {
                indexed[i] = base + i * 7;
            }
            ranged[i] = base + i * 7;
        }
        // B = 100: a chunk joins a range from 50 entries
        try (TargetList s = build(IdentityKind.MSISDN, 100, small);
             TargetList x = build(IdentityKind.MSISDN, 100, indexed);
             TargetList m = build(IdentityKind.MSISDN, 100, ranged)) {
            // data bytes: 32 x u16; the 257-entry index + 33 low bytes (8-aligned); an 8 KiB bitmap
            assertEquals(64, s.dataBytes());
            assertEquals(552, x.dataBytes());
            assertEquals(8192, m.dataBytes());
            assertEquals(0, s.ranges());
            assertEquals(0, x.ranges());
            assertEquals(1, m.ranges());
            assertEquals(64, m.size());
        }
    }

    /**
     * Runs of consecutive dense chunks become ranges; a gap or a sparse chunk ends a run; beyond the
     * range table's size the shortest runs stay in the directory as bitmaps. Every lookup still agrees.
     */
    @Test
    void rangesFormFromConsecutiveDenseChunksAndOverflowToTheDirectory() {
        final TargetListBuilder b = new TargetListBuilder(IdentityKind.MSISDN, 64);
        final Set<Long> expected = new HashSet<>();
        final long base = Digits.parse("8613800000000") & ~0xFFFFL;
        // one run of 5 dense chunks, then a sparse chunk, then 300 isolated dense chunks (every other key)
        for (int c = 0; c < 5; c++) {
            fill(b, expected, base + ((long) c << 16), 100);
        }
        fill(b, expected, base + (5L << 16), 3);
        for (int c = 0; c < 300; c++) {
            fill(b, expected, base + ((long) (10 + 2 * c) << 16), 70);
        }
        try (TargetList list = b.build("runs")) {
            assertEquals(TargetList.MAX_RANGES, list.ranges());
            assertEquals(expected.size(), list.size());
            for (long v = base; v < base + (612L << 16); v += 3) {
                assertEquals(expected.contains(v), list.contains(v), "at " + v);
            }
            for (final long v : expected) {
                assertTrue(list.contains(v));
            }
        }
    }

    private static void fill(final TargetListBuilder b, final Set<Long> expected, final long chunkBase, final int entries) {
        for (int i = 0; i < entries; i++) {
            final long v = chunkBase + i * 613L % 65536;
            b.add(v);
            expected.add(v);
        }
    }

    @Test
    void aDenseBlockCostsAtMostFourBytesAnEntry() {
        // one 100 000-number block, a third of it listed: density of DESIGN §9's 100 M list
        final TargetListBuilder b = new TargetListBuilder(IdentityKind.MSISDN);
        final long base = Digits.parse("8613800000000");
        for (int i = 0; i < 3_000_000; i += 3) {
            b.add(base + i * 10L);
        }
        try (TargetList list = b.build("dense")) {
            final double perEntry = (double) list.memoryBytes() / list.size();
            assertTrue(perEntry <= 4.0, perEntry + " bytes an entry");
        }
    }

    @Test
    void lookingUpAClosedListFailsInsteadOfReadingFreedMemory() {
        final TargetList list = build(IdentityKind.MSISDN, 2048, msisdn("8613800138000"));
        list.close();
        list.close();
        assertThrows(IndexOutOfBoundsException.class, () -> list.contains(msisdn("8613800138000")));
    }

    @Test
    void builderRefusesWhatIsNotAPackedDigitString() {
        final TargetListBuilder b = new TargetListBuilder(IdentityKind.MSISDN);
        assertThrows(IllegalArgumentException.class, () -> b.add(Digits.NONE));
        assertThrows(IllegalArgumentException.class, () -> b.add(Digits.INVALID));
        assertThrows(IllegalArgumentException.class, () -> new TargetListBuilder(IdentityKind.MSISDN, 32));
    }
}
