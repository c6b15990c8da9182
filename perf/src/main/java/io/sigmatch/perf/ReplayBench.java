package io.sigmatch.perf;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.DecoderConfig;
import io.sigmatch.decoder.SignalingDecoder;
import io.sigmatch.decoder.dissect.Dissector;
import io.sigmatch.journal.MatchJournal;
import io.sigmatch.matcher.Pipeline;
import io.sigmatch.matcher.PipelineConfig;
import io.sigmatch.matcher.rules.RuleSet;
import io.sigmatch.matcher.rules.RuleSnapshotParser;
import org.HdrHistogram.Histogram;

/**
 * The replay harness: a capture held in memory pushed through the real pipeline — dissect, decode,
 * correlate ({@link SignalingDecoder}), publish and match ({@link Pipeline}), journal (Chronicle
 * Queue, {@link MatchJournal}) — wired as {@code sigmatch replay} wires it, looped with capture time
 * shifted per loop.
 *
 * <ol>
 * <li><b>Max</b>: as fast as the capture thread can go, for warm-up loops and then measured loops;
 * the rate is messages decoded over the time from the first measured frame to the moment the
 * pipeline has matched and journaled the last event.</li>
 * <li><b>Fixed rates</b>: frames offered on an even schedule at a fraction of that rate (or at given
 * rates); capture-to-journal latency of every journaled match is recorded from the frame's intended
 * arrival time ({@link CaptureClock}), which corrects coordinated omission; one second of warm-up at
 * the rate is discarded.</li>
 * </ol>
 */
public final class ReplayBench {
    /** What one phase measured. */
    public record Phase(String name, double offeredMsgsPerSec, double messagesPerSec, long messages, long events,
        long matches, Histogram latency) {
    }

    private final InMemoryCapture capture;
    private final Path rules;
    private final Path work;
    private final int shards;
    private final String waitStrategy;
    private final PrintStream out;

    public ReplayBench(final InMemoryCapture capture, final Path rules, final Path work, final int shards,
        final String waitStrategy, final PrintStream out) {
        this.capture = capture;
        this.rules = rules;
        this.work = work;
        this.shards = shards;
        this.waitStrategy = waitStrategy;
        this.out = out;
    }

    /** One wired pipeline over a fresh journal, started; closed by the caller in reverse order. */
    private final class Rig implements AutoCloseable {
        final Counters counters = new Counters();
        final CaptureClock clock = new CaptureClock();
        final RuleSet ruleSet;
        final MatchJournal journal;
        final Pipeline pipeline;
        final SignalingDecoder decoder;
        final Dissector dissector;
        final Publisher publisher;

        Rig(final String name) throws Exception {
            ruleSet = RuleSnapshotParser.load(rules);
            journal = MatchJournal.open(work.resolve("journal-" + name));
            final PipelineConfig config = new PipelineConfig().nanoClock(clock);
            if (shards > 0) {
                config.shards(shards);
            }
            if (waitStrategy != null) {
                config.waitStrategy(waitStrategy);
            }
            pipeline = Pipeline.create(config, ruleSet, journal, counters);
            pipeline.start();
            publisher = new Publisher(pipeline);
            decoder = new SignalingDecoder(counters, new DecoderConfig(), publisher);
            dissector = decoder.dissector();
        }

        /** Signaling messages decoded, every protocol ({@code decode.<proto>.messages}). */
        long messages() {
            final long[] sum = {0};
            counters.forEach((label, value) -> {
                if (label.startsWith("decode.") && label.endsWith(".messages")) {
                    sum[0] += value;
                }
            });
            return sum[0];
        }

        /** Waits until the shards have matched every procedure published so far (counts flush per batch). */
        void drain() throws InterruptedException {
            final long deadline = System.nanoTime() + 60_000_000_000L;
            while (counters.get("pipeline.events") < publisher.procedures && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
        }

        @Override
        public void close() throws IOException {
            pipeline.close();
            journal.close();
            ruleSet.close();
            BenchRules.deleteTree(journal.directory());
        }
    }

    /** Phase 1: as fast as possible. */
    public Phase max(final int warmUpLoops, final int loops) throws Exception {
        final Rig rig = new Rig("max");
        try {
            long loop = 0;
            for (; loop < warmUpLoops; loop++) {
                capture.replay(rig.dissector, loop);
            }
            rig.drain();
            final Histogram before = rig.pipeline.latencyHistogram();
            final long m0 = rig.messages();
            final long e0 = rig.counters.get("pipeline.events");
            final long x0 = rig.counters.get("pipeline.matches");
            final long start = System.nanoTime();
            for (int i = 0; i < loops; i++, loop++) {
                capture.replay(rig.dissector, loop);
            }
            rig.decoder.finish();
            rig.pipeline.close();                    // returns once every published event is matched
            final long nanos = System.nanoTime() - start;
            final long messages = rig.messages() - m0;
            final Histogram latency = rig.pipeline.latencyHistogram();
            latency.subtract(before);
            return new Phase("max", 0, messages * 1e9 / nanos, messages,
                rig.counters.get("pipeline.events") - e0, rig.counters.get("pipeline.matches") - x0, latency);
        } finally {
            rig.close();
        }
    }

