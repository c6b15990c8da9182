package io.sigmatch.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MatchIdTest {
    @Test
    void lowHalfCarriesSourceSequenceAndOrdinal() {
        final long low = MatchId.low(0x1234, 0xCAFEBABEL, 0x0042);
        assertEquals(0x1234_CAFEBABE_0042L, low);
        assertEquals(0x1234, MatchId.source(low));
        assertEquals(0xCAFEBABEL, MatchId.sequence(low));
        assertEquals(0x42, MatchId.ordinal(low));
    }

    @Test
    void fieldsKeepOnlyTheirWidth() {
        final long low = MatchId.low(0x1_FFFF, 0x1_0000_0001L, 0x1_0002);
        assertEquals(0xFFFF, MatchId.source(low));
        assertEquals(1, MatchId.sequence(low));
        assertEquals(2, MatchId.ordinal(low));
    }

    @Test
    void textIs32HexDigitsHighHalfFirst() {
        assertEquals("000000000000002a" + "0001000000050003", MatchId.toString(42, MatchId.low(1, 5, 3)));
        assertEquals(32, MatchId.toString(-1, -1).length());
        assertEquals("ffffffffffffffffffffffffffffffff", MatchId.toString(-1, -1));
    }

    @Test
    void textSortsByCaptureTime() {
        final String earlier = MatchId.toString(1_763_800_000_000_000_000L, MatchId.low(9, 9, 9));
        final String later = MatchId.toString(1_763_800_000_000_000_001L, MatchId.low(0, 0, 0));
        assertTrue(earlier.compareTo(later) < 0);
    }

    @Test
    void twoProceduresAtTheSameInstantGetDifferentIds() {
        assertNotEquals(MatchId.toString(5, MatchId.low(1, 0, 0)), MatchId.toString(5, MatchId.low(1, 1, 0)));
        assertNotEquals(MatchId.toString(5, MatchId.low(1, 0, 0)), MatchId.toString(5, MatchId.low(1, 0, 1)));
        assertNotEquals(MatchId.toString(5, MatchId.low(1, 0, 0)), MatchId.toString(5, MatchId.low(2, 0, 0)));
    }
}
