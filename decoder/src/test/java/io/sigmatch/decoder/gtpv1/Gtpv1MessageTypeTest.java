package io.sigmatch.decoder.gtpv1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sigmatch.decoder.Outcome;
import io.sigmatch.decoder.Rat;
import io.sigmatch.decoder.testing.Fixtures;
import io.sigmatch.decoder.tshark.TsharkPdml;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Our message names and code tables against Wireshark's value strings (fixtures/gtpv1/*.values.tsv, from tshark -G values). */
class Gtpv1MessageTypeTest {

    @Test
    void everyMessageTypeIsNamedLikeWireshark() {
        final Map<Integer, String> wireshark = values("gtp.message");
        assertTrue(wireshark.size() > 70, "tshark 4.0 names 72 GTP message types");
        for (int type = 0; type < 256; type++) {
            assertEquals(wireshark.getOrDefault(type, "Unknown"), Gtpv1MessageType.name(type), "type " + type);
        }
    }

    @Test
    void ratTypeCodesMatchWireshark() {
        final Map<Integer, String> wireshark = values("gtp.ext_rat_type");
        for (int code = 0; code < 256; code++) {
            final String name = wireshark.get(code);
            final Rat rat = Rat.fromGtpv2(code);
            if (name == null) {
                continue;                                    // Wireshark 4.0 stops at 8; 9 LTE-M and 10 NR are later releases
            }
            if (name.equals("Reserved")) {
                assertEquals(Rat.UNKNOWN, rat, "code " + code);
            } else {
                // "EUTRAN (WB-E-UTRAN)" / "HSPA Evolution" / "EUTRAN-NB-IoT" -> EUTRAN / HSPA_EVOLUTION / EUTRAN_NB_IOT
                final String normalized = name.replace(" (WB-E-UTRAN)", "").toUpperCase().replace(' ', '_').replace('-', '_');
                assertEquals(normalized, rat.name(), "code " + code);
            }
        }
    }

    @Test
    void causeRangesFollowTheTopTwoBits() {
        final Map<Integer, String> wireshark = values("gtp.cause");
        assertEquals("Request accepted", wireshark.get(128));
        assertEquals("Non-existent", wireshark.get(192));
        assertEquals("No resource available", wireshark.get(199));
        for (int cause = 0; cause < 256; cause++) {
            final Outcome expected = cause >= 192 ? Outcome.REJECTED : cause >= 128 ? Outcome.ACCEPTED : null;
            assertEquals(expected, Gtpv1Cause.outcomeOf(cause), "cause " + cause);
        }
    }

    @Test
    void responsesAndRequestsPairUp() {
        for (int type = 0; type < 256; type++) {
            if (Gtpv1MessageType.isAnswer(type)) {
                final int request = Gtpv1MessageType.requestOf(type);
                assertEquals(type, Gtpv1MessageType.answerOf(request), "type " + type);
                assertFalse(Gtpv1MessageType.isAnswer(request), "a response answers no response");
            }
        }
        assertEquals(17, Gtpv1MessageType.answerOf(16));
        assertEquals(21, Gtpv1MessageType.answerOf(20));
        assertEquals(59, Gtpv1MessageType.answerOf(55));
        assertFalse(Gtpv1MessageType.expectsAnswer(26), "Error Indication expects none");
        assertEquals(18, Gtpv1MessageType.procedureOf(19));
    }

    @Test
    void tvLengthsOfTable37() {
        assertEquals(8, Gtpv1Ie.tvLength(Gtpv1Ie.IMSI));
        assertEquals(6, Gtpv1Ie.tvLength(Gtpv1Ie.RAI));
        assertEquals(28, Gtpv1Ie.tvLength(Gtpv1Ie.AUTHENTICATION_TRIPLET));
        assertEquals(5, Gtpv1Ie.tvLength(Gtpv1Ie.TEID_DATA_II));
        assertEquals(4, Gtpv1Ie.tvLength(Gtpv1Ie.CHARGING_ID));
        assertEquals(0, Gtpv1Ie.tvLength(6), "reserved: no length");
        assertEquals(0, Gtpv1Ie.tvLength(Gtpv1Ie.APN), "TLV");
    }

    /** The committed value strings; regenerated from tshark and required equal when it is installed. */
    private static Map<Integer, String> values(final String field) {
        final Path fixture = Fixtures.fixture("gtpv1/" + field + ".values.tsv");
        if (TsharkPdml.available()) {
            final List<String> fresh = TsharkPdml.valueStrings(field);
            if (Fixtures.writeMode()) {
                Fixtures.writeLines(fixture, fresh);
            }
            assertEquals(fresh, Fixtures.readLines(fixture), field + ": committed value strings vs tshark now");
        }
        final Map<Integer, String> out = new HashMap<>();
        for (final String line : Fixtures.readLines(fixture)) {
            final String[] f = line.split("\t", 2);
            out.put(Integer.parseInt(f[0]), f[1]);
        }
        return out;
    }
}
