package io.sigmatch.matcher;

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

    /** Journals the ordinal-th match of event e, for rule; returns the record's journal index, -1 when refused. */
    long append(final Rule rule, final SubscriberEvent e, final int ordinal) {
        final MatchRecord r = record.reset()
            .matchId(e.timeNs(), MatchId.low(e.sourceId(), e.sequence(), ordinal))
            .timeNs(e.timeNs());
        final DirectBuffer id = rule.idBytes();
        r.ruleId(id, 0, id.capacity());
        final DirectBuffer version = rules.versionBytes();
        r.snapshot(version, 0, version.capacity());
        if (rule.hasPayload()) {
            final DirectBuffer payload = rule.payload();
            r.payload(payload, 0, payload.capacity());
        }
        if (e.hasImsi()) {
            r.imsi(e.imsi());
        }
        if (e.hasMsisdn()) {
            r.msisdn(e.msisdn());
        }
        if (e.hasImei()) {
            r.imei(e.imei());
        }
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
        final long index = appender.append(r, e.publishNanos());
        if (index < 0) {
            return index;   // refused (disk full, read-only, over budget): counted by the journal as journal.drop.*
        }
        final long committed = clock.nanoTime() - e.publishNanos();
        latency.recordValue(Math.max(1, Math.min(committed, latencyMaxNs)));
        return index;
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
