package io.sigmatch.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.DecoderConfig;
import io.sigmatch.decoder.SignalingDecoder;
import io.sigmatch.decoder.dissect.Dissector;
import io.sigmatch.journal.JournalConfig;
import io.sigmatch.journal.MatchJournal;
import io.sigmatch.matcher.Pipeline;
import io.sigmatch.matcher.PipelineConfig;
import io.sigmatch.matcher.rules.RuleSet;
import io.sigmatch.matcher.rules.RuleSnapshotParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zero allocation per event on the whole hot path, end to end: a real capture from memory through the
 * dissector, the GTPv2-C decoder and its correlation, publishing into the Disruptor, and on the shard
 * thread filter, lookup, trigger, govern and the Chronicle journal append — each thread's allocation
 * measured with its own counter. The decoder, dissector, publisher and shard each have their own test
 * (Gtpv2AllocationTest, SteadyStateAllocationTest, PipelineTest, MatchStagesTest); this one catches
 * what only the wiring does (a translator, a sink adapter, a counter created per event).
 */
class EndToEndAllocationTest {
    private static final int WARM_UP_LOOPS = 300;
    private static final int LOOPS = 600;
    /** Bytes per event either thread may allocate: Chronicle maps its next 64 MiB block now and then. */
    private static final double BOUND_BYTES_PER_EVENT = 0.5;

    @TempDir
    Path tmp;

    @Test
    void decodePublishMatchAndJournalAllocateNothingPerEvent() throws Exception {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
            "needs HotSpot's per-thread allocation counter");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);

        final Counters counters = new Counters();
        try (InMemoryCapture capture = InMemoryCapture.load(Gtpv2Samples.repo().resolve("pcap-samples/demo/epc-attach.pcapng"));
             RuleSet rules = RuleSnapshotParser.load(BenchRules.write(tmp.resolve("rules")));
             // pre-touch off: its thread is not on the hot path, and page faults are not allocation
             MatchJournal journal = MatchJournal.open(tmp.resolve("journal"), new JournalConfig().pretouchAheadBytes(0));
             Pipeline pipeline = Pipeline.create(new PipelineConfig().shards(1).waitStrategy("yielding"), rules, journal, counters)) {
            pipeline.start();
            final Thread shard = thread("sigmatch-shard-0");
            final Dissector dissector = new SignalingDecoder(counters, new DecoderConfig(), pipeline).dissector();
            final long self = Thread.currentThread().getId();

            long loop = 0;
            for (; loop < WARM_UP_LOOPS; loop++) {
                capture.replay(dissector, loop);
            }
            drain(counters, pipeline);
            final long events0 = counters.get("pipeline.events");
            final long matches0 = counters.get("pipeline.matches");
            final long decode0 = threads.getThreadAllocatedBytes(self);
            final long shard0 = threads.getThreadAllocatedBytes(shard.getId());
            for (; loop < WARM_UP_LOOPS + LOOPS; loop++) {
                capture.replay(dissector, loop);
            }
            final long decodeBytes = threads.getThreadAllocatedBytes(self) - decode0;
            drain(counters, pipeline);
            final long shardBytes = threads.getThreadAllocatedBytes(shard.getId()) - shard0;
            final long events = counters.get("pipeline.events") - events0;
            final long matches = counters.get("pipeline.matches") - matches0;

            System.out.printf("end to end, %d loops: %d events, %d matches journaled; decode thread %d bytes"
                    + " (%.4f/event), shard thread %d bytes (%.4f/event)%n", LOOPS, events, matches, decodeBytes,
                (double) decodeBytes / events, shardBytes, (double) shardBytes / events);
            assertEquals(0, counters.sum("decode.gtpv2.error."), "the capture decodes cleanly");
            assertEquals(0, counters.get("pipeline.errors"));
            assertTrue(events > 10_000, "enough events to see one object per event: " + events);
            // data-session ends fire no rule here; starts and location updates do
            assertTrue(matches > events / 3, "a match journaled for many events: " + matches + " of " + events);
            // one 16-byte object per event would be 16 bytes/event, far above the bound
            assertTrue(decodeBytes < BOUND_BYTES_PER_EVENT * events,
                "decode + publish thread allocated " + decodeBytes + " bytes for " + events + " events");
            assertTrue(shardBytes < BOUND_BYTES_PER_EVENT * events,
                "match + journal thread allocated " + shardBytes + " bytes for " + events + " events");
        }
    }

    /** Waits until the shard has matched everything published (its counters flush at each batch end). */
    private static void drain(final Counters counters, final Pipeline pipeline) throws InterruptedException {
        long last = -1;
        for (int i = 0; i < 2_000; i++) {
            final long now = counters.get("pipeline.events");
            if (now == last && now > 0) {
                return;
            }
            last = now;
            Thread.sleep(10);
        }
        throw new AssertionError("the pipeline did not drain");
    }

    private static Thread thread(final String name) {
        for (final Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no thread " + name);
    }
}
