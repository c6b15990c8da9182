package io.sigmatch.matcher;

import static io.sigmatch.matcher.state.SubscriberStates.CAP_RULE;
import static io.sigmatch.matcher.state.SubscriberStates.CAP_SLOTS;
import static io.sigmatch.matcher.state.SubscriberStates.CAP_SLOT_BYTES;
import static io.sigmatch.matcher.state.SubscriberStates.CAP_SLOT_COUNT;
import static io.sigmatch.matcher.state.SubscriberStates.CAP_TIMES;
import static io.sigmatch.matcher.state.SubscriberStates.GLOBAL_TIMES;
import static io.sigmatch.matcher.state.SubscriberStates.RING;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import io.sigmatch.matcher.rules.Rule;
import io.sigmatch.matcher.rules.RuleSet;
import io.sigmatch.matcher.state.SubscriberStates;

/**
 * The last word before the journal (DESIGN §2, §13), in this order: the rule's validity period, its
 * quiet hours (local time in the snapshot's zone; {@code drop} suppresses, {@code defer} journals the
 * match with deliverAfter = the end of the quiet period), its per-subscriber cap, then the global
 * per-subscriber cap across rules. Every judgement is on capture time, never the wall clock, so a
 * replay at any speed decides alike. Caps are sliding windows (t - per, t] over the times of admitted
 * matches, kept in the subscriber's record; only admitted matches count.
 *
 * <p>Quiet periods are found with java.time once per period boundary per rule and cached as instant
 * ranges, so a match allocates nothing.
 */
final class GovernStage {
    static final int PASS = 0;
    static final int OUTSIDE_VALIDITY = 1;
    static final int QUIET_DROPPED = 2;
    static final int CAPPED = 3;
    static final int GLOBAL_CAPPED = 4;

    private final SubscriberStates states;
    private RuleSet rules;
    // per rule ordinal: [from, to) a range of instants over which the answer is known; quietEnd MIN = not quiet
    private long[] knownFrom = new long[0];
    private long[] knownTo = new long[0];
    private long[] quietEnd = new long[0];
    private long deliverAfter;
    private long capSlotEvictions;

    GovernStage() {
        this(null);
    }

    GovernStage(final SubscriberStates states) {
        this.states = states;
    }

    void rules(final RuleSet next) {
        this.rules = next;
        final int n = next.ruleCount();
        knownFrom = new long[n];
        knownTo = new long[n];
        quietEnd = new long[n];
        java.util.Arrays.fill(knownTo, Long.MIN_VALUE); // nothing cached
    }

    /** The rule's validity alone (for the stateless callers and tests). */
    int verdict(final Rule rule, final SubscriberEvent e) {
        return valid(rule, e.timeNs()) ? PASS : OUTSIDE_VALIDITY;
    }

    private static boolean valid(final Rule rule, final long t) {
        return t >= rule.validFromNs() && t <= rule.validToNs();
    }

    /**
     * Whether a match of rule for subscriber record r at capture time t may be journaled; on PASS the
     * match is counted against the caps and {@link #deliverAfter()} says when it may be delivered
     * (MIN_VALUE: at once).
     */
    int verdict(final Rule rule, final int r, final long t) {
        if (!valid(rule, t)) {
            return OUTSIDE_VALIDITY;
        }
        deliverAfter = Long.MIN_VALUE;
        if (rule.hasQuietHours()) {
            final long end = quietEnd(rule, t);
            if (end != Long.MIN_VALUE) {
                if (!rule.quietDefer()) {
                    return QUIET_DROPPED;
                }
                deliverAfter = end;
            }
        }
        int capSlot = -1;
        if (rule.hasCap()) {
            capSlot = capSlot(r, rule.stableId());
            if (capSlot >= 0 && within(r, capSlot + CAP_TIMES, t, rule.capPerNs()) >= rule.capCount()) {
                return CAPPED;
            }
        }
        if (rules.hasGlobalCap() && within(r, GLOBAL_TIMES, t, rules.globalCapPerNs()) >= rules.globalCapCount()) {
            return GLOBAL_CAPPED;
        }
        if (rule.hasCap()) {
            if (capSlot < 0) {
                capSlot = newCapSlot(r, rule.stableId(), t);
            }
            record(r, capSlot + CAP_TIMES, t);
        }
        if (rules.hasGlobalCap()) {
            record(r, GLOBAL_TIMES, t);
        }
        return PASS;
    }

    /** When the last admitted match may be delivered; MIN_VALUE when quiet hours did not defer it. */
    long deliverAfter() {
        return deliverAfter;
    }

    long capSlotEvictions() {
        return capSlotEvictions;
    }

