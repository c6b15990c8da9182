package io.sigmatch.decoder;

/** The signaling protocols sigmatch decodes; {@link #jsonName} is the {@code proto} key of DESIGN §12. */
public enum Protocol {
    GTPV2("gtpv2"),
    GTPV1("gtpv1"),
    DIAMETER("diameter"),
    SIP("sip"),
    MAP("map"),
    CAP("cap"),
    S1AP("s1ap"),
    NGAP("ngap"),
    SBI("sbi");

    private static final Protocol[] VALUES = values();

    public final String jsonName;

    Protocol(final String jsonName) {
        this.jsonName = jsonName;
    }

    public static Protocol byOrdinal(final int ordinal) {
        return VALUES[ordinal];
    }

    public static Protocol byJsonName(final String name) {
        for (final Protocol p : VALUES) {
            if (p.jsonName.equals(name)) {
                return p;
            }
        }
        return null;
    }
}