    /** Phase 2: frames offered evenly at msgsPerSec (messages), for seconds after 1 s of warm-up. */
    public Phase fixedRate(final String name, final double msgsPerSec, final double seconds) throws Exception {
        final Rig rig = new Rig(name);
        try {
            // messages per frame of this capture in steady state, from the second of two unmeasured
            // loops: a TCP stream replayed again is a retransmission to the reassembler, so the first
            // loop decodes more messages (its Diameter over TCP) than every later one
            capture.replay(rig.dissector, 0);
            rig.drain();
            final long firstLoop = rig.messages();
            capture.replay(rig.dissector, 0);
            rig.drain();
            final double messagesPerFrame = (double) Math.max(1, rig.messages() - firstLoop) / capture.frames();
            final double frameIntervalNs = 1e9 * messagesPerFrame / msgsPerSec;
            final long warmUpFrames = (long) (1e9 / frameIntervalNs);
            final long frames = warmUpFrames + (long) (seconds * 1e9 / frameIntervalNs);
            rig.clock.captureThread(Thread.currentThread());
            final int n = capture.frames();
            long loop = 1;
            int i = 0;
            Histogram before = null;
            long m0 = 0;
            long e0 = 0;
            long x0 = 0;
            long measuredStart = 0;
            final long start = System.nanoTime() + 1_000_000;
            for (long k = 0; k < frames; k++) {
                if (k == warmUpFrames) {
                    before = rig.pipeline.latencyHistogram();
                    m0 = rig.messages();
                    e0 = rig.counters.get("pipeline.events");
                    x0 = rig.counters.get("pipeline.matches");
                    measuredStart = System.nanoTime();
                }
                final long intended = start + (long) (k * frameIntervalNs);
                while (System.nanoTime() < intended) {
                    Thread.onSpinWait();
                }
                rig.clock.intended(intended);
                rig.dissector.onFrame(capture.frame(i, loop));
                if (++i == n) {
                    i = 0;
                    loop++;
                }
            }
            rig.clock.captureThread(null);
            rig.pipeline.close();
            final long nanos = System.nanoTime() - measuredStart;
            final Histogram latency = rig.pipeline.latencyHistogram();
            latency.subtract(before);
            final long messages = rig.messages() - m0;
            return new Phase(name, msgsPerSec, messages * 1e9 / nanos, messages, rig.counters.get("pipeline.events") - e0,
                rig.counters.get("pipeline.matches") - x0, latency);
        } finally {
            rig.close();
        }
    }

    /** Counts the procedures it hands to the pipeline, so a phase can wait for the shards to catch up. */
    private static final class Publisher implements io.sigmatch.decoder.MessageSink {
        private final Pipeline pipeline;
        /** Read only by the capture thread, which writes it. */
        long procedures;

        Publisher(final Pipeline pipeline) {
            this.pipeline = pipeline;
        }

        @Override
        public void onMessage(final io.sigmatch.decoder.SignalingMessage message) {
        }

        @Override
        public void onProcedure(final io.sigmatch.decoder.SignalingMessage procedure) {
            pipeline.onProcedure(procedure);
            procedures++;
        }
    }

    // ---- reporting ----------------------------------------------------------------------------------

    public static void printEnvironment(final PrintStream out, final InMemoryCapture capture, final Path file,
        final PipelineConfig config) {
        out.printf("capture:  %s (%d frames, %d bytes, held in memory)%n", file, capture.frames(), capture.bytes());
        out.printf("JDK:      %s %s (%s)%n", System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
            System.getProperty("java.home"));
        out.printf("JVM args: %s%n", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        out.printf("heap:     max %d MiB; GC %s%n", Runtime.getRuntime().maxMemory() >> 20,
            String.join(", ", ManagementFactory.getGarbageCollectorMXBeans().stream().map(b -> b.getName()).toList()));
        out.printf("CPU:      %s, %d cores available to the JVM; load average %s%n", cpuModel(),
            Runtime.getRuntime().availableProcessors(), loadAverage());
        out.printf("pipeline: %d shard(s), wait strategy %s, ring %d slots; journal %s%n", config.shards(),
            config.waitStrategy(), config.ringSize(), "Chronicle Queue, default JournalConfig (64 MiB blocks, pre-touch on)");
    }

    static String cpuModel() {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (final IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    static String loadAverage() {
        try {
            final String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (final IOException | RuntimeException e) {
            return "n/a";
        }
    }

    public static void printTable(final PrintStream out, final Iterable<Phase> phases) {
        out.printf("%-12s %14s %14s %10s %10s %10s %10s %10s %10s %10s %10s%n", "phase", "offered msg/s", "achieved msg/s",
            "messages", "events", "matches", "p50 us", "p99 us", "p99.9 us", "p99.99 us", "max us");
        for (final Phase p : phases) {
            final Histogram h = p.latency();
            final boolean lat = h.getTotalCount() > 0;
            out.printf(Locale.ROOT, "%-12s %14s %14.0f %10d %10d %10d %10s %10s %10s %10s %10s%n", p.name(),
                p.offeredMsgsPerSec() > 0 ? String.format(Locale.ROOT, "%.0f", p.offeredMsgsPerSec()) : "max",
                p.messagesPerSec(), p.messages(), p.events(), p.matches(),
                lat ? us(h.getValueAtPercentile(50)) : "-", lat ? us(h.getValueAtPercentile(99)) : "-",
                lat ? us(h.getValueAtPercentile(99.9)) : "-", lat ? us(h.getValueAtPercentile(99.99)) : "-",
                lat ? us(h.getMaxValue()) : "-");
        }
    }

    private static String us(final long ns) {
        return String.format(Locale.ROOT, "%.1f", ns / 1e3);
    }

    /** HdrHistogram's percentile distribution, values in microseconds (plotted by HdrHistogram's plotter). */
    public static void writeHgrm(final Path file, final Histogram h) throws IOException {
        try (PrintStream p = new PrintStream(Files.newOutputStream(file), false, "US-ASCII")) {
            h.outputPercentileDistribution(p, 1000.0);
        }
    }
}
