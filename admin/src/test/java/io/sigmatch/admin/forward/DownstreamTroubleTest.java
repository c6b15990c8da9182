package io.sigmatch.admin.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.sigmatch.decoder.Counters;
import io.sigmatch.journal.MatchAppender;
import io.sigmatch.journal.MatchJournal;
import io.sigmatch.journal.MatchRecord;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 4, what the forwarder tests before it did not cover: a webhook that answers garbage
 * (bytes that are not HTTP, a truncated body, an invalid status line, a negative Content-Length, a
 * redirect, an interim 100 with nothing after, a close without an answer), and a Kafka broker that is
 * stopped and started again (same ports, same log; {@link KafkaBrokerRestartTest}) while matches keep
 * being journaled. Journal
 * appends run paced on the test thread (the shard's position) throughout. The contract: no garbage is
 * taken for an acknowledgement, every journaled match is acknowledged in the end (Kafka: every one on
 * the topic; duplicates at most the one batch in flight at the stop), each failure is counted by
 * reason, and appends never wait for the forwarder.
 */
class DownstreamTroubleTest {
    @TempDir
    Path tmp;

    /** The answers a garbage webhook gives, one per request, before it starts answering 204. */
    private static final String[] GARBAGE = {
        "\u0000\u00ff\u0013garbage that is not HTTP at all\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\nonly this much",
        "",                                                              // close without answering
        "HTTP/1.1 two hundred\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n",
        "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 100 Continue\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nnot a chunk\r\n",
    };

    /** A webhook on a raw socket: scripted garbage, then 204 for everything; records what it acknowledged. */
    private static final class GarbageWebhook implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        final AtomicInteger requests = new AtomicInteger();
        final List<String> acknowledged = new CopyOnWriteArrayList<>();
        final Thread thread = new Thread(this::serve, "garbage-webhook");

        GarbageWebhook() throws IOException {
            thread.setDaemon(true);
            thread.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/hook");
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(5_000);
                    final InputStream in = s.getInputStream();
                    final OutputStream out = s.getOutputStream();
                    while (true) {
                        final byte[] body = readRequest(in);
                        if (body == null) {
                            break;
                        }
                        final int n = requests.getAndIncrement();
                        if (n < GARBAGE.length) {
                            out.write(GARBAGE[n].getBytes(StandardCharsets.ISO_8859_1));
                            out.flush();
                            break; // and close: the client must not reuse what follows garbage
                        }
                        for (final String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
                            if (!line.isEmpty()) {
                                acknowledged.add(line);
                            }
                        }
                        out.write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                } catch (final IOException e) {
                    // a closed server socket or a client that went away: next connection
                }
            }
        }

        /** Reads one request; returns its body, or null when the connection ended. */
        private static byte[] readRequest(final InputStream in) throws IOException {
            final ByteArrayOutputStream head = new ByteArrayOutputStream();
            int c;
            int state = 0;
            while (state < 4 && (c = in.read()) >= 0) {
                head.write(c);
                state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1
                    : c == '\r' ? 1 : 0;
            }
            if (state < 4) {
                return null;
            }
            int length = 0;
            for (final String h : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
                if (h.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(h.substring(15).trim());
                }
            }
            return in.readNBytes(length);
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** Appends records [from, to) at 2 000 per second (ticks of 100 every 50 ms), recording each append's latency. */
    static void appendPaced(final MatchJournal journal, final int from, final int to, final Histogram h)
        throws InterruptedException {
        final MatchRecord r = new MatchRecord();
        try (MatchAppender a = journal.newAppender(SystemNanoClock.INSTANCE)) {
            long next = System.nanoTime();
            for (int i = from; i < to; i++) {
                Journals.record(r, i);
                final long t0 = System.nanoTime();
                a.append(r, t0);
                h.recordValue(System.nanoTime() - t0);
                if ((i + 1) % 100 == 0) {
                    next += TimeUnit.MILLISECONDS.toNanos(50);
                    final long wait = next - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
            }
        }
    }

    static void awaitCursor(final Forwarder f, final MatchJournal journal, final long seconds)
        throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (f.cursorIndex() < journal.lastIndex() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @Test
    void garbageAnswersAreNeverAcknowledgementsAndEveryMatchArrivesOnce() throws Exception {
        final Counters counters = new Counters();
        final Path journalDir = tmp.resolve("journal");
        final Histogram alone = new Histogram(3);
        final Histogram appends = new Histogram(3);
        try (MatchJournal journal = MatchJournal.open(tmp.resolve("baseline"), Journals.config())) {
            appendPaced(journal, 0, 1_000, alone);
        }
        try (MatchJournal journal = MatchJournal.open(journalDir, Journals.config());
             GarbageWebhook hook = new GarbageWebhook()) {
            final ForwarderConfig c = ForwarderConfig.webhook("crm", hook.uri()).batchSize(50).lingerMs(5).timeoutMs(2_000)
                .backoffMs(10, 50).cursorFile(tmp.resolve("forward/crm.cursor")).conclude();
            try (Forwarders forwarders = new Forwarders(List.of(c), journalDir, counters)) {
                forwarders.start();
                final Forwarder f = forwarders.list().get(0);
                appendPaced(journal, 0, 2_000, appends);
                awaitCursor(f, journal, 30);
                assertEquals(journal.lastIndex(), f.cursorIndex(), "caught up after the garbage");
            }
            final Map<String, Long> errors = new HashMap<>();
            counters.forEach((label, v) -> {
                if (label.startsWith("forward.crm.error.") && v > 0) {
                    errors.put(label.substring("forward.crm.error.".length()), v);
                }
            });
            System.out.printf("garbage webhook: %d requests, %d garbage answers, errors by reason %s, retries %d; appends "
                + "p99 %.1f us, max %.1f us%n", hook.requests.get(), GARBAGE.length, errors,
                counters.get("forward.crm.retries"), appends.getValueAtPercentile(99) / 1e3, appends.getMaxValue() / 1e3);
            assertEquals(Journals.lines(journalDir), hook.acknowledged, "every match acknowledged exactly once, in order: "
                + "no garbage answer moved the cursor");
            assertEquals(GARBAGE.length, errors.values().stream().mapToLong(Long::longValue).sum(), "each garbage answer "
                + "counted once as a failure: " + errors);
            assertTrue(errors.containsKey("status_302"), "a redirect is a failure, not followed: " + errors);
            assertEquals(2_000, counters.get("forward.crm.records"));
            assertAppendsUnaffected(alone, appends);
        }
    }

    /** Appends while the downstream misbehaves look like appends with no forwarder at all (p99 within 10x or 1 ms). */
    static void assertAppendsUnaffected(final Histogram alone, final Histogram during) {
        final String both = String.format("appends alone p99 %.1f us, during the trouble p99 %.1f us",
            alone.getValueAtPercentile(99) / 1e3, during.getValueAtPercentile(99) / 1e3);
        System.out.println(both);
        assertTrue(during.getValueAtPercentile(99) < Math.max(TimeUnit.MILLISECONDS.toNanos(1),
            10 * alone.getValueAtPercentile(99)), "appends never waited for the forwarder: " + both);
    }

}
