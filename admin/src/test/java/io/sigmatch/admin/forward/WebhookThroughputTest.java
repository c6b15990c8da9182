package io.sigmatch.admin.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.sigmatch.decoder.Counters;
import io.sigmatch.journal.MatchJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhook delivery throughput, measured (not asserted): a journal of N matches (20 000 by default;
 * {@code -Dsigmatch.forward.records}) delivered by the forwarder thread to a JDK HTTP server on loopback,
 * batches of 100 and 1000, each acknowledged batch fsync'ing the cursor. Asserts only that every match
 * arrived once.
 */
class WebhookThroughputTest {
    private static final int RECORDS = Integer.getInteger("sigmatch.forward.records", 20_000);

    @TempDir
    Path tmp;

    @Test
    void deliveryThroughput() throws Exception {
        final Path journalDir = tmp.resolve("journal");
        try (MatchJournal journal = MatchJournal.open(journalDir, Journals.config().blockSizeBytes(64L << 20))) {
            Journals.append(journal, 0, RECORDS);
            final List<String> journaled = Journals.lines(journalDir);
            for (final int batch : new int[] {100, 1000}) {
                try (TestWebhook hook = new TestWebhook()) {
                    final Counters counters = new Counters();
                    final ForwarderConfig c = ForwarderConfig.webhook("b" + batch, hook.uri()).batchSize(batch).lingerMs(5)
                        .cursorFile(tmp.resolve("forward/b" + batch + ".cursor")).conclude();
                    final long t0 = System.nanoTime();
                    try (Forwarders f = new Forwarders(List.of(c), journalDir, counters)) {
                        f.start();
                        final Forwarder fw = f.list().get(0);
                        final long deadline = t0 + TimeUnit.SECONDS.toNanos(120);
                        while (fw.cursorIndex() < journal.lastIndex() && System.nanoTime() < deadline) {
                            Thread.sleep(1);
                        }
                    }
                    final double s = (System.nanoTime() - t0) / 1e9;
                    System.out.printf("webhook delivery, batch %d: %d matches in %.2f s = %.0f matches/s, %.0f POSTs/s "
                        + "(JSON lines over HTTP/1.1 on loopback, cursor fsync per batch)%n", batch, RECORDS, s, RECORDS / s,
                        RECORDS / (double) batch / s);
                    assertEquals(journaled, hook.acknowledgedLines());
                }
            }
        }
    }
}
