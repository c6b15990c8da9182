package io.sigmatch.journal;

import static io.sigmatch.journal.MatchRecordLayoutTest.packed;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MatchJsonTest {
    @Test
    void everyKeyInTheOrderOfTheContract() {
        final String expected = "{\"matchId\":\"" + MatchId.toString(1_763_800_000_123_456_789L, MatchId.low(3, 7, 1))
            + "\",\"rule\":\"airport-welcome\""
            + ",\"payload\":{\"campaign\":\"C123\",\"template\":\"T9\"}"
            + ",\"time\":\"1763800000.123456789\""
            + ",\"imsi\":\"001010123456789\",\"msisdn\":\"8613800138000\",\"imei\":\"35345678901234\""
            + ",\"mcc\":460,\"mnc\":0,\"tac\":4660,\"eci\":11259375"
            + ",\"area\":\"airport-T3\",\"snapshot\":\"2026-11-22.1\""
            + ",\"deliverAfter\":\"1763830000.000000000\",\"latencyNs\":12345}";
        assertEquals(expected, MatchJson.toJson(MatchRecordLayoutTest.fullRecord()));
    }

    @Test
    void absentKeysAreOmitted() {
        final MatchRecord r = new MatchRecord().matchId(0, 0).timeNs(1_000_000_001L).ruleId("r").snapshot("v");
        assertEquals("{\"matchId\":\"00000000000000000000000000000000\",\"rule\":\"r\",\"time\":\"1.000000001\""
            + ",\"snapshot\":\"v\",\"latencyNs\":0}", MatchJson.toJson(r));
    }

    @Test
    void geranCellAndThreeDigitMnc() {
        final MatchRecord r = new MatchRecord().ruleId("r").snapshot("v").plmn(packed("310150")).lac(0xFFFE).ci(0xFFFF);
        final String json = MatchJson.toJson(r);
        assertEquals(true, json.contains(",\"mcc\":310,\"mnc\":150,\"lac\":65534,\"ci\":65535,"), json);
    }

    @Test
    void nrCellIdentityPrintsAsNci() {
        // TS 38.413 9.3.1.7: NR cell identity is 36 bits, beyond an int
        final MatchRecord r = new MatchRecord().ruleId("r").snapshot("v").nci(0xF_FFFF_FFFFL);
        assertEquals(true, MatchJson.toJson(r).contains(",\"nci\":68719476735,"));
    }

    @Test
    void leadingZerosOfIdentitiesSurvive() {
        final MatchRecord r = new MatchRecord().ruleId("r").snapshot("v").imsi(packed("001010000000001"))
            .msisdn(packed("0044"));
        final String json = MatchJson.toJson(r);
        assertEquals(true, json.contains("\"imsi\":\"001010000000001\",\"msisdn\":\"0044\""), json);
    }

    @Test
    void anIdentityThatIsNotAPackedDigitStringIsLeftOut() {
        final MatchRecord r = new MatchRecord().ruleId("r").snapshot("v").imsi(-1).msisdn(packed("12") + 1000);
        assertEquals(false, MatchJson.toJson(r).contains("imsi"));
        assertEquals(false, MatchJson.toJson(r).contains("msisdn"));
    }

    @Test
    void captureTimesBefore1970KeepAPositiveFraction() {
        final MatchRecord r = new MatchRecord().ruleId("r").snapshot("v").timeNs(-1);
        assertEquals(true, MatchJson.toJson(r).contains("\"time\":\"-1.999999999\""));
    }

    @Test
    void payloadBytesArePrintedExactlyAsJournaled() {
        final String payload = "{\"text\":\"欢迎 \\u00e9\",\"n\":1.50e2,\"a\":[true,null]}";
        final MatchRecord r = new MatchRecord().ruleId("r").snapshot("v").payload(payload);
        assertEquals(true, MatchJson.toJson(r).contains(",\"payload\":" + payload + ","));
    }

    @Test
    void namesAreJsonEscaped() {
        final MatchRecord r = new MatchRecord().ruleId("a\"b\\c").snapshot("v\n");
        final String json = MatchJson.toJson(r);
        assertEquals(true, json.contains("\"rule\":\"a\\\"b\\\\c\""), json);
        assertEquals(true, json.contains("\"snapshot\":\"v\\u000a\""), json);
    }
}
