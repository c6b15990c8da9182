package io.sigmatch.matcher.areas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

class AreaMapTest {
    static final long CM = Digits.parse("46000");
    static final long US = Digits.parse("310150");

    @TempDir
    Path tmp;

    private Path write(final String name, final String text) throws IOException {
        final Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void cellsMapToEveryAreaThatNamesThem() throws Exception {
        // airport-T3 inside airport: one cell in both, LAC:CI and a 36-bit NCI in one
        final Path t3 = write("t3.csv", "plmn,cell\n46000,27440068\n46000,4660:48879\r\n\n");
        final Path airport = write("airport.csv", "plmn,cell\n46000,27440068\n46000,27440069\n310150,68719476735\n");
        try (AreaMap map = AreaFileLoader.load(new String[] {"airport-T3", "airport"}, new Path[] {t3, airport})) {
            assertEquals(4, map.cellCount());
            final int both = map.setOf(CellKey.ofCellId(CM, 27440068));
            assertTrue(map.contains(both, 0) && map.contains(both, 1));
            final int lacCi = map.setOf(CellKey.ofLacCi(CM, 4660, 48879));
            assertTrue(map.contains(lacCi, 0));
            assertFalse(map.contains(lacCi, 1));
            assertTrue(map.cellIn(CellKey.ofCellId(US, 68719476735L), 1));
            assertEquals(0, map.setOf(CellKey.ofCellId(CM, 27440070)), "a cell in no area");
            assertEquals(0, map.setOf(CellKey.ofCellId(Digits.parse("46001"), 27440068)), "same id, other PLMN");
            assertEquals(0, map.setOf(CellKey.ofCellId(Digits.parse("460000"), 27440068)), "46000 and 460000 differ");
            assertEquals(0, map.setOf(CellKey.ofCellId(CM, 4660L << 16 | 48879)), "LAC:CI is not a decimal id");
            assertEquals(0, map.setOf(CellKey.NONE));
            assertEquals(1, map.indexOf("airport"));
            assertEquals(1, map.indexOfStableId(AreaMap.stableId("airport")));
            assertEquals(4, map.setCount(), "empty, {T3}, {T3, airport}, {airport}");
        }
    }

    @Test
    void gzippedAreaFiles() throws Exception {
        final Path gz = tmp.resolve("shops.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("plmn,cell\n46000,1\n".getBytes(StandardCharsets.US_ASCII));
        }
        try (AreaMap map = AreaFileLoader.load(new String[] {"shops"}, new Path[] {gz})) {
            assertTrue(map.cellIn(CellKey.ofCellId(CM, 1), 0));
        }
    }

    @Test
    void aBadLineIsRefusedWithFileLineAndReason() throws Exception {
        assertRefused("plmn,cell\n46000,1\n4600,2\n", 3, "plmn must be MCC+MNC, 5 or 6 digits");
        assertRefused("plmn,cell\n46000,68719476736\n", 2, "cell identity above 2^36-1 (an NCI has 36 bits)");
        assertRefused("plmn,cell\n46000,65536:1\n", 2, "LAC and CI are 16 bits each (TS 23.003 4.1, 4.3.1)");
        assertRefused("plmn,cell\n46000,12a\n", 2, "cell must be a decimal ECI/NCI or LAC:CI");
        assertRefused("plmn,cell\n46000,1:\n", 2, "LAC:CI must be two decimal numbers");
        assertRefused("plmn,cell\n46000,1,2\n", 2, "expected two fields plmn,cell");
        assertRefused("46000,1\n", 1, "the first line must be the header plmn,cell");
        assertRefused("", 0, "empty: no header plmn,cell");
    }

    private void assertRefused(final String text, final long line, final String reason) throws IOException {
        final Path p = write("bad.csv", text);
        final AreaFormatException e = assertThrows(AreaFormatException.class,
            () -> AreaFileLoader.load(new String[] {"a"}, new Path[] {p}).close());
        assertEquals("bad.csv", e.source());
        assertEquals(line, e.line());
        assertEquals(reason, e.reason());
    }

    @Test
    void millionsOfCellsStayCompactAndFast() {
        // 2 M cells over 200 areas of 10 000 cells each, every cell in one area, 1 in 10 also in a second
        final int areas = 200;
        final String[] names = new String[areas];
        for (int i = 0; i < areas; i++) {
            names[i] = "a" + i;
        }
        final AreaMapBuilder b = new AreaMapBuilder(names);
        for (int a = 0; a < areas; a++) {
            for (int c = 0; c < 10_000; c++) {
                assertTrue(b.add(a, CellKey.ofCellId(CM, a * 10_000L + c)));
            }
        }
        try (AreaMap map = b.build()) {
            assertEquals(2_000_000, map.cellCount());
            final double bytesPerCell = (double) map.bytes() / map.cellCount();
            assertTrue(bytesPerCell < 17, bytesPerCell + " bytes per cell");
            final SplittableRandom r = new SplittableRandom(7);
            long found = 0;
            final long start = System.nanoTime();
            for (int i = 0; i < 2_000_000; i++) {
                final long cell = r.nextLong(4_000_000);
                found += map.contains(map.setOf(CellKey.ofCellId(CM, cell)), (int) (cell / 10_000)) ? 1 : 0;
            }
            final long ns = System.nanoTime() - start;
            assertTrue(found > 900_000 && found < 1_100_000, found + " found");
            System.out.printf("areas: %d cells, %.1f bytes/cell, %.0f ns per lookup%n", map.cellCount(), bytesPerCell,
                ns / 2_000_000.0);
        }
    }
}
