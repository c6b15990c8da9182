package io.sigmatch.journal;

import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;

/**
 * One match, as journaled: a mutable struct reused for every record on its thread. A writer fills it
 * and hands it to {@link MatchAppender#append}; a reader has {@link MatchJournalReader#next} refill it.
 * Nothing here allocates after construction: text fields are copied into arrays sized for the largest
 * value the layout allows.
 *
 * <p>Identities (IMSI, MSISDN, IMEI) and the PLMN are the decoder's packed digit longs, stored as they
 * are. Each optional field has a presence bit; setting a field sets its bit. The cell identity is one
 * long whose meaning (E-UTRAN ECI, NR NCI or GERAN/UTRAN CI) is given by which of three bits is set.
 */
public final class MatchRecord {
    public static final int IMSI = 1;
    public static final int MSISDN = 1 << 1;
    public static final int IMEI = 1 << 2;
    public static final int PLMN = 1 << 3;
    public static final int TAC = 1 << 4;
    public static final int LAC = 1 << 5;
    public static final int ECI = 1 << 6;
    public static final int NCI = 1 << 7;
    public static final int CI = 1 << 8;
    public static final int AREA = 1 << 9;
    public static final int DELIVER_AFTER = 1 << 10;
    public static final int PAYLOAD = 1 << 11;
    /** Every presence bit layout version 1 knows. */
    public static final int ALL_FIELDS = (1 << 12) - 1;

    private static final int CELL_BITS = ECI | NCI | CI;

    /** Rule ids, snapshot versions and area names are short identifiers (one length byte each). */
    public static final int MAX_NAME_LENGTH = 255;
    /** A rule's payload, minified JSON, is at most 64 KiB - 1 (the rule parser refuses longer ones). */
    public static final int MAX_PAYLOAD_LENGTH = 65_535;

    private int present;
    private long matchIdHigh;
    private long matchIdLow;
    private long timeNs;
    private long imsi;
    private long msisdn;
    private long imei;
    private long plmn;
    private long cell;
    private int tac;
    private int lac;
    private long deliverAfterNs;
    private long latencyNs;

    private final byte[] ruleId = new byte[MAX_NAME_LENGTH];
    private int ruleIdLength;
    private final byte[] snapshot = new byte[MAX_NAME_LENGTH];
    private int snapshotLength;
    private final byte[] area = new byte[MAX_NAME_LENGTH];
    private int areaLength;
    private final byte[] payload = new byte[MAX_PAYLOAD_LENGTH];
    private int payloadLength;

    /** Clears every field. */
    public MatchRecord reset() {
        present = 0;
        matchIdHigh = matchIdLow = 0;
        timeNs = 0;
        imsi = msisdn = imei = plmn = cell = 0;
        tac = lac = 0;
        deliverAfterNs = latencyNs = 0;
        ruleIdLength = snapshotLength = areaLength = payloadLength = 0;
        return this;
    }

    /** Copies every field of other into this record. */
    public MatchRecord copyFrom(final MatchRecord other) {
        present = other.present;
        matchIdHigh = other.matchIdHigh;
        matchIdLow = other.matchIdLow;
        timeNs = other.timeNs;
        imsi = other.imsi;
        msisdn = other.msisdn;
        imei = other.imei;
        plmn = other.plmn;
        cell = other.cell;
        tac = other.tac;
        lac = other.lac;
        deliverAfterNs = other.deliverAfterNs;
        latencyNs = other.latencyNs;
        ruleIdLength = copy(other.ruleId, other.ruleIdLength, ruleId);
        snapshotLength = copy(other.snapshot, other.snapshotLength, snapshot);
        areaLength = copy(other.area, other.areaLength, area);
        payloadLength = copy(other.payload, other.payloadLength, payload);
        return this;
    }

    private static int copy(final byte[] from, final int length, final byte[] to) {
        System.arraycopy(from, 0, to, 0, length);
        return length;
    }

    public int present() {
        return present;
    }

    public boolean has(final int field) {
        return (present & field) != 0;
    }

