package io.sigmatch.matcher;

import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.EventKind;
import io.sigmatch.decoder.Outcome;
import io.sigmatch.decoder.Protocol;
import io.sigmatch.decoder.Rat;
import io.sigmatch.decoder.SignalingMessage;

/**
 * The normalized event of DESIGN §4: one completed procedure, as a preallocated Disruptor slot that
 * {@link #copyFrom} refills in place. Identities are the decoder's packed digit longs, the cell and
 * network are packed PLMNs and integers, each field has the decoder's presence bit
 * ({@link SignalingMessage#IMSI} ...). Nothing here allocates after construction.
 *
 * <p>Beside the procedure's fields, the publisher stamps what the pipeline needs: the publish time
 * (capture-to-journal latency starts there), the procedure's number in its publisher's stream (part
 * of the match id) and the subscriber key the event was sharded by.
 *
 * <p>Copied from {@link SignalingMessage}: everything a rule or a match record can use. Left out, on
 * purpose: the message type and name and the request flag, which describe the wire message that
 * completed the procedure, not the subscriber's event.
 */
public final class SubscriberEvent {
    private long publishNanos;
    private long sequence;
    private long subscriberKey;
    private boolean tick;

    private int present;
    private int resolved;
    private long frame;
    private long timeNs;
    private int sourceId;
    private Protocol protocol;
    private EventKind event = EventKind.NONE;
    private Outcome outcome = Outcome.UNKNOWN;
    private long imsi;
    private long msisdn;
    private long imei;
    private long imeisv;
    private long called;
    private long calling;
    private long cellPlmn;
    private long servingPlmn;
    private int tac;
    private int lac;
    private long eci;
    private int ci;
    private long nci;
    private int sac;
    private Rat rat = Rat.UNKNOWN;
    private final byte[] apn = new byte[SignalingMessage.APN_CAPACITY];
    private int apnLength;

    /** Fills this slot from a completed procedure; the procedure object is reused by the decoder afterwards. */
    public SubscriberEvent copyFrom(final SignalingMessage m) {
        tick = false;
        present = m.present();
        resolved = m.resolved();
        frame = m.frame();
        timeNs = m.timeNs();
        sourceId = m.sourceId();
        protocol = m.protocol();
        event = m.event();
        outcome = m.outcome();
        imsi = m.imsi();
        msisdn = m.msisdn();
        imei = m.imei();
        imeisv = m.imeisv();
        called = m.called();
        calling = m.calling();
        cellPlmn = m.cellPlmn();
        servingPlmn = m.servingPlmn();
        tac = m.tac();
        lac = m.lac();
        eci = m.eci();
        ci = m.ci();
        nci = m.nci();
        sac = m.sac();
        rat = m.rat();
        final int length = Math.min(m.apnLength(), apn.length);
        for (int i = 0; i < length; i++) {
            apn[i] = m.apnByte(i);
        }
        apnLength = length;
        return this;
    }

    /**
     * Makes this slot a clock tick rather than an event: capture time has reached timeNs (DESIGN §5, timers
     * driven by capture time). It names no subscriber and matches nothing; the shard fires the timers due.
     */
    SubscriberEvent tick(final long timeNs, final long publishNanos) {
        this.tick = true;
        this.timeNs = timeNs;
        this.publishNanos = publishNanos;
        this.present = 0;
        this.event = EventKind.NONE;
        this.subscriberKey = Digits.NONE;
        return this;
    }

    /** True for a clock tick ({@link #tick}), false for a procedure. */
    public boolean isTick() {
        return tick;
    }

    /** Stamped by the publisher after {@link #copyFrom}. */
    SubscriberEvent stamp(final long publishNanos, final long sequence, final long subscriberKey) {
        this.publishNanos = publishNanos;
        this.sequence = sequence;
        this.subscriberKey = subscriberKey;
        return this;
    }

    /** Nano clock reading when the procedure was handed to the pipeline. */
    public long publishNanos() {
        return publishNanos;
    }

    /** How many procedures the same publisher handed over before this one (see MatchId). */
    public long sequence() {
        return sequence;
    }

    /** The identity the event was sharded by ({@link ShardRouter#subscriberKey}). */
    public long subscriberKey() {
        return subscriberKey;
    }

    public int present() {
        return present;
    }

    /** True when the field's presence bit ({@link SignalingMessage#IMSI} ...) is set. */
    public boolean has(final int field) {
        return (present & field) != 0;
    }

    /** Fields added by correlation rather than read off the wire. */
    public int resolved() {
        return resolved;
    }

    public long frame() {
        return frame;
    }

    /** Capture time, epoch ns: the time rules see (validity, quiet hours), never the wall clock. */
    public long timeNs() {
        return timeNs;
    }

    public int sourceId() {
        return sourceId;
    }

    public Protocol protocol() {
        return protocol;
    }

    public EventKind event() {
        return event;
    }

    public Outcome outcome() {
        return outcome;
    }

    public long imsi() {
        return imsi;
    }

    public long msisdn() {
        return msisdn;
    }

    public long imei() {
        return imei;
    }

    public long imeisv() {
        return imeisv;
    }

    public long called() {
        return called;
    }

    public long calling() {
        return calling;
    }

    public long cellPlmn() {
        return cellPlmn;
    }

    public long servingPlmn() {
        return servingPlmn;
    }

    public int tac() {
        return tac;
    }

    public int lac() {
        return lac;
    }

    public long eci() {
        return eci;
    }

    public int ci() {
        return ci;
    }

    public long nci() {
        return nci;
    }

    public int sac() {
        return sac;
    }

    public Rat rat() {
        return rat;
    }

    public int apnLength() {
        return apnLength;
    }

    /** The APN bytes; valid up to {@link #apnLength()}, read-only by contract. */
    public byte[] apn() {
        return apn;
    }

    /** An IMSI is present and is a digit string (not the decoder's INVALID or empty). */
    public boolean hasImsi() {
        return digits(SignalingMessage.IMSI, imsi);
    }

    public boolean hasMsisdn() {
        return digits(SignalingMessage.MSISDN, msisdn);
    }

    public boolean hasImei() {
        return digits(SignalingMessage.IMEI, imei);
    }

    public boolean hasCalled() {
        return digits(SignalingMessage.CALLED, called);
    }

    private boolean digits(final int field, final long packed) {
        return (present & field) != 0 && packed != Digits.NONE && Digits.isValid(packed);
    }

    /** Names the event only: identities are personal data and must not reach a log line. */
    @Override
    public String toString() {
        return "SubscriberEvent{" + (protocol == null ? "?" : protocol.jsonName) + " " + event + " frame " + frame
            + " source " + sourceId + "}";
    }
}
