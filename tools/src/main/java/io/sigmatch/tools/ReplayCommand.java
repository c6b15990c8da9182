package io.sigmatch.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.SignalingDecoder;
import io.sigmatch.decoder.capture.LoopIdentityShift;
import io.sigmatch.decoder.capture.LoopTimeShift;
import io.sigmatch.decoder.capture.MergedCaptureReader;
import io.sigmatch.decoder.capture.ReplayPacer;
import io.sigmatch.journal.MatchJournal;
import io.sigmatch.matcher.Pipeline;
import io.sigmatch.matcher.PipelineConfig;
import io.sigmatch.matcher.rules.RuleSet;
import io.sigmatch.matcher.rules.RuleSnapshotParser;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `sigmatch replay FILE... --rules SNAPSHOT.json --journal DIR [--speed X] [--loop N]` (DESIGN §12). */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Run the whole pipeline (decode, correlate, match, journal) over captures in capture-time order.")
public final class ReplayCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "pcap or pcapng captures, merged by capture time")
    private List<Path> files;

    @Option(names = "--rules", required = true, paramLabel = "SNAPSHOT.json",
        description = "rule snapshot (DESIGN §13); its lists and areas are read relative to it")
    private Path rules;

    @Option(names = "--journal", required = true, paramLabel = "DIR", description = "journal directory (created 0700)")
    private Path journal;

    @Option(names = "--speed", paramLabel = "X", defaultValue = "0",
        description = "replay at X times the recorded rate; 0 (default) means as fast as possible")
    private double speed;

    @Option(names = "--shards", paramLabel = "N", description = "match shards (default: sigmatch.pipeline.shards or 1)")
    private Integer shards;

    @Option(names = "--loop", paramLabel = "N", defaultValue = "1",
        description = "replay the captures N times; loop k > 0 shifts every IMSI, MSISDN and IMEI by k "
            + "(subscriber digits only, PLMN and TAC kept; docs/capture.md) and starts 60 s of capture time "
            + "after the previous loop")
    private int loops;

    @Mixin
    private DecoderOptions decoderOptions;

    @Override
    public Integer call() throws Exception {
        if (loops < 1) {
            throw new IllegalArgumentException("--loop must be at least 1: " + loops);
        }
        final Summary summary = replay(files, rules, journal, speed, shards, decoderOptions, loops);
        summary.print(System.err);
        return 0;
    }

    /** What a replay did, for the stderr summary and for the demo. */
    record Summary(Counters counters, long frames, long nanos, Histogram latency) {
        void print(final PrintStream err) {
            DecodeSummary.print(counters, err);
            final double seconds = nanos / 1e9;
            err.printf("replayed %d frames in %.3f s; procedures %d, matches %d, pipeline errors %d%n", frames, seconds,
                counters.get("pipeline.events"), counters.get("pipeline.matches"), counters.get("pipeline.errors"));
            if (latency.getTotalCount() > 0) {
                err.printf("capture-to-journal latency: p50 %.1f us, p99 %.1f us, max %.1f us%n",
                    latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(99) / 1e3,
                    latency.getMaxValue() / 1e3);
            }
        }
    }

    static Summary replay(final List<Path> files, final Path rules, final Path journalDir, final double speed,
        final Integer shards, final DecoderOptions decoderOptions) throws Exception {
        return replay(files, rules, journalDir, speed, shards, decoderOptions, 1);
    }

    static Summary replay(final List<Path> files, final Path rules, final Path journalDir, final double speed,
        final Integer shards, final DecoderOptions decoderOptions, final int loops) throws Exception {
        for (final Path f : files) {
            if (!Files.isReadable(f)) {
                throw new IOException("cannot read " + f);
            }
        }
        final Counters counters = new Counters();
        final PipelineConfig config = new PipelineConfig();
        if (shards != null) {
            config.shards(shards);
        }
        final long start = System.nanoTime();
        final long frames;
        final Histogram latency;
        try (RuleSet ruleSet = RuleSnapshotParser.load(rules);
             MatchJournal journal = MatchJournal.open(journalDir);
             Pipeline pipeline = Pipeline.create(config, ruleSet, journal, counters)) {
            pipeline.start();
            if (loops == 1) {
                final SignalingDecoder decoder = new SignalingDecoder(counters, decoderOptions.toConfig(), pipeline);
                frames = decoder.decodeFiles(files, speed);
                decoder.finish();
            } else {
                // Each loop is the capture again with other subscribers: identities shifted on the
                // decoded messages, capture time moved on past the previous loop. One decoder for all
                // loops (its tables hold unshifted identities, so what it resolves is shifted alike).
                final LoopIdentityShift identities = new LoopIdentityShift(pipeline);
                final SignalingDecoder decoder = new SignalingDecoder(counters, decoderOptions.toConfig(), identities);
                long n = 0;
                long timeOffset = 0;
                for (int k = 0; k < loops; k++) {
                    identities.loop(k);
                    final LoopTimeShift time = new LoopTimeShift(decoder.dissector(), timeOffset);
                    try (MergedCaptureReader reader = MergedCaptureReader.open(files, counters)) {
                        n += reader.readAll(speed > 0 ? new ReplayPacer(time, speed) : time);
                    }
                    // What this pass left pending completes now, with this loop's identities.
                    decoder.finish();
                    timeOffset = time.nextLoopOffsetNs();
                }
                frames = n;
            }
            pipeline.close();
            latency = pipeline.latencyHistogram();
        }
        return new Summary(counters, frames, System.nanoTime() - start, latency);
    }
}
