package io.sigmatch.matcher;

import io.sigmatch.decoder.Counters;
import io.sigmatch.matcher.rules.RuleSet;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The pipeline's counts, as registered in {@link Counters} ({@code pipeline.*} and
 * {@code rule.<id>.<what>}), and one shard's view of them: a shard counts into plain longs and adds
 * them to the shared counters at the end of each batch, so several shards can count the same rule
 * without contending on every event, and readers see totals at most one batch old.
 */
final class MatchCounters {
    // per-pipeline counters
    static final int EVENTS = 0;
    static final int IGNORED_NO_EVENT_KIND = 1;
    static final int IGNORED_NO_IDENTITY = 2;
    static final int MATCHES = 3;
    /** Timers that reached their deadline (whether or not their stay or visit still lasted). */
    static final int TIMERS_FIRED = 4;
    /** Timers not armed because the shard's wheel was full. */
    static final int TIMERS_REFUSED = 5;
    /** Subscribers evicted from a full state table (the oldest nearby). */
    static final int STATE_EVICTED = 6;
    /** Area or cap slots of a subscriber reused while still holding something (more areas or caps at once than slots). */
    static final int STATE_SLOTS_EVICTED = 7;
    static final String[] PIPELINE_LABELS = {
        "pipeline.events", "pipeline.ignored.noEventKind", "pipeline.ignored.noIdentity", "pipeline.matches",
        "pipeline.timers.fired", "pipeline.timers.refused", "pipeline.state.evicted", "pipeline.state.slotsEvicted"
    };

    // per-rule counters, in this order after the pipeline ones
    static final int EVALUATED = 0;
    static final int MATCHED = 1;
    static final int SUPPRESSED_EXCLUDED = 2;
    static final int SUPPRESSED_EXCLUSION_UNVERIFIABLE = 3;
    static final int SUPPRESSED_OUTSIDE_VALIDITY = 4;
    /** Fired for a subscriber in none of the rule's include lists (not a suppression: not the audience). */
    static final int NOT_INCLUDED = 5;
    static final int SUPPRESSED_QUIET_HOURS = 6;
    static final int SUPPRESSED_CAP = 7;
    static final int SUPPRESSED_GLOBAL_CAP = 8;
    /** Matched inside quiet hours and journaled with deliverAfter (also counted as matched). */
    static final int DEFERRED = 9;
    static final String[] RULE_LABELS = {
        "evaluated", "matched", "suppressed.excluded", "suppressed.exclusionUnverifiable", "suppressed.outsideValidity",
        "notIncluded", "suppressed.quietHours", "suppressed.cap", "suppressed.globalCap", "deferred"
    };

    static final String ERRORS_LABEL = "pipeline.errors";
    static final String UNDRAINED_LABEL = "pipeline.undrained";

    /** The shared counters of one rule set, registered once at set-up. */
    static final class Registry {
        final AtomicCounter[] counters;
        final AtomicCounter errors;
        final AtomicCounter undrained;

        Registry(final Counters counters, final RuleSet rules) {
            this.counters = new AtomicCounter[PIPELINE_LABELS.length + rules.ruleCount() * RULE_LABELS.length];
            for (int i = 0; i < PIPELINE_LABELS.length; i++) {
                this.counters[i] = counters.counter(PIPELINE_LABELS[i]);
            }
            for (int r = 0; r < rules.ruleCount(); r++) {
                for (int w = 0; w < RULE_LABELS.length; w++) {
                    this.counters[index(r, w)] = counters.counter("rule." + rules.rule(r).id() + "." + RULE_LABELS[w]);
                }
            }
            errors = counters.counter(ERRORS_LABEL);
            undrained = counters.counter(UNDRAINED_LABEL);
        }
    }

    static int index(final int ruleOrdinal, final int what) {
        return PIPELINE_LABELS.length + ruleOrdinal * RULE_LABELS.length + what;
    }

    private final AtomicCounter[] shared;
    private final long[] pending;
    private final int[] dirty;
    private int dirtyCount;

    MatchCounters(final Registry registry) {
        this.shared = registry.counters;
        this.pending = new long[shared.length];
        this.dirty = new int[shared.length];
    }

    void add(final int index) {
        if (pending[index]++ == 0) {
            dirty[dirtyCount++] = index;
        }
    }

    void add(final int index, final long n) {
        if (n == 0) {
            return;
        }
        if (pending[index] == 0) {
            dirty[dirtyCount++] = index;
        }
        pending[index] += n;
    }

    void rule(final int ruleOrdinal, final int what) {
        add(index(ruleOrdinal, what));
    }

    /** Adds what this shard counted since the last flush to the shared counters. */
    void flush() {
        for (int i = 0; i < dirtyCount; i++) {
            final int index = dirty[i];
            shared[index].getAndAdd(pending[index]);
            pending[index] = 0;
        }
        dirtyCount = 0;
    }

    /** Counted here but not flushed yet. */
    long pending(final int index) {
        return pending[index];
    }
}
