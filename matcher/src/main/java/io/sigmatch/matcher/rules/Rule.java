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

    /** No cap, no quiet hours, no area: the parameters' "absent" values. */
    public static final int NO_AREA = -1;

    private final String id;
    private final UnsafeBuffer idBytes;
    private final int ordinal;
    private final int documentOrder;
    private final int stableId;
    private final int priority;
    private final TriggerType trigger;
    private final int eventKinds;
    private final int ratMask;
    private final byte[][] apns;
    private final long[] plmns;
    private final long[] hotlineNumbers;
    private final int[] include;
    private final int[] exclude;
    private final long validFromNs;
    private final long validToNs;
    private final UnsafeBuffer payload;
    private final boolean hasPayload;
    // trigger parameters (DESIGN §13), in ns where they are durations
    private final int area;
    private final long antiFlapNs;
    private final long dwellNs;
    private final int visitCount;
    private final long visitWindowNs;
    private final int roamingScope;
    private final long roamingNs;
    private final boolean byTac;
    private final long forwardingWithinNs;
    // governance
    private final boolean quietHours;
    private final long quietFromNs;
    private final long quietToNs;
    private final boolean quietDefer;
    private final int capCount;
    private final long capPerNs;

    Rule(final Draft d, final int ordinal) {
        this.id = d.id;
        this.idBytes = new UnsafeBuffer(id.getBytes(StandardCharsets.US_ASCII));
        this.ordinal = ordinal;
        this.documentOrder = d.order;
        this.stableId = stableId(d.id);
        this.priority = d.priority;
        this.trigger = d.trigger;
        this.eventKinds = d.eventKinds;
        this.ratMask = d.ratMask;
        this.apns = d.apns;
        this.plmns = d.plmns;
        this.hotlineNumbers = d.numbers;
        this.include = d.include;
        this.exclude = d.exclude;
        this.validFromNs = d.validFrom;
        this.validToNs = d.validTo;
        this.hasPayload = d.payload != null;
        this.payload = new UnsafeBuffer(d.payload == null ? new byte[0] : d.payload);
        this.area = d.area;
        this.antiFlapNs = d.antiFlapNs;
        this.dwellNs = d.dwellNs;
        this.visitCount = d.visitCount;
        this.visitWindowNs = d.visitWindowNs;
        this.roamingScope = d.roamingScope;
        this.roamingNs = d.roamingNs;
        this.byTac = d.byTac;
        this.forwardingWithinNs = d.forwardingWithinNs;
        this.quietHours = d.quietHours;
        this.quietFromNs = d.quietFromNs;
        this.quietToNs = d.quietToNs;
        this.quietDefer = d.quietDefer;
        this.capCount = d.capCount;
        this.capPerNs = d.capPerNs;
    }

    /** What the parser fills in; {@link Rule} copies it once the snapshot is known to be valid. */
    static class Draft {
        String id;
        int order;
        int priority;
        TriggerType trigger;
        int eventKinds;
        int ratMask;
        byte[][] apns = new byte[0][];
        long[] plmns = new long[0];
        long[] numbers = new long[0];
        int[] include = new int[0];
        int[] exclude = new int[0];
        long validFrom = NO_START;
        long validTo = NO_END;
        byte[] payload;
        String areaName;
        int area = NO_AREA;
        long antiFlapNs;
        long dwellNs;
        int visitCount;
        long visitWindowNs;
        int roamingScope;
        long roamingNs;
        boolean byTac;
        long forwardingWithinNs;
        boolean quietHours;
        long quietFromNs;
        long quietToNs;
        boolean quietDefer;
        int capCount;
        long capPerNs;
    }

    /** Roaming scopes ({@code scope}): bits, so "any" is both. */
    public static final int SCOPE_INTERNATIONAL = 1;
    public static final int SCOPE_PROVINCE = 2;
    public static final int SCOPE_ANY = SCOPE_INTERNATIONAL | SCOPE_PROVINCE;

    /**
     * The id timers and cap slots in the subscriber state know a rule by: FNV-1a of its id, never 0,
     * the same in every snapshot that keeps the rule's id (a timer armed under one version fires under
     * the next).
     */
    public static int stableId(final String id) {
        int h = 0x811C9DC5;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x01000193;
        }
        return h == 0 ? 1 : h;
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

    /** Position in the snapshot document: ties in priority and among timers due together go by it. */
    public int documentOrder() {
        return documentOrder;
    }

    public int stableId() {
        return stableId;
    }

    /** True when the rule filters on the serving PLMN; then only events whose PLMN is listed pass. */
    public boolean hasPlmnFilter() {
        return plmns.length > 0;
    }

    public boolean plmnAllowed(final long plmn) {
        return Arrays.binarySearch(plmns, plmn) >= 0;
    }

    /** The area an area trigger names, as an index in the rule set's {@link io.sigmatch.matcher.areas.AreaMap}. */
    public int area() {
        return area;
    }

    /** areaEntry: a re-entry this soon after the last exit does not fire. */
    public long antiFlapNs() {
        return antiFlapNs;
    }

    /** areaDwell: how long a stay must last. */
    public long dwellNs() {
        return dwellNs;
    }

    /** frequentVisitor: entries needed within {@link #visitWindowNs()}. */
    public int visitCount() {
        return visitCount;
    }

    public long visitWindowNs() {
        return visitWindowNs;
    }

    /** roamingIn / roamingDuration: {@link #SCOPE_INTERNATIONAL}, {@link #SCOPE_PROVINCE} or both. */
    public int roamingScope() {
        return roamingScope;
    }

    /** roamingDuration: how long a visit must last. */
    public long roamingNs() {
        return roamingNs;
    }

    /** handsetChange: compare the TAC (first 8 digits) rather than the whole IMEI. */
    public boolean byTac() {
        return byTac;
    }

    /** forwardingThenPowerOn: how long after the forwarding a power-on still fires. */
    public long forwardingWithinNs() {
        return forwardingWithinNs;
    }

    public boolean hasQuietHours() {
        return quietHours;
    }

    /** Quiet hours' start as time of day, ns after local midnight. */
    public long quietFromNs() {
        return quietFromNs;
    }

    /** Quiet hours' end as time of day; before the start when the period wraps midnight. */
    public long quietToNs() {
        return quietToNs;
    }

    /** True: a quiet match is journaled with deliverAfter; false: it is dropped. */
    public boolean quietDefer() {
        return quietDefer;
    }

    /** True when the rule has a per-subscriber frequency cap. */
    public boolean hasCap() {
        return capCount > 0;
    }

    public int capCount() {
        return capCount;
    }

    public long capPerNs() {
        return capPerNs;
    }

    @Override
    public String toString() {
        return "Rule{" + id + ", " + trigger.jsonName + ", priority " + priority + "}";
    }
}
