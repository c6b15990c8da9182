package io.sigmatch.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.capture.CaptureFileReader;
import io.sigmatch.decoder.capture.Frame;
import io.sigmatch.decoder.gtpv2.Gtpv2Config;
import io.sigmatch.decoder.gtpv2.Gtpv2Decoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pieces the benchmarks stand on: if one of these is wrong, a figure measures the wrong thing. */
class HarnessPartsTest {
    @TempDir
    Path tmp;

    @Test
    void theFullUliVariantDecodesEveryLocationForm() throws Exception {
        final Gtpv2Samples.Sample csr = Gtpv2Samples.first(Gtpv2Samples.corpus("gtpv2/ndpi-gtp_c.pcap"),
            Gtpv2Samples.CREATE_SESSION_REQUEST);
        final byte[] full = Gtpv2Samples.withFullUli(csr.payload());
        // the original ULI (flags + TAI + ECGI = 13 octets) became flags + 38 octets
        assertEquals(csr.payload().length + 38 + 1 - 13, full.length);
        final Counters counters = new Counters();
        final SignalingMessage[] seen = {null};
        new Gtpv2Decoder(counters, new Gtpv2Config()).decode(csr.packet(), Unpooled.wrappedBuffer(full), 0, full.length,
            new MessageSink() {
                @Override
                public void onMessage(final SignalingMessage m) {
                    seen[0] = new SignalingMessage().copyFrom(m);
                }
            });
        assertEquals(0, counters.sum("decode.gtpv2.error."));
        final SignalingMessage m = seen[0];
        assertEquals(32, m.messageType());
        assertTrue(m.has(SignalingMessage.IMSI), "the rest of the message is intact");
        assertEquals(0x2A3B, m.tac());
        assertEquals(0x1A2B3C4, m.eci());
        assertEquals(0x1234, m.lac());
        assertTrue(m.has(SignalingMessage.CI) && m.has(SignalingMessage.SAC), "CGI and SAI read: " + m);
    }

    @Test
    void aLoopedCaptureHoldsTheFramesAgainWithTimeMovingOn() throws Exception {
        final Path out = tmp.resolve("looped.pcap");
        try (InMemoryCapture c = InMemoryCapture.load(Gtpv2Samples.corpus("gtpv2/wiki-GTPV2-Default.pcap"))) {
            assertEquals(10, c.frames());
            final long[] written = LoopCaptureCommand.write(c, 25, out);
            assertEquals(25, written[0]);
            assertEquals(0, written[1]);
        }
        final long[] last = {Long.MIN_VALUE, 0};
        try (CaptureFileReader r = CaptureFileReader.open(out, new Counters())) {
            r.readAll((Frame f) -> {
                assertTrue(f.timeNs > last[0], "capture time moves forward at frame " + f.number);
                last[0] = f.timeNs;
                last[1]++;
            });
        }
        assertEquals(25, last[1]);
    }

    @Test
    void theCaptureClockAnswersTheIntendedTimeOnTheCaptureThreadOnly() throws Exception {
        final CaptureClock clock = new CaptureClock();
        clock.captureThread(Thread.currentThread());
        clock.intended(42);
        assertEquals(42, clock.nanoTime());
        final long[] other = {0};
        final Thread t = new Thread(() -> other[0] = clock.nanoTime());
        t.start();
        t.join();
        assertTrue(other[0] > 42, "another thread reads the real clock");
        clock.captureThread(null);
        assertTrue(clock.nanoTime() > 42);
    }

    @Test
    void theHarnessRunsBothPhasesAndMeasuresEveryJournaledMatch() throws Exception {
        try (InMemoryCapture c = InMemoryCapture.load(Gtpv2Samples.repo().resolve("pcap-samples/demo/epc-attach.pcapng"))) {
            final ReplayBench bench = new ReplayBench(c, BenchRules.write(tmp.resolve("rules")), tmp, 1, "blocking", System.out);
            final ReplayBench.Phase max = bench.max(5, 20);
            assertEquals(20 * 186, max.messages(), "186 GTPv2-C messages per loop of the demo capture");
            assertTrue(max.matches() > 0 && max.messagesPerSec() > 0);
            assertEquals(max.matches(), max.latency().getTotalCount(), "a latency for every match");
            final ReplayBench.Phase fixed = bench.fixedRate("test", 20_000, 0.3);
            assertTrue(fixed.matches() > 0);
            // the counters flush per batch, so at the end of warm-up they may lag the histogram by a batch
            assertTrue(Math.abs(fixed.matches() - fixed.latency().getTotalCount()) <= fixed.matches() / 10,
                fixed.matches() + " matches, " + fixed.latency().getTotalCount() + " latencies");
            assertTrue(Math.abs(fixed.messagesPerSec() - 20_000) < 4_000, "offered rate kept: " + fixed.messagesPerSec());
            ReplayBench.writeHgrm(tmp.resolve("t.hgrm"), fixed.latency());
            assertTrue(java.nio.file.Files.readString(tmp.resolve("t.hgrm")).contains("Percentile"));
        }
    }
}
