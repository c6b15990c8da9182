package io.sigmatch.matcher;

import static io.sigmatch.matcher.state.SubscriberStates.AREA_ENTRIES;
import static io.sigmatch.matcher.state.SubscriberStates.AREA_ENTRY;
import static io.sigmatch.matcher.state.SubscriberStates.AREA_EXIT;
import static io.sigmatch.matcher.state.SubscriberStates.AREA_FLAGS;
import static io.sigmatch.matcher.state.SubscriberStates.AREA_ID;
import static io.sigmatch.matcher.state.SubscriberStates.AREA_SLOTS;
import static io.sigmatch.matcher.state.SubscriberStates.AREA_SLOT_BYTES;
import static io.sigmatch.matcher.state.SubscriberStates.AREA_SLOT_COUNT;
import static io.sigmatch.matcher.state.SubscriberStates.CELL;
import static io.sigmatch.matcher.state.SubscriberStates.FLAGS;
import static io.sigmatch.matcher.state.SubscriberStates.FORWARDING;
import static io.sigmatch.matcher.state.SubscriberStates.IMEI;
import static io.sigmatch.matcher.state.SubscriberStates.IMSI;
import static io.sigmatch.matcher.state.SubscriberStates.INSIDE;
import static io.sigmatch.matcher.state.SubscriberStates.LAST_EVENT;
import static io.sigmatch.matcher.state.SubscriberStates.MSISDN;
import static io.sigmatch.matcher.state.SubscriberStates.RING;
import static io.sigmatch.matcher.state.SubscriberStates.VISITING;
import static io.sigmatch.matcher.state.SubscriberStates.VISIT_START;

import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.EventKind;
import io.sigmatch.matcher.areas.AreaMap;
import io.sigmatch.matcher.areas.CellKey;
import io.sigmatch.matcher.rules.RegionTable;
import io.sigmatch.matcher.rules.Rule;
import io.sigmatch.matcher.rules.RuleSet;
import io.sigmatch.matcher.state.SubscriberStates;
import io.sigmatch.matcher.state.TimerWheel;

/**
 * Whether the rule's trigger fires on this event (DESIGN §5, §13; docs/rules.md), and the subscriber
 * state the stateful triggers read and keep, of which this stage, on the shard thread, is the only
 * writer. An event goes through it in three steps, the order the design's semantics need:
 *
 * <ol>
 *   <li>{@link #begin}: find (or make) the subscriber's record, link the identities the event carries
 *       (IMSI ↔ MSISDN), and work out what the event changes: the tracked areas it enters and leaves,
 *       whether it starts a roaming visit;
 *   <li>{@link #fires} per rule, over the state before the event: entries, dwell and roaming-duration
 *       timers armed, handset compared with the last one seen...;
 *   <li>{@link #commit}: the state after the event — every identified event moves it, whatever the
 *       rules' filters and lists (a filter decides whether <em>this</em> event fires a rule, not what
 *       the subscriber did).
 * </ol>
 *
 * Timers fire through {@link #timerFires}, which checks that the stay or visit they were armed for
 * still lasts (a timer is never cancelled; an exit makes it void).
 */
final class TriggerStage {
    /** DESIGN §13: a roaming visit ends after 24 h without events. */
    static final long VISIT_GAP_NS = 24 * 3_600_000_000_000L;
    static final int NOT_FIRED = -2;
    static final int FIRED = -1;
    /** TS 23.003 6.2.1: the TAC is the IMEI's first 8 digits. */
    private static final int TAC_DIGITS = 8;

    private final SubscriberStates states;
    private final TimerWheel timers;
    private RuleSet rules;
    /** Per area index of the rule set: 1 entered, 2 left by the current event, 0 neither. */
    private byte[] transition = new byte[0];
    private int record = -1;
    private long key;
    private long prevImei;
    private long cell;
    private int scope;
    private boolean newVisit;
    private long timeNs;
    private long timersRefused;
    private long slotEvictions;

    TriggerStage() {
        this(null, null);
    }

