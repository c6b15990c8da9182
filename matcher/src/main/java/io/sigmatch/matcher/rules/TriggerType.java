package io.sigmatch.matcher.rules;

import io.sigmatch.decoder.EventKind;

/**
 * The trigger types of DESIGN §13, each with the event kinds it is evaluated on. The event triggers
 * fire on their event; the stateful ones (area entry and dwell, frequent visitor, roaming, handset
 * change) are evaluated on every identified event, since any event that carries a cell, an IMEI or
 * an IMSI can move the subscriber's state (docs/rules.md); forwarding-then-power-on fires on a power-on.
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
    HOTLINE_CALL("hotlineCall", EventKind.CALL_ATTEMPT),
    /** The known cell moves into the area from outside it (or from unknown). */
    AREA_ENTRY("areaEntry", AnyKind.MASK),
    /** A timer armed at the entry; fires at entry + minutes if the stay lasts. */
    AREA_DWELL("areaDwell", AnyKind.MASK),
    /** The entry that makes the entries within the trailing days reach count. */
    FREQUENT_VISITOR("frequentVisitor", AnyKind.MASK),
    /** The first event of an inbound visit. */
    ROAMING_IN("roamingIn", AnyKind.MASK),
    /** A timer armed at the visit's start; fires at start + hours if the visit lasts. */
    ROAMING_DURATION("roamingDuration", AnyKind.MASK),
    /** An IMEI (or TAC) other than the last one seen for the subscriber. */
    HANDSET_CHANGE("handsetChange", AnyKind.MASK),
    /** A power-on within withinHours of a call-forwarding-set. */
    FORWARDING_THEN_POWER_ON("forwardingThenPowerOn", EventKind.POWER_ON);

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

    TriggerType(final String jsonName, final int kinds) {
        this.jsonName = jsonName;
        this.kinds = kinds;
    }

    /** True for the triggers that read and keep subscriber state (DESIGN §5) rather than fire on one event. */
    public boolean stateful() {
        return ordinal() >= AREA_ENTRY.ordinal();
    }

    /** True for the triggers that arm a timer (dwell, roaming duration). */
    public boolean timed() {
        return this == AREA_DWELL || this == ROAMING_DURATION;
    }

    /** True for the triggers that name an area. */
    public boolean areaTrigger() {
        return this == AREA_ENTRY || this == AREA_DWELL || this == FREQUENT_VISITOR;
    }

    /** Event kinds the trigger fires on, one bit per {@link EventKind#ordinal()}. */
    public int eventKinds() {
        return kinds;
    }

    /** Every event kind but NONE: what the stateful triggers are evaluated on. */
    private static final class AnyKind {
        static final int MASK;

        static {
            int mask = 0;
            for (final EventKind k : EventKind.values()) {
                if (k != EventKind.NONE) {
                    mask |= 1 << k.ordinal();
                }
            }
            MASK = mask;
        }
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
