package io.sigmatch.decoder;

/**
 * Radio access technology, normalized across protocols. The GTPv2 code points of TS 29.274 8.17
 * are used as the reference; other protocols map onto these names (Diameter RAT-Type TS 29.212
 * 5.3.31, GTPv1 TS 29.060 7.7.50, SIP P-Access-Network-Info access types TS 24.229 7.2A.4).
 */
public enum Rat {
    UNKNOWN,
    UTRAN,
    GERAN,
    WLAN,
    GAN,
    HSPA_EVOLUTION,
    EUTRAN,
    VIRTUAL,
    EUTRAN_NB_IOT,
    LTE_M,
    NR;

    private static final Rat[] VALUES = values();

    public static Rat byOrdinal(final int ordinal) {
        return VALUES[ordinal];
    }

    /** TS 29.274 8.17 RAT Type values 1..10; anything else is {@link #UNKNOWN}. */
    public static Rat fromGtpv2(final int code) {
        switch (code) {
            case 1: return UTRAN;
            case 2: return GERAN;
            case 3: return WLAN;
            case 4: return GAN;
            case 5: return HSPA_EVOLUTION;
            case 6: return EUTRAN;
            case 7: return VIRTUAL;
            case 8: return EUTRAN_NB_IOT;
            case 9: return LTE_M;
            case 10: return NR;
            default: return UNKNOWN;
        }
    }

    /** Parses a rule filter name; returns null when unknown. */
    public static Rat byName(final String name) {
        for (final Rat r : VALUES) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        return null;
    }
}
