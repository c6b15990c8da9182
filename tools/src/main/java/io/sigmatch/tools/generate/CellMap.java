package io.sigmatch.tools.generate;

import java.util.ArrayList;
import java.util.List;

/**
 * The radio network of the scenario: E-UTRAN cells of the home PLMN, grouped in tracking areas,
 * and the named areas (sets of cells) campaigns ask about. Cell i is eNodeB (BASE_ENB + i / 3),
 * sector i % 3: ECI = eNodeB ID (20 bits) << 8 | cell id (TS 36.413 9.2.1.38). Named-area cells are
 * taken from fixed places so that every seed has the same map for the same subscriber count.
 */
final class CellMap {
    static final String PLMN = "46000";
    private static final int BASE_ENB = 0x1A2B0;
    private static final int CELLS_PER_TA = 12;
    private static final int FIRST_TAC = 0x2A00;

    /** A named area: its cells and how attractive it is to visit. */
    record Area(String id, int[] cells, int typicalDwellMinutes) {
    }

    private final int cellCount;
    private final List<Area> areas = new ArrayList<>();
    /** Bit i set: the cell is in area i. */
    private final long[] areaBits;

    CellMap(final int subscribers) {
        cellCount = Math.max(60, Math.min(60_000, subscribers / 15));
        areaBits = new long[cellCount];
        // positions as fractions of the map, so areas scale with it; the rail station and the shop
        // street share a cell (a shop in the station) to test cells in two areas
        add("airport-T3", pick(0.10, 4), 60);
        add("stadium", pick(0.30, 3), 90);
        add("rail-station", pick(0.50, 3), 25);
        final int[] shops = new int[] {pick(0.50, 3)[2], pick(0.70, 1)[0], pick(0.80, 1)[0], pick(0.90, 1)[0]};
        add("handset-shops", shops, 20);
    }

    private int[] pick(final double at, final int n) {
        final int first = (int) (cellCount * at);
        final int[] cells = new int[n];
        for (int i = 0; i < n; i++) {
            cells[i] = first + i;
        }
        return cells;
    }

    private void add(final String id, final int[] cells, final int dwell) {
        final int index = areas.size();
        areas.add(new Area(id, cells, dwell));
        for (final int c : cells) {
            areaBits[c] |= 1L << index;
        }
    }

    int cellCount() {
        return cellCount;
    }

    List<Area> areas() {
        return areas;
    }

    long areaBits(final int cell) {
        return areaBits[cell];
    }

    boolean inAnyArea(final int cell) {
        return areaBits[cell] != 0;
    }

    static long eci(final int cell) {
        return (long) (BASE_ENB + cell / 3) << 8 | (cell % 3 + 1);
    }

    static int tac(final int cell) {
        return FIRST_TAC + cell / CELLS_PER_TA;
    }

    /** The eNodeB's S1 address: 10.30.x.y by eNodeB number. */
    static int enbIp(final int cell) {
        final int enb = cell / 3;
        return 10 << 24 | 30 << 16 | (enb >> 8 & 0xFF) << 8 | (enb & 0xFF);
    }

    Gtpv2Encoder.Cell cell(final int cell) {
        return new Gtpv2Encoder.Cell(PLMN, tac(cell), eci(cell));
    }
}
