package io.sigmatch.matcher.lists;

/**
 * What a target list holds, and the shape of a valid entry of it. A list line that does not fit the
 * kind (an MSISDN in an IMSI list, a truncated number) refuses the whole list.
 */
public enum IdentityKind {
    /** ITU-T E.164 6.1: an international number has at most 15 digits; a leading '+' is allowed. */
    MSISDN("msisdn", 5, 15, true),
    /** TS 23.003 2.2: at most 15 digits; DESIGN §3 normalises them to 14 or 15 (MCC, MNC, MSIN). */
    IMSI("imsi", 14, 15, false),
    /** TS 23.003 6.2.1: the Type Allocation Code is the IMEI's first 8 digits. */
    TAC("tac", 8, 8, false);

    public final String jsonName;
    public final int minDigits;
    public final int maxDigits;
    public final boolean plusAllowed;

    IdentityKind(final String jsonName, final int minDigits, final int maxDigits, final boolean plusAllowed) {
        this.jsonName = jsonName;
        this.minDigits = minDigits;
        this.maxDigits = maxDigits;
        this.plusAllowed = plusAllowed;
    }

    /** The kind named in a snapshot ({@code msisdn}, {@code imsi}, {@code tac}); null when unknown. */
    public static IdentityKind byJsonName(final String name) {
        for (final IdentityKind k : values()) {
            if (k.jsonName.equals(name)) {
                return k;
            }
        }
        return null;
    }
}
