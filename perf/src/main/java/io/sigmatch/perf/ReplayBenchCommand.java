package io.sigmatch.perf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.sigmatch.matcher.PipelineConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `sigmatch bench replay FILE`: the replay harness of perf/README.md. */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Load a capture into memory and push it through the whole pipeline (decode, correlate, match, journal): "
        + "first as fast as possible (sustained messages/s over several loops), then at fixed offered rates with "
        + "capture-to-journal latency, coordinated omission corrected. Prints a table, writes .hgrm files.")
public final class ReplayBenchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "pcap or pcapng capture")
    private Path file;

    @Option(names = "--rules", paramLabel = "SNAPSHOT.json",
        description = "rule snapshot (default: the bench rules, every GTPv2-C event kind acted on, perf/README.md)")
    private Path rules;

    @Option(names = "--warmup-loops", defaultValue = "500", description = "unmeasured loops first (default ${DEFAULT-VALUE})")
    private int warmUpLoops;

    @Option(names = "--loops", defaultValue = "5000", description = "measured loops at max rate (default ${DEFAULT-VALUE})")
    private int loops;

    @Option(names = "--fraction", split = ",", defaultValue = "0.5",
        description = "fixed rates as fractions of the measured max (default ${DEFAULT-VALUE}), comma-separated")
    private double[] fractions;

    @Option(names = "--rate", split = ",", paramLabel = "MSGS_PER_S",
        description = "fixed rates in messages/s instead of fractions; 0 skips the fixed-rate phase")
    private double[] rates;

    @Option(names = "--seconds", defaultValue = "10", description = "measured seconds per fixed rate (default ${DEFAULT-VALUE})")
    private double seconds;

    @Option(names = "--shards", defaultValue = "0", description = "match shards (default: sigmatch.pipeline.shards or 1)")
    private int shards;

    @Option(names = "--wait-strategy", paramLabel = "NAME",
        description = "shard wait strategy: busySpin, yielding, sleeping, blocking (default: sigmatch.pipeline.waitStrategy or sleeping)")
    private String waitStrategy;

    @Option(names = "--hgrm", paramLabel = "PREFIX", defaultValue = "sigmatch-bench",
        description = "latency files PREFIX-<phase>.hgrm (default ${DEFAULT-VALUE})")
    private String hgrm;

    @Override
    public Integer call() throws Exception {
        final Path work = Files.createTempDirectory("sigmatch-bench");
        try (InMemoryCapture capture = InMemoryCapture.load(file)) {
            final Path snapshot = rules != null ? rules : BenchRules.write(work.resolve("rules"));
            final PipelineConfig shown = new PipelineConfig();
            if (shards > 0) {
                shown.shards(shards);
            }
            if (waitStrategy != null) {
                shown.waitStrategy(waitStrategy);
            }
            shown.conclude();
            ReplayBench.printEnvironment(System.out, capture, file, shown);
            System.out.printf("rules:    %s%n%n", rules != null ? rules : "bench rules (perf/README.md)");
            final ReplayBench bench = new ReplayBench(capture, snapshot, work, shards, waitStrategy, System.out);
            final List<ReplayBench.Phase> phases = new ArrayList<>();
            final ReplayBench.Phase max = bench.max(warmUpLoops, loops);
            phases.add(max);
            System.out.printf(Locale.ROOT, "max: %.0f messages/s over %d loops (%d messages)%n", max.messagesPerSec(),
                loops, max.messages());
            final List<Double> offered = new ArrayList<>();
            if (rates != null) {
                for (final double r : rates) {
                    if (r > 0) {
                        offered.add(r);
                    }
                }
            } else {
                for (final double f : fractions) {
                    offered.add(f * max.messagesPerSec());
                }
            }
            for (int i = 0; i < offered.size(); i++) {
                final String name = rates != null ? String.format(Locale.ROOT, "%.0f/s", offered.get(i))
                    : String.format(Locale.ROOT, "%.0f%%", fractions[i] * 100);
                System.out.printf(Locale.ROOT, "fixed rate %s: %.0f messages/s for %.0f s...%n", name, offered.get(i), seconds);
                final ReplayBench.Phase p = bench.fixedRate(name, offered.get(i), seconds);
                phases.add(p);
                final Path out = Path.of(hgrm + "-" + name.replace("%", "pct").replace("/", "per") + ".hgrm");
                ReplayBench.writeHgrm(out, p.latency());
                System.out.printf("  latency distribution written to %s%n", out);
            }
            System.out.println();
            System.out.println("capture-to-journal latency of journaled matches: at a fixed rate from the frame's intended"
                + " arrival (coordinated omission corrected); at max from the actual publish (queueing in a burst):");
            ReplayBench.printTable(System.out, phases);
        } finally {
            BenchRules.deleteTree(work);
        }
        return 0;
    }
}
