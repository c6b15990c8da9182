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
 * expert error, and its fields (GTPv2-C: message type, header TEID, sequence, IMSI, MEI, MSISDN, TAC, ECI,
 * APN, RAT, cause; Diameter S6a: command, R flag, User-Name, IMEI, MSISDN, Result-Code; SIP: method, status, Call-ID) are those the generator meant, message by message. Skipped without tshark
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
                "--hours", "2", "--seed", "21", "--out", out.toString(), "--format", format, "--rules", "full", "--protocols", "gtpv2,diameter,sip");
            command.intentLog = intent::add;
            final List<String> diameterIntent = new ArrayList<>();
            command.diameterIntentLog = diameterIntent::add;
            final List<String> sipIntent = new ArrayList<>();
            command.sipIntentLog = sipIntent::add;
            command.generate();
            intent.sort(Comparator.comparing((String l) -> l.substring(0, l.indexOf('|'))));
            diameterIntent.sort(Comparator.comparing((String l) -> l.substring(0, l.indexOf('|'))));
            final List<String> diameterSeen = new ArrayList<>();
            sipIntent.sort(Comparator.comparing((String l) -> l.substring(0, l.indexOf('|'))));
            final List<String> sipSeen = new ArrayList<>();
            final List<Path> captures;
            try (Stream<Path> s = Files.list(out.resolve("capture"))) {
                captures = s.sorted().toList();
            }
            final List<String> seen = new ArrayList<>();
            long frames = 0;
            for (final Path capture : captures) {
                // checksums verified too: IPv4 header, UDP (RFC 768) and SCTP CRC32c (RFC 9260)
                final List<String> bad = tshark(capture, "-Y", "_ws.malformed || _ws.expert.severity >= error"
                    + " || ip.checksum.status == 0 || udp.checksum.status == 0 || sctp.checksum.status == 0");
                assertEquals(List.of(), bad, capture + ": malformed or expert errors");
                frames += tshark(capture, "-T", "fields", "-e", "frame.number").size();
                final List<String> args = new ArrayList<>(List.of("-Y", "gtpv2", "-T", "fields", "-E", "separator=|"));
                for (final String f : FIELDS) {
                    args.add("-e");
                    args.add(f);
                }
                seen.addAll(tshark(capture, args.toArray(String[]::new)));
                diameterSeen.addAll(tshark(capture, "-Y", "diameter", "-T", "fields", "-E", "separator=|", "-e",
                    "frame.time_epoch", "-e", "diameter.cmd.code", "-e", "diameter.flags.request", "-e",
                    "diameter.User-Name", "-e", "diameter.IMEI", "-e", "e164.msisdn", "-e", "diameter.Result-Code"));
                sipSeen.addAll(tshark(capture, "-Y", "sip", "-T", "fields", "-E", "separator=|", "-e", "frame.time_epoch",
                    "-e", "sip.Method", "-e", "sip.Status-Code", "-e", "sip.Call-ID"));
            }
            assertTrue(intent.size() > 1000, "messages written: " + intent.size());
            assertTrue(frames > intent.size(), "some messages were fragmented: frames " + frames);
            assertEquals(intent.size(), seen.size(), format + ": messages tshark decoded");
            for (int i = 0; i < intent.size(); i++) {
                assertEquals(intent.get(i), seen.get(i), format + ": message " + i + " (" + FIELDS.length + " fields)");
            }
            assertTrue(diameterIntent.size() > 20, "Diameter messages written: " + diameterIntent.size());
            assertEquals(diameterIntent, diameterSeen, format + ": Diameter S6a messages");
            assertTrue(sipIntent.size() > 100, "SIP messages written: " + sipIntent.size());
            assertEquals(sipIntent, sipSeen, format + ": SIP messages");
            System.out.printf("tshark %s: %d frames, %d GTPv2-C, %d Diameter and %d SIP messages, 0 malformed, "
                + "all fields as meant%n", format, frames, seen.size(), diameterSeen.size(), sipSeen.size());
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
        final List<String> command = new ArrayList<>(List.of("tshark", "-n", "-o", "sctp.checksum:CRC-32C", "-o",
            "udp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE", "-r", file.toString()));
        command.addAll(List.of(args));
        final Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "tshark finished");
        assertEquals(0, p.exitValue(), "tshark exit code");
        return out.lines().filter(l -> !l.isBlank()).toList();
    }
}
