package io.sigmatch.decoder;

/**
 * The JSON Lines form of a message printed by `sigmatch decode` (DESIGN §12). Keys appear in a
 * fixed order and only when the message carries them; identity and location keys show what the
 * wire carried, not what correlation added, so the output compares field by field with tshark.
 */
public final class SignalingJson {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private SignalingJson() {
    }

    /**
     * Appends one JSON object (no newline). With {@code wireOnly} false, identities added by
     * correlation are printed too.
     */
    public static StringBuilder appendTo(final SignalingMessage m, final StringBuilder out, final boolean wireOnly) {
        final int shown = wireOnly ? m.present() & ~m.resolved() : m.present();
        out.append("{\"frame\":").append(m.frame());
        out.append(",\"time\":\"");
        appendEpoch(m.timeNs(), out);
        out.append('"');
        if (m.protocol() != null) {
            out.append(",\"proto\":\"").append(m.protocol().jsonName).append('"');
        }
        if (m.messageName() != null) {
            out.append(",\"msg\":\"").append(m.messageName()).append('"');
        }
        if (m.event() != EventKind.NONE) {
            out.append(",\"event\":\"").append(m.event().name()).append('"');
        }
        if ((shown & SignalingMessage.OUTCOME) != 0) {
            out.append(",\"outcome\":\"").append(m.outcome().jsonName).append('"');
        }
        digits(out, "imsi", shown, SignalingMessage.IMSI, m.imsi());
        digits(out, "msisdn", shown, SignalingMessage.MSISDN, m.msisdn());
        digits(out, "imei", shown, SignalingMessage.IMEI, m.imei());
        digits(out, "imeisv", shown, SignalingMessage.IMEISV, m.imeisv());
        final long plmn = (shown & SignalingMessage.CELL_PLMN) != 0 ? m.cellPlmn()
            : (shown & SignalingMessage.SERVING_PLMN) != 0 ? m.servingPlmn() : Digits.NONE;
        if (plmn != Digits.NONE) {
            out.append(",\"mcc\":").append(Plmn.mcc(plmn));
            out.append(",\"mnc\":").append(Plmn.mnc(plmn));
        }
        number(out, "tac", shown, SignalingMessage.TAC, m.tac());
        number(out, "lac", shown, SignalingMessage.LAC, m.lac());
        number(out, "eci", shown, SignalingMessage.ECI, m.eci());
        number(out, "ci", shown, SignalingMessage.CI, m.ci());
        number(out, "nci", shown, SignalingMessage.NCI, m.nci());
        if ((shown & SignalingMessage.RAT) != 0) {
            out.append(",\"rat\":\"").append(m.rat().name()).append('"');
        }
        digits(out, "called", shown, SignalingMessage.CALLED, m.called());
        if ((shown & SignalingMessage.APN) != 0) {
            out.append(",\"apn\":\"");
            for (int i = 0; i < m.apnLength(); i++) {
                appendJsonChar((char) (m.apnByte(i) & 0xFF), out);
            }
            out.append('"');
        }
        return out.append('}');
    }

    /** Epoch seconds with a 9-digit nanosecond fraction, as tshark prints frame.time_epoch. */
    public static StringBuilder appendEpoch(final long timeNs, final StringBuilder out) {
        final long seconds = Math.floorDiv(timeNs, NANOS_PER_SECOND);
        final long nanos = Math.floorMod(timeNs, NANOS_PER_SECOND);
        out.append(seconds).append('.');
        for (long p = NANOS_PER_SECOND / 10; p > 0; p /= 10) {
            out.append((char) ('0' + (nanos / p) % 10));
        }
        return out;
    }

    public static void appendJsonChar(final char c, final StringBuilder out) {
        if (c == '"' || c == '\\') {
            out.append('\\').append(c);
        } else if (c < 0x20 || c >= 0x7F) {
            out.append("\\u00").append(Character.forDigit(c >> 4 & 0xF, 16)).append(Character.forDigit(c & 0xF, 16));
        } else {
            out.append(c);
        }
    }

    private static void digits(final StringBuilder out, final String key, final int shown, final int bit,
        final long packed) {
        if ((shown & bit) != 0 && Digits.isValid(packed)) {
            out.append(",\"").append(key).append("\":\"");
            Digits.appendTo(packed, out).append('"');
        }
    }

    private static void number(final StringBuilder out, final String key, final int shown, final int bit,
        final long value) {
        if ((shown & bit) != 0) {
            out.append(",\"").append(key).append("\":").append(value);
        }
    }
}
