package io.sigmatch.matcher;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.EventKind;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.journal.MatchJournal;
import io.sigmatch.matcher.rules.Rule;
import io.sigmatch.matcher.rules.RuleSet;
import org.agrona.concurrent.SystemNanoClock;

/**
 * The match stages, which are package-private to the matcher, opened to the benchmarks in perf/ (this
 * class lives in perf, in the matcher's package on the class path; nothing in the matcher depends on
 * it). Each method runs one stage over the rules the event's kind can fire, as {@code Shard} does,
 * and {@link #match} runs the whole chain on one real shard with its journal appender. Create, use
 * and close it on one thread: the shard's appender belongs to it.
 */
public final class MatchStagesProbe implements AutoCloseable {
    private final RuleSet rules;
    private final FilterStage filter = new FilterStage();
    private final LookupStage lookup;
    private final TriggerStage trigger = new TriggerStage();
    private final GovernStage govern = new GovernStage();
    private final Shard shard;
    private final TriggerStage stateful;

    public MatchStagesProbe(final RuleSet rules, final MatchJournal journal, final Counters counters) {
        this.rules = rules;
        this.lookup = new LookupStage(rules);
        this.shard = new Shard(0, rules, journal, SystemNanoClock.INSTANCE, new MatchCounters.Registry(counters, rules),
            PipelineConfig.LATENCY_MAX_NS_DEFAULT);
        try {
            stateful = new TriggerStage(io.sigmatch.matcher.state.SubscriberStates.open(null, 1 << 16, 0, 1),
                io.sigmatch.matcher.state.TimerWheel.open(null, 1 << 16));
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        stateful.rules(rules);
        shard.onStart();
        if (shard.startFailure() != null) {
            throw new IllegalStateException("shard could not open its appender", shard.startFailure());
        }
    }

    /** A ring slot's content as the publisher fills it. */
    public static SubscriberEvent event(final SignalingMessage procedure, final long publishNanos, final long sequence) {
        return new SubscriberEvent().copyFrom(procedure).stamp(publishNanos, sequence, ShardRouter.subscriberKey(procedure));
    }

    /** Refills a slot in place, as the publisher does (no allocation). */
    public static SubscriberEvent refill(final SubscriberEvent e, final SignalingMessage procedure, final long sequence) {
        return e.copyFrom(procedure).stamp(0, sequence, ShardRouter.subscriberKey(procedure));
    }

    /** Filter stage: the event-level check, then each candidate rule's filter; the number that pass. */
    public int filter(final SubscriberEvent e) {
        if (filter.accept(e) != FilterStage.ACCEPTED) {
            return -1;
        }
        final EventKind kind = e.event();
        int passed = 0;
        for (int i = 0, n = rules.ruleCount(kind); i < n; i++) {
            if (filter.accepts(rules.rule(kind, i), e)) {
                passed++;
            }
        }
        return passed;
    }

    /** Lookup stage: the list verdict of every candidate rule (each list looked up once); their sum. */
    public int lookup(final SubscriberEvent e) {
        lookup.begin(e);
        final EventKind kind = e.event();
        int verdicts = 0;
        for (int i = 0, n = rules.ruleCount(kind); i < n; i++) {
            verdicts += lookup.verdict(rules.rule(kind, i));
        }
        return verdicts;
    }

    /** Trigger stage over every candidate rule; how many fire. */
    public int trigger(final SubscriberEvent e) {
        final EventKind kind = e.event();
        int fired = 0;
        for (int i = 0, n = rules.ruleCount(kind); i < n; i++) {
            if (trigger.fires(rules.rule(kind, i), e)) {
                fired++;
            }
        }
        return fired;
    }

    /**
     * Trigger stage with subscriber state, as the shard runs it: the record found and linked, every
     * candidate rule judged on the state before the event (timers armed), the state moved to after it.
     * How many fire.
     */
    public int statefulTrigger(final SubscriberEvent e) {
        stateful.begin(e);
        final EventKind kind = e.event();
        int fired = 0;
        for (int i = 0, n = rules.ruleCount(kind); i < n; i++) {
            final Rule r = rules.rule(kind, i);
            if (stateful.fires(r, e, filter.accepts(r, e)) != TriggerStage.NOT_FIRED) {
                fired++;
            }
        }
        stateful.commit(e);
        return fired;
    }

    /** Govern stage over every candidate rule; how many pass. */
    public int govern(final SubscriberEvent e) {
        final EventKind kind = e.event();
        int pass = 0;
        for (int i = 0, n = rules.ruleCount(kind); i < n; i++) {
            final Rule r = rules.rule(kind, i);
            if (govern.verdict(r, e) == GovernStage.PASS) {
                pass++;
            }
        }
        return pass;
    }

    /** The whole chain on the shard, journal appends included, as the shard thread runs it. */
    public void match(final SubscriberEvent e, final long sequence, final boolean endOfBatch) {
        shard.onEvent(e, sequence, endOfBatch);
    }

    @Override
    public void close() {
        org.agrona.CloseHelper.closeAll(stateful.states(), stateful.timers());
        shard.onShutdown();
    }
}