    // ---- identity of the match -------------------------------------------------------------------

    /** See {@link MatchId}: the high half is the trigger's capture time, the low half source, sequence, ordinal. */
    public MatchRecord matchId(final long high, final long low) {
        matchIdHigh = high;
        matchIdLow = low;
        return this;
    }

    public long matchIdHigh() {
        return matchIdHigh;
    }

    public long matchIdLow() {
        return matchIdLow;
    }

    /** Capture time of the triggering event, epoch nanoseconds. */
    public long timeNs() {
        return timeNs;
    }

    public MatchRecord timeNs(final long timeNs) {
        this.timeNs = timeNs;
        return this;
    }

    // ---- subscriber --------------------------------------------------------------------------------

    public long imsi() {
        return imsi;
    }

    public MatchRecord imsi(final long packedDigits) {
        imsi = packedDigits;
        present |= IMSI;
        return this;
    }

    public long msisdn() {
        return msisdn;
    }

    public MatchRecord msisdn(final long packedDigits) {
        msisdn = packedDigits;
        present |= MSISDN;
        return this;
    }

    public long imei() {
        return imei;
    }

    public MatchRecord imei(final long packedDigits) {
        imei = packedDigits;
        present |= IMEI;
        return this;
    }

    // ---- location ----------------------------------------------------------------------------------

    /** PLMN of the location (or of the serving network when no cell was reported), packed MCC+MNC. */
    public long plmn() {
        return plmn;
    }

    public MatchRecord plmn(final long packedPlmn) {
        plmn = packedPlmn;
        present |= PLMN;
        return this;
    }

    public int tac() {
        return tac;
    }

    public MatchRecord tac(final int tac) {
        this.tac = tac;
        present |= TAC;
        return this;
    }

    public int lac() {
        return lac;
    }

    public MatchRecord lac(final int lac) {
        this.lac = lac;
        present |= LAC;
        return this;
    }

    /** The cell identity; which kind it is says {@link #has} with ECI, NCI or CI. */
    public long cell() {
        return cell;
    }

    /** TS 36.413 9.2.1.38: 28-bit E-UTRAN cell identity. */
    public MatchRecord eci(final long eci) {
        return cell(eci, ECI);
    }

    /** TS 38.413 9.3.1.7: 36-bit NR cell identity. */
    public MatchRecord nci(final long nci) {
        return cell(nci, NCI);
    }

    /** TS 23.003 4.3.1: 16-bit GERAN/UTRAN cell identity (with {@link #lac}). */
    public MatchRecord ci(final long ci) {
        return cell(ci, CI);
    }

    private MatchRecord cell(final long value, final int kind) {
        cell = value;
        present = (present & ~CELL_BITS) | kind;
        return this;
    }

    // ---- delivery ----------------------------------------------------------------------------------

    /** Epoch ns before which the match must not be forwarded (quiet hours deferred it). */
    public long deliverAfterNs() {
        return deliverAfterNs;
    }

    public MatchRecord deliverAfterNs(final long epochNs) {
        deliverAfterNs = epochNs;
        present |= DELIVER_AFTER;
        return this;
    }

    /** Publish into the pipeline to the moment the record was being committed, ns. */
    public long latencyNs() {
        return latencyNs;
    }

    public MatchRecord latencyNs(final long latencyNs) {
        this.latencyNs = latencyNs;
        return this;
    }

    // ---- text fields -------------------------------------------------------------------------------

    public int ruleIdLength() {
        return ruleIdLength;
    }

    public byte ruleIdByte(final int i) {
        return ruleId[i];
    }

    /** Copies the rule id (ASCII) from src; no allocation. */
    public MatchRecord ruleId(final DirectBuffer src, final int offset, final int length) {
        ruleIdLength = copyIn(src, offset, length, ruleId);
        return this;
    }

    public MatchRecord ruleId(final String id) {
        ruleIdLength = copyIn(id, ruleId);
        return this;
    }

