package io.sigmatch.matcher;

import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.journal.MatchAppender;
import io.sigmatch.journal.MatchId;
import io.sigmatch.journal.MatchRecord;
import io.sigmatch.matcher.rules.Rule;
import io.sigmatch.matcher.rules.RuleSet;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.NanoClock;

/**
 * Appends one match record per match to the journal, through the shard's own appender, and records
 * the capture-to-journal latency (publish into the pipeline to commit of the record) in the shard's
 * histogram. One reused record, nothing allocated per match.
 */
final class JournalStage {
    private RuleSet rules;
    private final NanoClock clock;
    private final long latencyMaxNs;
    private final MatchRecord record = new MatchRecord();
    private final SingleWriterRecorder latency;
    private MatchAppender appender;

    JournalStage(final RuleSet rules, final NanoClock clock, final long latencyMaxNs) {
        this.rules = rules;
        this.clock = clock;
        this.latencyMaxNs = latencyMaxNs;
        this.latency = new SingleWriterRecorder(1, latencyMaxNs, 3);
    }

    /** The rule set whose version new records carry; set by a snapshot activation on the shard thread. */
    void rules(final RuleSet next) {
        this.rules = next;
    }

    /** The appender of the thread that will call {@link #append}; set when that thread starts. */
    void appender(final MatchAppender appender) {
        this.appender = appender;
    }

    MatchAppender appender() {
        return appender;
    }

    /** Journals the ordinal-th match of event e, for rule, with the event's identities; returns the journal index, -1 when refused. */
    long append(final Rule rule, final SubscriberEvent e, final int ordinal) {
        return append(rule, e, ordinal, e.hasImsi() ? e.imsi() : Digits.NONE, e.hasMsisdn() ? e.msisdn() : Digits.NONE,
            e.hasImei() ? e.imei() : Digits.NONE, -1, Long.MIN_VALUE);
    }

    /**
     * Journals the ordinal-th match of event e with the subscriber's linked identities (NONE: not known),
     * the area it is for (-1: none) and when it may be delivered (MIN_VALUE: at once).
     */
    long append(final Rule rule, final SubscriberEvent e, final int ordinal, final long imsi, final long msisdn,
        final long imei, final int area, final long deliverAfterNs) {
        final MatchRecord r = begin(rule, e.timeNs(), MatchId.low(e.sourceId(), e.sequence(), ordinal), imsi, msisdn,
            imei, area, deliverAfterNs);
        location(r, e);
        return commit(r, e.publishNanos());
    }

    /**
     * Journals a match a timer fired at deadlineNs (no triggering packet: source {@link MatchId#TIMER_SOURCE},
     * the subscriber's mixed key and the rule's document order make the id, the same on every replay).
     */
    long appendTimer(final Rule rule, final long deadlineNs, final long subscriberKey, final long imsi,
        final long msisdn, final long imei, final int area, final long deliverAfterNs, final long publishNanos) {
        final long mixed = subscriberKey * 0x9E3779B97F4A7C15L;
        final MatchRecord r = begin(rule, deadlineNs, MatchId.low(MatchId.TIMER_SOURCE, mixed ^ (mixed >>> 32),
            rule.documentOrder()), imsi, msisdn, imei, area, deliverAfterNs);
        return commit(r, publishNanos);
    }

    private MatchRecord begin(final Rule rule, final long timeNs, final long idLow, final long imsi, final long msisdn,
        final long imei, final int area, final long deliverAfterNs) {
        final MatchRecord r = record.reset().matchId(timeNs, idLow).timeNs(timeNs);
        final DirectBuffer id = rule.idBytes();
        r.ruleId(id, 0, id.capacity());
        final DirectBuffer version = rules.versionBytes();
        r.snapshot(version, 0, version.capacity());
        if (rule.hasPayload()) {
            final DirectBuffer payload = rule.payload();
            r.payload(payload, 0, payload.capacity());
        }
        if (imsi != Digits.NONE) {
            r.imsi(imsi);
        }
        if (msisdn != Digits.NONE) {
            r.msisdn(msisdn);
        }
        if (imei != Digits.NONE) {
            r.imei(imei);
        }
        if (area >= 0) {
            final DirectBuffer name = rules.areas().nameBytes(area);
            r.area(name, 0, name.capacity());
        }
        if (deliverAfterNs != Long.MIN_VALUE) {
            r.deliverAfterNs(deliverAfterNs);
        }
        return r;
    }

    private long commit(final MatchRecord r, final long publishNanos) {
        final long index = appender.append(r, publishNanos);
        if (index < 0) {
            return index;   // refused (disk full, read-only, over budget): counted by the journal as journal.drop.*
        }
        final long committed = clock.nanoTime() - publishNanos;
        latency.recordValue(Math.max(1, Math.min(committed, latencyMaxNs)));
        return index;
    }

    private static void location(final MatchRecord r, final SubscriberEvent e) {
        // the location's PLMN, else the serving network's, as `sigmatch decode` prints mcc/mnc
        if (e.has(SignalingMessage.CELL_PLMN)) {
            r.plmn(e.cellPlmn());
        } else if (e.has(SignalingMessage.SERVING_PLMN)) {
            r.plmn(e.servingPlmn());
        }
        if (e.has(SignalingMessage.TAC)) {
            r.tac(e.tac());
        }
        if (e.has(SignalingMessage.LAC)) {
            r.lac(e.lac());
        }
        if (e.has(SignalingMessage.ECI)) {
            r.eci(e.eci());
        } else if (e.has(SignalingMessage.NCI)) {
            r.nci(e.nci());
        } else if (e.has(SignalingMessage.CI)) {
            r.ci(e.ci());
        }
    }

    /** The record last appended (its latency as journaled); for tests and diagnostics. */
    MatchRecord lastRecord() {
        return record;
    }

    void endOfBatch() {
        appender.endOfBatch();
    }

    /** Moves the latencies recorded since the last call into into; called off the shard thread. */
    void drainLatency(final Histogram into) {
        into.add(latency.getIntervalHistogram());
    }
}
