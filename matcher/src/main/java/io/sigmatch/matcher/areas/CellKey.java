package io.sigmatch.matcher.areas;

import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.matcher.SubscriberEvent;

/**
 * A cell as one {@code long}: the PLMN and the cell identity as an area file names it (DESIGN §13:
 * decimal E-UTRAN ECI or NR NCI, or {@code LAC:CI} for GERAN/UTRAN). Never 0, so 0 means "no cell".
 *
 * <pre>
 *   bit 58     always 1 (a key is never 0)
 *   bit 57     the PLMN has a 3-digit MNC (6 digits)
 *   bits 37-56 PLMN digits as a number (at most 999 999: 20 bits)
 *   bit 36     the cell is LAC:CI (else a decimal ECI / NCI)
 *   bits 0-35  NCI (TS 38.413 9.3.1.7: 36 bits), ECI (TS 36.413 9.2.1.38: 28 bits) or LAC &lt;&lt; 16 | CI
 * </pre>
 *
 * ECI and NCI share one space, as they do in an area file: a decimal cell identity is matched against
 * whichever of the two the event reports.
 */
public final class CellKey {
    public static final long NONE = 0L;
    /** TS 38.413 9.3.1.7: the NR cell identity is 36 bits; an ECI (28 bits) fits inside. */
    public static final long MAX_CELL_ID = (1L << 36) - 1;
    public static final int MAX_LAC = 0xFFFF;
    public static final int MAX_CI = 0xFFFF;

    private static final long MARK = 1L << 58;
    private static final long THREE_DIGIT_MNC = 1L << 57;
    private static final int PLMN_SHIFT = 37;
    private static final long LAC_CI = 1L << 36;

    private CellKey() {
    }

    /** A decimal cell identity (ECI or NCI) in a PLMN (packed digits, 5 or 6 of them). */
    public static long ofCellId(final long plmn, final long cellId) {
        if (!plmnValid(plmn) || cellId < 0 || cellId > MAX_CELL_ID) {
            return NONE;
        }
        return plmnBits(plmn) | cellId;
    }

    /** A GERAN/UTRAN cell: location area code and cell identity (TS 23.003 4.3.1). */
    public static long ofLacCi(final long plmn, final int lac, final int ci) {
        if (!plmnValid(plmn) || lac < 0 || lac > MAX_LAC || ci < 0 || ci > MAX_CI) {
            return NONE;
        }
        return plmnBits(plmn) | LAC_CI | ((long) lac << 16) | ci;
    }

    /**
     * The event's serving cell, {@link #NONE} when it reports none: the ECI, else the NCI, else LAC and
     * CI, each in the cell's PLMN (the serving network's when the location names none).
     */
    public static long of(final SubscriberEvent e) {
        final long plmn = e.has(SignalingMessage.CELL_PLMN) ? e.cellPlmn()
            : e.has(SignalingMessage.SERVING_PLMN) ? e.servingPlmn() : Digits.INVALID;
        if (e.has(SignalingMessage.ECI)) {
            return ofCellId(plmn, e.eci());
        }
        if (e.has(SignalingMessage.NCI)) {
            return ofCellId(plmn, e.nci());
        }
        if (e.has(SignalingMessage.LAC) && e.has(SignalingMessage.CI)) {
            return ofLacCi(plmn, e.lac(), e.ci());
        }
        return NONE;
    }

    private static boolean plmnValid(final long plmn) {
        final int length = Digits.length(plmn);
        return plmn != Digits.INVALID && (length == 5 || length == 6);
    }

    private static long plmnBits(final long plmn) {
        return MARK | (Digits.length(plmn) == 6 ? THREE_DIGIT_MNC : 0) | (Digits.value(plmn) << PLMN_SHIFT);
    }
}
