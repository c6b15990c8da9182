package io.sigmatch.decoder;

/**
 * One decoded signaling message, refilled in place for every message on a decoder thread: the
 * decoders write it, sinks read it during the callback and copy what they keep. Every field has a
 * presence bit; identities are {@link Digits}-packed longs and PLMNs are packed MCC+MNC digit
 * strings (5 or 6 digits, so a 2-digit and a 3-digit MNC stay apart).
 *
 * <p>Fields the wire carried are marked in {@link #present()}. A correlator may add identities the
 * message itself lacks (an IMSI found through a TEID); those are present and also marked in
 * {@link #resolved()}, so `sigmatch decode` can print exactly what the wire said while the match
 * pipeline sees the whole subscriber.
 */
public final class SignalingMessage {
    public static final int IMSI = 1;
    public static final int MSISDN = 1 << 1;
    public static final int IMEI = 1 << 2;
    public static final int IMEISV = 1 << 3;
    public static final int CELL_PLMN = 1 << 4;
    public static final int TAC = 1 << 5;
    public static final int LAC = 1 << 6;
    public static final int ECI = 1 << 7;
    public static final int CI = 1 << 8;
    public static final int NCI = 1 << 9;
    public static final int SAC = 1 << 10;
    public static final int RAT = 1 << 11;
    public static final int CALLED = 1 << 12;
    public static final int APN = 1 << 13;
    public static final int SERVING_PLMN = 1 << 14;
    public static final int OUTCOME = 1 << 15;
    public static final int CALLING = 1 << 16;

    /** TS 23.003 9.1: an APN is at most 100 octets. */
    public static final int APN_CAPACITY = 100;

    private int present;
    private int resolved;

    private long frame;
    private long timeNs;
    private int sourceId;
    private Protocol protocol;
    private int messageType;
    private String messageName;
    private boolean request;
    private EventKind event = EventKind.NONE;
    private Outcome outcome = Outcome.UNKNOWN;

    private long imsi;
    private long msisdn;
    private long imei;
    private long imeisv;
    private long cellPlmn;
    private long servingPlmn;
    private int tac;
    private int lac;
    private long eci;
    private int ci;
    private long nci;
    private int sac;
    private Rat rat = Rat.UNKNOWN;
    private long called;
    private long calling;
    private final byte[] apn = new byte[APN_CAPACITY];
    private int apnLength;

    /** Clears every field; the decoder calls it before filling the next message. */
    public SignalingMessage reset() {
        present = 0;
        resolved = 0;
        frame = 0;
        timeNs = 0;
        sourceId = 0;
        protocol = null;
        messageType = 0;
        messageName = null;
        request = false;
        event = EventKind.NONE;
        outcome = Outcome.UNKNOWN;
        imsi = msisdn = imei = imeisv = 0;
        cellPlmn = servingPlmn = 0;
        tac = lac = ci = sac = 0;
        eci = nci = 0;
        rat = Rat.UNKNOWN;
        called = calling = 0;
        apnLength = 0;
        return this;
    }

    /** Copies every field of other into this message. */
    public SignalingMessage copyFrom(final SignalingMessage other) {
        present = other.present;
        resolved = other.resolved;
        frame = other.frame;
        timeNs = other.timeNs;
        sourceId = other.sourceId;
        protocol = other.protocol;
        messageType = other.messageType;
        messageName = other.messageName;
        request = other.request;
        event = other.event;
        outcome = other.outcome;
        imsi = other.imsi;
        msisdn = other.msisdn;
        imei = other.imei;
        imeisv = other.imeisv;
        cellPlmn = other.cellPlmn;
        servingPlmn = other.servingPlmn;
        tac = other.tac;
        lac = other.lac;
        eci = other.eci;
        ci = other.ci;
        nci = other.nci;
        sac = other.sac;
        rat = other.rat;
        called = other.called;
        calling = other.calling;
        System.arraycopy(other.apn, 0, apn, 0, other.apnLength);
        apnLength = other.apnLength;
        return this;
    }

    public int present() {
        return present;
    }

    public int resolved() {
        return resolved;
    }

    public boolean has(final int field) {
        return (present & field) != 0;
    }

    /** True when the field was carried by this message itself rather than added by correlation. */
    public boolean onWire(final int field) {
        return (present & field) != 0 && (resolved & field) == 0;
    }

    public void clear(final int field) {
        present &= ~field;
        resolved &= ~field;
    }

    /** Marks fields as learned through correlation rather than read from this message. */
    public void markResolved(final int fields) {
        resolved |= fields & present;
    }

    // ---- message identity ------------------------------------------------------------------

    public SignalingMessage header(final long frame, final long timeNs, final int sourceId) {
        this.frame = frame;
        this.timeNs = timeNs;
        this.sourceId = sourceId;
        return this;
    }

    public SignalingMessage message(final Protocol protocol, final int messageType, final String messageName,
        final boolean request) {
        this.protocol = protocol;
        this.messageType = messageType;
        this.messageName = messageName;
        this.request = request;
        return this;
    }

