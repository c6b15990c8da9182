package io.sigmatch.tools.generate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sigmatch generate}: synthetic signaling for a subscriber population with the exact
 * matches a rule snapshot must produce (issue 7). See docs/generator.md.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Write synthetic GTPv2-C traffic for a subscriber population, a rule snapshot with its lists and "
        + "areas, and expected-matches.jsonl: the matches replay must produce.")
public final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--subscribers", required = true, paramLabel = "N", description = "population size")
    int subscribers;

    @Option(names = "--hours", required = true, paramLabel = "H", description = "scenario length in hours")
    int hours;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "same seed, same bytes (default 1)")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory (created 0700)")
    Path out;

    @Option(names = "--format", defaultValue = "pcapng", paramLabel = "pcap|pcapng", description = "capture format")
    String format;

    @Option(names = "--split-mb", defaultValue = "100", paramLabel = "M", description = "start a new capture file at M MB")
    double splitMb;

    /** Tests: one line per message with the fields the generator meant to write (see TrafficGenerator). */
    java.util.function.Consumer<String> intentLog;
    java.util.function.Consumer<String> diameterIntentLog;
    java.util.function.Consumer<String> sipIntentLog;

    @Option(names = "--rules", defaultValue = "full", paramLabel = "basic|full",
        description = "full: every trigger type with home, areas, caps and quiet hours; basic: only what the "
            + "current matcher evaluates (stateless triggers, lists, validity)")
    String rules;

    @Option(names = "--start", defaultValue = "2026-11-22T12:00:00Z", paramLabel = "INSTANT",
        description = "capture start (default 20:00 in Asia/Shanghai, so quiet hours begin inside a short scenario)")
    String start;

    @Option(names = "--protocols", defaultValue = "gtpv2", paramLabel = "LIST",
        description = "protocols to write: gtpv2 (GTPv2-C on S11, always) diameter (S6a ULR/ULA, PUR/PUA over SCTP) and sip (INVITE, MESSAGE, 302 + Diversion), comma-separated")
    String protocols;

    /** What a run wrote. */
    public record Result(long messages, long frames, long events, long matches, java.util.List<Path> captures,
        Map<String, long[]> counts, long nanos) {
    }

    @Override
    public Integer call() throws Exception {
        final Result r = generate();
        final double s = r.nanos() / 1e9;
        System.err.printf(Locale.ROOT, "generated %d subscribers x %d h: %d messages in %d frames, %d files; "
                + "%d events conveyed, %d expected matches; %.2f s, %.0f messages/s%n", subscribers, hours,
            r.messages(), r.frames(), r.captures().size(), r.events(), r.matches(), s, r.messages() / s);
        return 0;
    }

    public Result generate() throws IOException {
        if (subscribers < 1 || hours < 1 || splitMb < 0.01) {
            throw new IllegalArgumentException("--subscribers and --hours must be at least 1, --split-mb at least 0.01");
        }
        final java.util.Set<String> protocolSet = new java.util.TreeSet<>(java.util.List.of(protocols.split(",")));
        if (!protocolSet.contains("gtpv2") || !java.util.Set.of("gtpv2", "diameter", "sip").containsAll(protocolSet)) {
            throw new IllegalArgumentException("--protocols: gtpv2, optionally with diameter (S6a) and sip");
        }
        final CaptureOutput.Format fmt = switch (format) {
            case "pcap" -> CaptureOutput.Format.PCAP;
            case "pcapng" -> CaptureOutput.Format.PCAPNG;
            default -> throw new IllegalArgumentException("--format must be pcap or pcapng");
        };
        final SnapshotFiles.Mode mode = switch (rules) {
            case "basic" -> SnapshotFiles.Mode.BASIC;
            case "full" -> SnapshotFiles.Mode.FULL;
            default -> throw new IllegalArgumentException("--rules must be basic or full");
        };
        final long begin = System.nanoTime();
        final Instant startAt = Instant.parse(start);
        final long startNs = startAt.getEpochSecond() * 1_000_000_000L + startAt.getNano();
        if (!Files.isDirectory(out)) {
            Files.createDirectories(out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        final Path captureDir = out.resolve("capture");
        Files.createDirectories(captureDir);
        final Population population = new Population(seed, subscribers);
        final CellMap cells = new CellMap(subscribers);
        final SnapshotFiles snapshot = new SnapshotFiles(population, cells, mode, startNs, startNs + hours * Oracle.HOUR_NS);
        snapshot.write(out, "gen-" + seed + "-" + rules);
        final TrafficGenerator generator;
        final Oracle oracle;
        try (Writer expected = new BufferedWriter(Files.newBufferedWriter(out.resolve("expected-matches.jsonl"),
                 StandardCharsets.UTF_8), 1 << 16);
             CaptureOutput capture = new CaptureOutput(captureDir, "traffic", fmt, (long) (splitMb * 1_000_000L))) {
            oracle = new Oracle(snapshot.rules(), snapshot, cells, ZoneId.of(SnapshotFiles.TIMEZONE), expected);
            oracle.globalCap(snapshot.globalCap());
            generator = new TrafficGenerator(population, cells, seed, startNs, hours, capture, oracle,
                protocolSet.contains("diameter"), protocolSet.contains("sip"));
            if (sipIntentLog != null) {
                generator.sipIntentLog(sipIntentLog);
            }
            if (diameterIntentLog != null) {
                generator.diameterIntentLog(diameterIntentLog);
            }
            if (intentLog != null) {
                generator.intentLog(intentLog);
            }
            generator.run();
            capture.close();
            writeCounts(out.resolve("expected-counts.csv"), oracle.counts());
            return new Result(generator.messages(), capture.frames(), generator.events(), oracle.matches(),
                java.util.List.copyOf(capture.files()), oracle.counts(), System.nanoTime() - begin);
        }
    }

    private static void writeCounts(final Path file, final Map<String, long[]> counts) throws IOException {
        final StringBuilder b = new StringBuilder("rule");
        for (final Oracle.Reason r : Oracle.Reason.values()) {
            b.append(',').append(r.name().toLowerCase(Locale.ROOT));
        }
        b.append('\n');
        for (final Map.Entry<String, long[]> e : counts.entrySet()) {
            b.append(e.getKey());
            for (final long v : e.getValue()) {
                b.append(',').append(v);
            }
            b.append('\n');
        }
        Files.writeString(file, b.toString(), StandardCharsets.US_ASCII);
    }
}