    public String ruleId() {
        return new String(ruleId, 0, ruleIdLength, StandardCharsets.UTF_8);
    }

    public int snapshotLength() {
        return snapshotLength;
    }

    public byte snapshotByte(final int i) {
        return snapshot[i];
    }

    /** Copies the version of the rule snapshot that matched. */
    public MatchRecord snapshot(final DirectBuffer src, final int offset, final int length) {
        snapshotLength = copyIn(src, offset, length, snapshot);
        return this;
    }

    public MatchRecord snapshot(final String version) {
        snapshotLength = copyIn(version, snapshot);
        return this;
    }

    public String snapshot() {
        return new String(snapshot, 0, snapshotLength, StandardCharsets.UTF_8);
    }

    public int areaLength() {
        return areaLength;
    }

    public byte areaByte(final int i) {
        return area[i];
    }

    /** Copies the area name (area triggers only) and marks it present. */
    public MatchRecord area(final DirectBuffer src, final int offset, final int length) {
        areaLength = copyIn(src, offset, length, area);
        present |= AREA;
        return this;
    }

    public MatchRecord area(final String name) {
        areaLength = copyIn(name, area);
        present |= AREA;
        return this;
    }

    public String area() {
        return new String(area, 0, areaLength, StandardCharsets.UTF_8);
    }

    public int payloadLength() {
        return payloadLength;
    }

    public byte payloadByte(final int i) {
        return payload[i];
    }

    /** Copies the rule's payload: minified JSON, UTF-8, forwarded untouched. */
    public MatchRecord payload(final DirectBuffer src, final int offset, final int length) {
        payloadLength = copyIn(src, offset, length, payload);
        present |= PAYLOAD;
        return this;
    }

    public MatchRecord payload(final String json) {
        payloadLength = copyIn(json, payload);
        present |= PAYLOAD;
        return this;
    }

    public String payload() {
        return new String(payload, 0, payloadLength, StandardCharsets.UTF_8);
    }

    // ---- for the layout codec ----------------------------------------------------------------------

    byte[] ruleIdArray() {
        return ruleId;
    }

    byte[] snapshotArray() {
        return snapshot;
    }

    byte[] areaArray() {
        return area;
    }

    byte[] payloadArray() {
        return payload;
    }

    /** Loads the fixed fields exactly as read from a record (the layout's decoder). */
    void loadFixed(final int present, final long matchIdHigh, final long matchIdLow, final long timeNs,
        final long imsi, final long msisdn, final long imei, final long plmn, final long cell, final int tac,
        final int lac, final long deliverAfterNs, final long latencyNs) {
        this.present = present;
        this.matchIdHigh = matchIdHigh;
        this.matchIdLow = matchIdLow;
        this.timeNs = timeNs;
        this.imsi = imsi;
        this.msisdn = msisdn;
        this.imei = imei;
        this.plmn = plmn;
        this.cell = cell;
        this.tac = tac;
        this.lac = lac;
        this.deliverAfterNs = deliverAfterNs;
        this.latencyNs = latencyNs;
    }

    void textLengths(final int ruleId, final int snapshot, final int area, final int payload) {
        ruleIdLength = ruleId;
        snapshotLength = snapshot;
        areaLength = area;
        payloadLength = payload;
    }

    private static int copyIn(final DirectBuffer src, final int offset, final int length, final byte[] into) {
        if (length < 0 || length > into.length) {
            throw new IllegalArgumentException("text of " + length + " bytes, at most " + into.length + " fit");
        }
        src.getBytes(offset, into, 0, length);
        return length;
    }

    private static int copyIn(final String text, final byte[] into) {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > into.length) {
            throw new IllegalArgumentException("text of " + bytes.length + " bytes, at most " + into.length + " fit");
        }
        System.arraycopy(bytes, 0, into, 0, bytes.length);
        return bytes.length;
    }

    /** Names the rule only: identities are personal data and must not reach a log line. */
    @Override
    public String toString() {
        return "MatchRecord{rule=" + ruleId() + ", snapshot=" + snapshot() + "}";
    }
}
