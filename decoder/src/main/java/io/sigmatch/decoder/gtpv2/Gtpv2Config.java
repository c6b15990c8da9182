package io.sigmatch.decoder.gtpv2;

import java.util.concurrent.TimeUnit;

/**
 * Limits of the GTPv2-C decoder: table sizes, time-outs and parsing bounds. Every limit has a safe
 * default; set what differs, then {@link #conclude()} validates the whole (the decoder calls it).
 *
 * <pre>
 *   limit                      default    meaning
 *   teidTableEntries           65536      TEID + node address keys kept (two to three per PDN connection)
 *   pendingRequests            16384      requests waiting for their answer at once
 *   answerTimeoutNs            20 s       capture time after which an unanswered request completes as unknown
 *                                         (T3-RESPONSE x N3-REQUESTS is typically 3 s x 5)
 *   teidIdleExpiryNs           24 h       capture time after which an unused TEID is forgotten
 *   teidKeyIncludesAddress     true       key TEIDs by TEID + node address (TEIDs are only unique per node)
 *   maxIeDepth                 4          grouped IE nesting (the spec needs 2: PDN Connection > Bearer Context)
 *   maxIesPerMessage           1024       information elements walked per message, all levels
 *   maxPiggybacked             1          messages following the first in one datagram (5.5 allows one)
 *   sweepSlotsPerAdvance       64         TEID table slots checked for expiry per advanceTime call
 * </pre>
 */
public final class Gtpv2Config {
    public static final int TEID_TABLE_ENTRIES_DEFAULT = 1 << 16;
    public static final int PENDING_REQUESTS_DEFAULT = 1 << 14;
    public static final long ANSWER_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(20);
    public static final long TEID_IDLE_EXPIRY_NS_DEFAULT = TimeUnit.HOURS.toNanos(24);
    public static final boolean TEID_KEY_INCLUDES_ADDRESS_DEFAULT = true;
    public static final int MAX_IE_DEPTH_DEFAULT = 4;
    public static final int MAX_IES_PER_MESSAGE_DEFAULT = 1024;
    public static final int MAX_PIGGYBACKED_DEFAULT = 1;
    public static final int SWEEP_SLOTS_PER_ADVANCE_DEFAULT = 64;

    private int teidTableEntries = TEID_TABLE_ENTRIES_DEFAULT;
    private int pendingRequests = PENDING_REQUESTS_DEFAULT;
    private long answerTimeoutNs = ANSWER_TIMEOUT_NS_DEFAULT;
    private long teidIdleExpiryNs = TEID_IDLE_EXPIRY_NS_DEFAULT;
    private boolean teidKeyIncludesAddress = TEID_KEY_INCLUDES_ADDRESS_DEFAULT;
    private int maxIeDepth = MAX_IE_DEPTH_DEFAULT;
    private int maxIesPerMessage = MAX_IES_PER_MESSAGE_DEFAULT;
    private int maxPiggybacked = MAX_PIGGYBACKED_DEFAULT;
    private int sweepSlotsPerAdvance = SWEEP_SLOTS_PER_ADVANCE_DEFAULT;

    public int teidTableEntries() {
        return teidTableEntries;
    }

    public Gtpv2Config teidTableEntries(final int entries) {
        this.teidTableEntries = entries;
        return this;
    }

    public int pendingRequests() {
        return pendingRequests;
    }

    public Gtpv2Config pendingRequests(final int requests) {
        this.pendingRequests = requests;
        return this;
    }

    public long answerTimeoutNs() {
        return answerTimeoutNs;
    }

    public Gtpv2Config answerTimeoutNs(final long ns) {
        this.answerTimeoutNs = ns;
        return this;
    }

    public long teidIdleExpiryNs() {
        return teidIdleExpiryNs;
    }

    public Gtpv2Config teidIdleExpiryNs(final long ns) {
        this.teidIdleExpiryNs = ns;
        return this;
    }

    public boolean teidKeyIncludesAddress() {
        return teidKeyIncludesAddress;
    }

    public Gtpv2Config teidKeyIncludesAddress(final boolean includes) {
        this.teidKeyIncludesAddress = includes;
        return this;
    }

    public int maxIeDepth() {
        return maxIeDepth;
    }

    public Gtpv2Config maxIeDepth(final int depth) {
        this.maxIeDepth = depth;
        return this;
    }

    public int maxIesPerMessage() {
        return maxIesPerMessage;
    }

    public Gtpv2Config maxIesPerMessage(final int ies) {
        this.maxIesPerMessage = ies;
        return this;
    }

    public int maxPiggybacked() {
        return maxPiggybacked;
    }

    public Gtpv2Config maxPiggybacked(final int messages) {
        this.maxPiggybacked = messages;
        return this;
    }

    public int sweepSlotsPerAdvance() {
        return sweepSlotsPerAdvance;
    }

    public Gtpv2Config sweepSlotsPerAdvance(final int slots) {
        this.sweepSlotsPerAdvance = slots;
        return this;
    }

    /** Checks every limit; throws IllegalArgumentException naming the first bad one. */
    public Gtpv2Config conclude() {
        range("teidTableEntries", teidTableEntries, 1, 1 << 25);
        range("pendingRequests", pendingRequests, 1, 1 << 24);
        range("maxIeDepth", maxIeDepth, 1, 16);
        range("maxIesPerMessage", maxIesPerMessage, 1, 1 << 16);
        range("maxPiggybacked", maxPiggybacked, 0, 16);
        range("sweepSlotsPerAdvance", sweepSlotsPerAdvance, 0, 1 << 20);
        if (answerTimeoutNs <= 0) {
            throw new IllegalArgumentException("answerTimeoutNs must be positive: " + answerTimeoutNs);
        }
        if (teidIdleExpiryNs <= 0) {
            throw new IllegalArgumentException("teidIdleExpiryNs must be positive: " + teidIdleExpiryNs);
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
        return "Gtpv2Config{teidTableEntries=" + teidTableEntries + ", pendingRequests=" + pendingRequests
            + ", answerTimeoutNs=" + answerTimeoutNs + ", teidIdleExpiryNs=" + teidIdleExpiryNs
            + ", teidKeyIncludesAddress=" + teidKeyIncludesAddress + ", maxIeDepth=" + maxIeDepth
            + ", maxIesPerMessage=" + maxIesPerMessage + ", maxPiggybacked=" + maxPiggybacked
            + ", sweepSlotsPerAdvance=" + sweepSlotsPerAdvance + '}';
    }
}
