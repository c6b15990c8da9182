package io.sigmatch.matcher.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.sigmatch.matcher.rules.RuleSet;
import io.sigmatch.matcher.rules.RuleSnapshotParser;
import io.sigmatch.matcher.rules.SnapshotException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzing (Jazzer standalone, coverage-guided, in the long runs of docs/hostile.md; seeded mutants
 * of the seeds and of {@code <Class>Inputs/load/} in the build, with no Jazzer agent in this
 * module) of the rule snapshot parser (JSON, DESIGN §13), with the demo's lists beside it so list
 * loading is reached. The contract: a rule set, or a {@link SnapshotException} with a reason; no
 * other exception (Jackson's, a NumberFormatException, a DateTimeException) escapes.
 */
class RuleSnapshotFuzzTest {
    private static final Path BASE = SnapshotFiles.repo().resolve("pcap-samples/demo");

    /** The target: the build's short run calls it, and Jazzer standalone for the long runs (docs/hostile.md). */
    public static void fuzzerTestOneInput(final byte[] json) {
        try (RuleSet set = RuleSnapshotParser.parse(json, "fuzz.json", BASE)) {
            if (set.version() == null || set.version().isEmpty()) {
                throw new AssertionError("a rule set without a version");
            }
        } catch (final SnapshotException e) {
            if (e.reason() == null || e.reason().isEmpty()) {
                throw new AssertionError("refusal without a reason: " + e.getMessage(), e);
            }
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shortRun() {
        final long tried = FuzzRun.run("rule-snapshot", seeds(), RuleSnapshotFuzzTest::fuzzerTestOneInput);
        assertTrue(tried > 0);
    }

    static List<byte[]> seeds() {
        final List<byte[]> seeds = new ArrayList<>(FuzzRun.seedFiles(RuleSnapshotFuzzTest.class, "load"));
        seeds.add(SnapshotFiles.read(BASE.resolve("rules.json")));
        for (final String s : new String[] {
            "{\"version\":\"v1\",\"timezone\":\"UTC\",\"lists\":{},\"rules\":[]}",
            "{\"version\":\"v2\",\"timezone\":\"Europe/Paris\",\"lists\":{\"g\":{\"kind\":\"imsi\",\"file\":\"gold-imsi.txt\"}},"
                + "\"rules\":[{\"id\":\"r1\",\"trigger\":{\"type\":\"powerOn\"},\"include\":[\"g\"],\"priority\":1,"
                + "\"valid\":{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2027-01-01T00:00:00+08:00\"},"
                + "\"filter\":{\"rat\":[\"EUTRAN\"],\"apn\":[\"internet\"],\"direction\":\"outbound\"},"
                + "\"payload\":{\"n\":1e400,\"s\":\"\\u00e9\",\"a\":[1,2,{\"b\":null}]}}]}",
            "{\"version\":\"v3\",\"rules\":[{\"id\":\"r\",\"trigger\":{\"type\":\"sms\"},\"priority\":99999999999999999999}]}"}) {
            seeds.add(s.getBytes(StandardCharsets.UTF_8));
        }
        return seeds;
    }
}
