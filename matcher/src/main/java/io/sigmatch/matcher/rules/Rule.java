package io.sigmatch.matcher.rules;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.sigmatch.decoder.EventKind;
import io.sigmatch.decoder.Rat;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One compiled rule of a {@link RuleSet}: immutable, every predicate reduced to masks and sorted
 * arrays so the match stages evaluate it without allocating. Text the journal needs (id, payload) is
 * held as UTF-8 bytes behind a read-only {@link DirectBuffer}.
 */
public final class Rule {
    /** Validity bounds when the rule has none. */
    public static final long NO_START = Long.MIN_VALUE;
    public static final long NO_END = Long.MAX_VALUE;

    private final String id;
    private final UnsafeBuffer idBytes;
    private final int ordinal;
    private final int priority;
    private final TriggerType trigger;
    private final int eventKinds;
    private final int ratMask;
    private final byte[][] apns;
    private final long[] hotlineNumbers;
    private final int[] include;
    private final int[] exclude;
    private final long validFromNs;
    private final long validToNs;
    private final UnsafeBuffer payload;
    private final boolean hasPayload;

    Rule(final String id, final int ordinal, final int priority, final TriggerType trigger, final int eventKinds,
        final int ratMask, final byte[][] apns, final long[] hotlineNumbers, final int[] include, final int[] exclude,
        final long validFromNs, final long validToNs, final byte[] payload) {
        this.id = id;
        this.idBytes = new UnsafeBuffer(id.getBytes(StandardCharsets.US_ASCII));
        this.ordinal = ordinal;
        this.priority = priority;
        this.trigger = trigger;
        this.eventKinds = eventKinds;
        this.ratMask = ratMask;
        this.apns = apns;
        this.hotlineNumbers = hotlineNumbers;
        this.include = include;
        this.exclude = exclude;
        this.validFromNs = validFromNs;
        this.validToNs = validToNs;
        this.hasPayload = payload != null;
        this.payload = new UnsafeBuffer(payload == null ? new byte[0] : payload);
    }

    public String id() {
        return id;
    }

    /** The id as ASCII bytes, for the journal. */
    public DirectBuffer idBytes() {
        return idBytes;
    }

    /** Position in the rule set: rules are ordered by priority, highest first, then as written. */
    public int ordinal() {
        return ordinal;
    }

    public int priority() {
        return priority;
    }

    public TriggerType trigger() {
        return trigger;
    }

    /** True when an event of this kind can fire the rule (trigger type narrowed by filter.direction). */
    public boolean firesOn(final EventKind kind) {
        return (eventKinds & (1 << kind.ordinal())) != 0;
    }

    int eventKinds() {
        return eventKinds;
    }

    /** True when the rule filters on RAT; then only events reporting one of its RATs pass. */
    public boolean hasRatFilter() {
        return ratMask != 0;
    }

    public boolean ratAllowed(final Rat rat) {
        return (ratMask & (1 << rat.ordinal())) != 0;
    }

    /** True when the rule filters on APN; then only events whose APN is one of its APNs pass. */
    public boolean hasApnFilter() {
        return apns.length > 0;
    }

    /**
     * TS 23.003 9.1: an APN is a network identifier, optionally followed by the operator identifier
     * {@code .mncXXX.mccYYY.gprs}. A rule names network identifiers; the match ignores ASCII case and
     * any operator identifier the event carries.
     */
    public boolean apnAllowed(final byte[] apn, final int length) {
        for (final byte[] allowed : apns) {
            if (apnMatches(allowed, apn, length)) {
                return true;
            }
        }
        return false;
    }

    private static boolean apnMatches(final byte[] allowed, final byte[] apn, final int length) {
        final int n = allowed.length;
        if (length < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (allowed[i] != lower(apn[i])) {
                return false;
            }
        }
        return length == n || (length >= n + 4 && apn[n] == '.' && lower(apn[n + 1]) == 'm'
            && lower(apn[n + 2]) == 'n' && lower(apn[n + 3]) == 'c');
    }

    private static byte lower(final byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
    }

    /** For hotlineCall: true when the called number (packed digits) is one of the rule's numbers. */
    public boolean isHotlineNumber(final long called) {
        return Arrays.binarySearch(hotlineNumbers, called) >= 0;
    }

    /** Target lists a subscriber must be in at least one of; none means everyone. */
    public int includeCount() {
        return include.length;
    }

    /** Index in the rule set's lists of the i-th include list. */
    public int include(final int i) {
        return include[i];
    }

    /** Target lists a subscriber must be in none of (do-not-disturb, opt-out). */
    public int excludeCount() {
        return exclude.length;
    }

    public int exclude(final int i) {
        return exclude[i];
    }

    /** Earliest trigger time the rule accepts, epoch ns (inclusive); {@link #NO_START} when unbounded. */
    public long validFromNs() {
        return validFromNs;
    }

    /** Latest trigger time the rule accepts, epoch ns (inclusive); {@link #NO_END} when unbounded. */
    public long validToNs() {
        return validToNs;
    }

    public boolean hasPayload() {
        return hasPayload;
    }

    /** The payload as minified JSON, UTF-8: the document's bytes with insignificant whitespace removed. */
    public DirectBuffer payload() {
        return payload;
    }

    public String payloadJson() {
        return hasPayload ? payload.getStringWithoutLengthUtf8(0, payload.capacity()) : null;
    }

    @Override
    public String toString() {
        return "Rule{" + id + ", " + trigger.jsonName + ", priority " + priority + "}";
    }
}