    public long frame() {
        return frame;
    }

    public long timeNs() {
        return timeNs;
    }

    public int sourceId() {
        return sourceId;
    }

    public Protocol protocol() {
        return protocol;
    }

    public int messageType() {
        return messageType;
    }

    public String messageName() {
        return messageName;
    }

    public boolean isRequest() {
        return request;
    }

    public EventKind event() {
        return event;
    }

    public SignalingMessage event(final EventKind event) {
        this.event = event;
        return this;
    }

    public Outcome outcome() {
        return outcome;
    }

    public SignalingMessage outcome(final Outcome outcome) {
        this.outcome = outcome;
        present |= OUTCOME;
        return this;
    }

    // ---- identities --------------------------------------------------------------------------

    public long imsi() {
        return imsi;
    }

    public SignalingMessage imsi(final long packed) {
        imsi = packed;
        present |= IMSI;
        return this;
    }

    public long msisdn() {
        return msisdn;
    }

    public SignalingMessage msisdn(final long packed) {
        msisdn = packed;
        present |= MSISDN;
        return this;
    }

    /** The 14-digit IMEI (TS 23.003 6.2.1: TAC + SNR, without check or software version digits). */
    public long imei() {
        return imei;
    }

    public SignalingMessage imei(final long packed) {
        imei = packed;
        present |= IMEI;
        return this;
    }

    public long imeisv() {
        return imeisv;
    }

    public SignalingMessage imeisv(final long packed) {
        imeisv = packed;
        present |= IMEISV;
        return this;
    }

    public long called() {
        return called;
    }

    public SignalingMessage called(final long packed) {
        called = packed;
        present |= CALLED;
        return this;
    }

    public long calling() {
        return calling;
    }

    public SignalingMessage calling(final long packed) {
        calling = packed;
        present |= CALLING;
        return this;
    }

    // ---- location and network ----------------------------------------------------------------

    /** PLMN of the reported location (cell, TAI, LAI), as packed MCC+MNC digits. */
    public long cellPlmn() {
        return cellPlmn;
    }

    public SignalingMessage cellPlmn(final long packedPlmn) {
        cellPlmn = packedPlmn;
        present |= CELL_PLMN;
        return this;
    }

    /** Serving or visited network (GTPv2 Serving Network, Diameter Visited-PLMN-Id). */
    public long servingPlmn() {
        return servingPlmn;
    }

    public SignalingMessage servingPlmn(final long packedPlmn) {
        servingPlmn = packedPlmn;
        present |= SERVING_PLMN;
        return this;
    }

    public int tac() {
        return tac;
    }

    public SignalingMessage tac(final int tac) {
        this.tac = tac;
        present |= TAC;
        return this;
    }

    public int lac() {
        return lac;
    }

    public SignalingMessage lac(final int lac) {
        this.lac = lac;
        present |= LAC;
        return this;
    }

    public long eci() {
        return eci;
    }

    public SignalingMessage eci(final long eci) {
        this.eci = eci;
        present |= ECI;
        return this;
    }

    public int ci() {
        return ci;
    }

    public SignalingMessage ci(final int ci) {
        this.ci = ci;
        present |= CI;
        return this;
    }

    public long nci() {
        return nci;
    }

    public SignalingMessage nci(final long nci) {
        this.nci = nci;
        present |= NCI;
        return this;
    }

    public int sac() {
        return sac;
    }

    public SignalingMessage sac(final int sac) {
        this.sac = sac;
        present |= SAC;
        return this;
    }

    public Rat rat() {
        return rat;
    }

    public SignalingMessage rat(final Rat rat) {
        this.rat = rat;
        present |= RAT;
        return this;
    }

    // ---- APN ---------------------------------------------------------------------------------

    public int apnLength() {
        return apnLength;
    }

    public byte apnByte(final int i) {
        return apn[i];
    }

    /** Starts a new APN; append its dotted text with {@link #appendApn(byte)}. */
    public SignalingMessage clearApn() {
        apnLength = 0;
        present &= ~APN;
        return this;
    }

    /** Appends one byte of the dotted APN text; false when the APN would exceed 100 octets. */
    public boolean appendApn(final byte b) {
        if (apnLength >= APN_CAPACITY) {
            return false;
        }
        apn[apnLength++] = b;
        present |= APN;
        return true;
    }

    public String apnString() {
        return new String(apn, 0, apnLength, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    public boolean apnEquals(final byte[] other) {
        if (other.length != apnLength) {
            return false;
        }
        for (int i = 0; i < apnLength; i++) {
            if (Character.toLowerCase(other[i]) != Character.toLowerCase(apn[i])) {
                return false;
            }
        }
        return true;
    }

    /** Names the message only: identities are personal data and must not reach a log line. */
    @Override
    public String toString() {
        return (protocol == null ? "?" : protocol.jsonName) + " " + messageName + " frame " + frame;
    }
}
