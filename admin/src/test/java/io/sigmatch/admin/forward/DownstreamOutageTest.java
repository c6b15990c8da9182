package io.sigmatch.admin.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.sigmatch.admin.PrometheusText;
import io.sigmatch.admin.Telemetry;
import io.sigmatch.decoder.Counters;
import io.sigmatch.journal.MatchAppender;
import io.sigmatch.journal.MatchJournal;
import io.sigmatch.journal.MatchRecord;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8: the downstream is down for a long time (here: answers 503 for seconds, the forwarder's backoff
 * capped at 200 ms so that the test sees many retries). The forwarder keeps retrying on its own thread;
 * journal appends go on at their pace, never waiting for it; the lag (records and seconds) grows and is
 * on /metrics; when the downstream returns, delivery catches up with every match exactly once (no
 * batch was acknowledged during the outage, so there is nothing to duplicate).
 */
class DownstreamOutageTest {
    private static final int RECORDS = 20_000;
    private static final int PER_TICK = 1_000;
    private static final long TICK_MS = 100;

    @TempDir
    Path tmp;

    /** Appends RECORDS records in ticks of PER_TICK every TICK_MS, recording each append's latency. */
    private static Histogram appendPaced(final MatchJournal journal, final int from) throws InterruptedException {
        final Histogram h = new Histogram(3);
        final MatchRecord r = new MatchRecord();
        try (MatchAppender a = journal.newAppender(SystemNanoClock.INSTANCE)) {
            long next = System.nanoTime();
            for (int i = from; i < from + RECORDS; i++) {
                Journals.record(r, i);
                final long t0 = System.nanoTime();
                a.append(r, t0);
                h.recordValue(System.nanoTime() - t0);
                if ((i + 1) % PER_TICK == 0) {
                    next += TimeUnit.MILLISECONDS.toNanos(TICK_MS);
                    final long wait = next - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
            }
        }
        return h;
    }

    private static String summary(final Histogram h) {
        return String.format("p50 %.1f µs, p99 %.1f µs, p99.9 %.1f µs, max %.1f µs", h.getValueAtPercentile(50) / 1e3,
            h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3);
    }

    private static long bytes(final Path dir) throws java.io.IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    @Test
    void aLongOutageGrowsTheLagVisiblyLeavesAppendsAloneAndCatchesUpWhenTheDownstreamReturns() throws Exception {
        final Counters counters = new Counters();
        final Path journalDir = tmp.resolve("journal");
        try (MatchJournal journal = MatchJournal.open(journalDir, Journals.config());
             TestWebhook hook = new TestWebhook()) {
            // baseline: the same paced appends with no forwarder at all
            final Histogram alone = appendPaced(journal, 0);
            hook.status = () -> 503;
            final ForwarderConfig c = ForwarderConfig.webhook("crm", hook.uri()).batchSize(500).lingerMs(5)
                .backoffMs(20, 200).cursorFile(tmp.resolve("forward/crm.cursor")).conclude();
            final Telemetry telemetry = new Telemetry(counters, null);
            final Histogram during;
            final long outageStart = System.nanoTime();
            try (Forwarders forwarders = new Forwarders(List.of(c), journalDir, counters).register(telemetry)) {
                forwarders.start();
                final Forwarder f = forwarders.list().get(0);
                during = appendPaced(journal, RECORDS);
                Thread.sleep(400);                          // a lag refresh (every 200 ms) after the last append
                final long lagRecords = f.lagRecords();
                final double lagSeconds = f.lagSeconds();
                final String metrics = PrometheusText.render(telemetry, null, null);
                final long retries = counters.get("forward.crm.retries");
                final long journalBytes = bytes(journalDir);
                System.out.printf("outage %.1f s: lag %d records, %.0f s of capture time, %d retries (%d x 503), journal %d "
                    + "bytes on disk%nappends alone: %s%nappends during the outage: %s%n",
                    (System.nanoTime() - outageStart) / 1e9, lagRecords, lagSeconds, retries,
                    counters.get("forward.crm.error.status_503"), journalBytes, summary(alone), summary(during));
                assertEquals(2L * RECORDS, lagRecords, "everything journaled is behind");
                assertEquals(2 * RECORDS - 1, lagSeconds, 1e-6, "capture time from the first record to the newest");
                assertTrue(metrics.contains("sigmatch_forward_crm_lag_records " + 2 * RECORDS + "\n"), metrics);
                assertTrue(metrics.contains("sigmatch_forward_crm_lag_seconds "), metrics);
                assertTrue(metrics.contains("sigmatch_forward_errors_total{component=\"crm\",reason=\"status_503\"}"), metrics);
                assertTrue(retries >= 10, "kept retrying: " + retries);
                assertEquals(0, counters.get("forward.crm.records"));
                // appends never waited for the forwarder: the tail is within a few ms, as it is without one (on a
                // machine loaded by other builds the tail without a forwarder is itself tens of ms: compare with it)
                assertTrue(during.getValueAtPercentile(99.9) < Math.max(TimeUnit.MILLISECONDS.toNanos(5),
                    4 * alone.getValueAtPercentile(99.9)), summary(alone) + " / " + summary(during));
                assertTrue(during.getValueAtPercentile(99) < Math.max(TimeUnit.MILLISECONDS.toNanos(1),
                    10 * alone.getValueAtPercentile(99)), summary(alone) + " / " + summary(during));

                // the downstream returns
                hook.status = () -> 200;
                final long back = System.nanoTime();
                final long deadline = back + TimeUnit.SECONDS.toNanos(30);
                while (f.cursorIndex() < journal.lastIndex() && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                final double catchUp = (System.nanoTime() - back) / 1e9;
                Thread.sleep(250);
                System.out.printf("caught up %d records in %.2f s after the downstream returned (%.0f records/s, backoff "
                    + "wait included); lag now %d%n", 2 * RECORDS, catchUp, 2 * RECORDS / catchUp, f.lagRecords());
                assertEquals(journal.lastIndex(), f.cursorIndex());
                assertEquals(0, f.lagRecords());
                assertEquals(0.0, f.lagSeconds());
            }
            assertEquals(Journals.lines(journalDir), hook.acknowledgedLines(), "every match exactly once, in journal order");
            assertEquals(2L * RECORDS, counters.get("forward.crm.records"));
        }
    }
}
