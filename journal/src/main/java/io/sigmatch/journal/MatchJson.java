package io.sigmatch.journal;

import java.nio.charset.StandardCharsets;

/**
 * A match as the JSON line {@code ./sigmatch journal DIR} prints (DESIGN §12). Keys appear in a fixed
 * order and only when the record carries them: {@code matchId}, {@code rule}, {@code payload} (the
 * rule's payload, its bytes exactly as journaled), {@code time}, {@code imsi}, {@code msisdn},
 * {@code imei}, {@code mcc}, {@code mnc}, {@code tac}, {@code lac}, {@code eci}, {@code ci},
 * {@code nci}, {@code area}, {@code snapshot}, {@code deliverAfter}, {@code latencyNs}. Identities are
 * digit strings, times are epoch seconds with a nine-digit fraction as strings, formatted as
 * {@code ./sigmatch decode} formats them; {@code lac} and {@code ci} locate GERAN/UTRAN matches the
 * way {@code eci}/{@code nci} locate LTE and NR ones.
 */
public final class MatchJson {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private MatchJson() {
    }

    public static String toJson(final MatchRecord r) {
        return appendTo(r, new StringBuilder(256 + r.payloadLength())).toString();
    }

    /** Appends one JSON object, without a newline. */
    public static StringBuilder appendTo(final MatchRecord r, final StringBuilder out) {
        out.append("{\"matchId\":\"");
        MatchId.appendTo(r.matchIdHigh(), r.matchIdLow(), out);
        out.append("\",\"rule\":");
        string(r.ruleId(), out);
        if (r.has(MatchRecord.PAYLOAD)) {
            out.append(",\"payload\":");
            out.append(new String(r.payloadArray(), 0, r.payloadLength(), StandardCharsets.UTF_8));
        }
        out.append(",\"time\":\"");
        appendEpoch(r.timeNs(), out);
        out.append('"');
        digits("imsi", r, MatchRecord.IMSI, r.imsi(), out);
        digits("msisdn", r, MatchRecord.MSISDN, r.msisdn(), out);
        digits("imei", r, MatchRecord.IMEI, r.imei(), out);
        if (r.has(MatchRecord.PLMN) && PackedDigits.isPlmn(r.plmn())) {
            out.append(",\"mcc\":").append(PackedDigits.mcc(r.plmn()));
            out.append(",\"mnc\":").append(PackedDigits.mnc(r.plmn()));
        }
        if (r.has(MatchRecord.TAC)) {
            out.append(",\"tac\":").append(Integer.toUnsignedLong(r.tac()));
        }
        if (r.has(MatchRecord.LAC)) {
            out.append(",\"lac\":").append(Integer.toUnsignedLong(r.lac()));
        }
        if (r.has(MatchRecord.ECI)) {
            out.append(",\"eci\":").append(r.cell());
        }
        if (r.has(MatchRecord.CI)) {
            out.append(",\"ci\":").append(r.cell());
        }
        if (r.has(MatchRecord.NCI)) {
            out.append(",\"nci\":").append(r.cell());
        }
        if (r.has(MatchRecord.AREA)) {
            out.append(",\"area\":");
            string(r.area(), out);
        }
        out.append(",\"snapshot\":");
        string(r.snapshot(), out);
        if (r.has(MatchRecord.DELIVER_AFTER)) {
            out.append(",\"deliverAfter\":\"");
            appendEpoch(r.deliverAfterNs(), out);
            out.append('"');
        }
        out.append(",\"latencyNs\":").append(r.latencyNs());
        return out.append('}');
    }

    /** Epoch seconds with a nine-digit fraction, as {@code ./sigmatch decode} prints {@code time}. */
    static StringBuilder appendEpoch(final long timeNs, final StringBuilder out) {
        final long seconds = Math.floorDiv(timeNs, NANOS_PER_SECOND);
        final long nanos = Math.floorMod(timeNs, NANOS_PER_SECOND);
        out.append(seconds).append('.');
        for (long p = NANOS_PER_SECOND / 10; p > 0; p /= 10) {
            out.append((char) ('0' + (nanos / p) % 10));
        }
        return out;
    }

    private static void digits(final String key, final MatchRecord r, final int bit, final long packed,
        final StringBuilder out) {
        if (r.has(bit) && PackedDigits.isValid(packed)) {
            out.append(",\"").append(key).append("\":\"");
            PackedDigits.appendTo(packed, out).append('"');
        }
    }

    private static void string(final String s, final StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
