package io.sigmatch.matcher;

import io.sigmatch.matcher.rules.Rule;

/**
 * The last word before the journal: whether a match that fired may be delivered. Today the rule's
 * validity period, judged on the event's capture time (never the wall clock, so a replay at any speed
 * decides alike). Frequency caps, quiet hours and deduplication (issue 6) join here; the parser refuses
 * snapshots that use them until then.
 */
final class GovernStage {
    static final int PASS = 0;
    static final int OUTSIDE_VALIDITY = 1;

    int verdict(final Rule rule, final SubscriberEvent e) {
        final long t = e.timeNs();
        return t < rule.validFromNs() || t > rule.validToNs() ? OUTSIDE_VALIDITY : PASS;
    }
}