    /** Admitted match times in (t - per, t] of the ring at offset ring. */
    private int within(final int r, final int ring, final long t, final long perNs) {
        int n = 0;
        for (int i = 0; i < RING; i++) {
            final long at = states.getLong(r, ring + 8 * i);
            if (at != Long.MIN_VALUE && at > t - perNs && at <= t) {
                n++;
            }
        }
        return n;
    }

    /** Replaces the empty or oldest time of the ring (a cap allows at most RING, so the oldest is never needed). */
    private void record(final int r, final int ring, final long t) {
        int oldest = 0;
        long oldestAt = Long.MAX_VALUE;
        for (int i = 0; i < RING; i++) {
            final long at = states.getLong(r, ring + 8 * i);
            if (at < oldestAt) {
                oldestAt = at;
                oldest = i;
            }
        }
        states.putLong(r, ring + 8 * oldest, t);
    }

    private int capSlot(final int r, final int ruleId) {
        for (int s = 0; s < CAP_SLOT_COUNT; s++) {
            final int slot = CAP_SLOTS + s * CAP_SLOT_BYTES;
            if (states.getInt(r, slot + CAP_RULE) == ruleId) {
                return slot;
            }
        }
        return -1;
    }

    /**
     * A cap slot for the rule: a free one, or one whose rule is gone or whose times have all left its
     * window; failing that the one admitted longest ago (counted: that rule's cap may then admit early).
     */
    private int newCapSlot(final int r, final int ruleId, final long t) {
        int victim = -1;
        long victimAt = Long.MAX_VALUE;
        for (int s = 0; s < CAP_SLOT_COUNT; s++) {
            final int slot = CAP_SLOTS + s * CAP_SLOT_BYTES;
            final int owner = states.getInt(r, slot + CAP_RULE);
            final Rule rule = owner == 0 ? null : rules.ruleByStableId(owner);
            if (rule == null || !rule.hasCap() || within(r, slot + CAP_TIMES, t, rule.capPerNs()) == 0) {
                victim = slot;
                victimAt = Long.MIN_VALUE;
                break;
            }
            long latest = Long.MIN_VALUE;
            for (int i = 0; i < RING; i++) {
                latest = Math.max(latest, states.getLong(r, slot + CAP_TIMES + 8 * i));
            }
            if (latest < victimAt) {
                victimAt = latest;
                victim = slot;
            }
        }
        if (victimAt != Long.MIN_VALUE) {
            capSlotEvictions++;
        }
        states.putInt(r, victim + CAP_RULE, ruleId);
        for (int i = 0; i < RING; i++) {
            states.putLong(r, victim + CAP_TIMES + 8 * i, Long.MIN_VALUE);
        }
        return victim;
    }

    /** The end of the quiet period containing t, MIN_VALUE when t is not quiet for the rule. */
    long quietEnd(final Rule rule, final long t) {
        final int i = rule.ordinal();
        if (t >= knownFrom[i] && t < knownTo[i]) {
            return quietEnd[i];
        }
        computeQuiet(rule, t);
        return quietEnd[i];
    }

    /**
     * Off the per-event path (once per period boundary): the quiet periods starting on t's local day and
     * the day before, [day at from, (next) day at to), and what holds around t.
     */
    private void computeQuiet(final Rule rule, final long t) {
        final int i = rule.ordinal();
        final ZoneId zone = rules.timezone();
        final LocalDate day = Instant.ofEpochSecond(Math.floorDiv(t, 1_000_000_000L), Math.floorMod(t, 1_000_000_000L))
            .atZone(zone).toLocalDate();
        final boolean wraps = rule.quietFromNs() > rule.quietToNs();
        final LocalTime from = LocalTime.ofNanoOfDay(rule.quietFromNs());
        final LocalTime to = LocalTime.ofNanoOfDay(rule.quietToNs());
        long previousEnd = Long.MIN_VALUE;
        for (int d = -1; d <= 1; d++) {
            final LocalDate start = day.plusDays(d);
            final long s = ns(ZonedDateTime.of(start, from, zone));
            final long e = ns(ZonedDateTime.of(wraps ? start.plusDays(1) : start, to, zone));
            if (t < s) {
                knownFrom[i] = Math.max(previousEnd, Long.MIN_VALUE);
                knownTo[i] = s;
                quietEnd[i] = Long.MIN_VALUE;
                return;
            }
            if (t < e) {
                knownFrom[i] = s;
                knownTo[i] = e;
                quietEnd[i] = e;
                return;
            }
            previousEnd = e;
        }
        // after the period of the next day's start cannot happen (t is within its own day); be safe
        knownFrom[i] = t;
        knownTo[i] = t + 1;
        quietEnd[i] = Long.MIN_VALUE;
    }

    private static long ns(final ZonedDateTime z) {
        final Instant at = z.toInstant();
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }
}
