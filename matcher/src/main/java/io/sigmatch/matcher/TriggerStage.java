package io.sigmatch.matcher;

import io.sigmatch.matcher.rules.Rule;

/**
 * Whether the rule's trigger fires on this event. The rule set already offers an event only the rules
 * whose trigger listens to its kind, so an event trigger (power on/off, location update, SMS, data
 * session) fires on the event itself; a hotline call also needs its called number in the rule's set.
 * The stateful triggers of DESIGN §5 (area entry and dwell, roaming, handset change...) belong here,
 * with the shard's subscriber state, which this stage is the single writer of.
 */
final class TriggerStage {
    boolean fires(final Rule rule, final SubscriberEvent e) {
        switch (rule.trigger()) {
            case HOTLINE_CALL:
                return e.hasCalled() && rule.isHotlineNumber(e.called());
            default:
                return true;
        }
    }
}
