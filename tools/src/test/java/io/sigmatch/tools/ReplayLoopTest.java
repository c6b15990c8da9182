package io.sigmatch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.capture.LoopIdentityShift;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `sigmatch replay --loop N`: N times the frames and procedures of one pass, the journal holding
 * loop k's subscribers as loop 0's shifted by k (never the same IMSI twice across loops for a
 * per-subscriber rule), and the same counts as fast as possible and paced.
 */
class ReplayLoopTest {
    private static final Path DEMO = Path.of(System.getProperty("sigmatch.repo", "..")).toAbsolutePath().normalize()
        .resolve("pcap-samples/demo");
    private static final Pattern SUMMARY = Pattern.compile("replayed (\\d+) frames .*procedures (\\d+), matches (\\d+), pipeline errors (\\d+)");

    @TempDir
    Path tmp;

    @Test
    void loopsMultiplyTheProceduresWithShiftedSubscribers() {
        final long[] once = replay("j1", "1", "0");
        final long[] thrice = replay("j3", "3", "0");
        assertTrue(once[1] > 0, "procedures in one pass");
        assertEquals(3 * once[0], thrice[0], "frames");
        assertEquals(3 * once[1], thrice[1], "procedures");
        assertEquals(0, thrice[3], "pipeline errors");
        assertEquals(once[2], thrice[2], "loops 1 and 2 are subscribers outside the gold list: no more matches");
        final long[] paced = replay("jp", "2", "1000");
        assertEquals(2 * once[1], paced[1], "paced at 1000x: the same procedures");
        assertEquals(1, run("replay", DEMO.resolve("epc-attach.pcapng").toString(), "--rules",
            DEMO.resolve("rules.json").toString(), "--journal", tmp.resolve("j0").toString(), "--loop", "0").code);
    }

    @Test
    void loopOneMatchesTheGoldListShiftedByOne() throws Exception {
        // The gold and do-not-disturb lists holding the demo's IMSIs as loop 1 shifts them: loop 1
        // matches exactly what loop 0 matched with the original lists; loops 0 and 2 match nothing.
        final Path rules = tmp.resolve("rules");
        Files.createDirectories(rules);
        Files.copy(DEMO.resolve("rules.json"), rules.resolve("rules.json"));
        Files.write(rules.resolve("gold-imsi.txt"), shiftedByOne(Files.readAllLines(DEMO.resolve("gold-imsi.txt"))));
        final List<String> dnd;
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(DEMO.resolve("dnd-imsi.txt.gz")))) {
            dnd = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        }
        try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(rules.resolve("dnd-imsi.txt.gz")))) {
            out.write(String.join("\n", shiftedByOne(dnd)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        final long[] once = replay("j1", "1", "0");
        final long[] three = replay(rules.resolve("rules.json"), "js", "3", "0");
        assertTrue(once[2] > 0);
        assertEquals(once[2], three[2], "the matches of the recorded subscribers, now made by loop 1");
    }

    /** The IMSIs of a list file as loop 1 shifts them (comments and blank lines dropped). */
    private static List<String> shiftedByOne(final List<String> lines) {
        final List<String> shifted = new ArrayList<>();
        for (final String raw : lines) {
            final String line = raw.strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                final long packed = LoopIdentityShift.imsi(Digits.pack(Long.parseLong(line), line.length()), 1);
                shifted.add(String.format("%0" + Digits.length(packed) + "d", Digits.value(packed)));
            }
        }
        return shifted;
    }

    /** {frames, procedures, matches, errors} from the stderr summary. */
    private long[] replay(final String journal, final String loops, final String speed) {
        return replay(DEMO.resolve("rules.json"), journal, loops, speed);
    }

    private long[] replay(final Path rules, final String journal, final String loops, final String speed) {
        final Run r = run("replay", DEMO.resolve("epc-attach.pcapng").toString(), "--rules",
            rules.toString(), "--journal", tmp.resolve(journal).toString(), "--loop", loops,
            "--speed", speed);
        assertEquals(0, r.code, r.err);
        final Matcher m = SUMMARY.matcher(r.err);
        assertTrue(m.find(), r.err);
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
            Long.parseLong(m.group(4))};
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
