package io.sigmatch.matcher.rules;

import io.sigmatch.decoder.EventKind;

/**
 * The trigger types this build evaluates (DESIGN §13), each with the event kinds it fires on. The
 * stateful triggers of DESIGN §5 (area entry and dwell, frequent visitor, roaming, handset change,
 * forwarding then power-on) come with subscriber state; until then a snapshot naming one is refused.
 */
public enum TriggerType {
    POWER_ON("powerOn", EventKind.POWER_ON),
    POWER_OFF("powerOff", EventKind.POWER_OFF),
    LOCATION_UPDATE("locationUpdate", EventKind.LOCATION_UPDATE),
    /** Both directions unless {@code filter.direction} narrows it. */
    SMS("sms", EventKind.SMS_MO, EventKind.SMS_MT),
    /**
     * The start of a data session: the moment a campaign can act on. The end of a session is not a
     * touchpoint (DESIGN §1), so DATA_SESSION_END does not fire it.
     */
    DATA_SESSION("dataSession", EventKind.DATA_SESSION_START),
    /** A call attempt whose called number is in the rule's {@code numbers}. */
    HOTLINE_CALL("hotlineCall", EventKind.CALL_ATTEMPT);

    /** Trigger types of DESIGN §13 that need subscriber state, which this build does not keep yet. */
    static final String[] NOT_SUPPORTED_YET = {
        "areaEntry", "areaDwell", "frequentVisitor", "roamingIn", "roamingDuration", "handsetChange",
        "forwardingThenPowerOn"
    };

    public final String jsonName;
    private final int kinds;

    TriggerType(final String jsonName, final EventKind... kinds) {
        this.jsonName = jsonName;
        int mask = 0;
        for (final EventKind k : kinds) {
            mask |= 1 << k.ordinal();
        }
        this.kinds = mask;
    }

    /** Event kinds the trigger fires on, one bit per {@link EventKind#ordinal()}. */
    public int eventKinds() {
        return kinds;
    }

    static TriggerType byJsonName(final String name) {
        for (final TriggerType t : values()) {
            if (t.jsonName.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
