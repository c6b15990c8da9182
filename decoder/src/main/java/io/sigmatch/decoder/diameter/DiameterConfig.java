package io.sigmatch.decoder.diameter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.sigmatch.decoder.Digits;

/**
 * Limits and settings of the Diameter decoder. Every limit has a safe default; set what differs,
 * then {@link #conclude()} validates the whole (the decoder calls it).
 *
 * <pre>
 *   setting                    default    meaning
 *   maxMessageBytes            65536      longest message accepted; a longer Message Length is not a
 *                                         message (a stream resynchronises). RFC 6733 allows 2^24-1; real
 *                                         S6a ULAs with many APN configurations stay within a few KB
 *   maxAvpDepth                8          grouped AVP nesting (S6a Subscription-Data > APN-Configuration-
 *                                         Profile > APN-Configuration > EPS-Subscribed-QoS-Profile > ARP is 5)
 *   maxAvpsPerMessage          4096       AVPs walked per message, all levels
 *   pendingRequests            16384      requests waiting for their answer at once
 *   answerTimeoutNs            30 s       capture time after which an unanswered request completes as
 *                                         unknown (RFC 6733 Tc / typical Tx timers are 5..30 s)
 *   sessionTableEntries        65536      Session-Ids remembered with their subscriber
 *   sessionIdleExpiryNs        24 h       capture time after which an unused Session-Id is forgotten
 *   sweepSlotsPerAdvance       64         session table slots checked for expiry per advanceTime call
 *   homePlmns                  (empty)    home networks, packed by {@link io.sigmatch.decoder.Plmn}; empty:
 *                                         the IMSI's own MCC+MNC is home (see the package documentation)
 * </pre>
 */
public final class DiameterConfig {
    public static final int MAX_MESSAGE_BYTES_DEFAULT = 1 << 16;
    public static final int MAX_AVP_DEPTH_DEFAULT = 8;
    public static final int MAX_AVPS_PER_MESSAGE_DEFAULT = 4096;
    public static final int PENDING_REQUESTS_DEFAULT = 1 << 14;
    public static final long ANSWER_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(30);
    public static final int SESSION_TABLE_ENTRIES_DEFAULT = 1 << 16;
    public static final long SESSION_IDLE_EXPIRY_NS_DEFAULT = TimeUnit.HOURS.toNanos(24);
    public static final int SWEEP_SLOTS_PER_ADVANCE_DEFAULT = 64;

    private int maxMessageBytes = MAX_MESSAGE_BYTES_DEFAULT;
    private int maxAvpDepth = MAX_AVP_DEPTH_DEFAULT;
    private int maxAvpsPerMessage = MAX_AVPS_PER_MESSAGE_DEFAULT;
    private int pendingRequests = PENDING_REQUESTS_DEFAULT;
    private long answerTimeoutNs = ANSWER_TIMEOUT_NS_DEFAULT;
    private int sessionTableEntries = SESSION_TABLE_ENTRIES_DEFAULT;
    private long sessionIdleExpiryNs = SESSION_IDLE_EXPIRY_NS_DEFAULT;
    private int sweepSlotsPerAdvance = SWEEP_SLOTS_PER_ADVANCE_DEFAULT;
    private final List<Long> homePlmns = new ArrayList<>();
    private long[] homePlmnArray = new long[0];

    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    public DiameterConfig maxMessageBytes(final int bytes) {
        this.maxMessageBytes = bytes;
        return this;
    }

    public int maxAvpDepth() {
        return maxAvpDepth;
    }

    public DiameterConfig maxAvpDepth(final int depth) {
        this.maxAvpDepth = depth;
        return this;
    }

    public int maxAvpsPerMessage() {
        return maxAvpsPerMessage;
    }

    public DiameterConfig maxAvpsPerMessage(final int avps) {
        this.maxAvpsPerMessage = avps;
        return this;
    }

    public int pendingRequests() {
        return pendingRequests;
    }

    public DiameterConfig pendingRequests(final int requests) {
        this.pendingRequests = requests;
        return this;
    }

