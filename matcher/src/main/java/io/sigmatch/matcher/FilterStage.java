package io.sigmatch.matcher;

import io.sigmatch.decoder.EventKind;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.matcher.rules.Rule;

/**
 * The cheap predicates, first in the chain: whether an event can concern any rule at all (it names a
 * touchpoint and a subscriber), then, per rule, the rule's filter (RAT, APN, PLMN). A filter on a field the
 * event does not carry does not pass: a rule asking for NR never fires on an event of unknown RAT.
 */
final class FilterStage {
    static final int ACCEPTED = 0;
    static final int NO_EVENT_KIND = 1;
    static final int NO_IDENTITY = 2;

    /** Whether the event can concern any rule; the reason when not. */
    int accept(final SubscriberEvent e) {
        if (e.event() == null || e.event() == EventKind.NONE) {
            return NO_EVENT_KIND;
        }
        if (!e.hasImsi() && !e.hasMsisdn() && !e.hasImei()) {
            return NO_IDENTITY;
        }
        return ACCEPTED;
    }

    boolean accepts(final Rule rule, final SubscriberEvent e) {
        if (rule.hasRatFilter() && !(e.has(SignalingMessage.RAT) && rule.ratAllowed(e.rat()))) {
            return false;
        }
        if (rule.hasPlmnFilter() && !plmnPasses(rule, e)) {
            return false;
        }
        return !rule.hasApnFilter() || (e.has(SignalingMessage.APN) && rule.apnAllowed(e.apn(), e.apnLength()));
    }

    /** The serving network's PLMN, else the cell's (an event without either does not pass). */
    private static boolean plmnPasses(final Rule rule, final SubscriberEvent e) {
        if (e.has(SignalingMessage.SERVING_PLMN)) {
            return rule.plmnAllowed(e.servingPlmn());
        }
        return e.has(SignalingMessage.CELL_PLMN) && rule.plmnAllowed(e.cellPlmn());
    }
}
