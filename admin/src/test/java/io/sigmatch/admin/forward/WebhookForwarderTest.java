package io.sigmatch.admin.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.sigmatch.decoder.Counters;
import io.sigmatch.journal.ForwarderCursor;
import io.sigmatch.journal.MatchJournal;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook forwarder driven by doWork() with a stub clock against a real HTTP server on loopback:
 * batching by size and linger, the JSON lines and headers, retries with backoff, the cursor, the
 * per-rule counters and the lag.
 */
class WebhookForwarderTest {
    private static final long MS = 1_000_000L;

    @TempDir
    Path tmp;

    private final Counters counters = new Counters();
    private final CachedNanoClock clock = new CachedNanoClock();

    private ForwarderConfig config(final TestWebhook hook) {
        return ForwarderConfig.webhook("crm", hook.uri()).batchSize(10).lingerMs(50).backoffMs(100, 1_000)
            .auth("Authorization", "Bearer s3cret").cursorFile(tmp.resolve("data/forward/crm.cursor")).conclude();
    }

    private Forwarder forwarder(final ForwarderConfig c) throws Exception {
        final Forwarder f = new Forwarder(c, tmp.resolve("journal"), Forwarders.downstream(c), counters, clock);
        f.open();
        return f;
    }

    @Test
    void batchesOfJsonLinesBySizeAndLingerAdvanceTheCursorOnlyWhenAcknowledged() throws Exception {
        clock.update(1_000 * MS);
        try (MatchJournal journal = MatchJournal.open(tmp.resolve("journal"), Journals.config());
             TestWebhook hook = new TestWebhook()) {
            Journals.append(journal, 0, 25);
            final List<String> journaled = Journals.lines(tmp.resolve("journal"));
            final Forwarder f = forwarder(config(hook));
            try {
                assertEquals(25, f.lagRecords());
                assertEquals(24.0, f.lagSeconds(), 1e-9, "capture time from the first record to the newest");
                f.doWork();                                 // 10 read, full: sent
                f.doWork();                                 // 10 more, full: sent
                assertEquals(2, hook.posts.size());
                f.doWork();                                 // the last 5: the batch lingers
                assertEquals(2, hook.posts.size());
                clock.advance(49 * MS);
                f.doWork();
                assertEquals(2, hook.posts.size(), "lingers 50 ms");
                assertEquals(5, f.lagRecords());
                clock.advance(1 * MS);
                f.doWork();
                assertEquals(3, hook.posts.size());
                assertEquals(journaled, hook.acknowledgedLines(), "every match once, in journal order, as sigmatch journal prints it");
                for (final TestWebhook.Post p : hook.posts) {
                    assertEquals("application/x-ndjson", p.contentType());
                    assertEquals("Bearer s3cret", p.auth());
                }
                assertEquals(List.of(10, 10, 5), hook.posts.stream().map(p -> p.lines().size()).toList());
                assertEquals(0, f.lagRecords());
                assertEquals(0.0, f.lagSeconds());
                assertEquals(25, counters.get("forward.crm.records"));
                assertEquals(3, counters.get("forward.crm.batches"));
                // rules r-0, r-1, r-2 take every third match: 9, 8, 8
                assertEquals(9, counters.get("rule.r-0.forwarded"));
                assertEquals(9, counters.get("rule.r-0.acknowledged"));
                assertEquals(8, counters.get("rule.r-2.acknowledged"));
                final long cursor = ForwarderCursor.open(tmp.resolve("data/forward/crm.cursor")).index();
                assertEquals(f.cursorIndex(), cursor);
                // more records later: only they are sent
                Journals.append(journal, 25, 27);
                clock.advance(500 * MS);
                f.doWork();
                clock.advance(50 * MS);
                f.doWork();
                assertEquals(4, hook.posts.size());
                assertEquals(2, hook.posts.stream().skip(3).findFirst().orElseThrow().lines().size());
            } finally {
                f.onClose();
            }
        }
    }

