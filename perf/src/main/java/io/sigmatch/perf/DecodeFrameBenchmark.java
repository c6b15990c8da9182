package io.sigmatch.perf;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.DecoderConfig;
import io.sigmatch.decoder.SignalingDecoder;
import io.sigmatch.decoder.dissect.Dissector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The whole decoding stage per frame, from memory: {@link SignalingDecoder}'s dissector (link, IP,
 * UDP, dispatch) and the GTPv2-C decoder with its correlation tables, over every frame of a corpus
 * capture in a loop (capture time shifted per loop, so expiry runs as in a long capture). One op is
 * one frame, whatever it holds (GTPv2-C, other protocols, GTP-U); the messages per frame of the
 * capture are printed at set-up.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DecodeFrameBenchmark {
    @Param({"gtpv2/wiki-GTPV2-Default.pcap", "gtpv2/open5gs-testepc.pcapng"})
    public String capture;

    private InMemoryCapture frames;
    private Dissector dissector;
    private int next;
    private long loop;

    @Setup(Level.Trial)
    public void setUp(final Blackhole bh) throws IOException {
        frames = InMemoryCapture.load(Gtpv2Samples.corpus(capture));
        final Counters counters = new Counters();
        final Gtpv2DecodeBenchmark.FieldSink sink = new Gtpv2DecodeBenchmark.FieldSink();
        sink.bh = bh;
        dissector = new SignalingDecoder(counters, new DecoderConfig(), sink).dissector();
        frames.replay(dissector, loop++);
        System.err.printf("%n%s: %d frames, %d GTPv2-C messages per loop%n", capture, frames.frames(),
            counters.get("decode.gtpv2.messages"));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        frames.close();
    }

    @Benchmark
    public void frame() {
        dissector.onFrame(frames.frame(next, loop));
        if (++next == frames.frames()) {
            next = 0;
            loop++;
        }
    }
}
