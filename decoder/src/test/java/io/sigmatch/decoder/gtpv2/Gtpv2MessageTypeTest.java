package io.sigmatch.decoder.gtpv2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sigmatch.decoder.Rat;
import io.sigmatch.decoder.testing.Fixtures;
import io.sigmatch.decoder.tshark.TsharkPdml;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Our message names and code tables against Wireshark's value strings (fixtures/gtpv2/*.values.tsv, from tshark -G values). */
class Gtpv2MessageTypeTest {

    @Test
    void everyMessageTypeIsNamedLikeWireshark() {
        final Map<Integer, String> wireshark = values("gtpv2.message_type");
        assertTrue(wireshark.size() > 100, "tshark 4.0 names 102 message types");
        for (int type = 0; type < 256; type++) {
            assertEquals(wireshark.getOrDefault(type, "Unknown"), Gtpv2MessageType.name(type), "type " + type);
        }
    }

    @Test
    void ratTypeCodesMatchWireshark() {
        final Map<Integer, String> wireshark = values("gtpv2.rat_type");
        for (int code = 0; code < 256; code++) {
            final String name = wireshark.get(code);
            final Rat rat = Rat.fromGtpv2(code);
            if (name == null || name.equals("Reserved")) {
                assertEquals(Rat.UNKNOWN, rat, "code " + code);
            } else {
                // Wireshark "HSPA Evolution" / "EUTRAN-NB-IoT" / "LTE-M" -> HSPA_EVOLUTION / EUTRAN_NB_IOT / LTE_M
                assertEquals(name.toUpperCase().replace(' ', '_').replace('-', '_'), rat.name(), "code " + code);
            }
        }
    }

    @Test
    void causeRangesFollowTable8_4_1() {
        final Map<Integer, String> wireshark = values("gtpv2.cause");
        assertEquals("Request accepted", wireshark.get(16));
        assertEquals("Context Not Found", wireshark.get(64));
        for (int cause = 0; cause < 256; cause++) {
            final boolean acceptance = cause >= 16 && cause <= 63;
            final boolean rejection = cause >= 64 && cause <= 239;
            assertEquals(acceptance ? io.sigmatch.decoder.Outcome.ACCEPTED
                : rejection ? io.sigmatch.decoder.Outcome.REJECTED : null, Gtpv2Cause.outcomeOf(cause), "cause " + cause);
        }
    }

    @Test
    void answersAndRequestsPairUp() {
        for (int type = 0; type < 256; type++) {
            if (Gtpv2MessageType.isAnswer(type)) {
                final int request = Gtpv2MessageType.requestOf(type);
                assertEquals(type, Gtpv2MessageType.answerOf(request), "type " + type);
                assertFalse(Gtpv2MessageType.isUnanswered(request));
                assertFalse(Gtpv2MessageType.isAnswer(request), "an answer answers no answer");
            }
            assertFalse(Gtpv2MessageType.isUnanswered(type) && Gtpv2MessageType.expectsAnswer(type));
        }
        assertEquals(Gtpv2MessageType.CREATE_SESSION_RESPONSE, Gtpv2MessageType.answerOf(Gtpv2MessageType.CREATE_SESSION_REQUEST));
        assertEquals(Gtpv2MessageType.BEARER_RESOURCE_FAILURE_INDICATION,
            Gtpv2MessageType.answerOf(Gtpv2MessageType.BEARER_RESOURCE_COMMAND));
    }

    /** The committed value strings; regenerated from tshark and required equal when it is installed. */
    private static Map<Integer, String> values(final String field) {
        final Path fixture = Fixtures.fixture("gtpv2/" + field + ".values.tsv");
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
