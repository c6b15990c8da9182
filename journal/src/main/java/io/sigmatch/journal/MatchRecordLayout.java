package io.sigmatch.journal;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The byte layout of a journaled match. Every record starts with its layout version, so a journal
 * written by an older appliance stays readable after an upgrade: {@link #decode} reads each version
 * it knows into the current {@link MatchRecord}, and refuses one it does not know instead of guessing.
 * A layout is never changed once released; a change is a new version.
 *
 * <pre>
 * Layout version 1, little-endian, offsets in bytes:
 *
 *   0               2               4               6               8
 *   +---------------+---------------+---------------+---------------+
 *   |    version    | presence bits |           reserved (0)        |   0
 *   +---------------+---------------+-------------------------------+
 *   |                    match id, high 64 bits                     |   8
 *   +---------------------------------------------------------------+
 *   |                    match id, low 64 bits                      |  16
 *   +---------------------------------------------------------------+
 *   |          capture time of the triggering event, epoch ns        |  24
 *   +---------------------------------------------------------------+
 *   |                  IMSI, packed digits                          |  32
 *   +---------------------------------------------------------------+
 *   |                  MSISDN, packed digits                        |  40
 *   +---------------------------------------------------------------+
 *   |                  IMEI, packed digits                          |  48
 *   +---------------------------------------------------------------+
 *   |                  PLMN, packed MCC+MNC digits                  |  56
 *   +---------------------------------------------------------------+
 *   |                  cell identity (ECI, NCI or CI by bit)        |  64
 *   +-------------------------------+-------------------------------+
 *   |          TAC (u32)            |          LAC (u32)            |  72
 *   +-------------------------------+-------------------------------+
 *   |                  deliver after, epoch ns                      |  80
 *   +---------------------------------------------------------------+
 *   |                  capture-to-journal latency, ns               |  88
 *   +-------+-------+-------+-------+-------------------------------+
 *   |rule id|snapsh.| area  |  (0)  |      payload length (u32)     |  96
 *   | length| length| length|       |                               |
 *   +-------+-------+-------+-------+-------------------------------+
 *   |  rule id bytes | snapshot bytes | area bytes | payload bytes   | 104
 *   +---------------------------------------------------------------+
 * </pre>
 *
 * Presence bits are those of {@link MatchRecord} ({@link MatchRecord#ALL_FIELDS}); a field whose bit
 * is clear is written as zero. Text is UTF-8: rule id, snapshot version and area at most 255 bytes,
 * the payload (minified JSON) at most 65 535. A record is exactly as long as its text says.
 */
public final class MatchRecordLayout {
    public static final int VERSION_1 = 1;
    /** The version {@link #encode} writes. */
    public static final int CURRENT_VERSION = VERSION_1;

    public static final int VERSION_OFFSET = 0;
    public static final int PRESENT_OFFSET = 2;
    public static final int MATCH_ID_HIGH_OFFSET = 8;
    public static final int MATCH_ID_LOW_OFFSET = 16;
    public static final int TIME_OFFSET = 24;
    public static final int IMSI_OFFSET = 32;
    public static final int MSISDN_OFFSET = 40;
    public static final int IMEI_OFFSET = 48;
    public static final int PLMN_OFFSET = 56;
    public static final int CELL_OFFSET = 64;
    public static final int TAC_OFFSET = 72;
    public static final int LAC_OFFSET = 76;
    public static final int DELIVER_AFTER_OFFSET = 80;
    public static final int LATENCY_OFFSET = 88;
    public static final int RULE_ID_LENGTH_OFFSET = 96;
    public static final int SNAPSHOT_LENGTH_OFFSET = 97;
    public static final int AREA_LENGTH_OFFSET = 98;
    public static final int PAYLOAD_LENGTH_OFFSET = 100;
    public static final int TEXT_OFFSET = 104;
    /** Fixed part of a version 1 record. */
    public static final int HEADER_LENGTH = TEXT_OFFSET;
    /** The longest record a version 1 layout can hold. */
    public static final int MAX_LENGTH = HEADER_LENGTH + 3 * MatchRecord.MAX_NAME_LENGTH + MatchRecord.MAX_PAYLOAD_LENGTH;

    /** {@link #decode} results. */
    public static final int TRUNCATED = -1;
    public static final int UNKNOWN_VERSION = -2;
    public static final int MALFORMED = -3;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private MatchRecordLayout() {
    }

    /** Writes record at offset in the current version; returns the length written. */
    public static int encode(final MatchRecord r, final MutableDirectBuffer buf, final int offset) {
        final int present = r.present();
        buf.putShort(offset + VERSION_OFFSET, (short) CURRENT_VERSION, ORDER);
        buf.putShort(offset + PRESENT_OFFSET, (short) present, ORDER);
        buf.putInt(offset + 4, 0, ORDER);
        buf.putLong(offset + MATCH_ID_HIGH_OFFSET, r.matchIdHigh(), ORDER);
        buf.putLong(offset + MATCH_ID_LOW_OFFSET, r.matchIdLow(), ORDER);
        buf.putLong(offset + TIME_OFFSET, r.timeNs(), ORDER);
        buf.putLong(offset + IMSI_OFFSET, (present & MatchRecord.IMSI) != 0 ? r.imsi() : 0, ORDER);
        buf.putLong(offset + MSISDN_OFFSET, (present & MatchRecord.MSISDN) != 0 ? r.msisdn() : 0, ORDER);
        buf.putLong(offset + IMEI_OFFSET, (present & MatchRecord.IMEI) != 0 ? r.imei() : 0, ORDER);
        buf.putLong(offset + PLMN_OFFSET, (present & MatchRecord.PLMN) != 0 ? r.plmn() : 0, ORDER);
        final boolean cell = (present & (MatchRecord.ECI | MatchRecord.NCI | MatchRecord.CI)) != 0;
        buf.putLong(offset + CELL_OFFSET, cell ? r.cell() : 0, ORDER);
        buf.putInt(offset + TAC_OFFSET, (present & MatchRecord.TAC) != 0 ? r.tac() : 0, ORDER);
        buf.putInt(offset + LAC_OFFSET, (present & MatchRecord.LAC) != 0 ? r.lac() : 0, ORDER);
        buf.putLong(offset + DELIVER_AFTER_OFFSET,
            (present & MatchRecord.DELIVER_AFTER) != 0 ? r.deliverAfterNs() : 0, ORDER);
        buf.putLong(offset + LATENCY_OFFSET, r.latencyNs(), ORDER);
        final int area = (present & MatchRecord.AREA) != 0 ? r.areaLength() : 0;
        final int payload = (present & MatchRecord.PAYLOAD) != 0 ? r.payloadLength() : 0;
        buf.putByte(offset + RULE_ID_LENGTH_OFFSET, (byte) r.ruleIdLength());
        buf.putByte(offset + SNAPSHOT_LENGTH_OFFSET, (byte) r.snapshotLength());
        buf.putByte(offset + AREA_LENGTH_OFFSET, (byte) area);
        buf.putByte(offset + 99, (byte) 0);
        buf.putInt(offset + PAYLOAD_LENGTH_OFFSET, payload, ORDER);
        int at = offset + TEXT_OFFSET;
        buf.putBytes(at, r.ruleIdArray(), 0, r.ruleIdLength());
        at += r.ruleIdLength();
        buf.putBytes(at, r.snapshotArray(), 0, r.snapshotLength());
        at += r.snapshotLength();
        buf.putBytes(at, r.areaArray(), 0, area);
        at += area;
        buf.putBytes(at, r.payloadArray(), 0, payload);
        at += payload;
        return at - offset;
    }

    /** The length {@link #encode} will write for this record. */
    public static int encodedLength(final MatchRecord r) {
        final int area = r.has(MatchRecord.AREA) ? r.areaLength() : 0;
        final int payload = r.has(MatchRecord.PAYLOAD) ? r.payloadLength() : 0;
        return HEADER_LENGTH + r.ruleIdLength() + r.snapshotLength() + area + payload;
    }

    /**
     * Reads the record in buf[offset, offset + length) into r. Returns the layout version read, or
     * {@link #TRUNCATED}, {@link #UNKNOWN_VERSION} or {@link #MALFORMED}; r is undefined then.
     */
    public static int decode(final DirectBuffer buf, final int offset, final int length, final MatchRecord r) {
        if (length < 2) {
            return TRUNCATED;
        }
        final int version = buf.getShort(offset + VERSION_OFFSET, ORDER) & 0xFFFF;
        if (version != VERSION_1) {
            return UNKNOWN_VERSION;
        }
        return decodeVersion1(buf, offset, length, r);
    }

    private static int decodeVersion1(final DirectBuffer buf, final int offset, final int length,
        final MatchRecord r) {
        if (length < HEADER_LENGTH) {
            return TRUNCATED;
        }
        final int present = buf.getShort(offset + PRESENT_OFFSET, ORDER) & 0xFFFF;
        final int cellBits = present & (MatchRecord.ECI | MatchRecord.NCI | MatchRecord.CI);
        if ((present & ~MatchRecord.ALL_FIELDS) != 0 || Integer.bitCount(cellBits) > 1) {
            return MALFORMED;
        }
        final int ruleId = buf.getByte(offset + RULE_ID_LENGTH_OFFSET) & 0xFF;
        final int snapshot = buf.getByte(offset + SNAPSHOT_LENGTH_OFFSET) & 0xFF;
        final int area = buf.getByte(offset + AREA_LENGTH_OFFSET) & 0xFF;
        final long payload = buf.getInt(offset + PAYLOAD_LENGTH_OFFSET, ORDER) & 0xFFFF_FFFFL;
        if (payload > MatchRecord.MAX_PAYLOAD_LENGTH
            || (area != 0 && (present & MatchRecord.AREA) == 0)
            || (payload != 0 && (present & MatchRecord.PAYLOAD) == 0)) {
            return MALFORMED;
        }
        final long total = (long) HEADER_LENGTH + ruleId + snapshot + area + payload;
        if (total > length) {
            return TRUNCATED;
        }
        if (total < length) {
            return MALFORMED;
        }
        r.loadFixed(present,
            buf.getLong(offset + MATCH_ID_HIGH_OFFSET, ORDER),
            buf.getLong(offset + MATCH_ID_LOW_OFFSET, ORDER),
            buf.getLong(offset + TIME_OFFSET, ORDER),
            buf.getLong(offset + IMSI_OFFSET, ORDER),
            buf.getLong(offset + MSISDN_OFFSET, ORDER),
            buf.getLong(offset + IMEI_OFFSET, ORDER),
            buf.getLong(offset + PLMN_OFFSET, ORDER),
            buf.getLong(offset + CELL_OFFSET, ORDER),
            buf.getInt(offset + TAC_OFFSET, ORDER),
            buf.getInt(offset + LAC_OFFSET, ORDER),
            buf.getLong(offset + DELIVER_AFTER_OFFSET, ORDER),
            buf.getLong(offset + LATENCY_OFFSET, ORDER));
        int at = offset + TEXT_OFFSET;
        buf.getBytes(at, r.ruleIdArray(), 0, ruleId);
        at += ruleId;
        buf.getBytes(at, r.snapshotArray(), 0, snapshot);
        at += snapshot;
        buf.getBytes(at, r.areaArray(), 0, area);
        at += area;
        buf.getBytes(at, r.payloadArray(), 0, (int) payload);
        r.textLengths(ruleId, snapshot, area, (int) payload);
        return VERSION_1;
    }
}
