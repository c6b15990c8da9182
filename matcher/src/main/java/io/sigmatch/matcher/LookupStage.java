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
    private long imsi;
    private long msisdn;
    private long imei;

    LookupStage(final RuleSet rules) {
        this.rules = rules;
        this.lookedUpAt = new long[rules.listCount()];
        this.membership = new byte[rules.listCount()];
    }

    /** Starts a new event, by the identities it carries: forgets the previous event's lookups without clearing anything. */
    void begin(final SubscriberEvent e) {
        begin(e.hasImsi() ? e.imsi() : Digits.NONE, e.hasMsisdn() ? e.msisdn() : Digits.NONE,
            e.hasImei() ? e.imei() : Digits.NONE);
    }

    /**
     * Starts a new match by the subscriber's identities ({@link Digits#NONE} when not known): those the
     * subscriber state has linked from signaling, so an event carrying only the IMSI is still checked
     * against MSISDN lists (DESIGN §13).
     */
    void begin(final long imsi, final long msisdn, final long imei) {
        this.imsi = imsi;
        this.msisdn = msisdn;
        this.imei = imei;
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
            membership[list] = lookup(rules.list(list));
        }
        return membership[list];
    }

    private byte lookup(final TargetList list) {
        switch (list.kind()) {
            case MSISDN:
                return known(msisdn) ? member(list, msisdn) : UNKNOWN;
            case IMSI:
                return known(imsi) ? member(list, imsi) : UNKNOWN;
            default:
                return known(imei) && Digits.length(imei) >= IMEI_DIGITS
                    ? member(list, Digits.prefix(imei, TAC_DIGITS)) : UNKNOWN;
        }
    }

    private static boolean known(final long packed) {
        return packed != Digits.NONE && Digits.isValid(packed);
    }

    private static byte member(final TargetList list, final long packed) {
        return list.contains(packed) ? MEMBER : NOT_MEMBER;
    }
}
