package io.sigmatch.perf;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.sigmatch.decoder.Plmn;
import io.sigmatch.matcher.areas.AreaMap;
import io.sigmatch.matcher.areas.AreaMapBuilder;
import io.sigmatch.matcher.areas.CellKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * DESIGN §9's area lookup: cell → area set in an {@link AreaMap} of a province's size, then a test of
 * one area in the set, as the trigger stage does per event. The cells are E-UTRAN ECIs of one PLMN
 * (eNB id × 256 + cell); {@code cells} of them are in at least one of {@code areas} areas (a venue
 * holds a few hundred cells, an area set is shared by many cells), and the queries mix cells in the
 * map (half) with cells outside every area, read from an array far larger than the caches.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(jvmArgsAppend = {"-Xmx2g", "-Xms1g"})
public class AreaLookupBenchmark {
    private static final int QUERIES = 1 << 22;
    private static final int DISTRICTS = 40;

    @Param({"1000000"})
    public int cells;

    @Param({"2000"})
    public int areas;

    private AreaMap map;
    private long[] keys;
    private int[] probe;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        final SplittableRandom random = new SplittableRandom(7);
        final long plmn = Plmn.of(460, 0, 2);
        final String[] names = new String[areas];
        for (int a = 0; a < areas; a++) {
            names[a] = "area-" + a;
        }
        final AreaMapBuilder builder = new AreaMapBuilder(names);
        final long[] inMap = new long[cells];
        // (area, cell) pairs, added in area order as the loader does: venues, and the last DISTRICTS areas
        // are districts holding a quarter of the venues' cells (a mall inside a district)
        final long[] pairs = new long[2 * cells];
        int n = 0;
        for (int i = 0; i < cells; i++) {
            // eNB i / 3, cell i % 3: the 28-bit ECI of TS 36.413 (eNB id × 256 + cell), each cell once
            inMap[i] = CellKey.ofCellId(plmn, ((long) (i / 3) << 8) | (i % 3));
            final int venue = random.nextInt(areas - DISTRICTS);
            pairs[n++] = (long) venue << 32 | i;
            if (random.nextInt(4) == 0) {
                pairs[n++] = (long) (areas - DISTRICTS + venue % DISTRICTS) << 32 | i;
            }
        }
        java.util.Arrays.sort(pairs, 0, n);
        for (int k = 0; k < n; k++) {
            builder.add((int) (pairs[k] >>> 32), inMap[(int) pairs[k]]);
        }
        final long start = System.nanoTime();
        map = builder.build();
        System.err.printf("%nareas: %d cells, %d areas, %d distinct sets, %d bytes = %.1f bytes/cell, built in %d ms%n",
            map.cellCount(), map.areaCount(), map.setCount(), map.bytes(), (double) map.bytes() / map.cellCount(),
            (System.nanoTime() - start) / 1_000_000);
        keys = new long[QUERIES];
        probe = new int[QUERIES];
        for (int i = 0; i < QUERIES; i++) {
            keys[i] = random.nextBoolean() ? inMap[random.nextInt(cells)]
                : CellKey.ofCellId(plmn, ((long) random.nextInt(1 << 20) << 8) | (8 + random.nextInt(200))); // no such cell in any area
            probe[i] = random.nextInt(areas);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        map.close();
    }

    /** The cell's area set and whether a given area is in it: one event's area check. */
    @Benchmark
    public boolean cellInArea() {
        final int i = next;
        next = (i + 1) & (QUERIES - 1);
        return map.contains(map.setOf(keys[i]), probe[i]);
    }
}
