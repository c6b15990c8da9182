package io.sigmatch.decoder;

/**
 * The normalized touchpoint a completed procedure stands for (DESIGN §4). {@link #NONE} marks a
 * message that completes no procedure a rule can ask for (heartbeats, auth vectors, echo).
 */
public enum EventKind {
    NONE,
    POWER_ON,
    POWER_OFF,
    LOCATION_UPDATE,
    DATA_SESSION_START,
    DATA_SESSION_END,
    CALL_ATTEMPT,
    CALL_FORWARDING_SET,
    SMS_MO,
    SMS_MT,
    HANDSET_REPORTED,
    ROAMING_REGISTRATION;

    private static final EventKind[] VALUES = values();

    public static EventKind byOrdinal(final int ordinal) {
        return VALUES[ordinal];
    }

    /** Parses a rule or JSON name; returns null when unknown. */
    public static EventKind byName(final String name) {
        for (final EventKind k : VALUES) {
            if (k.name().equals(name)) {
                return k;
            }
        }
        return null;
    }
}