    TriggerStage(final SubscriberStates states, final TimerWheel timers) {
        this.states = states;
        this.timers = timers;
    }

    /** The rule set events are matched against from now on (set on the shard thread, between events). */
    void rules(final RuleSet next) {
        this.rules = next;
        if (transition.length < next.areas().areaCount()) {
            transition = new byte[next.areas().areaCount()];
        }
    }

    SubscriberStates states() {
        return states;
    }

    TimerWheel timers() {
        return timers;
    }

    /** The current event's subscriber record. */
    int record() {
        return record;
    }

    long timersRefused() {
        return timersRefused;
    }

    long slotEvictions() {
        return slotEvictions;
    }

    /** Step 1: the subscriber's record, the identities linked, the event's area and visit transitions. */
    void begin(final SubscriberEvent e) {
        final long t = e.timeNs();
        timeNs = t;
        key = e.subscriberKey();
        record = states.getOrCreate(key, t);
        final int r = record;
        if (e.hasImsi()) {
            states.putLong(r, IMSI, e.imsi());
        }
        if (e.hasMsisdn()) {
            states.putLong(r, MSISDN, e.msisdn());
        }
        prevImei = states.getLong(r, IMEI);
        // areas: only an event that reports a cell moves the subscriber; the known cell is the last reported
        cell = CellKey.of(e);
        final AreaMap areas = rules.areas();
        for (int i = 0, n = rules.trackedAreaCount(); i < n; i++) {
            final int a = rules.trackedArea(i);
            transition[a] = 0;
            if (cell == CellKey.NONE) {
                continue;
            }
            final int slot = areaSlot(r, areas.stableIdOf(a));
            final boolean inside = slot >= 0 && (states.getInt(r, slot + AREA_FLAGS) & INSIDE) != 0;
            final boolean in = areas.cellIn(cell, a);
            transition[a] = (byte) (in && !inside ? 1 : !in && inside ? 2 : 0);
        }
        scope = roamingScope(r);
        final boolean visiting = (states.getInt(r, FLAGS) & VISITING) != 0;
        final long last = states.getLong(r, LAST_EVENT);
        newVisit = scope != 0 && (!visiting || t - last > VISIT_GAP_NS);
    }

    /** 1 international, 2 province (another region's MSISDN on a home IMSI), 0 at home or not known. */
    private int roamingScope(final int r) {
        if (!rules.hasHome()) {
            return 0;
        }
        final long imsi = states.getLong(r, IMSI);
        if (imsi == Digits.NONE) {
            return 0; // roaming is judged on the IMSI
        }
        if (!rules.homeImsi(imsi)) {
            return Rule.SCOPE_INTERNATIONAL;
        }
        final int region = rules.regions().regionOf(states.getLong(r, MSISDN));
        return region != RegionTable.UNKNOWN && region != rules.homeRegion() ? Rule.SCOPE_PROVINCE : 0;
    }

    /**
     * The event triggers: whether the rule's trigger fires on this event, over the event alone (an
     * event trigger fires on its event; a hotline call needs its called number in the set).
     */
    boolean fires(final Rule rule, final SubscriberEvent e) {
        switch (rule.trigger()) {
            case HOTLINE_CALL:
                return e.hasCalled() && rule.isHotlineNumber(e.called());
            default:
                return true;
        }
    }