    public long answerTimeoutNs() {
        return answerTimeoutNs;
    }

    public DiameterConfig answerTimeoutNs(final long ns) {
        this.answerTimeoutNs = ns;
        return this;
    }

    public int sessionTableEntries() {
        return sessionTableEntries;
    }

    public DiameterConfig sessionTableEntries(final int entries) {
        this.sessionTableEntries = entries;
        return this;
    }

    public long sessionIdleExpiryNs() {
        return sessionIdleExpiryNs;
    }

    public DiameterConfig sessionIdleExpiryNs(final long ns) {
        this.sessionIdleExpiryNs = ns;
        return this;
    }

    public int sweepSlotsPerAdvance() {
        return sweepSlotsPerAdvance;
    }

    public DiameterConfig sweepSlotsPerAdvance(final int slots) {
        this.sweepSlotsPerAdvance = slots;
        return this;
    }

    /** Adds a home network (e.g. {@code Plmn.of(460, 0, 2)}); with none, the IMSI's own PLMN is home. */
    public DiameterConfig homePlmn(final long packedPlmn) {
        final int n = Digits.length(packedPlmn);
        if (!Digits.isValid(packedPlmn) || (n != 5 && n != 6)) {
            throw new IllegalArgumentException("a home PLMN is 5 or 6 packed digits (MCC + MNC): " + packedPlmn);
        }
        homePlmns.add(packedPlmn);
        homePlmnArray = homePlmns.stream().mapToLong(Long::longValue).toArray();
        return this;
    }

    /** Parses "46000,46001,310410" (MCC followed by a 2- or 3-digit MNC). */
    public DiameterConfig homePlmns(final String option) {
        for (final String e : option.split(",")) {
            final String s = e.trim();
            if (s.isEmpty()) {
                continue;
            }
            final long p = Digits.parse(s);
            if (p == Digits.INVALID || (s.length() != 5 && s.length() != 6)) {
                throw new IllegalArgumentException("bad home PLMN '" + s + "': expected MCC+MNC, 5 or 6 digits");
            }
            homePlmn(p);
        }
        return this;
    }

    public List<Long> homePlmns() {
        return Collections.unmodifiableList(homePlmns);
    }

    /** The home PLMNs as an array the decoder scans without boxing. */
    long[] homePlmnArray() {
        return homePlmnArray;
    }

    /** Checks every limit; throws IllegalArgumentException naming the first bad one. */
    public DiameterConfig conclude() {
        range("maxMessageBytes", maxMessageBytes, DiameterHeader.LENGTH, DiameterHeader.MAX_LENGTH);
        range("maxAvpDepth", maxAvpDepth, 1, 32);
        range("maxAvpsPerMessage", maxAvpsPerMessage, 1, 1 << 20);
        range("pendingRequests", pendingRequests, 1, 1 << 24);
        range("sessionTableEntries", sessionTableEntries, 1, 1 << 25);
        range("sweepSlotsPerAdvance", sweepSlotsPerAdvance, 0, 1 << 20);
        if (answerTimeoutNs <= 0) {
            throw new IllegalArgumentException("answerTimeoutNs must be positive: " + answerTimeoutNs);
        }
        if (sessionIdleExpiryNs <= 0) {
            throw new IllegalArgumentException("sessionIdleExpiryNs must be positive: " + sessionIdleExpiryNs);
        }
        return this;
    }

    private static void range(final String name, final long value, final long min, final long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ": " + value);
        }
    }

    @Override
    public String toString() {
        return "DiameterConfig{maxMessageBytes=" + maxMessageBytes + ", maxAvpDepth=" + maxAvpDepth
            + ", maxAvpsPerMessage=" + maxAvpsPerMessage + ", pendingRequests=" + pendingRequests
            + ", answerTimeoutNs=" + answerTimeoutNs + ", sessionTableEntries=" + sessionTableEntries
            + ", sessionIdleExpiryNs=" + sessionIdleExpiryNs + ", sweepSlotsPerAdvance=" + sweepSlotsPerAdvance
            + ", homePlmns=" + homePlmns.size() + '}';
    }
}
