package io.sigmatch.decoder;

/** Whether the network accepted the procedure, as the answer's cause or result code says. */
public enum Outcome {
    UNKNOWN("unknown"),
    ACCEPTED("accepted"),
    REJECTED("rejected");

    private static final Outcome[] VALUES = values();

    public final String jsonName;

    Outcome(final String jsonName) {
        this.jsonName = jsonName;
    }

    public static Outcome byOrdinal(final int ordinal) {
        return VALUES[ordinal];
    }
}
