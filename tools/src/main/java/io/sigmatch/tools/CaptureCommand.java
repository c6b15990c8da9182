package io.sigmatch.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.DecoderConfig;
import io.sigmatch.decoder.SignalingDecoder;
import io.sigmatch.decoder.capture.Frame;
import io.sigmatch.decoder.capture.live.BpfProgram;
import io.sigmatch.decoder.capture.live.LiveCapture;
import io.sigmatch.decoder.capture.live.LiveCaptureConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `sigmatch capture --interface IF`: live capture (AF_PACKET ring, docs/capture.md) decoded to the
 * same JSON Lines as `sigmatch decode`, one object per signaling message; the summary, with the
 * kernel's drop counters, goes to stderr at the end (count, duration or Ctrl-C).
 */
@Command(name = "capture", mixinStandardHelpOptions = true,
    description = "Capture live from a Linux interface (mirror port) and print one JSON object per signaling "
        + "message, as `decode` does. Needs CAP_NET_RAW (see docs/capture.md).")
public final class CaptureCommand implements Callable<Integer> {
    @Option(names = "--interface", required = true, paramLabel = "IF", description = "interface to capture on")
    private String interfaceName;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0", description = "stop after N packets (0: no limit)")
    private long count;

    @Option(names = "--duration", paramLabel = "S", defaultValue = "0", description = "stop after S seconds (0: no limit)")
    private double durationSeconds;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
        description = "capture threads, each with its own decoder; more than 1 spreads flows by PACKET_FANOUT hash")
    private int threads;

    @Option(names = "--filter", paramLabel = "BPF",
        description = "classic BPF program as `tcpdump -ddd` prints it (count, then 'code jt jf k' per instruction, "
            + "comma- or newline-separated), or @FILE holding it")
    private String filter;

    @Option(names = "--no-promiscuous", negatable = false, description = "do not put the interface in promiscuous mode")
    private boolean noPromiscuous;

    @Option(names = "--ring-mib", paramLabel = "MiB", defaultValue = "64",
        description = "ring size per capture thread in MiB (1 MiB blocks; default ${DEFAULT-VALUE})")
    private int ringMib;

    @Mixin
    private DecoderOptions decoderOptions;

    @Override
    public Integer call() throws Exception {
        final LiveCaptureConfig config = new LiveCaptureConfig().interfaceName(interfaceName).threads(threads)
            .maxPackets(count).durationNs((long) (durationSeconds * 1e9)).promiscuous(!noPromiscuous)
            .blockSizeBytes(1 << 20).blockCount(ringMib);
        if (filter != null) {
            config.filter(BpfProgram.parse(filter.startsWith("@") ? Files.readString(Path.of(filter.substring(1))) : filter));
        }
        final DecoderConfig decoderConfig = decoderOptions.toConfig();
        final Counters counters = new Counters();
        final CountDownLatch finished = new CountDownLatch(1);
        final long start = System.nanoTime();
        final long packets;
        try (LiveCapture capture = LiveCapture.open(config, counters)) {
            final Thread onInterrupt = new Thread(() -> {
                capture.stop();
                try {
                    finished.await(2, TimeUnit.SECONDS); // let the threads flush their output
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "sigmatch-capture-stop");
            Runtime.getRuntime().addShutdownHook(onInterrupt);
            try {
                packets = capture.run(i -> worker(counters, decoderConfig));
            } finally {
                finished.countDown();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (final IllegalStateException e) {
                // shutting down already: the hook is running
            }
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        DecodeSummary.print(counters, System.err);
        System.err.printf("captured %d packets on %s in %.3f s (%.0f packets/s); kernel drops %d, queue freezes %d%n",
            packets, interfaceName, seconds, packets / Math.max(seconds, 1e-9), counters.get("capture.live.kernel.drops"),
            counters.get("capture.live.kernel.freeze_queue"));
        return 0;
    }

    /** One capture thread's decoder and output: whole lines per write, so threads never interleave inside a line. */
    private static LiveCapture.Worker worker(final Counters counters, final DecoderConfig config) {
        final DecodeCommand.JsonLinesOut out = new DecodeCommand.JsonLinesOut(System.out);
        final SignalingDecoder decoder = new SignalingDecoder(counters, config, out);
        return new LiveCapture.Worker() {
            @Override
            public void onFrame(final Frame frame) {
                decoder.dissector().onFrame(frame);
            }

            @Override
            public void endOfBatch() {
                try {
                    out.flush();
                } catch (final IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public void finish() {
                decoder.finish();
                try {
                    out.close();
                } catch (final IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
    }
}