    /**
     * Step 2, per rule, after {@link #begin}: {@link #NOT_FIRED}, {@link #FIRED}, or the index of the
     * area the match is for. pass is the rule's filter verdict on this event: it decides whether the
     * event can fire (or arm) the rule; state moves regardless. Timed triggers arm their timer here and
     * never fire on the event itself.
     */
    int fires(final Rule rule, final SubscriberEvent e, final boolean pass) {
        final int r = record;
        final long t = timeNs;
        switch (rule.trigger()) {
            case AREA_ENTRY: {
                final int a = rule.area();
                if (!pass || transition[a] != 1) {
                    return NOT_FIRED;
                }
                final int slot = areaSlot(r, rules.areas().stableIdOf(a));
                final long exit = slot < 0 ? Long.MIN_VALUE : states.getLong(r, slot + AREA_EXIT);
                return exit == Long.MIN_VALUE || t - exit > rule.antiFlapNs() ? a : NOT_FIRED;
            }
            case AREA_DWELL: {
                final int a = rule.area();
                if (pass && transition[a] == 1) {
                    arm(t + rule.dwellNs(), t, rule, rules.areas().stableIdOf(a));
                }
                return NOT_FIRED;
            }
            case FREQUENT_VISITOR: {
                final int a = rule.area();
                if (!pass || transition[a] != 1) {
                    return NOT_FIRED;
                }
                // this entry and the earlier ones within (t - days, t]
                int within = 1;
                final int slot = areaSlot(r, rules.areas().stableIdOf(a));
                if (slot >= 0) {
                    for (int i = 0; i < RING; i++) {
                        final long at = states.getLong(r, slot + AREA_ENTRIES + 8 * i);
                        if (at != Long.MIN_VALUE && at > t - rule.visitWindowNs()) {
                            within++;
                        }
                    }
                }
                return within == rule.visitCount() ? a : NOT_FIRED;
            }
            case ROAMING_IN:
                return pass && newVisit && (rule.roamingScope() & scope) != 0 ? FIRED : NOT_FIRED;
            case ROAMING_DURATION:
                if (pass && newVisit && (rule.roamingScope() & scope) != 0) {
                    arm(t + rule.roamingNs(), t, rule, 0);
                }
                return NOT_FIRED;
            case HANDSET_CHANGE: {
                if (!pass || prevImei == Digits.NONE || !e.hasImei()) {
                    return NOT_FIRED;
                }
                final long now = e.imei();
                final boolean changed = rule.byTac()
                    ? Digits.prefix(now, TAC_DIGITS) != Digits.prefix(prevImei, TAC_DIGITS) : now != prevImei;
                return changed ? FIRED : NOT_FIRED;
            }
            case FORWARDING_THEN_POWER_ON: {
                final long set = states.getLong(r, FORWARDING);
                return pass && e.event() == EventKind.POWER_ON && set != Long.MIN_VALUE
                    && t - set <= rule.forwardingWithinNs() ? FIRED : NOT_FIRED;
            }
            default:
                return pass && fires(rule, e) ? FIRED : NOT_FIRED;
        }
    }

    private void arm(final long deadline, final long token, final Rule rule, final int areaStableId) {
        if (!timers.arm(deadline, key, token, timeNs, rule.stableId(), rule.documentOrder(), areaStableId)) {
            timersRefused++;
        }
    }

    /** Step 3: the subscriber's state after the event. */
    void commit(final SubscriberEvent e) {
        final int r = record;
        final long t = timeNs;
        if (e.hasImei()) {
            states.putLong(r, IMEI, e.imei());
        }
        if (cell != CellKey.NONE) {
            states.putLong(r, CELL, cell);
            final AreaMap areas = rules.areas();
            for (int i = 0, n = rules.trackedAreaCount(); i < n; i++) {
                final int a = rules.trackedArea(i);
                if (transition[a] == 1) {
                    enter(r, areas.stableIdOf(a), t);
                } else if (transition[a] == 2) {
                    final int slot = areaSlot(r, areas.stableIdOf(a));
                    states.putInt(r, slot + AREA_FLAGS, 0);
                    states.putLong(r, slot + AREA_EXIT, t);
                }
            }
            // a stay in an area this version no longer tracks cannot end by a transition: end it here
            for (int s = 0; s < AREA_SLOT_COUNT; s++) {
                final int slot = AREA_SLOTS + s * AREA_SLOT_BYTES;
                final int id = states.getInt(r, slot + AREA_ID);
                if (id != 0 && (states.getInt(r, slot + AREA_FLAGS) & INSIDE) != 0
                    && !rules.tracked(areas.indexOfStableId(id))) {
                    states.putInt(r, slot + AREA_FLAGS, 0);
                    states.putLong(r, slot + AREA_EXIT, t);
                }
            }
        }
        int flags = states.getInt(r, FLAGS);
        if (newVisit) {
            flags |= VISITING;
            states.putLong(r, VISIT_START, t);
        }
        if (e.event() == EventKind.POWER_OFF) {
            flags &= ~VISITING; // DESIGN §13: a visit ends on power-off
        }
        states.putInt(r, FLAGS, flags);
        states.putLong(r, LAST_EVENT, t);
        if (e.event() == EventKind.CALL_FORWARDING_SET) {
            states.putLong(r, FORWARDING, t);
        }
    }

