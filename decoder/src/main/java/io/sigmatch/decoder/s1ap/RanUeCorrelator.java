package io.sigmatch.decoder.s1ap;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.EventKind;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.correlate.UeContextTable;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Who a radio-side (S1AP or NGAP) message is about, when the NAS inside it does not say: the
 * correlation both decoders share.
 *
 * <ul>
 *   <li>A UE's connection has two handles: the core's id (MME-UE-S1AP-ID / AMF-UE-NGAP-ID, keyed with
 *       the core node's endpoint, so it survives a handover to another eNB/gNB) and the RAN node's id
 *       (eNB-UE-S1AP-ID / RAN-UE-NGAP-ID, keyed with the SCTP association). Both are entries of one
 *       {@link UeContextTable} holding the same contents; every update writes both.</li>
 *   <li>A temporary identity (GUTI / 5G-GUTI, filed by S-TMSI / 5G-S-TMSI) learnt together with the
 *       IMSI on a connection outlives it in a second table, so the UE's next connection from idle —
 *       a Service Request or TAU whose InitialUEMessage carries only the S-TMSI — resolves at once.</li>
 *   <li>An event whose subscriber is not yet known (an Attach Request with a GUTI the tables do not
 *       know) waits on the connection until the IMSI arrives (an Identity Response) and is then
 *       completed with it; a connection released first completes it without.</li>
 * </ul>
 *
 * <p>The caller sets the handles of each message with {@link #select}, reads what is known, adds
 * what the message taught, and asks for the missing identities with {@link #resolve}. One instance
 * per decoder thread; nothing allocated after construction.
 */
public final class RanUeCorrelator {
    /** Flag bit: the UE's NAS security context uses the null cipher (EEA0 / NEA0). */
    public static final int NULL_CIPHER = 1;

    /** Internal flag bits: the entry is the RAN handle of its connection; its last cell is an NR cell. */
    private static final int HANDLE_RAN = 1 << 30;
    private static final int CELL_NR = 1 << 29;
    /** On a RAN handle: a core id has been bound to this connection (so the core entry is its twin). */
    private static final int CORE_BOUND = 1 << 28;
    private static final int INTERNAL = HANDLE_RAN | CELL_NR | CORE_BOUND;

    private static final long CORE_TAG = 0x1L << 60;
    private static final long RAN_TAG = 0x2L << 60;

    private final UeContextTable ues;
    private final UeContextTable tmsis;
    private final int sweepSlots;
    private final SignalingMessage pendingProcedure = new SignalingMessage();

    private long coreKey;
    private long ranKey;
    private int coreSlot = -1;
    private int ranSlot = -1;

    private final AtomicCounter contextsCreated;
    private final AtomicCounter resolved;
    private final AtomicCounter unresolved;
    private final AtomicCounter released;
    private final AtomicCounter tmsiLearned;
    private final AtomicCounter tmsiResolved;
    private final AtomicCounter deferred;
    private final AtomicCounter deferredCompleted;
    private final AtomicCounter deferredWithoutImsi;
    private final AtomicCounter expired;
    private long evictionsSeen;
    private final AtomicCounter evicted;

    /** @param prefix counter label prefix, {@code correlate.s1ap.} or {@code correlate.ngap.} */
    public RanUeCorrelator(final Counters counters, final S1apConfig config, final String prefix) {
        config.conclude();
        ues = new UeContextTable(config.ueContexts(), config.ueIdleExpiryNs());
        tmsis = new UeContextTable(config.temporaryIdentities(), config.tmsiIdleExpiryNs());
        sweepSlots = config.sweepSlotsPerAdvance();
        contextsCreated = counters.counter(prefix + "ue_contexts");
        resolved = counters.counter(prefix + "resolved");
        unresolved = counters.counter(prefix + "unresolved");
        released = counters.counter(prefix + "released");
        tmsiLearned = counters.counter(prefix + "tmsi_learned");
        tmsiResolved = counters.counter(prefix + "tmsi_resolved");
        deferred = counters.counter(prefix + "event_deferred");
        deferredCompleted = counters.counter(prefix + "event_deferred_completed");
        deferredWithoutImsi = counters.counter(prefix + "event_deferred_without_imsi");
        expired = counters.counter(prefix + "expired");
        evicted = counters.counter(prefix + "evicted");
    }

    /** Key of a core-side UE id: the id and the endpoint (address + port hash) of the MME / AMF. */
    public static long coreKey(final long id, final long coreEndpoint) {
        return mix(CORE_TAG ^ id, coreEndpoint);
    }

    /** Key of a RAN-side UE id: the id and the SCTP association (both endpoints). */
    public static long ranKey(final long id, final long association) {
        return mix(RAN_TAG ^ id, association);
    }

    private static long mix(final long a, final long b) {
        long h = a * 0x9E3779B97F4A7C15L ^ b;
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        return h == 0 ? 1 : h;
    }

    /**
     * Picks the connection a message belongs to from the handles it carries (0: absent). With
     * {@code initial} (an InitialUEMessage) the RAN handle starts a new connection: whatever the
     * handle held before is completed and forgotten. A handle not seen before is created, so a
     * capture that starts mid-connection still learns from the rest of it. Returns false when the
     * message carries no handle.
     */
    public boolean select(final long core, final long ran, final boolean initial, final long nowNs,
        final MessageSink sink) {
        coreKey = core;
        ranKey = ran;
        coreSlot = -1;
        ranSlot = -1;
        if (core == 0 && ran == 0) {
            return false;
        }
        if (initial && ran != 0) {
            final int old = ues.find(ran, nowNs);
            if (old >= 0) {
                completeDeferredWithout(old, sink);
                ues.clearSlot(old);
            }
        }
        int c = core != 0 ? ues.find(core, nowNs) : -1;
        int r = ran != 0 ? ues.find(ran, nowNs) : -1;
        if (c < 0 && r < 0) {
            contextsCreated.increment();
        }
        if (core != 0 && c < 0) {
            ues.put(core, nowNs);
        }
        if (ran != 0 && r < 0) {
            ues.put(ran, nowNs);
        }
        // a put may have evicted and shifted entries: look both up again, then share the contents
        final boolean hadCore = c >= 0;
        final boolean hadRan = r >= 0;
        c = core != 0 ? ues.find(core, nowNs) : -1;
        r = ran != 0 ? ues.find(ran, nowNs) : -1;
        if (c >= 0 && r >= 0) {
            final boolean bound = hadRan && (ues.flags(r) & CORE_BOUND) != 0;
            if (hadCore && !hadRan) {
                ues.copy(c, r);                            // a new RAN id for a known connection (handover)
            } else if (hadRan && !bound) {
                // the core id's first message on this connection: whatever the core entry held belonged
                // to an older connection that reused the id, so the connection's contents win
                ues.copy(r, c);
            }
            ues.flags(r, ues.flags(r) | CORE_BOUND);
        }
        if (r >= 0) {
            ues.flags(r, ues.flags(r) | HANDLE_RAN);
        }
        if (c >= 0) {
            ues.flags(c, ues.flags(c) & ~(HANDLE_RAN | CORE_BOUND));
        }
        coreSlot = c;
        ranSlot = r;
        countEvictions();
        return true;
    }

    private int slot() {
        return coreSlot >= 0 ? coreSlot : ranSlot;
    }

    public boolean selected() {
        return slot() >= 0;
    }

    public long imsi() {
        final int s = slot();
        return s < 0 ? Digits.NONE : ues.imsi(s);
    }

    public int flags() {
        final int s = slot();
        return s < 0 ? 0 : ues.flags(s) & ~INTERNAL;
    }

    /** Sets flag bits on the connection and on its temporary identity. */
    public void addFlags(final int bits) {
        if (coreSlot >= 0) {
            ues.flags(coreSlot, ues.flags(coreSlot) | bits);
        }
        if (ranSlot >= 0) {
            ues.flags(ranSlot, ues.flags(ranSlot) | bits);
        }
        learnTmsiEntry();
    }

    /** Clears flag bits on the connection and on its temporary identity (a new security context). */
    public void clearFlags(final int bits) {
        if (coreSlot >= 0) {
            ues.flags(coreSlot, ues.flags(coreSlot) & ~bits);
        }
        if (ranSlot >= 0) {
            ues.flags(ranSlot, ues.flags(ranSlot) & ~bits);
        }
        learnTmsiEntry();
    }

    /** Records identities the message carried in clear. */
    public void learnIdentities(final long imsi, final long imei, final long imeisv) {
        if (coreSlot >= 0) {
            ues.merge(coreSlot, imsi, imei, imeisv);
        }
        if (ranSlot >= 0) {
            ues.merge(ranSlot, imsi, imei, imeisv);
        }
        if (imsi != Digits.NONE) {
            // the subscriber's NAS security context outlives the connection (an integrity-protected
            // Attach Request with the IMSI reuses it): take what its earlier connections showed
            final int t = tmsis.find(imsiKey(imsi), tmsiNow);
            if (t >= 0) {
                final int flags = tmsis.flags(t);
                if (coreSlot >= 0) {
                    ues.flags(coreSlot, ues.flags(coreSlot) | flags);
                }
                if (ranSlot >= 0) {
                    ues.flags(ranSlot, ues.flags(ranSlot) | flags);
                }
            }
        }
        learnTmsiEntry();
    }

    private static long imsiKey(final long imsi) {
        return mix(0x3L << 60 ^ imsi, 0x5DEECE66DL);
    }

    /**
     * A temporary identity the message named: one the UE had ({@code assigned} false: an old GUTI in
     * a request, an S-TMSI) resolves the connection's subscriber through the table; one the network
     * assigns becomes the connection's. Either way it is filed with the subscriber once both are known.
     */
    public void temporaryIdentity(final long tmsiKey, final boolean assigned, final long nowNs) {
        if (tmsiKey == 0 || slot() < 0) {
            return;
        }
        if (!assigned) {
            final int t = tmsis.find(tmsiKey, nowNs);
            if (t >= 0) {
                // the UE still holds this identity and the NAS security context that came with it
                final long imsi = ues.imsi(slot()) == Digits.NONE ? tmsis.imsi(t) : Digits.NONE;
                final long imei = tmsis.imei(t);
                final long imeisv = tmsis.imeisv(t);
                final int flags = tmsis.flags(t);
                if (imsi != Digits.NONE) {
                    tmsiResolved.increment();
                }
                setTmsi(tmsiKey);
                learnIdentities(imsi, imei, imeisv);
                addFlags(flags);
                return;
            }
        }
        setTmsi(tmsiKey);
        learnTmsiEntry();
    }

    private void setTmsi(final long key) {
        if (coreSlot >= 0) {
            ues.tmsiKey(coreSlot, key);
        }
        if (ranSlot >= 0) {
            ues.tmsiKey(ranSlot, key);
        }
    }

    private long tmsiNow;

    /** Capture time of the message being decoded (for the temporary identity table). */
    public void now(final long nowNs) {
        tmsiNow = nowNs;
    }

    /**
     * Files what the connection knows under its temporary identity and under its IMSI (both in the
     * long-lived table), once the IMSI is known.
     */
    private void learnTmsiEntry() {
        final int s = slot();
        if (s < 0 || ues.imsi(s) == Digits.NONE) {
            return;
        }
        if (ues.tmsiKey(s) != 0) {
            file(ues.tmsiKey(s), s);
        }
        file(imsiKey(ues.imsi(s)), slot());
    }

    private void file(final long key, final int s) {
        final long imsi = ues.imsi(s);
        final long imei = ues.imei(s);
        final long imeisv = ues.imeisv(s);
        final int flags = ues.flags(s) & ~INTERNAL;
        final int t = tmsis.put(key, tmsiNow);
        if (tmsis.imsi(t) != imsi) {
            tmsis.clearSlot(t);
            tmsiLearned.increment();
        }
        tmsis.merge(t, imsi, imei, imeisv);
        tmsis.flags(t, flags);
    }

    /**
     * Records the cell the message reported and returns true when it differs from the connection's
     * last known cell (a first cell counts as a change).
     */
    public boolean cell(final long plmn, final int tac, final long cellId, final boolean nr) {
        final int s = slot();
        if (s < 0) {
            return false;
        }
        final boolean changed = ues.cellPlmn(s) != plmn || ues.tac(s) != tac || ues.cellId(s) != cellId;
        storeCell(coreSlot, plmn, tac, cellId, nr);
        storeCell(ranSlot, plmn, tac, cellId, nr);
        return changed;
    }

    private void storeCell(final int slot, final long plmn, final int tac, final long cellId, final boolean nr) {
        if (slot >= 0) {
            ues.cell(slot, plmn, tac, cellId);
            ues.flags(slot, nr ? ues.flags(slot) | CELL_NR : ues.flags(slot) & ~CELL_NR);
        }
    }

    /** Fills the identities {@code m} lacks from the connection, marking them resolved. */
    public void resolve(final SignalingMessage m) {
        final int s = slot();
        if (s < 0) {
            return;
        }
        int added = 0;
        if (!m.has(SignalingMessage.IMSI) && ues.imsi(s) != Digits.NONE) {
            m.imsi(ues.imsi(s));
            added |= SignalingMessage.IMSI;
        }
        if (!m.has(SignalingMessage.IMEI) && ues.imei(s) != Digits.NONE) {
            m.imei(ues.imei(s));
            added |= SignalingMessage.IMEI;
        }
        if (!m.has(SignalingMessage.IMEISV) && ues.imeisv(s) != Digits.NONE) {
            m.imeisv(ues.imeisv(s));
            added |= SignalingMessage.IMEISV;
        }
        if (added != 0) {
            m.markResolved(added);
        }
        if ((added & SignalingMessage.IMSI) != 0) {
            resolved.increment();
        } else if (!m.has(SignalingMessage.IMSI)) {
            unresolved.increment();
        }
    }

    /**
     * Hands a procedure to the sink, or, when its subscriber is unknown and it belongs to a
     * connection, keeps it on the connection until the IMSI comes. {@code procedure} must already be
     * resolved. A deferred procedure waiting on the connection is completed first when this one
     * brings the IMSI.
     */
    public void emit(final SignalingMessage procedure, final int pendingCode, final MessageSink sink) {
        final int s = slot();
        if (s >= 0 && ues.pending(s) != 0 && procedure.has(SignalingMessage.IMSI)) {
            completeDeferred(s, procedure, sink);
        }
        if (procedure.event() == EventKind.NONE) {
            return;
        }
        if (!procedure.has(SignalingMessage.IMSI) && s >= 0 && ues.pending(s) == 0) {
            setPending(pendingCode << 8 | procedure.event().ordinal());
            deferred.increment();
            return;
        }
        sink.onProcedure(procedure);
    }

    /** Completes a waiting procedure when the connection's IMSI is now known (without a new event). */
    public void completeIfKnown(final SignalingMessage current, final MessageSink sink) {
        final int s = slot();
        if (s >= 0 && ues.pending(s) != 0 && current.has(SignalingMessage.IMSI)) {
            completeDeferred(s, current, sink);
        }
    }

    private void setPending(final int value) {
        if (coreSlot >= 0) {
            ues.pending(coreSlot, value);
        }
        if (ranSlot >= 0) {
            ues.pending(ranSlot, value);
        }
    }

    /** Bits 8.. of a pending value: the caller's code for rebuilding the message name. */
    public static int pendingCode(final int pending) {
        return pending >>> 8;
    }

    private NameSource names;

    /** How a decoder names a deferred procedure from the code it deferred it with. */
    public interface NameSource {
        /** Sets the message type and name of {@code procedure} for the code given to {@link #emit}. */
        void name(SignalingMessage procedure, int code);
    }

    public void names(final NameSource source) {
        this.names = source;
    }

    private void completeDeferred(final int s, final SignalingMessage now, final MessageSink sink) {
        final int p = ues.pending(s);
        setPending(0);
        final SignalingMessage d = pendingProcedure.copyFrom(now);
        d.event(EventKind.byOrdinal(p & 0xFF));
        names.name(d, pendingCode(p));
        deferredCompleted.increment();
        sink.onProcedure(d);
    }

    private void completeDeferredWithout(final int s, final MessageSink sink) {
        final int p = ues.pending(s);
        if (p == 0) {
            return;
        }
        ues.pending(s, 0);
        final SignalingMessage d = pendingProcedure.reset();
        d.header(0, tmsiNow, 0);
        names.name(d, pendingCode(p));
        d.event(EventKind.byOrdinal(p & 0xFF));
        if (ues.cellPlmn(s) != Digits.NONE) {
            d.cellPlmn(ues.cellPlmn(s)).tac(ues.tac(s));
            if ((ues.flags(s) & CELL_NR) != 0) {
                d.nci(ues.cellId(s));
            } else {
                d.eci(ues.cellId(s));
            }
        }
        deferredWithoutImsi.increment();
        sink.onProcedure(d);
    }

    /** The connection ends (UE Context Release Complete): a waiting procedure completes, both handles go. */
    public void release(final MessageSink sink) {
        final int s = slot();
        if (s < 0) {
            return;
        }
        completeDeferredWithout(s, sink);
        if (coreKey != 0) {
            ues.remove(coreKey);
        }
        if (ranKey != 0) {
            ues.remove(ranKey);
        }
        coreSlot = -1;
        ranSlot = -1;
        released.increment();
    }

    public void sweep(final long nowNs) {
        final int n = ues.sweep(nowNs, sweepSlots) + tmsis.sweep(nowNs, sweepSlots);
        if (n > 0) {
            expired.getAndAdd(n);
        }
    }

    /**
     * End of input: every connection still waiting completes its procedure without an IMSI. Both
     * handles of a connection hold the pending procedure; the RAN handle's entry completes it (every
     * deferring message carries the RAN id: the InitialUEMessage does).
     */
    public void flush(final MessageSink sink) {
        for (int s = 0; s < ues.slotCount(); s++) {
            if (ues.used(s) && ues.pending(s) != 0 && (ues.flags(s) & HANDLE_RAN) != 0) {
                completeDeferredWithout(s, sink);
            }
        }
    }

    private void countEvictions() {
        final long e = ues.evictions() + tmsis.evictions();
        if (e != evictionsSeen) {
            evicted.getAndAdd(e - evictionsSeen);
            evictionsSeen = e;
        }
    }

    /** UE handles currently known (both kinds), for tests and the status page. */
    public int contexts() {
        return ues.size();
    }

    public int temporaryIdentities() {
        return tmsis.size();
    }
}
