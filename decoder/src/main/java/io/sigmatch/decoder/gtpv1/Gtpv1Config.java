package io.sigmatch.decoder.gtpv1;

import java.util.concurrent.TimeUnit;

/**
 * Limits of the GTPv1-C decoder: table sizes, time-outs and parsing bounds, in the shape of
 * {@link io.sigmatch.decoder.gtpv2.Gtpv2Config}. Every limit has a safe default; set what differs,
 * then {@link #conclude()} validates the whole (the decoder calls it).
 *
 * <pre>
 *   limit                      default    meaning
 *   teidTableEntries           65536      TEID-C + GSN address keys kept (two per PDP address)
 *   pendingRequests            16384      requests waiting for their response at once
 *   answerTimeoutNs            20 s       capture time after which an unanswered request completes as unknown
 *                                         (T3-RESPONSE x N3-REQUESTS, TS 29.060 7.6, is typically 3 s x 5)
 *   teidIdleExpiryNs           24 h       capture time after which an unused TEID is forgotten
 *   teidKeyIncludesAddress     true       key TEIDs by TEID + GSN address (TEIDs are only unique per node)
 *   maxIesPerMessage           1024       information elements walked per message
 *   maxExtensionHeaders        8          extension headers followed per message (6.1.1 defines a handful)
 *   maxMessageLength           16384      octets of one message, header included; longer is "oversized"
 *   sweepSlotsPerAdvance       64         TEID table slots checked for expiry per advanceTime call
 * </pre>
 */
public final class Gtpv1Config {
    public static final int TEID_TABLE_ENTRIES_DEFAULT = 1 << 16;
    public static final int PENDING_REQUESTS_DEFAULT = 1 << 14;
    public static final long ANSWER_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(20);
    public static final long TEID_IDLE_EXPIRY_NS_DEFAULT = TimeUnit.HOURS.toNanos(24);
    public static final boolean TEID_KEY_INCLUDES_ADDRESS_DEFAULT = true;
    public static final int MAX_IES_PER_MESSAGE_DEFAULT = 1024;
    public static final int MAX_EXTENSION_HEADERS_DEFAULT = 8;
    public static final int MAX_MESSAGE_LENGTH_DEFAULT = 16_384;
    public static final int SWEEP_SLOTS_PER_ADVANCE_DEFAULT = 64;

    private int teidTableEntries = TEID_TABLE_ENTRIES_DEFAULT;
    private int pendingRequests = PENDING_REQUESTS_DEFAULT;
    private long answerTimeoutNs = ANSWER_TIMEOUT_NS_DEFAULT;
    private long teidIdleExpiryNs = TEID_IDLE_EXPIRY_NS_DEFAULT;
    private boolean teidKeyIncludesAddress = TEID_KEY_INCLUDES_ADDRESS_DEFAULT;
    private int maxIesPerMessage = MAX_IES_PER_MESSAGE_DEFAULT;
    private int maxExtensionHeaders = MAX_EXTENSION_HEADERS_DEFAULT;
    private int maxMessageLength = MAX_MESSAGE_LENGTH_DEFAULT;
    private int sweepSlotsPerAdvance = SWEEP_SLOTS_PER_ADVANCE_DEFAULT;

    public int teidTableEntries() {
        return teidTableEntries;
    }

    public Gtpv1Config teidTableEntries(final int entries) {
        this.teidTableEntries = entries;
        return this;
    }

    public int pendingRequests() {
        return pendingRequests;
    }

    public Gtpv1Config pendingRequests(final int requests) {
        this.pendingRequests = requests;
        return this;
    }

    public long answerTimeoutNs() {
        return answerTimeoutNs;
    }

    public Gtpv1Config answerTimeoutNs(final long ns) {
        this.answerTimeoutNs = ns;
        return this;
    }

    public long teidIdleExpiryNs() {
        return teidIdleExpiryNs;
    }

    public Gtpv1Config teidIdleExpiryNs(final long ns) {
        this.teidIdleExpiryNs = ns;
        return this;
    }

    public boolean teidKeyIncludesAddress() {
        return teidKeyIncludesAddress;
    }

    public Gtpv1Config teidKeyIncludesAddress(final boolean includes) {
        this.teidKeyIncludesAddress = includes;
        return this;
    }

    public int maxIesPerMessage() {
        return maxIesPerMessage;
    }

    public Gtpv1Config maxIesPerMessage(final int ies) {
        this.maxIesPerMessage = ies;
        return this;
    }

    public int maxExtensionHeaders() {
        return maxExtensionHeaders;
    }

    public Gtpv1Config maxExtensionHeaders(final int headers) {
        this.maxExtensionHeaders = headers;
        return this;
    }

    public int maxMessageLength() {
        return maxMessageLength;
    }

    public Gtpv1Config maxMessageLength(final int octets) {
        this.maxMessageLength = octets;
        return this;
    }

    public int sweepSlotsPerAdvance() {
        return sweepSlotsPerAdvance;
    }

    public Gtpv1Config sweepSlotsPerAdvance(final int slots) {
        this.sweepSlotsPerAdvance = slots;
        return this;
    }

    /** Checks every limit; throws IllegalArgumentException naming the first bad one. */
    public Gtpv1Config conclude() {
        range("teidTableEntries", teidTableEntries, 1, 1 << 25);
        range("pendingRequests", pendingRequests, 1, 1 << 24);
        range("maxIesPerMessage", maxIesPerMessage, 1, 1 << 16);
        range("maxExtensionHeaders", maxExtensionHeaders, 0, 255);
        range("maxMessageLength", maxMessageLength, 12, 65_535 + 8);
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
        return "Gtpv1Config{teidTableEntries=" + teidTableEntries + ", pendingRequests=" + pendingRequests
            + ", answerTimeoutNs=" + answerTimeoutNs + ", teidIdleExpiryNs=" + teidIdleExpiryNs
            + ", teidKeyIncludesAddress=" + teidKeyIncludesAddress + ", maxIesPerMessage=" + maxIesPerMessage
            + ", maxExtensionHeaders=" + maxExtensionHeaders + ", maxMessageLength=" + maxMessageLength
            + ", sweepSlotsPerAdvance=" + sweepSlotsPerAdvance + '}';
    }
}