    @Test
    void aFailedBatchIsRetriedWholeAfterABackoffWithJitterAndNothingIsSkipped() throws Exception {
        clock.update(1_000 * MS);
        try (MatchJournal journal = MatchJournal.open(tmp.resolve("journal"), Journals.config());
             TestWebhook hook = new TestWebhook()) {
            Journals.append(journal, 0, 10);
            final AtomicInteger calls = new AtomicInteger();
            hook.status = () -> calls.incrementAndGet() <= 2 ? 503 : 200;
            final Forwarder f = forwarder(config(hook));
            try {
                f.doWork();                                 // attempt 1: 503
                assertEquals(1, calls.get());
                f.doWork();
                assertEquals(1, calls.get(), "no retry before the backoff");
                clock.advance(49 * MS);                     // first backoff is in [50, 100] ms
                f.doWork();
                assertEquals(1, calls.get());
                clock.advance(51 * MS);
                f.doWork();                                 // attempt 2: 503, next backoff in [100, 200] ms
                assertEquals(2, calls.get());
                clock.advance(99 * MS);
                f.doWork();
                assertEquals(2, calls.get());
                clock.advance(101 * MS);
                f.doWork();                                 // attempt 3: 200
                assertEquals(3, calls.get());
                assertTrue(f.cursorIndex() > ForwarderCursor.NONE);
                assertEquals(2, counters.get("forward.crm.error.status_503"));
                assertEquals(2, counters.get("forward.crm.retries"));
                // forwarded counts the first send only; acknowledged once
                assertEquals(4, counters.get("rule.r-0.forwarded"));
                assertEquals(4, counters.get("rule.r-0.acknowledged"));
                final List<TestWebhook.Post> posts = List.copyOf(hook.posts);
                assertEquals(posts.get(0).lines(), posts.get(2).lines(), "the same batch, whole");
                assertEquals(Journals.lines(tmp.resolve("journal")), hook.acknowledgedLines());
            } finally {
                f.onClose();
            }
        }
    }

    @Test
    void backoffDoublesToItsCapWithJitterInTheUpperHalf() throws Exception {
        try (MatchJournal journal = MatchJournal.open(tmp.resolve("journal"), Journals.config());
             TestWebhook hook = new TestWebhook()) {
            final Forwarder f = forwarder(config(hook));
            try {
                for (int attempt = 1; attempt <= 80; attempt++) {
                    final long d = Math.min(1_000, 100L << Math.min(attempt - 1, 20)) * MS;
                    for (int k = 0; k < 50; k++) {
                        final long b = f.backoffNanos(attempt);
                        assertTrue(b >= d / 2 && b <= d, "attempt " + attempt + ": " + b);
                    }
                }
            } finally {
                f.onClose();
            }
        }
    }

    @Test
    void aRestartResumesAfterTheCursorAndARefusedConnectionIsCountedAndRetried() throws Exception {
        clock.update(1_000 * MS);
        try (MatchJournal journal = MatchJournal.open(tmp.resolve("journal"), Journals.config());
             TestWebhook hook = new TestWebhook()) {
            Journals.append(journal, 0, 20);
            Forwarder f = forwarder(config(hook));
            f.doWork();
            f.onClose();
            assertEquals(1, hook.posts.size());
            f = forwarder(config(hook));
            try {
                assertEquals(10, f.lagRecords());
                f.doWork();
                assertEquals(Journals.lines(tmp.resolve("journal")), hook.acknowledgedLines(), "no gap, no duplicate");
            } finally {
                f.onClose();
            }
            // a port nobody listens on
            final java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
            final int port = s.getLocalPort();
            s.close();
            final ForwarderConfig dead = ForwarderConfig.webhook("dead", java.net.URI.create("http://127.0.0.1:" + port + "/x"))
                .batchSize(5).cursorFile(tmp.resolve("data/forward/dead.cursor")).conclude();
            final Forwarder d = forwarder(dead);
            try {
                d.doWork();
                assertEquals(1, counters.get("forward.dead.error.connect"));
                assertEquals(20, d.lagRecords());
                assertEquals(ForwarderCursor.NONE, d.cursorIndex());
                assertTrue(!Files.exists(tmp.resolve("data/forward/dead.cursor")));
            } finally {
                d.onClose();
            }
        }
    }

    @Test
    void aSlowDownstreamTimesOutAndIsRetried() throws Exception {
        clock.update(1_000 * MS);
        try (MatchJournal journal = MatchJournal.open(tmp.resolve("journal"), Journals.config());
             TestWebhook hook = new TestWebhook()) {
            Journals.append(journal, 0, 3);
            hook.delayMs = 400;
            final ForwarderConfig c = ForwarderConfig.webhook("slow", hook.uri()).batchSize(3).timeoutMs(100)
                .cursorFile(tmp.resolve("data/forward/slow.cursor")).conclude();
            final Forwarder f = forwarder(c);
            try {
                final long t0 = System.nanoTime();
                f.doWork();
                assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(390), "the timeout, not the server, ends the wait");
                assertEquals(1, counters.get("forward.slow.error.timeout"));
                assertEquals(ForwarderCursor.NONE, f.cursorIndex());
                hook.delayMs = 0;
                clock.advance(200 * MS);
                f.doWork();
                assertTrue(f.cursorIndex() > ForwarderCursor.NONE);
                assertEquals(0, f.lagRecords());
            } finally {
                f.onClose();
            }
        }
    }
}
