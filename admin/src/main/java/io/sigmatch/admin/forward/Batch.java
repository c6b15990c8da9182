package io.sigmatch.admin.forward;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;

import io.sigmatch.journal.MatchJson;
import io.sigmatch.journal.MatchRecord;

/**
 * The records a forwarder sends at once, kept until the downstream acknowledges them: each as the JSON
 * line {@code sigmatch journal} prints (one body for the webhook, one message each for Kafka), with its
 * subscriber key, its match id and its rule's counters. Buffers are sized once and reused: a batch
 * allocates only when a line is longer than any before.
 */
final class Batch {
    private final int capacity;
    private final StringBuilder lines = new StringBuilder(64 * 1024);
    private final int[] lineEnd;
    private final long[] imsi;
    private final long[] msisdn;
    private final long[] matchIdHigh;
    private final long[] matchIdLow;
    private final RuleCounters.Rule[] rules;
    private int size;
    private long firstIndex = -1;
    private long lastIndex = -1;
    private long lastTimeNs;
    private long openedNanos;
    private boolean sent;
    private int attempts;

    private final CharsetEncoder utf8 = StandardCharsets.UTF_8.newEncoder();
    private ByteBuffer bytes = ByteBuffer.allocate(64 * 1024);
    private CharBuffer chars = CharBuffer.allocate(64 * 1024);

    /** The appliance id each line ends with, null for none. */
    private final String appliance;

    Batch(final int capacity) {
        this(capacity, null);
    }

    Batch(final int capacity, final String appliance) {
        this.capacity = capacity;
        this.appliance = appliance;
        lineEnd = new int[capacity];
        imsi = new long[capacity];
        msisdn = new long[capacity];
        matchIdHigh = new long[capacity];
        matchIdLow = new long[capacity];
        rules = new RuleCounters.Rule[capacity];
    }

    void add(final MatchRecord r, final long index, final RuleCounters.Rule rule, final long nowNanos) {
        if (size == 0) {
            firstIndex = index;
            openedNanos = nowNanos;
        }
        MatchJson.appendTo(r, lines);
        if (appliance != null) {
            // which probe saw it: the fleet's consumers read one topic of many appliances
            lines.setLength(lines.length() - 1);
            lines.append(",\"appliance\":\"").append(appliance).append("\"}");
        }
        lines.append('\n');
        lineEnd[size] = lines.length();
        imsi[size] = r.has(MatchRecord.IMSI) ? r.imsi() : 0;
        msisdn[size] = r.has(MatchRecord.MSISDN) ? r.msisdn() : 0;
        matchIdHigh[size] = r.matchIdHigh();
        matchIdLow[size] = r.matchIdLow();
        rules[size] = rule;
        lastIndex = index;
        lastTimeNs = r.timeNs();
        size++;
    }

    void clear() {
        lines.setLength(0);
        size = 0;
        firstIndex = lastIndex = -1;
        sent = false;
        attempts = 0;
        java.util.Arrays.fill(rules, null);
    }

    boolean full() {
        return size == capacity;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    long firstIndex() {
        return firstIndex;
    }

    /** Journal index of the last record: what the cursor becomes once the batch is acknowledged. */
    long lastIndex() {
        return lastIndex;
    }

    /** Capture time of the last record. */
    long lastTimeNs() {
        return lastTimeNs;
    }

    long openedNanos() {
        return openedNanos;
    }

    boolean sent() {
        return sent;
    }

    void markSent() {
        sent = true;
    }

    int attempts() {
        return attempts;
    }

    void attempted() {
        attempts++;
    }

    /** Record i's JSON line, without its newline. */
    CharSequence line(final int i) {
        return lines.subSequence(i == 0 ? 0 : lineEnd[i - 1], lineEnd[i] - 1);
    }

    /** The subscriber a Kafka message is keyed by: IMSI, else MSISDN (packed digits), 0 when neither. */
    long subscriberKey(final int i) {
        return imsi[i] != 0 ? imsi[i] : msisdn[i];
    }

    long matchIdHigh(final int i) {
        return matchIdHigh[i];
    }

    long matchIdLow(final int i) {
        return matchIdLow[i];
    }

    RuleCounters.Rule rule(final int i) {
        return rules[i];
    }

    /** Every line, newline-terminated, as UTF-8 (JSON Lines); the buffer is reused by the next call. */
    ByteBuffer body() {
        if (chars.capacity() < lines.length()) {
            chars = CharBuffer.allocate(Math.max(lines.length(), chars.capacity() * 2));
        }
        chars.clear();
        chars.append(lines);
        chars.flip();
        bytes.clear();
        utf8.reset();
        while (true) {
            final CoderResult cr = utf8.encode(chars, bytes, true);
            if (cr.isOverflow()) {
                final ByteBuffer bigger = ByteBuffer.allocate(bytes.capacity() * 2);
                bytes.flip();
                bigger.put(bytes);
                bytes = bigger;
                continue;
            }
            break;
        }
        utf8.flush(bytes);
        bytes.flip();
        return bytes;
    }
}
