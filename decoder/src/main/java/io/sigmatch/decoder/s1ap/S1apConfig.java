package io.sigmatch.decoder.s1ap;

import java.util.concurrent.TimeUnit;

/**
 * Limits and table sizes of the S1AP decoder, also used by the NGAP decoder (the two share the PDU
 * skeleton and the correlation design). Safe defaults; {@link #conclude()} validates.
 *
 * <pre>
 *   setting               default   meaning
 *   maxIesPerMessage      64        ProtocolIE-Container count accepted (real messages carry at most ~20;
 *                                   the ASN.1 bound maxProtocolIEs is 65535)
 *   ueContexts            65536     UE handles (MME/AMF ids, eNB/RAN ids) remembered, each with its subscriber
 *   ueIdleExpiryNs        1 h       capture time after which a UE handle not seen is forgotten (a UE's S1/NG
 *                                   connection lasts seconds to minutes; release removes it at once)
 *   temporaryIdentities   262144    GUTI / 5G-S-TMSI to subscriber entries (these survive idle mode)
 *   tmsiIdleExpiryNs      24 h      capture time after which an unused GUTI is forgotten (TS 24.301 T3412 is
 *                                   54 min by default; a GUTI not refreshed for a day is likely reallocated)
 *   sweepSlotsPerAdvance  64        table slots checked for expiry per advanceTime call
 * </pre>
 */
public final class S1apConfig {
    public static final int MAX_IES_PER_MESSAGE_DEFAULT = 64;
    public static final int UE_CONTEXTS_DEFAULT = 1 << 16;
    public static final long UE_IDLE_EXPIRY_NS_DEFAULT = TimeUnit.HOURS.toNanos(1);
    public static final int TEMPORARY_IDENTITIES_DEFAULT = 1 << 18;
    public static final long TMSI_IDLE_EXPIRY_NS_DEFAULT = TimeUnit.HOURS.toNanos(24);
    public static final int SWEEP_SLOTS_PER_ADVANCE_DEFAULT = 64;

    private int maxIesPerMessage = MAX_IES_PER_MESSAGE_DEFAULT;
    private int ueContexts = UE_CONTEXTS_DEFAULT;
    private long ueIdleExpiryNs = UE_IDLE_EXPIRY_NS_DEFAULT;
    private int temporaryIdentities = TEMPORARY_IDENTITIES_DEFAULT;
    private long tmsiIdleExpiryNs = TMSI_IDLE_EXPIRY_NS_DEFAULT;
    private int sweepSlotsPerAdvance = SWEEP_SLOTS_PER_ADVANCE_DEFAULT;

    public int maxIesPerMessage() {
        return maxIesPerMessage;
    }

    public S1apConfig maxIesPerMessage(final int n) {
        maxIesPerMessage = n;
        return this;
    }

    public int ueContexts() {
        return ueContexts;
    }

    public S1apConfig ueContexts(final int n) {
        ueContexts = n;
        return this;
    }

    public long ueIdleExpiryNs() {
        return ueIdleExpiryNs;
    }

    public S1apConfig ueIdleExpiryNs(final long ns) {
        ueIdleExpiryNs = ns;
        return this;
    }

    public int temporaryIdentities() {
        return temporaryIdentities;
    }

    public S1apConfig temporaryIdentities(final int n) {
        temporaryIdentities = n;
        return this;
    }

    public long tmsiIdleExpiryNs() {
        return tmsiIdleExpiryNs;
    }

    public S1apConfig tmsiIdleExpiryNs(final long ns) {
        tmsiIdleExpiryNs = ns;
        return this;
    }

    public int sweepSlotsPerAdvance() {
        return sweepSlotsPerAdvance;
    }

    public S1apConfig sweepSlotsPerAdvance(final int n) {
        sweepSlotsPerAdvance = n;
        return this;
    }

    public S1apConfig conclude() {
        if (maxIesPerMessage < 1 || maxIesPerMessage > 65535) {
            throw new IllegalArgumentException("maxIesPerMessage must be 1..65535: " + maxIesPerMessage);
        }
        if (ueContexts < 1 || temporaryIdentities < 1) {
            throw new IllegalArgumentException("ueContexts and temporaryIdentities must be at least 1");
        }
        if (ueIdleExpiryNs <= 0 || tmsiIdleExpiryNs <= 0) {
            throw new IllegalArgumentException("expiry times must be positive");
        }
        if (sweepSlotsPerAdvance < 1) {
            throw new IllegalArgumentException("sweepSlotsPerAdvance must be at least 1: " + sweepSlotsPerAdvance);
        }
        return this;
    }
}
