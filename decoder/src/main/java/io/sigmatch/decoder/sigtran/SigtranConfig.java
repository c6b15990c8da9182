package io.sigmatch.decoder.sigtran;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Limits and settings of the SIGTRAN decoder (M3UA/M2UA, SCCP, TCAP, MAP, CAP). Every limit has a
 * safe default; {@link #conclude()} validates (the decoder calls it).
 *
 * <pre>
 *   setting                  default   meaning
 *   maxBerDepth              12        BER nesting walked (TCAP Begin > components > invoke > MAP argument >
 *                                      subscriberInfo > locationInformation > CGI choice is 8)
 *   maxBerElements           2048      BER elements read per TCAP message, all levels
 *   transactions             16384     TCAP transactions waiting for their End at once
 *   transactionTimeoutNs     30 s      capture time after which an open transaction completes as unknown
 *                                      (Q.774 / TS 29.002: MAP operation timers are at most a few minutes
 *                                      for USSD, 5..30 s for mobility management)
 *   reassemblySlots          64        XUDT/LUDT segmented messages being put together at once
 *   reassemblyMaxBytes       8192      largest reassembled SCCP user data (Q.713: 16 segments of a
 *                                      254-octet XUDT data parameter is about 4 KB)
 *   reassemblyTimeoutNs      10 s      Q.714 T(reassembly) is 10..20 s
 *   capSsns                  146       SCCP subsystems that carry CAP when no application context says
 *                                      (Q.713 Annex B / TS 23.003: 146 = CAP); labs use others
 *   homePlmns                (empty)   home networks (packed {@link io.sigmatch.decoder.Plmn}); with a
 *                                      list, a registration of a foreign IMSI is roaming too
 * </pre>
 */
public final class SigtranConfig {
    private int maxBerDepth = 12;
    private int maxBerElements = 2048;
    private int transactions = 1 << 14;
    private long transactionTimeoutNs = TimeUnit.SECONDS.toNanos(30);
    private int reassemblySlots = 64;
    private int reassemblyMaxBytes = 8192;
    private long reassemblyTimeoutNs = TimeUnit.SECONDS.toNanos(10);
    private final List<Integer> capSsns = new ArrayList<>(List.of(146));
    private final List<Long> homePlmns = new ArrayList<>();

    public int maxBerDepth() {
        return maxBerDepth;
    }

    public SigtranConfig maxBerDepth(final int depth) {
        maxBerDepth = depth;
        return this;
    }

    public int maxBerElements() {
        return maxBerElements;
    }

    public SigtranConfig maxBerElements(final int n) {
        maxBerElements = n;
        return this;
    }

    public int transactions() {
        return transactions;
    }

    public SigtranConfig transactions(final int n) {
        transactions = n;
        return this;
    }

    public long transactionTimeoutNs() {
        return transactionTimeoutNs;
    }

    public SigtranConfig transactionTimeoutNs(final long ns) {
        transactionTimeoutNs = ns;
        return this;
    }

    public int reassemblySlots() {
        return reassemblySlots;
    }

    public SigtranConfig reassemblySlots(final int n) {
        reassemblySlots = n;
        return this;
    }

    public int reassemblyMaxBytes() {
        return reassemblyMaxBytes;
    }

    public SigtranConfig reassemblyMaxBytes(final int n) {
        reassemblyMaxBytes = n;
        return this;
    }

    public long reassemblyTimeoutNs() {
        return reassemblyTimeoutNs;
    }

    public SigtranConfig reassemblyTimeoutNs(final long ns) {
        reassemblyTimeoutNs = ns;
        return this;
    }

    public SigtranConfig capSsn(final int ssn) {
        capSsns.add(ssn);
        return this;
    }

    public boolean isCapSsn(final int ssn) {
        for (final int s : capSsns) {
            if (s == ssn) {
                return true;
            }
        }
        return false;
    }

    /** The CAP SSNs as a lookup table indexed by SSN (the decoder's copy: no boxing per message). */
    boolean[] capSsnTable() {
        final boolean[] t = new boolean[256];
        for (final int s : capSsns) {
            t[s] = true;
        }
        return t;
    }

    public SigtranConfig homePlmn(final long packedPlmn) {
        homePlmns.add(packedPlmn);
        return this;
    }

    long[] homePlmnArray() {
        final long[] a = new long[homePlmns.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = homePlmns.get(i);
        }
        return a;
    }

    public SigtranConfig conclude() {
        check(maxBerDepth >= 4 && maxBerDepth <= 64, "maxBerDepth must be 4..64: " + maxBerDepth);
        check(maxBerElements >= 16 && maxBerElements <= 1 << 20, "maxBerElements must be 16..2^20: " + maxBerElements);
        check(transactions >= 1 && transactions <= 1 << 24, "transactions must be 1..2^24: " + transactions);
        check(transactionTimeoutNs > 0, "transactionTimeoutNs must be positive");
        check(reassemblySlots >= 1 && reassemblySlots <= 4096, "reassemblySlots must be 1..4096: " + reassemblySlots);
        check(reassemblyMaxBytes >= 256 && reassemblyMaxBytes <= 1 << 16,
            "reassemblyMaxBytes must be 256..65536: " + reassemblyMaxBytes);
        check(reassemblyTimeoutNs > 0, "reassemblyTimeoutNs must be positive");
        for (final int s : capSsns) {
            check(s >= 0 && s <= 255, "SSN must be 0..255: " + s);
        }
        return this;
    }

    private static void check(final boolean ok, final String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
