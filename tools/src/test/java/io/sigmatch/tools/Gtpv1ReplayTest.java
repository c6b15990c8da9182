package io.sigmatch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GTPv1-C (Gn/Gp) through the command line as a user runs it (issue 4 item 4): `decode` prints the
 * PDP context messages of a real 2G/3G capture, and `replay` turns their procedures into events the
 * match pipeline acts on, with the subscriber and the APN of the Create PDP Context Request.
 */
class Gtpv1ReplayTest {
    private static final Path REPO = Path.of(System.getProperty("sigmatch.repo", "..")).toAbsolutePath().normalize();
    /** zeek's capture: two Create PDP Context exchanges and an Echo on 2123, plus GTP' on 3386 and GTP-U. */
    private static final Path ZEEK = REPO.resolve("pcap-samples/corpus/gtpv1/zeek-pdp_ctx_messages.pcapng");

    @TempDir
    Path tmp;

    @Test
    void decodePrintsTheGtpv1Messages() {
        final Run run = run("decode", ZEEK.toString());
        assertEquals(0, run.code, run.err);
        final List<String> lines = run.lines();
        // 6 GTPv1-C messages on 2123 as tshark shows them; GTP' (3386) and GTP-U (2152) are not GTPv1-C
        assertEquals(6, lines.size(), run.out);
        assertTrue(lines.stream().allMatch(l -> l.contains("\"proto\":\"gtpv1\"")));
        assertTrue(lines.get(0).contains("\"msg\":\"Create PDP context request\"") && lines.get(0).contains("\"imsi\":\"460004100000101\""),
            lines.get(0));
        assertTrue(run.err.contains("gtpv1=6"), run.err);
        assertTrue(run.err.contains("errors: none"), run.err);
    }

    @Test
    void replayMatchesDataSessionsOnGn() throws Exception {
        final Path rules = tmp.resolve("rules.json");
        Files.writeString(rules, String.join("\n",
            "{ \"version\": \"gtpv1-1\", \"timezone\": \"UTC\", \"lists\": {},",
            "  \"rules\": [",
            "    { \"id\": \"internet-2g3g\", \"trigger\": { \"type\": \"dataSession\" },",
            "      \"filter\": { \"apn\": [\"internet\"] }, \"payload\": { \"campaign\": \"G1\" } },",
            "    { \"id\": \"any-data\", \"trigger\": { \"type\": \"dataSession\" }, \"payload\": { \"campaign\": \"G2\" } }",
            "  ] }"));
        final Path journal = tmp.resolve("journal");
        final Run replay = run("replay", ZEEK.toString(), "--rules", rules.toString(), "--journal", journal.toString());
        assertEquals(0, replay.code, replay.err);
        final Run printed = run("journal", journal.toString());
        assertEquals(0, printed.code, printed.err);
        final List<String> matches = printed.lines();
        assertTrue(replay.err.contains("matches " + matches.size()), replay.err);
        // both Create PDP Context procedures start a data session; only the second is on APN "internet"
        assertEquals(2, matches.stream().filter(l -> l.contains("\"rule\":\"any-data\"")).count(), printed.out);
        final List<String> internet = matches.stream().filter(l -> l.contains("\"rule\":\"internet-2g3g\"")).toList();
        assertEquals(1, internet.size(), printed.out);
        assertTrue(internet.get(0).contains("\"imsi\":\"240010123456789\"") && internet.get(0).contains("\"msisdn\":\"46702123456\""),
            internet.get(0));
    }

    private static Run run(final String... args) {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final ByteArrayOutputStream o = new ByteArrayOutputStream();
        final ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        final int code;
        try {
            code = SigmatchCli.execute(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    private record Run(int code, String out, String err) {
        List<String> lines() {
            return Arrays.stream(out.split("\n")).filter(l -> !l.isBlank()).toList();
        }
    }
}
