package io.sigmatch.matcher;

import io.sigmatch.decoder.Digits;
import io.sigmatch.matcher.lists.TargetList;
import io.sigmatch.matcher.rules.Rule;
import io.sigmatch.matcher.rules.RuleSet;

/**
 * Target-list membership of the event's subscriber, per rule: in at least one include list (none
 * listed = everyone) and in no exclude list. Each list is looked up at most once per event, however
 * many rules name it. A list is matched by its kind: MSISDN lists by the event's MSISDN, IMSI lists by
 * its IMSI, TAC lists by the first 8 digits of its IMEI.
 *
 * <p>An exclude list (do-not-disturb, opt-out) whose identity the event lacks cannot be checked; the
 * match is then suppressed rather than risk messaging someone who opted out.
 */
final class LookupStage {
    static final int INCLUDED = 0;
    static final int NOT_INCLUDED = 1;
    static final int EXCLUDED = 2;
    static final int EXCLUSION_UNVERIFIABLE = 3;

    private static final byte UNKNOWN = 0;
    private static final byte MEMBER = 1;
    private static final byte NOT_MEMBER = 2;
    /** TS 23.003 6.2.1: the TAC is the IMEI's first 8 digits. */
    private static final int TAC_DIGITS = 8;
    private static final int IMEI_DIGITS = 14;

    private final RuleSet rules;
    private final long[] lookedUpAt;
    private final byte[] membership;
    private long event;
    private SubscriberEvent current;

    LookupStage(final RuleSet rules) {
        this.rules = rules;
        this.lookedUpAt = new long[rules.listCount()];
        this.membership = new byte[rules.listCount()];
    }

    /** Starts a new event: forgets the previous event's lookups without clearing anything. */
    void begin(final SubscriberEvent e) {
        current = e;
        event++;
    }

    int verdict(final Rule rule) {
        for (int i = 0; i < rule.excludeCount(); i++) {
            final byte m = membership(rule.exclude(i));
            if (m == MEMBER) {
                return EXCLUDED;
            }
            if (m == UNKNOWN) {
                return EXCLUSION_UNVERIFIABLE;
            }
        }
        if (rule.includeCount() == 0) {
            return INCLUDED;
        }
        for (int i = 0; i < rule.includeCount(); i++) {
            if (membership(rule.include(i)) == MEMBER) {
                return INCLUDED;
            }
        }
        return NOT_INCLUDED;
    }

    private byte membership(final int list) {
        if (lookedUpAt[list] != event) {
            lookedUpAt[list] = event;
            membership[list] = lookup(rules.list(list), current);
        }
        return membership[list];
    }

    private static byte lookup(final TargetList list, final SubscriberEvent e) {
        switch (list.kind()) {
            case MSISDN:
                return e.hasMsisdn() ? member(list, e.msisdn()) : UNKNOWN;
            case IMSI:
                return e.hasImsi() ? member(list, e.imsi()) : UNKNOWN;
            default:
                return e.hasImei() && Digits.length(e.imei()) >= IMEI_DIGITS
                    ? member(list, Digits.prefix(e.imei(), TAC_DIGITS)) : UNKNOWN;
        }
    }

    private static byte member(final TargetList list, final long packed) {
        return list.contains(packed) ? MEMBER : NOT_MEMBER;
    }
}
