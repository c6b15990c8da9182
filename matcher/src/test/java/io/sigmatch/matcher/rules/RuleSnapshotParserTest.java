package io.sigmatch.matcher.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.EventKind;
import io.sigmatch.decoder.Rat;
import io.sigmatch.matcher.lists.IdentityKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RuleSnapshotParserTest {
    @TempDir
    Path dir;

    @BeforeEach
    void lists() throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("gold.txt.gz")))) {
            out.write("8613800138000\n+8613800138001\n".getBytes(StandardCharsets.US_ASCII));
        }
        Files.writeString(dir.resolve("dnd.txt"), "# opted out\n8613800138001\n");
        Files.writeString(dir.resolve("imsis.txt"), "460001234567890\n");
        Files.createDirectories(dir.resolve("tac"));
        Files.writeString(dir.resolve("tac/old4g.txt"), "35345678\n");
        Files.writeString(dir.resolve("bad.txt"), "8613800138000\n8613800138x01\n");
        Files.writeString(dir.resolve("regions.csv"), "prefix,region\n86134,GD\n86138,GD\n861384,BJ\n8613840,GD\n86139,BJ\n");
        Files.writeString(dir.resolve("bad-regions.csv"), "prefix,region\n86134,GD\n86134,BJ\n");
        Files.writeString(dir.resolve("airport.csv"), "plmn,cell\n46000,1001\n46000,1002\n");
        Files.writeString(dir.resolve("shops.csv"), "plmn,cell\n46000,2001\n46000,1002\n");
    }

    private static final String LISTS = "\"lists\": {"
        + " \"gold\": {\"kind\": \"msisdn\", \"file\": \"gold.txt.gz\"},"
        + " \"dnd\": {\"kind\": \"msisdn\", \"file\": \"dnd.txt\"},"
        + " \"imsis\": {\"kind\": \"imsi\", \"file\": \"imsis.txt\"},"
        + " \"old4g\": {\"kind\": \"tac\", \"file\": \"tac/old4g.txt\"} }";

    private RuleSet parse(final String json) throws SnapshotException {
        final Path file = dir.resolve("snapshot.json");
        try {
            Files.writeString(file, json, StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new AssertionError(e);
        }
        return RuleSnapshotParser.load(file);
    }

    /** A document with the test lists around one rule. */
    private static String withRule(final String rule) {
        return "{\"version\": \"v1\", " + LISTS + ", \"rules\": [" + rule + "]}";
    }

    @Test
    void aCompleteSnapshot() throws Exception {
        final String json = "{\n"
            + "  \"version\": \"2026-11-22.1\",\n"
            + "  \"timezone\": \"Asia/Shanghai\",\n"
            + "  " + LISTS + ",\n"
            + "  \"rules\": [\n"
            + "    { \"id\": \"welcome-lu\", \"trigger\": {\"type\": \"locationUpdate\"},\n"
            + "      \"filter\": {\"rat\": [\"EUTRAN\", \"NR\"], \"apn\": [\"Internet\"]},\n"
            + "      \"include\": [\"gold\", \"imsis\"], \"exclude\": [\"dnd\"],\n"
            + "      \"valid\": {\"from\": \"2026-11-01T00:00:00+08:00\", \"to\": \"2026-12-31T23:59:59+08:00\"},\n"
            + "      \"priority\": 5,\n"
            + "      \"payload\": { \"campaign\" : \"C123\",\n  \"template\": \"T9\" } },\n"
            + "    { \"id\": \"hotline\", \"trigger\": {\"type\": \"hotlineCall\", \"numbers\": [\"10086\", \"+8610086\"]},\n"
            + "      \"priority\": 10 },\n"
            + "    { \"id\": \"power-on\", \"trigger\": {\"type\": \"powerOn\"}, \"include\": [\"old4g\"], \"priority\": 5 },\n"
            + "    { \"id\": \"sms-mo\", \"trigger\": {\"type\": \"sms\"}, \"filter\": {\"direction\": [\"mo\"]} }\n"
            + "  ]\n"
            + "}\n";
        try (RuleSet set = parse(json)) {
            assertEquals("2026-11-22.1", set.version());
            assertEquals(ZoneId.of("Asia/Shanghai"), set.timezone());
            assertEquals(4, set.listCount());
            assertEquals("gold", set.listName(0));
            assertEquals(IdentityKind.TAC, set.list(set.listIndex("old4g")).kind());
            assertTrue(set.list(set.listIndex("gold")).contains(Digits.parse("8613800138001")));

            // priority order, highest first, equal priorities as written
            assertEquals(4, set.ruleCount());
            assertEquals("hotline", set.rule(0).id());
            assertEquals("welcome-lu", set.rule(1).id());
            assertEquals("power-on", set.rule(2).id());
            assertEquals("sms-mo", set.rule(3).id());
            for (int i = 0; i < 4; i++) {
                assertEquals(i, set.rule(i).ordinal());
            }

            final Rule lu = set.rule(1);
            assertEquals(TriggerType.LOCATION_UPDATE, lu.trigger());
            assertTrue(lu.firesOn(EventKind.LOCATION_UPDATE));
            assertFalse(lu.firesOn(EventKind.POWER_ON));
            assertTrue(lu.hasRatFilter());
            assertTrue(lu.ratAllowed(Rat.NR));
            assertFalse(lu.ratAllowed(Rat.UTRAN));
            assertTrue(lu.hasApnFilter());
            assertEquals(2, lu.includeCount());
            assertEquals(set.listIndex("imsis"), lu.include(1));
            assertEquals(1, lu.excludeCount());
            assertEquals(set.listIndex("dnd"), lu.exclude(0));
            // epoch values computed apart from the code under test (Python datetime, UTC+8)
            assertEquals(1_793_462_400_000_000_000L, lu.validFromNs());
            assertEquals(1_798_732_799_000_000_000L, lu.validToNs());
            assertEquals("{\"campaign\":\"C123\",\"template\":\"T9\"}", lu.payloadJson());

            final Rule hotline = set.rule(0);
            assertTrue(hotline.isHotlineNumber(Digits.parse("10086")));
            assertTrue(hotline.isHotlineNumber(Digits.parse("8610086")));
            assertFalse(hotline.isHotlineNumber(Digits.parse("114")));
            assertFalse(hotline.hasPayload());
            assertNull(hotline.payloadJson());
            assertEquals(Rule.NO_START, hotline.validFromNs());
            assertEquals(Rule.NO_END, hotline.validToNs());

            final Rule sms = set.rule(3);
            assertTrue(sms.firesOn(EventKind.SMS_MO));
            assertFalse(sms.firesOn(EventKind.SMS_MT));

            // the per-kind index the stages walk
            assertEquals(1, set.ruleCount(EventKind.LOCATION_UPDATE));
            assertEquals("welcome-lu", set.rule(EventKind.LOCATION_UPDATE, 0).id());
            assertEquals(1, set.ruleCount(EventKind.CALL_ATTEMPT));
            assertEquals(0, set.ruleCount(EventKind.SMS_MT));
            assertEquals(0, set.ruleCount(EventKind.NONE));
        }
    }

    @Test
    void theDataSessionTriggerFiresOnTheStartOfASession() throws Exception {
        try (RuleSet set = parse(withRule("{\"id\": \"d\", \"trigger\": {\"type\": \"dataSession\"}}"))) {
            assertTrue(set.rule(0).firesOn(EventKind.DATA_SESSION_START));
            assertFalse(set.rule(0).firesOn(EventKind.DATA_SESSION_END));
        }
    }

    @Test
    void anSmsRuleWithoutDirectionFiresBothWays() throws Exception {
        try (RuleSet set = parse(withRule("{\"id\": \"s\", \"trigger\": {\"type\": \"sms\"}}"))) {
            assertTrue(set.rule(0).firesOn(EventKind.SMS_MO));
            assertTrue(set.rule(0).firesOn(EventKind.SMS_MT));
        }
    }

    @Test
    void apnMatchesTheNetworkIdentifierIgnoringCaseAndOperatorIdentifier() throws Exception {
        try (RuleSet set = parse(withRule("{\"id\": \"a\", \"trigger\": {\"type\": \"dataSession\"},"
            + " \"filter\": {\"apn\": [\"internet\", \"ims\"]}}"))) {
            final Rule r = set.rule(0);
            assertTrue(allowed(r, "internet"));
            assertTrue(allowed(r, "INTERNET"));
            assertTrue(allowed(r, "Internet.mnc000.mcc460.gprs"));
            assertTrue(allowed(r, "ims"));
            assertFalse(allowed(r, "internet2"));
            assertFalse(allowed(r, "internet.corp"));
            assertFalse(allowed(r, "inter"));
            assertFalse(allowed(r, ""));
        }
    }

    private static boolean allowed(final Rule r, final String apn) {
        final byte[] bytes = new byte[100];
        final byte[] text = apn.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, bytes, 0, text.length);
        return r.apnAllowed(bytes, text.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"campaign\":\"C1\",\"n\":1.50e2,\"e\":\"\\u00e9 \\\"q\\\"\",\"z\":[true,false,null],\"k\":{}}",
        "[1,2.0,-0.5E+3]",
        "\"just a string with  two spaces\"",
        "12345678901234567890.000",
        "true",
        "null",
        "{\"text\":\"欢迎光临\"}"
    })
    void thePayloadKeepsItsBytes(final String payload) throws Exception {
        try (RuleSet set = parse(withRule("{\"id\": \"p\", \"trigger\": {\"type\": \"powerOn\"}, \"payload\": " + payload + "}"))) {
            assertEquals(payload, set.rule(0).payloadJson());
        }
    }

    @Test
    void thePayloadLosesOnlyWhitespaceOutsideStrings() throws Exception {
        final String payload = "{\n  \"a\" : [ 1 ,\t2 ],\r\n  \"b\" : \" keep  this \\\" and this \"\n}";
        try (RuleSet set = parse(withRule("{\"payload\": " + payload + ", \"id\": \"p\", \"trigger\": {\"type\": \"powerOn\"}}"))) {
            assertEquals("{\"a\":[1,2],\"b\":\" keep  this \\\" and this \"}", set.rule(0).payloadJson());
        }
    }

    @Test
    void noListsAndNoRulesIsAValidEmptySnapshot() throws Exception {
        try (RuleSet set = parse("{\"version\": \"empty\", \"rules\": []}")) {
            assertEquals(0, set.ruleCount());
            assertEquals(0, set.listCount());
            assertNull(set.timezone());
        }
    }

    @Test
    void aMissingSnapshotFileIsRefused() {
        final SnapshotException e = assertThrows(SnapshotException.class,
            () -> RuleSnapshotParser.load(dir.resolve("none.json")));
        assertTrue(e.getMessage().startsWith("none.json: unreadable"), e.getMessage());
    }

    // ---- refusals ------------------------------------------------------------------------------

    static Stream<Arguments> refusals() {
        return Stream.of(
            // the document
            Arguments.of("[]", "", "the snapshot must be a JSON object"),
            Arguments.of("{\"version\": \"v\", \"rules\": []} {}", "", "content after the snapshot object"),
            Arguments.of("{\"version\": \"v\", \"rules\": [}", "", "not valid JSON at line 1 column 28"),
            Arguments.of("{\"version\": \"v\", \"version\": \"w\", \"rules\": []}", "", "Duplicate field 'version'"),
            Arguments.of("{\"rules\": []}", "version", "version: missing"),
            Arguments.of("{\"version\": 7, \"rules\": []}", "version", "version: must be a string"),
            Arguments.of("{\"version\": \"\", \"rules\": []}", "version", "version: must be 1 to 255 printable ASCII"),
            Arguments.of("{\"version\": \"v\\n1\", \"rules\": []}", "version", "version: must be 1 to 255 printable ASCII"),
            Arguments.of("{\"version\": \"v\", \"timezone\": \"Mars/Olympus\", \"rules\": []}", "timezone",
                "timezone: unknown time zone Mars/Olympus"),
            Arguments.of("{\"version\": \"v\"}", "rules", "rules: missing"),
            Arguments.of("{\"version\": \"v\", \"rules\": {}}", "rules", "rules: must be an array"),
            Arguments.of("{\"version\": \"v\", \"rules\": [7]}", "rules[0]", "rules[0]: must be an object"),
            Arguments.of("{\"version\": \"v\", \"rules\": [], \"owner\": \"me\"}", "owner", "unknown field: owner"),
            Arguments.of("{\"version\": \"v\", \"rules\": [], \"home\": {\"plmns\": [\"4600\"]}}", "home.plmns[0]",
                "a PLMN is MCC+MNC, 5 or 6 digits"),
            Arguments.of("{\"version\": \"v\", \"rules\": [], \"home\": {\"plmns\": [\"46000\"], \"region\": \"GD\"}}",
                "home", "region and regionsFile go together"),
            Arguments.of("{\"version\": \"v\", \"rules\": [], \"home\": {\"plmns\": [\"46000\"], \"region\": \"XX\","
                + " \"regionsFile\": \"regions.csv\"}}", "home.region", "region XX is in no line of the regions file"),
            Arguments.of("{\"version\": \"v\", \"rules\": [], \"home\": {\"plmns\": [\"46000\"], \"region\": \"GD\","
                + " \"regionsFile\": \"bad-regions.csv\"}}", "home.regionsFile", "bad-regions.csv line 3: prefix 86134 listed twice"),
            Arguments.of("{\"version\": \"v\", \"rules\": [], \"areas\": {\"a\": {\"file\": \"missing.csv\"}}}", "areas",
                "areas: unreadable file: NoSuchFileException"),
            Arguments.of("{\"version\": \"v\", \"rules\": [], \"areas\": {\"a\": \"airport.csv\"}}", "areas.a",
                "must be an object with file"),
            Arguments.of("{\"version\": \"v\", \"rules\": [], \"globalCap\": {\"count\": 5, \"per\": \"24h\"}}",
                "globalCap.count", "at most 4"),
            Arguments.of("{\"version\": \"v\", \"rules\": [], \"globalCap\": {\"count\": 3, \"per\": \"1w\"}}",
                "globalCap.per", "a duration is a whole number and m, h or d"),
            // lists
            Arguments.of("{\"version\": \"v\", \"rules\": [], \"lists\": []}", "lists", "lists: must be an object"),
            Arguments.of("{\"version\": \"v\", \"rules\": [], \"lists\": {\"a.b\": {\"kind\": \"msisdn\", \"file\": \"dnd.txt\"}}}",
                "lists.a.b", "a list name is 1 to 64"),
            Arguments.of("{\"version\": \"v\", \"rules\": [], \"lists\": {\"l\": \"dnd.txt\"}}", "lists.l",
                "lists.l: must be an object with kind and file"),
            Arguments.of("{\"version\": \"v\", \"rules\": [], \"lists\": {\"l\": {\"kind\": \"msisdn\", \"file\": \"dnd.txt\", \"gz\": true}}}",
                "lists.l.gz", "unknown field: lists.l.gz"),
            Arguments.of("{\"version\": \"v\", \"rules\": [], \"lists\": {\"l\": {\"kind\": \"imei\", \"file\": \"dnd.txt\"}}}",
                "lists.l.kind", "lists.l.kind: unknown list kind imei (msisdn, imsi or tac)"),
            Arguments.of("{\"version\": \"v\", \"rules\": [], \"lists\": {\"l\": {\"kind\": \"msisdn\"}}}",
                "lists.l.file", "lists.l.file: missing"),
            Arguments.of("{\"version\": \"v\", \"rules\": [], \"lists\": {\"l\": {\"kind\": \"msisdn\", \"file\": \"/etc/passwd\"}}}",
                "lists.l.file", "must name a file inside the snapshot's directory"),
            Arguments.of("{\"version\": \"v\", \"rules\": [], \"lists\": {\"l\": {\"kind\": \"msisdn\", \"file\": \"../dnd.txt\"}}}",
                "lists.l.file", "must name a file inside the snapshot's directory"),
            Arguments.of("{\"version\": \"v\", \"rules\": [], \"lists\": {\"l\": {\"kind\": \"msisdn\", \"file\": \"missing.txt\"}}}",
                "lists.l.file", "lists.l.file: unreadable missing.txt: NoSuchFileException"),
            Arguments.of("{\"version\": \"v\", \"rules\": [], \"lists\": {\"l\": {\"kind\": \"msisdn\", \"file\": \"bad.txt\"}}}",
                "lists.l", "lists.l: bad.txt line 2: unexpected character 'x'"),
            Arguments.of("{\"version\": \"v\", \"rules\": [], \"lists\": {\"l\": {\"kind\": \"imsi\", \"file\": \"dnd.txt\"}}}",
                "lists.l", "lists.l: dnd.txt line 2: 13 digits, fewer than the 14 an IMSI has at least"),
            // rules
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"powerOn\"}, \"colour\": \"red\"}"),
                "rules[0].colour", "unknown field: rules[0].colour"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"powerOn\"},"
                    + " \"quietHours\": {\"from\": \"22:00\", \"to\": \"08:00\", \"action\": \"defer\"}}"),
                "rules[0].quietHours", "quiet hours need the snapshot's timezone"),
            Arguments.of("{\"version\": \"v\", \"timezone\": \"Asia/Shanghai\", \"rules\": [{\"id\": \"r\", \"trigger\":"
                + " {\"type\": \"powerOn\"}, \"quietHours\": {\"from\": \"22:00\", \"to\": \"8:00\", \"action\": \"defer\"}}]}",
                "rules[0].quietHours.to", "a time of day is HH:MM or HH:MM:SS"),
            Arguments.of("{\"version\": \"v\", \"timezone\": \"Asia/Shanghai\", \"rules\": [{\"id\": \"r\", \"trigger\":"
                + " {\"type\": \"powerOn\"}, \"quietHours\": {\"from\": \"22:00\", \"to\": \"08:00\", \"action\": \"later\"}}]}",
                "rules[0].quietHours.action", "must be defer or drop"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"powerOn\"}, \"cap\": {\"count\": 0, \"per\": \"48h\"}}"),
                "rules[0].cap.count", "must be an integer from 1"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"areaEntry\", \"area\": \"mall\"}}"),
                "rules[0].trigger.area", "no area named mall in areas"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"areaDwell\", \"area\": \"mall\"}}"),
                "rules[0].trigger.minutes", "rules[0].trigger.minutes: missing"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"frequentVisitor\", \"area\": \"m\", \"count\": 9,"
                + " \"days\": 7}}"), "rules[0].trigger.count", "must be an integer from 1 to 3"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"roamingIn\", \"scope\": \"galactic\"}}"),
                "rules[0].trigger.scope", "must be international, province or any"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"roamingIn\", \"scope\": \"any\"}}"),
                "rules[0].trigger", "a roaming trigger needs home"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"handsetChange\", \"by\": \"model\"}}"),
                "rules[0].trigger.by", "must be imei or tac"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"forwardingThenPowerOn\"}}"),
                "rules[0].trigger.withinHours", "missing"),
            Arguments.of(withRule("{\"trigger\": {\"type\": \"powerOn\"}}"), "rules[0].id", "rules[0].id: missing"),
            Arguments.of(withRule("{\"id\": \"rule.one\", \"trigger\": {\"type\": \"powerOn\"}}"), "rules[0].id",
                "rules[0].id: a rule id is 1 to 64"),
            Arguments.of("{\"version\": \"v\", \"rules\": [{\"id\": \"r\", \"trigger\": {\"type\": \"powerOn\"}},"
                + " {\"id\": \"r\", \"trigger\": {\"type\": \"powerOff\"}}]}", "rules[1].id", "rules[1].id: duplicate rule id r"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"powerOn\"}, \"priority\": 1.5}"),
                "rules[0].priority", "rules[0].priority: must be an integer"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"powerOn\"}, \"priority\": \"1\"}"),
                "rules[0].priority", "rules[0].priority: must be an integer"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"powerOn\"}, \"payload\": {\"a\": \""
                + "x".repeat(70_000) + "\"}}"), "rules[0].payload", "more than the 65535 a payload may have"),
            // triggers
            Arguments.of(withRule("{\"id\": \"r\"}"), "rules[0].trigger", "rules[0].trigger: missing"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": \"powerOn\"}"), "rules[0].trigger",
                "rules[0].trigger: must be an object with a type"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {}}"), "rules[0].trigger.type", "rules[0].trigger.type: missing"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"teleport\"}}"), "rules[0].trigger.type",
                "rules[0].trigger.type: unknown trigger type teleport"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"powerOn\", \"area\": \"airport\"}}"),
                "rules[0].trigger.area", "unknown field: rules[0].trigger.area"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"hotlineCall\"}}"),
                "rules[0].trigger.numbers", "rules[0].trigger.numbers: missing"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"hotlineCall\", \"numbers\": []}}"),
                "rules[0].trigger.numbers", "must be a non-empty array of strings"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"hotlineCall\", \"numbers\": [\"100-86\"]}}"),
                "rules[0].trigger.numbers[0]", "rules[0].trigger.numbers[0]: must be a number of 1 to 17 digits"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"hotlineCall\", \"numbers\": [10086]}}"),
                "rules[0].trigger.numbers[0]", "rules[0].trigger.numbers[0]: must be a string"),
            // filters
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"powerOn\"}, \"filter\": [\"NR\"]}"),
                "rules[0].filter", "rules[0].filter: must be an object"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"powerOn\"}, \"filter\": {\"cell\": 1}}"),
                "rules[0].filter.cell", "unknown field: rules[0].filter.cell"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"powerOn\"}, \"filter\": {\"plmn\": [\"46O00\"]}}"),
                "rules[0].filter.plmn[0]", "a PLMN is MCC+MNC, 5 or 6 digits"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"powerOn\"}, \"filter\": {\"rat\": [\"LTE\"]}}"),
                "rules[0].filter.rat[0]", "rules[0].filter.rat[0]: unknown RAT LTE"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"powerOn\"}, \"filter\": {\"rat\": [\"UNKNOWN\"]}}"),
                "rules[0].filter.rat[0]", "unknown RAT UNKNOWN"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"powerOn\"}, \"filter\": {\"rat\": []}}"),
                "rules[0].filter.rat", "must be a non-empty array of strings"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"powerOn\"}, \"filter\": {\"apn\": [\"inter net\"]}}"),
                "rules[0].filter.apn[0]", "not an APN network identifier"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"powerOn\"}, \"filter\": {\"direction\": [\"mo\"]}}"),
                "rules[0].filter.direction", "rules[0].filter.direction: applies to sms rules only"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"sms\"}, \"filter\": {\"direction\": [\"up\"]}}"),
                "rules[0].filter.direction[0]", "must be mo or mt"),
            // lists in rules
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"powerOn\"}, \"include\": [\"platinum\"]}"),
                "rules[0].include[0]", "rules[0].include[0]: no list named platinum in lists"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"powerOn\"}, \"include\": \"gold\"}"),
                "rules[0].include", "rules[0].include: must be an array of strings"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"powerOn\"}, \"include\": [\"gold\", \"gold\"]}"),
                "rules[0].include[1]", "list gold named twice"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"powerOn\"}, \"include\": [\"gold\"], \"exclude\": [\"gold\"]}"),
                "rules[0].exclude", "list gold is both included and excluded"),
            // validity
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"powerOn\"}, \"valid\": {}}"),
                "rules[0].valid", "must be an object with from, to or both"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"powerOn\"}, \"valid\": {\"until\": \"x\"}}"),
                "rules[0].valid.until", "unknown field: rules[0].valid.until"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"powerOn\"}, \"valid\": {\"from\": \"2026-11-01T00:00:00\"}}"),
                "rules[0].valid.from", "not an ISO-8601 date-time with offset"),
            Arguments.of(withRule("{\"id\": \"r\", \"trigger\": {\"type\": \"powerOn\"}, \"valid\": {\"from\": \"2026-12-01T00:00:00Z\","
                + " \"to\": \"2026-11-01T00:00:00Z\"}}"), "rules[0].valid", "rules[0].valid: from is after to")
        );
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void refused(final String json, final String path, final String reason) {
        final SnapshotException e = assertThrows(SnapshotException.class, () -> parse(json));
        assertEquals(path, e.path(), e.getMessage());
        assertTrue(e.reason().contains(reason), "reason was: " + e.reason());
        assertTrue(e.getMessage().startsWith("snapshot.json: "), e.getMessage());
    }

    /** DESIGN §13's example, every trigger type and every governance field: parsed into what the stages read. */
    @Test
    void everyTriggerAndGovernanceField() throws Exception {
        final String json = "{\"version\": \"full\", \"timezone\": \"Asia/Shanghai\","
            + " \"home\": {\"plmns\": [\"46000\", \"46002\"], \"region\": \"GD\", \"regionsFile\": \"regions.csv\"},"
            + " " + LISTS + ","
            + " \"areas\": {\"airport\": {\"file\": \"airport.csv\"}, \"shops\": {\"file\": \"shops.csv\"}},"
            + " \"globalCap\": {\"count\": 3, \"per\": \"24h\"},"
            + " \"rules\": ["
            + " {\"id\": \"entry\", \"trigger\": {\"type\": \"areaEntry\", \"area\": \"airport\", \"antiFlapMinutes\": 30},"
            + "  \"filter\": {\"plmn\": [\"46000\"]}, \"quietHours\": {\"from\": \"22:00\", \"to\": \"08:00\", \"action\": \"defer\"},"
            + "  \"cap\": {\"count\": 1, \"per\": \"48h\"}, \"priority\": 10},"
            + " {\"id\": \"dwell\", \"trigger\": {\"type\": \"areaDwell\", \"area\": \"shops\", \"minutes\": 45}},"
            + " {\"id\": \"regular\", \"trigger\": {\"type\": \"frequentVisitor\", \"area\": \"shops\", \"count\": 2, \"days\": 7}},"
            + " {\"id\": \"abroad\", \"trigger\": {\"type\": \"roamingIn\", \"scope\": \"international\"}},"
            + " {\"id\": \"long\", \"trigger\": {\"type\": \"roamingDuration\", \"scope\": \"any\", \"hours\": 2},"
            + "  \"quietHours\": {\"from\": \"01:00\", \"to\": \"06:30:15\", \"action\": \"drop\"}},"
            + " {\"id\": \"phone\", \"trigger\": {\"type\": \"handsetChange\", \"by\": \"tac\"}},"
            + " {\"id\": \"fwd\", \"trigger\": {\"type\": \"forwardingThenPowerOn\", \"withinHours\": 24}}"
            + " ]}";
        try (RuleSet set = parse(json)) {
            assertEquals(7, set.ruleCount());
            assertTrue(set.hasHome());
            assertTrue(set.homeImsi(Digits.parse("460021234567890")));
            assertFalse(set.homeImsi(Digits.parse("454001234567890")));
            assertEquals(set.regions().indexOf("GD"), set.homeRegion());
            assertEquals(set.regions().indexOf("BJ"), set.regions().regionOf(Digits.parse("8613912345678")));
            assertEquals(set.regions().indexOf("GD"), set.regions().regionOf(Digits.parse("8613840012345")), "longest prefix");
            assertEquals(RegionTable.UNKNOWN, set.regions().regionOf(Digits.parse("8617012345678")));
            assertEquals(3, set.globalCapCount());
            assertEquals(24 * 3_600_000_000_000L, set.globalCapPerNs());
            assertEquals(2, set.areas().areaCount());
            final Rule entry = set.rule(0);
            assertEquals(TriggerType.AREA_ENTRY, entry.trigger());
            assertEquals(set.areas().indexOf("airport"), entry.area());
            assertEquals(30 * 60_000_000_000L, entry.antiFlapNs());
            assertTrue(entry.hasPlmnFilter() && entry.plmnAllowed(Digits.parse("46000")) && !entry.plmnAllowed(Digits.parse("46001")));
            assertTrue(entry.hasQuietHours() && entry.quietDefer());
            assertEquals(22 * 3_600_000_000_000L, entry.quietFromNs());
            assertEquals(8 * 3_600_000_000_000L, entry.quietToNs());
            assertEquals(1, entry.capCount());
            assertEquals(48 * 3_600_000_000_000L, entry.capPerNs());
            assertTrue(entry.firesOn(EventKind.DATA_SESSION_START) && entry.firesOn(EventKind.LOCATION_UPDATE));
            final Rule dwell = set.rule(1);
            assertEquals(45 * 60_000_000_000L, dwell.dwellNs());
            assertTrue(set.hasTimedRules());
            assertTrue(set.tracked(set.areas().indexOf("shops")));
            final Rule regular = set.rule(2);
            assertEquals(2, regular.visitCount());
            assertEquals(7 * 24 * 3_600_000_000_000L, regular.visitWindowNs());
            assertEquals(Rule.SCOPE_INTERNATIONAL, set.rule(3).roamingScope());
            final Rule longStay = set.rule(4);
            assertEquals(Rule.SCOPE_ANY, longStay.roamingScope());
            assertEquals(2 * 3_600_000_000_000L, longStay.roamingNs());
            assertFalse(longStay.quietDefer());
            assertEquals((6 * 3600 + 30 * 60 + 15) * 1_000_000_000L, longStay.quietToNs());
            assertTrue(set.rule(5).byTac());
            final Rule fwd = set.rule(6);
            assertTrue(fwd.firesOn(EventKind.POWER_ON) && !fwd.firesOn(EventKind.LOCATION_UPDATE));
            assertEquals(24 * 3_600_000_000_000L, fwd.forwardingWithinNs());
            assertEquals(fwd, set.ruleByStableId(Rule.stableId("fwd")));
            assertEquals(6, fwd.documentOrder());
        }
    }

    @Test
    void moreThanTheMostRulesIsRefused() {
        final StringBuilder rules = new StringBuilder();
        for (int i = 0; i <= RuleSnapshotParser.MAX_RULES; i++) {
            rules.append(i == 0 ? "" : ",").append("{\"id\": \"r").append(i).append("\", \"trigger\": {\"type\": \"powerOn\"}}");
        }
        final SnapshotException e = assertThrows(SnapshotException.class,
            () -> parse("{\"version\": \"v\", \"rules\": [" + rules + "]}"));
        assertEquals("rules: more than 1000 rules", e.reason());
    }

    @Test
    void minifyDropsWhitespaceOutsideStringsOnly() {
        final byte[] in = "{ \"a b\" :\n[ \"\\\\\" , \"\\\" \" ] }".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals("{\"a b\":[\"\\\\\",\"\\\" \"]}".getBytes(StandardCharsets.UTF_8),
            RuleSnapshotParser.minify(in, 0, in.length));
    }
}
