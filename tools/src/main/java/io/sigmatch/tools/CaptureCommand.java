package io.sigmatch.tools;

import java.io.IOException;
import java.net.InetSocketAddress;
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
import io.sigmatch.decoder.capture.live.VxlanSocketReceiver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `sigmatch capture --interface IF`: live capture (AF_PACKET ring, docs/capture.md) decoded to the
 * same JSON Lines as `sigmatch decode`, one object per signaling message; the summary, with the
 * kernel's drop counters, goes to stderr at the end (count, duration or Ctrl-C).
 */
@Command(name = "capture", mixinStandardHelpOptions = true,
    description = "Capture live from a Linux interface (mirror port), or receive VXLAN on a UDP port, and print one "
        + "JSON object per signaling message, as `decode` does. An interface needs CAP_NET_RAW (see docs/capture.md).")
public final class CaptureCommand implements Callable<Integer> {
    @Option(names = "--interface", paramLabel = "IF", description = "interface to capture on (AF_PACKET ring)")
    private String interfaceName;

    @Option(names = "--vxlan-listen", paramLabel = "[HOST:]PORT",
        description = "instead of an interface: receive VXLAN (RFC 7348) on this UDP port through Netty epoll and "
            + "decode the inner frames (a switch or cloud traffic mirror sending to a collector); no capability needed")
    private String vxlanListen;

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
        if ((interfaceName == null) == (vxlanListen == null)) {
            throw new IllegalArgumentException("give exactly one of --interface IF and --vxlan-listen [HOST:]PORT");
        }
        if (vxlanListen != null) {
            return vxlan();
        }
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

    /** VXLAN on a UDP socket: one event-loop thread, one decoder; stops at --count, --duration or Ctrl-C. */
    private int vxlan() throws Exception {
        final int colon = vxlanListen.lastIndexOf(':');
        final String host = colon < 0 ? "0.0.0.0" : vxlanListen.substring(0, colon);
        final int port = Integer.parseInt(vxlanListen.substring(colon + 1));
        final DecoderConfig decoderConfig = decoderOptions.toConfig();
        final Counters counters = new Counters();
        final CountDownLatch done = new CountDownLatch(1);
        final long start = System.nanoTime();
        final LiveCapture.Worker inner = worker(counters, decoderConfig);
        final long limit = count;
        final VxlanSocketReceiver receiver = VxlanSocketReceiver.open(new InetSocketAddress(host, port), () ->
            new LiveCapture.Worker() {
                private long n;

                @Override
                public void onFrame(final Frame frame) {
                    if (limit == 0 || n < limit) {
                        inner.onFrame(frame);
                        if (++n == limit) {
                            done.countDown();
                        }
                    }
                }

                @Override
                public void endOfBatch() {
                    inner.endOfBatch();
                }

                @Override
                public void finish() {
                    inner.finish();
                }
            }, counters);
        final Thread onInterrupt = new Thread(done::countDown, "sigmatch-vxlan-stop");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            if (durationSeconds > 0) {
                done.await((long) (durationSeconds * 1e9), TimeUnit.NANOSECONDS);
            } else {
                done.await();
            }
        } finally {
            receiver.close();
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (final IllegalStateException e) {
                // shutting down already
            }
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        DecodeSummary.print(counters, System.err);
        System.err.printf("received %d VXLAN datagrams on %s in %.3f s; bad headers %d%n",
            counters.get("capture.vxlan_socket.datagrams"), vxlanListen, seconds,
            counters.get("capture.vxlan_socket.error.truncated") + counters.get("capture.vxlan_socket.error.bad_flags"));
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
