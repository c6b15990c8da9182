package io.sigmatch.admin;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.sigmatch.journal.JournalFormatException;
import io.sigmatch.journal.MatchJournalReader;
import io.sigmatch.journal.MatchJson;
import io.sigmatch.journal.MatchRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming tail of the match journal ({@code GET /matches}, platform role): Server-Sent Events,
 * one per journaled match, {@code id:} the record's journal index, {@code data:} the record as
 * {@code sigmatch journal} prints it. A client that loses the connection reconnects with
 * {@code Last-Event-ID} (or {@code ?after=}) and gets every record after that one: no gap, and
 * no duplicate beyond what it had not yet seen. Runs on its own thread (a Chronicle tailer belongs
 * to one thread), polls the journal every few ms when idle, and waits while the client reads slower
 * than the journal grows (the channel's writability), so a slow client costs memory bounded by
 * Netty's write buffer watermark, never the capture path anything.
 */
final class MatchTail implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(MatchTail.class);
    private static final int BATCH_BYTES = 64 * 1024;
    private static final long HEARTBEAT_NS = TimeUnit.SECONDS.toNanos(15);
    private static final long IDLE_SLEEP_MS = 5;

    private final Channel channel;
    private final Path journalDir;
    private final long after;
    private final byte[] rule;
    private final AdminServer server;

    /** after: the last index the client has (-1 from the start, Long.MAX_VALUE from the end); rule: filter or null. */
    MatchTail(final AdminServer server, final Channel channel, final Path journalDir, final long after, final String rule) {
        this.server = server;
        this.channel = channel;
        this.journalDir = journalDir;
        this.after = after;
        this.rule = rule == null ? null : rule.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void run() {
        final MatchRecord record = new MatchRecord();
        final StringBuilder batch = new StringBuilder(BATCH_BYTES + 4096);
        try (MatchJournalReader reader = MatchJournalReader.open(journalDir)) {
            if (after == Long.MAX_VALUE) {
                reader.toEnd();
            } else if (after >= 0) {
                if (!reader.moveToIndex(after) || !reader.next(record) || reader.index() != after) {
                    end("event: error\ndata: {\"error\":\"cursor " + after + " is not in the journal (retention?)\"}\n\n");
                    return;
                }
            }
            long lastWrite = System.nanoTime();
            while (channel.isActive() && !server.closing()) {
                if (!channel.isWritable()) {
                    Thread.sleep(IDLE_SLEEP_MS);
                    continue;
                }
                batch.setLength(0);
                while (batch.length() < BATCH_BYTES && reader.next(record)) {
                    if (rule != null && !sameRule(record)) {
                        continue;
                    }
                    batch.append("id: ").append(reader.index()).append("\nevent: match\ndata: ");
                    MatchJson.appendTo(record, batch).append("\n\n");
                }
                final long now = System.nanoTime();
                if (batch.length() > 0) {
                    write(batch);
                    lastWrite = now;
                } else if (now - lastWrite > HEARTBEAT_NS) {
                    batch.append(": keep-alive\n\n");
                    write(batch);
                    lastWrite = now;
                } else {
                    Thread.sleep(IDLE_SLEEP_MS);
                }
            }
        } catch (final JournalFormatException e) {
            end("event: error\ndata: {\"error\":\"journal record at " + e.getMessage().replace('"', '\'') + "\"}\n\n");
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final Exception e) {
            LOG.warn("match tail stopped: {}", e.toString());
        } finally {
            if (channel.isActive()) {
                channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    /** The record's rule id is the filter's, compared byte by byte (no String per record). */
    private boolean sameRule(final MatchRecord record) {
        if (record.ruleIdLength() != rule.length) {
            return false;
        }
        for (int i = 0; i < rule.length; i++) {
            if (record.ruleIdByte(i) != rule[i]) {
                return false;
            }
        }
        return true;
    }

    private void write(final CharSequence text) {
        final ByteBuf buf = channel.alloc().buffer(text.length());
        buf.writeCharSequence(text, StandardCharsets.UTF_8);
        channel.writeAndFlush(new DefaultHttpContent(buf));
    }

    private void end(final String text) {
        write(text);
    }
}