    private void enter(final int r, final int areaId, final long t) {
        int slot = areaSlot(r, areaId);
        if (slot < 0) {
            slot = freeAreaSlot(r);
            states.putInt(r, slot + AREA_ID, areaId);
            states.putLong(r, slot + AREA_EXIT, Long.MIN_VALUE);
            for (int i = 0; i < RING; i++) {
                states.putLong(r, slot + AREA_ENTRIES + 8 * i, Long.MIN_VALUE);
            }
        }
        states.putInt(r, slot + AREA_FLAGS, INSIDE);
        states.putLong(r, slot + AREA_ENTRY, t);
        // the ring of entry times keeps the latest RING: replace an empty or the oldest
        int oldest = 0;
        long oldestAt = Long.MAX_VALUE;
        for (int i = 0; i < RING; i++) {
            final long at = states.getLong(r, slot + AREA_ENTRIES + 8 * i);
            if (at < oldestAt) {
                oldestAt = at;
                oldest = i;
            }
        }
        states.putLong(r, slot + AREA_ENTRIES + 8 * oldest, t);
    }

    /** A slot for a new area: a free one, else the one not occupied with the oldest activity (counted). */
    private int freeAreaSlot(final int r) {
        int victim = -1;
        long victimAt = Long.MAX_VALUE;
        for (int s = 0; s < AREA_SLOT_COUNT; s++) {
            final int slot = AREA_SLOTS + s * AREA_SLOT_BYTES;
            if (states.getInt(r, slot + AREA_ID) == 0) {
                return slot;
            }
            final boolean inside = (states.getInt(r, slot + AREA_FLAGS) & INSIDE) != 0;
            long at = Math.max(states.getLong(r, slot + AREA_ENTRY), states.getLong(r, slot + AREA_EXIT));
            if (inside) {
                at = Long.MAX_VALUE - 1; // a current stay goes last
            }
            if (victim < 0 || at < victimAt) {
                victim = slot;
                victimAt = at;
            }
        }
        slotEvictions++;
        return victim;
    }

    /** The offset of the area's slot in record r, -1 when it has none. */
    int areaSlot(final int r, final int areaId) {
        for (int s = 0; s < AREA_SLOT_COUNT; s++) {
            final int slot = AREA_SLOTS + s * AREA_SLOT_BYTES;
            if (states.getInt(r, slot + AREA_ID) == areaId) {
                return slot;
            }
        }
        return -1;
    }

    /**
     * A due timer: the subscriber's record when the stay (dwell) or visit (roaming duration) it was
     * armed for still lasts at its deadline, else -1.
     */
    int timerFires(final TimerWheel wheel, final int t, final Rule rule) {
        final int r = states.find(wheel.key(t));
        if (r < 0) {
            return -1;
        }
        if (rule.trigger() == io.sigmatch.matcher.rules.TriggerType.AREA_DWELL) {
            final int slot = areaSlot(r, wheel.area(t));
            return slot >= 0 && (states.getInt(r, slot + AREA_FLAGS) & INSIDE) != 0
                && states.getLong(r, slot + AREA_ENTRY) == wheel.token(t) ? r : -1;
        }
        final boolean visiting = (states.getInt(r, FLAGS) & VISITING) != 0;
        return visiting && states.getLong(r, VISIT_START) == wheel.token(t)
            && wheel.deadline(t) - states.getLong(r, LAST_EVENT) <= VISIT_GAP_NS ? r : -1;
    }
}
