package io.sigmatch.tools.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 7 item 6: tshark reads everything the generator writes without a malformed packet or an
 * expert error, and its fields (message type, header TEID, sequence, IMSI, MEI, MSISDN, TAC, ECI,
 * APN, RAT, cause) are those the generator meant, message by message. Skipped without tshark
 * ({@code -Dsigmatch.tshark=off}, or none installed).
 */
class GeneratedTrafficWiresharkTest {
    private static final String[] FIELDS = {"frame.time_epoch", "gtpv2.message_type", "gtpv2.teid", "gtpv2.seq",
        "e212.imsi", "gtpv2.mei", "e164.msisdn", "gtpv2.tai_tac", "gtpv2.ecgi_eci", "gtpv2.apn", "gtpv2.rat_type",
        "gtpv2.cause"};

    @TempDir
    Path tmp;

    @Test
    void tsharkFindsNothingMalformedAndReadsWhatWasMeant() throws Exception {
        Assumptions.assumeTrue(tsharkAvailable(), "tshark not available");
        for (final String format : List.of("pcap", "pcapng")) {
            final Path out = tmp.resolve(format);
            final List<String> intent = new ArrayList<>();
            final GenerateCommand command = CommandLine.populateCommand(new GenerateCommand(), "--subscribers", "120",
                "--hours", "2", "--seed", "21", "--out", out.toString(), "--format", format, "--rules", "full");
            command.intentLog = intent::add;
            command.generate();
            intent.sort(Comparator.comparing((String l) -> l.substring(0, l.indexOf('|'))));
            final List<Path> captures;
            try (Stream<Path> s = Files.list(out.resolve("capture"))) {
                captures = s.sorted().toList();
            }
            final List<String> seen = new ArrayList<>();
            long frames = 0;
            for (final Path capture : captures) {
                final List<String> bad = tshark(capture, "-Y", "_ws.malformed || _ws.expert.severity >= error");
                assertEquals(List.of(), bad, capture + ": malformed or expert errors");
                frames += tshark(capture, "-T", "fields", "-e", "frame.number").size();
                final List<String> args = new ArrayList<>(List.of("-Y", "gtpv2", "-T", "fields", "-E", "separator=|"));
                for (final String f : FIELDS) {
                    args.add("-e");
                    args.add(f);
                }
                seen.addAll(tshark(capture, args.toArray(String[]::new)));
            }
            assertTrue(intent.size() > 1000, "messages written: " + intent.size());
            assertTrue(frames > intent.size(), "some messages were fragmented: frames " + frames);
            assertEquals(intent.size(), seen.size(), format + ": messages tshark decoded");
            for (int i = 0; i < intent.size(); i++) {
                assertEquals(intent.get(i), seen.get(i), format + ": message " + i + " (" + FIELDS.length + " fields)");
            }
            System.out.printf("tshark %s: %d frames, %d GTPv2-C messages, 0 malformed, all fields as meant%n", format,
                frames, seen.size());
        }
    }

    static boolean tsharkAvailable() {
        if ("off".equals(System.getProperty("sigmatch.tshark"))) {
            return false;
        }
        try {
            final Process p = new ProcessBuilder("tshark", "-v").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (final IOException | InterruptedException e) {
            return false;
        }
    }

    static List<String> tshark(final Path file, final String... args) throws Exception {
        final List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString()));
        command.addAll(List.of(args));
        final Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "tshark finished");
        assertEquals(0, p.exitValue(), "tshark exit code");
        return out.lines().filter(l -> !l.isBlank()).toList();
    }
}
